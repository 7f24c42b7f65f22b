import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import { lastSignInOf, learnersSignedInBefore, tellLearner, type LearnerMessage } from '../accounts';
import { lastApplicationActivity } from '../applications';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { MessageKey } from '../../platform/i18n';
import { personalCategories, type DueItem, type EndOfRetention, type PersonalDataSet, type SetRetention } from '../../platform/personal-data';
import { getPolicies, type Policies } from '../../platform/policies';
import type { PruneTask } from '../../platform/worker';
import { closeAccount as realCloseAccount } from './closure.service';
import { personalDataSets } from './owners';
import { registerLines, type RegisterLine } from './registry';
import {
  announcedDate,
  expiryInstant,
  inactiveAccountDueAt,
  inactiveBefore,
  lastActivity,
  mergeDuePages,
  noticeGiven,
  noticeHorizon,
  parisDay,
  type DueLearner,
} from './retention.rules';
import { retentionNotices, retentionRuns } from './retention.table';

/**
 * ACC-14: the daily retention job. Each run, for the data sets that have a `retention`, and for
 * the inactive-account rule (no sign-in and no application activity for `inactiveAccountMonths`,
 * then ACC-11's closure):
 *   1. expiry — what is due now, re-checked by the sets, in batches of learners that never split
 *      one (one learner, one transaction through every set's `expire`); for a set with notice,
 *      only what a notice sent at least `retentionNoticeDays` before announced;
 *   2. notices — what falls due by now + `retentionNoticeDays`: one email per learner listing what
 *      is newly announced, recorded in `retention_notices` (one open notice per learner and set,
 *      so never twice); a notice no longer found due (the learner signed in…) is cancelled;
 *   3. sweeps — the sets' data not kept per learner (outboxes, logs), in bounded batches.
 * Every step is idempotent: a run killed halfway and run again deletes nothing twice and misses
 * nothing (what was expired is no longer due; what was announced has its notice).
 */

export type CloseAccount = typeof realCloseAccount;

export interface RetentionDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  /** The data sets (every module's, `personalDataSets`; the tests give fixtures). */
  sets?: readonly PersonalDataSet[];
  /** ACC-11's closure (privacy/closure.service), for inactive accounts. */
  closeAccount?: CloseAccount;
  /** Learners per batch, rows per sweep call. */
  batchSize?: number;
  /** Stops after this many batches (the next run takes up what is left): a run killed halfway, in the tests. */
  maxBatches?: number;
}

export interface RetentionReport {
  /** Emails of notice written. */
  notices: number;
  /** Learners whose data of some set was expired. */
  learners: number;
  /** Rows deleted or anonymised by the sets' expiries. */
  rows: number;
  /** Inactive accounts closed. */
  closed: number;
  /** Learners due but not yet told long enough before (waiting for their notice's period). */
  waiting: number;
  /** Notices cancelled: no longer due. */
  cancelled: number;
  /** Rows swept. */
  swept: number;
  /** False when the run stopped at `maxBatches`: the next one goes on. */
  complete: boolean;
}

/** The inactive-account rule's name in `retention_notices` and in a notice. */
export const INACTIVE_ACCOUNT = 'privacy.inactive-account';
export const BATCH_SIZE = 200;

/** What happens at the end, as a notice and the learner's page say it: deleted, anonymised, both (a set with both), or the account closed. */
export type NoticeEnd = 'delete' | 'anonymise' | 'both' | 'close';

interface Source {
  name: string;
  notice: boolean;
  due: NonNullable<SetRetention['due']>;
  expire?: SetRetention['expire'];
  /** What the set's end does (delete, anonymise), or the closure of the account. */
  end: NoticeEnd;
}

function endOf(set: PersonalDataSet): NoticeEnd {
  const ends = new Set<EndOfRetention>(set.tables.flatMap((t) => Object.values(t.personal).map((c) => c.end)));
  return ends.size > 1 ? 'both' : ends.has('anonymise') ? 'anonymise' : 'delete';
}

/** Why the account cannot be closed now (an application being processed, fees unpaid): any set's `blocksClosure`. */
async function blocked(db: DbOrTx, sets: readonly PersonalDataSet[], userId: string): Promise<boolean> {
  for (const set of sets) if (((await set.blocksClosure?.(db, userId)) ?? []).length) return true;
  return false;
}

/**
 * The inactive-account rule, asked of the accounts (last sign-in) and applications (last
 * activity) facades; an account something keeps open (`blocksClosure`) is never due.
 */
