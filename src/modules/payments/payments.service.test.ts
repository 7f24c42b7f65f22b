import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { FixedClock } from '../../platform/clock';
import { createTestDatabase } from '../../../test/db';
import { buildCatalogue } from '../../../test/catalogue';
import { setCapacity } from '../../../test/applications';
import { emailsTo } from '../../../test/app';
import { acceptedApplicants, awaitingPayment, startSession } from '../../../test/payments';
import type { confirmedApplicants } from '../../../test/applications';
import type { Database } from '../../db/database';
import { applicationEvents, applications } from '../applications/applications.table';
import { placeReleased } from '../applications';
import { createPayfipClient } from './payfip/payfip';
import { startPayfipSimulator, type StartedSimulator } from './payfip/simulator';
import { paymentAttempts, payments } from './payments.table';
import * as pay from './payments.service';
import { ProviderUnavailable, type PaymentProvider } from './provider';

describe('payments: enrolment validation and online payment (PAY-1, PAY-2)', () => {
  let database: Database;
  let clock: FixedClock;
  let sim: StartedSimulator;
  let deps: pay.PaymentDeps & { clock: FixedClock; provider: PaymentProvider };
  const baseUrl = 'http://localhost:3000';
  let accepted: Record<string, Awaited<ReturnType<typeof confirmedApplicants>>>;
  const deps0 = () => ({ db: database.db, clock, baseUrl });
  const rush = () => accepted['S-RUSH'].splice(0, 1);

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    await buildCatalogue(database.db, clock, [
      { code: 'S-PAY', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-LATE', weekday: 2, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-PROP', weekday: 3, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-RUSH', weekday: 4, startsAt: '18:00', endsAt: '20:00' },
    ]);
    for (const code of ['S-PROP', 'S-RUSH']) await setCapacity(database.db, code, 200);
    accepted = await acceptedApplicants(deps0(), { 'S-PAY': 1, 'S-LATE': 1, 'S-RUSH': 6, 'S-PROP': 30 });
    sim = await startPayfipSimulator({ clock, notification: 'never' });
    deps = { db: database.db, clock, baseUrl, secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE', provider: createPayfipClient({ numcli: '123456', saisie: 'T', wsUrl: sim.wsUrl, pageUrl: sim.pageUrl }) };
  });
  after(async () => {
    await sim.close();
    await database.close();
  });

  const statusOf = async (applicationId: string) => (await database.db.select().from(applications).where(eq(applications.id, applicationId)))[0].status;
  const enrolments = async (applicationId: string) =>
    (await database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, applicationId), eq(applicationEvents.toStatus, 'enrolled')))).length;
  const paymentOf = async (applicationId: string) => (await database.db.select().from(payments).where(eq(payments.applicationId, applicationId)))[0];
  const idOpOf = async (attemptId: string) => (await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId)))[0].idOp!;

  it('PAY-1 the school head validates once the learner came: awaiting payment, the full rate, due at the second meeting, an email', async () => {
    const [learner] = accepted['S-PAY'];
    const { buildStaff } = await import('../../../test/app');
    const { assignScope } = await import('../scopes');
    const head = await buildStaff(database.db, clock, 'school_head');
    await assignScope(database.db, { userId: head.userId, sessions: ['S-PAY'] });
    const before = await pay.validateEnrolment(deps, { id: head.userId, role: 'school_head' }, learner.applicationId);
    assert.equal(before.ok, false, 'the first meeting is in 40 days and there was no convocation: not yet');
    assert.equal(!before.ok && before.message, 'pay.error.notAttended');
    await startSession(database.db, clock, 'S-PAY', 1);
    const done = await pay.validateEnrolment(deps, { id: head.userId, role: 'school_head' }, learner.applicationId);
    assert.ok(done.ok, JSON.stringify(done));
    assert.equal(done.payment.amountCents, 15_000, 'PAY-5: the full rate of the course, in cents');
    assert.equal(done.payment.rate, 'full');
    assert.equal(done.payment.status, 'due');
    assert.match(done.payment.reference, /^C26[A-Z0-9]{12}$/);
    // Mondays: the first was yesterday (moved), the second is in six days: less than the week's minimum.
    assert.equal(done.payment.dueOn, '2026-09-08', 'PAY-1: the second meeting, at least a week away');
    assert.equal(await statusOf(learner.applicationId), 'awaiting_payment');
    const mails = await emailsTo(database.db, learner.email);
    assert.ok(mails.some((m) => /150,00\s€/.test(m.text) && m.subject.includes('régler avant le')), 'the email gives the amount and the due date');
    const again = await pay.validateEnrolment(deps, { id: head.userId, role: 'school_head' }, learner.applicationId);
    assert.equal(again.ok, false, 'validating twice asks nothing twice');
    assert.equal((await database.db.select().from(payments).where(eq(payments.applicationId, learner.applicationId))).length, 1);
  });

  it('PAY-2 paid online: the notification enrols the learner, once; a replayed notification changes nothing', async () => {
    const { learners } = await awaitingPayment(deps, 'S-LATE', accepted['S-LATE']);
    const [learner] = learners;
    const started = await pay.payOwn(deps, { id: learner.learnerId, email: learner.email }, learner.applicationId);
    assert.ok(started.ok && 'redirectUrl' in started, JSON.stringify(started));
    assert.ok(started.redirectUrl.startsWith(sim.pageUrl), 'the browser goes to the provider’s page with the idOp');
    const twice = await pay.payOwn(deps, { id: learner.learnerId, email: learner.email }, learner.applicationId);
    assert.ok(twice.ok && 'redirectUrl' in twice && twice.attemptId === started.attemptId, 'a double click goes to the same attempt');
    const idOp = await idOpOf(started.attemptId);
    const early = await pay.settleAttempt(deps, { idOp });
    assert.equal(early.kind === 'settled' && early.attempt.status, 'pending', 'P5: not known yet, still pending');
    await sim.simulator.pay(idOp, 'accepted');
    const settled = await pay.settleAttempt(deps, { idOp });
    assert.ok(settled.kind === 'settled' && settled.enrolled);
    for (let i = 0; i < 3; i++) await pay.settleAttempt(deps, { idOp });
    await pay.settleAttempt(deps, { attemptId: started.attemptId });
    assert.equal(await statusOf(learner.applicationId), 'enrolled');
    assert.equal(await enrolments(learner.applicationId), 1);
    const payment = await paymentOf(learner.applicationId);
    assert.equal(payment.status, 'paid');
    assert.equal(payment.method, 'online');
    assert.equal(payment.attemptId, started.attemptId);
    const again = await pay.payOwn(deps, { id: learner.learnerId, email: learner.email }, learner.applicationId);
    assert.deepEqual(again, { ok: true, paid: true }, 'an amount already paid goes nowhere');
    assert.ok((await emailsTo(database.db, learner.email)).some((m) => m.subject.startsWith('Paiement reçu')));
  });

  it('PAY-2 100 concurrent duplicate notifications for one attempt: one payment, one enrolment', async () => {
    const { learners } = await awaitingPayment(deps, 'S-RUSH', rush());
    const [learner] = learners;
    const started = await pay.payOwn(deps, { id: learner.learnerId, email: learner.email }, learner.applicationId);
    assert.ok(started.ok && 'attemptId' in started);
    const idOp = await idOpOf(started.attemptId);
    await sim.simulator.pay(idOp, 'accepted');
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => pay.settleAttempt(deps, { idOp })));
    assert.equal(outcomes.filter((o) => o.kind === 'settled' && o.enrolled).length, 1, 'exactly one call enrols');
    assert.equal(await enrolments(learner.applicationId), 1);
    const rows = await database.db.select().from(payments).where(eq(payments.applicationId, learner.applicationId));
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'paid');
  });

  it('PAY-2 refused, then paid with a new idOp; a success for an attempt given up after the place was released is flagged, not applied', async () => {
    const { learners, head } = await awaitingPayment(deps, 'S-RUSH', accepted['S-RUSH'].splice(0, 2));
    const [a, b] = learners;
    const first = await pay.payOwn(deps, { id: a.learnerId, email: a.email }, a.applicationId);
    assert.ok(first.ok && 'attemptId' in first);
    await sim.simulator.pay(await idOpOf(first.attemptId), 'refused');
    const refused = await pay.settleAttempt(deps, { attemptId: first.attemptId });
    assert.equal(refused.kind === 'settled' && refused.attempt.status, 'refused');
    assert.equal((await paymentOf(a.applicationId)).status, 'due');
    clock.advance(3 * 60_000);
    const second = await pay.payOwn(deps, { id: a.learnerId, email: a.email }, a.applicationId);
    assert.ok(second.ok && 'attemptId' in second && second.attemptId !== first.attemptId);
    assert.notEqual(await idOpOf(second.attemptId), await idOpOf(first.attemptId), 'a new idOp for every attempt');

    // b starts paying, never comes back; the due date passes, the reminder, the release; then PayFiP says paid.
    const late = await pay.payOwn(deps, { id: b.learnerId, email: b.email }, b.applicationId);
    assert.ok(late.ok && 'attemptId' in late);
    const payment = await paymentOf(b.applicationId);
    clock.set(new Date(`${payment.dueOn}T12:00:00Z`));
    clock.advance(86_400_000);
    assert.equal(await pay.remindUnpaid(deps, payment.id), true);
    const released = await pay.releaseUnpaid(deps, { id: head.userId, role: 'school_head' }, b.applicationId);
    assert.ok(released.ok, JSON.stringify(released));
    assert.equal(await statusOf(b.applicationId), 'removed');
    assert.equal((await paymentOf(b.applicationId)).status, 'cancelled');
    await sim.simulator.pay(await idOpOf(late.attemptId), 'accepted').catch(() => undefined);
    const flagged = await pay.settleAttempt(deps, { attemptId: late.attemptId });
    assert.ok(flagged.kind === 'settled');
    assert.equal(await statusOf(b.applicationId), 'removed', 'never an enrolment without its place');
    const [row] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, late.attemptId));
    assert.ok(row.status === 'paid' ? row.flag === 'late_success' : row.status === 'expired', `a late success is flagged for staff (${row.status}, ${row.flag})`);
  });

  it('PAY-2 the provider down: a clear failure, the attempt kept; the sweep settles it once it answers', async () => {
    const { learners } = await awaitingPayment(deps, 'S-RUSH', rush());
    const [learner] = learners;
    const down: PaymentProvider = {
      ...deps.provider,
      create: async () => {
        throw new ProviderUnavailable('connect ECONNREFUSED');
      },
    };
    const failed = await pay.payOwn({ ...deps, provider: down }, { id: learner.learnerId, email: learner.email }, learner.applicationId);
    assert.equal(!failed.ok && failed.code, 'unavailable');
    const [attempt] = await database.db.select().from(paymentAttempts).where(sql`${paymentAttempts.paymentId} = ${(await paymentOf(learner.applicationId)).id}`);
    assert.equal(attempt.status, 'failed');
    assert.match(attempt.lastError ?? '', /ECONNREFUSED/);

    const started = await pay.payOwn(deps, { id: learner.learnerId, email: learner.email }, learner.applicationId);
    assert.ok(started.ok && 'attemptId' in started);
    await sim.simulator.pay(await idOpOf(started.attemptId), 'accepted');
    sim.simulator.configure({ service: 'down' });
    const unavailable = await pay.settleAttempt(deps, { attemptId: started.attemptId });
    assert.equal(unavailable.kind, 'unavailable');
    sim.simulator.configure({ service: 'up' });
    clock.advance(10 * 60_000);
    assert.ok((await pay.sweepAttempts(deps, { olderThanMs: 60_000 })) >= 1);
    assert.equal(await statusOf(learner.applicationId), 'enrolled', 'the sweep found it: nothing lost');
  });

  it('PAY-2 two clicks on "Régler" at the same instant: one attempt, and both go to its provider page', async () => {
    const { learners } = await awaitingPayment(deps, 'S-RUSH', rush());
    const [learner] = learners;
    const [a, b] = await Promise.all([1, 2].map(() => pay.payOwn(deps, { id: learner.learnerId, email: learner.email }, learner.applicationId)));
    assert.ok(a.ok && 'redirectUrl' in a && b.ok && 'redirectUrl' in b, JSON.stringify([a, b]));
    assert.equal(a.redirectUrl, b.redirectUrl);
    const attempts = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.paymentId, (await paymentOf(learner.applicationId)).id));
    assert.equal(attempts.length, 1);
  });

  it('SEL-10 a move to another day is not an end: the amount due stays due (the place released by a move)', async () => {
    const { learners } = await awaitingPayment(deps, 'S-RUSH', rush());
    const [learner] = learners;
    const [app] = await database.db.select().from(applications).where(eq(applications.id, learner.applicationId));
    await database.db.transaction((tx) => placeReleased.emit(tx, { applicationId: app.id, heldSessionId: app.sessionId, to: 'awaiting_payment', at: clock.now() }));
    assert.equal((await paymentOf(learner.applicationId)).status, 'due');
    await database.db.transaction((tx) => placeReleased.emit(tx, { applicationId: app.id, heldSessionId: app.sessionId, to: 'withdrawn', at: clock.now() }));
    assert.equal((await paymentOf(learner.applicationId)).status, 'cancelled', 'an end cancels it');
  });

  it('PAY-2 the simulator mounted in the app calls back only the app: a notification address elsewhere is refused (N1)', async () => {
    const own = await startPayfipSimulator({ clock, notification: 'never', callbackOrigin: baseUrl });
    try {
      const client = createPayfipClient({ numcli: '123456', saisie: 'T', wsUrl: own.wsUrl, pageUrl: own.pageUrl });
      const input = { refdet: 'C26TESTREF0001', exer: 2026, objet: 'Cours', amountCents: 15_000, email: 'a@example.org', returnUrl: `${baseUrl}/paiement/retour/x` };
      await assert.rejects(client.create({ ...input, notifyUrl: 'http://169.254.169.254/latest' }), (e: Error) => e.name === 'ProviderRejected');
      assert.ok((await client.create({ ...input, notifyUrl: `${baseUrl}/paiement/payfip/notification` })).idOp);
    } finally {
      await own.close();
    }
  });

  it('PAY-2 any order and number of notification, return and sweep, for any outcome, ends in one consistent state (property)', async () => {
    const { learners } = await awaitingPayment(deps, 'S-PROP', accepted['S-PROP']);
    let next = 0;
    const step = fc.constantFrom('notify', 'return', 'sweep');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('accepted', 'refused', 'abandoned', 'not_yet', 'unknown'),
        fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
        fc.nat({ max: 4 }),
        async (outcome, rounds, payAfter) => {
          const learner = learners[next++];
          clock.advance(5 * 60_000);
          const started = await pay.payOwn(deps, { id: learner.learnerId, email: learner.email }, learner.applicationId);
          assert.ok(started.ok && 'attemptId' in started);
          const idOp = await idOpOf(started.attemptId);
          const act = (s: string) =>
            s === 'notify' ? pay.settleAttempt(deps, { idOp }) : s === 'return' ? pay.settleAttempt(deps, { attemptId: started.attemptId }) : pay.sweepAttempts(deps, { olderThanMs: 0 });
          if (outcome === 'unknown') clock.advance(25 * 3_600_000);
          for (const [i, round] of rounds.entries()) {
            if (i === Math.min(payAfter, rounds.length - 1) && ['accepted', 'refused', 'abandoned'].includes(outcome))
              await sim.simulator.pay(idOp, outcome as 'accepted' | 'refused' | 'abandoned');
            await Promise.all(round.map(act));
          }
          await act('return');
          const payment = await paymentOf(learner.applicationId);
          const [attempt] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, started.attemptId));
          const status = await statusOf(learner.applicationId);
          const expected = { accepted: 'paid', refused: 'refused', abandoned: 'abandoned', not_yet: 'pending', unknown: 'expired' }[outcome];
          assert.equal(attempt.status, expected, `${outcome}: the attempt`);
          assert.equal(payment.status, outcome === 'accepted' ? 'paid' : 'due');
          assert.equal(status, outcome === 'accepted' ? 'enrolled' : 'awaiting_payment');
          assert.equal(await enrolments(learner.applicationId), outcome === 'accepted' ? 1 : 0);
          assert.equal(attempt.flag, null);
        },
      ),
      { numRuns: 30 },
    );
  });
});
