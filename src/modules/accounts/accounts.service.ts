import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { generateSecret, generateURI, verify as verifyTotpCode } from 'otplib';
import type { Db, DbOrTx } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { translator, type Locale } from '../../platform/i18n';
import { queueEmail } from '../../platform/outbox';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../platform/passwords';
import { getPolicies, type Policies } from '../../platform/policies';
import { clearCounter, hitCounter, peekCounter } from '../../platform/rate-limit';
import { identityKey, normaliseEmail, sessionState, tokenUsable } from './accounts.rules';
import {
  accountTokens,
  learnerProfiles,
  nameChangeRequests,
  userSessions,
  users,
  type TokenPurpose,
} from './accounts.table';

/** What every account action needs: the database, the clock, and where links point. */
export interface AccountDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}

export type User = typeof users.$inferSelect;
export type LearnerProfile = typeof learnerProfiles.$inferSelect;
export type SessionInfo = typeof userSessions.$inferSelect;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');
const later = (clock: Clock, ms: number) => new Date(clock.now().getTime() + ms);

async function issueToken(
  tx: DbOrTx,
  clock: Clock,
  options: { userId: string; purpose: TokenPurpose; validForMs: number; newEmail?: string },
): Promise<string> {
  // A new link replaces the older ones of the same purpose: only the latest works.
  await tx
    .update(accountTokens)
    .set({ usedAt: clock.now() })
    .where(and(eq(accountTokens.userId, options.userId), eq(accountTokens.purpose, options.purpose), isNull(accountTokens.usedAt)));
  const token = newToken();
  await tx.insert(accountTokens).values({
    userId: options.userId,
    purpose: options.purpose,
    tokenHash: sha256(token),
    newEmail: options.newEmail ?? null,
    createdAt: clock.now(),
    expiresAt: later(clock, options.validForMs),
  });
  return token;
}

/** Marks a token used and returns it, or null when it is unknown, used or expired (ACC-3, ACC-4). */
async function consumeToken(tx: DbOrTx, clock: Clock, token: string, purpose: TokenPurpose) {
  if (!token || token.length > 200) return null;
  const [row] = await tx
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, sha256(token)), eq(accountTokens.purpose, purpose)))
    .for('update');
  if (!row || !tokenUsable(row, clock.now())) return null;
  await tx.update(accountTokens).set({ usedAt: clock.now() }).where(eq(accountTokens.id, row.id));
  return row;
}

function email(locale: Locale) {
  const t = translator(locale);
  return (subject: Parameters<typeof t>[0], body: Parameters<typeof t>[0], params: Record<string, string | number>) => ({
    subject: t(subject),
    text: `${t(body, params)}\n\n--\n${t('email.footer')}`,
  });
}

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
 * simultaneous sign-ups with one address make one account (unique index).
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
    const [existing] = await tx.select().from(users).where(eq(users.email, address));
    if (!existing) return;
    if (existing.status === 'pending') {
      await sendActivation(tx, clock, baseUrl, existing, policies, input.returnTo);
    } else {
      const mail = email(existing.locale);
      await queueEmail(tx, {
        to: existing.email,
        ...mail('email.alreadyRegistered.subject', 'email.alreadyRegistered.body', {
          login: `${baseUrl}/connexion`,
          forgot: `${baseUrl}/mot-de-passe-oublie`,
        }),
      });
    }
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
    ...email(user.locale)('email.activation.subject', 'email.activation.body', {
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
    const [user] = await tx.select().from(users).where(eq(users.email, normaliseEmail(rawEmail))).for('update');
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
    const [user] = await tx.select().from(users).where(eq(users.id, input.userId)).for('update');
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
// Sessions: server-side, created at login, revocable, idle and absolute timeouts.

export async function createSession(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; ip: string | null; userAgent: string | null },
  knownPolicies?: Policies,
): Promise<string> {
  const { db, clock } = deps;
  const policies = knownPolicies ?? (await getPolicies(db));
  const token = newToken();
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.insert(userSessions).values({
      id: sha256(token),
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policies.sessionMaxHours * 3_600_000),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await audit(tx, clock, { action: 'login.succeeded', actorId: input.userId, subjectId: input.userId, ip: input.ip });
  });
  return token;
}

/**
 * Finds the live session behind a cookie token and notes the activity. A session idle too long
 * or past its maximum age is deleted and not returned.
 */
