import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import { pruneExpiredSessions } from '../modules/accounts';
import type { Clock } from './clock';
import { workJobs, type JobHandlers } from './jobs';
import { deliverOutbox, type MailTransport } from './outbox';

/** Deletes what has expired: sessions, rate-limit counters, used bot-check answers. */
export async function pruneExpired(db: Db, clock: Clock): Promise<void> {
  await pruneExpiredSessions({ db, clock });
  await db.execute(sql`delete from rate_limit_counters where reset_at < now()`);
  await db.execute(sql`delete from botcheck_used where expires_at < now()`);
}

/**
 * The background loop of one app process: sends the outbox, runs due jobs, prunes. Every step
 * claims its rows with SKIP LOCKED, so any number of processes can run it side by side.
 */
export function startWorker(options: {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  from: string;
  handlers: JobHandlers;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): { stop(): Promise<void> } {
  const { db, clock } = options;
  let stopped = false;
  let lastPrune = 0;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await deliverOutbox({ db, transport: options.transport, from: options.from })) > 0);
      while (!stopped && (await workJobs({ db, clock, handlers: options.handlers })) > 0);
      if (Date.now() - lastPrune > 300_000) {
        lastPrune = Date.now();
        await pruneExpired(db, clock);
      }
    } catch (error) {
      options.onError?.(error);
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, options.intervalMs ?? 1_000);
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
