import { and, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { planOnce, statement } from '../../db/statements';
import type { EvaluationOutcome } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { translator, type Locale } from '../../platform/i18n';
import { queueEmail } from '../../platform/outbox';
import { getPolicies } from '../../platform/policies';
import { getUser } from '../accounts';
import { courseTitles } from '../catalogue';
import {
  BCRYPT_MAX_COST,
  bcryptCostOf,
  decoyBcrypt,
  decoyCosts,
  DEFAULT_DECOY_COST,
  LINK_CODE_ATTEMPTS,
  LINK_CODE_MINUTES,
  LINK_FAILURES_WINDOW_MS,
  linkCodeHash,
  linkWaitMs,
  newLinkCode,
  verifyLegacyPassword,
  type LegacyAccountRow,
  type LegacyEnrolmentRow,
} from './legacy.rules';
import { legacyAccounts, legacyEnrolments, legacyLinkCodes, legacyLinkFailures, legacyLinks } from './legacy.table';

/**
 * ACC-9: linking a former account to the new one, once, and what the linked history gives the
 * modules above (certification's history and levels).
 *
 * What the pages reveal about old addresses (decision recorded in docs/legacy-import.md): the
 * password form says "wrong old address or password" for an unknown address, a wrong password
 * and an old account already linked (its hash is erased, nothing can be checked), after the same
 * bcrypt work; the code form always says "if this address had an account in the old system, a
 * code was sent to it", and only the old mailbox learns whether it was linked already. "Already
 * linked to another account" is said only to someone who proved the old credentials (a right
 * password or code, beaten by another account's link).
 */

export interface LinkDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}

export type LinkFailure =
  /** This new account is linked already (to this old account or another one). */
  | { ok: false; code: 'done' }
  /** Wrong old address or password (or nothing left to check): the same words for all. */
  | { ok: false; code: 'wrong' }
  /** Too many wrong tries: wait this long. */
  | { ok: false; code: 'wait'; waitMs: number }
  /** The old credentials were right, but the old account is linked to another new account. */
  | { ok: false; code: 'taken' }
  /** No live code for this account (never asked, expired, used, or too many wrong tries). */
  | { ok: false; code: 'no_code' }
  | { ok: false; code: 'wrong_code'; attemptsLeft: number };

export type LinkResult = { ok: true; oldEmail: string } | LinkFailure;

export interface LegacyLinkView {
  oldEmail: string;
  linkedAt: Date;
  method: 'password' | 'code';
}

/** The old record shown to the learner once linked: the imported line without its email, password hash, heard_from and created_on. */
export type LegacyRecordView = Pick<
  LegacyAccountRow,
  | 'civility'
  | 'lastName'
  | 'birthName'
  | 'firstName'
  | 'birthDate'
  | 'birthCountry'
  | 'address'
  | 'addressComplement1'
  | 'addressComplement2'
  | 'postalCode'
  | 'city'
  | 'mobilePhone'
  | 'landlinePhone'
>;

const normalise = (email: string) => email.trim().toLowerCase();

/** ACC-9: the new account's link, with the old record as the old system had it (for the learner to check), or null. */
export async function linkOf(db: DbOrTx, userId: string): Promise<(LegacyLinkView & { record: LegacyRecordView }) | null> {
  const [row] = await db
    .select({ link: legacyLinks, account: legacyAccounts })
    .from(legacyLinks)
    .innerJoin(legacyAccounts, eq(legacyAccounts.id, legacyLinks.legacyAccountId))
    .where(eq(legacyLinks.userId, userId));
  if (!row) return null;
  const a = row.account;
  return {
    oldEmail: a.email,
    linkedAt: row.link.linkedAt,
    method: row.link.method,
    record: {
      civility: a.civility,
      lastName: a.lastName,
      birthName: a.birthName,
      firstName: a.firstName,
      birthDate: a.birthDate,
      birthCountry: a.birthCountry,
      address: a.address,
      addressComplement1: a.addressComplement1,
      addressComplement2: a.addressComplement2,
      postalCode: a.postalCode,
      city: a.city,
      mobilePhone: a.mobilePhone,
      landlinePhone: a.landlinePhone,
    },
  };
}

