/**
 * The figures (issue 15, SVC-6) on 20 000 applications: the demo catalogue (400 sessions), 50
 * applications a session in bulk SQL (a mix of statuses: enrolled, accepted, waiting, refused,
 * confirmed), their decision events, a paid amount per enrolment (a third at half rate), ten held
 * meetings a session with every enrolled learner marked, an eighth of the payments refunded (granted,
 * half of them paid back), and the end-of-course outcomes. Then
 * times `figuresFor` (every module's aggregate, by session, then the sums) for an administrator
 * (every period, every session), for a coordinator (one school and one domain) and with days, 20
 * runs each, and prints Markdown for bench/README.md.
 *
 *   npx tsx bench/figures.ts        BENCH_APPLICATIONS sets the number of applications (default 20 000)
 */
import { cpus, loadavg } from 'node:os';
import { createStaffAccount } from '../src/modules/accounts';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { applicationFigures } from '../src/modules/applications';
import { attendanceFigures } from '../src/modules/attendance';
import { figureSessions } from '../src/modules/catalogue';
import { certificateFigures } from '../src/modules/certification';
import { figuresFor } from '../src/modules/figures';
import { paymentFigures, refundFigures } from '../src/modules/payments';
import { offerFigures } from '../src/modules/selection';
import { assignScope } from '../src/modules/scopes';
import { systemClock } from '../src/platform/clock';
import { getPolicies } from '../src/platform/policies';
import { startBenchApp } from './lib';

const APPLICATIONS = Number(process.env.BENCH_APPLICATIONS ?? 20_000);
const RUNS = 20;

