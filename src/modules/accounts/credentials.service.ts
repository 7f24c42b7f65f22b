import { and, eq, gt, lte, ne } from 'drizzle-orm';
import { verify as verifyTotpCode } from 'otplib';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { Locale } from '../../platform/i18n';
import { queueEmail } from '../../platform/outbox';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../platform/passwords';
import { getPolicies, type Policies } from '../../platform/policies';
import { deviceTag, normaliseEmail } from './accounts.rules';
import { pendingLogins, users } from './accounts.table';
import { accountEmail, consumeToken, usableToken, issueToken, newToken, sha256, tokenStillUsable, voidTokens } from './links';
import { beginLoginAttempt, clearAllFailures, clearSourceFailures, forgetLoginAttempt, loginWait, recordLoginFailure } from './login-guard';
import { endAllSessions, rotateSession } from './sessions.service';
import type { AccountDeps, User } from './users.service';
import { lockedUser } from './locks';
import { signInAddress } from './takeover.rules';
import { recordSignUpConsents } from './consents.service';

/**
 * Credentials: sign-up and activation (ACC-1, ACC-3), login with throttling and the staff's
 * second factor (ACC-1, ACC-12), and passwords, forgotten or changed (ACC-4).
 */

export interface SignUpInput {
  email: string;
  password: string;
  mobilePhone: string | null;
  newsOptIn: boolean;
  locale: Locale;
  /** A page of this site to come back to after activation (APP-1: the course sheet). */
  returnTo?: string;
}

/**
 * ACC-1, ACC-3: creates a pending account and emails its activation link. The answer is the same
 * whether the address is new or not (the existing owner gets an email instead), and two
 * simultaneous sign-ups with one address make one account (unique index). A sign-up for an
 * address still pending replaces what the earlier one chose (password, phone, news, language):
 * only the newest link activates, and it activates the newest password, so a stranger who signed
 * up first with someone else's address keeps nothing (account pre-hijacking).
 */
export async function signUp(deps: AccountDeps, input: SignUpInput, ip: string | null = null): Promise<void> {
  const { db, clock, baseUrl } = deps;
  const address = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const policies = await getPolicies(db);
  await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(users)
      .values({
        email: address,
        passwordHash,
        locale: input.locale,
        mobilePhone: input.mobilePhone,
        createdAt: clock.now(),
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (created) {
      await recordSignUpConsents(tx, clock, { userId: created.id, newsOptIn: input.newsOptIn, replacing: false });
      await sendActivation(tx, clock, baseUrl, created, policies, input.returnTo);
      await audit(tx, clock, { action: 'account.signed_up', actorId: created.id, subjectId: created.id, ip });
      return;
    }
    const existing = await lockedUser(tx, { email: address });
    if (!existing) return;
    if (existing.status === 'pending') {
      const [replaced] = await tx
        .update(users)
        .set({ passwordHash, locale: input.locale, mobilePhone: input.mobilePhone })
        .where(eq(users.id, existing.id))
        .returning();
      await recordSignUpConsents(tx, clock, { userId: existing.id, newsOptIn: input.newsOptIn, replacing: true });
      await sendActivation(tx, clock, baseUrl, replaced, policies, input.returnTo); // voids the earlier links
      await audit(tx, clock, { action: 'account.sign_up_replaced_pending', subjectId: existing.id, ip });
      return;
    }
    await queueEmail(tx, {
      to: existing.email,
      ...accountEmail(existing.locale)('email.alreadyRegistered.subject', 'email.alreadyRegistered.body', {
        login: `${baseUrl}/connexion`,
        forgot: `${baseUrl}/mot-de-passe-oublie`,
      }),
    });
    await audit(tx, clock, { action: 'account.sign_up_existing', subjectId: existing.id, ip });
  });
}

