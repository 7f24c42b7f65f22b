/**
 * Issue 17 and issue 19 point 6: what PostgreSQL itself spends on each search, measured as the CPU
 * time of its server process (`/proc/<pid>/stat`, utime + stime) rather than by a clock: a clock
 * counts the time the process waited for a core, which on a shared machine is most of it. The
 * same 300 searches as `bench:search`'s and `bench:api`'s mix (`bench/mixes.ts`, the API's
 * parameters, parsed by the API's own schema), each run as the API runs it (a named statement:
 * planned once per connection), 8 times to settle the plan, then 10 times measured; beside them
 * `select 1` (a round trip's floor) and 21 documents read by id (what a page of results costs to
 * read when nothing is to be found). Prints Markdown for bench/README.md.
 *
 *   npm run bench:statements          (BENCH_SESSIONS=20000 by default; Linux only: /proc)
 */
import { readFileSync } from 'node:fs';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { searchQuery } from '../src/modules/catalogue/catalogue.service';
import { parseQuery } from '../src/modules/opendata/api.rules';
import { sessionsParams } from '../src/modules/opendata/api.schema';
import { searchFilters } from '../src/modules/opendata/api.service';
import { systemClock } from '../src/platform/clock';
import { loadAverage, startBenchApp } from './lib';
import { searchMix } from './mixes';

const sessions = Number(process.env.BENCH_SESSIONS ?? 20_000);
const SETTLE = 8;
const RUNS = 10;

async function main() {
  const loadBefore = loadAverage();
  const { database, close } = await startBenchApp(
    async (db) => {
      await seedCatalogue(db.db, systemClock, { sessions });
      await db.pool.query('analyze');
    },
    { MICROCACHE_SECONDS: '0' },
  );
  const client = await database.pool.connect();
  try {
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
    /** The server process's CPU time so far, in ms (the kernel counts it in ticks of 10 ms: measure many statements at once). */
    const cpu = () => {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    };
    const now = systemClock.now();
    const statements = searchMix(300, 'api').map((path) => {
      const parsed = parseQuery(sessionsParams, Object.fromEntries(new URL(path, 'http://x').searchParams));
      if (!parsed.ok) throw new Error(`the mix's ${path} is refused by the API`);
      const { limit, cursor: _cursor, ...filters } = parsed.value as Record<string, unknown> & { limit?: number; cursor?: string };
      return { path, statement: searchQuery(now, searchFilters(filters as Parameters<typeof searchFilters>[0]), { limit: (limit ?? 20) + 1 }) };
    });
    const run = async (s: { name: string; text: string; values: unknown[] }, times: number) => {
      for (let i = 0; i < times; i++) await client.query({ name: s.name, text: s.text, values: s.values });
    };
    /** CPU ms per execution of one statement, measured over `times` executions. */
    const measureOne = async (s: { name: string; text: string; values: unknown[] }, times: number) => {
      await run(s, SETTLE);
      const before = cpu();
      await run(s, times);
      return (cpu() - before) / times;
    };
    const floor = await measureOne({ name: 'bench-select-1', text: 'select 1', values: [] }, 2_000);
    const ids = Array.from({ length: 21 }, (_, i) => 1 + i * Math.floor(sessions / 21));
    const byId = await measureOne({ name: 'bench-by-id', text: 'select * from session_search where session_id = any($1)', values: [ids] }, 2_000);
    for (const { statement } of statements) await run(statement, SETTLE);
    const per: { path: string; ms: number }[] = [];
    const start = cpu();
    const clockStart = performance.now();
    for (const { path, statement } of statements) {
      const before = cpu();
      await run(statement, RUNS);
      per.push({ path, ms: (cpu() - before) / RUNS });
    }
    const total = (cpu() - start) / (statements.length * RUNS);
    const wall = (performance.now() - clockStart) / (statements.length * RUNS);
    const plans = (await client.query<{ generic: number; custom: number }>(`select sum(generic_plans)::int as generic, sum(custom_plans)::int as custom from pg_prepared_statements where name like 'catalogue-%'`)).rows[0];
    per.sort((a, b) => b.ms - a.ms);
    const at = (q: number) => per[Math.min(per.length - 1, Math.floor(per.length * q))].ms;
    console.log(`\nNode ${process.version}, ${sessions} sessions, ${statements.length} searches × ${RUNS} (after ${SETTLE} to settle each plan), one connection; load average (1/5/15 min) ${loadBefore} at the start, ${loadAverage()} at the end\n`);
    console.log('| statement | PostgreSQL CPU per execution |');
    console.log('|---|---|');
    console.log(`| \`select 1\` (a round trip's floor) | ${floor.toFixed(3)} ms |`);
    console.log(`| 21 documents by id | ${byId.toFixed(3)} ms |`);
    console.log(`| the mix of 300 searches: mean | ${total.toFixed(2)} ms (by the clock: ${wall.toFixed(2)} ms) |`);
    console.log(`| the mix: median / 90th / 99th centile of the searches | ${at(0.5).toFixed(1)} / ${per[Math.floor(per.length * 0.1)].ms.toFixed(1)} / ${per[Math.floor(per.length * 0.01)].ms.toFixed(1)} ms |`);
    console.log(`\nPlans of the mix's statements on this connection: ${plans.generic} generic, ${plans.custom} custom. The costliest searches:\n`);
    for (const p of per.slice(0, 8)) console.log(`- ${p.ms.toFixed(1)} ms \`${p.path}\``);
    console.log(`\nAt ${total.toFixed(2)} ms a search, PostgreSQL alone can answer at most ${Math.floor(1000 / total)} searches a second per core it is given.`);
  } finally {
    client.release();
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
