import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray, like } from 'drizzle-orm';
import { buildLearner, buildStaff } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { outbox, smsOutbox } from '../../platform/platform.table';
import { applicationFigures, cancelApplication, confirmApplication, deletePreselection, listApplications, preselectSession, saveAnswers } from '../applications';
import { renderMarkup } from '../../../test/pages';
import { ApplicationsPage } from '../applications/views/applications';
import type { PageContext } from '../../ui/context';
import { translator } from '../../platform/i18n';
import { applicationEvents, applications } from '../applications/applications.table';
import { sessionsForApplications } from '../catalogue';
import { courses, courseSessions } from '../catalogue/catalogue.table';
import { recordSchoolPayment, validateEnrolment, type SchoolDeps } from '../payments';
import { payments, refunds } from '../payments/payments.table';
import { learnerRefunds, recordRefundPaid, refundForStaff, requestRefund } from '../payments/refunds.service';
import { LearnerRefundPage } from '../payments/views/refunds';
import { h } from 'preact';
import { assignScope } from '../scopes';
import { waitingListJobs } from '../selection';
import { decideSession } from '../selection/selection.service';
import { answerOffer } from '../selection/waiting-list.service';
import { convocations, offers } from '../selection/selection.table';
import { convokeSession } from '../selection/applicants.service';
import { cancellationPage, changeSession, type ChangeInput } from './cancellations.service';
import { sessionChanges } from './cancellations.table';

type Applicant = { learnerId: string; email: string; applicationId: string };
type StaffRef = { id: string; role: 'admin' | 'coordinator' | 'school_head' | 'trainer' };

