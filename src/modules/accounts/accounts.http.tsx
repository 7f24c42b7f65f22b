import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../../platform/routes';
import { LANG_COOKIE, MFA_COOKIE, pageContext, safeReturnPath, sendPage, SESSION_COOKIE } from '../../platform/http';
import { isLocale } from '../../platform/i18n';
import type { MessageKey } from '../../platform/i18n';
import type { FieldError } from '../../ui/context';
import { deviceTag } from './accounts.rules';

/** ACC-1: the device cookie (see deviceTagOf). */
export const DEVICE_COOKIE = 'cursus_device';
import type { Policies } from '../../platform/policies';
import { getLearnerProfile, pendingNameChange } from './record.service';
import { oidcClients } from './oidc.client';
import { createSession, listSessions } from './sessions.service';
import type { User } from './users.service';
import { passwordSignIn, type SignInHow } from './sign-ins.service';
import { AccountPage, type AccountForms } from './views/account';
import { accountLinks } from './ports';

/** What the accounts' route files share: form fields never sent back, limits, cookies, the account page. */

export const PASSWORD_FIELDS = ['password', 'passwordConfirm', 'currentPassword', 'newPassword', 'newPasswordConfirm', 'code', 'altcha'];
const TEN_MINUTES = 600_000;
const ONE_HOUR = 3_600_000;

const accountFlashes = ['contactSaved', 'nameChangeSent', 'emailChangeSent', 'passwordChanged', 'sessionsEnded', 'recordSaved'] as const;
export type AccountFlash = (typeof accountFlashes)[number];
const flashKeys: Record<AccountFlash, MessageKey> = {
  contactSaved: 'account.contactSaved',
  nameChangeSent: 'account.nameChangeSent',
  emailChangeSent: 'account.emailChangeSent',
  passwordChanged: 'account.passwordChanged',
  sessionsEnded: 'account.sessionsEnded',
  recordSaved: 'record.saved',
};
const flashQuery = z.object({ message: z.enum(accountFlashes).optional() });
/** `?retour=`: a page of this site to come back to (the course sheet a visitor came from). */
const returnQuery = z.object({ retour: z.string().optional() });

