import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import type { Clock } from './clock';
import { combineJobHandlers, workJobs, type JobHandlers } from './jobs';
import { deliverOutbox, type MailTransport } from './outbox';
import { deliverSms } from './sms/delivery';
import type { SmsProvider } from './sms/provider';

/** A module's periodic clean-up (the accounts module's expired sessions…), run every five minutes. */
export type PruneTask = (deps: { db: Db; clock: Clock }) => Promise<void>;

/** Deletes what has expired: the modules' tasks, then the platform's rate-limit counters and used bot-check answers. */
export async function pruneExpired(db: Db, clock: Clock, tasks: readonly PruneTask[] = []): Promise<void> {
  for (const task of tasks) await task({ db, clock });
  await db.execute(sql`delete from rate_limit_counters where reset_at < now()`);
  await db.execute(sql`delete from botcheck_used where expires_at < now()`);
}

/**
 * The background loop of one app process: sends the outbox and the SMS outbox, runs due jobs, prunes. Every step
 * claims its rows with SKIP LOCKED, so any number of processes can run it side by side. The
 * modules' work is given by the composition root: their job handlers and their prune tasks.
 */
export function startWorker(options: {
  db: Db;
  clock: Clock;
  transport: MailTransport;
  from: string;
  /** The SMS outbox's provider (none: the SMS outbox is not sent by this process). */
  sms?: SmsProvider;
  jobs: readonly JobHandlers[];
  prune: readonly PruneTask[];
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): { stop(): Promise<void> } {
  // stop(): claims nothing more; the email, SMS or job in hand finishes, what was claimed besides is released.
  const { db, clock } = options;
  const handlers = combineJobHandlers(options.jobs);
  let stopped = false;
  let lastPrune = 0;
  let running: Promise<void> = Promise.resolve();
  const stopping = () => stopped;
  const tick = async () => {
    if (stopped) return;
    try {
      while (!stopped && (await deliverOutbox({ db, transport: options.transport, from: options.from, stopping })) > 0);
      const sms = options.sms;
      if (sms) while (!stopped && (await deliverSms({ db, provider: sms, stopping })) > 0);
      while (!stopped && (await workJobs({ db, clock, handlers, stopping })) > 0);
      if (!stopped && Date.now() - lastPrune > 300_000) {
        lastPrune = Date.now();
        await pruneExpired(db, clock, options.prune);
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
