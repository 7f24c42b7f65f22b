import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { courseSessions } from '../catalogue/catalogue.table';

/** SVC-2: what the service does to a session: cancels it, or moves it to remote. */
export const sessionChangeKinds = ['cancelled', 'remote'] as const;
export type SessionChangeKind = (typeof sessionChangeKinds)[number];
/** SVC-2: why (the seed's "too few learners", or another reason the message explains). */
export const sessionChangeReasons = ['too_few_learners', 'other'] as const;
export type SessionChangeReason = (typeof sessionChangeReasons)[number];

/**
 * SVC-2: one row per change the service made to a session, with the message the learners were
 * told and how many were told, closed and refunded. A session is cancelled once (a partial unique
 * index); the catalogue keeps the session's own mark (`cancelled_at`, `mode`).
 */
export const sessionChanges = pgTable(
  'session_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    kind: text('kind', { enum: sessionChangeKinds }).notNull(),
    reason: text('reason', { enum: sessionChangeReasons }).notNull(),
    /** The staff member's words to the learners (sent as written, in every learner's message). */
    message: text('message').notNull(),
    decidedBy: uuid('decided_by').notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
    /** Learners told (each by every channel known), applications closed, refunds recorded. */
    told: integer('told').notNull().default(0),
    closed: integer('closed').notNull().default(0),
    refunded: integer('refunded').notNull().default(0),
  },
  (t) => [
    uniqueIndex('session_changes_one_cancellation').on(t.sessionId).where(sql`kind = 'cancelled'`),
    index('session_changes_session_idx').on(t.sessionId, t.decidedAt),
    check('session_changes_message', sql`char_length(${t.message}) between 1 and 2000`),
  ],
);
