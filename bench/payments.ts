/**
 * Payments benchmark (issue 12), on the 400-session demo catalogue, in one run:
 * 1. 500 enrolments awaiting payment (`BENCH_ENROLMENTS`), each with one online attempt started
 *    through `payOwn` against a simulated PayFiP on its own port (the app's PayFiP client talks
 *    SOAP to it over HTTP), each paid in the simulator with its notification off; then 1 000
 *    notifications — every idOp twice, shuffled — POSTed to the running app's
 *    `/paiement/payfip/notification` from a separate process, 100 in flight. Then the check, in
 *    SQL: 500 payments paid, 500 'enrolled' events (one per application), 500 valid enrollee
 *    cards, no flagged attempt; and how many notifications asked PayFiP for the details.
 * 2. The public verification page `GET /verifier/CODE?s=…` (a real card's code with its
 *    signature, as its QR code carries it) and an unknown code, 50 connections, against the
 *    fastify hello route of the same app, measured before and after them (the better is the
 *    baseline).
 * Enrollee cards rendered per second: bench/cards.ts. Prints Markdown for bench/README.md.
 *
 *   npm run bench:payments        (BENCH_ENROLMENTS=500, BENCH_IN_FLIGHT=100, BENCH_SECONDS=10)
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { createStaffAccount } from '../src/modules/accounts';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { newCode } from '../src/modules/documents/documents.rules';
import { publicKey } from '../src/modules/documents/keys.service';
import { verifySignature } from '../src/modules/documents/signing';
import { payOwn, validateEnrolment, type PaymentDeps } from '../src/modules/payments';
import { createPayfipClient } from '../src/modules/payments/payfip/payfip';
import { startPayfipSimulator } from '../src/modules/payments/payfip/simulator';
import { decideSession } from '../src/modules/selection/selection.service';
import { systemClock } from '../src/platform/clock';
import { setPolicy } from '../src/platform/policies';
import { load, seconds, startBenchApp } from './lib';

const ENROLMENTS = Number(process.env.BENCH_ENROLMENTS ?? 500);
const PER_SESSION = 25;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 100);
const NUMCLI = '123456';

/** Runs `work` on every item, `n` at a time. */
async function inParallel<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

interface Burst {
  sent: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
}

/** The notifications from their own process (bench/notify-client.mjs), as PayFiP's servers would send them. */
function notifications(url: string, idOps: string[]): Promise<Burst> {
  const spec = join(tmpdir(), `cursus-notify-${process.pid}-${idOps.length}.json`);
  writeFileSync(spec, JSON.stringify({ url, idOps, inFlight: IN_FLIGHT }));
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(import.meta.dirname, 'notify-client.mjs'), spec], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('exit', (code) => {
      rmSync(spec, { force: true });
      if (code === 0) done(JSON.parse(out) as Burst);
      else fail(new Error(`notify client exited with ${code}`));
    });
  });
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

