import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { printable, type RouteDeps } from '../../platform/routes';
import { createBotChallenge, verifyBotcheck } from '../../platform/botcheck';
import { MFA_COOKIE, pageContext, requireUser, safeReturnPath, sendPage, SESSION_COOKIE, LANG_COOKIE } from '../../platform/http';
import { isLocale, locales, type MessageKey } from '../../platform/i18n';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { parisDay } from './accounts.rules';
import {
  changePasswordSchema,
  contactSchema,
  emailChangeSchema,
  emailOnlySchema,
  learnerRecordSchema,
  loginSchema,
  nameChangeSchema,
  resetPasswordSchema,
  signUpSchema,
  totpSchema,
} from './accounts.schema';
import * as accounts from './accounts.service';
import { AccountPage, LearnerRecordPage, type AccountForms } from './views/account';
import { EmailRequestPage, LoginPage, MessagePage, ResetPasswordPage, SignUpPage, TermsPage, TotpPage } from './views/auth';

const PASSWORD_FIELDS = ['password', 'passwordConfirm', 'currentPassword', 'newPassword', 'newPasswordConfirm', 'code', 'altcha'];
const TEN_MINUTES = 600_000;
const MFA_WINDOW_MS = 5 * 60_000;

const accountFlashes = ['contactSaved', 'nameChangeSent', 'emailChangeSent', 'passwordChanged', 'sessionsEnded', 'recordSaved'] as const;
const flashKeys: Record<(typeof accountFlashes)[number], MessageKey> = {
  contactSaved: 'account.contactSaved',
  nameChangeSent: 'account.nameChangeSent',
  emailChangeSent: 'account.emailChangeSent',
  passwordChanged: 'account.passwordChanged',
  sessionsEnded: 'account.sessionsEnded',
  recordSaved: 'record.saved',
};

/**
 * Accounts: sign-up, activation, login (with TOTP for staff), logout, forgotten password,
 * learner record and the account page. SPEC ACC-1 to ACC-8, ACC-12.
 */
