import { and, eq, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import type { Policies } from '../../platform/policies';
import { LOGIN_FAILURES_WINDOW_MS, loginSource, loginWaitMs } from './accounts.rules';
import { loginFailures } from './accounts.table';

/**
 * ACC-1 throttling, per account and source, that slows a guesser down and never locks the owner
 * out (the rule: loginWaitMs in accounts.rules.ts). Addresses are normalised by the callers.
 */
export interface LoginAttempt {
  email: string;
  /** The client's address (request.ip); null in tests and scripts. */
  ip: string | null;
  /** The browser shows this account's device cookie: it logged in here before. */
  knownDevice?: boolean;
}

const windowStart = (clock: Clock) => new Date(clock.now().getTime() - LOGIN_FAILURES_WINDOW_MS);

/** ms this source must still wait before trying this account again (0: it may try now). */
export async function loginWait(tx: DbOrTx, clock: Clock, attempt: LoginAttempt, policies: Policies): Promise<number> {
  const source = loginSource(attempt.ip);
  const result = await tx.execute<{ source_failures: number; source_last_ms: number | null; account_failures: number; account_last_ms: number | null }>(sql`
    select count(*) filter (where source = ${source})::int as source_failures,
           (extract(epoch from max(failed_at) filter (where source = ${source})) * 1000)::float8 as source_last_ms,
           count(*)::int as account_failures,
           (extract(epoch from max(failed_at)) * 1000)::float8 as account_last_ms
      from login_failures
     where email = ${attempt.email} and failed_at > ${windowStart(clock)}`);
  const row = result.rows[0];
  const at = (ms: number | null) => (ms === null ? null : new Date(ms));
  return loginWaitMs(
    {
      source: { failures: row.source_failures, lastFailedAt: at(row.source_last_ms) },
      account: { failures: row.account_failures, lastFailedAt: at(row.account_last_ms) },
    },
    { perSource: policies.failedLoginsPerSourceBeforeWait, perAccount: policies.maxFailedLoginsPerHour },
    clock.now(),
    { knownDevice: attempt.knownDevice },
  );
}

/**
 * Checks the wait and, when there is none, writes the attempt as a failure (returning its id, to
 * forget it if the password is right), one attempt at a time per address: simultaneous tries
 * cannot all pass before the first is counted. No password is checked in this transaction.
 */
export async function beginLoginAttempt(
  db: DbOrTx,
  clock: Clock,
  attempt: LoginAttempt,
  policies: Policies,
): Promise<{ ok: true; attemptId: string } | { ok: false; waitMs: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login:${attempt.email}`}, 0))`);
    const waitMs = await loginWait(tx, clock, attempt, policies);
    if (waitMs > 0) return { ok: false as const, waitMs };
    const [row] = await tx
      .insert(loginFailures)
      .values({ email: attempt.email, source: loginSource(attempt.ip), failedAt: clock.now() })
      .returning({ id: loginFailures.id });
    return { ok: true as const, attemptId: row.id };
  });
}

/** An attempt that was not a failure after all (right password). */
export async function forgetLoginAttempt(db: DbOrTx, attemptId: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.id, attemptId));
}

/** Counts a failure without a wait check first (a wrong second-factor code, checked under the person's lock). */
export async function recordLoginFailure(tx: DbOrTx, clock: Clock, attempt: LoginAttempt): Promise<void> {
  await tx.insert(loginFailures).values({ email: attempt.email, source: loginSource(attempt.ip), failedAt: clock.now() });
}

/** A login that succeeded clears its own source's failures (others' count on). */
export async function clearSourceFailures(tx: DbOrTx, attempt: LoginAttempt): Promise<void> {
  await tx.delete(loginFailures).where(and(eq(loginFailures.email, attempt.email), eq(loginFailures.source, loginSource(attempt.ip))));
}

/** A password reset proves the mailbox: every wait on the address ends. */
export async function clearAllFailures(tx: DbOrTx, email: string): Promise<void> {
  await tx.delete(loginFailures).where(eq(loginFailures.email, email));
}

/** The worker's clean-up: failures older than the window count no more. */
export async function pruneLoginFailures(deps: { db: DbOrTx; clock: Clock }): Promise<void> {
  await deps.db.delete(loginFailures).where(lte(loginFailures.failedAt, windowStart(deps.clock)));
}