function inactiveAccounts(sets: readonly PersonalDataSet[]): Source {
  return {
    name: INACTIVE_ACCOUNT,
    notice: true,
    end: 'close',
    due: async (db, { at, policies, limit, afterUserId }) => {
      const before = inactiveBefore(at, policies.inactiveAccountMonths);
      const due: DueItem[] = [];
      let after = afterUserId;
      while (due.length < limit) {
        const page = await learnersSignedInBefore(db, { before, limit, afterUserId: after });
        const applications = await lastApplicationActivity(db, page.map((p) => p.userId));
        for (const p of page) {
          const last = lastActivity(p.lastSignInAt, applications.get(p.userId));
          if (last >= before || (await blocked(db, sets, p.userId))) continue;
          due.push({ userId: p.userId, what: 'privacy.retention.what.account', dueAt: inactiveAccountDueAt(last, policies.inactiveAccountMonths) });
          if (due.length >= limit) break;
        }
        if (page.length < limit) break;
        after = page[page.length - 1].userId;
      }
      return due;
    },
  };
}

/** Is the account still inactive at `at` (re-checked by the closure, under the learner's lock)? */
async function stillInactive(db: DbOrTx, sets: readonly PersonalDataSet[], userId: string, at: Date, policies: Policies): Promise<boolean> {
  const signIn = await lastSignInOf(db, userId);
  if (!signIn) return false;
  const applications = await lastApplicationActivity(db, [userId]);
  return lastActivity(signIn, applications.get(userId)) < inactiveBefore(at, policies.inactiveAccountMonths) && !(await blocked(db, sets, userId));
}

type Notice = typeof retentionNotices.$inferSelect;

async function openNotices(db: DbOrTx, userId: string): Promise<Map<string, Notice>> {
  const rows = await db
    .select()
    .from(retentionNotices)
    .where(and(eq(retentionNotices.userId, userId), isNull(retentionNotices.expiredAt), isNull(retentionNotices.cancelledAt)));
  return new Map(rows.map((n) => [n.setName, n]));
}

/** The batches of learners due at `at` in these sources; stops (returns false) when the budget of batches is spent. */
async function eachBatch(
  db: Db,
  sources: readonly Source[],
  input: { at: Date; policies: Policies; limit: number },
  budget: { left: number },
  handle: (learner: DueLearner) => Promise<void>,
): Promise<boolean> {
  if (sources.length === 0) return true;
  let after: string | undefined;
  for (;;) {
    if (budget.left <= 0) return false;
    budget.left--;
    const pages: DueItem[][] = [];
    for (const source of sources) pages.push(await source.due(db, { ...input, afterUserId: after }));
    const { learners, next } = mergeDuePages(pages, input.limit);
    for (const learner of learners) await handle(learner);
    if (next === null) return true;
    after = next;
  }
}