export async function resumeSession(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  token: string,
  policies: Policies,
): Promise<{ sessionId: string; user: User } | null> {
  const { db, clock } = deps;
  if (!token || token.length > 100) return null;
  const id = sha256(token);
  const [row] = await db.select().from(userSessions).innerJoin(users, eq(users.id, userSessions.userId)).where(eq(userSessions.id, id));
  if (!row) return null;
  const now = clock.now();
  if (sessionState(row.user_sessions, now, policies.sessionIdleMinutes) !== 'active' || row.users.status !== 'active') {
    await db.delete(userSessions).where(eq(userSessions.id, id));
    return null;
  }
  // One write a minute at most per session: enough for a 30-minute idle timeout.
  if (now.getTime() - row.user_sessions.lastSeenAt.getTime() > 60_000)
    await db.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.id, id));
  return { sessionId: id, user: row.users };
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.id, sessionId));
}

export async function listSessions(deps: Pick<AccountDeps, 'db' | 'clock'>, userId: string): Promise<SessionInfo[]> {
  return deps.db
    .select()
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), gt(userSessions.expiresAt, deps.clock.now())))
    .orderBy(desc(userSessions.lastSeenAt));
}

/** Ends one of the user's sessions (only theirs: the user id is part of the query). */
export async function endUserSession(deps: AccountDeps, input: { userId: string; sessionId: string }): Promise<void> {
  await deps.db.delete(userSessions).where(and(eq(userSessions.userId, input.userId), eq(userSessions.id, input.sessionId)));
  await audit(deps.db, deps.clock, { action: 'session.ended', actorId: input.userId, subjectId: input.userId });
}

export async function endOtherSessions(deps: AccountDeps, input: { userId: string; keepSessionId: string }): Promise<void> {
  await deps.db
    .delete(userSessions)
    .where(and(eq(userSessions.userId, input.userId), ne(userSessions.id, input.keepSessionId)));
  await audit(deps.db, deps.clock, { action: 'session.ended_others', actorId: input.userId, subjectId: input.userId });
}

export async function pruneExpiredSessions(deps: Pick<AccountDeps, 'db' | 'clock'>): Promise<void> {
  const policies = await getPolicies(deps.db);
  const now = deps.clock.now();
  const idleBefore = new Date(now.getTime() - policies.sessionIdleMinutes * 60_000);
  await deps.db.execute(sql`delete from user_sessions where expires_at <= ${now} or last_seen_at <= ${idleBefore}`);
}

// ---------------------------------------------------------------------------------------------
// Passwords (ACC-4)

/** ACC-4: sends a reset link if the address has an account; says nothing either way. */
export async function requestPasswordReset(deps: AccountDeps, rawEmail: string, ip: string | null = null): Promise<void> {
  const { db, clock, baseUrl } = deps;
  const policies = await getPolicies(db);
  await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, normaliseEmail(rawEmail))).for('update');
    if (!user || user.status === 'disabled') return;
    const token = await issueToken(tx, clock, {
      userId: user.id,
      purpose: 'password_reset',
      validForMs: policies.passwordResetLinkMinutes * 60_000,
    });
    await queueEmail(tx, {
      to: user.email,
      ...email(user.locale)('email.reset.subject', 'email.reset.body', {
        link: `${baseUrl}/mot-de-passe/${token}`,
        minutes: policies.passwordResetLinkMinutes,
      }),
    });
    await audit(tx, clock, { action: 'password.reset_requested', subjectId: user.id, ip });
  });
}

/** True while a reset link can still be used (to show the form, or the "link expired" page). */
export async function resetTokenUsable(deps: Pick<AccountDeps, 'db' | 'clock'>, token: string): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const [row] = await deps.db
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, sha256(token)), eq(accountTokens.purpose, 'password_reset')));
  return Boolean(row && tokenUsable(row, deps.clock.now()));
}