async function sendActivation(tx: DbOrTx, clock: Clock, baseUrl: string, user: User, policies: Policies, returnTo?: string) {
  const token = await issueToken(tx, clock, {
    userId: user.id,
    purpose: 'activation',
    validForMs: policies.activationLinkHours * 3_600_000,
  });
  await queueEmail(tx, {
    to: user.email,
    ...accountEmail(user.locale)('email.activation.subject', 'email.activation.body', {
      link: `${baseUrl}/activation/${token}${returnTo ? `?retour=${encodeURIComponent(returnTo)}` : ''}`,
      hours: policies.activationLinkHours,
    }),
  });
}

/** ACC-3: asks for the activation email again; says nothing about whether the address exists. */
export async function resendActivation(deps: AccountDeps, rawEmail: string, ip: string | null = null): Promise<void> {
  const { db, clock, baseUrl } = deps;
  const policies = await getPolicies(db);
  await db.transaction(async (tx) => {
    const user = await lockedUser(tx, { email: rawEmail });
    if (!user || user.status !== 'pending') return;
    await sendActivation(tx, clock, baseUrl, user, policies);
    await audit(tx, clock, { action: 'account.activation_resent', subjectId: user.id, ip });
  });
}

/** ACC-3: the activation link works once, before it expires. */
export async function activateAccount(
  deps: AccountDeps,
  input: { token: string; password: string },
  ip: string | null = null,
): Promise<{ outcome: 'activated'; user: User } | { outcome: 'invalid' | 'wrong_password' } | { outcome: 'throttled'; retryAfterSeconds: number }> {
  const { db, clock } = deps;
  const link = await usableToken(db, clock, input.token, 'activation');
  const [owner] = link ? await db.select().from(users).where(eq(users.id, link.userId)) : [];
  if (!link || !owner || owner.status !== 'pending') return { outcome: 'invalid' };
  // ACC-3: the link works with the password chosen at sign-up, typed again: whoever signed up
  // last with someone else's address cannot have the owner activate their password. Counted as
  // a login attempt (ACC-1's back-off).
  const check = await checkPassword(deps, { email: owner.email, password: input.password }, ip);
  if (!check.ok) return check.reason === 'throttled' ? { outcome: 'throttled', retryAfterSeconds: check.retryAfterSeconds } : { outcome: 'wrong_password' };
  return db.transaction(async (tx) => {
    const user = await lockedUser(tx, { id: owner.id });
    if (!user || user.passwordHash !== owner.passwordHash) return { outcome: 'wrong_password' as const };
    const row = await consumeToken(tx, clock, input.token, 'activation');
    if (!row || row.userId !== user.id) return { outcome: 'invalid' as const };
    const [active] = await tx
      .update(users)
      .set({ status: 'active', activatedAt: clock.now() })
      .where(and(eq(users.id, user.id), eq(users.status, 'pending')))
      .returning();
    if (!active) return { outcome: 'invalid' as const };
    await audit(tx, clock, { action: 'account.activated', actorId: user.id, subjectId: user.id });
    return { outcome: 'activated' as const, user: active };
  });
}

