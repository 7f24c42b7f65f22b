import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/database';
import type { Clock } from './clock';
import { jobs } from './platform.table';

export type JobHandler = (payload: Record<string, unknown>) => Promise<void>;
export type JobHandlers = Record<string, JobHandler>;

/** The job handlers of every module as one table; two modules claiming one job kind is a mistake. */
export function combineJobHandlers(sets: readonly JobHandlers[]): JobHandlers {
  const all: JobHandlers = {};
  for (const set of sets)
    for (const [kind, handler] of Object.entries(set)) {
      if (kind in all) throw new Error(`two handlers for job kind "${kind}"`);
      all[kind] = handler;
    }
  return all;
}

/** Queues background work; call it inside the transaction that makes the work necessary. */
export async function enqueueJob(
  db: DbOrTx,
  job: { kind: string; payload?: Record<string, unknown>; runAt: Date; maxAttempts?: number },
): Promise<number> {
  const [row] = await db
    .insert(jobs)
    .values({ kind: job.kind, payload: job.payload ?? {}, runAt: job.runAt, maxAttempts: job.maxAttempts ?? 5 })
    .returning({ id: jobs.id });
  return row.id;
}

/**
 * Is a job of this kind, with this payload (a subset match), waiting: neither done nor failed,
 * not yet started when `notStarted`, and due at or after `runAtFrom` if given?
 */
export async function jobPending(db: DbOrTx, job: { kind: string; payload: Record<string, unknown>; notStarted?: boolean; runAtFrom?: Date }): Promise<boolean> {
  const rows = await db.execute(sql`
    select 1 from ${jobs} where kind = ${job.kind} and done_at is null and failed_at is null
      and payload @> ${JSON.stringify(job.payload)}::jsonb
      ${job.notStarted ? sql`and locked_until is null` : sql``}
      ${job.runAtFrom ? sql`and run_at >= ${job.runAtFrom}` : sql``}
    limit 1`);
  return rows.rows.length > 0;
}

type ClaimedJob = {
  id: number;
  run_at: Date | string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
};

/**
 * Claims up to `limit` due jobs with `FOR UPDATE SKIP LOCKED` and a lease, runs them, and
 * records the outcome. Several workers (processes or connections) never claim the same job; a
 * worker that dies leaves its jobs to be claimed again when the lease ends, so handlers must be
 * idempotent. Returns the number of jobs run.
 */
export async function workJobs(options: {
  db: Db;
  clock: Clock;
  handlers: JobHandlers;
  limit?: number;
  leaseSeconds?: number;
  /**
   * Asked before each job: true when the process is stopping. The jobs claimed and not started
   * are then released (their attempt not counted), so another process takes them at once rather
   * than when the lease ends; the job running finishes first.
   */
  stopping?: () => boolean;
}): Promise<number> {
  const { db, clock, handlers } = options;
  const now = clock.now();
  const lease = new Date(now.getTime() + (options.leaseSeconds ?? 300) * 1000);
  const claimed = await db.execute<ClaimedJob>(sql`
    update jobs set locked_until = ${lease}, attempts = attempts + 1
    where id in (
      select id from jobs
      where done_at is null and failed_at is null and run_at <= ${now}
        and (locked_until is null or locked_until < ${now})
      order by run_at, id
      limit ${options.limit ?? 10}
      for update skip locked
    )
    returning id, kind, payload, attempts, max_attempts, run_at`);
  // RETURNING does not keep the subquery's order: the jobs run in the order they were due (then queued).
  const due = [...claimed.rows].sort((a, b) => new Date(a.run_at).getTime() - new Date(b.run_at).getTime() || Number(a.id) - Number(b.id));
  for (const [index, job] of due.entries()) {
    if (options.stopping?.()) {
      await releaseJobs(db, due.slice(index).map((j) => Number(j.id)));
      return index;
    }
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler(job.payload);
      await db.execute(sql`update jobs set done_at = ${clock.now()}, locked_until = null where id = ${job.id}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const finalAttempt = job.attempts >= job.max_attempts;
      const retryAt = new Date(clock.now().getTime() + 2 ** job.attempts * 1000);
      await db.execute(sql`
        update jobs set last_error = ${message.slice(0, 2000)}, locked_until = null,
          failed_at = ${finalAttempt ? clock.now() : null}, run_at = ${retryAt}
        where id = ${job.id}`);
    }
  }
  return claimed.rows.length;
}

/** Issue 19, metrics: per kind, the jobs due now and not leased, those under way (leased), and those given up (still kept). */
export async function jobQueueDepths(db: DbOrTx, now: Date): Promise<{ kind: string; due: number; running: number; failed: number }[]> {
  const result = await db.execute<{ kind: string; due: string; running: string; failed: string }>(sql`
    select kind,
      count(*) filter (where done_at is null and failed_at is null and run_at <= ${now} and (locked_until is null or locked_until < ${now})) as due,
      count(*) filter (where done_at is null and failed_at is null and locked_until >= ${now}) as running,
      count(*) filter (where failed_at is not null) as failed
    from jobs where done_at is null group by kind order by kind`);
  return result.rows.map((r) => ({ kind: r.kind, due: Number(r.due), running: Number(r.running), failed: Number(r.failed) }));
}

/** Gives claimed jobs back as they were before the claim: free to be claimed now, the attempt not counted. */
export async function releaseJobs(db: DbOrTx, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    update jobs set locked_until = null, attempts = greatest(attempts - 1, 0)
    where id = any(${sql.param(ids)}::bigint[]) and done_at is null and failed_at is null`);
}

/** ACC-14: deletes at most `limit` jobs done or given up before `before` (their payloads name people); returns how many. */
export async function pruneFinishedJobs(db: DbOrTx, input: { before: Date; limit: number }): Promise<number> {
  const rows = await db.execute(sql`
    delete from jobs where id in (
      select id from jobs where coalesce(done_at, failed_at) <= ${input.before} order by id limit ${input.limit})`);
  return rows.rowCount ?? 0;
}
