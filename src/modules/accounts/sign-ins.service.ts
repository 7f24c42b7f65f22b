import { desc, eq, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { signIns, type SignInMethod } from './consents.table';

/**
 * The sign-in log (ACC-11): one row per successful sign-in, written in the transaction that opens
 * the session. The learner sees it in the account and in the download of their data; it is kept
 * `connectionLogMonths` (ACC-14, consents.personal.ts).
 */
export type SignIn = typeof signIns.$inferSelect;

/** How a sign-in was made: a password (and the staff's second factor), or an identity provider by its name. */
export type SignInHow = { method: 'password' | 'password_totp' } | { method: 'provider'; provider: string };

/** A sign-in by password: a staff member's always ends with their code (ACC-12), a learner's does not. */
export const passwordSignIn = (user: { role: string }): SignInHow => ({ method: user.role === 'learner' ? 'password' : 'password_totp' });

/** Records one successful sign-in, in the caller's transaction. */
export async function recordSignIn(
  tx: DbOrTx,
  clock: Clock,
  input: { userId: string; ip: string | null; userAgent: string | null } & SignInHow,
): Promise<void> {
  await tx.insert(signIns).values({
    userId: input.userId,
    at: clock.now(),
    method: input.method satisfies SignInMethod,
    provider: input.method === 'provider' ? input.provider.slice(0, 100) : null,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  });
}

/** The person's sign-ins, newest first (`limit` of them, or all). */
export async function signInsOf(db: DbOrTx, userId: string, limit?: number): Promise<SignIn[]> {
  const query = db.select().from(signIns).where(eq(signIns.userId, userId)).orderBy(desc(signIns.at));
  return limit === undefined ? query : query.limit(limit);
}

/** ACC-14: deletes at most `limit` sign-ins older than `before`; returns how many. */
export async function deleteSignInsBefore(db: DbOrTx, input: { before: Date; limit: number }): Promise<number> {
  const old = db.select({ id: signIns.id }).from(signIns).where(lt(signIns.at, input.before)).orderBy(signIns.at).limit(input.limit);
  const deleted = await db.delete(signIns).where(inArray(signIns.id, old)).returning({ id: signIns.id });
  return deleted.length;
}

/** ACC-11 closure: the person's sign-ins, all deleted. */
export async function deleteSignInsOf(tx: DbOrTx, userId: string): Promise<void> {
  await tx.delete(signIns).where(eq(signIns.userId, userId));
}
