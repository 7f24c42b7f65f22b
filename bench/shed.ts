/**
 * Shedding load (issue 19 point 9): `npm run bench:shed`. On the seeded catalogue
 * (BENCH_SESSIONS, 2 000 by default) with the micro-cache off, the uncached search page on a
 * varied mix of 300 searches: first its capacity, the closed-loop rate of the largest connection
 * count (1, 2, 4 … 64) whose p99 is still under 200 ms; then an open-loop crowd at three times
 * that rate (bench/shed-client.mjs) for BENCH_SECONDS, on at most BENCH_SHED_CONNECTIONS (256)
 * connections opened before it starts. Reports how many got the 503 page with Retry-After, how
 * many were served and the p99 of those served (target under 200 ms), any other answer (a 500, a
 * request given up after 10 s), and what tells where time went: the app's own histogram of the
 * page, both event loops' delays, the requests that waited in the client for a connection, the
 * refusals the app counted (the admission's ADMISSION_* settings apply, platform/admission).
 * BENCH_SHED_RATE gives the crowd's rate instead (requests/s), to compare settings at one crowd.
 * Prints Markdown for bench/README.md.
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { systemClock } from '../src/platform/clock';
import { loadAverage, loadMix, profiled, seconds, startBenchApp } from './lib';
import { searchMix } from './mixes';

const sessions = Number(process.env.BENCH_SESSIONS ?? 2_000);
const fine = 200; // ms: the p99 the served requests must stay under
const overload = Number(process.env.BENCH_OVERLOAD ?? 3);

interface Shed {
  sent: number;
  sendingSeconds: number;
  opened: number;
  mostQueued: number;
  clientLoop: { p99: number; max: number };
  statuses: Record<string, number>;
  retryAfter: number;
  timeouts: number;
  errors: number;
  served: { count: number; p50: number | null; p99: number | null; max: number | null };
  rest: { count: number; p50: number | null; p99: number | null };
}

/** The crowd's connections at most (bench/shed-client.mjs). */
const maxConnections = Number(process.env.BENCH_SHED_CONNECTIONS ?? 256);

