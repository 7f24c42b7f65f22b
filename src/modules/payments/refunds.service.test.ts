import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildLearner, buildStaff, emailsTo } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { nonRefundableReasons } from '../../domain/vocabulary';
import { FixedClock } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { getPolicies, uploadMaxBytes } from '../../platform/policies';
import { auditLog, storedFiles } from '../../platform/platform.table';
import { samples } from '../../../test/multipart';
import { users } from '../accounts/accounts.table';
import { applicationEvents, applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { currentDocument } from '../documents';
import { placesHeld, waitingListJobs } from '../selection';
import { decideSession } from '../selection/selection.service';
import { offers } from '../selection/selection.table';
import { recordSchoolPayment, validateEnrolment, type SchoolDeps, type PaymentProvider } from '.';
import { refunds } from './payments.table';
import { decideRefund, learnerRefunds, listRefunds, REFUND_PROOF_PURPOSE, refundForStaff, refundProofForLearner, refundProofForStaff, requestRefund, type RefundRequest } from './refunds.service';


describe('refunds (PAY-9)', () => {
  let database: Database;
  // The catalogue's sessions start 40 days after this: on 11 October 2026.
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: SchoolDeps & { clock: FixedClock };
  let admin: { id: string; role: 'admin' };
  let coordinator: { id: string; role: 'coordinator' };
  const paid: { learnerId: string; email: string; applicationId: string }[] = [];
  let waiting: { learnerId: string; applicationId: string }[] = [];
  let unpaid: { learnerId: string; applicationId: string };
  let sessionId: number;

  const statusOf = async (applicationId: string) => (await database.db.select().from(applications).where(eq(applications.id, applicationId)))[0].status;
  const refundRows = async () => database.db.select().from(refunds);
  const heldInSession = async () => (await placesHeld(database.db, [sessionId])).get(sessionId) ?? 0;
  const ask = (who: (typeof paid)[number], input: Partial<RefundRequest> = {}) =>
    requestRefund(deps, who.learnerId, who.applicationId, { reason: 'hospitalisation', eventOn: '2026-10-13', explanation: 'Opérée le 13 octobre.', proofPromised: true, ...input });
  const grant = (refundId: string, more: Partial<{ amountCents: number; refundedOn: string; method: 'transfer' | 'cheque' | 'cash'; reference: string | null }> = {}, staff: { id: string; role: 'admin' | 'coordinator' | 'school_head' | 'trainer' } = admin) =>
    decideRefund(deps, staff, refundId, { grant: true, amountCents: 15_000, refundedOn: '2026-10-20', method: 'transfer', reference: 'VIR-2026-001', ...more });

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' };
    await buildCatalogue(database.db, clock, [{ code: 'RB', weekday: 2, startsAt: '18:30', endsAt: '20:30' }]);
    await setCapacity(database.db, 'RB', 9);
    sessionId = (await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'RB')))[0].id;
    const applicants = await confirmedApplicants(deps, 'RB', 11);
    await closeOpenPeriod(database.db, clock);
    const created = await buildStaff(database.db, clock, 'admin');
    admin = { id: created.userId, role: 'admin' };
    const coord = await buildStaff(database.db, clock, 'coordinator');
    coordinator = { id: coord.userId, role: 'coordinator' };
    assert.deepEqual(await assignScope(database.db, { userId: coord.userId, schools: ['E-11-T'] }), { ok: true });
    assert.ok((await decideSession(deps, { staff: admin, sessionCode: 'RB' })).ok);
    const rows = await database.db.select().from(applications).where(eq(applications.sessionId, sessionId));
    const accepted = applicants.filter((a) => rows.find((r) => r.id === a.applicationId)!.status === 'accepted');
    waiting = applicants.filter((a) => rows.find((r) => r.id === a.applicationId)!.status === 'waiting_list');
    assert.equal(accepted.length, 9);
    assert.equal(waiting.length, 2);
    // The first meeting has taken place: the school validates; the learners pay by cheque on the 12th.
    clock.set(new Date('2026-10-12T09:00:00Z'));
    for (const a of accepted.slice(0, 8)) {
      assert.ok((await validateEnrolment(deps, admin, a.applicationId)).ok);
      const done = await recordSchoolPayment(deps, admin, a.applicationId, { method: 'cheque', chequeNumber: '0012345', bank: 'Banque test', payerName: 'Léa Durand' });
      assert.ok(done.ok, JSON.stringify(done));
      paid.push(a);
    }
    unpaid = accepted[8];
    assert.ok((await validateEnrolment(deps, admin, unpaid.applicationId)).ok);
    clock.set(new Date('2026-10-20T09:00:00Z'));
  });
  after(() => database.close());

  it('PAY-9 a request in the window is recorded as asked, with no proof file yet and an audit entry', async () => {
    const learner = paid[0];
    const page = await learnerRefunds(deps, learner.learnerId, learner.applicationId);
    assert.equal(page?.blocked, null, 'a paid enrolment may ask');
    assert.equal(page?.windowWeeks, 4);
    const result = await ask(learner);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.refund.status, 'requested');
    assert.equal(result.refund.reason, 'hospitalisation');
    assert.equal(result.refund.eventOn, '2026-10-13');
    assert.equal(result.refund.proofFileId, null);
    assert.equal(result.refund.requestedBy, learner.learnerId);
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'refund.requested'), eq(auditLog.subjectId, learner.applicationId)));
    assert.equal(entry.actorId, learner.learnerId);
    assert.equal((await learnerRefunds(deps, learner.learnerId, learner.applicationId))?.blocked, 'refund.error.open');
  });

  it('PAY-9 out of the window: an event to come, a request more than 4 weeks after it, a personal event too long after the start — refused next to the date, nothing stored', async () => {
    const learner = paid[1];
    const before = (await refundRows()).length;
    const cases: [Partial<RefundRequest>, string, Record<string, unknown>][] = [
      [{ eventOn: '2026-10-21' }, 'refund.error.event_in_future', {}],
      [{ reason: 'session_not_opened', eventOn: '2026-09-21', proofPromised: false }, 'refund.error.request_too_late', { weeks: 4 }],
      [{ reason: 'bodily_accident', eventOn: '2026-08-01' }, 'refund.error.event_before_enrolment', { weeks: 4 }],
    ];
    for (const [input, message, params] of cases) {
      const result = await ask(learner, input);
      assert.equal(result.ok, false, message);
      if (result.ok) continue;
      assert.equal(result.code, 'refused');
      assert.equal(result.message, message);
      assert.equal(result.field, 'eventOn');
      for (const [key, value] of Object.entries(params)) assert.equal(result.params?.[key], value);
    }
    // A personal event more than 4 weeks after the start: the clock goes to December.
    clock.set(new Date('2026-12-01T09:00:00Z'));
    const late = await ask(learner, { reason: 'professional_change', eventOn: '2026-11-20' });
    clock.set(new Date('2026-10-20T09:00:00Z'));
    assert.equal(late.ok, false);
    if (!late.ok) {
      assert.equal(late.message, 'refund.error.event_too_late');
      assert.equal(typeof late.params?.last, 'function', 'the last day, formatted in the reader’s language');
    }
    assert.equal((await refundRows()).length, before, 'nothing stored');
  });

  it('PAY-9 each of the five reasons may be asked; the three personal ones with the commitment to a proof', async () => {
    const learner = paid[2];
    for (const reason of ['bodily_accident', 'hospitalisation', 'professional_change'] as const) {
      const without = await ask(learner, { reason, proofPromised: false });
      assert.ok(!without.ok && without.field === 'proof' && without.message === 'refund.error.proof', reason);
    }
    for (const reason of ['bodily_accident', 'hospitalisation', 'professional_change', 'session_not_opened', 'enrolment_error'] as const) {
      const result = await ask(learner, { reason, proofPromised: reason !== 'session_not_opened' && reason !== 'enrolment_error' });
      assert.ok(result.ok, `${reason}: ${JSON.stringify(result)}`);
      // Refused, so the next reason may be asked: one open request at a time.
      const refused = await decideRefund(deps, admin, result.refund.id, { grant: false, note: `Essai ${reason}` });
      assert.ok(refused.ok);
    }
    const page = await learnerRefunds(deps, learner.learnerId, learner.applicationId);
    assert.equal(page?.refunds.length, 5);
    assert.ok(page?.refunds.every((r) => r.status === 'refused'));
    assert.equal(await statusOf(learner.applicationId), 'enrolled', 'a refusal keeps the enrolment');
  });

  it('PAY-9 late entry, early leaving, a cancelled meeting (and the FAQ’s other cases) are refused at once with the FAQ’s reason, nothing stored', async () => {
    const learner = paid[3];
    const before = (await refundRows()).length;
    for (const reason of nonRefundableReasons) {
      const result = await ask(learner, { reason });
      assert.deepEqual(result, { ok: false, code: 'refused', message: `refund.nonRefundable.${reason}`, field: 'reason' });
    }
    assert.equal((await refundRows()).length, before);
  });

  it('PAY-9 one open request per payment: a second is refused with a clear message, also when both come at once', async () => {
    const learner = paid[3];
    const results = await Promise.all([ask(learner), ask(learner, { reason: 'enrolment_error', proofPromised: false }), ask(learner)]);
    assert.equal(results.filter((r) => r.ok).length, 1);
    for (const r of results.filter((r) => !r.ok)) assert.deepEqual(r, { ok: false, code: 'conflict', message: 'refund.error.open' });
    const rows = (await refundRows()).filter((r) => results.some((x) => x.ok && x.refund.paymentId === r.paymentId));
    assert.equal(rows.length, 1);
  });

  it('PAY-9 only a paid enrolment of one’s own: another learner’s is unknown, an unpaid one is told so', async () => {
    const other = await buildLearner(database.db, clock);
    assert.deepEqual(await requestRefund(deps, other.id, paid[4].applicationId, { reason: 'hospitalisation', eventOn: '2026-10-13', explanation: 'x', proofPromised: true }), {
      ok: false,
      code: 'not_found',
      message: 'error.notFound.message',
    });
    assert.equal(await learnerRefunds(deps, other.id, paid[4].applicationId), null);
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', "1' or '1'='1"]) assert.equal((await requestRefund(deps, other.id, id, { reason: 'hospitalisation', eventOn: '2026-10-13', explanation: 'x', proofPromised: true })).ok, false);
    for (const who of [unpaid, waiting[0]]) {
      const result = await requestRefund(deps, who.learnerId, who.applicationId, { reason: 'enrolment_error', eventOn: '2026-10-13', explanation: 'x', proofPromised: false });
      assert.deepEqual(result, { ok: false, code: 'refused', message: 'pay.error.notPaid' });
      assert.equal((await learnerRefunds(deps, who.learnerId, who.applicationId))?.blocked, 'pay.error.notPaid');
    }
  });

  it('PAY-9 SEL-8 a refund granted while enrolled ends the enrolment and frees the place for the waiting list; who and when are kept', async () => {
    const learner = paid[4];
    const asked = await ask(learner, { reason: 'professional_change', eventOn: '2026-10-15' });
    assert.ok(asked.ok);
    const held = await heldInSession();
    const signing = { baseUrl: deps.baseUrl, secret: deps.secret, clock };
    assert.equal((await currentDocument(database.db, signing, 'enrollee_card', learner.applicationId))?.status, 'valid', 'the card issued with the payment');
    const result = await grant(asked.refund.id, { amountCents: 7_550 }, coordinator);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.withdrawn, true);
    assert.equal(result.refund.status, 'granted');
    assert.equal(result.refund.amountCents, 7_550);
    assert.equal(result.refund.refundedOn, '2026-10-20');
    assert.equal(result.refund.method, 'transfer');
    assert.equal(result.refund.refundReference, 'VIR-2026-001');
    assert.equal(result.refund.decidedBy, coordinator.id);
    assert.deepEqual(result.refund.decidedAt, clock.now());
    assert.equal(await statusOf(learner.applicationId), 'withdrawn');
    const events = await database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, learner.applicationId));
    const last = events.find((e) => e.toStatus === 'withdrawn')!;
    assert.deepEqual([last.fromStatus, last.actorId, last.reason], ['enrolled', coordinator.id, 'refund']);
    assert.equal(await heldInSession(), held - 1, 'the place is free');
    // PAY-10: the card no longer proves an enrolment: the public page says revoked.
    assert.equal((await currentDocument(database.db, signing, 'enrollee_card', learner.applicationId))?.status, 'revoked');
    // The place goes to the waiting list (SEL-8): its first is offered it.
    while ((await workJobs({ db: database.db, clock, handlers: waitingListJobs(deps) })) > 0);
    const open = await database.db.select().from(offers).where(and(eq(offers.sessionId, sessionId), eq(offers.status, 'open')));
    assert.equal(open.length, 1);
    assert.ok(waiting.some((w) => w.applicationId === open[0].applicationId));
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'refund.granted'), eq(auditLog.subjectId, learner.applicationId)));
    assert.equal(entry.actorId, coordinator.id);
    assert.deepEqual(entry.data, { refundId: asked.refund.id, amountCents: 7_550, refundedOn: '2026-10-20', method: 'transfer', reference: 'VIR-2026-001', withdrawn: true });
    // Granted: no more request for this payment, and the page says why.
    assert.deepEqual(await ask(learner, { reason: 'enrolment_error', proofPromised: false }), { ok: false, code: 'conflict', message: 'refund.error.granted' });
    assert.equal((await learnerRefunds(deps, learner.learnerId, learner.applicationId))?.blocked, 'refund.error.granted');
  });

  it('APP-8 PAY-9 the learner is emailed the decision in their language: granted with the amount and method, refused with the reason', async () => {
    const [granted] = await emailsTo(database.db, paid[4].email);
    assert.match(granted.subject, /^Remboursement accordé : Cours C-RB/);
    assert.match(granted.text, /75,50\s€/);
    assert.match(granted.text, /par virement\. Référence : VIR-2026-001\./);
    assert.match(granted.text, /Votre inscription à ce cours prend fin/);
    assert.match(granted.text, new RegExp(`/candidatures/${paid[4].applicationId}/remboursement`));
    // An English-speaking learner, refused.
    const learner = paid[5];
    await database.db.update(users).set({ locale: 'en' }).where(eq(users.id, learner.learnerId));
    const asked = await ask(learner, { reason: 'enrolment_error', proofPromised: false });
    assert.ok(asked.ok);
    assert.ok((await decideRefund(deps, admin, asked.refund.id, { grant: false, note: 'No error was made: the course you chose is the one you attend.' })).ok);
    const [refused] = await emailsTo(database.db, learner.email);
    assert.equal(refused.subject, 'Refund request refused: Cours C-RB');
    assert.match(refused.text, /is not granted, for the following reason:\n\nNo error was made/);
    assert.equal(await statusOf(learner.applicationId), 'enrolled', 'a refusal keeps the enrolment');
    // A grant in English, in cash, with no reference: the enrolment ends.
    const again = await ask(learner, { reason: 'hospitalisation', eventOn: '2026-10-14' });
    assert.ok(again.ok);
    assert.ok((await grant(again.refund.id, { method: 'cash', reference: null, amountCents: 15_000 })).ok);
    const [cash] = await emailsTo(database.db, learner.email);
    assert.equal(cash.subject, 'Refund granted: Cours C-RB');
    assert.match(cash.text, /€150\.00 was refunded to you on 20 October 2026 by cash\.\nYour enrolment in this course ends/);
    assert.doesNotMatch(cash.text, /Reference/);
  });

  it('PAY-9 the amount is more than nothing and at most what was paid; the day is not to come nor before the payment — nothing changes', async () => {
    const learner = paid[6];
    const asked = await ask(learner);
    assert.ok(asked.ok);
    const cases: [Parameters<typeof grant>[1], string, string][] = [
      [{ amountCents: 0 }, 'amount', 'refund.error.amount_zero'],
      [{ amountCents: 15_001 }, 'amount', 'refund.error.amount_over_paid'],
      [{ amountCents: Number.MAX_SAFE_INTEGER }, 'amount', 'refund.error.amount_over_paid'],
      [{ refundedOn: '2026-10-21' }, 'refundedOn', 'refund.error.refund_in_future'],
      [{ refundedOn: '2026-10-11' }, 'refundedOn', 'refund.error.refund_before_payment'],
    ];
    for (const [more, field, message] of cases) {
      const result = await grant(asked.refund.id, more);
      assert.ok(!result.ok && result.field === field && result.message === message, `${message}: ${JSON.stringify(result)}`);
    }
    const [row] = await database.db.select().from(refunds).where(eq(refunds.id, asked.refund.id));
    assert.equal(row.status, 'requested');
    assert.equal(await statusOf(learner.applicationId), 'enrolled');
    // The full amount, on the day of the payment, is fine.
    assert.ok((await grant(asked.refund.id, { amountCents: 15_000, refundedOn: '2026-10-12' })).ok);
  });

  it('PAY-9 a caller other than the form (a script, a job) still never breaks a table check: odd days, amounts and texts are refused by field', async () => {
    const learner = paid[3];
    for (const eventOn of ['garbage', '2026-13-01', '2026-02-31', '']) {
      const result = await ask(learner, { eventOn });
      assert.ok(!result.ok && result.field === 'eventOn' && result.message === 'refund.error.date', eventOn);
    }
    for (const explanation of ['   ', 'x'.repeat(2001)]) {
      const result = await ask(learner, { explanation });
      assert.ok(!result.ok && result.field === 'explanation', `${explanation.length} characters`);
    }
    const open = (await listRefunds(database.db, admin)).find((r) => r.refund.status === 'requested')!;
    const cases: [Parameters<typeof grant>[1], string][] = [
      [{ amountCents: 12.5 }, 'amount'],
      [{ amountCents: Number.NaN }, 'amount'],
      [{ refundedOn: '20/10/2026' }, 'refundedOn'],
      [{ reference: 'x'.repeat(101) }, 'reference'],
    ];
    for (const [more, field] of cases) {
      const result = await grant(open.refund.id, more);
      assert.ok(!result.ok && result.field === field, JSON.stringify(more));
    }
    const blank = await decideRefund(deps, admin, open.refund.id, { grant: false, note: '  ' });
    assert.ok(!blank.ok && blank.field === 'note');
    assert.equal((await database.db.select().from(refunds).where(eq(refunds.id, open.refund.id)))[0].status, 'requested');
  });

  it('PAY-9 a request is decided once: a second decision, even at the same moment, is told it was already decided', async () => {
    const learner = paid[7];
    const asked = await ask(learner, { reason: 'enrolment_error', proofPromised: false });
    assert.ok(asked.ok);
    const results = await Promise.all([grant(asked.refund.id), decideRefund(deps, coordinator, asked.refund.id, { grant: false, note: 'Non.' })]);
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.deepEqual(results.find((r) => !r.ok), { ok: false, code: 'conflict', message: 'refund.error.decided' });
    const after = (await refundForStaff(deps, admin, asked.refund.id))!;
    assert.equal(after.mayDecide, false);
    assert.ok(after.decidedByName);
  });

  it('PAY-9 staff decide in their scope: outside it nothing is seen or decided; the school head and the trainer do not decide refunds', async () => {
    const list = await listRefunds(database.db, admin);
    assert.ok(list.length >= 5);
    // Open requests first, then the decided ones.
    const firstDecided = list.findIndex((r) => r.refund.status !== 'requested');
    assert.ok(list.slice(firstDecided).every((r) => r.refund.status !== 'requested'));
    assert.equal((await listRefunds(database.db, coordinator)).length, list.length, 'the coordinator of the school sees them');
    const elsewhere = await buildStaff(database.db, clock, 'coordinator');
    const outsider = { id: elsewhere.userId, role: 'coordinator' as const };
    assert.deepEqual(await listRefunds(database.db, outsider), []);
    const open = list.find((r) => r.refund.status === 'requested')!;
    assert.equal(await refundForStaff(deps, outsider, open.refund.id), null);
    assert.deepEqual(await grant(open.refund.id, {}, outsider), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    for (const role of ['school_head', 'trainer'] as const) {
      const account = await buildStaff(database.db, clock, role);
      await assignScope(database.db, { userId: account.userId, schools: ['E-11-T'] });
      assert.deepEqual(await grant(open.refund.id, {}, { id: account.userId, role }), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
      assert.deepEqual(await listRefunds(database.db, { id: account.userId, role }), []);
    }
    assert.equal((await database.db.select().from(refunds).where(eq(refunds.id, open.refund.id)))[0].status, 'requested');
    assert.equal(await refundForStaff(deps, admin, 'not-a-uuid'), null);
  });

  it('PAY-9 the staff page says whether a grant ends the enrolment and whether a proof is asked', async () => {
    const open = (await listRefunds(database.db, admin)).find((r) => r.refund.status === 'requested')!;
    const page = (await refundForStaff(deps, admin, open.refund.id))!;
    assert.equal(page.mayDecide, true);
    assert.equal(page.endsEnrolment, page.application.status === 'enrolled');
    assert.equal(page.proofAsked, ['bodily_accident', 'hospitalisation', 'professional_change'].includes(page.refund.reason));
    assert.ok(page.learnerName && page.learnerEmail);
  });
  it('PAY-9 a proof file that is empty, too large or not what it claims is refused next to the file; a request refused for any reason stores no file', async () => {
    const learner = paid[1];
    const filesOf = async () => database.db.select().from(storedFiles).where(eq(storedFiles.ownerId, learner.learnerId));
    const before = (await refundRows()).length;
    const maxBytes = uploadMaxBytes(await getPolicies(database.db));
    const bad: [Buffer, string][] = [
      [samples.text, 'upload.type'],
      [Buffer.alloc(0), 'upload.empty'],
      [Buffer.concat([samples.pdf, Buffer.alloc(maxBytes, 0x20)]), 'upload.tooLarge'],
    ];
    for (const [data, message] of bad) {
      const result = await ask(learner, { proofPromised: false, proofFile: { name: 'certificat.pdf', data } });
      assert.ok(!result.ok && result.code === 'refused' && result.field === 'proofFile' && result.message === message, `${message}: ${JSON.stringify(result)}`);
    }
    // A good file with a request refused inside the transaction (the date to come, the window): nothing stored.
    for (const input of [{ eventOn: '2026-10-21' }, { reason: 'session_not_opened' as const, eventOn: '2026-09-21' }]) {
      const result = await ask(learner, { ...input, proofPromised: false, proofFile: { name: 'certificat.png', data: samples.png } });
      assert.ok(!result.ok && result.field === 'eventOn', JSON.stringify(result));
    }
    assert.equal((await refundRows()).length, before);
    assert.deepEqual(await filesOf(), [], 'no file stored');
  });

  it('PAY-9 a request with its proof file (no box ticked) stores the file, owned by the learner, with the request; the learner and staff in scope read it, nobody else', async () => {
    const learner = paid[1];
    const result = await ask(learner, { reason: 'bodily_accident', eventOn: '2026-10-14', proofPromised: false, proofFile: { name: 'certificat médical.png', data: samples.png } });
    assert.ok(result.ok, JSON.stringify(result));
    const fileId = result.refund.proofFileId;
    assert.ok(fileId, 'the file is the request’s proof');
    const [file] = await database.db.select().from(storedFiles).where(eq(storedFiles.id, fileId));
    assert.deepEqual([file.purpose, file.ownerId, file.mediaType, file.size, file.originalName], [REFUND_PROOF_PURPOSE, learner.learnerId, 'image/png', samples.png.length, 'certificat médical.png']);
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'refund.requested'), eq(auditLog.subjectId, learner.applicationId)));
    assert.equal((entry.data as { proofFileId: string }).proofFileId, fileId);
    // A second request while this one is open is refused and stores nothing more.
    const again = await ask(learner, { reason: 'enrolment_error', proofPromised: false, proofFile: { name: 'autre.png', data: samples.png } });
    assert.deepEqual(again, { ok: false, code: 'conflict', message: 'refund.error.open' });
    assert.equal((await database.db.select().from(storedFiles).where(eq(storedFiles.ownerId, learner.learnerId))).length, 1);
    // Shown on both pages, and read by those who may.
    const own = (await learnerRefunds(deps, learner.learnerId, learner.applicationId))!;
    assert.equal(own.proofFiles.get(fileId)?.originalName, 'certificat médical.png');
    assert.equal((await refundForStaff(deps, coordinator, result.refund.id))?.proofFile?.mediaType, 'image/png');
    assert.ok((await refundProofForLearner(database.db, learner.learnerId, learner.applicationId, result.refund.id))?.data.equals(samples.png));
    for (const staff of [admin, coordinator]) assert.ok((await refundProofForStaff(database.db, staff, result.refund.id))?.data.equals(samples.png), staff.role);
    const elsewhere = await buildStaff(database.db, clock, 'coordinator');
    const head = await buildStaff(database.db, clock, 'school_head');
    await assignScope(database.db, { userId: head.userId, schools: ['E-11-T'] });
    assert.equal(await refundProofForStaff(database.db, { id: elsewhere.userId, role: 'coordinator' }, result.refund.id), null, 'out of scope');
    assert.equal(await refundProofForStaff(database.db, { id: head.userId, role: 'school_head' }, result.refund.id), null, 'a role that does not decide refunds');
    assert.equal(await refundProofForLearner(database.db, paid[0].learnerId, learner.applicationId, result.refund.id), null, 'another learner');
    assert.equal(await refundProofForLearner(database.db, paid[0].learnerId, paid[0].applicationId, result.refund.id), null, 'another learner, through their own enrolment');
    assert.equal(await refundProofForLearner(database.db, learner.learnerId, learner.applicationId, 'nope'), null);
    // A request without a file has none to read.
    const [withoutFile] = (await refundRows()).filter((r) => r.proofFileId === null && r.status === 'requested');
    assert.equal(await refundProofForStaff(database.db, admin, withoutFile.id), null);
  });
});
