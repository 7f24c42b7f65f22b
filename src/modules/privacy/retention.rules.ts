import { DAY, parisDay } from '../../platform/clock';
import type { DueItem, RetentionRule } from '../../platform/personal-data';
import type { Policies, PolicyKey } from '../../platform/policies';

/**
 * ACC-14's pure rules: periods, the notice's timing, the inactive-account rule, and how the job
 * cuts what is due into batches that never split one learner.
 */

export type PeriodUnit = RetentionRule['unit'];

/** `from` moved by `amount` units (negative: back); months and years on the calendar, the day kept or the month's last. */
export function addPeriod(from: Date, amount: number, unit: PeriodUnit): Date {
  if (unit === 'days') return new Date(from.getTime() + amount * DAY);
  if (unit === 'hours') return new Date(from.getTime() + amount * 3_600_000);
  const months = unit === 'years' ? amount * 12 : amount;
  const d = new Date(from.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The unit a policy's name says (`…Days`, `…Hours`, `…Months`, `…Years`), or null. */
export function unitOfPolicy(policy: string): PeriodUnit | null {
  const m = /(Days|Hours|Months|Years)$/.exec(policy);
  return m ? (m[1].toLowerCase() as PeriodUnit) : null;
}

/** A rule's period with the current policy value: `{ amount: 10, unit: 'years' }`. */
export function periodOf(rule: RetentionRule, policies: Policies): { amount: number; unit: PeriodUnit } {
  return { amount: Number(policies[rule.policy as PolicyKey]), unit: rule.unit };
}

/** The day on Paris's clocks, `YYYY-MM-DD` (the job runs at most once per such day). */
export { parisDay };

/** When the job looks ahead for notices: what falls due by then is announced now. */
export const noticeHorizon = (now: Date, noticeDays: number): Date => addPeriod(now, noticeDays, 'days');

/**
 * Whether what a notice announced may go now: sent at least `noticeDays` before (the learner had
 * the time the notice gave). Without a notice (`notice: false` sets) there is nothing to wait for.
 */
export function noticeGiven(notice: { sentAt: Date } | null, now: Date, noticeDays: number): boolean {
  return notice !== null && now.getTime() >= addPeriod(notice.sentAt, noticeDays, 'days').getTime();
}

/** The instant the expiry uses for a noticed set: now, but never past what the notice covered. */
export const expiryInstant = (now: Date, coversUntil: Date): Date => (coversUntil < now ? coversUntil : now);

/** The date a notice gives: the due date, or the end of the notice period if that is later. */
export const announcedDate = (dueAt: Date, sentAt: Date, noticeDays: number): Date => {
  const earliest = addPeriod(sentAt, noticeDays, 'days');
  return dueAt > earliest ? dueAt : earliest;
};

/**
 * The inactive-account rule: an account with no sign-in and no application activity for
 * `inactiveAccountMonths` is closed. Its last activity is the later of both; it falls due then.
 */
export function lastActivity(lastSignIn: Date, lastApplication: Date | undefined | null): Date {
  return lastApplication && lastApplication > lastSignIn ? lastApplication : lastSignIn;
}

export const inactiveAccountDueAt = (last: Date, months: number): Date => addPeriod(last, months, 'months');

/** The cut-off of the rule: an account whose last activity is before it is due at `at`. */
export const inactiveBefore = (at: Date, months: number): Date => addPeriod(at, -months, 'months');

/** One learner of a batch: what each source (by its index) has due for them. */
export interface DueLearner {
  userId: string;
  bySource: Map<number, DueItem[]>;
}

/**
 * Merges one page of each source (each at most `limit` learners, in the order of user ids after
 * the same cursor) into one batch of at most `limit` learners that never splits one: a learner
 * is in the batch only if every source that may have more after its page has been read past
 * them. `next` is the cursor of the next batch, null when every source is exhausted.
 */
export function mergeDuePages(pages: readonly (readonly DueItem[])[], limit: number): { learners: DueLearner[]; next: string | null } {
  let cutoff: string | null = null;
  const byUser = new Map<string, DueLearner>();
  for (const [source, page] of pages.entries()) {
    const users = [...new Set(page.map((i) => i.userId))].sort();
    const last = users[users.length - 1];
    if (users.length >= limit && (cutoff === null || last < cutoff)) cutoff = last;
    for (const item of page) {
      const learner = byUser.get(item.userId) ?? { userId: item.userId, bySource: new Map<number, DueItem[]>() };
      learner.bySource.set(source, [...(learner.bySource.get(source) ?? []), item]);
      byUser.set(item.userId, learner);
    }
  }
  const upTo = cutoff;
  let learners = [...byUser.values()].filter((l) => upTo === null || l.userId <= upTo).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  if (learners.length > limit) {
    learners = learners.slice(0, limit);
    cutoff = learners[learners.length - 1].userId;
  }
  return { learners, next: cutoff };
}