/** Runs the job once (see above); `runDailyRetention` is the worker's entry, at most once per Paris day. */
export async function runRetention(deps: RetentionDeps): Promise<RetentionReport> {
  const { db, clock, baseUrl } = deps;
  const sets = deps.sets ?? personalDataSets;
  const close = deps.closeAccount ?? realCloseAccount;
  const limit = deps.batchSize ?? BATCH_SIZE;
  const budget = { left: deps.maxBatches ?? Number.POSITIVE_INFINITY };
  const policies = await getPolicies(db);
  const now = clock.now();
  const noticeDays = policies.retentionNoticeDays;
  const report: RetentionReport = { notices: 0, learners: 0, rows: 0, closed: 0, waiting: 0, cancelled: 0, swept: 0, complete: false };

  const inactive = inactiveAccounts(sets);
  const sources: Source[] = [
    inactive,
    ...sets.flatMap((set) => (set.retention?.due && set.retention.expire ? [{ name: set.name, notice: set.retention.notice, due: set.retention.due, expire: set.retention.expire, end: endOf(set) }] : [])),
  ];

  // 1. Expiry of what is due now.
  const expired = await eachBatch(db, sources, { at: now, policies, limit }, budget, async ({ userId, bySource }) => {
    const notices = await openNotices(db, userId);
    if (bySource.has(0)) {
      const notice = notices.get(INACTIVE_ACCOUNT) ?? null;
      if (!noticeGiven(notice, now, noticeDays)) report.waiting++;
      else {
        // ACC-11's closure forgets everything of the account in its own transaction (this set's notices too): nothing else to expire.
        // Whether the account is still inactive is asked there, under the learner's lock (a sign-in just now keeps it open).
        const at = expiryInstant(now, notice!.coversUntil);
        const closed = await close({ db, clock, baseUrl }, { userId, reason: 'retention', stillDue: (tx) => stillInactive(tx, sets, userId, at, policies) });
        if (closed.ok) {
          report.closed++;
          return;
        }
      }
    }
    const setsDone: string[] = [];
    let rows = 0;
    await db.transaction(async (tx) => {
      for (const [index, _items] of bySource) {
        const source = sources[index];
        if (!source.expire) continue;
        const notice = notices.get(source.name) ?? null;
        if (source.notice && !noticeGiven(notice, now, noticeDays)) {
          report.waiting++;
          continue;
        }
        rows += await source.expire(tx, { userId, at: notice && source.notice ? expiryInstant(now, notice.coversUntil) : now, policies, clock });
        if (notice && source.notice) await tx.update(retentionNotices).set({ expiredAt: now }).where(and(eq(retentionNotices.id, notice.id), isNull(retentionNotices.expiredAt)));
        setsDone.push(source.name);
      }
      if (setsDone.length) await audit(tx, clock, { action: 'retention.expired', subjectId: userId, data: { sets: setsDone, rows } });
    });
    if (setsDone.length) {
      report.learners++;
      report.rows += rows;
    }
  });
  if (!expired) return report;

  // 2. Notices of what falls due by now + retentionNoticeDays.
  const horizon = noticeHorizon(now, noticeDays);
  const noticed = sources.filter((s) => s.notice);
  const told = await eachBatch(db, noticed, { at: horizon, policies, limit }, budget, async ({ userId, bySource }) => {
    await db.transaction(async (tx) => {
      const notices = await openNotices(tx, userId);
      const fresh: { source: Source; items: DueItem[] }[] = [];
      for (const [index, items] of bySource) {
        const source = noticed[index];
        const open = notices.get(source.name);
        if (open) {
          await tx.update(retentionNotices).set({ checkedAt: now }).where(eq(retentionNotices.id, open.id));
          continue;
        }
        const dueAt = new Date(Math.min(...items.map((i) => i.dueAt.getTime())));
        const [row] = await tx
          .insert(retentionNotices)
          .values({ userId, setName: source.name, items: items.map((i) => ({ what: i.what, dueAt: i.dueAt.toISOString() })), dueAt, sentAt: now, coversUntil: horizon, checkedAt: now })
          .onConflictDoNothing()
          .returning({ id: retentionNotices.id });
        if (row) fresh.push({ source, items });
      }
      if (fresh.length === 0) return;
      // ACC-14, SVC-7: by the channels the learner chose (the SMS says where to read the notice).
      const told = await tellLearner(tx, userId, noticeMessage({ baseUrl, now, noticeDays, fresh }));
      if (told.channels.length === 0) return;
      report.notices++;
    });
  });
  if (!told) return report;
  // A whole pass found every notice still due again (checked now); one it did not is no longer due.
  const cancelled = await db
    .update(retentionNotices)
    .set({ cancelledAt: now })
    .where(and(isNull(retentionNotices.expiredAt), isNull(retentionNotices.cancelledAt), lt(retentionNotices.checkedAt, now)))
    .returning({ id: retentionNotices.id });
  report.cancelled = cancelled.length;

  // 3. Sweeps of what is not kept per learner.
  for (const set of sets) {
    const sweep = set.retention?.sweep;
    if (!sweep) continue;
    for (;;) {
      if (budget.left <= 0) return report;
      budget.left--;
      const n = await sweep(db, { at: now, policies, limit });
      report.swept += n;
      if (n < limit) break;
    }
  }
  report.complete = true;
  return report;
}

export function noticeMessage(input: { baseUrl: string; now: Date; noticeDays: number; fresh: { source: Source; items: DueItem[] }[] }): LearnerMessage {
  return {
    purpose: 'privacy.retention.notice',
    compose: (t) => {
      const lines = input.fresh.flatMap(({ source, items }) =>
        items.map((item) => `- ${t('privacy.retention.email.item', { what: t(item.what as MessageKey), end: t(`privacy.retention.end.${source.end}` as MessageKey), date: t.date(announcedDate(item.dueAt, input.now, input.noticeDays)) })}`),
      );
      const account = input.fresh.find((f) => f.source.name === INACTIVE_ACCOUNT);
      const keep = account
        ? t('privacy.retention.email.keepAccount', { date: t.date(announcedDate(account.items[0].dueAt, input.now, input.noticeDays)), url: `${input.baseUrl}/connexion` })
        : t('privacy.retention.email.keepData', { url: `${input.baseUrl}/compte/donnees` });
      const more = `${input.baseUrl}/compte/donnees/conservation`;
      const text = [t('privacy.retention.email.intro'), lines.join('\n'), keep, t('privacy.retention.email.more', { url: more })].join('\n\n');
      return { subject: t('privacy.retention.email.subject'), text, link: more };
    },
  };
}

