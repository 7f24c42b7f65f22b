/**
 * Registers benchmark (issue 13, ATT-1): saving a 25-learner register through the app's real
 * form — `POST /personnel/sessions/:code/registres/:meeting`, a fresh submission token each time,
 * random marks (most present, some late with minutes, some absent), so each save locks its
 * meeting, checks every learner's place, writes the entries that changed, emits `registerSaved`
 * and audits — from a separate process, 50 connections, each trainer on their own held meeting;
 * the register page itself (`GET`, 25 learners with their attendance so far); and the fastify
 * hello route of the same app, before and after. Then a check in SQL: one submission per save
 * answered 303, and no meeting with two current entries for one learner. Prints Markdown for
 * bench/README.md.
 *
 *   npm run bench:registers        (BENCH_SECONDS=10)
 */
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { buildStaff } from '../test/app';
import { enrolledLearners } from '../test/attendance';
import { buildCatalogue } from '../test/catalogue';
import { createSession } from '../src/modules/accounts/sessions.service';
import { meetingsOf } from '../src/modules/attendance';
import { courseSessions } from '../src/modules/catalogue/catalogue.table';
import { assignScope } from '../src/modules/scopes';
import { FixedClock } from '../src/platform/clock';
import { connections, load, seconds, startBenchApp } from './lib';

const LEARNERS = 25;
const CODE = 'BENCH-REG';

interface Burst {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
  errors: number;
}

