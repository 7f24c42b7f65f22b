import { sql } from 'drizzle-orm';
import { date, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table';

const at = (name: string) => timestamp(name, { withTimezone: true });

/**
 * ACC-14: the notices sent before something of a learner is deleted or anonymised, one open
 * notice per learner and data set (the partial unique index): the job sends it once, expires
 * only what it covered, and only `retentionNoticeDays` after it was sent. A notice no run finds
 * due any more (the learner signed in, the application came back to life) is cancelled.
 */
export const retentionNotices = pgTable(
  'retention_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The data set whose data falls due (its name), or `privacy.inactive-account`. */
    setName: text('set_name').notNull(),
    /** What falls due, as the set says it (message keys) with their due dates: `[{ what, dueAt }]`. */
    items: jsonb('items').$type<{ what: string; dueAt: string }[]>().notNull(),
    /** The earliest due date announced. */
    dueAt: at('due_at').notNull(),
    /** When the email was written to the outbox, in this row's transaction. */
    sentAt: at('sent_at').notNull(),
    /** What was due by this instant was announced (the send + `retentionNoticeDays`): the expiry goes no further. */
    coversUntil: at('covers_until').notNull(),
    /** The last run that still found it due; a run that no longer does cancels it. */
    checkedAt: at('checked_at').notNull(),
    expiredAt: at('expired_at'),
    cancelledAt: at('cancelled_at'),
  },
  (t) => [
    uniqueIndex('retention_notices_open').on(t.userId, t.setName).where(sql`expired_at is null and cancelled_at is null`),
    index('retention_notices_checked_idx').on(t.checkedAt).where(sql`expired_at is null and cancelled_at is null`),
  ],
);

/**
 * ACC-14: the daily runs of the retention job, one row per day on Paris's clocks (at most one run
 * a day). A run is claimed with a lease; one killed halfway is taken up again when its lease ends,
 * and finds only what is left (every step is idempotent).
 */
export const retentionRuns = pgTable('retention_runs', {
  day: date('day', { mode: 'string' }).primaryKey(),
  startedAt: at('started_at').notNull(),
  lockedUntil: at('locked_until').notNull(),
  finishedAt: at('finished_at'),
  /** What the run did (counts only: notices, learners, rows, closures, cancellations, swept rows). */
  report: jsonb('report').$type<Record<string, number>>(),
});