async function main() {
  // The simulated PayFiP, standalone: the notifications are the bench's to send.
  const payfip = await startPayfipSimulator({ numcli: NUMCLI, notification: 'never' });
  const { database, base, close } = await startBenchApp(
    async (db) => {
      await seedCatalogue(db.db, systemClock);
      // PAY-10's per-address limit of the public page (200 per 10 minutes): the load comes from one address.
      await setPolicy(db.db, 'documentLookupsPerIpPer10Min', 100_000_000);
    },
    // PAYFIP_* as for the real PayFiP (X: activation; T is refused in production) …
    { PAYFIP_NUMCLI: NUMCLI, PAYFIP_SAISIE: 'X' },
    // … with the simulator's endpoints, which production refuses from the environment (http).
    (config) => (config.payfip.kind === 'payfip' ? { ...config, payfip: { ...config.payfip, wsUrl: payfip.wsUrl, pageUrl: payfip.pageUrl } } : config),
  );
  const { pool, db } = database;
  const setupStarted = performance.now();
  const loadAtStart = loadavg()[0];

  // Sessions whose card stays valid a while, with a paying course; their first meeting moved to
  // yesterday (PAY-1: the learner has come, the school may validate).
  const sessions = (
    await pool.query<{ id: number; code: string }>(
      `select s.id, s.code from course_sessions s join courses c on c.id = s.course_id
       where s.last_meeting >= current_date + 60 and c.full_rate_cents >= 100 order by s.id limit $1`,
      [Math.ceil(ENROLMENTS / PER_SESSION)],
    )
  ).rows;
  if (sessions.length * PER_SESSION < ENROLMENTS) throw new Error(`only ${sessions.length} sessions fit`);
  await pool.query(`update course_sessions set capacity = greatest(capacity, $2), first_meeting = least(first_meeting, current_date - 1) where id = any($1)`, [sessions.map((s) => s.id), PER_SESSION]);
  // Every window closes: selection runs after it (SEL-1).
  await pool.query(`update registration_periods set applications_close_at = now() - interval '1 day', applications_open_at = now() - interval '30 days'`);

  // Learners (account and record) with a confirmed application each, in one statement per
  // session, as bench/selection.ts makes them; from there on, everything goes through the services.
  for (const [i, s] of sessions.entries()) {
    const n = Math.min(PER_SESSION, ENROLMENTS - i * PER_SESSION);
    await pool.query(
      `with u as (
         insert into users (email, password_hash, status, created_at, activated_at)
         select format('pay.%s.%s@example.org', $1::int, g), 'x', 'active', now(), now() from generate_series(1, $2::int) g
         returning id, email),
       p as (
         insert into learner_profiles (user_id, civility, last_name, first_name, birth_date, birth_country, address, postal_code, city, mobile_phone, heard_from, identity_key, created_at, updated_at)
         select id, 'MME', 'Bench' || md5(email), 'Test', '1990-01-01', 'FR', '1 rue du Test', '75011', 'Paris', '+33612345678', 'internet', md5(email), now(), now() from u)
       insert into applications (learner_id, session_id, course_id, status, situation, objective, motivations, rules_accepted_at, created_at, confirmed_at)
       select u.id, s.id, s.course_id, 'confirmed', 'employed', 'personal', 'Bench', now(), now(), now()
       from u, course_sessions s where s.id = $1::int`,
      [s.id, n],
    );
  }
  const admin = await createStaffAccount({ db, clock: systemClock }, { email: 'bench-admin@example.org', role: 'admin', displayName: 'Bench', password: 'Bench-password-2026' });
  const staff = { id: admin.userId, role: 'admin' as const };
  const deps: PaymentDeps = {
    db,
    clock: systemClock,
    baseUrl: base,
    secret: 'b'.repeat(32), // the app's (bench/lib.ts)
    cashOffice: 'Régie CMA et AE',
    provider: createPayfipClient({ numcli: NUMCLI, saisie: 'X', wsUrl: payfip.wsUrl, pageUrl: payfip.pageUrl }),
  };
  // SEL-3: each session decided (all accepted, with their events and emails); PAY-1: each enrolment validated.
  for (const s of sessions) {
    const decided = await decideSession(deps, { staff, sessionCode: s.code });
    if (!decided.ok || decided.refused || decided.waiting) throw new Error(`decision of ${s.code}: ${JSON.stringify(decided)}`);
  }
  const learners = (
    await pool.query<{ learner_id: string; email: string; application_id: string }>(
      `select a.learner_id, u.email, a.id as application_id from applications a join users u on u.id = a.learner_id where a.status = 'accepted' and a.session_id = any($1)`,
      [sessions.map((s) => s.id)],
    )
  ).rows;
  if (learners.length !== ENROLMENTS) throw new Error(`${learners.length} accepted, ${ENROLMENTS} expected`);
  await inParallel(learners, 8, async (l) => {
    const validated = await validateEnrolment(deps, staff, l.application_id);
    if (!validated.ok) throw new Error(`validateEnrolment: ${JSON.stringify(validated)}`);
  });
  // PAY-2: each learner's "Régler": an attempt, an idOp at the simulated PayFiP (SOAP over HTTP).
  await inParallel(learners, 8, async (l) => {
    const started = await payOwn(deps, { id: l.learner_id, email: l.email }, l.application_id);
    if (!started.ok || !('attemptId' in started)) throw new Error(`payOwn: ${JSON.stringify(started)}`);
  });
  const idOps = (await pool.query<{ id_op: string }>(`select id_op from payment_attempts where status = 'pending'`)).rows.map((r) => r.id_op);
  if (idOps.length !== ENROLMENTS) throw new Error(`${idOps.length} pending attempts, ${ENROLMENTS} expected`);
  // Each payer pays on PayFiP's page; PayFiP would then notify: the bench does, below.
  for (const idOp of idOps) await payfip.simulator.pay(idOp, 'accepted', { notification: 'never' });
  await pool.query('analyze');
  const setupSeconds = (performance.now() - setupStarted) / 1000;

  // 1. The notifications. A warm-up of unknown idOps first (404, no PayFiP call): the pool's
  // connections open and the route is compiled before the measured burst.
  const notifyUrl = `${base}/paiement/payfip/notification`;
  const warm = await notifications(notifyUrl, Array.from({ length: 200 }, () => crypto.randomUUID()));
  const detailsOp = 'recupererDetailPaiementSecurise';
  const askedBefore = payfip.simulator.requests.filter((r) => r.operation === detailsOp).length;
  const cpuBefore = process.cpuUsage();
  const burst = await notifications(notifyUrl, shuffle([...idOps, ...idOps]));
  // This process runs the app and the simulated PayFiP: its CPU time says whether its one event loop was the limit.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // The simulator keeps its last thousand requests: with 500 idOps, every details call of the burst is among them (at most one per notification).
  const asked = payfip.simulator.requests.filter((r) => r.operation === detailsOp).length - askedBefore;

  const [check] = (
    await db.execute<{ paid: number; payments: number; enrolled_events: number; enrolled_applications: number; enrolled: number; cards: number; cards_valid_today: number; flagged: number; attempts_paid: number; emails: number }>(sql`
      select
        (select count(*)::int from payments where status = 'paid') as paid,
        (select count(*)::int from payments) as payments,
        (select count(*)::int from application_events where to_status = 'enrolled') as enrolled_events,
        (select count(distinct application_id)::int from application_events where to_status = 'enrolled') as enrolled_applications,
        (select count(*)::int from applications where status = 'enrolled') as enrolled,
        (select count(*)::int from documents where kind = 'enrollee_card' and status = 'valid') as cards,
        (select count(distinct subject_id)::int from documents where kind = 'enrollee_card' and status = 'valid' and valid_until >= current_date) as cards_valid_today,
        (select count(*)::int from payment_attempts where flag is not null) as flagged,
        (select count(*)::int from payment_attempts where status = 'paid') as attempts_paid,
        (select count(*)::int from outbox where subject like 'Paiement reçu%') as emails`)
  ).rows;

  // 2. The public verification page: a real card's code with its signature (the QR code's link), and an unknown code.
  const [card] = (await pool.query<{ code: string; signature: string }>(`select code, signature from documents where kind = 'enrollee_card' order by issued_at limit 1`)).rows;
  const real = `${base}/verifier/${card.code}?s=${card.signature}`;
  let unknown = newCode();
  while ((await pool.query(`select 1 from documents where code = $1`, [unknown])).rowCount) unknown = newCode();
  const probe = await Promise.all([fetch(real), fetch(`${base}/verifier/${unknown}`)]);
  const probeText = await probe[0].text();
  // What is measured is the page that says so: genuine and valid, its QR code's signature checked.
  if (probe[0].status !== 200 || !probeText.includes('Document authentique et valable') || !probeText.includes('La signature du code QR est authentique') || probe[1].status !== 404)
    throw new Error(`verification page answered ${probe[0].status} / ${probe[1].status}`);
  const hello1 = await load({ url: `${base}/__hello` });
  const verifyReal = await load({ url: real });
  const verifyUnknown = await load({ url: `${base}/verifier/${unknown}` });
  const hello2 = await load({ url: `${base}/__hello` });
  const hello = hello1.requests.average >= hello2.requests.average ? hello1 : hello2;
  // What the signature check alone costs, as the page makes it (the public JWK cached in memory, made a key for each check): one core, one at a time.
  const CHECKS = 2_000;
  const checkStarted = performance.now();
  for (let i = 0; i < CHECKS; i++) if (!(await verifySignature(card.signature, (kid) => publicKey(db, kid))).ok) throw new Error('the card’s signature does not verify');
  const checkMs = (performance.now() - checkStarted) / CHECKS;

  const codes = (s: Record<string, number>) => Object.entries(s).map(([code, n]) => `${n} × ${code}`).join(', ');
  const non2xx = Object.entries(burst.statuses).filter(([code]) => !code.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
  const pgVersion = (await pool.query<{ server_version: string }>('show server_version')).rows[0].server_version;
  console.log(
    `\nNode ${process.version}, PostgreSQL ${pgVersion}${process.env.DATABASE_URL ? '' : ' embedded'}, ${cpus().length} cores (load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end), 400-session demo catalogue, ${ENROLMENTS} enrolments in ${sessions.length} sessions (decided, validated, attempts started and paid at the simulator in ${setupSeconds.toFixed(1)} s), ${seconds} s per load\n`,
  );
  console.log('| measure | value |');
  console.log('|---|---|');
  console.log(`| warm-up: ${warm.sent} notifications of unknown idOps | ${warm.seconds.toFixed(2)} s (${codes(warm.statuses)}) |`);
  console.log(`| ${burst.sent} notifications (each of ${idOps.length} idOps twice, shuffled), ${IN_FLIGHT} in flight | ${burst.seconds.toFixed(2)} s = ${(burst.sent / burst.seconds).toFixed(0)} notifications/s |`);
  console.log(`| latency p50 / p99 / max | ${burst.p50.toFixed(0)} ms / ${burst.p99.toFixed(0)} ms / ${burst.max.toFixed(0)} ms |`);
  console.log(`| CPU of the app's process (app and simulated PayFiP) during them | ${cpuSeconds.toFixed(2)} s in ${burst.seconds.toFixed(2)} s (${((100 * cpuSeconds) / burst.seconds).toFixed(0)} % of one core; ${((1000 * cpuSeconds) / idOps.length).toFixed(1)} ms per enrolment) |`);
  console.log(`| answers | ${codes(burst.statuses)}; ${non2xx} non-2xx, ${burst.errors} errors |`);
  console.log(`| PayFiP asked for the details (\`${detailsOp}\`) | ${asked >= 1_000 ? '≥ ' : ''}${asked} of ${burst.sent} notifications |`);
  console.log(
    `| check: payments paid (of all) / 'enrolled' events (applications) / enrolled / valid cards (valid today, distinct) / flagged attempts / attempts paid / "Paiement reçu" emails | ${check.paid} (${check.payments}) / ${check.enrolled_events} (${check.enrolled_applications}) / ${check.enrolled} / ${check.cards} (${check.cards_valid_today}) / ${check.flagged} / ${check.attempts_paid} / ${check.emails} |`,
  );
  console.log('');
  console.log(`Verification page: \`/verifier/${card.code}?s=…\` (${card.signature.length}-character signature; the page says "Document authentique et valable" and the signature genuine) and an unknown code (404 page)\n`);
  console.log('| scenario | requests/s | p50 | p99 | non-2xx | ratio to hello |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, r] of [
    ['fastify hello route, 50 connections, before', hello1],
    ['fastify hello route, 50 connections, after', hello2],
    ['verification page, a real card with its `?s=` signature', verifyReal],
    ['verification page, an unknown code (404 expected)', verifyUnknown],
  ] as const)
    console.log(`| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} ms | ${r.latency.p99} ms | ${r.non2xx + r.errors} | ${(r.requests.average / hello.requests.average).toFixed(3)} |`);

  console.log('');
  console.log(`ES256 check of the QR code's signature alone (\`verifySignature\` as the page calls it: the public JWK cached, imported for each check), in this process, one at a time: ${checkMs.toFixed(3)} ms each = ${(1000 / checkMs).toFixed(0)}/s on one core`);

  await close();
  await payfip.close();
  const ok =
    check.paid === ENROLMENTS &&
    check.payments === ENROLMENTS &&
    check.enrolled_events === ENROLMENTS &&
    check.enrolled_applications === ENROLMENTS &&
    check.cards === ENROLMENTS &&
    check.cards_valid_today === ENROLMENTS &&
    check.flagged === 0 &&
    verifyReal.non2xx + verifyReal.errors === 0;
  if (!ok) {
    console.error('check failed');
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
