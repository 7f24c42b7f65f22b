/**
 * SVC-8 benchmark (issue 17): 10 000 webhooks delivered to a local receiver. The messages are
 * written as the app writes them (one per endpoint and event, in the change's transaction, with
 * their delivery job), in transactions of 100; then workers (WEBHOOK_WORKERS loops of the jobs
 * table, as app processes run them) deliver them to a receiver in its own process, signed, with
 * the destination checked (127.0.0.1 is an allowed host). Measured: messages written per second,
 * deliveries per second; checked: every message delivered, none lost (each id received), none
 * doubled (no id received twice). Prints Markdown for bench/README.md.
 *
 *   npm run bench:webhooks
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import { systemClock } from '../src/platform/clock';
import { workJobs } from '../src/platform/jobs';
import { announce, webhookJobs } from '../src/modules/webhooks';
import { newSecret } from '../src/modules/webhooks/signing';
import { webhookAllowedHosts, webhookEndpoints, webhookSecrets } from '../src/modules/webhooks/webhooks.table';
import { startBenchApp } from './lib';

const MESSAGES = Number(process.env.BENCH_WEBHOOKS ?? 10_000);
const WORKERS = Number(process.env.WEBHOOK_WORKERS ?? 8);
const BATCH = 100;

async function main() {
  const receiver = spawn(process.execPath, [resolve(import.meta.dirname, 'webhook-receiver.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((done) => receiver.stdout.once('data', (chunk) => done(Number(String(chunk).trim()))));
  const stats = async () => (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as { total: number; unique: number; doubled: number };
  const { database, close } = await startBenchApp(async () => undefined);
  const { db } = database;
  try {
    const now = systemClock.now();
    const [endpoint] = await db.insert(webhookEndpoints).values({ url: `http://127.0.0.1:${port}/hook`, eventTypes: ['catalogue.changed'], createdAt: now, updatedAt: now }).returning();
    await db.insert(webhookSecrets).values({ endpointId: endpoint.id, secret: newSecret(), createdAt: now });
    await db.insert(webhookAllowedHosts).values({ host: '127.0.0.1', reason: 'benchmark receiver', allowedAt: now });

    const writing = performance.now();
    for (let i = 0; i < MESSAGES; i += BATCH)
      await db.transaction(async (tx) => {
        for (let j = i; j < Math.min(MESSAGES, i + BATCH); j++)
          await announce(tx, { type: 'catalogue.changed', at: systemClock.now(), facts: async () => ({ course_codes: [`C-${j}`], session_codes: [`S-${j}`], change: 'import' }) });
      });
    const writeSeconds = (performance.now() - writing) / 1000;

    const deps = { db, clock: systemClock };
    const handlers = webhookJobs(deps);
    const pending = async () => Number((await db.execute<{ n: string }>(sql`select count(*) as n from webhook_messages where delivered_at is null and failed_at is null`)).rows[0].n);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: WORKERS }, async () => {
        while ((await workJobs({ db, clock: systemClock, handlers, limit: 20 })) > 0);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const left = await pending();
    const delivered = Number((await db.execute<{ n: string }>(sql`select count(*) as n from webhook_messages where delivered_at is not null`)).rows[0].n);
    const attempts = Number((await db.execute<{ n: string }>(sql`select count(*) as n from webhook_attempts`)).rows[0].n);
    const got = await stats();
    const lines = [
      `Node ${process.version}, ${MESSAGES} messages, ${WORKERS} worker loops on one pool of 20 connections, receiver in its own process`,
      '',
      '| measure | value |',
      '|---|---|',
      `| messages written (in transactions of ${BATCH}, with their jobs) | ${(MESSAGES / writeSeconds).toFixed(0)}/s |`,
      `| deliveries | ${(delivered / seconds).toFixed(0)}/s (${seconds.toFixed(1)} s for ${delivered}) |`,
      `| delivered / still pending | ${delivered} / ${left} |`,
      `| attempts logged | ${attempts} |`,
      `| receiver: requests, distinct webhook-ids, ids received twice | ${got.total}, ${got.unique}, ${got.doubled} |`,
    ];
    console.log(lines.join('\n'));
    if (delivered !== MESSAGES || got.unique !== MESSAGES || got.doubled !== 0 || left !== 0) process.exitCode = 1;
  } finally {
    receiver.kill();
    await close();
  }
}

await main();