async function setPassword(tx: DbOrTx, deps: AccountDeps, user: User, passwordHash: string, keepSessionId?: string) {
  const { clock, baseUrl } = deps;
  await tx.update(users).set({ passwordHash, passwordChangedAt: clock.now() }).where(eq(users.id, user.id));
  // ACC-4: a new password ends every session (but the one that changed it, if any).
  await tx
    .delete(userSessions)
    .where(and(eq(userSessions.userId, user.id), keepSessionId ? ne(userSessions.id, keepSessionId) : undefined));
  await queueEmail(tx, {
    to: user.email,
    ...email(user.locale)('email.passwordChanged.subject', 'email.passwordChanged.body', {
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
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId)).for('update');
    await setPassword(tx, deps, user, passwordHash);
    // Whoever can read the mailbox owns the account: a reset also proves the address.
    if (user.status === 'pending') await tx.update(users).set({ status: 'active', activatedAt: deps.clock.now() }).where(eq(users.id, user.id));
    await audit(tx, deps.clock, { action: 'password.reset', actorId: user.id, subjectId: user.id });
    return 'changed';
  });
}

/** Changes the password of a logged-in user who knows the current one; their other sessions end. */
export async function changePassword(
  deps: AccountDeps,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
): Promise<'changed' | 'wrong_password'> {
  const [user] = await deps.db.select().from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) return 'wrong_password';
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await setPassword(tx, deps, user, passwordHash, input.sessionId);
    await audit(tx, deps.clock, { action: 'password.changed', actorId: user.id, subjectId: user.id });
  });
  return 'changed';
}

// ---------------------------------------------------------------------------------------------
// Learner record (ACC-5, ACC-6, ACC-8)

export interface LearnerRecordInput {
  civility: 'M' | 'MME';
  lastName: string;
  birthName: string | null;
  firstName: string;
  birthDate: string;
  birthCountry: string;
  address: string;
  addressComplement1: string | null;
  addressComplement2: string | null;
  postalCode: string;
  city: string;
  country: string;
  mobilePhone: string | null;
  landlinePhone: string | null;
  heardFrom: LearnerProfile['heardFrom'];
}

export async function getLearnerProfile(db: DbOrTx, userId: string): Promise<LearnerProfile | null> {
  const [row] = await db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, userId));
  return row ?? null;
}

/**
 * ACC-5, ACC-6: creates the learner record once. A second record for the same person (same
 * normalised names and birth date) is refused, even when both arrive at the same moment (the
 * unique index decides).
 */
export async function createLearnerRecord(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; record: LearnerRecordInput },
): Promise<'created' | 'duplicate_person' | 'already_exists'> {
  const { db, clock } = deps;
  const key = identityKey(input.record.lastName, input.record.firstName, input.record.birthDate);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(learnerProfiles)
      .values({ ...input.record, userId: input.userId, identityKey: key, createdAt: clock.now(), updatedAt: clock.now() })
      .onConflictDoNothing()
      .returning({ userId: learnerProfiles.userId });
    if (inserted.length === 0) {
      const existing = await getLearnerProfile(tx, input.userId);
      return existing ? 'already_exists' : 'duplicate_person';
    }
    await audit(tx, clock, { action: 'learner.record_created', actorId: input.userId, subjectId: input.userId });
    return 'created';
  });
}

export type ContactDetails = Pick<
  LearnerRecordInput,
  'address' | 'addressComplement1' | 'addressComplement2' | 'postalCode' | 'city' | 'country' | 'mobilePhone' | 'landlinePhone'
>;

/** ACC-8: address and phones are the learner's to change at any time. */
export async function updateContactDetails(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; contact: ContactDetails },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx
      .update(learnerProfiles)
      .set({ ...input.contact, updatedAt: deps.clock.now() })
      .where(eq(learnerProfiles.userId, input.userId));
    await audit(tx, deps.clock, { action: 'learner.contact_updated', actorId: input.userId, subjectId: input.userId });
  });
}

/** ACC-8: names are changed by staff; the learner files a request. */
export async function requestNameChange(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; lastName: string; firstName: string; birthName: string | null; reason: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.insert(nameChangeRequests).values({ ...input, createdAt: deps.clock.now() });
    await audit(tx, deps.clock, { action: 'learner.name_change_requested', actorId: input.userId, subjectId: input.userId });
  });
}

export async function pendingNameChange(db: Db, userId: string) {
  const [row] = await db
    .select()
    .from(nameChangeRequests)
    .where(and(eq(nameChangeRequests.userId, userId), eq(nameChangeRequests.status, 'pending')))
    .orderBy(desc(nameChangeRequests.createdAt))
    .limit(1);
  return row ?? null;
}

// ---------------------------------------------------------------------------------------------
// Login email change (ACC-8)

/**
 * ACC-8: the login email changes only once the new address confirms. Asking needs the current
 * password. Whether the new address is taken is not said here (it would reveal an account); the
 * confirmation fails then.
 */