describe('cancelled or moved sessions (SVC-2)', () => {
  let database: Database;
  // The catalogue's sessions start 40 days after this: on 11 October 2026.
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: SchoolDeps & { clock: FixedClock };
  let admin: StaffRef;
  let coordinator: StaffRef;
  let head: StaffRef;
  const applicants: Record<string, Applicant[]> = {};
  let preselected: Applicant;

  const statusOf = async (applicationId: string) => (await database.db.select().from(applications).where(eq(applications.id, applicationId)))[0].status;
  const sessionId = async (code: string) => (await database.db.select().from(courseSessions).where(eq(courseSessions.code, code)))[0].id;
  const emailCount = async (addresses: string[], subject: string) =>
    (await database.db.select().from(outbox).where(and(inArray(outbox.to, addresses), like(outbox.subject, `%${subject}%`)))).length;
  const smsCount = async (purpose: string) => (await database.db.select().from(smsOutbox).where(eq(smsOutbox.purpose, purpose))).length;
  const change = (staff: StaffRef, input: Partial<ChangeInput> & { sessionCode: string }) =>
    changeSession(deps, staff, { kind: 'cancelled', reason: 'too_few_learners', message: 'Trop peu d’inscrits : la session n’ouvre pas.\nNous vous proposons une autre session.', method: 'transfer', ...input });
  const pay = (applicationId: string) => recordSchoolPayment(deps, admin, applicationId, { method: 'cheque', chequeNumber: '0012345', bank: 'Banque test', payerName: 'Léa Durand' });
  /**
   * The session's first meeting comes later than planned: its learners were validated and paid
   * already (PAY-1's attendance is not what this file tests), and it may still be cancelled.
   */
  const opensLater = (code: string) => database.db.update(courseSessions).set({ firstMeeting: '2026-10-19' }).where(eq(courseSessions.code, code));
  const refill = async () => {
    while ((await workJobs({ db: database.db, clock, handlers: waitingListJobs(deps) })) > 0);
  };

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' };
    await buildCatalogue(database.db, clock, [
      { code: 'CX', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'CR', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
      { code: 'CW', weekday: 4, startsAt: '18:30', endsAt: '20:30' },
      { code: 'CZ', weekday: 5, startsAt: '18:30', endsAt: '20:30' },
    ]);
    await setCapacity(database.db, 'CX', 4);
    await setCapacity(database.db, 'CW', 2);
    applicants.CX = await confirmedApplicants(deps, 'CX', 7);
    applicants.CR = await confirmedApplicants(deps, 'CR', 2);
    applicants.CW = await confirmedApplicants(deps, 'CW', 4);
    // A preselection not sent yet in CX.
    const learner = await buildLearner(database.db, clock);
    const pre = await preselectSession(deps, { learnerId: learner.id, sessionCode: 'CX' });
    assert.ok(pre.ok);
    preselected = { learnerId: learner.id, email: learner.email, applicationId: pre.applicationId };
    await closeOpenPeriod(database.db, clock);
    admin = { id: (await buildStaff(database.db, clock, 'admin')).userId, role: 'admin' };
    coordinator = { id: (await buildStaff(database.db, clock, 'coordinator')).userId, role: 'coordinator' };
    head = { id: (await buildStaff(database.db, clock, 'school_head')).userId, role: 'school_head' };
    assert.deepEqual(await assignScope(database.db, { userId: coordinator.id, schools: ['E-11-T'] }), { ok: true });
    assert.deepEqual(await assignScope(database.db, { userId: head.id, schools: ['E-11-T'] }), { ok: true });
    for (const code of ['CX', 'CR', 'CW']) assert.ok((await decideSession(deps, { staff: admin, sessionCode: code })).ok, code);
    // The first meeting has taken place: the school validates, some pay.
    clock.set(new Date('2026-10-12T09:00:00Z'));
  });
  after(() => database.close());

  /** CX: 4 accepted, 3 on the waiting list; one accepted learner withdraws, the first waiting is offered the place. */
  async function prepareCx() {
    const rows = await database.db.select().from(applications).where(eq(applications.sessionId, await sessionId('CX')));
    const byStatus = (status: string) => applicants.CX.filter((a) => rows.find((r) => r.id === a.applicationId)!.status === status);
    const accepted = byStatus('accepted');
    const waiting = byStatus('waiting_list');
    assert.equal(accepted.length, 4);
    assert.equal(waiting.length, 3);
    assert.deepEqual(await cancelApplication(deps, { learnerId: accepted[3].learnerId, applicationId: accepted[3].applicationId }), { ok: true, status: 'withdrawn' });
    await refill();
    const [offer] = await database.db.select().from(offers).where(and(eq(offers.sessionId, await sessionId('CX')), eq(offers.status, 'open')));
    assert.ok(offer, 'the freed place is offered');
    for (const a of accepted.slice(0, 3)) assert.ok((await validateEnrolment(deps, admin, a.applicationId)).ok);
    for (const a of accepted.slice(0, 2)) assert.ok((await pay(a.applicationId)).ok);
    // One of the enrolled learners had already asked for a refund (a hospitalisation).
    const asked = await requestRefund(deps, accepted[0].learnerId, accepted[0].applicationId, { reason: 'hospitalisation', eventOn: '2026-10-11', explanation: 'Opérée.', proofPromised: true });
    assert.ok(asked.ok, JSON.stringify(asked));
    return { enrolled: accepted.slice(0, 2), unpaid: accepted[2], withdrawn: accepted[3], waiting, offer };
  }

  it('SVC-2 a cancellation closes every live application as session_cancelled, refunds the fees paid as PAY-9 records them, ends the offers and tells everyone by email and SMS', async () => {
    const cx = await prepareCx();
    await opensLater('CX');
    const told = [...cx.enrolled, cx.unpaid, ...cx.waiting];
    const smsBefore = await smsCount('sms.session.cancelled');
    const result = await change(coordinator, { sessionCode: 'CX' });
    assert.ok(result.ok, JSON.stringify(result));
    // Told: the 6 who applied and the preselection's learner; closed: the 6 applications.
    assert.deepEqual([result.change.kind, result.change.reason, result.change.told, result.change.closed, result.change.refunded], ['cancelled', 'too_few_learners', 7, 6, 2]);
    assert.equal(result.change.decidedBy, coordinator.id);
    // Statuses and their history.
    for (const a of told) {
      assert.equal(await statusOf(a.applicationId), 'session_cancelled', a.email);
      const events = await database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, a.applicationId));
      const last = events.find((e) => e.toStatus === 'session_cancelled')!;
      assert.deepEqual([last.actorId, last.reason], [coordinator.id, 'session_cancelled']);
    }
    assert.equal(await statusOf(cx.withdrawn.applicationId), 'withdrawn', 'a closed application stays as it was');
    // Money: the fees paid refunded (the open request granted so), the amount due cancelled.
    for (const a of cx.enrolled) {
      const [payment] = await database.db.select().from(payments).where(and(eq(payments.applicationId, a.applicationId), eq(payments.status, 'paid')));
      const rows = await database.db.select().from(refunds).where(eq(refunds.paymentId, payment.id));
      assert.equal(rows.length, 1, 'one refund per payment');
      // Granted (decided, the whole amount, the method to pay it back by), not yet refunded: the cash office pays later.
      assert.deepEqual([rows[0].status, rows[0].amountCents, rows[0].method, rows[0].refundedOn, rows[0].decidedBy, rows[0].refundReference], ['granted', payment.amountCents, 'transfer', null, coordinator.id, null]);
      assert.equal(rows[0].reason, a === cx.enrolled[0] ? 'hospitalisation' : 'session_not_opened');
    }
    const [due] = await database.db.select().from(payments).where(eq(payments.applicationId, cx.unpaid.applicationId));
    assert.equal(due.status, 'cancelled');
    // Offers: the open one is void; no place is offered again (no refill).
    const [offer] = await database.db.select().from(offers).where(eq(offers.id, cx.offer.id));
    assert.equal(offer.status, 'void');
    await refill();
    assert.equal((await database.db.select().from(offers).where(and(eq(offers.sessionId, await sessionId('CX')), eq(offers.status, 'open')))).length, 0);
    // Messages: each learner concerned one email and one SMS (urgent); the preselection one email (its learner's choice).
    assert.equal(await emailCount(told.map((a) => a.email), 'est annulé'), told.length);
    assert.equal(await emailCount([preselected.email], 'est annulé'), 1);
    const [basketMail] = await database.db.select().from(outbox).where(and(eq(outbox.to, preselected.email), like(outbox.subject, '%est annulé%')));
    assert.match(basketMail.text, /Votre présélection n’a pas été envoyée/);
    assert.equal((await smsCount('sms.session.cancelled')) - smsBefore, told.length);
    const [mail] = await database.db.select().from(outbox).where(and(eq(outbox.to, cx.enrolled[1].email), like(outbox.subject, '%est annulé%')));
    assert.match(mail.text, /Trop peu d’inscrits : la session n’ouvre pas\.\nNous vous proposons une autre session\./);
    assert.match(mail.text, /Le remboursement des frais que vous avez payés \(150,00\s€\) vous est accordé\. La régie du service va vous rembourser/);
    assert.doesNotMatch(mail.text, /vous sont remboursés|vous ont été remboursés/);
    // The catalogue: cancelled; nobody applies to it any more.
    const [session] = await sessionsForApplications(database.db, { codes: ['CX'] });
    assert.deepEqual(session.cancelledAt, clock.now());
    const newcomer = await buildLearner(database.db, clock);
    assert.deepEqual(await preselectSession(deps, { learnerId: newcomer.id, sessionCode: 'CX' }), { ok: false, code: 'closed_window', message: 'session.cancelled' });
  });

  it('SVC-2 a preselection of a cancelled session stays a preselection: no application in the figures, its page says the session is cancelled, never sent, deleted by the learner after the window', async () => {
    assert.equal(await statusOf(preselected.applicationId), 'preselected', 'cancelling does not turn a basket into an application');
    const events = await database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, preselected.applicationId));
    assert.deepEqual(events.map((e) => e.toStatus), ['preselected']);
    // SVC-6: the applications sent, 7 (one withdrawn since); the preselection is none.
    const figures = (await applicationFigures(database.db, { sessionIds: [await sessionId('CX')] })).get(await sessionId('CX'))!;
    assert.equal(figures.applications, 7);
    // The learner's page: the session cancelled, nothing to send, the preselection to delete.
    const [view] = await listApplications(database.db, clock, preselected.learnerId);
    assert.ok(view.session.cancelledAt);
    assert.deepEqual([...view.actions], ['delete']);
    const ctx: PageContext = { t: translator('fr'), locale: 'fr', path: '/candidatures', requestId: 'test', csrfToken: () => 'x', devTools: false };
    const html = renderMarkup(<ApplicationsPage ctx={ctx} apps={[view]} counting={0} max={3} />);
    assert.match(html, /Le service a annulé cette session : vous ne pouvez plus envoyer cette candidature/);
    assert.doesNotMatch(html, /\/situation"/);
    await database.db.update(applications).set({ situation: 'employed', objective: 'personal', motivations: 'Oui.' }).where(eq(applications.id, preselected.applicationId));
    assert.deepEqual(await confirmApplication(deps, { learnerId: preselected.learnerId, applicationId: preselected.applicationId }), { ok: false, code: 'closed_window', message: 'session.cancelled' });
    assert.deepEqual(await deletePreselection(deps, { learnerId: preselected.learnerId, applicationId: preselected.applicationId }), { ok: true });
    assert.equal((await database.db.select().from(applications).where(eq(applications.id, preselected.applicationId))).length, 0);
  });

  it('SVC-2 PAY-9 a cancelled session’s refund is granted, to be paid: the learner’s page says so; staff record the refund the cash office made, the learner is told, and only once', async () => {
    const rows = await database.db
      .select({ refund: refunds, payment: payments })
      .from(refunds)
      .innerJoin(payments, eq(payments.id, refunds.paymentId))
      .where(inArray(payments.applicationId, applicants.CX.map((a) => a.applicationId)));
    const { refund, payment } = rows.find((r) => r.refund.reason === 'session_not_opened')!;
    const owner = applicants.CX.find((a) => a.applicationId === payment.applicationId)!;
    // The learner's page: granted, to be paid — not "refunded".
    const page = await learnerRefunds(deps, owner.learnerId, owner.applicationId);
    const mine = page!.refunds.find((r) => r.id === refund.id)!;
    assert.deepEqual([mine.status, mine.refundedOn], ['granted', null]);
    const ctx: PageContext = { t: translator('fr'), locale: 'fr', path: '/candidatures/x/remboursement', requestId: 'r1', csrfToken: () => 'csrf', devTools: false };
    const html = renderMarkup(h(LearnerRefundPage, { ctx, data: page! }));
    assert.match(html, /Remboursement accordé, à verser/);
    // Staff see the form to record the cash office's refund; a head of school (no refund decider) may not.
    const staffPage = await refundForStaff(deps, coordinator, refund.id);
    assert.deepEqual([staffPage?.mayRecordPaid, staffPage?.mayDecide], [true, false]);
    assert.deepEqual(await recordRefundPaid(deps, head, refund.id, { refundedOn: '2026-10-12', method: 'transfer', reference: 'VIR-1' }), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    // A day to come is refused next to the day; nothing changes.
    const future = await recordRefundPaid(deps, coordinator, refund.id, { refundedOn: '2026-10-30', method: 'transfer', reference: 'VIR-1' });
    assert.deepEqual([future.ok, !future.ok && future.field], [false, 'refundedOn']);
    const done = await recordRefundPaid(deps, coordinator, refund.id, { refundedOn: '2026-10-12', method: 'cheque', reference: 'CHQ-778' });
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual([done.refund.refundedOn, done.refund.method, done.refund.refundReference, done.refund.amountCents], ['2026-10-12', 'cheque', 'CHQ-778', payment.amountCents]);
    const [mail] = await database.db.select().from(outbox).where(and(eq(outbox.to, owner.email), like(outbox.subject, '%Remboursement effectué%')));
    assert.match(mail.text, /vous ont été remboursés le 12 octobre 2026 par chèque\. Référence : CHQ-778\./);
    // Once only.
    const again = await recordRefundPaid(deps, coordinator, refund.id, { refundedOn: '2026-10-12', method: 'cheque', reference: 'CHQ-778' });
    assert.deepEqual(again, { ok: false, code: 'conflict', message: 'refund.error.alreadyPaid' });
    assert.equal((await refundForStaff(deps, coordinator, refund.id))?.mayRecordPaid, false);
  });

  it('SVC-2 cancelling twice says "already cancelled" and tells nobody again; a cancelled session is not moved to remote', async () => {
    const emails = (await database.db.select().from(outbox)).length;
    const sms = (await database.db.select().from(smsOutbox)).length;
    assert.deepEqual(await change(admin, { sessionCode: 'CX' }), { ok: false, code: 'SVC-2', reason: 'already_cancelled', message: 'cancel.error.alreadyCancelled' });
    assert.equal((await change(admin, { sessionCode: 'CX', kind: 'remote' })).ok, false);
    assert.equal((await database.db.select().from(outbox)).length, emails);
    assert.equal((await database.db.select().from(smsOutbox)).length, sms);
    assert.equal((await database.db.select().from(sessionChanges).where(eq(sessionChanges.sessionId, await sessionId('CX')))).length, 1);
  });

  it('SVC-2 a session whose first meeting has taken place is not cancelled (nobody told, nothing closed nor refunded); it may still move to remote', async () => {
    const [cr] = await sessionsForApplications(database.db, { codes: ['CR'] });
    assert.ok(cr.firstMeeting <= '2026-10-12', 'CR has started');
    const emails = (await database.db.select().from(outbox)).length;
    assert.deepEqual(await change(coordinator, { sessionCode: 'CR' }), { ok: false, code: 'SVC-2', reason: 'started', message: 'cancel.error.started' });
    assert.equal((await database.db.select().from(outbox)).length, emails);
    for (const a of applicants.CR) assert.equal(await statusOf(a.applicationId), 'accepted');
    assert.equal((await sessionsForApplications(database.db, { codes: ['CR'] }))[0].cancelledAt, null);
    const page = await cancellationPage(deps, coordinator, 'CR');
    assert.ok(!('ok' in page));
    assert.deepEqual([page.refusals.cancelled?.reason, page.refusals.remote], ['started', null]);
  });

  it('SVC-2 moving to remote changes the mode and tells the learners; applications stay; twice is refused', async () => {
    const before = await smsCount('sms.session.remote');
    const result = await change(coordinator, { sessionCode: 'CR', kind: 'remote', reason: 'other', message: 'Travaux dans l’école : le cours a lieu en visio.' });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual([result.change.told, result.change.closed, result.change.refunded], [2, 0, 0]);
    for (const a of applicants.CR) assert.equal(await statusOf(a.applicationId), 'accepted');
    assert.equal((await sessionsForApplications(database.db, { codes: ['CR'] }))[0].mode, 'remote');
    assert.equal(await emailCount(applicants.CR.map((a) => a.email), 'a lieu à distance'), 2);
    assert.equal((await smsCount('sms.session.remote')) - before, 2);
    const again = await change(coordinator, { sessionCode: 'CR', kind: 'remote' });
    assert.equal(!again.ok && again.code === 'SVC-2' && again.reason, 'already_remote');
  });

  it('SVC-2 a session that has ended is neither cancelled nor moved', async () => {
    await database.db.update(courseSessions).set({ firstMeeting: '2026-01-05', lastMeeting: '2026-06-29' }).where(eq(courseSessions.code, 'CZ'));
    for (const kind of ['cancelled', 'remote'] as const) {
      const result = await change(admin, { sessionCode: 'CZ', kind });
      assert.equal(!result.ok && result.code === 'SVC-2' && result.reason, 'ended', kind);
    }
    assert.equal((await sessionsForApplications(database.db, { codes: ['CZ'] }))[0].cancelledAt, null);
  });

  it('SVC-2 only the central service, in its scope: a school head is forbidden, out of scope forbidden, unknown not found; bad input refused next to its field', async () => {
    assert.equal((await change(head, { sessionCode: 'CZ' }) as { code: string }).code, 'forbidden');
    const narrow = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: narrow.userId, sessions: ['CR'] });
    assert.equal((await change({ id: narrow.userId, role: 'coordinator' }, { sessionCode: 'CW' }) as { code: string }).code, 'forbidden');
    assert.equal((await change(admin, { sessionCode: 'NOPE' }) as { code: string }).code, 'not_found');
    for (const message of ['   ', 'x'.repeat(2001)]) assert.deepEqual(await change(admin, { sessionCode: 'CW', message }), { ok: false, code: 'invalid', message: 'cancel.error.message', field: 'message' });
    assert.deepEqual(await change(admin, { sessionCode: 'CW', kind: 'gone' as never }), { ok: false, code: 'invalid', message: 'field.invalidChoice', field: 'kind' });
    assert.equal((await sessionsForApplications(database.db, { codes: ['CW'] }))[0].cancelledAt, null, 'nothing written');
  });

  it('SVC-2 a cancellation racing a payment at the school and an offer’s acceptance: one consistent end, every fee paid refunded, nobody enrolled in a cancelled session', async () => {
    const rows = await database.db.select().from(applications).where(eq(applications.sessionId, await sessionId('CW')));
    const of = (status: string) => applicants.CW.filter((a) => rows.find((r) => r.id === a.applicationId)!.status === status);
    const [toPay, leaving] = of('accepted');
    assert.ok((await validateEnrolment(deps, admin, toPay.applicationId)).ok);
    assert.deepEqual(await cancelApplication(deps, { learnerId: leaving.learnerId, applicationId: leaving.applicationId }), { ok: true, status: 'withdrawn' });
    await refill();
    const [offer] = await database.db.select().from(offers).where(and(eq(offers.sessionId, await sessionId('CW')), eq(offers.status, 'open')));
    const offered = applicants.CW.find((a) => a.applicationId === offer.applicationId)!;
    await opensLater('CW');
    const [cancelled, paid, answered] = await Promise.all([
      change(coordinator, { sessionCode: 'CW' }),
      pay(toPay.applicationId),
      answerOffer(deps, { learnerId: offered.learnerId, offerId: offer.id, accept: true }),
    ]);
    assert.ok(cancelled.ok, JSON.stringify(cancelled));
    for (const a of applicants.CW.filter((x) => x !== leaving)) assert.equal(await statusOf(a.applicationId), 'session_cancelled', a.email);
    const money = await database.db.select().from(payments).where(eq(payments.applicationId, toPay.applicationId));
    const live = money.find((p) => p.status !== 'cancelled');
    if (paid.ok) {
      // The payment went first: it is refunded whole.
      assert.equal(live?.status, 'paid');
      const [refund] = await database.db.select().from(refunds).where(eq(refunds.paymentId, live!.id));
      assert.deepEqual([refund.status, refund.amountCents], ['granted', live!.amountCents]);
      assert.equal(cancelled.change.refunded, 1);
    } else {
      // The cancellation went first: nothing left to pay, nothing recorded.
      assert.equal(live, undefined);
      assert.equal(cancelled.change.refunded, 0);
    }
    const [after] = await database.db.select().from(offers).where(eq(offers.id, offer.id));
    assert.equal(answered.ok ? 'accepted' : 'void', after.status, 'the offer was accepted before, or ended by, the cancellation');
    assert.equal((await database.db.select().from(offers).where(and(eq(offers.sessionId, await sessionId('CW')), eq(offers.status, 'open')))).length, 0);
  });
});

