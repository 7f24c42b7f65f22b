import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table';

/**
 * ACC-11: a download of one's data. The row is made when the learner asks; the file (the JSON
 * text, the readable page is drawn from it) is written at once when small, else by the
 * `privacy.export` job. Its id is random (gen_random_uuid) and every read names the owner too;
 * no staff page reads this table. The row and its file are deleted `dataExportHours` after it
 * was asked for (`expires_at`, the prune task), and when the learner asks for a new one.
 */
export const dataExports = pgTable(
  'data_exports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['preparing', 'ready'] }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    readyAt: timestamp('ready_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The JSON file, once ready. */
    content: text('content'),
    bytes: integer('bytes'),
  },
  (t) => [
    index('data_exports_user').on(t.userId),
    index('data_exports_expiry').on(t.expiresAt),
    check('data_exports_ready', sql`(${t.status} = 'ready') = (${t.content} is not null and ${t.readyAt} is not null and ${t.bytes} is not null)`),
  ],
);

/**
 * ACC-11: an account closed, by its learner or by the retention job (ACC-14). No personal data:
 * the tombstone's id (the `users` row stays, emptied), when, and why. One per account: closing
 * twice finds it and says so.
 */
export const accountClosures = pgTable('account_closures', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  closedAt: timestamp('closed_at', { withTimezone: true }).notNull(),
  reason: text('reason', { enum: ['learner', 'retention'] }).notNull(),
});