export type AuthResult =
  | { ok: true; user: User; needsSecondFactor: false }
  /** `pendingLogin`: the token of the second-factor step, for the browser's cookie. */
  | { ok: true; user: User; needsSecondFactor: true; pendingLogin: string }
  | { ok: false; reason: 'invalid' | 'not_activated' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Checks an email and password. Unknown address and wrong password answer alike, in the same
 * time (a dummy hash is verified). Failed attempts are counted per address and source, whether
 * the address exists or not; past a few, the source waits before trying again, longer each time,
 * and past many from everywhere every source waits a little (ACC-1 throttling, login-guard.ts):
 * the answer says how long. "Not activated" is only said to someone who gave the right password.
 * A staff member's right password opens the second-factor step, bound to `browser` (the
 * browser's CSRF secret) (ACC-12).
 */
export async function authenticate(
  deps: AccountDeps,
  input: { email: string; password: string; browser?: string; knownDevice?: boolean },
  ip: string | null = null,
  knownPolicies?: Policies,
): Promise<AuthResult> {
  const checked = await checkPassword(deps, input, ip, knownPolicies);
  if (!checked.ok) return checked;
  const { user } = checked;
  if (user.status === 'pending') return { ok: false, reason: 'not_activated' };
  if (user.role === 'learner') return { ok: true, user, needsSecondFactor: false };
  const pendingLogin = await beginSecondFactor(deps, { userId: user.id, browser: input.browser ?? '' });
  return { ok: true, user, needsSecondFactor: true, pendingLogin };
}

/**
 * ACC-1: is this the account's password? Counted as a login attempt (the back-off of
 * login-guard.ts, a failure audited as `login.failed`), whatever asks: the login, and the
 * current password of a password or address change (ASVS 3.7.1). Nothing else happens: no
 * second-factor step, no session.
 */
export async function checkPassword(
  deps: AccountDeps,
  input: { email: string; password: string; knownDevice?: boolean },
  ip: string | null = null,
  knownPolicies?: Policies,
): Promise<{ ok: true; user: User } | { ok: false; reason: 'throttled'; retryAfterSeconds: number } | { ok: false; reason: 'invalid' }> {
  const { db, clock } = deps;
  // SVC-5, decision 015: a mobile number typed signs in the account it identifies.
  const address = signInAddress(input.email);
  const policies = knownPolicies ?? (await getPolicies(db));
  const attempt = { email: address, ip, knownDevice: input.knownDevice };
  const begun = await beginLoginAttempt(db, clock, attempt, policies);
  if (!begun.ok) {
    await audit(db, clock, { action: 'login.throttled', ip, data: { email: address } });
    return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(begun.waitMs / 1000) };
  }
  // A closed account (ACC-11) answers as an unknown address does.
  const [user] = await db.select().from(users).where(and(eq(users.email, address), ne(users.status, 'closed')));
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !valid || user.status === 'disabled') {
    await audit(db, clock, { action: 'login.failed', subjectId: user?.id ?? null, ip });
    return { ok: false, reason: 'invalid' }; // the attempt stays counted as a failure
  }
  await forgetLoginAttempt(db, begun.attemptId);
  // A learner's right password ends their source's failures; a staff member's waits for the code.
  if (user.role === 'learner' && user.status !== 'pending') await clearSourceFailures(db, attempt);
  return { ok: true, user };
}

/** How long the second-factor step waits for its code. */
export const SECOND_FACTOR_WINDOW_MS = 5 * 60_000;

/** ACC-12: the step between a staff member's password and their code, kept on the server. */
async function beginSecondFactor(deps: Pick<AccountDeps, 'db' | 'clock'>, input: { userId: string; browser: string }): Promise<string> {
  const token = newToken();
  const now = deps.clock.now();
  await deps.db.insert(pendingLogins).values({
    id: sha256(token),
    userId: input.userId,
    browserHash: sha256(input.browser),
    createdAt: now,
    expiresAt: new Date(now.getTime() + SECOND_FACTOR_WINDOW_MS),
  });
  return token;
}

async function findPendingLogin(db: DbOrTx, clock: Clock, input: { pendingLogin: string; browser: string }) {
  if (!input.pendingLogin || input.pendingLogin.length > 100) return undefined;
  const [row] = await db
    .select()
    .from(pendingLogins)
    .where(
      and(
        eq(pendingLogins.id, sha256(input.pendingLogin)),
        eq(pendingLogins.browserHash, sha256(input.browser)),
        gt(pendingLogins.expiresAt, clock.now()),
      ),
    );
  return row;
}

/** True while a second-factor step can go on in this browser (to show the code form). */
export async function secondFactorPending(deps: Pick<AccountDeps, 'db' | 'clock'>, input: { pendingLogin: string; browser: string }): Promise<boolean> {
  return Boolean(await findPendingLogin(deps.db, deps.clock, input));
}

/**
 * ACC-12: checks a staff member's TOTP code for a pending login. The pending login is the
 * server's, bound to the browser that gave the password, and used once: a copy of its cookie, or
 * the same cookie after the login, leads nowhere. A code is accepted once (its time step must be
 * later than the last one used); failures count toward the same throttle as passwords.
 */
