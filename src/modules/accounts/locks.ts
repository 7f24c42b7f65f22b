import { and, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { statement } from '../../db/statements';
import { normaliseEmail } from './accounts.rules';
import { learnerProfiles, users } from './accounts.table';

type User = typeof users.$inferSelect;

/**
 * The one way to lock a person's row for the rest of the transaction: every action that counts
 * or takes a learner's applications, and every change of credentials, runs one at a time per
 * person, whatever the number of tabs, processes or connections (APP-2, APP-3, APP-5 under a
 * rush; a password reset racing a login). Lock order: a session's row before a person's.
 * By email, a closed account (ACC-11's tombstone) is not found: it no longer has an address.
 */
export async function lockedUser(tx: Tx, by: { id: string } | { email: string }) {
  // By id (the rush's path): a named statement, planned once per connection.
  const [user] =
    'id' in by
      ? await tx.select().from(users).where(eq(users.id, sql.placeholder('id'))).for('update').prepare('accounts_lock_user').execute({ id: by.id })
      : await tx
          .select()
          .from(users)
          .where(and(eq(users.email, normaliseEmail(by.email)), ne(users.status, 'closed')))
          .for('update');
  return user; // undefined when unknown (the callers ask)
}

/**
 * Locks a person's row if no other transaction holds it, without waiting (SKIP LOCKED): false when
 * another holds it. For a job that must not wait on people in an order of its own (SEL-7's refill
 * going through learners of several lists, SEL-13's responder inside a refill: waiting could
 * deadlock with another refill); the caller stops and tries again later instead.
 */
export async function tryLockUser(tx: Tx, userId: string): Promise<boolean> {
  const rows = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update', { skipLocked: true });
  return rows.length > 0;
}

/**
 * A person's row read under their lock, with their learner record's mobile (null without one):
 * what `tellLearner` needs to reach them (SVC-7), so that a message written under the lock reads
 * nothing again.
 */
export type LockedUser = User & { recordMobile: string | null };

/** Locks a person's row; the row read under the lock comes back (undefined when unknown), for callers that need it too. */
export async function lockUser(tx: Tx, userId: string): Promise<LockedUser | undefined> {
  // The rush's path (APP-5): a named statement, built once, planned once per connection; the record's mobile
  // comes in the same statement (only the person's row is locked).
  const [row] = await userLocked(tx).execute({ id: userId });
  return row && { ...row.user, recordMobile: row.recordMobile };
}
const userLocked = statement('accounts_lock_user_reachable', (db) =>
  db
    .select({ user: users, recordMobile: learnerProfiles.mobilePhone })
    .from(users)
    .leftJoin(learnerProfiles, eq(learnerProfiles.userId, users.id))
    .where(eq(users.id, sql.placeholder('id')))
    .for('update', { of: users }),
);
