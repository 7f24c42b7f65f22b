import { and, asc, eq, gt, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { auditRowsOf } from '../../platform/audit';
import { users } from './accounts.table';

/**
 * ACC-14: what the privacy module's retention job and "what we keep" page ask of accounts: when a
 * learner last signed in. An account never signed in counts from its activation (or creation).
 */
const lastSignIn = sql<Date>`coalesce(${users.lastSignInAt}, ${users.activatedAt}, ${users.createdAt})`.mapWith(users.createdAt);

/** When this learner last signed in (their account's activation or creation if never); null for no such account. */
export async function lastSignInOf(db: DbOrTx, userId: string): Promise<Date | null> {
  const [row] = await db.select({ at: lastSignIn }).from(users).where(eq(users.id, userId));
  return row?.at ?? null;
}

/**
 * Learners' accounts (not closed) whose last sign-in is before `before`, `limit` at most, in the
 * order of their ids after `afterUserId` (the retention job pages through them).
 */
export async function learnersSignedInBefore(
  db: DbOrTx,
  input: { before: Date; limit: number; afterUserId?: string },
): Promise<{ userId: string; lastSignInAt: Date }[]> {
  return db
    .select({ userId: users.id, lastSignInAt: lastSignIn })
    .from(users)
    .where(
      and(
        eq(users.role, 'learner'),
        // 'closed' is the closure's tombstone (ACC-11): nothing left to expire.
        sql`${users.status}::text <> 'closed'`,
        lt(lastSignIn, input.before),
        input.afterUserId ? gt(users.id, input.afterUserId) : undefined,
      ),
    )
    .orderBy(asc(users.id))
    .limit(input.limit);
}

/**
 * ACC-11: the addresses this account had before its current one, each with when it stopped being
 * its own (the audit row of the change, email-change.service): what was sent to it until then was
 * sent to this person (an address freed may be another account's afterwards).
 */
export async function formerAddressesOf(db: DbOrTx, userId: string): Promise<{ email: string; until: Date }[]> {
  const rows = await auditRowsOf(db, { subjectId: userId, action: 'account.email_changed' });
  return rows.flatMap((r) => {
    const from = (r.data as { from?: unknown }).from;
    return typeof from === 'string' ? [{ email: from, until: r.at }] : [];
  });
}
