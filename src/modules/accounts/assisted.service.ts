import { randomInt } from 'node:crypto';
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { inPersonConsent } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { createHook } from '../../platform/hooks';
import { translator, type Locale } from '../../platform/i18n';
import { queueEmail } from '../../platform/outbox';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../platform/passwords';
import { getPolicies } from '../../platform/policies';
import { queueSms } from '../../platform/sms';
import { identityKey, normaliseEmail } from './accounts.rules';
import { learnerProfiles, takeoverCodes, users } from './accounts.table';
import { giveConsent } from './consents.service';
import { accountEmail, consumeToken, issueToken, usableToken, voidTokens } from './links';
import { lockedUser } from './locks';
import { clearAllFailures } from './login-guard';
import { mobileE164 } from './notify.rules';
import type { LearnerRecordInput } from './record.service';
import { endAllSessions } from './sessions.service';
import { isMobileOnlyAddress, mobileOnlyAddress, signInAddress, TAKEOVER_CODE_DIGITS, TAKEOVER_CODE_MINUTES, takeoverCodeState, cleanTakeoverCode } from './takeover.rules';
import type { AccountDeps, User } from './users.service';

/**
 * SVC-5: the accounts a counsellor creates at a help desk with the learner present, and how the
 * learner takes them over: the activation email (then they choose their password) or a code sent
 * by SMS (`/compte/reprendre`). Decision 015: an account without an email address signs in with
 * its mobile number, its identifier being `+33612345678@mobile.invalid`.
 */

/**
 * The `password_hash` of an account made at a help desk, until its learner takes it over: no
 * password verifies against it (it is no Argon2 hash), and the activation link asks for a new
 * password instead of the one chosen at sign-up.
 */
export const ASSISTED_NO_PASSWORD = '!assisted';

/** SVC-5: an account was taken over (its learner set their password), in the transaction that did it. */
export const accountTakenOver = createHook<{ userId: string; how: 'sms_code' | 'email'; at: Date }, Tx>();

export interface AssistedAccountInput {
  /** The learner's email address, or null: the account is then identified by its mobile number. */
  email: string | null;
  /** E.164; required when there is no email. */
  mobile: string | null;
  locale: Locale;
  record: LearnerRecordInput;
  /** The counsellor creating it, the learner present and agreeing (SVC-5). */
  counsellorId: string;
  ip?: string | null;
}

export type AssistedAccountOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: 'email_taken' | 'mobile_taken' | 'duplicate_person' | 'no_identifier' };

/**
 * SVC-5, ACC-5, ACC-6: a pending learner account and its learner record, in the caller's
 * transaction, made by a counsellor with the learner present (the consent and the counsellor in
 * the audit row). No password: the learner sets theirs when taking the account over. An address
 * or a mobile identifier already used, or a person already registered (ACC-5), is refused and
 * nothing is kept.
 */
