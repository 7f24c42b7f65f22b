/**
 * Selection benchmark (issue 6), on the 400-session demo catalogue, in one run:
 * 1. the ranking proposal of a session with 500 confirmed applicants (`GET …/selection`, as the
 *    coordinator's screen), 50 connections, against the fastify hello route;
 * 2. deciding such a session (500 applicants, 25 places: 25 accepted, 475 on the waiting list,
 *    each with its event and email), three sessions, one after the other;
 * 3. the waiting-list job giving 10 000 freed places: 250 sessions of 40 places, each with 40
 *    accepted learners who all withdraw and 40 waiting; 10 000 refill jobs, worked by two
 *    "app processes" (two pools, two workers each) at once. Then a check: 10 000 offers, no
 *    session above its capacity, nobody offered twice, one email per offer.
 * Prints Markdown for bench/README.md.
 *
 *   npm run bench:selection
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { connect } from '../src/db/database';
import { createStaffAccount } from '../src/modules/accounts';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { decideSession } from '../src/modules/selection/selection.service';
import { waitingListJobs } from '../src/modules/selection/waiting-list.service';
import { systemClock } from '../src/platform/clock';
import { workJobs } from '../src/platform/jobs';
import { load, startBenchApp } from './lib';

const APPLICANTS = 500;
const FREED_SESSIONS = 250;
const PLACES = 40;

async function main() {
  const { database, base, close } = await startBenchApp(async (db) => {
    await seedCatalogue(db.db, systemClock);
  });
  const { pool, db } = database;

  // An administrator with a login session, as after password + TOTP.
  const admin = await createStaffAccount({ db, clock: systemClock }, { email: 'bench-admin@example.org', role: 'admin', displayName: 'Bench', password: 'Bench-password-2026' });
  const token = randomBytes(32).toString('base64url');
  await pool.query(`insert into user_sessions (id, user_id, created_at, last_seen_at, expires_at) values ($1, $2, now(), now(), now() + interval '12 hours')`, [
    createHash('sha256').update(token).digest('hex'),
    admin.userId,
  ]);
  const staff = { id: admin.userId, role: 'admin' as const };

  // Every window closes: selection runs after it (SEL-1).
  await pool.query(`update registration_periods set applications_close_at = now() - interval '1 day', applications_open_at = now() - interval '30 days'`);

  /** `n` learners (account and record) with a confirmed application to the session, in one statement. */
  const applicants = async (sessionId: number, n: number, status: 'confirmed' | 'accepted' | 'waiting_list') =>
    pool.query(
      `with u as (
         insert into users (email, password_hash, status, created_at, activated_at)
         select format('bench.%s.%s.%s@example.org', $1::int, $3::text, g), 'x', 'active', now(), now() from generate_series(1, $2::int) g
         returning id, email),
       p as (
         insert into learner_profiles (user_id, civility, last_name, first_name, birth_date, birth_country, address, postal_code, city, mobile_phone, heard_from, identity_key, created_at, updated_at)
         select id, 'MME', 'Bench' || md5(email), 'Test', '1990-01-01', 'FR', '1 rue du Test', '75011', 'Paris', '+33612345678', 'internet', md5(email), now(), now() from u)
       insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at, waiting_rank)
       select u.id, s.id, s.course_id, $3::text,
         (array['employed','job_seeker','welfare_recipient','assisted_contract','student','retired','other'])[1 + (abs(hashtext(u.email)) % 7)],
         (array['professional','personal','diploma','other'])[1 + (abs(hashtext(u.email || 'o')) % 4)],
         'Bench', now(), now(), now(),
         case when $3::text = 'waiting_list' then row_number() over () else null end
       from u, course_sessions s where s.id = $1::int`,
      [sessionId, n, status],
    );

  const sessions = (await pool.query<{ id: number; code: string }>(`select id, code from course_sessions order by id`)).rows;
  const ranked = sessions.slice(0, 3);
  for (const s of ranked) {
    await pool.query(`update course_sessions set capacity = 25 where id = $1`, [s.id]);
    await applicants(s.id, APPLICANTS, 'confirmed');
  }
  const freed = sessions.slice(10, 10 + FREED_SESSIONS);
  for (const s of freed) {
    await pool.query(`update course_sessions set capacity = $2 where id = $1`, [s.id, PLACES]);
    await applicants(s.id, PLACES, 'accepted');
    await applicants(s.id, PLACES, 'waiting_list');
  }
  await pool.query('analyze');

  // 1. The ranking proposal of 500 applicants, against hello.
  const hello = await load({ url: `${base}/__hello` });
  const proposal = await load({ url: `${base}/personnel/sessions/${ranked[0].code}/selection`, headers: { cookie: `cursus_sid=${token}` } });
  const proposal10 = await load({ url: `${base}/personnel/sessions/${ranked[0].code}/selection`, headers: { cookie: `cursus_sid=${token}` }, connections: 10 });

  // 2. Deciding: 500 applicants, 25 places.
  const deps = { db, clock: systemClock, baseUrl: base };
  const decisions: number[] = [];
  for (const s of ranked) {
    const started = performance.now();
    const result = await decideSession(deps, { staff, sessionCode: s.code });
    decisions.push(performance.now() - started);
    if (!result.ok || result.accepted !== 25 || result.waiting !== APPLICANTS - 25) throw new Error(`decision of ${s.code}: ${JSON.stringify(result)}`);
  }

  // 3. 10 000 freed places: every accepted learner of the 250 sessions withdraws, and each
  // withdrawal queues its refill job as closeAsWithdrawal would if each ran before any refill
  // (the worst case: `placeFreed` queues no second job while one is waiting).
  await pool.query(`delete from jobs`);
  const outboxBefore = Number((await pool.query(`select count(*) from outbox`)).rows[0].count);
  const ids = freed.map((s) => s.id);
  await pool.query(`update applications set status = 'withdrawn', closed_at = now() where status = 'accepted' and session_id = any($1)`, [ids]);
  await pool.query(
    `insert into jobs (kind, payload, run_at, max_attempts) select 'selection.refill', jsonb_build_object('sessionId', session_id), now(), 5 from applications where status = 'withdrawn' and session_id = any($1)`,
    [ids],
  );
  const jobs = Number((await pool.query(`select count(*) from jobs`)).rows[0].count);
  const processes = [connect(database.url, { max: 4 }), connect(database.url, { max: 4 })];
  const started = performance.now();
  const worker = async (p: (typeof processes)[number]) => {
    const handlers = waitingListJobs({ db: p.db, clock: systemClock, baseUrl: base });
    while ((await workJobs({ db: p.db, clock: systemClock, handlers, limit: 50 })) > 0);
  };
  await Promise.all(processes.flatMap((p) => [worker(p), worker(p)]));
  const jobSeconds = (performance.now() - started) / 1000;
  await Promise.all(processes.map((p) => p.close()));

  const [check] = (
    await db.execute<{ offers: number; over: number; twice: number; emails: number; left: number }>(sql`
      select
        (select count(*)::int from offers where status = 'open') as offers,
        (select count(*)::int from course_sessions s where (select count(*) from offers o where o.session_id = s.id and o.status = 'open')
            + (select count(*) from applications a where a.session_id = s.id and a.status in ('accepted', 'enrolled')) > s.capacity) as over,
        (select count(*)::int from (select application_id from offers group by 1 having count(*) > 1) x) as twice,
        (select count(*)::int from outbox) - ${outboxBefore} as emails,
        (select count(*)::int from jobs where done_at is null and kind = 'selection.refill') as left`)
  ).rows;

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\nNode ${process.version}, 400-session demo catalogue, ${APPLICANTS} applicants per ranked session\n`);
  console.log('| scenario | requests/s | p50 | p99 | non-2xx | ratio to hello |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, r] of [
    ['fastify hello route, 50 connections', hello],
    [`ranking proposal, ${APPLICANTS} applicants (\`GET …/selection\`), 50 connections`, proposal],
    [`ranking proposal, ${APPLICANTS} applicants, 10 connections`, proposal10],
  ] as const)
    console.log(`| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx + r.errors} | ${(r.requests.average / hello.requests.average).toFixed(3)} |`);
  console.log('');
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| deciding a session of ${APPLICANTS} (25 accepted, ${APPLICANTS - 25} waiting, events and emails) | ${decisions.map((d) => `${d.toFixed(0)} ms`).join(', ')} (median ${median(decisions).toFixed(0)} ms) |`);
  console.log(`| waiting-list job: ${jobs} freed places in ${FREED_SESSIONS} sessions, 2 processes × 2 workers | ${jobSeconds.toFixed(1)} s = ${(jobs / jobSeconds).toFixed(0)} places/s (${((jobs / jobSeconds) / hello.requests.average).toFixed(3)} of hello's requests/s) |`);
  console.log(`| check: open offers / sessions over capacity / applications offered twice / emails / jobs left | ${check.offers} / ${check.over} / ${check.twice} / ${check.emails} / ${check.left} |`);
  await close();
  if (check.offers !== jobs || check.over || check.twice || check.emails !== jobs || check.left) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
