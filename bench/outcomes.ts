/**
 * The end of a period (issue 13, ATT-4, CERT-1, CERT-2): computing the attendance and the
 * certificates of 10 000 enrolments at once, on the demo catalogue. Seeded in bulk with SQL:
 * 25 enrolled learners in each of 400 sessions, 30 meetings a session (2 h or 3 h), every
 * register submitted (one entry per learner and meeting: 300 000 entries, most present, some
 * late, some absent, a fifth of the learners often absent), half the courses with an end-of-
 * course test and every result entered. Then timed:
 * 1. `computeOutcomes` of every session, one after the other, as the end-of-course job does:
 *    the outcomes rows, the attendance certificates issued (signed documents), their emails;
 * 2. the same again (idempotent: nothing written, nothing issued);
 * 3. at the due date, `issueDueCertificates`: every certificate of skills issued by the job.
 * Prints Markdown for bench/README.md.
 *
 *   npm run bench:outcomes          BENCH_ENROLMENTS sets the number of enrolments (default 10 000)
 */
import { cpus, loadavg } from 'node:os';
import { createStaffAccount } from '../src/modules/accounts';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { ensureMeetings } from '../src/modules/attendance';
import { computeOutcomes, issueDueCertificates } from '../src/modules/certification';
import { FixedClock, systemClock } from '../src/platform/clock';
import { getPolicies } from '../src/platform/policies';
import { startBenchApp } from './lib';

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 10_000);
const PER_SESSION = 25;
const MEETINGS = 30;