export async function createAssistedAccount(tx: Tx, clock: Clock, input: AssistedAccountInput): Promise<AssistedAccountOutcome> {
  const mobile = input.mobile ? mobileE164(input.mobile) : null;
  if (!input.email && !mobile) return { ok: false, reason: 'no_identifier' };
  const address = input.email ? normaliseEmail(input.email) : mobileOnlyAddress(mobile!);
  const now = clock.now();
  const [user] = await tx
    .insert(users)
    .values({ email: address, passwordHash: ASSISTED_NO_PASSWORD, status: 'pending', locale: input.locale, mobilePhone: mobile, notifyBy: input.email ? 'email' : 'sms', createdAt: now })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!user) return { ok: false, reason: input.email ? 'email_taken' : 'mobile_taken' };
  const key = identityKey(input.record.lastName, input.record.firstName, input.record.birthDate);
  const [profile] = await tx
    .insert(learnerProfiles)
    .values({ ...input.record, userId: user.id, identityKey: key, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning({ userId: learnerProfiles.userId });
  if (!profile) {
    // ACC-5: that person has an account already; the one just made goes (nothing points at it yet).
    await tx.delete(users).where(eq(users.id, user.id));
    await audit(tx, clock, { action: 'learner.record_duplicate_refused', actorId: input.counsellorId, ip: input.ip ?? null });
    return { ok: false, reason: 'duplicate_person' };
  }
  await giveConsent(tx, clock, { userId: user.id, kind: 'terms', how: 'help_desk' });
  await audit(tx, clock, {
    action: 'account.assisted_created',
    actorId: input.counsellorId,
    subjectId: user.id,
    ip: input.ip ?? null,
    data: { consent: inPersonConsent, mobileOnly: !input.email },
  });
  return { ok: true, user };
}

/** True while the account waits for its learner to take it over (made at a desk, no password yet). */
export function awaitingTakeover(user: Pick<User, 'passwordHash' | 'status'>): boolean {
  return user.passwordHash === ASSISTED_NO_PASSWORD && user.status === 'pending';
}

/** The mobile number a takeover code goes to: the learner record's, else the account's. */
async function takeoverMobile(tx: Tx, user: User): Promise<string | null> {
  const [profile] = await tx.select({ mobile: learnerProfiles.mobilePhone }).from(learnerProfiles).where(eq(learnerProfiles.userId, user.id));
  return mobileE164(profile?.mobile) ?? mobileE164(user.mobilePhone);
}

/**
 * SVC-5: sends a new takeover code by SMS (8 digits, 30 minutes, once; only its hash kept), in
 * the caller's transaction; the codes sent before are void. Also for an account already taken
 * over: the learner who forgot their password comes back to the desk (a mobile-only account has
 * no address for a reset link). A closed or staff account, or one without a mobile, gets none.
 */
export async function sendTakeoverCode(
  tx: Tx,
  deps: Pick<AccountDeps, 'clock' | 'baseUrl'>,
  input: { userId: string; actorId: string },
): Promise<{ ok: true; to: string } | { ok: false; reason: 'no_mobile' | 'not_found' }> {
  const { clock } = deps;
  const user = await lockedUser(tx, { id: input.userId });
  if (!user || user.status === 'closed' || user.status === 'disabled' || user.role !== 'learner') return { ok: false, reason: 'not_found' };
  const mobile = await takeoverMobile(tx, user);
  if (!mobile) return { ok: false, reason: 'no_mobile' };
  const now = clock.now();
  await tx.update(takeoverCodes).set({ usedAt: now }).where(and(eq(takeoverCodes.userId, user.id), isNull(takeoverCodes.usedAt)));
  const code = String(randomInt(0, 10 ** TAKEOVER_CODE_DIGITS)).padStart(TAKEOVER_CODE_DIGITS, '0');
  await tx.insert(takeoverCodes).values({
    userId: user.id,
    codeHash: await hashPassword(code),
    sentBy: input.actorId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + TAKEOVER_CODE_MINUTES * 60_000),
  });
  const t = translator(user.locale);
  const text = t('sms.takeover.code', { code: `${code.slice(0, 4)} ${code.slice(4)}`, minutes: TAKEOVER_CODE_MINUTES, link: `${deps.baseUrl}/compte/reprendre` });
  await queueSms(tx, { to: mobile, text, purpose: 'sms.takeover.code' });
  await audit(tx, clock, { action: 'account.takeover_code_sent', actorId: input.actorId, subjectId: user.id, data: { consent: inPersonConsent } });
  return { ok: true, to: mobile };
}

/**
 * SVC-5: emails the activation link of an account made at a desk that has a real address; the
 * link's page asks the learner to choose their password. Nothing for a mobile-only account or one
 * already taken over.
 */
export async function sendTakeoverEmail(tx: Tx, deps: Pick<AccountDeps, 'db' | 'clock' | 'baseUrl'>, input: { userId: string; actorId: string }): Promise<boolean> {
  const user = await lockedUser(tx, { id: input.userId });
  if (!user || !awaitingTakeover(user)) return false;
  const policies = await getPolicies(tx);
  const token = await issueToken(tx, deps.clock, { userId: user.id, purpose: 'activation', validForMs: policies.activationLinkHours * 3_600_000 });
  await queueEmail(tx, {
    to: user.email,
    ...accountEmail(user.locale)('email.assisted.subject', 'email.assisted.body', {
      link: `${deps.baseUrl}/activation/${token}`,
      hours: policies.activationLinkHours,
    }),
  });
  await audit(tx, deps.clock, { action: 'account.takeover_email_sent', actorId: input.actorId, subjectId: user.id, data: { consent: inPersonConsent } });
  return true;
}

/** Where the takeover stands, for the desk's page. */
export async function takeoverStatus(tx: Tx | AccountDeps['db'], userId: string): Promise<{ awaiting: boolean; mobileOnly: boolean; lastCodeAt: Date | null }> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId));
  const [code] = await tx.select({ at: takeoverCodes.createdAt }).from(takeoverCodes).where(eq(takeoverCodes.userId, userId)).orderBy(desc(takeoverCodes.createdAt)).limit(1);
  return { awaiting: !!user && awaitingTakeover(user), mobileOnly: !!user && isMobileOnlyAddress(user.email), lastCodeAt: code?.at ?? null };
}

