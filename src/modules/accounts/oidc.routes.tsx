import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { printable, type RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, withError } from '../../ui/forms';
import { loginRefusal, PASSWORD_FIELDS, type AccountHttp } from './accounts.http';
import { oidcCreateSchema, oidcEmailSchema, oidcPasswordSchema } from './accounts.schema';
import { markReauthenticated } from './identity.service';
import {
  confirmIdentityEmailLink,
  createAccountFromIdentity,
  finishOidcLogin,
  linkWithPassword,
  pendingIdentity,
  sendIdentityEmailLink,
  startOidcLogin,
  type FinishOutcome,
  type LinkOutcome,
} from './oidc.service';
import { MessagePage, LoginPage, type OidcLoginNotice } from './views/auth';
import { OidcStepPage } from './views/oidc';

/** The cookie of a sign-in with a provider in progress: a random token, its SHA-256 on the server (oidc_logins). */
export const OIDC_COOKIE = 'cursus_oidc';
const OIDC_COOKIE_SECONDS = 30 * 60;

const providerParams = z.object({ provider: z.string().regex(/^[a-z][a-z0-9]{0,19}$/) });
/** What a provider sends back: code, state, iss, or error and error_description (anything else is kept for openid-client's checks). */
const callbackQuery = z.record(z.string().max(50), printable(2000));
const startBody = z.object({ reauth: z.literal('1').optional() }).loose();

/**
 * ACC-13: sign-in with an OpenID provider: the start (a POST from the button), the callback,
 * the first sign-in's choices (link an existing account by its password or an emailed link,
 * create one, another address), and the re-authentication of a signed-in learner (ACC-11).
 */