export function accountHttp(deps: RouteDeps) {
  const { db, clock, config, devTools } = deps;
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.production };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);

  // ACC-13: the providers' clients, their discovery cached for the app's life.
  const clients = oidcClients(config.oidc, config.baseUrl);
  const http = {
    svc: { db, clock, baseUrl: config.baseUrl },
    /** ACC-13: the account services with the providers' clients. */
    oidcSvc: { db, clock, baseUrl: config.baseUrl, clients },
    /** ACC-13: the providers' buttons of the login and sign-up pages. */
    providerButtons: config.oidc.providers.map((p) => ({ name: p.name, kind: p.kind, label: p.label })),
    cookieBase,
    ctx,
    ip: (request: FastifyRequest) => request.ip,

    /** Per-address limit on a public form, counted in PostgreSQL (shared by every process). */
    limit: (
      policy: 'loginAttemptsPerIpPer10Min' | 'signupsPerIpPer10Min' | 'resetRequestsPerIpPer10Min' | 'activationResendsPerIpPer10Min' | 'recordSubmissionsPerIpPer10Min',
    ) => ({
      rateLimit: { max: async () => (await deps.policies())[policy], timeWindow: TEN_MINUTES },
    }),

    /**
     * Per-account limit on a form of the account pages, counted like `limit`. It runs after the
     * route's `requireUser` (preHandler), so the key is the logged-in account.
     */
    limitPerAccount: (policy: 'emailChangesPerAccountPerHour' | 'passwordChangesPerAccountPerHour' | 'recordSubmissionsPerAccountPerHour') => ({
      rateLimit: {
        hook: 'preHandler' as const,
        max: async () => (await deps.policies())[policy],
        timeWindow: ONE_HOUR,
        keyGenerator: (request: FastifyRequest) => `account:${request.auth?.user.id ?? request.ip}`,
      },
    }),

    returnTo: (request: FastifyRequest) => {
      const q = returnQuery.safeParse(request.query);
      return q.success ? safeReturnPath(q.data.retour) : undefined;
    },

    /** The login session's cookie: its token only, for as long as a session may last; a new session, a new CSRF secret. */
    /**
     * ACC-1: this browser's device cookie (signed: it cannot be made up) names the account that
     * logged in here last: its logins are not slowed by guesses made from elsewhere (decision 009).
     */
    deviceTagOf: (request: FastifyRequest): string | null => {
      const raw = request.cookies[DEVICE_COOKIE];
      const unsigned = raw ? request.unsignCookie(raw) : null;
      return unsigned?.valid && unsigned.value ? unsigned.value : null;
    },
    setDeviceCookie: (reply: FastifyReply, email: string) => {
      reply.setCookie(DEVICE_COOKIE, deviceTag(email), { ...cookieBase, signed: true, maxAge: 31_536_000 });
    },

    setSessionCookie: (reply: FastifyReply, token: string, policies: Policies) => {
      reply.setCookie(SESSION_COOKIE, token, { ...cookieBase, maxAge: policies.sessionMaxHours * 3600 });
      reply.renewCsrfSecret();
    },

    /** This browser is logged out: no session cookie, and a new CSRF secret. */
    clearSessionCookie: (reply: FastifyReply) => {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.renewCsrfSecret();
    },

    /** The account page (ACC-8, sessions), with the forms as given (one of them with its errors). */
    async showAccount(request: FastifyRequest, reply: FastifyReply, forms: AccountForms = {}, status = 200) {
      const { user, sessionId } = request.auth!;
      const [profile, pendingName, sessions, policies, links] = await Promise.all([
        getLearnerProfile(db, user.id),
        pendingNameChange(db, user.id),
        listSessions({ db, clock }, user.id),
        deps.policies(),
        user.role === 'learner' ? accountLinks.ask(db, { learnerId: user.id, profile: config.profile }) : [],
      ]);
      const flash = status === 200 ? flashQuery.safeParse(request.query).data?.message : undefined;
      return sendPage(
        reply,
        <AccountPage
          ctx={ctx(request, reply)}
          email={user.email}
          profile={profile}
          pendingNameChange={pendingName}
          sessions={sessions}
          currentSessionId={sessionId}
          links={links}
          forms={forms}
          flash={flash ? flashKeys[flash] : undefined}
          flashParams={{ hours: policies.emailChangeLinkHours }}
        />,
        status,
      );
    },
  };

  /**
   * ACC-1, ACC-12: a login is complete (the password, then the code for staff; or an activation):
   * a server session and its sign-in log row, this browser's device cookie, the
   * account's language, and where to go (termsGate asks for new terms first).
   */
  async function startSession(request: FastifyRequest, reply: FastifyReply, user: User, back?: string, identity?: { provider: string; idToken: string }) {
    const policies = await deps.policies();
    const signIn: SignInHow = identity ? { method: 'provider', provider: identity.provider } : passwordSignIn(user);
    const token = await createSession(http.svc, { userId: user.id, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, signIn, identity }, policies);
    http.setSessionCookie(reply, token, policies);
    http.setDeviceCookie(reply, user.email);
    reply.clearCookie(MFA_COOKIE, { path: '/' });
    if (isLocale(user.locale)) reply.setCookie(LANG_COOKIE, user.locale, { path: '/', sameSite: 'lax', maxAge: 31_536_000 });
    if (user.role !== 'learner') return reply.redirect(back ?? '/personnel', 303);
    const profile = await getLearnerProfile(db, user.id);
    if (profile) return reply.redirect(back ?? '/compte', 303);
    return reply.redirect(back ? `/compte/fiche?retour=${encodeURIComponent(back)}` : '/compte/fiche', 303);
  }

  return { ...http, startSession };
}
export type AccountHttp = ReturnType<typeof accountHttp>;

/** ACC-1: the message of a refused login or current password; a wait is said in minutes, with Retry-After. */
export function loginRefusal(reply: FastifyReply, result: { reason: 'invalid' | 'not_activated' } | { reason: 'throttled'; retryAfterSeconds: number }): FieldError {
  if (result.reason !== 'throttled') return { message: result.reason === 'not_activated' ? 'login.notActivated' : 'login.invalid' };
  reply.header('retry-after', String(result.retryAfterSeconds));
  return { message: 'login.throttled', params: { minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) } };
}
