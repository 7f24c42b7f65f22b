/**
 * SEL-13 benchmark (issue 16): the preference responder under a cascade. 2 000 learners, each
 * waiting on 3 sessions (3 courses, ranks spread), all with the responder on and their 3
 * applications in an order of their own; every session full of other learners holding its places.
 * Places are then freed in bursts (a fifth of the holders of the sessions give up at once, each
 * withdrawal queuing its refill job); two "app processes" (two pools, two workers each) work the
 * jobs until none is pending: each offer is answered by the responder at once (accepted, or
 * declined below a place held), each place it gives up goes to the next, and so on. Measured: the
 * time from a burst to a stable state (no refill or responder job pending). Checked after each:
 * no session above its capacity (SEL-6), nobody above 3 live applications (APP-5) or with two in
 * one course (APP-2), no learner holding two places in their list, and no free place left while
 * someone waits on that list without an offer (SEL-8). Prints Markdown for bench/README.md.
 *
 *   npm run bench:responder
 */
import { connect } from '../src/db/database';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { waitingListJobs } from '../src/modules/selection/waiting-list.service';
import { systemClock } from '../src/platform/clock';
import { workJobs } from '../src/platform/jobs';
import { startBenchApp } from './lib';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 2000);
const MAX_SESSIONS = 100;
const CAPACITY = 12;
const BURSTS = 4;

