import { sql } from 'drizzle-orm';
import type { CreateRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { Db } from '../db/database';
import { AppError } from './errors';

/**
 * Counts one hit on `key` in a fixed window of `windowMs`, in PostgreSQL so that every app
 * process shares the counter. Returns the count in the current window and the ms left in it.
 */
export async function hitCounter(db: Db, key: string, windowMs: number, hits = 1): Promise<{ count: number; ttlMs: number }> {
  const result = await db.execute<{ count: number; ttl_ms: string }>(sql`
    insert into rate_limit_counters as c (key, count, reset_at)
    values (${key}, ${hits}, now() + ${windowMs} * interval '1 millisecond')
    on conflict (key) do update set
      count = case when c.reset_at <= now() then excluded.count else c.count + excluded.count end,
      reset_at = case when c.reset_at <= now() then excluded.reset_at else c.reset_at end
    returning count, greatest(0, extract(epoch from (reset_at - now())) * 1000)::bigint as ttl_ms`);
  const row = result.rows[0];
  return { count: row.count, ttlMs: Number(row.ttl_ms) };
}

/** Reads a counter without counting. */
export async function peekCounter(db: Db, key: string): Promise<number> {
  const result = await db.execute<{ count: number }>(
    sql`select count from rate_limit_counters where key = ${key} and reset_at > now()`,
  );
  return result.rows[0]?.count ?? 0;
}

export async function clearCounter(db: Db, key: string): Promise<void> {
  await db.execute(sql`delete from rate_limit_counters where key = ${key}`);
}

/** What @fastify/rate-limit gives a store's `child()`: the merged limit options, the route under `routeInfo`. */
interface ChildOptions {
  routeInfo?: { method?: string | string[]; url?: string };
  groupId?: string;
  /** A limit counted in memory and added to the shared counters every `flushMs` (see `BatchedCounters`). */
  flushMs?: number;
}

/** A limit's options with a counter counted in memory and flushed every `flushMs` (see `BatchedCounters`). */
export type BatchedRateLimitOptions = { groupId: string; flushMs: number };

interface Tally {
  /** The shared count, as of the last time this process added its hits (every process's). */
  shared: number;
  /** This process's hits not yet added. */
  pending: number;
  windowMs: number;
  /** When the window ends, on this process's clock (the database's `reset_at`, less the time it took to hear it). */
  resetAt: number;
  /** When the shared count was last heard (a flush or a hit that went to PostgreSQL). */
  heardAt: number;
}

/**
 * Decision 024: counters counted in this process's memory and added to the shared ones in
 * PostgreSQL every `flushMs` (one statement for every key), so a hit costs no round trip. A
 * decision is made on the shared count heard at most two periods ago plus this process's own
 * hits since: a limit may be exceeded by what the other processes counted and had not yet added
 * (with the API's 500 ms, at most about one second of each other process's hits), never by this
 * process's own. A key's first hit, or one after a quiet spell (the shared count not heard for
 * two periods), goes to PostgreSQL at once and learns the shared count and the window's end.
 */
export class BatchedCounters {
  private readonly tallies = new Map<string, Tally>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly flushMs: number,
  ) {}

  async hit(key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
    const now = Date.now();
    const tally = this.tallies.get(key);
    // In memory while the shared count was heard lately (two flush periods); else ask PostgreSQL.
    if (tally && tally.resetAt > now && now - tally.heardAt < 2 * this.flushMs) {
      tally.pending++;
      this.schedule();
      return { count: tally.shared + tally.pending, ttlMs: tally.resetAt - now };
    }
    // This hit and what was pending go together (and come back pending if the write fails).
    const carried = tally && tally.resetAt > now ? tally.pending : 0;
    if (tally) tally.pending -= carried;
    let heard: { count: number; ttlMs: number };
    try {
      heard = await hitCounter(this.db, key, windowMs, 1 + carried);
    } catch (error) {
      if (tally) tally.pending += carried;
      throw error;
    }
    const at = Date.now();
    const known = this.tallies.get(key);
    // Hits counted in memory while this one was on its way stay pending, on top of what was heard.
    const pending = known && known.resetAt > at ? known.pending : 0;
    this.tallies.set(key, { shared: heard.count, pending, windowMs, resetAt: at + heard.ttlMs, heardAt: at });
    if (pending) this.schedule();
    return { count: heard.count + pending, ttlMs: heard.ttlMs };
  }

  private schedule() {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
    // A pending flush never keeps a process alive (`close` flushes what is left).
    this.timer.unref();
  }

  /** Adds every key's pending hits to the shared counters, in one statement, and learns their counts. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.tallies].filter(([, t]) => t.pending > 0).map(([key, t]) => ({ key, hits: t.pending, windowMs: t.windowMs }));
    const now = Date.now();
    for (const [key, t] of this.tallies) if (t.pending === 0 && t.resetAt <= now) this.tallies.delete(key);
    if (batch.length === 0) return;
    for (const b of batch) this.tallies.get(b.key)!.pending -= b.hits;
    this.flushing = (async () => {
      try {
        const result = await this.db.execute<{ key: string; count: number; ttl_ms: string }>(sql`
          insert into rate_limit_counters as c (key, count, reset_at)
          select b.key, b.hits, now() + b.window_ms * interval '1 millisecond'
          from jsonb_to_recordset(${JSON.stringify(batch.map((b) => ({ key: b.key, hits: b.hits, window_ms: b.windowMs })))}::jsonb) as b(key text, hits int, window_ms bigint)
          on conflict (key) do update set
            count = case when c.reset_at <= now() then excluded.count else c.count + excluded.count end,
            reset_at = case when c.reset_at <= now() then excluded.reset_at else c.reset_at end
          returning key, count, greatest(0, extract(epoch from (reset_at - now())) * 1000)::bigint as ttl_ms`);
        const heard = Date.now();
        for (const row of result.rows) {
          const t = this.tallies.get(row.key);
          if (t) Object.assign(t, { shared: row.count, resetAt: heard + Number(row.ttl_ms), heardAt: heard });
        }
      } catch {
        // Not added: counted again at the next flush (a limit is never forgiven by a failed write).
        for (const b of batch) {
          const t = this.tallies.get(b.key);
          if (t) t.pending += b.hits;
        }
      } finally {
        this.flushing = undefined;
        if ([...this.tallies.values()].some((t) => t.pending > 0)) this.schedule();
      }
    })();
    return this.flushing;
  }

  /** Stops the timer and adds what is pending (the app's close). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flushing;
    await this.flush();
  }
}

/**
 * The batched counters of a database and flush period: one per process (every limiter asking for
 * them shares its flushes), flushed and stopped by `closeBatchedCounters` (the app's onClose).
 */
const batches = new Map<Db, Map<number, BatchedCounters>>();
function batchedCounters(db: Db, flushMs: number): BatchedCounters {
  let byPeriod = batches.get(db);
  if (!byPeriod) batches.set(db, (byPeriod = new Map()));
  let counters = byPeriod.get(flushMs);
  if (!counters) byPeriod.set(flushMs, (counters = new BatchedCounters(db, flushMs)));
  return counters;
}

/** Adds the hits still counted in memory for this database to the shared counters, and forgets them (the app's close). */
export async function closeBatchedCounters(db: Db): Promise<void> {
  const byPeriod = batches.get(db);
  batches.delete(db);
  await Promise.all([...(byPeriod?.values() ?? [])].map((c) => c.close()));
}

/**
 * A store for @fastify/rate-limit that keeps its counters in PostgreSQL. Each limited route
 * counts on its own (`rl:POST:/connexion:<key>`); a limiter without a route (`extraRateLimit`,
 * `app.createRateLimit()`) must name its counter with a `groupId`. A limit given `flushMs`
 * (`BatchedRateLimitOptions`) counts in memory and adds to PostgreSQL every `flushMs`
 * (`BatchedCounters`, decision 024); the others make one round trip a hit.
 */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class PostgresStore implements FastifyRateLimitStore {
    // The plugin constructs the root store with its options: the prefix is never one of them.
    constructor(
      _options?: unknown,
      private readonly prefix = 'rl:',
      private readonly batched?: BatchedCounters,
    ) {}
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      (this.batched ? this.batched.hit(this.prefix + key, timeWindow) : hitCounter(db, this.prefix + key, timeWindow)).then(
        ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }
    // The package's types say a route's options; its code (11.x) passes the limit's options, the route under `routeInfo`.
    child(options: object) {
      const { routeInfo, groupId, flushMs } = options as ChildOptions;
      const { method, url } = routeInfo ?? {};
      const name = url ? `${([] as string[]).concat(method ?? []).join(',')}:${url}` : groupId;
      if (!name) throw new Error('a rate limit without a route needs a groupId to name its counter');
      return new PostgresStore(undefined, `rl:${name}:`, flushMs ? batchedCounters(db, flushMs) : undefined);
    }
  }
  return PostgresStore as unknown as FastifyRateLimitStoreCtor;
}

/**
 * A second limit on a route, whose config holds one: a preHandler counting under `groupId`
 * (`rl:<groupId>:<key>`) that answers with the 429 page past `max`. A second limiter made with
 * `app.rateLimit()` would never count: the plugin's handler runs once per request.
 */
export function extraRateLimit(app: FastifyInstance, options: CreateRateLimitOptions & { groupId: string }): preHandlerAsyncHookHandler {
  const check = app.createRateLimit(options);
  return async (request, reply) => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', result.ttlInSeconds);
    throw new AppError('rate_limited');
  };
}
