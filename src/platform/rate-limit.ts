import { sql } from 'drizzle-orm';
import type { CreateRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { Db } from '../db/database';
import { AppError } from './errors';

/**
 * Counts one hit on `key` in a fixed window of `windowMs`, in PostgreSQL so that every app
 * process shares the counter. Returns the count in the current window and the ms left in it.
 */
export async function hitCounter(db: Db, key: string, windowMs: number): Promise<{ count: number; ttlMs: number }> {
  const result = await db.execute<{ count: number; ttl_ms: string }>(sql`
    insert into rate_limit_counters as c (key, count, reset_at)
    values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (key) do update set
      count = case when c.reset_at <= now() then 1 else c.count + 1 end,
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
}

/**
 * A store for @fastify/rate-limit that keeps its counters in PostgreSQL. Each limited route
 * counts on its own (`rl:POST:/connexion:<key>`); a limiter without a route (`extraRateLimit`,
 * `app.createRateLimit()`) must name its counter with a `groupId`.
 */
export function postgresRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class PostgresStore implements FastifyRateLimitStore {
    // The plugin constructs the root store with its options: the prefix is never one of them.
    constructor(
      _options?: unknown,
      private readonly prefix = 'rl:',
    ) {}
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      hitCounter(db, this.prefix + key, timeWindow).then(
        ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }
    // The package's types say a route's options; its code (11.x) passes the limit's options, the route under `routeInfo`.
    child(options: object) {
      const { routeInfo, groupId } = options as ChildOptions;
      const { method, url } = routeInfo ?? {};
      const name = url ? `${([] as string[]).concat(method ?? []).join(',')}:${url}` : groupId;
      if (!name) throw new Error('a rate limit without a route needs a groupId to name its counter');
      return new PostgresStore(undefined, `rl:${name}:`);
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