export async function verifySecondFactor(
  deps: AccountDeps,
  input: { pendingLogin: string; browser: string; code: string; deviceTag?: string | null },
  ip: string | null = null,
): Promise<{ ok: true; user: User } | { ok: false; reason: 'expired' | 'invalid' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number }> {
  const { db, clock } = deps;
  const policies = await getPolicies(db);
  const expired = { ok: false as const, reason: 'expired' as const };
  return db.transaction(async (tx) => {
    const found = await findPendingLogin(tx, clock, input);
    if (!found) return expired;
    // The person's row first, then the pending login: a password change deletes them in that order.
    const user = await lockedUser(tx, { id: found.userId });
    const [pending] = await tx.select().from(pendingLogins).where(eq(pendingLogins.id, found.id)).for('update');
    if (!pending || !user || !user.totpSecret || user.status !== 'active') return expired;
    const attempt = { email: user.email, ip, knownDevice: Boolean(input.deviceTag) && input.deviceTag === deviceTag(user.email) };
    const waitMs = await loginWait(tx, clock, attempt, policies);
    if (waitMs > 0) return { ok: false as const, reason: 'throttled' as const, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    const code = input.code.replace(/\s/g, '');
    const result = /^\d{6}$/.test(code)
      ? await verifyTotpCode({
          secret: user.totpSecret,
          token: code,
          epoch: Math.floor(clock.now().getTime() / 1000),
          epochTolerance: 30,
          afterTimeStep: user.totpLastStep ?? undefined,
        }).catch(() => ({ valid: false as const }))
      : { valid: false as const };
    if (!result.valid) {
      await recordLoginFailure(tx, clock, attempt);
      await audit(tx, clock, { action: 'login.totp_failed', subjectId: user.id, ip });
      return { ok: false as const, reason: 'invalid' as const };
    }
    await tx.update(users).set({ totpLastStep: (result as { timeStep: number }).timeStep }).where(eq(users.id, user.id));
    await tx.delete(pendingLogins).where(eq(pendingLogins.id, pending.id));
    await clearSourceFailures(tx, attempt);
    return { ok: true as const, user };
  });
}

/** The worker's clean-up: second-factor steps past their five minutes. */
export async function pruneExpiredPendingLogins(deps: Pick<AccountDeps, 'db' | 'clock'>): Promise<void> {
  await deps.db.delete(pendingLogins).where(lte(pendingLogins.expiresAt, deps.clock.now()));
}

// ---------------------------------------------------------------------------------------------
// Passwords (ACC-4)

/** Emails a reset link to `user`, in the caller's transaction (also the staff's first password). */
export async function sendResetLink(tx: DbOrTx, deps: Pick<AccountDeps, 'clock' | 'baseUrl'>, user: User, policies: Policies, ip: string | null = null): Promise<void> {
  const { clock, baseUrl } = deps;
  const token = await issueToken(tx, clock, {
    userId: user.id,
    purpose: 'password_reset',
    validForMs: policies.passwordResetLinkMinutes * 60_000,
  });
  await queueEmail(tx, {
    to: user.email,
    ...accountEmail(user.locale)('email.reset.subject', 'email.reset.body', {
      link: `${baseUrl}/mot-de-passe/${token}`,
      minutes: policies.passwordResetLinkMinutes,
    }),
  });
  await audit(tx, clock, { action: 'password.reset_requested', subjectId: user.id, ip });
}

/** ACC-4: sends a reset link if the address has an account; says nothing either way. */
export async function requestPasswordReset(deps: AccountDeps, rawEmail: string, ip: string | null = null): Promise<void> {
  const policies = await getPolicies(deps.db);
  await deps.db.transaction(async (tx) => {
    const user = await lockedUser(tx, { email: rawEmail });
    if (!user || user.status === 'disabled' || user.status === 'closed') return;
    await sendResetLink(tx, deps, user, policies, ip);
  });
}

/** True while a reset link can still be used (to show the form, or the "link expired" page). */
export async function resetTokenUsable(deps: Pick<AccountDeps, 'db' | 'clock'>, token: string): Promise<boolean> {
  return tokenStillUsable(deps.db, deps.clock, token, 'password_reset');
}

/**
 * ACC-4: the new password, and every session of the account ends (but `keepSessionId`, the one
 * just rotated by the person who changed it); the links sent before it (a queued change of login
 * address, password resets) and the second-factor steps it opened are void; the owner is told by
 * email. Whoever knew the old password can undo nothing after this.
 */
async function setPassword(tx: DbOrTx, deps: AccountDeps, user: User, passwordHash: string, keepSessionId?: string) {
  const { clock, baseUrl } = deps;
  await tx.update(users).set({ passwordHash, passwordChangedAt: clock.now() }).where(eq(users.id, user.id));
  await endAllSessions(tx, user.id, keepSessionId);
  await voidTokens(tx, clock, user.id, ['email_change', 'password_reset']);
  await tx.delete(pendingLogins).where(eq(pendingLogins.userId, user.id));
  await queueEmail(tx, {
    to: user.email,
    ...accountEmail(user.locale)('email.passwordChanged.subject', 'email.passwordChanged.body', {
      forgot: `${baseUrl}/mot-de-passe-oublie`,
    }),
  });
}

/**
 * ACC-4: sets a new password from a reset link; the link works once; all sessions end; the
 * failed logins of the address are forgotten (ACC-1: whoever reads the mailbox may log in now).
 */
export async function resetPassword(deps: AccountDeps, input: { token: string; password: string }): Promise<'changed' | 'invalid'> {
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const row = await consumeToken(tx, deps.clock, input.token, 'password_reset');
    if (!row) return 'invalid';
    const user = await lockedUser(tx, { id: row.userId });
    if (!user || user.status === 'closed') return 'invalid';
    await setPassword(tx, deps, user, passwordHash);
    await clearAllFailures(tx, user.email);
    // Whoever can read the mailbox owns the account: a reset also proves the address.
    if (user.status === 'pending') await tx.update(users).set({ status: 'active', activatedAt: deps.clock.now() }).where(eq(users.id, user.id));
    await audit(tx, deps.clock, { action: 'password.reset', actorId: user.id, subjectId: user.id });
    return 'changed';
  });
}

