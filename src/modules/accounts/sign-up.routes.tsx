import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { createBotChallenge, verifyBotcheck } from '../../platform/botcheck';
import { sendPage } from '../../platform/http';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { loginRefusal, PASSWORD_FIELDS, type AccountHttp } from './accounts.http';
import { activationSchema, emailOnlySchema, resetPasswordSchema, signUpSchema } from './accounts.schema';
import { activateAssistedAccount, activationSetsPassword } from './assisted.service';
import { activateAccount, resendActivation, signUp } from './credentials.service';
import { tokenStillUsable } from './links';
import { ActivationPage, EmailRequestPage, MessagePage, SignUpPage, TermsPage } from './views/auth';
import { AssistedActivationPage } from './views/takeover';

/** Sign-up, the terms, activation and its resending (ACC-1, ACC-2, ACC-3). */
export function signUpRoutes(deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { db, secret } = deps;
  const { svc, ctx, ip, limit, returnTo } = http;

  return async (app) => {
    const showSignUp = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) =>
      sendPage(reply, <SignUpPage ctx={ctx(request, reply)} form={form} challenge={await createBotChallenge(secret)} returnTo={returnTo(request)} providers={http.providerButtons} />, status);

    app.get('/inscription', async (request, reply) => showSignUp(request, reply, emptyForm()));

    app.post('/inscription', { config: limit('signupsPerIpPer10Min') }, async (request, reply) => {
      const parsed = parseForm(signUpSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return showSignUp(request, reply, parsed.form, 400);
      const human = await verifyBotcheck(db, secret, parsed.data);
      if (!human) {
        const form = withError({ values: typedValues(request.body, PASSWORD_FIELDS), errors: {} }, 'botcheckAnswer', {
          message: 'botcheck.failed',
        });
        return showSignUp(request, reply, form, 400);
      }
      await signUp(
        svc,
        {
          email: parsed.data.email,
          password: parsed.data.password,
          mobilePhone: parsed.data.mobilePhone,
          newsOptIn: parsed.data.news,
          locale: request.locale,
          returnTo: returnTo(request),
        },
        ip(request),
      );
      const policies = await deps.policies();
      return sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          title="signup.done.title"
          message="signup.done.message"
          params={{ email: parsed.data.email.trim(), hours: policies.activationLinkHours }}
          extra="signup.done.spam"
          links={[{ href: '/activation/renvoyer', label: 'signup.done.resend' }]}
        />,
      );
    });

    app.get('/conditions', async (request, reply) => sendPage(reply, <TermsPage ctx={ctx(request, reply)} />));

    app.get('/activation/renvoyer', async (request, reply) =>
      sendPage(
        reply,
        <EmailRequestPage ctx={ctx(request, reply)} form={emptyForm()} action="/activation/renvoyer" title="resend.title" intro="resend.intro" submit="resend.submit" />,
      ),
    );
    app.post('/activation/renvoyer', { config: limit('activationResendsPerIpPer10Min') }, async (request, reply) => {
      const parsed = parseForm(emailOnlySchema, request.body);
      if (!parsed.ok)
        return sendPage(
          reply,
          <EmailRequestPage ctx={ctx(request, reply)} form={parsed.form} action="/activation/renvoyer" title="resend.title" intro="resend.intro" submit="resend.submit" />,
          400,
        );
      await resendActivation(svc, parsed.data.email, ip(request));
      return sendPage(reply, <MessagePage ctx={ctx(request, reply)} title="resend.done.title" message="resend.done.message" extra="signup.done.spam" />);
    });

    const invalidLink = (request: FastifyRequest, reply: FastifyReply) =>
      sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          title="activation.invalid.title"
          message="activation.invalid.message"
          links={[
            { href: '/connexion', label: 'layout.login' },
            { href: '/activation/renvoyer', label: 'signup.done.resend' },
          ]}
        />,
        410,
      );
    const activationAction = (request: FastifyRequest<{ Params: { token: string } }>) => {
      const back = returnTo(request);
      return `/activation/${encodeURIComponent(request.params.token)}${back ? `?retour=${encodeURIComponent(back)}` : ''}`;
    };

    // ACC-3: the link shows a form; the password chosen at sign-up activates and logs in.
    // SVC-5: the link of an account made at a help desk asks for a new password instead.
    app.get<{ Params: { token: string } }>('/activation/:token', async (request, reply) => {
      if (!(await tokenStillUsable(db, svc.clock, request.params.token, 'activation'))) return invalidLink(request, reply);
      if (await activationSetsPassword(svc, request.params.token))
        return sendPage(reply, <AssistedActivationPage ctx={ctx(request, reply)} form={emptyForm()} action={activationAction(request)} />);
      return sendPage(reply, <ActivationPage ctx={ctx(request, reply)} form={emptyForm()} action={activationAction(request)} />);
    });

    app.post<{ Params: { token: string } }>('/activation/:token', { config: limit('loginAttemptsPerIpPer10Min') }, async (request, reply) => {
      if (await activationSetsPassword(svc, request.params.token)) {
        const chosen = parseForm(resetPasswordSchema, request.body, { omit: PASSWORD_FIELDS });
        if (!chosen.ok) return sendPage(reply, <AssistedActivationPage ctx={ctx(request, reply)} form={chosen.form} action={activationAction(request)} />, 400);
        const taken = await activateAssistedAccount(svc, { token: request.params.token, password: chosen.data.password }, ip(request));
        return taken.ok ? http.startSession(request, reply, taken.user, returnTo(request)) : invalidLink(request, reply);
      }
      const parsed = parseForm(activationSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return sendPage(reply, <ActivationPage ctx={ctx(request, reply)} form={parsed.form} action={activationAction(request)} />, 400);
      const result = await activateAccount(svc, { token: request.params.token, password: parsed.data.password }, ip(request));
      if (result.outcome === 'activated') return http.startSession(request, reply, result.user, returnTo(request));
      if (result.outcome === 'invalid') return invalidLink(request, reply);
      const error = result.outcome === 'throttled' ? loginRefusal(reply, { reason: 'throttled', retryAfterSeconds: result.retryAfterSeconds }) : { message: 'activation.form.wrong' as const };
      const form = withError(emptyForm(), 'password', error);
      return sendPage(reply, <ActivationPage ctx={ctx(request, reply)} form={form} action={activationAction(request)} />, result.outcome === 'throttled' ? 429 : 400);
    });
  };
}
