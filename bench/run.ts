/**
 * Load benchmarks (issue 3): home page and login page under 50 connections against a fastify
 * "hello" route in the same run; logins per second against raw argon2id verifications per
 * second; the home page's p99 under a login flood. Prints a Markdown table for bench/README.md.
 *
 *   npm run bench                  (embedded PostgreSQL; DATABASE_URL to use another server)
 *   BENCH_SECONDS=20 npm run bench
 */
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type autocannon from 'autocannon';
import { hash, verify } from '@node-rs/argon2';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { connect, ensureDatabase, runMigrations, startEmbeddedPostgres } from '../src/db/database';
import { seedDemo, DEMO_LEARNER, DEMO_PASSWORD } from '../src/db/seed';
import { systemClock } from '../src/platform/clock';
import { closeHashPool, hashPoolSize, setHashConcurrency } from '../src/platform/passwords';
import { setPolicy } from '../src/platform/policies';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = 50;
const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

interface Load {
  url: string;
  connections?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Requests per second for all connections together (a steady probe instead of a flood). */
  overallRate?: number;
}

/**
 * Runs autocannon in its own process, as a real client would be: in this process it would share
 * the server's event loop and distort what is measured.
 */
function run(load: Load): Promise<autocannon.Result> {
  const args = [cli, '--json', '-c', String(load.connections ?? connections), '-d', String(seconds)];
  if (load.method) args.push('-m', load.method);
  for (const [name, value] of Object.entries(load.headers ?? {})) args.push('-H', `${name}=${value}`);
  if (load.body) args.push('-b', load.body);
  if (load.overallRate) args.push('-R', String(load.overallRate));
  args.push(load.url);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(out) as autocannon.Result) : fail(new Error(`autocannon exited with ${code}`))));
  });
}

async function main() {
  const dataDir = resolve(import.meta.dirname, '../.bench-data');
  rmSync(dataDir, { recursive: true, force: true });
  const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dir: dataDir, port: 54_400, persistent: false });
  const adminUrl = process.env.DATABASE_URL ?? embedded!.url('postgres');
  await ensureDatabase(adminUrl, 'cursus_bench');
  const url = new URL(adminUrl);
  url.pathname = '/cursus_bench';
  const database = connect(url.toString(), { max: 20 });
  await runMigrations(database.db);
  await seedDemo(database.db, systemClock);
  for (const key of ['loginAttemptsPerIpPer10Min', 'maxFailedLoginsPerHour'] as const) await setPolicy(database.db, key, 10_000_000);

  if (process.env.HASH_CONCURRENCY) setHashConcurrency(Number(process.env.HASH_CONCURRENCY));
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url.toString(), SESSION_SECRET: 'b'.repeat(32), LOG_LEVEL: 'silent' });
  const app = await buildApp({ config, db: database.db, clock: systemClock, secret: 'b'.repeat(32), logger: false });
  app.get('/__hello', async () => 'hello');
  const base = await app.listen({ host: '127.0.0.1', port: 0 });

  // A CSRF token and its cookie, as a browser would have them after opening the login page.
  const loginPage = await app.inject('/connexion');
  const csrfCookie = ([] as string[]).concat(loginPage.headers['set-cookie'] ?? []).find((c) => c.startsWith('cursus_csrf='))!.split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(loginPage.body)![1];
  const loginBody = new URLSearchParams({ _csrf: token, email: DEMO_LEARNER, password: DEMO_PASSWORD }).toString();
  const check = await app.inject({ method: 'POST', url: '/connexion', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: loginBody });
  if (check.statusCode !== 303) throw new Error(`login does not succeed (${check.statusCode})`);

  const rows: string[] = [];
  const row = (name: string, r: autocannon.Result, ratio?: string) =>
    rows.push(`| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p99} ms | ${r.non2xx + r.errors} | ${ratio ?? ''} |`);

  const hello = await run({ url: `${base}/__hello` });
  row('fastify hello route', hello, '1.00');
  const home = await run({ url: `${base}/` });
  row('home page `GET /`', home, (home.requests.average / hello.requests.average).toFixed(2));
  const login = await run({ url: `${base}/connexion` });
  row('login page `GET /connexion`', login, (login.requests.average / hello.requests.average).toFixed(2));

  // Raw argon2id verifications per second, in this process with nothing else running: with as
  // many in parallel as the app's hashing pool runs (the ceiling for logins), and on every core.
  const reference = await hash(DEMO_PASSWORD, { memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  const rawRate = async (parallel: number) => {
    let done = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (Date.now() < until) {
          await verify(reference, DEMO_PASSWORD);
          done++;
        }
      }),
    );
    return done / seconds;
  };
  const poolSize = hashPoolSize();
  const rawPerSecond = await rawRate(poolSize);
  const rawAllCores = await rawRate(availableParallelism());

  // Logins alone: how close the app comes to the raw hashing rate.
  const loginRequest: Load = { url: `${base}/connexion`, method: 'POST', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: loginBody };
  const flood = await run(loginRequest);
  const logins = flood.requests.average;
  const loginNon303 = Object.entries(flood.statusCodeStats ?? {}).filter(([code]) => code !== '303').reduce((n, [, s]) => n + (s.count ?? 0), 0);
  // The home page probed at a steady 200 requests/s (what people browsing do), quiet and then
  // during a second login flood: the latency a visitor sees, not a throughput contest.
  const probe = { url: `${base}/`, connections: 10, overallRate: 200 };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const quietHome = await run(probe);
  const quietLoop = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  loop.reset();
  const [, busyHome] = await Promise.all([run(loginRequest), run(probe)]);
  const busyLoop = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  loop.disable();
  console.log(`\nNode ${process.version}, ${availableParallelism()} cores, ${seconds} s per run, ${connections} connections\n`);
  console.log('| scenario | requests/s | p99 | non-2xx/errors | ratio to hello |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\n| logins | value |\n|---|---|`);
  console.log(`| raw argon2id verifications/s, ${poolSize} in parallel (the app's hashing pool) | ${rawPerSecond.toFixed(1)} |`);
  console.log(`| raw argon2id verifications/s, ${availableParallelism()} in parallel (every core) | ${rawAllCores.toFixed(1)} |`);
  console.log(`| successful logins/s (POST, 50 connections) | ${logins.toFixed(1)}: ${((logins / rawPerSecond) * 100).toFixed(0)} % of the pool's raw rate, ${((logins / rawAllCores) * 100).toFixed(0)} % of every core's; ${loginNon303} answers not 303 |`);
  console.log(`| home p99 at 200 req/s, quiet | ${quietHome.latency.p99} ms (server event-loop delay p99 ${quietLoop.p99.toFixed(1)} ms, max ${quietLoop.max.toFixed(1)} ms) |`);
  console.log(`| home p99 at 200 req/s, during a login flood (50 connections) | ${busyHome.latency.p99} ms (${(busyHome.latency.p99 / Math.max(1, quietHome.latency.p99)).toFixed(2)}× quiet; server event-loop delay p99 ${busyLoop.p99.toFixed(1)} ms, max ${busyLoop.max.toFixed(1)} ms) |`);

  await app.close();
  await closeHashPool();
  await database.close();
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
