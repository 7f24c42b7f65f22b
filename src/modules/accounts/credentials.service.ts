import { and, eq } from 'drizzle-orm';
import { verify as verifyTotpCode } from 'otplib';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { Locale } from '../../platform/i18n';
import { queueEmail } from '../../platform/outbox';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../platform/passwords';
import { getPolicies, type Policies } from '../../platform/policies';
import { clearCounter, hitCounter, peekCounter } from '../../platform/rate-limit';
import { normaliseEmail } from './accounts.rules';
import { users } from './accounts.table';
import { accountEmail, consumeToken, issueToken, sha256, tokenStillUsable, voidTokens } from './links';
import { endAllSessions, rotateSession } from './sessions.service';
import type { AccountDeps, User } from './users.service';
import { lockedUser } from './locks';

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
        newsOptIn: input.newsOptIn,
        termsAcceptedAt: clock.now(),
        createdAt: clock.now(),
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (created) {
      await sendActivation(tx, clock, baseUrl, created, policies, input.returnTo);
      await audit(tx, clock, { action: 'account.signed_up', actorId: created.id, subjectId: created.id, ip });
      return;
    }
    const existing = await lockedUser(tx, { email: address });
    if (!existing) return;
    if (existing.status === 'pending') {
      const [replaced] = await tx
        .update(users)
        .set({ passwordHash, locale: input.locale, mobilePhone: input.mobilePhone, newsOptIn: input.newsOptIn, termsAcceptedAt: clock.now() })
        .where(eq(users.id, existing.id))
        .returning();
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
export async function activateAccount(deps: AccountDeps, token: string): Promise<'activated' | 'invalid'> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const row = await consumeToken(tx, clock, token, 'activation');
    if (!row) return 'invalid';
    await tx
      .update(users)
      .set({ status: 'active', activatedAt: clock.now() })
      .where(and(eq(users.id, row.userId), eq(users.status, 'pending')));
    await audit(tx, clock, { action: 'account.activated', actorId: row.userId, subjectId: row.userId });
    return 'activated';
  });
}

export type AuthResult =
  | { ok: true; user: User; needsSecondFactor: boolean }
  | { ok: false; reason: 'invalid' | 'throttled' | 'not_activated' };

const failedLoginKey = (address: string) => `login-fail:${address}`;

/**
 * Checks an email and password. Unknown address and wrong password answer alike, in the same
 * time (a dummy hash is verified). Failed attempts are counted per address, whether it exists or
 * not, and the address is refused past the policy (ACC-1 throttling). "Not activated" is only
 * said to someone who gave the right password.
 */
export async function authenticate(
  deps: AccountDeps,
  input: { email: string; password: string },
  ip: string | null = null,
  knownPolicies?: Policies,
): Promise<AuthResult> {
  const { db, clock } = deps;
  const address = normaliseEmail(input.email);
  const policies = knownPolicies ?? (await getPolicies(db));
  const failures = await peekCounter(db, failedLoginKey(address));
  if (failures >= policies.maxFailedLoginsPerHour) {
    await audit(db, clock, { action: 'login.throttled', ip, data: { email: address } });
    return { ok: false, reason: 'throttled' };
  }
  const [user] = await db.select().from(users).where(eq(users.email, address));
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !valid || user.status === 'disabled') {
    await hitCounter(db, failedLoginKey(address), 3_600_000);
    await audit(db, clock, { action: 'login.failed', subjectId: user?.id ?? null, ip });
    return { ok: false, reason: 'invalid' };
  }
  if (user.status === 'pending') return { ok: false, reason: 'not_activated' };
  const needsSecondFactor = user.role !== 'learner';
  if (!needsSecondFactor && failures > 0) await clearCounter(db, failedLoginKey(address));
  return { ok: true, user, needsSecondFactor };
}

/**
 * ACC-12: checks a staff member's TOTP code. A code is accepted once (its time step must be later
 * than the last one used); failures count toward the same throttle as passwords.
 */
export async function verifySecondFactor(
  deps: AccountDeps,
  input: { userId: string; code: string },
  ip: string | null = null,
): Promise<{ ok: true; user: User } | { ok: false; reason: 'invalid' | 'throttled' }> {
  const { db, clock } = deps;
  const policies = await getPolicies(db);
  return db.transaction(async (tx) => {
    const user = await lockedUser(tx, { id: input.userId });
    if (!user || !user.totpSecret || user.status !== 'active') return { ok: false as const, reason: 'invalid' as const };
    if ((await peekCounter(db, failedLoginKey(user.email))) >= policies.maxFailedLoginsPerHour)
      return { ok: false as const, reason: 'throttled' as const };
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
      await hitCounter(db, failedLoginKey(user.email), 3_600_000);
      await audit(tx, clock, { action: 'login.totp_failed', subjectId: user.id, ip });
      return { ok: false as const, reason: 'invalid' as const };
    }
    await tx.update(users).set({ totpLastStep: (result as { timeStep: number }).timeStep }).where(eq(users.id, user.id));
    await clearCounter(db, failedLoginKey(user.email));
    return { ok: true as const, user };
  });
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
    if (!user || user.status === 'disabled') return;
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
 * address, password resets) are void; the owner is told by email. Whoever knew the old password
 * can undo nothing after this.
 */
async function setPassword(tx: DbOrTx, deps: AccountDeps, user: User, passwordHash: string, keepSessionId?: string) {
  const { clock, baseUrl } = deps;
  await tx.update(users).set({ passwordHash, passwordChangedAt: clock.now() }).where(eq(users.id, user.id));
  await endAllSessions(tx, user.id, keepSessionId);
  await voidTokens(tx, clock, user.id, ['email_change', 'password_reset']);
  await queueEmail(tx, {
    to: user.email,
    ...accountEmail(user.locale)('email.passwordChanged.subject', 'email.passwordChanged.body', {
      forgot: `${baseUrl}/mot-de-passe-oublie`,
    }),
  });
}

/** ACC-4: sets a new password from a reset link; the link works once; all sessions end. */
export async function resetPassword(deps: AccountDeps, input: { token: string; password: string }): Promise<'changed' | 'invalid'> {
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const row = await consumeToken(tx, deps.clock, input.token, 'password_reset');
    if (!row) return 'invalid';
    const user = await lockedUser(tx, { id: row.userId });
    await setPassword(tx, deps, user, passwordHash);
    // Whoever can read the mailbox owns the account: a reset also proves the address.
    if (user.status === 'pending') await tx.update(users).set({ status: 'active', activatedAt: deps.clock.now() }).where(eq(users.id, user.id));
    await audit(tx, deps.clock, { action: 'password.reset', actorId: user.id, subjectId: user.id });
    return 'changed';
  });
}

/**
 * ACC-4: changes the password of a logged-in user who knows the current one. Every session of
 * the account ends; the one that made the change goes on under a new token (the caller sets it
 * as the new cookie), so whoever held the old one is logged out too.
 */
export async function changePassword(
  deps: AccountDeps,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
): Promise<{ ok: true; sessionToken: string | null } | { ok: false; reason: 'wrong_password' }> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) return { ok: false, reason: 'wrong_password' };
  const passwordHash = await hashPassword(input.newPassword);
  const sessionToken = await deps.db.transaction(async (tx) => {
    const token = await rotateSession(tx, deps.clock, input.sessionId);
    await setPassword(tx, deps, user, passwordHash, token ? sha256(token) : undefined);
    await audit(tx, deps.clock, { action: 'password.changed', actorId: user.id, subjectId: user.id });
    return token;
  });
  return { ok: true, sessionToken };
}