/** A run's lease: a run killed halfway is taken up again by the next worker tick after it. */
const LEASE_MS = 30 * 60_000;

/**
 * The worker's entry (a prune task, every five minutes): runs the job if today's run (a day on
 * Paris's clocks) has not finished and no other process holds it; at most one complete run a day.
 * Returns what it did: 'done', 'unfinished' (stopped at maxBatches, the next tick goes on),
 * 'skipped' (done today, or another process runs it).
 */
export async function runDailyRetention(deps: RetentionDeps): Promise<'done' | 'unfinished' | 'skipped'> {
  const { db, clock } = deps;
  const now = clock.now();
  const day = parisDay(now);
  const claimed = await db
    .insert(retentionRuns)
    .values({ day, startedAt: now, lockedUntil: new Date(now.getTime() + LEASE_MS) })
    .onConflictDoUpdate({
      target: retentionRuns.day,
      set: { startedAt: now, lockedUntil: new Date(now.getTime() + LEASE_MS) },
      setWhere: sql`${retentionRuns.finishedAt} is null and ${retentionRuns.lockedUntil} <= ${now}`,
    })
    .returning({ day: retentionRuns.day });
  if (claimed.length === 0) return 'skipped';
  let finished = false;
  try {
    const report = await runRetention(deps);
    finished = report.complete;
    const { complete: _complete, ...counts } = report;
    await db
      .update(retentionRuns)
      .set(finished ? { finishedAt: clock.now(), report: counts } : { lockedUntil: clock.now(), report: counts })
      .where(eq(retentionRuns.day, day));
  } catch (error) {
    // Free the day for the next tick rather than wait for the lease.
    if (!finished) await db.update(retentionRuns).set({ lockedUntil: clock.now() }).where(eq(retentionRuns.day, day));
    throw error;
  }
  return finished ? 'done' : 'unfinished';
}

/** The job as the worker's periodic task (src/background.ts gives it the links' base). */
export function retentionTask(input: { baseUrl: string }): PruneTask {
  return async ({ db, clock }) => {
    await runDailyRetention({ db, clock, baseUrl: input.baseUrl });
  };
}

/** One line of "what we keep": a kind of data, its use, its period and what happens then. */
export type KeptLine = Omit<RegisterLine, 'set' | 'table' | 'columns'>;

export interface KeptAbout {
  noticeDays: number;
  /** The inactive-account rule with the learner's own dates: closed after `months` without activity, on `until` if nothing happens. */
  account: { months: number; until: Date } | null;
  /** What this learner was told is coming (open notices). */
  scheduled: { what: string; end: NoticeEnd; date: Date }[];
  lines: KeptLine[];
}

/**
 * ACC-14: what the service keeps about this learner, why and until when, from the registry (its
 * personal columns, one line per kind of use) and the learner's own dates (the last activity
 * for the account, the notices sent).
 */
export async function whatWeKeep(deps: { db: DbOrTx; policies: Policies; sets?: readonly PersonalDataSet[] }, userId: string): Promise<KeptAbout> {
  const { db, policies } = deps;
  const sets = deps.sets ?? personalDataSets;
  const signIn = await lastSignInOf(db, userId);
  const applications = await lastApplicationActivity(db, [userId]);
  const account = signIn
    ? { months: policies.inactiveAccountMonths, until: inactiveAccountDueAt(lastActivity(signIn, applications.get(userId)), policies.inactiveAccountMonths) }
    : null;
  const notices = [...(await openNotices(db, userId)).values()];
  const scheduled = notices.flatMap((n) => {
    const set = sets.find((s) => s.name === n.setName);
    const end: NoticeEnd = n.setName === INACTIVE_ACCOUNT ? 'close' : set ? endOf(set) : 'both';
    return n.items.map((i) => ({ what: i.what, end, date: announcedDate(new Date(i.dueAt), n.sentAt, policies.retentionNoticeDays) }));
  });
  const lines = new Map<string, KeptLine>();
  for (const { set: _set, table: _table, columns: _columns, ...line } of registerLines(policies, sets)) {
    const key = JSON.stringify([line.category, line.purpose, line.basis, line.retention, line.end]);
    if (!lines.has(key)) lines.set(key, line);
  }
  const order = (c: string) => personalCategories.indexOf(c as (typeof personalCategories)[number]);
  return {
    noticeDays: policies.retentionNoticeDays,
    account,
    scheduled: scheduled.sort((a, b) => a.date.getTime() - b.date.getTime()),
    lines: [...lines.values()].sort((a, b) => order(a.category) - order(b.category)),
  };
}