export function accountRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, secret, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.production };

  /** Per-address limit on a public form, counted in PostgreSQL (shared by every process). */
  const limit = (policy: 'loginAttemptsPerIpPer10Min' | 'signupsPerIpPer10Min' | 'resetRequestsPerIpPer10Min' | 'activationResendsPerIpPer10Min') => ({
    rateLimit: { max: async () => (await deps.policies())[policy], timeWindow: TEN_MINUTES },
  });

  return async (app) => {
    const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
    const ip = (request: FastifyRequest) => request.ip;
    /** `?retour=`: a page of this site to come back to (the course sheet a visitor came from). */
    const returnQuery = z.object({ retour: z.string().optional() });
    const returnTo = (request: FastifyRequest) => {
      const q = returnQuery.safeParse(request.query);
      return q.success ? safeReturnPath(q.data.retour) : undefined;
    };

    async function startSession(request: FastifyRequest, reply: FastifyReply, user: accounts.User, returnTo?: string) {
      const policies = await deps.policies();
      const token = await accounts.createSession(
        svc,
        { userId: user.id, ip: ip(request), userAgent: request.headers['user-agent'] ?? null },
        policies,
      );
      reply.setCookie(SESSION_COOKIE, token, { ...cookieBase, maxAge: policies.sessionMaxHours * 3600 });
      reply.clearCookie(MFA_COOKIE, { path: '/' });
      if (isLocale(user.locale)) reply.setCookie(LANG_COOKIE, user.locale, { path: '/', sameSite: 'lax', maxAge: 31_536_000 });
      if (user.role !== 'learner') return reply.redirect(returnTo ?? '/personnel', 303);
      const profile = await accounts.getLearnerProfile(db, user.id);
      if (profile) return reply.redirect(returnTo ?? '/compte', 303);
      return reply.redirect(returnTo ? `/compte/fiche?retour=${encodeURIComponent(returnTo)}` : '/compte/fiche', 303);
    }

    // ---- Sign-up (ACC-1, ACC-2, ACC-3) -------------------------------------------------------
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
      await accounts.signUp(
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

    // ---- Activation (ACC-3) ---------------------------------------------------------------------
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
      await accounts.resendActivation(svc, parsed.data.email, ip(request));
      return sendPage(reply, <MessagePage ctx={ctx(request, reply)} title="resend.done.title" message="resend.done.message" extra="signup.done.spam" />);
    });

    app.get<{ Params: { token: string } }>('/activation/:token', async (request, reply) => {
      const outcome = await accounts.activateAccount(svc, request.params.token);
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

    // ---- Login, second factor, logout (ACC-1, ACC-12) ---------------------------------------

    app.get('/connexion', async (request, reply) => {
      if (request.auth) return reply.redirect(request.auth.user.role === 'learner' ? '/compte' : '/personnel', 303);
      return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={emptyForm()} returnTo={returnTo(request)} />);
    });

    app.post('/connexion', { config: limit('loginAttemptsPerIpPer10Min') }, async (request, reply) => {
      const back = returnTo(request);
      const parsed = parseForm(loginSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={parsed.form} returnTo={back} />, 400);
      const result = await accounts.authenticate(svc, parsed.data, ip(request), await deps.policies());
      if (!result.ok) {
        const message: MessageKey =
          result.reason === 'throttled' ? 'login.throttled' : result.reason === 'not_activated' ? 'login.notActivated' : 'login.invalid';
        const form = withError({ values: { email: parsed.data.email }, errors: {} }, 'email', { message });
        return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={form} returnTo={back} />, result.reason === 'throttled' ? 429 : 400);
      }
      if (result.needsSecondFactor) {
        const pending = `${result.user.id}.${clock.now().getTime() + MFA_WINDOW_MS}`;
        reply.setCookie(MFA_COOKIE, pending, { ...cookieBase, signed: true, maxAge: MFA_WINDOW_MS / 1000 });
        return reply.redirect(back ? `/connexion/code?retour=${encodeURIComponent(back)}` : '/connexion/code', 303);
      }
      return startSession(request, reply, result.user, back);
    });

    /** The user id waiting for its second factor, from the signed short-lived cookie. */
    const pendingSecondFactor = (request: FastifyRequest): string | null => {
      const raw = request.cookies[MFA_COOKIE];
      if (!raw) return null;
      const unsigned = request.unsignCookie(raw);
      if (!unsigned.valid || !unsigned.value) return null;
      const [userId, until] = unsigned.value.split('.');
      return Number(until) > clock.now().getTime() ? userId : null;
    };

    app.get('/connexion/code', async (request, reply) => {
      if (!pendingSecondFactor(request)) return reply.redirect('/connexion', 303);
      return sendPage(reply, <TotpPage ctx={ctx(request, reply)} form={emptyForm()} returnTo={returnTo(request)} />);
    });

    app.post('/connexion/code', { config: limit('loginAttemptsPerIpPer10Min') }, async (request, reply) => {
      const back = returnTo(request);
      const userId = pendingSecondFactor(request);
      if (!userId)
        return sendPage(reply, <LoginPage ctx={ctx(request, reply)} form={emptyForm()} notice="totp.expired" returnTo={back} />, 400);
      const parsed = parseForm(totpSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return sendPage(reply, <TotpPage ctx={ctx(request, reply)} form={parsed.form} returnTo={back} />, 400);
      const result = await accounts.verifySecondFactor(svc, { userId, code: parsed.data.code }, ip(request));
      if (!result.ok) {
        const form = withError(emptyForm(), 'code', { message: result.reason === 'throttled' ? 'login.throttled' : 'totp.invalid' });
        return sendPage(reply, <TotpPage ctx={ctx(request, reply)} form={form} returnTo={back} />, result.reason === 'throttled' ? 429 : 400);
      }
      return startSession(request, reply, result.user, back);
    });

    app.post('/deconnexion', async (request, reply) => {
      if (request.auth) await accounts.endSession(db, request.auth.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.redirect('/', 303);
    });

    // ---- Forgotten password (ACC-4) -------------------------------------------------------------
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
      await accounts.requestPasswordReset(svc, parsed.data.email, ip(request));
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
      if (!(await accounts.resetTokenUsable(svc, request.params.token))) return invalidResetLink(request, reply);
      return sendPage(reply, <ResetPasswordPage ctx={ctx(request, reply)} form={emptyForm()} token={request.params.token} />);
    });

    app.post<{ Params: { token: string } }>('/mot-de-passe/:token', { config: limit('resetRequestsPerIpPer10Min') }, async (request, reply) => {
      reply.header('referrer-policy', 'no-referrer');
      const parsed = parseForm(resetPasswordSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok)
        return sendPage(reply, <ResetPasswordPage ctx={ctx(request, reply)} form={parsed.form} token={request.params.token} />, 400);
      const outcome = await accounts.resetPassword(svc, { token: request.params.token, password: parsed.data.password });
      if (outcome === 'invalid') return invalidResetLink(request, reply);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
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

    // ---- Learner record (ACC-5, ACC-6) ------------------------------------------------------------
    const recordSchema = async () => learnerRecordSchema({ today: parisDay(clock.now()), minimumAge: (await deps.policies()).minimumAge });

    app.get('/compte/fiche', { preHandler: requireUser('learner') }, async (request, reply) => {
      if (await accounts.getLearnerProfile(db, request.auth!.user.id)) return reply.redirect('/compte', 303);
      const mobile = request.auth!.user.mobilePhone;
      return sendPage(reply, <LearnerRecordPage ctx={ctx(request, reply)} form={emptyForm({ mobilePhone: mobile ?? undefined })} returnTo={returnTo(request)} />);
    });

    app.post('/compte/fiche', { preHandler: requireUser('learner') }, async (request, reply) => {
      const parsed = parseForm(await recordSchema(), request.body);
      if (!parsed.ok) return sendPage(reply, <LearnerRecordPage ctx={ctx(request, reply)} form={parsed.form} returnTo={returnTo(request)} />, 400);
      const outcome = await accounts.createLearnerRecord(svc, { userId: request.auth!.user.id, record: parsed.data });
      if (outcome === 'duplicate_person') {
        const form = { values: typedValues(request.body), errors: {} };
        return sendPage(reply, <LearnerRecordPage ctx={ctx(request, reply)} form={form} duplicate returnTo={returnTo(request)} />, 409);
      }
      return reply.redirect(returnTo(request) ?? '/compte?message=recordSaved', 303);
    });

    // ---- Account page (ACC-8, sessions) ---------------------------------------------------------
    const flashQuery = z.object({ message: z.enum(accountFlashes).optional() });

    async function showAccount(request: FastifyRequest, reply: FastifyReply, forms: AccountForms = {}, status = 200) {
      const { user, sessionId } = request.auth!;
      const [profile, pendingName, sessions, policies] = await Promise.all([
        accounts.getLearnerProfile(db, user.id),
        accounts.pendingNameChange(db, user.id),
        accounts.listSessions(svc, user.id),
        deps.policies(),
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
          forms={forms}
          flash={flash ? flashKeys[flash] : undefined}
          flashParams={{ hours: policies.emailChangeLinkHours }}
        />,
        status,
      );
    }

    app.get('/compte', { preHandler: requireUser() }, async (request, reply) => {
      if (request.auth!.user.role !== 'learner') return reply.redirect('/personnel', 303);
      return showAccount(request, reply);
    });

    app.post('/compte/coordonnees', { preHandler: requireUser('learner') }, async (request, reply) => {
      const parsed = parseForm(contactSchema, request.body);
      if (!parsed.ok) return showAccount(request, reply, { contact: parsed.form }, 400);
      if (!(await accounts.getLearnerProfile(db, request.auth!.user.id))) return reply.redirect('/compte/fiche', 303);
      await accounts.updateContactDetails(svc, { userId: request.auth!.user.id, contact: parsed.data });
      return reply.redirect('/compte?message=contactSaved', 303);
    });

    app.post('/compte/nom', { preHandler: requireUser('learner') }, async (request, reply) => {
      const parsed = parseForm(nameChangeSchema, request.body);
      if (!parsed.ok) return showAccount(request, reply, { nameChange: parsed.form }, 400);
      await accounts.requestNameChange(svc, { userId: request.auth!.user.id, ...parsed.data });
      return reply.redirect('/compte?message=nameChangeSent', 303);
    });

    app.post('/compte/adresse', { preHandler: requireUser() }, async (request, reply) => {
      const parsed = parseForm(emailChangeSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return showAccount(request, reply, { emailChange: parsed.form }, 400);
      const outcome = await accounts.requestEmailChange(svc, { userId: request.auth!.user.id, ...parsed.data });
      if (outcome !== 'sent') {
        const form = withError(
          { values: { newEmail: parsed.data.newEmail }, errors: {} },
          outcome === 'same_email' ? 'newEmail' : 'currentPassword',
          { message: outcome === 'same_email' ? 'email.same' : 'password.currentInvalid' },
        );
        return showAccount(request, reply, { emailChange: form }, 400);
      }
      return reply.redirect('/compte?message=emailChangeSent', 303);
    });

    app.get<{ Params: { token: string } }>('/compte/adresse/:token', async (request, reply) => {
      const outcome = await accounts.confirmEmailChange(svc, request.params.token);
      if (!outcome.ok)
        return sendPage(
          reply,
          <MessagePage ctx={ctx(request, reply)} title="account.emailChangeInvalid.title" message="account.emailChangeInvalid.message" />,
          410,
        );
      return sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          title="account.emailChanged.title"
          message="account.emailChanged.message"
          params={{ email: outcome.email }}
          status="success"
          links={[{ href: '/compte', label: 'layout.account' }]}
        />,
      );
    });

    app.post('/compte/mot-de-passe', { preHandler: requireUser() }, async (request, reply) => {
      const parsed = parseForm(changePasswordSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return showAccount(request, reply, { password: parsed.form }, 400);
      const outcome = await accounts.changePassword(svc, {
        userId: request.auth!.user.id,
        sessionId: request.auth!.sessionId,
        currentPassword: parsed.data.currentPassword,
        newPassword: parsed.data.newPassword,
      });
      if (outcome === 'wrong_password')
        return showAccount(request, reply, { password: withError(emptyForm(), 'currentPassword', { message: 'password.currentInvalid' }) }, 400);
      return reply.redirect('/compte?message=passwordChanged', 303);
    });

    app.post<{ Params: { id: string } }>('/compte/sessions/:id/fermer', { preHandler: requireUser() }, async (request, reply) => {
      await accounts.endUserSession(svc, { userId: request.auth!.user.id, sessionId: request.params.id });
      return reply.redirect('/compte?message=sessionsEnded', 303);
    });

    app.post('/compte/sessions/fermer-autres', { preHandler: requireUser() }, async (request, reply) => {
      await accounts.endOtherSessions(svc, { userId: request.auth!.user.id, keepSessionId: request.auth!.sessionId });
      return reply.redirect('/compte?message=sessionsEnded', 303);
    });

    // ---- Language switch (SVC-4) --------------------------------------------------------------------
    const localeParams = z.object({ locale: z.enum(locales) });
    const backQuery = z.object({ retour: printable(500).optional() });
    app.get<{ Params: z.output<typeof localeParams>; Querystring: z.output<typeof backQuery> }>('/langue/:locale', { schema: { params: localeParams, querystring: backQuery } }, async (request, reply) => {
      const { locale } = request.params;
      reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31_536_000, secure: config.production });
      if (request.auth) await accounts.setLocale(db, request.auth.user.id, locale);
      const back = safeReturnPath(request.query.retour) ?? '/';
      return reply.redirect(back, 303);
    });
  };
}
