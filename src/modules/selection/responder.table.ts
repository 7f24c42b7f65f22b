import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table';
import { applications } from '../applications/applications.table';

/**
 * SEL-13: the learner's order of preference among some of their live applications (1 = the one
 * they want most). Saved whole: the learner's rows are replaced together, under the version of
 * `responder_settings`.
 */
export const applicationPreferences = pgTable(
  'application_preferences',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.learnerId, t.applicationId] }),
    index('application_preferences_application_idx').on(t.applicationId),
    check('application_preferences_position', sql`${t.position} between 1 and 100`),
  ],
);

/**
 * SEL-13: whether the learner's responder answers for them, and the version of their list (one
 * more at each save: a page saved from an older version is refused, never overwrites).
 */
export const responderSettings = pgTable('responder_settings', {
  learnerId: uuid('learner_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  on: boolean('on').notNull().default(false),
  changedAt: timestamp('changed_at', { withTimezone: true }).notNull(),
  version: integer('version').notNull().default(0),
});