function crowd(spec: { url: string; paths: string[]; rate: number; seconds: number; maxConnections: number }): Promise<Shed> {
  const file = join(tmpdir(), `cursus-shed-${process.pid}-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(import.meta.dirname, 'shed-client.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => {
      rmSync(file, { force: true });
      if (code === 0) done(JSON.parse(out) as Shed);
      else fail(new Error(`shed client exited with ${code}`));
    });
  });
}

async function main() {
  const loadBefore = loadAverage();
  const { database, config, base, close } = await startBenchApp(
    async (db) => {
      await seedCatalogue(db.db, systemClock, { sessions });
      await db.pool.query('analyze');
    },
    { MICROCACHE_SECONDS: '0' },
  );
  const poolMax = (database.pool as unknown as { options: { max: number; connectionTimeoutMillis: number } }).options;
  const paths = searchMix(300, 'page');
  for (const path of paths) await fetch(`${base}${path}`);

  // The capacity: more connections until the p99 passes the bound; the best rate still under it.
  const steps: { connections: number; rate: number; p99: number; non2xx: number }[] = [];
  // With BENCH_SHED_RATE the steps only warm the app up (and show its rate at 8 connections).
  for (const connections of process.env.BENCH_SHED_RATE ? [8] : [1, 2, 4, 8, 16, 32, 64]) {
    const r = await loadMix({ base, paths, connections });
    steps.push({ connections, rate: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx + r.errors });
    if (r.latency.p99 >= fine) break;
  }
  const underBound = steps.filter((s) => s.p99 < fine && s.non2xx === 0);
  const capacity = (underBound.length ? underBound : steps).reduce((a, b) => (b.rate > a.rate ? b : a));
  const loadAfterCapacity = loadAverage();

  // BENCH_SHED_RATE: the crowd's rate given (requests/s), to compare settings at the same crowd.
  const rate = Number(process.env.BENCH_SHED_RATE ?? 0) || Math.round(capacity.rate * overload);
  // The server's own view of the search page's time (its /metrics histogram, from the request's
  // arrival in the app to its answer), before and after the crowd: what is not there was spent
  // outside the app (the client, the connections).
  const buckets = async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const counts = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (!line.startsWith('cursus_http_request_duration_seconds_bucket{') || !line.includes('method="GET"') || !line.includes('route="/recherche"')) continue;
      const m = /le="([^"]+)".* (\d+)$/.exec(line);
      if (m) counts.set(m[1], Number(m[2]));
    }
    return counts;
  };
  const bucketsBefore = await buckets();
  // The server's event-loop delay during the crowd (the app runs in this process): a late loop
  // delays every request before the admission sees it.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // BENCH_PROFILE=file.cpuprofile: the app's CPU profile during the crowd only.
  const shed = await profiled(() => crowd({ url: base, paths, rate, seconds, maxConnections }));
  loop.disable();
  const loadAfter = loadAverage();
  const bucketsAfter = await buckets();
  const inApp = ['0.1', '0.25', '1', '+Inf'].map((le) => `≤ ${le} s: ${(bucketsAfter.get(le) ?? 0) - (bucketsBefore.get(le) ?? 0)}`).join(', ');
  // What the app counted itself (its /metrics, loopback allowed): refusals by class and reason.
  const counted = (await (await fetch(`${base}/metrics`)).text())
    .split('\n')
    .filter((line) => line.startsWith('cursus_http_shed_total{'))
    .map((line) => line.replace('cursus_http_shed_total', ''))
    .join(', ');
  await close();

  const admitted = (kind: 'read' | 'write') => {
    const a = config.admission[kind];
    return `${a.inFlight} ${kind}s in progress (wait ${a.waitMs} ms, ${a.queue} waiting)`;
  };
  const others = Object.entries(shed.statuses)
    .filter(([code]) => code !== '503' && !code.startsWith('2'))
    .map(([code, n]) => `${n} × ${code}`);
  console.log(
    `\nNode ${process.version}, ${sessions} sessions, MICROCACHE_SECONDS=0, the search page on ${paths.length} different searches, pool max ${poolMax.max} (wait for a connection at most ${poolMax.connectionTimeoutMillis} ms), admission: ${admitted('read')}, ${admitted('write')}; load average (1/5/15 min) ${loadBefore} at the start, ${loadAfterCapacity} after the capacity steps, ${loadAfter} at the end\n`,
  );
  console.log('| capacity step (closed loop, ' + seconds + ' s) | requests/s | p99 | not 2xx |');
  console.log('|---|---|---|---|');
  for (const s of steps) console.log(`| ${s.connections} connection${s.connections > 1 ? 's' : ''}${s === capacity ? ' ← capacity' : ''} | ${s.rate.toFixed(0)} | ${s.p99} ms | ${s.non2xx} |`);
  console.log(`\n| ${process.env.BENCH_SHED_RATE ? `given rate (${(rate / capacity.rate).toFixed(1)} × capacity)` : `${overload} × capacity`}: ${rate} requests/s, open loop, ${seconds} s | value |`);
  console.log('|---|---|');
  console.log(`| sent | ${shed.sent} in ${shed.sendingSeconds.toFixed(1)} s, on ${shed.opened} connections (kept alive, at most ${maxConnections} at once) |`);
  console.log(`| the client: most requests waiting in it for a connection, its own event-loop delay p99 / max | ${shed.mostQueued}, ${shed.clientLoop.p99} ms / ${shed.clientLoop.max} ms |`);
  console.log(`| served (2xx) | ${shed.served.count} (${(shed.served.count / seconds).toFixed(0)}/s) |`);
  console.log(`| **p99 of the served** (p50, max) | **${shed.served.p99 ?? '–'} ms** (${shed.served.p50 ?? '–'} ms, ${shed.served.max ?? '–'} ms) |`);
  console.log(`| 503 page / of them with Retry-After | ${shed.statuses['503'] ?? 0} / ${shed.retryAfter} (p99 of their answer ${shed.rest.p99 ?? '–'} ms) |`);
  console.log(`| the search page's time in the app during it (its /metrics histogram, served and refused) | ${inApp} |`);
  console.log(`| the server's event-loop delay during it: p99 / max | ${(loop.percentile(99) / 1e6).toFixed(0)} ms / ${(loop.max / 1e6).toFixed(0)} ms |`);
  console.log(`| refusals the app counted (/metrics, capacity steps included) | ${counted || 'none'} |`);
  console.log(`| other answers / given up after 10 s / connection errors | ${others.join(', ') || 'none'} / ${shed.timeouts} / ${shed.errors} |`);
  const ok = (shed.served.p99 ?? Infinity) < fine && others.length === 0 && shed.timeouts === 0 && shed.errors === 0 && shed.retryAfter === (shed.statuses['503'] ?? 0);
  console.log(`\n${ok ? 'Sheds well' : 'Does not shed well'}: served p99 ${shed.served.p99} ms (target under ${fine} ms), every refusal the 503 page with Retry-After: ${shed.retryAfter === (shed.statuses['503'] ?? 0) ? 'yes' : 'no'}.`);
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