async function main() {
  const { database, close } = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock);
  });
  const { pool, db } = database;
  const started = Date.now();
  const admin = await createStaffAccount({ db, clock: systemClock }, { email: 'bench-admin@example.org', role: 'admin', displayName: 'Bench', password: 'Bench-password-2026' });
  const coordinator = await createStaffAccount({ db, clock: systemClock }, { email: 'bench-coord@example.org', role: 'coordinator', displayName: 'Bench', password: 'Bench-password-2026' });
  const school = (await pool.query<{ code: string }>(`select code from schools where arrondissement = 11 order by code limit 1`)).rows[0].code;
  await assignScope(db, { userId: coordinator.userId, schools: [school], domains: ['langues-etrangeres'] });
  const sessions = (await pool.query<{ id: number }>(`select id from course_sessions order by id`)).rows.map((r) => r.id);
  const perSession = Math.ceil(APPLICATIONS / sessions.length);

  // The applications: account, then one application of a status drawn from the learner's number.
  await pool.query(
    `with u as (
       insert into users (email, password_hash, status, created_at, activated_at)
       select format('bench.%s.%s@example.org', s, g), 'x', 'active', now(), now() from unnest($1::int[]) s, generate_series(1, ${perSession}) g
       returning id, email)
     insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at)
     select u.id, cs.id, cs.course_id,
       (array['enrolled','enrolled','enrolled','accepted','waiting_list','refused','confirmed','enrolled','lack_of_places','withdrawn'])[1 + (split_part(split_part(u.email, '.', 3), '@', 1)::int % 10)],
       'employed', 'personal', 'Bench', now() - interval '40 days', now() - interval '40 days', now() - interval '40 days' + (random() * interval '20 days')
     from u join course_sessions cs on cs.id = split_part(u.email, '.', 2)::int`,
    [sessions],
  );
  await pool.query(`insert into application_events (application_id, at, to_status) select id, confirmed_at + interval '10 days', 'accepted' from applications where status in ('enrolled', 'accepted', 'withdrawn')`);
  await pool.query(`insert into application_events (application_id, at, to_status) select id, confirmed_at + interval '10 days', status from applications where status in ('refused', 'waiting_list', 'lack_of_places')`);
  await pool.query(
    `insert into payments (application_id, learner_id, session_id, school_id, reference, amount_cents, rate, due_on, status, created_at, paid_at, method)
     select a.id, a.learner_id, a.session_id, cs.school_id, 'B' || upper(substr(md5(a.id::text), 1, 16)), case when a.learner_id::text < '5' then 7500 else 15000 end,
       case when a.learner_id::text < '5' then 'half' else 'full' end, current_date + 10, 'paid', now() - interval '20 days', now() - (random() * interval '20 days'), 'online'
     from applications a join course_sessions cs on cs.id = a.session_id where a.status = 'enrolled'`,
  );
  // PAY-9, SVC-2: an eighth of the payments refunded: granted in the last 15 days, half of them paid back since.
  await pool.query(
    `insert into refunds (payment_id, reason, event_on, explanation, requested_at, requested_by, status, decided_by, decided_at, amount_cents, method, refunded_on)
     select p.id, 'session_not_opened', current_date - 15, 'Bench', now() - interval '15 days', p.learner_id, 'granted', $1, now() - (random() * interval '15 days'), p.amount_cents, 'transfer',
       case when substr(md5(p.id::text), 2, 1) < '8' then current_date - 1 end
     from payments p where p.status = 'paid' and substr(md5(p.id::text), 1, 1) in ('0', '1')`,
    [admin.userId],
  );
  await pool.query(
    `insert into meetings (session_id, starts_at, planned_minutes) select s, now() - g * interval '7 days', 120 from unnest($1::int[]) s, generate_series(1, 10) g`,
    [sessions],
  );
  await pool.query(
    `insert into attendance_entries (meeting_id, application_id, mark, minutes_missed, minutes_attended, entered_by, entered_at)
     select m.id, a.id, case when (m.id + ascii(a.id::text)) % 5 = 0 then 'absent' else 'present' end, 0, 0, $1, m.starts_at + interval '3 hours'
     from meetings m join applications a on a.session_id = m.session_id and a.status = 'enrolled'`,
    [admin.userId],
  );
  await pool.query(`update attendance_entries e set minutes_attended = case when e.mark = 'present' then 120 else 0 end`);
  await pool.query(
    `insert into course_outcomes (application_id, session_id, course_id, learner_id, attended_minutes, planned_minutes, attendance_certified, attendance_document_id, outcome, certificate_document_id, certificate_issued_at, computed_at)
     select a.id, a.session_id, a.course_id, a.learner_id, 1000, 1200, true, gen_random_uuid(), 'passed', case when a.learner_id::text < '8' then gen_random_uuid() end, case when a.learner_id::text < '8' then now() end, now()
     from applications a where a.status = 'enrolled' and a.session_id % 3 = 0`,
  );
  const counts = (
    await pool.query<{ applications: string; events: string; payments: string; refunds: string; entries: string; outcomes: string }>(
      `select (select count(*) from applications) applications, (select count(*) from application_events) events, (select count(*) from payments) payments, (select count(*) from refunds) refunds,
              (select count(*) from attendance_entries) entries, (select count(*) from course_outcomes) outcomes`,
    )
  ).rows[0];
  const seeded = (Date.now() - started) / 1000;

  const deps = { db, clock: systemClock, policies: () => getPolicies(db) };
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
  const scenarios = [
    { name: 'administrator, every period (400 sessions)', staff: { id: admin.userId, role: 'admin' as const }, filters: { periodCode: '' } },
    { name: 'administrator, every period, the last 30 days', staff: { id: admin.userId, role: 'admin' as const }, filters: { periodCode: '', from: monthAgo, to: today } },
    { name: 'coordinator (one school and one domain), every period', staff: { id: coordinator.userId, role: 'coordinator' as const }, filters: { periodCode: '' } },
  ];
  const rows: string[] = [];
  for (const s of scenarios) {
    const times: number[] = [];
    let sessionsCounted = 0;
    let applications = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      const t0 = performance.now();
      const result = await figuresFor(deps, s.staff, s.filters);
      const ms = performance.now() - t0;
      if (!result.ok) throw new Error(JSON.stringify(result));
      if (i >= 2) times.push(ms); // two warm-up runs
      sessionsCounted = result.report.total.sessions;
      applications = result.report.total.applications;
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.max(0, Math.ceil(q * times.length) - 1)].toFixed(0); // nearest rank
    rows.push(`| ${s.name} | ${sessionsCounted} | ${applications} | ${at(0.5)} ms | ${at(0.95)} ms | ${times.at(-1)!.toFixed(0)} ms |`);
  }
  // Where the administrator's time goes: each module's aggregate alone (every session, no days), p50 of RUNS.
  const window = { sessionIds: sessions };
  const parts: [string, () => Promise<unknown>][] = [
    ['catalogue: figureSessions (the scope)', () => figureSessions(db, { all: true })],
    ['applications: applicationFigures', () => applicationFigures(db, window)],
    ['selection: offerFigures', () => offerFigures(db, window)],
    ['payments: paymentFigures', () => paymentFigures(db, window)],
    ['payments: refundFigures', () => refundFigures(db, window)],
    ['attendance: attendanceFigures', () => attendanceFigures(db, { ...window, now: new Date(), justifiedCountsAsPresence: false })],
    ['certification: certificateFigures', () => certificateFigures(db, window)],
  ];
  const partRows: string[] = [];
  for (const [name, run] of parts) {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 2; i++) {
      const t0 = performance.now();
      await run();
      if (i >= 2) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    partRows.push(`| ${name} | ${times[Math.ceil(0.5 * times.length) - 1].toFixed(1)} ms |`);
  }
  console.log(`Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}; seeded in ${seeded.toFixed(0)} s: ${counts.applications} applications, ${counts.events} events, ${counts.payments} payments, ${counts.refunds} refunds, ${counts.entries} register entries, ${counts.outcomes} outcomes.\n`);
  console.log('| figures of | sessions | applications counted | p50 | p95 | max |\n|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log('\n| one module alone (administrator, every session) | p50 |\n|---|---|');
  for (const row of partRows) console.log(row);
  await close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
