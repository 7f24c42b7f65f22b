import { sql } from 'drizzle-orm';
import { check, integer, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';

/** SEL-2: the pedagogical evaluation (test or interview) of an application, out of 20. */
export const evaluations = pgTable(
  'evaluations',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    mark: numeric('mark', { precision: 4, scale: 1, mode: 'number' }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('evaluations_mark', sql`${t.mark} between 0 and 20`)],
);

/** SEL-2: the published seed of a session's tie-breaking draw, fixed at its first ranking. */
export const selectionDraws = pgTable('selection_draws', {
  sessionId: integer('session_id')
    .primaryKey()
    .references(() => courseSessions.id, { onDelete: 'cascade' }),
  seed: text('seed').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  createdBy: uuid('created_by'),
});
