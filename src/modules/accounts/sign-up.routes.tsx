import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { createBotChallenge, verifyBotcheck } from '../../platform/botcheck';
import { sendPage } from '../../platform/http';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { PASSWORD_FIELDS, type AccountHttp } from './accounts.http';
import { emailOnlySchema, signUpSchema } from './accounts.schema';
import { activateAccount, resendActivation, signUp } from './credentials.service';
import { EmailRequestPage, MessagePage, SignUpPage, TermsPage } from './views/auth';

/** Sign-up, the terms, activation and its resending (ACC-1, ACC-2, ACC-3). */
export function signUpRoutes(deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { db, secret } = deps;
  const { svc, ctx, ip, limit, returnTo } = http;

  return async (app) => {
    const showSignUp = async (request: FastifyRequest, reply: FastifyReply, form: FormState, status = 200) =>
      sendPage(reply, <SignUpPage ctx={ctx(request, reply)} form={form} challenge={await createBotChallenge(secret)} returnTo={returnTo(request)} />, status);

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

    app.get<{ Params: { token: string } }>('/activation/:token', async (request, reply) => {
      const outcome = await activateAccount(svc, request.params.token);
      if (outcome === 'activated')
        return sendPage(
          reply,
          <MessagePage
            ctx={ctx(request, reply)}
            title="activation.ok.title"
            message="activation.ok.message"
            status="success"
            links={[{ href: returnTo(request) ? `/connexion?retour=${encodeURIComponent(returnTo(request)!)}` : '/connexion', label: 'activation.continue' }]}
          />,
        );
      return sendPage(
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
    });
  };
}