async function main() {
  const { database, close } = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock);
  });
  const { pool, db } = database;
  const started = Date.now();
  const admin = await createStaffAccount({ db, clock: systemClock }, { email: 'bench-admin@example.org', role: 'admin', displayName: 'Bench', password: 'Bench-password-2026' });
  const sessionCount = Math.ceil(ENROLMENTS / PER_SESSION);
  const sessions = (await pool.query<{ id: number }>(`select id from course_sessions order by id limit $1`, [sessionCount])).rows.map((r) => r.id);
  if (sessions.length < sessionCount) throw new Error(`the demo catalogue has ${sessions.length} sessions, ${sessionCount} needed`);

  // The courses ended yesterday, after 30 weekly meetings; half the courses have a test.
  await pool.query(`update course_sessions set first_meeting = current_date - 1 - 7 * ${MEETINGS - 1}, last_meeting = current_date - 1 where id = any($1)`, [sessions]);
  await pool.query(`update courses set has_evaluation = (id % 2 = 0)`);
  // One weekly slot on yesterday's weekday, 2 h or 3 h, holidays included: the meetings are
  // CAT-7's computed dates, written by the attendance module (the registers read them so).
  await pool.query(`update course_sessions set runs_in_school_holidays = true where id = any($1)`, [sessions]);
  await pool.query(`delete from session_slots where session_id = any($1)`, [sessions]);
  await pool.query(
    `insert into session_slots (session_id, weekday, starts_at, ends_at)
     select s, extract(isodow from current_date - 1)::int, time '16:00', case when s % 2 = 0 then time '18:00' else time '19:00' end from unnest($1::int[]) s`,
    [sessions],
  );
  for (const id of sessions) await ensureMeetings(db, id);
  // 25 learners a session (account, record), enrolled.
  await pool.query(
    `with u as (
       insert into users (email, password_hash, status, created_at, activated_at)
       select format('bench.%s.%s@example.org', s, g), 'x', 'active', now(), now() from unnest($1::int[]) s, generate_series(1, ${PER_SESSION}) g
       returning id, email),
     p as (
       insert into learner_profiles (user_id, civility, last_name, first_name, birth_date, birth_country, address, postal_code, city, mobile_phone, heard_from, identity_key, created_at, updated_at)
       select id, 'MME', 'Bench' || md5(email), 'Test', '1990-01-01', 'FR', '1 rue du Test', '75011', 'Paris', '+33612345678', 'internet', md5(email), now(), now() from u)
     insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at)
     select u.id, cs.id, cs.course_id, 'enrolled', 'employed', 'personal', 'Bench', now(), now(), now()
     from u join course_sessions cs on cs.id = split_part(split_part(u.email, '.', 2), '.', 1)::int`,
    [sessions],
  );
  // Every register submitted; the marks from a hash (deterministic): a fifth of the learners absent 40 % of the time.
  await pool.query(`insert into register_submissions (id, meeting_id, submitted_by, submitted_at) select gen_random_uuid(), id, $1, starts_at + interval '3 hours' from meetings where session_id = any($2)`, [
    admin.userId,
    sessions,
  ]);
  await pool.query(
    `insert into attendance_entries (meeting_id, application_id, mark, minutes_missed, minutes_attended, entered_by, entered_at, submission_id)
     select m.id, a.id, k.mark, k.missed,
       case k.mark when 'present' then m.planned_minutes when 'late' then greatest(0, m.planned_minutes - greatest(0, k.missed - 10)) else 0 end,
       $1, rs.submitted_at, rs.id
     from applications a
     join meetings m on m.session_id = a.session_id
     join register_submissions rs on rs.meeting_id = m.id
     cross join lateral (select abs(hashtext(a.id::text || ':' || m.id)) % 100 as r, abs(hashtext(a.id::text)) % 5 = 0 as often_absent) h
     cross join lateral (select case when h.r < (case when h.often_absent then 40 else 8 end) then 'absent'
                                     when h.r < (case when h.often_absent then 45 else 12 end) then 'justified'
                                     when h.r < (case when h.often_absent then 55 else 20 end) then 'late' else 'present' end as mark,
                                case when h.r % 3 = 0 then 30 else 15 end as missed) k
     where a.session_id = any($2)`,
    [admin.userId, sessions],
  );
  await pool.query(
    `insert into evaluation_results (application_id, outcome, score, entered_by, entered_at)
     select a.id, o.outcome, case when o.outcome = 'absent' then null when o.outcome = 'passed' then 10 + h % 11 else h % 10 end, $1, now() - interval '12 hours'
     from applications a join courses c on c.id = a.course_id and c.has_evaluation
     cross join lateral (select abs(hashtext(a.id::text || 'test')) % 100 as h) x
     cross join lateral (select case when x.h < 75 then 'passed' when x.h < 90 then 'failed' else 'absent' end as outcome) o
     where a.session_id = any($2)`,
    [admin.userId, sessions],
  );
  await pool.query('analyze');
  const counts = (
    await pool.query<{ enrolments: string; meetings: string; entries: string; results: string }>(
      `select (select count(*) from applications) enrolments, (select count(*) from meetings) meetings, (select count(*) from attendance_entries) entries, (select count(*) from evaluation_results) results`,
    )
  ).rows[0];
  const seeded = (Date.now() - started) / 1000;

  const deps = { db, clock: systemClock, baseUrl: 'https://cours.example.org', secret: 'b'.repeat(32) };
  const policies = await getPolicies(db);
  const timeAll = async () => {
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    let outcomes = 0;
    let certificates = 0;
    const perSession: number[] = [];
    for (const id of sessions) {
      const s0 = performance.now();
      const done = await computeOutcomes(deps, id, { policies });
      perSession.push(performance.now() - s0);
      if (!done.ok) throw new Error(`session ${id}: ${done.code}`);
      outcomes += done.outcomes;
      certificates += done.attendanceCertificates;
    }
    const used = process.cpuUsage(cpu);
    perSession.sort((a, b) => a - b);
    return { seconds: (performance.now() - t0) / 1000, cpu: (used.user + used.system) / 1e6, outcomes, certificates, p50: perSession[Math.floor(perSession.length / 2)], p99: perSession[Math.floor(perSession.length * 0.99)] };
  };
  const first = await timeAll();
  const second = await timeAll();

  const due = (await pool.query<{ due: string; n: string }>(`select max(certificate_due_on)::text due, count(*) n from course_outcomes where certificate_due_on is not null`)).rows[0];
  const clock = new FixedClock(new Date(`${due.due}T06:00:00Z`));
  const c0 = performance.now();
  const cpu3 = process.cpuUsage();
  let issued = 0;
  for (;;) {
    const n = await issueDueCertificates({ ...deps, clock }, { limit: 500 });
    issued += n;
    if (n === 0) break;
  }
  const used3 = process.cpuUsage(cpu3);
  const issuing = (performance.now() - c0) / 1000;
  const emails = (await pool.query<{ n: string }>(`select count(*) n from outbox`)).rows[0].n;

  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  const rate = (n: number, s: number) => `${(n / s).toFixed(0)}/s`;
  console.log(`### End of a period (issue 13): \`npm run bench:outcomes\``);
  console.log();
  console.log(`${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}, PostgreSQL embedded; load average at the end ${load}.`);
  console.log(`Seeded in ${seeded.toFixed(0)} s: ${counts.enrolments} enrolments in ${sessions.length} sessions, ${counts.meetings} meetings, ${counts.entries} register entries, ${counts.results} test results.`);
  console.log();
  console.log('| Step | Wall time | CPU time (this process) | Per session p50 / p99 | Done |');
  console.log('|---|---|---|---|---|');
  console.log(`| computeOutcomes, every session (first run) | ${first.seconds.toFixed(1)} s | ${first.cpu.toFixed(1)} s | ${first.p50.toFixed(0)} / ${first.p99.toFixed(0)} ms | ${first.outcomes} outcomes (${rate(first.outcomes, first.seconds)}), ${first.certificates} attendance certificates issued |`);
  console.log(`| computeOutcomes again (idempotent) | ${second.seconds.toFixed(1)} s | ${second.cpu.toFixed(1)} s | ${second.p50.toFixed(0)} / ${second.p99.toFixed(0)} ms | ${second.outcomes} outcomes, ${second.certificates} issued |`);
  console.log(`| issueDueCertificates at the due date | ${issuing.toFixed(1)} s | ${((used3.user + used3.system) / 1e6).toFixed(1)} s | — | ${issued} certificates of skills of ${due.n} due (${rate(issued, issuing)}) |`);
  console.log();
  console.log(`Emails queued: ${emails}.`);
  await close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