async function main() {
  const { database, base, close } = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock);
  });
  const { pool } = database;
  await pool.query(`update registration_periods set applications_close_at = now() - interval '1 day', applications_open_at = now() - interval '30 days'`);
  // One session per course (APP-2 holds by construction), their first meeting ahead (SEL-9 not yet).
  const sessions = (await pool.query<{ id: number }>(`select distinct on (course_id) id from course_sessions order by course_id, id limit ${MAX_SESSIONS}`)).rows.map((r) => r.id);
  const SESSIONS = sessions.length;
  if (SESSIONS < 20) throw new Error(`only ${SESSIONS} courses`);
  await pool.query(`update course_sessions set capacity = $2, first_meeting = (now() + interval '20 days')::date, last_meeting = (now() + interval '200 days')::date where id = any($1)`, [sessions, CAPACITY]);

  const users = (prefix: string, n: number) =>
    pool.query<{ id: string }>(
      `with u as (
         insert into users (email, password_hash, status, created_at, activated_at)
         select format('bench.%s.%s@example.org', $1::text, g), 'x', 'active', now(), now() from generate_series(1, $2::int) g
         returning id, email),
       p as (
         insert into learner_profiles (user_id, civility, last_name, first_name, birth_date, birth_country, address, postal_code, city, mobile_phone, heard_from, identity_key, created_at, updated_at)
         select id, 'MME', 'Bench' || md5(email), 'Test', '1990-01-01', 'FR', '1 rue du Test', '75011', 'Paris', '+33612345678', 'internet', md5(email), now(), now() from u)
       select id from u order by email`,
      [prefix, n],
    );
  const insertApplication = `insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at, waiting_rank)
    select $1::uuid, s.id, s.course_id, $3::text, 'employed', 'personal', 'Bench', now(), now(), now(), $4::int from course_sessions s where s.id = $2::int returning id`;

  // The holders: CAPACITY per session, accepted.
  const holders = (await users('holder', SESSIONS * CAPACITY)).rows.map((r) => r.id);
  await pool.query(
    `insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at)
     select h.id, s.id, s.course_id, 'accepted', 'employed', 'personal', 'Bench', now(), now(), now()
     from unnest($1::uuid[]) with ordinality h(id, n) join course_sessions s on s.id = ($2::int[])[1 + ((h.n - 1) % ${SESSIONS})]`,
    [holders, sessions],
  );
  // The waiting learners: 3 sessions each, in an order of their own, responder on.
  const waiting = (await users('waiting', LEARNERS)).rows.map((r) => r.id);
  const ranks = new Map<number, number>();
  for (let i = 0; i < waiting.length; i++) {
    const mine = [sessions[i % SESSIONS], sessions[(i * 7 + 3) % SESSIONS], sessions[(i * 13 + 11) % SESSIONS]];
    if (new Set(mine).size < 3) mine[2] = sessions[(i + 1) % SESSIONS] === mine[0] || sessions[(i + 1) % SESSIONS] === mine[1] ? sessions[(i + 2) % SESSIONS] : sessions[(i + 1) % SESSIONS];
    const ids: string[] = [];
    for (const s of mine) {
      const rank = (ranks.get(s) ?? 0) + 1;
      ranks.set(s, rank);
      ids.push((await pool.query<{ id: string }>(insertApplication, [waiting[i], s, 'waiting_list', rank])).rows[0].id);
    }
    const order = [ids[i % 3], ids[(i + 1) % 3], ids[(i + 2) % 3]];
    await pool.query(`insert into application_preferences (learner_id, application_id, position) select $1, unnest($2::uuid[]), generate_series(1, 3)`, [waiting[i], order]);
    await pool.query(`insert into responder_settings (learner_id, "on", changed_at, version) values ($1, true, now(), 1)`, [waiting[i]]);
  }
  await pool.query(`delete from jobs`);
  await pool.query('analyze');

  const check = async () =>
    (
      await pool.query<{ over: number; cap: number; course: number; two: number; unoffered: number; pending: number; failed: number }>(`
        select
          (select count(*)::int from course_sessions s where s.id = any($1) and (select count(*) from offers o where o.session_id = s.id and o.status = 'open')
              + (select count(*) from applications a where a.session_id = s.id and a.status in ('accepted', 'awaiting_payment', 'enrolled')) > s.capacity) as over,
          (select count(*)::int from (select learner_id from applications where status in ('confirmed', 'convoked', 'waiting_list', 'accepted', 'awaiting_payment') group by 1 having count(*) > 3) x) as cap,
          (select count(*)::int from (select learner_id, course_id from applications where status not in ('withdrawn', 'cancelled', 'refused', 'lack_of_places', 'removed', 'excluded', 'session_cancelled') group by 1, 2 having count(*) > 1) x) as course,
          (select count(*)::int from (select p.learner_id from application_preferences p join applications a on a.id = p.application_id where a.status in ('accepted', 'awaiting_payment') group by 1 having count(*) > 1) x) as two,
          (select count(*)::int from course_sessions s where s.id = any($1)
              and s.capacity > (select count(*) from offers o where o.session_id = s.id and o.status = 'open') + (select count(*) from applications a where a.session_id = s.id and a.status in ('accepted', 'awaiting_payment', 'enrolled'))
              and exists (select 1 from applications a where a.session_id = s.id and a.status = 'waiting_list' and not exists (select 1 from offers o where o.application_id = a.id and o.status = 'open'))) as unoffered,
          (select count(*)::int from jobs where done_at is null and failed_at is null and kind in ('selection.refill', 'selection.responder')) as pending,
          (select count(*)::int from jobs where failed_at is not null or last_error is not null) as failed`, [sessions])
    ).rows[0];

  const processes = [connect(database.url, { max: 4 }), connect(database.url, { max: 4 })];
  const worker = async (p: (typeof processes)[number]) => {
    const handlers = waitingListJobs({ db: p.db, clock: systemClock, baseUrl: base });
    for (let idle = 0; idle < 3; ) {
      const ran = await workJobs({ db: p.db, clock: systemClock, handlers, limit: 20 });
      idle = ran > 0 ? 0 : idle + 1;
      if (ran === 0) await new Promise((r) => setTimeout(r, 50));
    }
  };
  const rows: string[] = [];
  let broken = false;
  for (let burst = 1; burst <= BURSTS; burst++) {
    // A fifth of the holders still holding give up at once, each withdrawal queuing its refill.
    const freed = await pool.query<{ session_id: number }>(
      `update applications set status = 'withdrawn', closed_at = now() where id in (
         select id from applications where status = 'accepted' and learner_id = any($1) and random() < 0.2) returning session_id`,
      [holders],
    );
    await pool.query(`insert into jobs (kind, payload, run_at, max_attempts) select 'selection.refill', jsonb_build_object('sessionId', s), now(), 5 from unnest($1::int[]) s`, [
      freed.rows.map((r) => r.session_id),
    ]);
    const started = performance.now();
    await Promise.all(processes.flatMap((p) => [worker(p), worker(p)]));
    const seconds = (performance.now() - started) / 1000;
    const [{ offers, accepted, given }] = (
      await pool.query(
        `select (select count(*)::int from offers) as offers,
          (select count(*)::int from application_events where reason = 'responder_accepted') as accepted,
          (select count(*)::int from application_events where reason = 'preference_responder') as given`,
      )
    ).rows;
    const c = await check();
    if (c.over || c.cap || c.course || c.two || c.unoffered || c.pending) broken = true;
    rows.push(
      `| ${burst} | ${freed.rowCount} | ${seconds.toFixed(1)} s | ${offers} / ${accepted} / ${given} | ${c.over} / ${c.cap} / ${c.course} / ${c.two} / ${c.unoffered} / ${c.pending} / ${c.failed} |`,
    );
  }
  await Promise.all(processes.map((p) => p.close()));
  console.log(`\nNode ${process.version}, ${LEARNERS} learners each waiting on 3 of ${SESSIONS} sessions of ${CAPACITY} places, responder on for all\n`);
  console.log('| burst | places freed | time to a stable state | offers made / accepted by the responder / given up by it (cumulative) | check: sessions over capacity / above APP-5 / two in a course / two places in a list / free place unoffered / jobs pending / jobs that failed once |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  await close();
  if (broken) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