describe('cancelled sessions (SVC-2): races in the application window, and convocations to come', () => {
  let database: Database;
  // The window of the open period runs; the sessions start on 11 October 2026.
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: SchoolDeps & { clock: FixedClock };
  let admin: StaffRef;
  const statusOf = async (applicationId: string) => (await database.db.select().from(applications).where(eq(applications.id, applicationId)))[0]?.status;
  const cancel = (sessionCode: string) => changeSession(deps, admin, { sessionCode, kind: 'cancelled', reason: 'too_few_learners', message: 'Trop peu d’inscrits.', method: 'transfer' });

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' };
    await buildCatalogue(database.db, clock, [
      { code: 'RA', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'RB', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'CV', course: 'C-CV', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
    ]);
    await database.db.update(courses).set({ admissionTest: 'anticipated_test' }).where(eq(courses.code, 'C-CV'));
    admin = { id: (await buildStaff(database.db, clock, 'admin')).userId, role: 'admin' };
  });
  after(() => database.close());

  for (const code of ['RA', 'RB'])
    it(`SVC-2 APP-7 a cancellation racing a preselection and a confirmation (${code}, separate connections): one consistent end, nobody's application left live in the cancelled session`, async () => {
      const [sending] = await confirmedApplicants(deps, code, 1);
      const waiting = await buildLearner(database.db, clock);
      const basket = await preselectSession(deps, { learnerId: waiting.id, sessionCode: code });
      assert.ok(basket.ok);
      await saveAnswers(deps, { learnerId: waiting.id, applicationId: basket.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
      const newcomer = await buildLearner(database.db, clock);
      const [cancelled, confirmed, preselected] = await Promise.all([
        cancel(code),
        confirmApplication(deps, { learnerId: waiting.id, applicationId: basket.applicationId }),
        preselectSession(deps, { learnerId: newcomer.id, sessionCode: code }),
      ]);
      assert.ok(cancelled.ok, JSON.stringify(cancelled));
      assert.equal(await statusOf(sending.applicationId), 'session_cancelled');
      if (confirmed.ok) assert.equal(await statusOf(basket.applicationId), 'session_cancelled', 'confirmed first, then closed by the cancellation');
      else {
        assert.deepEqual(confirmed, { ok: false, code: 'closed_window', message: 'session.cancelled' });
        assert.equal(await statusOf(basket.applicationId), 'preselected', 'refused after it: still a preselection');
      }
      if (preselected.ok) assert.equal(await statusOf(preselected.applicationId), 'preselected', 'made before: a preselection, never an application');
      else assert.deepEqual(preselected, { ok: false, code: 'closed_window', message: 'session.cancelled' });
      const live = await database.db.select().from(applications).where(eq(applications.sessionId, (await sessionsForApplications(database.db, { codes: [code] }))[0].id));
      assert.deepEqual(live.filter((a) => a.status !== 'preselected' && a.status !== 'session_cancelled'), [], 'no live application sent to a cancelled session');
      assert.equal(cancelled.change.closed, live.filter((a) => a.status === 'session_cancelled').length);
    });

  it('SVC-2 SVC-7 a convoked learner’s cancellation email carries the convocation’s calendar file, STATUS:CANCELLED, one version more (the public file says the same)', async () => {
    const [learner] = await confirmedApplicants(deps, 'CV', 1);
    await closeOpenPeriod(database.db, clock);
    const coordinator = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    const convoked = await convokeSession(deps, { staff: { id: coordinator.userId, role: 'coordinator' }, sessionCode: 'CV', kind: 'test', day: '2026-09-20', time: '10:00', place: 'Salle 4' });
    assert.deepEqual(convoked, { ok: true, convoked: 1 });
    const [before] = await database.db.select().from(convocations).where(eq(convocations.applicationId, learner.applicationId));
    const result = await cancel('CV');
    assert.ok(result.ok, JSON.stringify(result));
    const [mail] = await database.db.select().from(outbox).where(and(eq(outbox.to, learner.email), like(outbox.subject, '%est annulé%')));
    assert.equal(mail.attachments?.length, 1);
    const [file] = mail.attachments!;
    assert.equal(file.filename, 'convocation.ics');
    const ics = file.content.replace(/\r\n[ \t]/g, '');
    assert.match(ics, /\r\nSTATUS:CANCELLED\r\n/);
    assert.match(ics, new RegExp(`\\r\\nUID:convocation-${learner.applicationId}@localhost:3000\\r\\n`));
    assert.match(ics, new RegExp(`\\r\\nSEQUENCE:${before.sequence + 1}\\r\\n`));
    const [after] = await database.db.select().from(convocations).where(eq(convocations.applicationId, learner.applicationId));
    assert.equal(after.sequence, before.sequence + 1);
  });
});