/** A live code of this account waits to be typed (the page then shows the code's field first). */
export async function hasLiveCode(db: DbOrTx, clock: Clock, userId: string): Promise<boolean> {
  return (await liveCode(db, clock, userId)) !== null;
}

async function liveCode(db: DbOrTx, clock: Clock, userId: string) {
  const [row] = await db
    .select()
    .from(legacyLinkCodes)
    .where(and(eq(legacyLinkCodes.userId, userId), isNull(legacyLinkCodes.usedAt), gt(legacyLinkCodes.expiresAt, clock.now()), lt(legacyLinkCodes.attempts, LINK_CODE_ATTEMPTS)))
    .orderBy(desc(legacyLinkCodes.createdAt))
    .limit(1);
  return row ?? null;
}

/** The bcrypt cost every password try costs: the highest of the hashes still stored (at most BCRYPT_MAX_COST, refused above at import). */
async function decoyCost(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ cost: sql<number | null>`max(substring(${legacyAccounts.passwordHash} from 5 for 2)::int)` })
    .from(legacyAccounts)
    .where(eq(legacyAccounts.passwordScheme, 'bcrypt'));
  const cost = row?.cost === null || row?.cost === undefined ? DEFAULT_DECOY_COST : Number(row.cost);
  return Math.min(cost, BCRYPT_MAX_COST);
}

const windowStart = (clock: Clock) => new Date(clock.now().getTime() - LINK_FAILURES_WINDOW_MS);

/**
 * The throttle of old-password tries (as logins, decision 009): the try is counted as a failure
 * before the password is checked, one at a time per old address, and forgotten if it was right.
 */
