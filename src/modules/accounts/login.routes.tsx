import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { MFA_COOKIE, sendPage } from '../../platform/http';
import { emptyForm } from '../../ui/context';
import { parseForm, withError } from '../../ui/forms';
import { loginRefusal, PASSWORD_FIELDS, type AccountHttp } from './accounts.http';
import { deviceTag } from './accounts.rules';
import { loginSchema, totpSchema } from './accounts.schema';
import { authenticate, SECOND_FACTOR_WINDOW_MS, secondFactorPending, verifySecondFactor } from './credentials.service';
import { endSessionUrl } from './oidc.service';
import { endSession } from './sessions.service';
import { signInAddress } from './takeover.rules';
import { LoginPage, TotpPage } from './views/auth';

/** Login (with TOTP for staff) and logout (ACC-1, ACC-12); a login opens a server-side session. */
export function loginRoutes(deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { db } = deps;
  const { svc, ctx, ip, limit, returnTo, cookieBase } = http;

  return async (app) => {
    const { startSession } = http;

    app.get('/connexion', async (request, reply) => {
      if (request.auth) return reply.redirect(request.auth.user.role === 'learner' ? '/compte' : '/personnel', 303);
      return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={emptyForm()} returnTo={returnTo(request)} providers={http.providerButtons} />);
    });

    app.post('/connexion', { config: limit('loginAttemptsPerIpPer10Min') }, async (request, reply) => {
      const back = returnTo(request);
      const parsed = parseForm(loginSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={parsed.form} returnTo={back} providers={http.providerButtons} />, 400);
      const knownDevice = http.deviceTagOf(request) === deviceTag(signInAddress(parsed.data.email));
      const result = await authenticate(svc, { ...parsed.data, browser: request.csrfSecret(), knownDevice }, ip(request), await deps.policies());
      if (!result.ok) {
        const form = withError({ values: { email: parsed.data.email }, errors: {} }, 'email', loginRefusal(reply, result));
        return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={form} returnTo={back} providers={http.providerButtons} />, result.reason === 'throttled' ? 429 : 400);
      }
      if (result.needsSecondFactor) {
        // ACC-12: the cookie holds the random token of a step kept on the server, bound to this browser.
        reply.setCookie(MFA_COOKIE, result.pendingLogin, { ...cookieBase, maxAge: SECOND_FACTOR_WINDOW_MS / 1000 });
        return reply.redirect(back ? `/connexion/code?retour=${encodeURIComponent(back)}` : '/connexion/code', 303);
      }
      return startSession(request, reply, result.user, back);
    });

    /** The second-factor step of this browser, as its cookie and CSRF secret name it. */
    const pendingStep = (request: FastifyRequest) => ({ pendingLogin: request.cookies[MFA_COOKIE] ?? '', browser: request.csrfSecret() });

    app.get('/connexion/code', async (request, reply) => {
      if (!(await secondFactorPending(svc, pendingStep(request)))) return reply.redirect('/connexion', 303);
      return sendPage(reply, <TotpPage ctx={ctx(request, reply)} form={emptyForm()} returnTo={returnTo(request)} />);
    });

    app.post('/connexion/code', { config: limit('loginAttemptsPerIpPer10Min') }, async (request, reply) => {
      const back = returnTo(request);
      const expired = () => {
        reply.clearCookie(MFA_COOKIE, { path: '/' });
        return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={emptyForm()} notice="totp.expired" returnTo={back} />, 400);
      };
      const step = pendingStep(request);
      if (!step.pendingLogin) return expired();
      const parsed = parseForm(totpSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return sendPage(reply, <TotpPage ctx={ctx(request, reply)} form={parsed.form} returnTo={back} />, 400);
      const result = await verifySecondFactor(svc, { ...step, code: parsed.data.code, deviceTag: http.deviceTagOf(request) }, ip(request));
      if (!result.ok) {
        if (result.reason === 'expired') return expired();
        const form = withError(emptyForm(), 'code', result.reason === 'throttled' ? loginRefusal(reply, result) : { message: 'totp.invalid' });
        return sendPage(reply, <TotpPage ctx={ctx(request, reply)} form={form} returnTo={back} />, result.reason === 'throttled' ? 429 : 400);
      }
      return startSession(request, reply, result.user, back);
    });

    // ACC-13: a session opened with a provider also ends at the provider (its end-session
    // endpoint, with the ID token as id_token_hint), which sends the browser back home.
    app.post('/deconnexion', async (request, reply) => {
      const ended = request.auth ? await endSession(db, request.auth.sessionId) : undefined;
      http.clearSessionCookie(reply);
      const atProvider = ended ? await endSessionUrl(http.oidcSvc, ended) : undefined;
      return reply.redirect(atProvider ?? '/', 303);
    });
  };
}