/**
 * ACC-4: changes the password of a logged-in user who knows the current one. Every session of
 * the account ends; the one that made the change goes on under a new token (the caller sets it
 * as the new cookie), so whoever held the old one is logged out too. The current password is
 * checked as a login is (ACC-1): a wrong one counts as a failed login, and past the throttle the
 * change is refused (`throttled`).
 */
export async function changePassword(
  deps: AccountDeps,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
  ip: string | null = null,
): Promise<{ ok: true; sessionToken: string | null } | { ok: false; reason: 'wrong_password' } | { ok: false; reason: 'throttled'; retryAfterSeconds: number }> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, input.userId));
  if (!user) return { ok: false, reason: 'wrong_password' };
  const check = await checkPassword(deps, { email: user.email, password: input.currentPassword }, ip);
  if (!check.ok) return check.reason === 'throttled' ? check : { ok: false, reason: 'wrong_password' };
  const passwordHash = await hashPassword(input.newPassword);
  const sessionToken = await deps.db.transaction(async (tx) => {
    // The password checked must still be the account's (another change may have won meanwhile).
    const current = await lockedUser(tx, { id: user.id });
    if (!current || current.passwordHash !== user.passwordHash) throw new PasswordChanged();
    const token = await rotateSession(tx, deps.clock, input.sessionId);
    await setPassword(tx, deps, user, passwordHash, token ? sha256(token) : undefined);
    await audit(tx, deps.clock, { action: 'password.changed', actorId: user.id, subjectId: user.id });
    return token;
  }).catch((error: unknown) => {
    if (error instanceof PasswordChanged) return undefined;
    throw error;
  });
  if (sessionToken === undefined) return { ok: false, reason: 'wrong_password' };
  return { ok: true, sessionToken };
}

/** Rolls back a change made with a password that is no longer the account's. */
export class PasswordChanged extends Error {}
