import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { normaliseEmail } from './accounts.rules';
import { users } from './accounts.table';

/**
 * The one way to lock a person's row for the rest of the transaction: every action that counts
 * or takes a learner's applications, and every change of credentials, runs one at a time per
 * person, whatever the number of tabs, processes or connections (APP-2, APP-3, APP-5 under a
 * rush; a password reset racing a login). Lock order: a session's row before a person's.
 * By email, a closed account (ACC-11's tombstone) is not found: it no longer has an address.
 */
export async function lockedUser(tx: Tx, by: { id: string } | { email: string }) {
  const [user] = await tx
    .select()
    .from(users)
    .where('id' in by ? eq(users.id, by.id) : and(eq(users.email, normaliseEmail(by.email)), ne(users.status, 'closed')))
    .for('update');
  return user; // undefined when unknown (the callers ask)
}

/** Locks a person's row, for callers that need the lock and not the row. */
export async function lockUser(tx: Tx, userId: string): Promise<void> {
  await lockedUser(tx, { id: userId });
}

/**
 * Locks a person's row if nobody holds it, without waiting: false when another transaction
 * does. For work that holds one person's lock and must not wait for a second's (SEL-13's
 * responder inside a refill: two refills offering to the same two people in opposite orders
 * would otherwise wait for each other); the caller defers what it could not do.
 */
export async function tryLockUser(tx: Tx, userId: string): Promise<boolean> {
  const rows = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update', { skipLocked: true });
  return rows.length > 0;
}