/** Ends what a former password or holder could still use, and sets the learner's own password. */
async function setOwnPassword(tx: Tx, clock: Clock, user: User, passwordHash: string): Promise<User> {
  const now = clock.now();
  const [updated] = await tx
    .update(users)
    .set({ passwordHash, passwordChangedAt: now, status: 'active', activatedAt: user.activatedAt ?? now })
    .where(eq(users.id, user.id))
    .returning();
  await endAllSessions(tx, user.id);
  await voidTokens(tx, clock, user.id, ['activation', 'password_reset', 'email_change']);
  await tx.update(takeoverCodes).set({ usedAt: now }).where(and(eq(takeoverCodes.userId, user.id), isNull(takeoverCodes.usedAt)));
  await clearAllFailures(tx, user.email);
  return updated;
}

export type TakeoverOutcome = { ok: true; user: User } | { ok: false; reason: 'invalid' };

/**
 * SVC-5: the learner takes their account over with the code sent by SMS: their email or mobile
 * number, the code, their new password. A code works once, for 30 minutes; each wrong code counts
 * against the latest one and five void it. Unknown account, wrong, used, expired or void code all
 * answer alike (`invalid`), in about the same time (a hash is always checked), and so do a
 * disabled or closed account (a code sent before the closure opens nothing); the route limits
 * the tries per address and per account besides.
 */
export async function takeOverAccount(deps: AccountDeps, input: { identifier: string; code: string; password: string }, ip: string | null = null): Promise<TakeoverOutcome> {
  const { db, clock } = deps;
  const address = signInAddress(input.identifier);
  const code = cleanTakeoverCode(input.code);
  const passwordHash = await hashPassword(input.password);
  const invalid = { ok: false as const, reason: 'invalid' as const };
  return db.transaction(async (tx) => {
    const user = await lockedUser(tx, { email: address });
    const [latest] = user
      ? await tx.select().from(takeoverCodes).where(eq(takeoverCodes.userId, user.id)).orderBy(desc(takeoverCodes.createdAt)).limit(1).for('update')
      : [];
    if (!user || !latest || !code || user.role !== 'learner' || user.status === 'disabled' || user.status === 'closed' || takeoverCodeState(latest, clock.now()) !== 'usable') {
      if (code) await verifyAgainstDummy(code);
      if (user && latest && !latest.usedAt) await tx.update(takeoverCodes).set({ failures: latest.failures + 1 }).where(eq(takeoverCodes.id, latest.id));
      await audit(tx, clock, { action: 'login.takeover_failed', subjectId: user?.id ?? null, ip });
      return invalid;
    }
    if (!(await verifyPassword(latest.codeHash, code))) {
      await tx.update(takeoverCodes).set({ failures: latest.failures + 1 }).where(eq(takeoverCodes.id, latest.id));
      await audit(tx, clock, { action: 'login.takeover_failed', subjectId: user.id, ip });
      return invalid;
    }
    const updated = await setOwnPassword(tx, clock, user, passwordHash);
    await audit(tx, clock, { action: 'account.taken_over', actorId: user.id, subjectId: user.id, ip, data: { how: 'sms_code' } });
    await accountTakenOver.emit(tx, { userId: user.id, how: 'sms_code', at: clock.now() });
    return { ok: true as const, user: updated };
  });
}

/** ACC-3, SVC-5: does this activation link open an account made at a desk (its page then asks for a new password)? */
export async function activationSetsPassword(deps: Pick<AccountDeps, 'db' | 'clock'>, token: string): Promise<boolean> {
  const link = await usableToken(deps.db, deps.clock, token, 'activation');
  if (!link) return false;
  const [owner] = await deps.db.select().from(users).where(and(eq(users.id, link.userId), ne(users.status, 'closed')));
  return !!owner && awaitingTakeover(owner);
}

/** SVC-5: the activation link of an account made at a desk: the learner chooses their password; the link works once. */
export async function activateAssistedAccount(deps: AccountDeps, input: { token: string; password: string }, ip: string | null = null): Promise<TakeoverOutcome> {
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const row = await consumeToken(tx, deps.clock, input.token, 'activation');
    const user = row ? await lockedUser(tx, { id: row.userId }) : undefined;
    if (!row || !user || !awaitingTakeover(user)) return { ok: false as const, reason: 'invalid' as const };
    const updated = await setOwnPassword(tx, deps.clock, user, passwordHash);
    await audit(tx, deps.clock, { action: 'account.taken_over', actorId: user.id, subjectId: user.id, ip, data: { how: 'email' } });
    await accountTakenOver.emit(tx, { userId: user.id, how: 'email', at: deps.clock.now() });
    return { ok: true as const, user: updated };
  });
}
