/**
 * Load benchmarks (issue 3): home page and login page under 50 connections against a fastify
 * "hello" route in the same run; logins per second against raw argon2id verifications per
 * second; the home page's p99 under a login flood. Prints a Markdown table for bench/README.md.
 *
 *   npm run bench:accounts         (embedded PostgreSQL; DATABASE_URL to use another server)
 *   BENCH_SECONDS=20 npm run bench:accounts
 */
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hash, verify } from '@node-rs/argon2';
import { seedDemo, DEMO_LEARNER, DEMO_PASSWORD } from '../src/demo/seed';
import { systemClock } from '../src/platform/clock';
import { hashPoolSize, setHashConcurrency } from '../src/platform/passwords';
import { load, resultRow, seconds, connections, startBenchApp, type Load } from './lib';
import { setPolicy } from '../src/platform/policies';

async function main() {
  if (process.env.HASH_CONCURRENCY) setHashConcurrency(Number(process.env.HASH_CONCURRENCY));
  const { app, base, close } = await startBenchApp(async (database) => {
    await seedDemo(database.db, systemClock);
    for (const key of ['loginAttemptsPerIpPer10Min', 'maxFailedLoginsPerHour', 'failedLoginsPerSourceBeforeWait'] as const) await setPolicy(database.db, key, 10_000_000);
  });

  // A CSRF token and its cookie, as a browser would have them after opening the login page.
  const loginPage = await app.inject('/connexion');
  const csrfCookie = ([] as string[]).concat(loginPage.headers['set-cookie'] ?? []).find((c) => /^(__Host-)?cursus_csrf=/.test(c))!.split(';')[0];
  const token = /name="_csrf" value="([^"]+)"/.exec(loginPage.body)![1];
  const loginBody = new URLSearchParams({ _csrf: token, email: DEMO_LEARNER, password: DEMO_PASSWORD }).toString();
  const check = await app.inject({ method: 'POST', url: '/connexion', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: loginBody });
  if (check.statusCode !== 303) throw new Error(`login does not succeed (${check.statusCode})`);

  const rows: string[] = [];
  const hello = await load({ url: `${base}/__hello` });
  rows.push(resultRow('fastify hello route', hello));
  const home = await load({ url: `${base}/` });
  rows.push(resultRow('home page `GET /`', home, hello));
  const login = await load({ url: `${base}/connexion` });
  rows.push(resultRow('login page `GET /connexion`', login, hello));

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
  const flood = await load(loginRequest);
  const logins = flood.requests.average;
  const loginNon303 = Object.entries(flood.statusCodeStats ?? {}).filter(([code]) => code !== '303').reduce((n, [, s]) => n + (s.count ?? 0), 0);
  // The home page probed at a steady 200 requests/s (what people browsing do), quiet and then
  // during a second login flood: the latency a visitor sees, not a throughput contest.
  const probe = { url: `${base}/`, connections: 10, overallRate: 200 };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const quietHome = await load(probe);
  const quietLoop = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  loop.reset();
  const [, busyHome] = await Promise.all([load(loginRequest), load(probe)]);
  const busyLoop = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
  loop.disable();
  console.log(`\nNode ${process.version}, ${availableParallelism()} cores, ${seconds} s per run, ${connections} connections\n`);
  console.log('| scenario | served (2xx, 3xx) per second | p99 of every answer | non-2xx/errors (503s of the admission among them) | served, ratio to hello |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(`\n| logins | value |\n|---|---|`);
  console.log(`| raw argon2id verifications/s, ${poolSize} in parallel (the app's hashing pool) | ${rawPerSecond.toFixed(1)} |`);
  console.log(`| raw argon2id verifications/s, ${availableParallelism()} in parallel (every core) | ${rawAllCores.toFixed(1)} |`);
  console.log(`| successful logins/s (POST, 50 connections) | ${logins.toFixed(1)}: ${((logins / rawPerSecond) * 100).toFixed(0)} % of the pool's raw rate, ${((logins / rawAllCores) * 100).toFixed(0)} % of every core's; ${loginNon303} answers not 303 |`);
  console.log(`| home p99 at 200 req/s, quiet | ${quietHome.latency.p99} ms (server event-loop delay p99 ${quietLoop.p99.toFixed(1)} ms, max ${quietLoop.max.toFixed(1)} ms) |`);
  console.log(`| home p99 at 200 req/s, during a login flood (50 connections) | ${busyHome.latency.p99} ms (${(busyHome.latency.p99 / Math.max(1, quietHome.latency.p99)).toFixed(2)}× quiet; server event-loop delay p99 ${busyLoop.p99.toFixed(1)} ms, max ${busyLoop.max.toFixed(1)} ms) |`);

  await close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
