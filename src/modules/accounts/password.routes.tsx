import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { requireUser, sendPage } from '../../platform/http';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, withError } from '../../ui/forms';
import { loginRefusal, PASSWORD_FIELDS, type AccountHttp } from './accounts.http';
import { changePasswordSchema, emailOnlySchema, resetPasswordSchema } from './accounts.schema';
import { changePassword, requestPasswordReset, resetPassword, resetTokenUsable } from './credentials.service';
import { EmailRequestPage, MessagePage, ResetPasswordPage } from './views/auth';

/** Passwords (ACC-4): forgotten (a link by email), reset from the link, changed from the account page. */
export function passwordRoutes(deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { svc, ctx, ip, limit, limitPerAccount } = http;

  return async (app) => {
    const forgotPage = (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) =>
      sendPage(
        reply,
        <EmailRequestPage ctx={ctx(request, reply)} form={form} action="/mot-de-passe-oublie" title="forgot.title" intro="forgot.intro" submit="forgot.submit" />,
        status,
      );
    app.get('/mot-de-passe-oublie', async (request, reply) => forgotPage(request, reply, emptyForm()));
    app.post('/mot-de-passe-oublie', { config: limit('resetRequestsPerIpPer10Min') }, async (request, reply) => {
      const parsed = parseForm(emailOnlySchema, request.body);
      if (!parsed.ok) return forgotPage(request, reply, parsed.form, 400);
      await requestPasswordReset(svc, parsed.data.email, ip(request));
      const policies = await deps.policies();
      return sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          title="forgot.done.title"
          message="forgot.done.message"
          params={{ minutes: policies.passwordResetLinkMinutes }}
          extra="signup.done.spam"
        />,
      );
    });

    const invalidResetLink = (request: FastifyRequest, reply: FastifyReply) =>
      sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          title="reset.invalid.title"
          message="reset.invalid.message"
          links={[{ href: '/mot-de-passe-oublie', label: 'reset.invalid.again' }]}
        />,
        410,
      );

    app.get<{ Params: { token: string } }>('/mot-de-passe/:token', async (request, reply) => {
      // The token stays in the path of the form's action; pages keep it out of the Referer.
      reply.header('referrer-policy', 'no-referrer');
      if (!(await resetTokenUsable(svc, request.params.token))) return invalidResetLink(request, reply);
      return sendPage(reply, <ResetPasswordPage ctx={ctx(request, reply)} form={emptyForm()} token={request.params.token} />);
    });

    app.post<{ Params: { token: string } }>('/mot-de-passe/:token', { config: limit('resetRequestsPerIpPer10Min') }, async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      const parsed = parseForm(resetPasswordSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok)
        return sendPage(reply, <ResetPasswordPage ctx={ctx(request, reply)} form={parsed.form} token={request.params.token} />, 400);
      const outcome = await resetPassword(svc, { token: request.params.token, password: parsed.data.password });
      if (outcome === 'invalid') return invalidResetLink(request, reply);
      http.clearSessionCookie(reply);
      return sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          title="reset.done.title"
          message="reset.done.message"
          status="success"
          links={[{ href: '/connexion', label: 'layout.login' }]}
        />,
      );
    });

    // Each try guesses the current password (one argon2id run): limited per account, and a wrong one counts as a failed login.
    app.post('/compte/mot-de-passe', { preHandler: requireUser(), config: limitPerAccount('passwordChangesPerAccountPerHour') }, async (request, reply) => {
      const parsed = parseForm(changePasswordSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return http.showAccount(request, reply, { password: parsed.form }, 400);
      const outcome = await changePassword(
        svc,
        {
          userId: request.auth!.user.id,
          sessionId: request.auth!.sessionId,
          currentPassword: parsed.data.currentPassword,
          newPassword: parsed.data.newPassword,
        },
        ip(request),
      );
      if (!outcome.ok) {
        const throttled = outcome.reason === 'throttled';
        const form = withError(emptyForm(), 'currentPassword', outcome.reason === 'throttled' ? loginRefusal(reply, outcome) : { message: 'password.currentInvalid' });
        return http.showAccount(request, reply, { password: form }, throttled ? 429 : 400);
      }
      // ACC-4: this browser goes on under a new session token; every other session has ended.
      if (!outcome.sessionToken) {
        http.clearSessionCookie(reply);
        return reply.redirect('/connexion', 303);
      }
      http.setSessionCookie(reply, outcome.sessionToken, await deps.policies());
      return reply.redirect('/compte?message=passwordChanged', 303);
    });
  };
}