async function beginTry(db: Db, clock: Clock, userId: string, email: string): Promise<{ ok: true; id: number } | { ok: false; waitMs: number }> {
  const policies = await getPolicies(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`legacy-link:${email}`}, 0))`);
    const result = await tx.execute<{ account_failures: number; account_last_ms: number | null; email_failures: number; email_last_ms: number | null }>(sql`
      select count(*) filter (where user_id = ${userId})::int as account_failures,
             (extract(epoch from max(failed_at) filter (where user_id = ${userId})) * 1000)::float8 as account_last_ms,
             count(*) filter (where email = ${email})::int as email_failures,
             (extract(epoch from max(failed_at) filter (where email = ${email})) * 1000)::float8 as email_last_ms
        from legacy_link_failures
       where (user_id = ${userId} or email = ${email}) and failed_at > ${windowStart(clock)}`);
    const r = result.rows[0];
    const at = (ms: number | null) => (ms === null ? null : new Date(ms));
    const waitMs = linkWaitMs(
      { account: { failures: r.account_failures, lastFailedAt: at(r.account_last_ms) }, oldEmail: { failures: r.email_failures, lastFailedAt: at(r.email_last_ms) } },
      { perAccount: policies.failedLoginsPerSourceBeforeWait, perOldEmail: policies.maxFailedLoginsPerHour },
      clock.now(),
    );
    if (waitMs > 0) return { ok: false as const, waitMs };
    const [row] = await tx.insert(legacyLinkFailures).values({ userId, email, failedAt: clock.now() }).returning({ id: legacyLinkFailures.id });
    return { ok: true as const, id: row.id };
  });
}

/**
 * Links `legacyAccountId` to `userId` in `tx`: the unique constraints decide between two
 * accounts at the same moment. The old hash is erased (only the new credentials are used
 * afterwards), the old account's codes deleted, the old address told.
 */
async function link(tx: Tx, deps: LinkDeps, input: { userId: string; legacyAccountId: string; method: 'password' | 'code' }): Promise<LinkResult> {
  const { clock } = deps;
  const [account] = await tx.select().from(legacyAccounts).where(eq(legacyAccounts.id, input.legacyAccountId)).for('update');
  if (!account) return { ok: false, code: 'wrong' };
  const [existing] = await tx.select().from(legacyLinks).where(or(eq(legacyLinks.legacyAccountId, account.id), eq(legacyLinks.userId, input.userId)));
  if (existing) return existing.userId === input.userId ? { ok: false, code: 'done' } : { ok: false, code: 'taken' };
  const inserted = await tx
    .insert(legacyLinks)
    .values({ legacyAccountId: account.id, userId: input.userId, method: input.method, linkedAt: clock.now() })
    .onConflictDoNothing()
    .returning({ id: legacyLinks.legacyAccountId });
  if (inserted.length === 0) return { ok: false, code: 'taken' };
  await tx.update(legacyAccounts).set({ passwordScheme: null, passwordHash: null }).where(eq(legacyAccounts.id, account.id));
  await tx.delete(legacyLinkCodes).where(eq(legacyLinkCodes.legacyAccountId, account.id));
  await tx.delete(legacyLinkFailures).where(or(eq(legacyLinkFailures.userId, input.userId), eq(legacyLinkFailures.email, account.email)));
  await audit(tx, clock, { action: 'legacy.linked', actorId: input.userId, subjectId: input.userId, data: { method: input.method } });
  const user = await getUser(tx, input.userId);
  const t = translator((user?.locale ?? 'fr') as Locale);
  await queueEmail(tx, {
    to: account.email,
    subject: t('legacy.email.linked.subject'),
    text: t('legacy.email.linked.body', { date: t.date(clock.now(), 'datetime')}),
  });
  return { ok: true, oldEmail: account.email };
}

/**
 * ACC-9: links the old account of `oldEmail` with its old password, checked in its own scheme
 * (bcrypt, salted SHA-256). Throttled per new account and per old address; every try costs the
 * same bcrypt work (the highest cost imported), whatever the address and its scheme.
 * Errors: `done`, `wrong`, `wait`, `taken`.
 */
export async function linkWithPassword(deps: LinkDeps, input: { userId: string; oldEmail: string; password: string }): Promise<LinkResult> {
  const { db, clock } = deps;
  if (await linkOf(db, input.userId)) return { ok: false, code: 'done' };
  const email = normalise(input.oldEmail);
  const attempt = await beginTry(db, clock, input.userId, email);
  if (!attempt.ok) return { ok: false, code: 'wait', waitMs: attempt.waitMs };
  const [account] = await db.select().from(legacyAccounts).where(eq(legacyAccounts.email, email));
  const right = account?.passwordScheme && account.passwordHash ? await verifyLegacyPassword(account.passwordScheme, account.passwordHash, input.password) : false;
  // The same bcrypt work for every try, so the time tells neither the address nor the scheme:
  // decoys bring an unknown address, an account linked already, SHA-256 (quick) or a cheaper
  // hash up to the highest cost of the hashes imported.
  // A hash above the limit (imported before it) is not computed: a decoy does the work instead.
  const stored = account?.passwordScheme === 'bcrypt' && account.passwordHash ? bcryptCostOf(account.passwordHash) : null;
  const cost = stored !== null && stored <= BCRYPT_MAX_COST ? stored : null;
  for (const decoy of decoyCosts(cost, await decoyCost(db))) await verifyLegacyPassword('bcrypt', decoyBcrypt(decoy), input.password);
  if (!right || !account) return { ok: false, code: 'wrong' };
  await db.delete(legacyLinkFailures).where(eq(legacyLinkFailures.id, attempt.id));
  return db.transaction((tx) => link(tx, deps, { userId: input.userId, legacyAccountId: account.id, method: 'password' }));
}

/**
 * ACC-9, seed 002's "mot de passe oublié" of the old account: sends a single-use code to the old
 * address, for this new account (a new request voids the earlier code). The answer is the same
 * whatever the address; an old account linked already gets an email saying so instead.
 * The route limits how often it is asked (per account and per address).
 */
export async function requestLinkCode(deps: LinkDeps, input: { userId: string; oldEmail: string }): Promise<{ ok: true } | { ok: false; code: 'done' }> {
  const { db, clock } = deps;
  if (await linkOf(db, input.userId)) return { ok: false, code: 'done' };
  const email = normalise(input.oldEmail);
  await db.transaction(async (tx) => {
    const [account] = await tx.select().from(legacyAccounts).where(eq(legacyAccounts.email, email)).for('update');
    if (!account) return;
    const user = await getUser(tx, input.userId);
    const t = translator((user?.locale ?? 'fr') as Locale);
    const [linked] = await tx.select().from(legacyLinks).where(eq(legacyLinks.legacyAccountId, account.id));
    if (linked) {
      await queueEmail(tx, { to: account.email, subject: t('legacy.email.alreadyLinked.subject'), text: t('legacy.email.alreadyLinked.body', { date: t.date(linked.linkedAt, 'date')}) });
      return;
    }
    await tx.delete(legacyLinkCodes).where(eq(legacyLinkCodes.userId, input.userId));
    const code = newLinkCode();
    await tx.insert(legacyLinkCodes).values({
      legacyAccountId: account.id,
      userId: input.userId,
      codeHash: linkCodeHash(code),
      createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + LINK_CODE_MINUTES * 60_000),
    });
    await queueEmail(tx, {
      to: account.email,
      subject: t('legacy.email.code.subject'),
      text: t('legacy.email.code.body', { code: `${code.slice(0, 4)} ${code.slice(4)}`, minutes: LINK_CODE_MINUTES, link: `${deps.baseUrl}/compte/ancien-compte` }),
    });
    await audit(tx, clock, { action: 'legacy.code_sent', actorId: input.userId, subjectId: input.userId });
  });
  return { ok: true };
}

/**
 * ACC-9: links with the code sent to the old address: this account's latest live code, at most
 * LINK_CODE_ATTEMPTS tries, used once. Errors: `done`, `no_code`, `wrong_code`, `taken`.
 */
export async function linkWithCode(deps: LinkDeps, input: { userId: string; code: string }): Promise<LinkResult> {
  const { db, clock } = deps;
  if (await linkOf(db, input.userId)) return { ok: false, code: 'done' };
  return db.transaction(async (tx) => {
    const live = await liveCode(tx, clock, input.userId);
    if (!live) return { ok: false as const, code: 'no_code' as const };
    const [row] = await tx.select().from(legacyLinkCodes).where(eq(legacyLinkCodes.id, live.id)).for('update');
    if (!row || row.usedAt || row.attempts >= LINK_CODE_ATTEMPTS || row.expiresAt <= clock.now()) return { ok: false as const, code: 'no_code' as const };
    if (row.codeHash !== linkCodeHash(input.code)) {
      await tx.update(legacyLinkCodes).set({ attempts: row.attempts + 1 }).where(eq(legacyLinkCodes.id, row.id));
      const attemptsLeft = LINK_CODE_ATTEMPTS - row.attempts - 1;
      return attemptsLeft > 0 ? { ok: false as const, code: 'wrong_code' as const, attemptsLeft } : { ok: false as const, code: 'no_code' as const };
    }
    await tx.update(legacyLinkCodes).set({ usedAt: clock.now() }).where(eq(legacyLinkCodes.id, row.id));
    return link(tx, deps, { userId: input.userId, legacyAccountId: row.legacyAccountId, method: 'code' });
  });
}

// ---------------------------------------------------------------------------------------------
// What the linked history gives the modules above

/** ACC-9, ACC-10: one past enrolment of the old system, as the history shows it ("ancien système"). */
export interface LegacyHistoryEntry extends Omit<LegacyEnrolmentRow, 'email' | 'courseCode'> {
  id: number;
  courseId: number;
  courseTitle: string;
}

/** ACC-9, ACC-10: the linked old enrolments of this learner, newest first; empty without a link. */
export async function legacyHistoryOf(db: DbOrTx, userId: string): Promise<LegacyHistoryEntry[]> {
  const rows = await db
    .select({ e: legacyEnrolments })
    .from(legacyEnrolments)
    .innerJoin(legacyLinks, eq(legacyLinks.legacyAccountId, legacyEnrolments.legacyAccountId))
    .where(eq(legacyLinks.userId, userId))
    .orderBy(desc(legacyEnrolments.startedOn), desc(legacyEnrolments.id));
  if (rows.length === 0) return [];
  const titles = await courseTitles(db, [...new Set(rows.map((r) => r.e.courseId))]);
  return rows.map(({ e }) => ({
    id: e.id,
    courseId: e.courseId,
    courseTitle: titles.get(e.courseId) ?? '',
    school: e.school,
    period: e.period,
    startedOn: e.startedOn,
    endedOn: e.endedOn,
    attendancePercent: e.attendancePercent,
    attendanceCertified: e.attendanceCertified,
    outcome: e.outcome,
    certificateOn: e.certificateOn,
    certificateNumber: e.certificateNumber,
  }));
}

const outcomesQuery = (db: DbOrTx, inCourses: boolean) =>
  db
    .select({ userId: legacyLinks.userId, e: legacyEnrolments })
    .from(legacyEnrolments)
    .innerJoin(legacyLinks, eq(legacyLinks.legacyAccountId, legacyEnrolments.legacyAccountId))
    .where(
      and(
        sql`${legacyLinks.userId} = any(${planOnce(sql.placeholder('learners'), 'uuid[]')})`,
        inCourses ? sql`${legacyEnrolments.courseId} = any(${planOnce(sql.placeholder('courses'), 'int[]')})` : undefined,
      ),
    );
const outcomesOf = statement('legacy_outcomes', (db) => outcomesQuery(db, false));
const outcomesInCourses = statement('legacy_outcomes_in_courses', (db) => outcomesQuery(db, true));

/**
 * SEL-1, SEL-2, CERT-3, CERT-6: the linked old enrolments of these learners as end-of-course
 * facts (the shape of certification's outcomes): the attendance as a percentage (attended of
 * 100), the end date as the moment of the outcome.
 */
export async function legacyOutcomes(
  db: DbOrTx,
  learnerIds: readonly string[],
  courseIds?: readonly number[],
): Promise<
  {
    learnerId: string;
    courseId: number;
    attendedMinutes: number;
    plannedMinutes: number;
    attendanceCertified: boolean;
    outcome: EvaluationOutcome | null;
    certificateIssuedAt: Date | null;
    computedAt: Date;
  }[]
> {
  if (learnerIds.length === 0 || courseIds?.length === 0) return [];
  // Asked at every validation (ACC-9's outcomes count for CERT-3, CERT-6): named statements, built once, the ids array parameters.
  const rows = await (courseIds ? outcomesInCourses : outcomesOf)(db).execute({ learners: [...learnerIds], courses: courseIds ? [...courseIds] : undefined });
  return rows.map(({ userId, e }) => ({
    learnerId: userId,
    courseId: e.courseId,
    attendedMinutes: e.attendancePercent ?? 0,
    plannedMinutes: e.attendancePercent === null ? 0 : 100,
    attendanceCertified: e.attendanceCertified,
    outcome: e.outcome,
    certificateIssuedAt: e.certificateOn ? new Date(`${e.certificateOn}T12:00:00Z`) : null,
    computedAt: new Date(`${e.endedOn}T12:00:00Z`),
  }));
}

/**
 * CERT-6: the courses this learner passed in the old system (the certificate of skills — or none
 * for a course without a test — and the attendance certificate).
 */
export async function legacyPassedCourses(db: DbOrTx, userId: string): Promise<Set<number>> {
  const rows = await legacyOutcomes(db, [userId]);
  return new Set(rows.filter((r) => r.attendanceCertified && (r.outcome === 'passed' || r.outcome === null)).map((r) => r.courseId));
}