export function oidcRoutes(deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { db } = deps;
  const { oidcSvc, ctx, ip, limit, returnTo, cookieBase } = http;
  const labelOf = (name: string) => oidcSvc.clients.get(name)?.provider.label ?? name;

  const loginPage = (request: FastifyRequest, reply: FastifyReply, notice: OidcLoginNotice, status: number) =>
    sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={emptyForm()} returnTo={returnTo(request)} providers={http.providerButtons} oidcNotice={notice} />, status);

  const browserOf = (request: FastifyRequest) => ({ token: request.cookies[OIDC_COOKIE] ?? '', browser: request.csrfSecret() });

  /** A link made or an account created: the session, with the provider's ID token for the logout. */
  const signedIn = async (request: FastifyRequest, reply: FastifyReply, result: Extract<LinkOutcome, { ok: true }>) => {
    reply.clearCookie(OIDC_COOKIE, { path: '/' });
    return http.startSession(request, reply, result.user, result.returnTo, { provider: result.provider, idToken: result.idToken });
  };

  return async (app) => {
    app.post<{ Params: z.output<typeof providerParams> }>(
      '/connexion/oidc/:provider',
      { schema: { params: providerParams }, config: limit('loginAttemptsPerIpPer10Min') },
      async (request, reply) => {
        const { provider } = request.params;
        if (!oidcSvc.clients.get(provider)) return reply.callNotFound();
        const reauth = startBody.safeParse(request.body).data?.reauth === '1';
        if (reauth && request.auth?.user.role !== 'learner') return reply.redirect('/connexion', 303);
        const started = await startOidcLogin(oidcSvc, {
          provider,
          browser: request.csrfSecret(),
          returnTo: returnTo(request),
          reauthUserId: reauth ? request.auth!.user.id : undefined,
        });
        if (!started.ok) {
          if (started.reason === 'unknown_provider') return reply.callNotFound();
          const message: MessageKey = started.reason === 'not_linked' ? 'oidc.reauthMismatch' : 'oidc.unavailable';
          if (reauth) return sendPage(reply, <MessagePage ctx={ctx(request, reply)} title="login.title" message={message} params={{ provider: labelOf(provider) }} />, 503);
          return loginPage(request, reply, { message, params: { provider: labelOf(provider) } }, 503);
        }
        reply.setCookie(OIDC_COOKIE, started.token, { ...cookieBase, maxAge: OIDC_COOKIE_SECONDS });
        return reply.redirect(started.url, 303);
      },
    );

    app.get<{ Params: z.output<typeof providerParams>; Querystring: Record<string, string> }>(
      '/connexion/oidc/:provider/retour',
      { schema: { params: providerParams, querystring: callbackQuery } },
      async (request, reply) => {
        const { provider } = request.params;
        if (!oidcSvc.clients.get(provider)) return reply.callNotFound();
        const result = await finishOidcLogin(oidcSvc, { provider, ...browserOf(request), query: request.query }, (detail) =>
          request.log.warn({ provider, detail }, 'oidc: sign-in refused'),
        );
        return afterCallback(request, reply, provider, result);
      },
    );

    async function afterCallback(request: FastifyRequest, reply: FastifyReply, provider: string, result: FinishOutcome) {
      const params = { provider: labelOf(provider) };
      switch (result.outcome) {
        case 'signed_in':
          reply.clearCookie(OIDC_COOKIE, { path: '/' });
          return http.startSession(request, reply, result.user, result.returnTo, { provider, idToken: result.idToken });
        case 'reauthenticated':
          reply.clearCookie(OIDC_COOKIE, { path: '/' });
          if (!request.auth || request.auth.user.id !== result.userId)
            return sendPage(reply, <MessagePage ctx={ctx(request, reply)} title="login.title" message="oidc.reauthMismatch" params={params} />, 403);
          await markReauthenticated(db, deps.clock, request.auth.sessionId);
          return reply.redirect(result.returnTo ?? '/compte', 303);
        case 'choose':
          return reply.redirect('/connexion/oidc/suite', 303);
        case 'provider_error':
          reply.clearCookie(OIDC_COOKIE, { path: '/' });
          return loginPage(
            request,
            reply,
            { message: result.error === 'access_denied' ? 'oidc.cancelled' : 'oidc.providerError', params, detail: result.error === 'access_denied' ? undefined : result.description, provider: params.provider },
            result.error === 'access_denied' ? 200 : 400,
          );
        case 'unavailable':
          return loginPage(request, reply, { message: 'oidc.unavailable', params }, 503);
        case 'staff':
          return loginPage(request, reply, { message: 'oidc.staff', params }, 403);
        case 'account_disabled':
          return loginPage(request, reply, { message: 'oidc.disabled', params }, 403);
        case 'reauth_mismatch':
          return sendPage(reply, <MessagePage ctx={ctx(request, reply)} title="login.title" message="oidc.reauthMismatch" params={params} />, 403);
        case 'refused':
          return loginPage(request, reply, { message: 'oidc.refused', params }, 400);
        case 'expired':
          return loginPage(request, reply, { message: 'oidc.expired', params }, 400);
      }
    }

    /** The choice after a first sign-in, or the login page when nothing waits in this browser. */
    const showStep = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200, notice?: MessageKey) => {
      const step = await pendingIdentity(oidcSvc, browserOf(request));
      if (!step) return loginPage(request, reply, { message: 'oidc.expired', params: { provider: '' } }, 400);
      return sendPage(reply, <OidcStepPage ctx={ctx(request, reply)} step={step} label={labelOf(step.provider)} form={form} notice={notice} />, status);
    };

    app.get('/connexion/oidc/suite', async (request, reply) => showStep(request, reply));

    app.post('/connexion/oidc/suite/mot-de-passe', { config: limit('loginAttemptsPerIpPer10Min') }, async (request, reply) => {
      const parsed = parseForm(oidcPasswordSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return showStep(request, reply, parsed.form, 400);
      const result = await linkWithPassword(oidcSvc, { ...browserOf(request), password: parsed.data.password }, ip(request));
      if (result.ok) return signedIn(request, reply, result);
      if (result.reason === 'throttled') return showStep(request, reply, withError(emptyForm(), 'password', loginRefusal(reply, result)), 429);
      if (result.reason === 'wrong_password') return showStep(request, reply, withError(emptyForm(), 'password', { message: 'oidc.step.wrongPassword' }), 400);
      return showStep(request, reply, undefined, 400);
    });

    app.post('/connexion/oidc/suite/lien', { config: limit('resetRequestsPerIpPer10Min') }, async (request, reply) => {
      const step = await pendingIdentity(oidcSvc, browserOf(request));
      if (step?.step === 'unverified') {
        const parsed = parseForm(oidcEmailSchema.required(), request.body);
        if (!parsed.ok) return showStep(request, reply, parsed.form, 400);
        await sendIdentityEmailLink(oidcSvc, { ...browserOf(request), email: parsed.data.email, locale: request.locale }, ip(request));
      } else await sendIdentityEmailLink(oidcSvc, { ...browserOf(request), locale: request.locale }, ip(request));
      return reply.redirect('/connexion/oidc/suite', 303);
    });

    app.post('/connexion/oidc/suite/creer', { config: limit('signupsPerIpPer10Min') }, async (request, reply) => {
      const parsed = parseForm(oidcCreateSchema, request.body);
      if (!parsed.ok) return showStep(request, reply, parsed.form, 400);
      const result = await createAccountFromIdentity(oidcSvc, { ...browserOf(request), newsOptIn: parsed.data.news, locale: request.locale }, ip(request));
      if (result.ok) return signedIn(request, reply, result);
      return showStep(request, reply, undefined, 409, result.reason === 'exists' ? 'oidc.step.exists' : undefined);
    });

    app.get<{ Params: { token: string } }>('/connexion/oidc/lien/:token', { schema: { params: z.object({ token: printable(100) }) } }, async (request, reply) => {
      const result = await confirmIdentityEmailLink(oidcSvc, { emailToken: request.params.token, ...browserOf(request), locale: request.locale }, ip(request));
      if (result.ok) return signedIn(request, reply, result);
      const message: MessageKey = result.reason === 'other_browser' ? 'oidc.step.otherBrowser' : result.reason === 'exists' ? 'oidc.step.exists' : 'oidc.step.linkExpired';
      return sendPage(
        reply,
        <MessagePage ctx={ctx(request, reply)} title="oidc.step.sentTitle" message={message} links={[{ href: '/connexion', label: 'layout.login' }]} />,
        result.reason === 'other_browser' ? 400 : 410,
      );
    });
  };
}
