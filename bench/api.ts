/**
 * Public API benchmark (issue 17, SVC-8): `GET /api/v1/sessions` with keywords and two filters
 * on a 20 000-session catalogue, 50 connections, against the same app's hello route in the same
 * run, with the response micro-cache off (MICROCACHE_SECONDS=0): every request counts its
 * address in PostgreSQL, runs the search's query, its slots, free places and holidays, and
 * serialises and hashes the page. Also the same URL with `If-None-Match` (304), `/domains` (the
 * limit's counter and one small query), then on a second instance with the default micro-cache,
 * and the query plan. Prints Markdown for bench/README.md. Targets: ≥ 0.25 of hello, p99 < 50 ms.
 *
 *   npm run bench:api          (BENCH_SESSIONS=20000 by default)
 */
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { searchQuery } from '../src/modules/catalogue/catalogue.service';
import { searchFilters } from '../src/modules/opendata/api.service';
import { systemClock } from '../src/platform/clock';
import { setPolicy } from '../src/platform/policies';
import { connections, load, loadAverage, loadMix, profiled, resultRow, seconds, searchDocumentsLoaded, servedPerSecond, startBenchApp } from './lib';
import { searchMix } from './mixes';

const sessions = Number(process.env.BENCH_SESSIONS ?? 20_000);
const query = 'q=anglais&arrondissement=11&times=evening&limit=20';

async function main() {
  const loadBefore = loadAverage();
  const { database, base, close } = await startBenchApp(
    async (db) => {
      await seedCatalogue(db.db, systemClock, { sessions });
      // One client address makes every request: the per-address limit would stop the run.
      await setPolicy(db.db, 'apiRequestsPerIpPer10Min', 100_000_000);
      await db.pool.query('analyze');
    },
    { MICROCACHE_SECONDS: '0' },
  );
  const url = `${base}/api/v1/sessions?${query}`;
  // Just after seeding the app may still be under pressure (503): wait for a first page.
  let first = await fetch(url);
  for (let i = 0; i < 20 && first.status !== 200; i++) {
    await new Promise((done) => setTimeout(done, 1_000));
    first = await fetch(url);
  }
  const page = (await first.json()) as { data?: unknown[] };
  const etag = first.headers.get('etag')!;

  const filters = searchFilters({ q: 'anglais', arrondissement: 11, times: ['evening'] });
  const statement = searchQuery(systemClock.now(), filters, { limit: 21 });
  const plan = (await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers, costs off, timing off) ${statement.text}`, statement.values)).rows.map((r) => r['QUERY PLAN']).join('\n');

  const documents = await searchDocumentsLoaded(database);
  const mixPaths = searchMix(300, 'api');
  for (const path of mixPaths) await fetch(`${base}${path}`);
  const hello = await load({ url: `${base}/__hello` });
  // The limit's counter alone (one small query besides it): what the per-address count costs.
  const domains = await load({ url: `${base}/api/v1/domains` });
  const api = await load({ url });
  const notModified = await load({ url, headers: { 'if-none-match': etag } });
  const all = await load({ url: `${base}/api/v1/sessions` });
  // BENCH_PROFILE=file.cpuprofile: the app's CPU profile during the mix only.
  const mix = await profiled(() => loadMix({ base, paths: mixPaths }));
  // How PostgreSQL ran the named statements on one of the pool's connections: a custom plan is planned again at every execution.
  const prepared = (
    await database.pool.query<{ name: string; generic_plans: string; custom_plans: string }>(
      `select name, generic_plans, custom_plans from pg_prepared_statements where name like 'catalogue-%' order by generic_plans + custom_plans desc limit 5`,
    )
  ).rows;
  await close();

  // The same URL with the default micro-cache (decision 004): what a rush of identical requests costs.
  const cached = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock, { sessions });
    await setPolicy(db.db, 'apiRequestsPerIpPer10Min', 100_000_000);
    await db.pool.query('analyze');
  });
  await new Promise((done) => setTimeout(done, 3_000));
  const cachedHello = await load({ url: `${cached.base}/__hello` });
  const cachedApi = await load({ url: `${cached.base}/api/v1/sessions?${query}` });
  await cached.close();

  console.log(`\nNode ${process.version}, ${sessions} sessions, ${seconds} s per run, ${connections} connections, MICROCACHE_SECONDS=0; load average (1/5/15 min) ${loadBefore} at the start, ${loadAverage()} at the end\n`);
  console.log(`${documents}\n`);
  console.log(`API: \`/api/v1/sessions?${query}\` → ${page.data?.length ?? `status ${first.status}`} sessions on the first page\n`);
  console.log('| scenario | served (2xx, 3xx) per second | p99 of every answer | non-2xx/errors (503s of the admission among them) | served, ratio to hello |');
  console.log('|---|---|---|---|---|');
  console.log(resultRow('fastify hello route', hello));
  console.log(resultRow('API domains (the limit counter and one small query)', domains, hello));
  console.log(resultRow('API sessions: keywords + arrondissement + evening', api, hello));
  console.log(resultRow('same, If-None-Match (304)', notModified, hello));
  console.log(resultRow('API sessions, no filter (first page of all)', all, hello));
  console.log(resultRow(`API sessions, a mix of ${mixPaths.length} filter combinations drawn at random`, mix, hello));
  console.log(resultRow('fastify hello route (second instance, MICROCACHE_SECONDS=5)', cachedHello));
  console.log(resultRow('API sessions, same filters, MICROCACHE_SECONDS=5', cachedApi, cachedHello));
  const ratio = servedPerSecond(api) / servedPerSecond(hello);
  console.log(`\nTargets (≥ 0.25 of hello, p99 < 50 ms): ${ratio >= 0.25 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}), ${api.latency.p99 < 50 && api.non2xx + api.errors === 0 ? 'met' : 'NOT met'} (${api.latency.p99} ms${api.non2xx + api.errors ? `, with ${api.non2xx + api.errors} answers refused or failed: the p99 of every answer, the quick 503s among them` : ''})\n`);
  console.log('Named statements on one connection of the pool (executions planned generic / custom):');
  for (const p of prepared) console.log(`- ${p.name}: ${p.generic_plans} / ${p.custom_plans}`);
  console.log('```\n' + plan + '\n```');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
