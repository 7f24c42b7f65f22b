import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { getTableName, is, Table } from 'drizzle-orm';
import { backgroundWork } from './background';
import { testConfig } from '../test/app';
import { systemClock } from './platform/clock';
import { combineJobHandlers } from './platform/jobs';
import type { Db } from './db/database';

/**
 * A database that answers every query with no rows and records the tables the queries name; past
 * a few hundred calls it throws (a task's loop stops).
 */
function recordingDb(tables: string[]): Db {
  let calls = 0;
  const query: object = new Proxy(() => {}, {
    get: (_target, key) => (key === 'then' ? (resolve: (rows: unknown[]) => void) => resolve([]) : query),
    apply: (_target, _this, args: unknown[]) => {
      if (++calls > 500) throw new Error('too many calls');
      for (const arg of args) if (is(arg, Table)) tables.push(getTableName(arg));
      return query;
    },
  });
  return query as Db;
}

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.includes('.test.') ? [join(dir, e.name)] : []));

describe('the background work', () => {
  it('PAY-1 PAY-2 SEL-8 every kind of job a module queues has its handler in the worker (reminders, attempt checks, refills)', () => {
    const handlers = combineJobHandlers(backgroundWork({ config: testConfig(), db: {} as Db, clock: systemClock, secret: 'x'.repeat(32) }).jobs);
    // The kinds queued: the constants `enqueueJob` is called with, read from the code itself.
    const queued = new Set<string>();
    for (const file of sources(join(import.meta.dirname, 'modules'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, name] of text.matchAll(/enqueueJob\([^,]+,\s*\{\s*kind:\s*([\w.]+)/g)) {
        const key = name.split('.').pop()!;
        const value = new RegExp(`(?:${key}\\s*[:=]\\s*)'([\\w.-]+)'`).exec(text)?.[1];
        assert.ok(value, `${file}: the job kind ${name} is a constant of its file`);
        queued.add(value);
      }
    }
    assert.ok(queued.has('payments.remind') && queued.has('payments.checkAttempt') && queued.has('selection.refill'), [...queued].join(', '));
    for (const kind of queued) assert.ok(handlers[kind], `no handler for ${kind}`);
  });

  it('ACC-14 a job\'s payload names only ids of records (jobs.payload is declared not personal: platform.set.ts)', () => {
    const payloads: string[] = [];
    for (const file of sources(join(import.meta.dirname, 'modules')))
      for (const [, body] of readFileSync(file, 'utf8').matchAll(/enqueueJob\([^,]+,\s*\{\s*kind:[^,]+,\s*payload:\s*\{([^}]*)\}/g)) payloads.push(body);
    assert.ok(payloads.length >= 5, payloads.join(' | '));
    for (const body of payloads)
      for (const entry of body.split(',').map((e) => e.trim()).filter(Boolean)) assert.match(entry.split(':')[0].trim(), /^\w+Id$/, `a payload's key: ${body}`);
  });

  it('PAY-2 the sweep of open attempts runs with the periodic tasks', () => {
    const { prune } = backgroundWork({ config: testConfig(), db: {} as Db, clock: systemClock, secret: 'x'.repeat(32) });
    assert.ok(prune.some((task) => task.toString().includes('sweepAttempts')));
  });

  it('ACC-14 the retention job runs with the periodic tasks: one of them claims the day\'s run (at most once per Paris day: retention.service)', async () => {
    const { prune } = backgroundWork({ config: testConfig(), db: {} as Db, clock: systemClock, secret: 'x'.repeat(32) });
    const touched: string[][] = [];
    for (const task of prune) {
      const tables: string[] = [];
      await task({ db: recordingDb(tables), clock: systemClock }).catch(() => {});
      touched.push(tables);
    }
    const claims = touched.filter((tables) => tables.includes('retention_runs'));
    // The day already taken (the fake answers no row): nothing else is done.
    assert.deepEqual(claims, [['retention_runs']], JSON.stringify(touched));
  });
});
