/**
 * Rush benchmark (issue 5): 5 000 learners, each validating an application (their third, so the
 * APP-5 count runs on real rows) on the 400-session demo catalogue, 100 connections, through the
 * app's real form. Then the same database transaction run by pgbench in the same run, and a
 * check query that no cap was broken. Prints Markdown for bench/README.md.
 *
 *   npm run bench:rush        (BENCH_LEARNERS=5000)
 *
 * Issue 19 point 4, `BENCH_DEPLOY=1 npm run bench:rush`: the same rush through deploy/local.sh
 * (nginx in front of two built app processes on the same database), and app process 1 killed with
 * SIGKILL when half the learners are validated, restarted 3 s later. Then the counts: every
 * validation answered 303 is there with its event and its email, none half-written, no cap broken,
 * the restarted process serves again.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { hashPassword } from '../src/platform/passwords';
import { systemClock } from '../src/platform/clock';
import { loadAverage, profiled, startBenchApp } from './lib';
import { buildProduction } from '../scripts/build';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { currentTerms } from '../src/modules/accounts/consents.rules';
import pg from 'pg';

const count = Number(process.env.BENCH_LEARNERS ?? 5_000);
const connections = 100;
/** Issue 19 point 7: pgbench at its best is the baseline: prepared statements, client counts swept. */
const pgbenchClients = (process.env.BENCH_PGBENCH_CLIENTS ?? '8,16,32,100').split(',').map(Number);
const pgbenchSeconds = Number(process.env.BENCH_PGBENCH_SECONDS ?? 10);

/**
 * The statements the app sends to PostgreSQL, counted while the rush runs (the app is in this
 * process): each `query` of a pg client is one round trip (a drizzle transaction's begin and
 * commit are two of them).
 */
const statements = { count: 0, on: false, texts: new Map<string, number>() };
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (statements.on && !(this as { uncounted?: boolean }).uncounted) {
    statements.count++;
    const first = args[0] as string | { text?: string; name?: string };
    const text = typeof first === 'string' ? first : (first?.name ?? first?.text ?? '?');
    statements.texts.set(text, (statements.texts.get(text) ?? 0) + 1);
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

/**
 * Where the rush's time goes (issue 19 point 7): CPU seconds, read from /proc, of this process
 * (the app), of the children it waited for (the rush client, pgbench), of the PostgreSQL server
 * on this machine (its postmaster, its live backends, and the backends it reaped), and of the
 * whole machine (the rest is the other work on it).
 */
const tick = 100; // CLK_TCK
function procTimes(pid: number | 'self'): { own: number; children: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { own: (Number(f[11]) + Number(f[12])) / tick, children: (Number(f[13]) + Number(f[14])) / tick, ppid: Number(f[1]) };
  } catch {
    return undefined;
  }
}
function serverSeconds(postmaster: number | undefined): number {
  if (!postmaster) return NaN;
  const main = procTimes(postmaster);
  let total = main ? main.own + main.children : 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(Number(entry));
    if (t?.ppid === postmaster) total += t.own;
  }
  return total;
}
function machineSeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) / tick;
}
function cpuSnapshot(postmaster: number | undefined) {
  const self = procTimes('self')!;
  return { app: self.own, children: self.children, server: serverSeconds(postmaster), machine: machineSeconds(), at: performance.now() };
}
type CpuSnapshot = ReturnType<typeof cpuSnapshot>;
const cpuDelta = (a: CpuSnapshot, b: CpuSnapshot) => ({ app: b.app - a.app, children: b.children - a.children, server: b.server - a.server, machine: b.machine - a.machine, seconds: (b.at - a.at) / 1000 });

const deploy = process.env.BENCH_DEPLOY === '1';
const root = resolve(import.meta.dirname, '..');

