/**
 * Search benchmark (issue 4): the results page with keywords and two filters on a 20 000-session
 * catalogue, 50 connections, against the same app's hello route in the same run; and the query
 * plan of that search (the keyword must go through the trigram index, sessions through their
 * course index: no sequential scan of the sessions). Prints Markdown for bench/README.md.
 *
 *   npm run bench:search          (BENCH_SESSIONS=20000 by default)
 */
import { parseFilters } from '../src/modules/catalogue/catalogue.rules';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { searchQuery, searchSessions } from '../src/modules/catalogue/catalogue.service';
import { systemClock } from '../src/platform/clock';
import { connections, load, resultRow, seconds, startBenchApp } from './lib';

const sessions = Number(process.env.BENCH_SESSIONS ?? 20_000);
const query = { q: 'anglais', arrondissement: '11', horaire: 'evening' };

async function main() {
  const { database, base, close } = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock, { sessions });
    await db.pool.query('analyze');
  });
  const filters = parseFilters(query);
  const found = await searchSessions(database.db, systemClock, filters);
  const { query: sqlQuery } = searchQuery(database.db, systemClock.now(), filters);
  const { sql, params } = sqlQuery.toSQL();
  const plan = (await database.pool.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off, timing off, summary off) ${sql}`, params)).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  const trigram = plan.includes('courses_title_folded_trgm_idx');
  const sessionsSeqScan = /Seq Scan on course_sessions/.test(plan);

  const url = `${base}/recherche?${new URLSearchParams(query).toString()}`;
  const hello = await load({ url: `${base}/__hello` });
  const search = await load({ url });
  const page1 = await load({ url: `${base}/recherche` });
  await close();

  // The same searches with nothing kept in memory: every request renders and queries.
  const cold = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock, { sessions });
    await db.pool.query('analyze');
  }, { MICROCACHE_SECONDS: '0' });
  const coldHello = await load({ url: `${cold.base}/__hello` });
  const coldSearch = await load({ url: `${cold.base}/recherche?${new URLSearchParams(query).toString()}` });
  const coldPage1 = await load({ url: `${cold.base}/recherche` });
  await cold.close();

  console.log(`\nNode ${process.version}, ${sessions} sessions, ${seconds} s per run, ${connections} connections\n`);
  console.log(`Search: \`/recherche?${new URLSearchParams(query).toString()}\` → ${found.total} sessions\n`);
  console.log('| scenario | requests/s | p99 | non-2xx/errors | ratio to hello |');
  console.log('|---|---|---|---|---|');
  console.log(resultRow('fastify hello route', hello));
  console.log(resultRow('search: keywords + arrondissement + evening', search, hello));
  console.log(resultRow('search page, no filter (first page of all)', page1, hello));
  console.log(resultRow('fastify hello route (second instance)', coldHello));
  console.log(resultRow('same search, MICROCACHE_SECONDS=0', coldSearch, coldHello));
  console.log(resultRow('no filter, MICROCACHE_SECONDS=0', coldPage1, coldHello));
  console.log(`\nSessions reached through an index: ${sessionsSeqScan ? 'NO (sequential scan of course_sessions)' : 'yes'}; trigram index on course titles used: ${trigram ? 'yes' : 'no (the planner scanned the courses table)'}\n`);
  console.log('```\n' + plan + '\n```');
  if (sessionsSeqScan) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
