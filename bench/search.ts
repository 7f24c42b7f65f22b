/**
 * Search benchmark (issue 4, issue 19 point 6): the results page on a 20 000-session catalogue,
 * 50 connections, against the same app's hello route in the same run, with the response
 * micro-cache off (MICROCACHE_SECONDS=0): a varied mix of 300 different combinations of
 * keywords and filters drawn at random (bench/mixes.ts), the keyword + two-filter search of
 * issue 4 alone, and the unfiltered first page; then, on a second instance with the default
 * micro-cache, the same single search (the rush of identical searches). It prints the query plan
 * of that search and fails if the sessions are reached by a sequential scan of course_sessions.
 * Prints Markdown for bench/README.md. Targets: ≥ 0.25 of hello, p99 < 50 ms.
 *
 *   npm run bench:search          (BENCH_SESSIONS=20000 by default)
 */
import { parseFilters } from '../src/modules/catalogue/catalogue.rules';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { searchQuery, searchSessions } from '../src/modules/catalogue/catalogue.service';
import { systemClock } from '../src/platform/clock';
import { connections, load, loadAverage, loadMix, profiled, resultRow, seconds, searchDocumentsLoaded, servedPerSecond, startBenchApp } from './lib';
import { searchMix } from './mixes';

const sessions = Number(process.env.BENCH_SESSIONS ?? 20_000);
const query = { q: 'anglais', arrondissement: '11', horaire: 'evening' };
const MIX = 300;

async function main() {
  const loadBefore = loadAverage();
  const prepare = async (db: Parameters<Parameters<typeof startBenchApp>[0]>[0]) => {
    await seedCatalogue(db.db, systemClock, { sessions });
    await db.pool.query('analyze');
  };
  const { database, base, close } = await startBenchApp(prepare, { MICROCACHE_SECONDS: '0' });
  const filters = parseFilters(query);
  const found = await searchSessions(database.db, systemClock, filters);
  const statement = searchQuery(systemClock.now(), filters, { page: 1, countUpTo: 1_001 });
  const plan = (await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off, timing off) ${statement.text}`, statement.values)).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  // The search document is the one table read: never scanned whole for a selective search.
  const sessionsSeqScan = /Seq Scan on (course_sessions|session_search)/.test(plan);

  const documents = await searchDocumentsLoaded(database);
  const paths = searchMix(MIX, 'page');
  // Each search once first: what is measured is the steady state, not the first plans.
  for (const path of paths) await fetch(`${base}${path}`);
  const url = `${base}/recherche?${new URLSearchParams(query).toString()}`;
  const hello = await load({ url: `${base}/__hello` });
  // BENCH_PROFILE=file.cpuprofile: the app's CPU profile during the mix only.
  const mix = await profiled(() => loadMix({ base, paths }));
  const search = await load({ url });
  const page1 = await load({ url: `${base}/recherche` });
  const helloAfter = await load({ url: `${base}/__hello` });
  await close();

  // The rush of identical searches, with the default micro-cache (decision 004).
  const cached = await startBenchApp(prepare);
  const cachedHello = await load({ url: `${cached.base}/__hello` });
  const cachedSearch = await load({ url: `${cached.base}/recherche?${new URLSearchParams(query).toString()}` });
  await cached.close();

  console.log(`\nNode ${process.version}, ${sessions} sessions, ${seconds} s per run, ${connections} connections; load average (1/5/15 min) ${loadBefore} at the start, ${loadAverage()} at the end\n`);
  console.log(`${documents}\n`);
  console.log(`Search: \`/recherche?${new URLSearchParams(query).toString()}\` → ${found.total} sessions; the mix: ${paths.length} different searches\n`);
  console.log('| scenario | served (2xx, 3xx) per second | p99 of every answer | non-2xx/errors (503s of the admission among them) | served, ratio to hello |');
  console.log('|---|---|---|---|---|');
  console.log(resultRow('fastify hello route', hello));
  console.log(resultRow(`MICROCACHE_SECONDS=0: a mix of ${paths.length} searches drawn at random`, mix, hello));
  console.log(resultRow('MICROCACHE_SECONDS=0: keywords + arrondissement + evening', search, hello));
  console.log(resultRow('MICROCACHE_SECONDS=0: no filter (first page of all)', page1, hello));
  console.log(resultRow('fastify hello route, again after them', helloAfter));
  console.log(resultRow('fastify hello route (second instance, MICROCACHE_SECONDS=5)', cachedHello));
  console.log(resultRow('same single search, MICROCACHE_SECONDS=5', cachedSearch, cachedHello));
  const ratio = servedPerSecond(mix) / servedPerSecond(hello);
  console.log(`\nTargets on the mix (≥ 0.25 of hello, p99 < 50 ms): ${ratio >= 0.25 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}), ${mix.latency.p99 < 50 && mix.non2xx + mix.errors === 0 ? 'met' : 'NOT met'} (${mix.latency.p99} ms${mix.non2xx + mix.errors ? `, with ${mix.non2xx + mix.errors} answers refused or failed: the p99 of every answer, the quick 503s among them` : ''})`);
  console.log(`Sessions reached through an index: ${sessionsSeqScan ? 'NO (sequential scan of course_sessions)' : 'yes'}\n`);
  console.log('```\n' + plan + '\n```');
  if (sessionsSeqScan) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