/** deploy/local.sh with the bench's database and secret (the learners' CSRF tokens are signed with it). */
function deployment(databaseUrl: string) {
  const state = mkdtempSync(join(tmpdir(), 'cursus-rush-deploy-'));
  const dist = join(root, '.bench-dist');
  const env = { ...process.env, STATE_DIR: state, DIST: dist, HTTP_PORT: process.env.BENCH_HTTP_PORT ?? '18080', APP_PORT: process.env.BENCH_APP_PORT ?? '13001', PROCESSES: '2', DATABASE_URL: databaseUrl, SESSION_SECRET: 'b'.repeat(32), LOG_LEVEL: 'warn' };
  const run = (...args: string[]) => {
    const result = spawnSync('bash', [join(root, 'deploy', 'local.sh'), ...args], { env, encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`deploy/local.sh ${args.join(' ')}: ${result.stderr}`);
  };
  const served = async (n: number) => {
    const text = await (await fetch(`http://127.0.0.1:${Number(env.APP_PORT) + n - 1}/metrics`)).text();
    return [...text.matchAll(/^cursus_http_requests_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  return {
    base: `http://127.0.0.1:${env.HTTP_PORT}`,
    start: async () => (await buildProduction({ out: dist }), run('start')),
    kill: (n: number) => run('kill', String(n)),
    restart: (n: number) => run('restart', String(n)),
    served,
    /** The processes' error lines (LOG_LEVEL=warn), for the report: a 500 must be explained. */
    errors: () =>
      [1, 2].flatMap((n) =>
        readFileSync(join(state, `app-${n}.log`), 'utf8')
          .split('\n')
          .filter((line) => /"level":(50|60)/.test(line))
          .map((line) => `process ${n}: ${line.slice(0, 400)}`),
      ),
    stop: () => (run('stop'), rmSync(state, { recursive: true, force: true }), rmSync(dist, { recursive: true, force: true })),
  };
}

async function main() {
  const { app, database, base, close } = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock);
  });
  const { pool } = database;
  const hash = await hashPassword('Bench-password-2026');

  // Open sessions of three different courses with slots that do not overlap, for everyone.
  const open = await pool.query<{ id: number; course_id: number; weekday: number; starts_at: string }>(`
    select distinct on (s.course_id) s.id, s.course_id, sl.weekday, sl.starts_at
    from course_sessions s join registration_periods p on p.id = s.period_id join session_slots sl on sl.session_id = s.id
    where p.code = 'annuel-s1' and (select count(*) from session_slots x where x.session_id = s.id) = 1
    order by s.course_id, s.id`);
  const picked: typeof open.rows = [];
  for (const row of open.rows) if (!picked.some((p) => p.weekday === row.weekday)) picked.push(row);
  if (picked.length < 3) throw new Error('the demo catalogue has no three open sessions on different days');
  const [first, second, third] = picked;

  // 5 000 learners with a record, a login session, two confirmed applications and one to validate.
  await pool.query('create table bench_learners (n int primary key, learner_id uuid not null, application_id uuid not null, token text not null, session_id int not null)');
  const learners: { applicationId: string; token: string }[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, (_, i) => start + i + 1);
    const client = await pool.connect();
    try {
      await client.query('begin');
      for (const n of batch) {
        const token = randomBytes(32).toString('base64url');
        const user = await client.query<{ id: string }>(
          `insert into users (email, password_hash, status, created_at, activated_at) values ($1, $2, 'active', now(), now()) returning id`,
          [`rush.${n}@example.org`, hash],
        );
        const id = user.rows[0].id;
        await client.query(`insert into consents (user_id, kind, version, given_at, given_how) values ($1, 'terms', $2, now(), 'created')`, [id, currentTerms.version]);
        await client.query(
          `insert into learner_profiles (user_id, civility, last_name, first_name, birth_date, birth_country, address, postal_code, city, mobile_phone, heard_from, identity_key, created_at, updated_at)
           values ($1, 'MME', $2, 'Bench', '1990-01-01', 'FR', '1 rue du Test', '75011', 'Paris', '+33612345678', 'internet', $3, now(), now())`,
          [id, `Rush${n}`, `rush${n}|bench|1990-01-01`],
        );
        await client.query(
          `insert into user_sessions (id, user_id, created_at, last_seen_at, expires_at) values ($1, $2, now(), now(), now() + interval '12 hours')`,
          [createHash('sha256').update(token).digest('hex'), id],
        );
        for (const s of [first, second])
          await client.query(
            `insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at)
             values ($1, $2, $3, 'confirmed', 'employed', 'personal', 'Bench', now(), now(), now())`,
            [id, s.id, s.course_id],
          );
        const application = await client.query<{ id: string }>(
          `insert into applications (learner_id, session_id, course_id, situation, objective, motivations, created_at)
           values ($1, $2, $3, 'employed', 'personal', 'Bench', now()) returning id`,
          [id, third.id, third.course_id],
        );
        await client.query('insert into bench_learners values ($1, $2, $3, $4, $5)', [n, id, application.rows[0].id, token, third.id]);
        learners.push({ applicationId: application.rows[0].id, token });
      }
      await client.query('commit');
    } finally {
      client.release();
    }
  }

  // A CSRF cookie, as a browser has it, and each learner's token: a token belongs to one login session.
  const page = await app.inject('/connexion');
  const csrfCookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => /^(__Host-)?cursus_csrf=/.test(c))!.split(';')[0];
  const withTokens = [];
  for (const learner of learners) {
    const own = await app.inject({ url: '/conditions', headers: { cookie: `cursus_sid=${learner.token}; ${csrfCookie}` } });
    withTokens.push({ ...learner, csrf: /name="_csrf" value="([^"]+)"/.exec(own.body)![1] });
  }
  const deployed = deploy ? deployment(database.url) : undefined;
  await deployed?.start();
  const spec = join(tmpdir(), `cursus-rush-${process.pid}.json`);
  writeFileSync(spec, JSON.stringify({ url: deployed?.base ?? base, csrfCookie, learners: withTokens, connections }));
  const client = resolve(import.meta.dirname, 'rush-client.mjs');
  // Deployment mode: kill process 1 when half are validated, restart it 3 s later.
  let killedAt: number | undefined;
  let restartedAt: number | undefined;
  let databaseRestartedAt: number | undefined;
  const began = Date.now();
  const watch = deployed
    ? (async () => {
        for (;;) {
          const done = (await pool.query<{ n: number }>(`select count(*)::int as n from applications a join bench_learners b on b.application_id = a.id where a.status = 'confirmed'`)).rows[0].n;
          if (done >= count / 2) break;
          await new Promise((next) => setTimeout(next, 50));
        }
        deployed.kill(1);
        killedAt = Date.now() - began;
        await new Promise((next) => setTimeout(next, 3_000));
        deployed.restart(1);
        restartedAt = Date.now() - began;
        // BENCH_RESTART_DB=1 (DATABASE_URL on Debian's PostgreSQL 15): the server restarted at three quarters.
        if (process.env.BENCH_RESTART_DB !== '1') return;
        for (;;) {
          const done = (await pool.query<{ n: number }>(`select count(*)::int as n from applications a join bench_learners b on b.application_id = a.id where a.status = 'confirmed'`)).rows[0].n;
          if (done >= (count * 3) / 4) break;
          await new Promise((next) => setTimeout(next, 50));
        }
        const restart = spawnSync('pg_ctlcluster', ['15', 'main', 'restart'], { encoding: 'utf8' });
        if (restart.status !== 0) throw new Error(`pg_ctlcluster 15 main restart: ${restart.stderr}`);
        databaseRestartedAt = Date.now() - began;
      })().catch((error) => console.error('the watch failed:', error))
    : undefined;
  type Rush = { requests: { average: number }; latency: { p99: number; p50: number }; duration: number; statusCodeStats: Record<string, { count: number }>; errors: number; seeOther: string[] };
  const rush = (file: string) =>
    new Promise<Rush>((done, fail) => {
      const child = spawn(process.execPath, [client, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('exit', (code) => (code === 0 ? done(JSON.parse(out)) : fail(new Error(`rush client exited with ${code}`))));
    });
  const loadBefore = loadAverage();
  // The server's postmaster (on this machine): the parent of a backend.
  const backend = (await pool.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
  const postmaster = procTimes(backend)?.ppid;
  // BENCH_WAITS=1: what the app's backends are doing, sampled every 10 ms from a connection of its own (not counted).
  const waits = new Map<string, number>();
  let sampling = process.env.BENCH_WAITS === '1';
  const sampler = sampling
    ? (async () => {
        const client = Object.assign(new pg.Client({ connectionString: database.url }), { uncounted: true });
        await client.connect();
        while (sampling) {
          const { rows } = await client.query<{ what: string }>(
            `select case when state = 'active' then 'active: ' || coalesce(wait_event_type || '/' || wait_event, 'on CPU (or runnable)') else state end as what
             from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() and application_name = ''`,
          );
          for (const r of rows) waits.set(r.what, (waits.get(r.what) ?? 0) + 1);
          await new Promise((next) => setTimeout(next, 10));
        }
        await client.end();
      })()
    : undefined;
  // BENCH_PG_SETTINGS=shared_preload_libraries=pg_stat_statements,pg_stat_statements.track_planning=on
  // and BENCH_PG_STATEMENTS=1: PostgreSQL's own time per statement, for the rush and for a pgbench run.
  const serverStatements = process.env.BENCH_PG_STATEMENTS === '1';
  if (serverStatements) await pool.query('create extension if not exists pg_stat_statements');
  const statementTimes = async (title: string, per: number) => {
    if (!serverStatements) return;
    const { rows } = await pool.query<{ query: string; calls: string; exec: number; plan: number }>(
      `select query, calls, total_exec_time as exec, total_plan_time as plan from pg_stat_statements
       where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time + total_plan_time desc limit 25`,
    );
    const total = rows.reduce((sum, r) => sum + r.exec + r.plan, 0);
    console.error(`\n${title}: PostgreSQL's time per ${per} (exec + plan), ${((total / per) * 1000).toFixed(0)} µs in all`);
    for (const r of rows)
      console.error(`  ${(Number(r.calls) / per).toFixed(2)} × ${(((r.exec + r.plan) / per) * 1000).toFixed(0)} µs (plan ${((r.plan / per) * 1000).toFixed(0)}) ${r.query.replace(/\s+/g, ' ').slice(0, 150)}`);
    await pool.query('select pg_stat_statements_reset()');
  };
  if (serverStatements) await pool.query('select pg_stat_statements_reset()');
  const cpuBefore = cpuSnapshot(postmaster);
  statements.on = !deployed;
  // BENCH_PROFILE=file.cpuprofile: the app's CPU profile (this process) during the rush only.
  const http = deployed ? await rush(spec) : await profiled(() => rush(spec));
  const rushCpu = cpuDelta(cpuBefore, cpuSnapshot(postmaster));
  sampling = false;
  await sampler;
  await statementTimes('the rush', count);
  statements.on = false;
  await watch;
  const loadAfterApp = loadAverage();
  const confirmationsPerSecond = count / http.duration;

  // The check: nobody above the cap, nobody with two live applications to a course, everyone done.
  const [check] = (
    await database.db.execute<{ over_cap: number; duplicates: number; confirmed_learners: number; emails: number }>(sql`
      select
        (select count(*)::int from (select learner_id from applications where status in ('confirmed','convoked','waiting_list','accepted','enrolled') group by learner_id having count(*) > 3) x) as over_cap,
        (select count(*)::int from (select learner_id, course_id from applications where status not in ('cancelled','refused','lack_of_places','withdrawn','removed') group by 1, 2 having count(*) > 1) y) as duplicates,
        (select count(*)::int from applications a join bench_learners b on b.application_id = a.id where a.status = 'confirmed') as confirmed_learners,
        (select count(*)::int from outbox where subject like 'Votre candidature est enregistrée%') as emails`)
  ).rows;

  // The same transaction with pgbench, against the same server, in the same run: at its best
  // (prepared statements, the client counts swept, 2 threads on this 2-core machine), and the
  // minimal transaction (lock, count, update, event, outbox) as a second reference.
  const pgbench = deployed ? undefined : ['/usr/lib/postgresql/15/bin/pgbench', 'pgbench'].find((p) => spawnSync(p, ['--version']).status === 0);
  const pgbenchRuns: { script: string; mode: string; clients: number; threads: number; tps: number; done: number; latency: number; cpu?: ReturnType<typeof cpuDelta> }[] = [];
  if (pgbench) {
    const url = new URL(database.url);
    const runOne = (script: string, mode: string, clients: number) => {
      const threads = Math.min(clients, 2);
      const before = cpuSnapshot(postmaster);
      const run = spawnSync(
        pgbench,
        ['-n', '-M', mode, '-c', String(clients), '-j', String(threads), '-T', String(pgbenchSeconds), '-D', `learners=${count}`, '-f', resolve(import.meta.dirname, script), '-h', url.hostname, '-p', url.port, '-U', url.username, url.pathname.slice(1)],
        { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, encoding: 'utf8' },
      );
      const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1]);
      const done = Number(/number of transactions actually processed: (\d+)/.exec(run.stdout)?.[1]);
      if (!tps) console.error(run.stdout, run.stderr);
      pgbenchRuns.push({ script, mode, clients, threads, tps, done, latency: Number(/latency average = ([\d.]+)/.exec(run.stdout)?.[1]), cpu: cpuDelta(before, cpuSnapshot(postmaster)) });
    };
    // The old baseline, for comparison with the figures before: 100 clients, unprepared.
    runOne('confirm.sql', 'extended', connections);
    for (const clients of pgbenchClients) {
      if (serverStatements) await pool.query('select pg_stat_statements_reset()');
      runOne('confirm.sql', 'prepared', clients);
      await statementTimes(`pgbench confirm.sql -M prepared ${clients} clients`, pgbenchRuns.at(-1)!.done || 1);
    }
    for (const clients of pgbenchClients) runOne('confirm-minimal.sql', 'prepared', clients);
  }
  const best = (script: string) => pgbenchRuns.filter((r) => r.script === script && r.mode === 'prepared' && r.tps).sort((a, b) => b.tps - a.tps)[0];
  const pgbenchBest = best('confirm.sql');
  const minimalBest = best('confirm-minimal.sql');

  if (deployed) {
    // Every 303 is a validation done, with its event and its email; nothing half-written.
    const [seen] = (
      await pool.query<{ answered: number; there: number; with_event: number; with_email: number; confirmed: number; confirmed_without_event: number }>(
        `select
           cardinality($1::uuid[]) as answered,
           (select count(*)::int from applications where id = any($1::uuid[]) and status = 'confirmed') as there,
           (select count(distinct e.application_id)::int from application_events e where e.application_id = any($1::uuid[]) and e.to_status = 'confirmed') as with_event,
           (select count(distinct b.application_id)::int from bench_learners b join users u on u.id = b.learner_id join outbox o on lower(o.to_address) = lower(u.email) where b.application_id = any($1::uuid[]) and o.subject like 'Votre candidature est enregistrée%') as with_email,
           (select count(*)::int from applications a join bench_learners b on b.application_id = a.id where a.status = 'confirmed') as confirmed,
           (select count(*)::int from applications a join bench_learners b on b.application_id = a.id where a.status = 'confirmed' and not exists (select 1 from application_events e where e.application_id = a.id and e.to_status = 'confirmed')) as confirmed_without_event`,
        [http.seeOther],
      )
    ).rows;
    // Those whose validation failed (the killed process, the database restarting) try again, as a learner would: all must get through.
    const failed = (await pool.query<{ application_id: string }>(`select b.application_id from bench_learners b join applications a on a.id = b.application_id where a.status <> 'confirmed'`)).rows.map((r) => r.application_id);
    let again: Rush | undefined;
    if (failed.length) {
      const retrySpec = join(tmpdir(), `cursus-rush-again-${process.pid}.json`);
      writeFileSync(retrySpec, JSON.stringify({ url: deployed.base, csrfCookie, learners: withTokens.filter((l) => failed.includes(l.applicationId)), connections: Math.min(connections, failed.length) }));
      again = await rush(retrySpec);
    }
    const [final] = (await pool.query<{ confirmed: number }>(`select count(*)::int as confirmed from applications a join bench_learners b on b.application_id = a.id where a.status = 'confirmed'`)).rows;
    const before = await deployed.served(1);
    for (let i = 0; i < 40; i++) await fetch(`${deployed.base}/recherche`);
    await new Promise((next) => setTimeout(next, 6_000));
    for (let i = 0; i < 40; i++) await fetch(`${deployed.base}/recherche`);
    const rejoined = (await deployed.served(1)) > before;
    const errors = deployed.errors();
    const kinds = new Map<string, number>();
    for (const line of errors) {
      const key = (/"msg":"([^"]{0,160})/.exec(line)?.[1] ?? line.slice(0, 160)).replace(/[0-9a-f-]{36}/g, '…');
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    for (const [key, n] of kinds) console.error(`${n} × ${key}`);
    deployed.stop();
    const codes = Object.entries(http.statusCodeStats ?? {}).map(([code, s]) => `${s.count} × ${code}`).join(', ');
    console.log(`\nNode ${process.version}, ${count} learners, ${connections} connections, through nginx to 2 processes; process 1 killed (SIGKILL) at ${((killedAt ?? 0) / 1000).toFixed(1)} s, restarted at ${((restartedAt ?? 0) / 1000).toFixed(1)} s\n`);
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| answers | ${codes}; ${http.errors} connection errors; ${(count / http.duration).toFixed(0)} requests/s |`);
    console.log(`| answered 303 / there (confirmed) / with their event / with their email | ${seen.answered} / ${seen.there} / ${seen.with_event} / ${seen.with_email} |`);
    console.log(`| confirmed in all (some answered 502 when their process died after the commit) / confirmed without event | ${seen.confirmed} / ${seen.confirmed_without_event} |`);
    console.log(`| check: learners over the cap / duplicate courses | ${check.over_cap} / ${check.duplicates} |`);
    console.log(`| the restarted process serves again | ${rejoined ? 'yes' : 'no'} |`);
    if (databaseRestartedAt) console.log(`| PostgreSQL restarted (pg_ctlcluster) at | ${(databaseRestartedAt / 1000).toFixed(1)} s |`);
    console.log(`| not validated after the rush, validated again by their learner | ${failed.length}${again ? ` (answers: ${Object.entries(again.statusCodeStats ?? {}).map(([code, s]) => `${s.count} × ${code}`).join(', ')})` : ''} → ${final.confirmed} of ${count} validated in the end |`);
    await close();
    if (check.over_cap || check.duplicates || seen.there !== seen.answered || seen.with_event !== seen.answered || seen.with_email !== seen.answered || seen.confirmed_without_event || !rejoined || final.confirmed !== count) process.exitCode = 1;
    return;
  }

  const codes = Object.entries(http.statusCodeStats ?? {}).map(([code, s]) => `${s.count} × ${code}`).join(', ');
  const poolMax = (database.pool as unknown as { options: { max: number } }).options.max;
  console.log(`\nNode ${process.version}, ${count} learners, ${connections} connections, app pool max ${poolMax}, 400-session catalogue; load average (1/5/15 min) ${loadBefore} before the app's rush, ${loadAfterApp} after it, ${loadAverage()} after pgbench\n`);
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| validations through the app | ${count} in ${http.duration.toFixed(2)} s = ${confirmationsPerSecond.toFixed(0)}/s (answers: ${codes}; ${http.errors} errors) |`);
  console.log(`| latency p50 / p99 | ${http.latency.p50} ms / ${http.latency.p99} ms |`);
  const validated = http.statusCodeStats?.['303']?.count ?? 0;
  console.log(`| statements sent to PostgreSQL per validation (round trips, begin and commit included; all the rush's statements ÷ its 303 answers) | ${(statements.count / Math.max(1, validated)).toFixed(1)} |`);
  for (const r of pgbenchRuns) console.log(`| pgbench ${r.script}, -M ${r.mode}, ${r.clients} clients, -j ${r.threads}, ${pgbenchSeconds} s | ${r.tps ? `${r.tps.toFixed(0)} tps (latency average ${r.latency} ms)` : 'failed'} |`);
  if (!pgbench) console.log('| pgbench | not found |');
  if (pgbenchBest) console.log(`| **app ÷ pgbench at its best** (confirm.sql, prepared, ${pgbenchBest.clients} clients) | **${(confirmationsPerSecond / pgbenchBest.tps).toFixed(2)}** |`);
  if (minimalBest) console.log(`| app ÷ the minimal transaction at its best (prepared, ${minimalBest.clients} clients) | ${(confirmationsPerSecond / minimalBest.tps).toFixed(2)} |`);
  console.log(`| check: learners over the cap / duplicate courses / validated / emails | ${check.over_cap} / ${check.duplicates} / ${check.confirmed_learners} of ${count} / ${check.emails} |`);
  // Where the time went, in CPU milliseconds per validation (per transaction for pgbench).
  const ms = (seconds: number, n: number) => ((seconds * 1000) / Math.max(1, n)).toFixed(2);
  const others = (c: ReturnType<typeof cpuDelta>) => c.machine - c.app - c.children - c.server;
  console.log(
    `| CPU per validation: app process / rush client / PostgreSQL / other work on the machine (2 cores × ${rushCpu.seconds.toFixed(1)} s = ${(2 * rushCpu.seconds).toFixed(1)} s) | ${ms(rushCpu.app, validated)} / ${ms(rushCpu.children, validated)} / ${ms(rushCpu.server, validated)} / ${ms(others(rushCpu), validated)} ms (in all ${rushCpu.app.toFixed(1)} / ${rushCpu.children.toFixed(1)} / ${rushCpu.server.toFixed(1)} / ${others(rushCpu).toFixed(1)} s) |`,
  );
  for (const r of pgbenchRuns)
    if (r.cpu && r.done)
      console.log(`| CPU per transaction, pgbench ${r.script} -M ${r.mode} ${r.clients} clients: pgbench / PostgreSQL / other work | ${ms(r.cpu.children, r.done)} / ${ms(r.cpu.server, r.done)} / ${ms(others(r.cpu), r.done)} ms |`);
  if (waits.size) {
    const samples = [...waits.values()].reduce((a, b) => a + b, 0);
    const rows = [...waits].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${what} ${((100 * n) / samples).toFixed(1)} %`);
    console.log(`| the app's backends, sampled (pg_stat_activity every 10 ms, ${samples} backend samples) | ${rows.join('; ')} |`);
  }
  if (process.env.BENCH_STATEMENTS === '1')
    for (const [text, n] of [...statements.texts].sort((a, b) => b[1] - a[1])) console.error(`${(n / Math.max(1, validated)).toFixed(2)} × ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
  await close();
  if (check.over_cap || check.duplicates || check.confirmed_learners !== count) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
