import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type autocannon from 'autocannon';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { connect, ensureDatabase, runMigrations, startEmbeddedPostgres, type Database } from '../src/db/database';
import { systemClock } from '../src/platform/clock';
import { closeHashPool } from '../src/platform/passwords';
import { loadSearchIndex, searchIndexOf } from '../src/modules/catalogue/catalogue.service';

export const seconds = Number(process.env.BENCH_SECONDS ?? 10);
export const connections = 50;
const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export interface Load {
  url: string;
  connections?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Requests per second for all connections together (a steady probe instead of a flood). */
  overallRate?: number;
}

/**
 * Runs autocannon in its own process, as a real client would be: in the server's process it
 * would share the event loop and distort what is measured.
 */
export function load(spec: Load): Promise<autocannon.Result> {
  const args = [cli, '--json', '-c', String(spec.connections ?? connections), '-d', String(seconds)];
  if (spec.method) args.push('-m', spec.method);
  for (const [name, value] of Object.entries(spec.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (spec.body) args.push('-b', spec.body);
  if (spec.overallRate) args.push('-R', String(spec.overallRate));
  args.push(spec.url);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out) as autocannon.Result) : fail(new Error(`autocannon exited with ${code}`))));
  });
}

/**
 * The app in production mode on its own embedded PostgreSQL (or DATABASE_URL), with a bare
 * fastify "hello" route to compare with, listening on a local port. `adjust` may change the
 * configuration read from `env` (what production would refuse from the environment, such as a
 * provider's http address on this machine).
 */
export async function startBenchApp(
  prepare: (database: Database) => Promise<void>,
  env: Record<string, string> = {},
  adjust: (config: Config) => Config = (config) => config,
): Promise<{ app: FastifyInstance; database: Database; config: Config; base: string; close(): Promise<void> }> {
  const dataDir = resolve(import.meta.dirname, '../.bench-data');
  rmSync(dataDir, { recursive: true, force: true });
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dir: dataDir, port: Number(process.env.EMBEDDED_PG_PORT ?? 54_400), persistent: false, settings: process.env.BENCH_PG_SETTINGS?.split(',').filter(Boolean) });
  const adminUrl = process.env.DATABASE_URL ?? embedded!.url('postgres');
  await ensureDatabase(adminUrl, 'cursus_bench');
  const url = new URL(adminUrl);
  url.pathname = '/cursus_bench';
  // The pool and the admission as production configures them (DATABASE_POOL_*, ADMISSION_*: a bench may sweep them).
  const tuning = ['DATABASE_POOL_MAX', 'DATABASE_POOL_WAIT_MS', 'ADMISSION_READS', 'ADMISSION_READ_WAIT_MS', 'ADMISSION_WRITES', 'ADMISSION_WRITE_WAIT_MS', 'ADMISSION_READ_QUEUE', 'ADMISSION_WRITE_QUEUE'];
  const pooling = Object.fromEntries(tuning.flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])));
  const config = adjust(loadConfig({ NODE_ENV: 'production', DATABASE_URL: url.toString(), SESSION_SECRET: 'b'.repeat(32), LOG_LEVEL: 'silent', ...pooling, ...env }));
  const database = connect(url.toString(), { max: config.databasePool.max, waitMs: config.databasePool.waitMs });
  await runMigrations(database.db);
  await prepare(database);
  const app = await buildApp({ config, db: database.db, clock: systemClock, secret: 'b'.repeat(32), logger: false });
  app.get('/__hello', async () => 'hello');
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    database,
    config,
    base,
    close: async () => {
      await app.close();
      await closeHashPool();
      await database.close();
      await embedded?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Answers with a 2xx or 3xx status per second: what was served. Since the admission's bound
 * (decision 033), a crowd above a process's capacity gets quick 503s, which autocannon counts as
 * requests: counted in, they would make a shedding app look faster.
 */
export const servedPerSecond = (r: Pick<autocannon.Result, 'requests' | 'non2xx' | 'duration'> & Partial<Pick<autocannon.Result, '2xx' | '3xx'>>) =>
  (r['2xx'] !== undefined ? r['2xx'] + (r['3xx'] ?? 0) : r.requests.total - r.non2xx) / r.duration;

/** A Markdown row: served answers per second, the p99 of every answer (refusals included), the others counted, the served ratio to hello's. */
export function resultRow(name: string, r: autocannon.Result, hello?: autocannon.Result): string {
  const ratio = hello ? (servedPerSecond(r) / servedPerSecond(hello)).toFixed(2) : '1.00';
  return `| ${name} | ${servedPerSecond(r).toFixed(0)} | ${r.latency.p99} ms | ${r.non2xx + r.errors} | ${ratio} |`;
}

/**
 * Like `load`, but each request asks one of `paths` drawn at random (bench/mix-client.mjs):
 * a varied mix rather than one URL asked again and again.
 */
export function loadMix(spec: { base: string; paths: string[]; headers?: Record<string, string>; connections?: number }): Promise<autocannon.Result> {
  const file = join(tmpdir(), `cursus-mix-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify({ url: spec.base, paths: spec.paths, connections: spec.connections ?? connections, seconds, headers: spec.headers ?? {} }));
  const client = resolve(import.meta.dirname, 'mix-client.mjs');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [client, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      rmSync(file, { force: true });
      if (code === 0) done(JSON.parse(out) as autocannon.Result);
      else fail(new Error(`mix client exited with ${code}`));
    });
  });
}

/** Distinct values drawn from a deterministic generator (the same run, the same mix). */
export function seededRandom(seed = 4): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** The machine's load average now (1, 5, 15 minutes): the benchmarks' figures depend on it. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

/**
 * Decision 034: waits for the app's search documents in memory (the first search of a process
 * starts loading them; the SQL search answers meanwhile) and says what loading them cost.
 */
export async function searchDocumentsLoaded(database: Database): Promise<string> {
  const index = await searchIndexOf(database.db);
  if (!index) return 'search documents in memory: NOT loaded (the SQL search answered)';
  // The app's documents may have loaded before this was asked: one more load, timed and weighed on its own.
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const again = await loadSearchIndex(database.pool);
  const ms = performance.now() - started;
  const heap = (process.memoryUsage().heapUsed - heapBefore) / 1_048_576;
  return `search documents in memory: ${again.size} loaded in ${ms.toFixed(0)} ms, heap about +${heap.toFixed(0)} MB`;
}

/**
 * `run`, with the CPU profile of this process (the app's, in the benches that serve in-process)
 * written to BENCH_PROFILE (a `.cpuprofile` file, for DevTools) when it is set; else just `run`.
 */
export async function profiled<T>(run: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return run();
  const profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    profiler.disconnect();
  }
}
