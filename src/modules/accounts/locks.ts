import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { users } from './accounts.table';

/**
 * Locks a person's row for the rest of the transaction: every action that counts or takes a
 * learner's applications runs one at a time per learner, whatever the number of tabs,
 * processes or connections (APP-2, APP-3, APP-5 under a rush).
 */
export async function lockUser(tx: Tx, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}