function saves(spec: object): Promise<Burst> {
  const file = join(tmpdir(), `cursus-registers-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(import.meta.dirname, 'registers-client.mjs'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      rmSync(file, { force: true });
      if (code === 0) done(JSON.parse(out) as Burst);
      else fail(new Error(`registers client exited with ${code}`));
    });
  });
}

async function main() {
  const setupStarted = performance.now();
  const loadAtStart = loadavg()[0];
  const trainers: { userId: string; token: string }[] = [];
  let learnerIds: string[] = [];
  let meetingIds: number[] = [];
  const { app, database, base, close } = await startBenchApp(async ({ db }) => {
    // Through the services, on a clock at the real now: 25 learners enrolled and paid in a
    // session on Mondays, 18:30–20:30, which started a year ago (its meetings held since).
    const clock = new FixedClock(new Date());
    await buildCatalogue(db, clock, [{ code: CODE, weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    await db.update(courseSessions).set({ capacity: LEARNERS }).where(eq(courseSessions.code, CODE));
    const made = await enrolledLearners({ db, clock, baseUrl: 'http://localhost', secret: 'b'.repeat(32), cashOffice: 'Régie CMA et AE' }, { [CODE]: LEARNERS });
    learnerIds = made[CODE].learners.map((l) => l.applicationId);
    const yearAgo = new Date(Date.now() - 371 * 86_400_000).toISOString().slice(0, 10);
    const [session] = await db.update(courseSessions).set({ firstMeeting: yearAgo }).where(eq(courseSessions.code, CODE)).returning();
    const held = ((await meetingsOf(db, [session.id])).get(session.id) ?? []).filter((m) => m.startsAt.getTime() < Date.now());
    if (held.length < connections) throw new Error(`${held.length} held meetings, ${connections} needed`);
    meetingIds = held.slice(-connections).map((m) => m.id);
    // One trainer per connection, each with a login session (as after the TOTP step).
    for (let i = 0; i < connections; i++) {
      const trainer = await buildStaff(db, clock, 'trainer');
      await assignScope(db, { userId: trainer.userId, sessions: [CODE] });
      trainers.push({ userId: trainer.userId, token: await createSession({ db, clock }, { userId: trainer.userId, ip: '127.0.0.1', userAgent: 'bench' }) });
    }
  });
  const { pool } = database;
  await pool.query('analyze');

  // A CSRF cookie, as a browser has it, and each trainer's form token and register page.
  const login = await app.inject('/connexion');
  const csrfCookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => /^(__Host-)?cursus_csrf=/.test(c))!.split(';')[0];
  const withForms = [];
  for (const [i, trainer] of trainers.entries()) {
    const path = `/personnel/sessions/${CODE}/registres/${meetingIds[i]}`;
    const page = await app.inject({ url: path, headers: { cookie: `cursus_sid=${trainer.token}; ${csrfCookie}` } });
    if (page.statusCode !== 200 || (page.body.match(/<fieldset/g) ?? []).length !== LEARNERS) throw new Error(`register page: ${page.statusCode}`);
    withForms.push({ path, token: trainer.token, csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1].replace(/&amp;/g, '&') });
  }
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  const spec = { url: base, csrfCookie, trainers: withForms, learners: learnerIds, connections, seconds };

  const hello1 = await load({ url: `${base}/__hello` });
  // A short warm-up (the pool's connections, the routes compiled), not counted.
  await saves({ ...spec, seconds: 2 });
  const [{ n: submissionsBefore }] = (await pool.query<{ n: number }>('select count(*)::int as n from register_submissions')).rows;
  const [{ n: entriesBefore }] = (await pool.query<{ n: number }>('select count(*)::int as n from attendance_entries')).rows;
  const cpuBefore = process.cpuUsage();
  const burst = await saves(spec);
  const cpu = process.cpuUsage(cpuBefore);
  const [{ n: submissions }] = (await pool.query<{ n: number }>('select count(*)::int as n from register_submissions')).rows;
  const [{ n: entries }] = (await pool.query<{ n: number }>('select count(*)::int as n from attendance_entries')).rows;
  const page = await load({ url: `${base}${withForms[0].path}`, headers: { cookie: `cursus_sid=${withForms[0].token}; ${csrfCookie}` } });
  const hello2 = await load({ url: `${base}/__hello` });
  const hello = hello1.requests.average >= hello2.requests.average ? hello1 : hello2;

  // Every learner of every measured meeting has exactly one current mark, and it is the one last written.
  const [check] = (
    await database.db.execute<{ meetings: number; marked: number }>(sql`
      select count(distinct meeting_id)::int as meetings, count(*)::int as marked
      from (select distinct meeting_id, application_id from attendance_entries) e`)
  ).rows;
  const saved = burst.statusCodeStats['303']?.count ?? 0;
  const added = submissions - submissionsBefore;
  const pgVersion = (await pool.query<{ server_version: string }>('show server_version')).rows[0].server_version;
  const codes = Object.entries(burst.statusCodeStats).map(([code, s]) => `${s.count} × ${code}`).join(', ');
  console.log(
    `\nNode ${process.version}, PostgreSQL ${pgVersion}${process.env.DATABASE_URL ? '' : ' embedded'}, ${cpus().length} cores (load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end), one session of ${LEARNERS} learners enrolled, ${connections} trainers each on a held meeting (set up in ${setupSeconds.toFixed(1)} s), ${seconds} s per load, ${connections} connections\n`,
  );
  console.log('| scenario | requests/s | p50 | p99 | non-2xx/3xx | ratio to hello |');
  console.log('|---|---|---|---|---|---|');
  const row = (name: string, r: { requests: { average: number }; latency: { p50: number; p99: number } }, bad: number) =>
    console.log(`| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${bad} | ${(r.requests.average / hello.requests.average).toFixed(3)} |`);
  row('fastify hello route, before', hello1, hello1.non2xx + hello1.errors);
  row('fastify hello route, after', hello2, hello2.non2xx + hello2.errors);
  row(`save a ${LEARNERS}-learner register (POST, 303 expected)`, burst, burst.requests.total - saved + burst.errors);
  row(`the register page (GET, ${LEARNERS} learners with their attendance)`, page, page.non2xx + page.errors);
  console.log('');
  // The client stops at its duration: the saves still in flight then are written without their answer being counted.
  console.log(`Saves: ${codes}; ${added} submissions written for ${saved} answers 303 (at most ${connections} more: those in flight when the client stopped); ${entries - entriesBefore} entries written (${(saved ? (entries - entriesBefore) / saved : 0).toFixed(1)} per save: only the marks that changed); the app's process used ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s of CPU in ${(burst.duration).toFixed(1)} s.`);
  console.log(`Check: ${check.meetings} meetings marked, ${check.marked} (meeting, learner) pairs (${connections * LEARNERS} expected).`);
  await close();
  if (added < saved || added > saved + connections || check.marked !== connections * LEARNERS) {
    console.error('check failed');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