export async function requestEmailChange(
  deps: AccountDeps,
  input: { userId: string; newEmail: string; currentPassword: string },
): Promise<'sent' | 'wrong_password' | 'same_email'> {
  const { db, clock, baseUrl } = deps;
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) return 'wrong_password';
  const newEmail = normaliseEmail(input.newEmail);
  if (newEmail === user.email) return 'same_email';
  const policies = await getPolicies(db);
  await db.transaction(async (tx) => {
    const token = await issueToken(tx, clock, {
      userId: user.id,
      purpose: 'email_change',
      validForMs: policies.emailChangeLinkHours * 3_600_000,
      newEmail,
    });
    await queueEmail(tx, {
      to: newEmail,
      ...email(user.locale)('email.emailChange.subject', 'email.emailChange.body', {
        link: `${baseUrl}/compte/adresse/${token}`,
        hours: policies.emailChangeLinkHours,
      }),
    });
    await audit(tx, clock, { action: 'account.email_change_requested', actorId: user.id, subjectId: user.id });
  });
  return 'sent';
}

export async function confirmEmailChange(deps: AccountDeps, token: string): Promise<{ ok: true; email: string } | { ok: false }> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const row = await consumeToken(tx, clock, token, 'email_change');
    if (!row?.newEmail) return { ok: false as const };
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId)).for('update');
    const updated = await tx
      .update(users)
      .set({ email: row.newEmail })
      .where(
        and(
          eq(users.id, row.userId),
          sql`not exists (select 1 from users other where other.email = ${row.newEmail} and other.id <> ${row.userId})`,
        ),
      )
      .returning({ id: users.id });
    if (updated.length === 0) return { ok: false as const };
    await queueEmail(tx, {
      to: user.email,
      ...email(user.locale)('email.emailChanged.subject', 'email.emailChanged.body', { email: row.newEmail }),
    });
    await audit(tx, clock, { action: 'account.email_changed', actorId: user.id, subjectId: user.id, data: { from: user.email } });
    return { ok: true as const, email: row.newEmail };
  });
}

export async function setLocale(db: Db, userId: string, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

// ---------------------------------------------------------------------------------------------
// Staff accounts (ACC-12)

export interface CreatedStaff {
  userId: string;
  email: string;
  password: string;
  totpSecret: string;
  otpauthUri: string;
}

/**
 * ACC-12: staff accounts are made here (by the CLI), never by sign-up. They are active at once
 * and carry a TOTP secret; the password is generated unless given.
 */
export async function createStaffAccount(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { email: string; role: Exclude<Role, 'learner'>; displayName: string; password?: string; totpSecret?: string },
): Promise<CreatedStaff> {
  const { db, clock } = deps;
  const address = normaliseEmail(input.email);
  const password = input.password ?? randomBytes(12).toString('base64url');
  const totpSecret = input.totpSecret ?? generateSecret();
  const passwordHash = await hashPassword(password);
  const userId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({
        email: address,
        passwordHash,
        role: input.role,
        status: 'active',
        displayName: input.displayName,
        totpSecret,
        createdAt: clock.now(),
        activatedAt: clock.now(),
        termsAcceptedAt: clock.now(),
      })
      .returning({ id: users.id });
    await audit(tx, clock, { action: 'staff.created', subjectId: row.id, data: { role: input.role } });
    return row.id;
  });
  const otpauthUri = generateURI({ issuer: 'Cursus', label: address, secret: totpSecret });
  return { userId, email: address, password, totpSecret, otpauthUri };
}

export async function findUserByEmail(db: Db, rawEmail: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.email, normaliseEmail(rawEmail)));
  return row ?? null;
}

export async function getUser(db: DbOrTx, userId: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row ?? null;
}

/** Learners' names for staff lists, in one query. */
export async function learnerNames(db: DbOrTx, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: learnerProfiles.userId, firstName: learnerProfiles.firstName, lastName: learnerProfiles.lastName })
    .from(learnerProfiles)
    .where(inArray(learnerProfiles.userId, userIds));
  return new Map(rows.map((r) => [r.userId, `${r.lastName.toUpperCase()} ${r.firstName}`]));
}

export async function getUsers(db: DbOrTx, userIds: string[]): Promise<Map<string, User>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.select().from(users).where(inArray(users.id, userIds));
  return new Map(rows.map((u) => [u.id, u]));
}
