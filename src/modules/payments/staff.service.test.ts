import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { buildStaff, emailsTo } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { acceptedApplicants, cameToConvocation, livePaymentOf, paymentsOf, statusOf } from '../../../test/payments';
import { connect, type Database } from '../../db/database';
import { FixedClock, parisInstant } from '../../platform/clock';
import { auditLog } from '../../platform/platform.table';
import { applicationEvents } from '../applications/applications.table';
import { courses, courseSessions, schools } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { addDays } from './payments.rules';
import { remindUnpaid, type SchoolDeps, type Staff } from './payments.service';
import { paymentAttempts } from './payments.table';
import * as staffPayments from './staff.service';

describe('the staff side of enrolment and payment (PAY-1, PAY-2, PAY-3)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: SchoolDeps;
  let made: Awaited<ReturnType<typeof acceptedApplicants>>;
  const staff: Record<'head' | 'secondHead' | 'otherHead' | 'trainer' | 'coordinator' | 'admin', Staff> = {} as never;
  const id = (code: string, i: number) => made[code][i].applicationId;
  let firstMeeting: string;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' };
    await buildCatalogue(database.db, clock, [
      { code: 'PAY-A', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'PAY-R', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
      { code: 'PAY-C', weekday: 4, startsAt: '18:30', endsAt: '20:30' },
      { code: 'PAY-O', weekday: 5, startsAt: '18:30', endsAt: '20:30' },
    ]);
    // A remote course (its trainer validates), a course dearer than the cash limit, and a session of another school.
    await database.db.update(courses).set({ mode: 'remote' }).where(eq(courses.code, 'C-PAY-R'));
    await database.db.update(courses).set({ fullRateCents: 35_000, halfRateCents: 17_500 }).where(eq(courses.code, 'C-PAY-C'));
    const [other] = await database.db.insert(schools).values({ code: 'E-20-O', name: 'Autre école', arrondissement: 20, address: '2 rue Autre', postalCode: '75020', city: 'Paris' }).returning();
    await database.db.update(courseSessions).set({ schoolId: other.id }).where(eq(courseSessions.code, 'PAY-O'));
    made = await acceptedApplicants({ ...deps, clock }, { 'PAY-A': 7, 'PAY-R': 2, 'PAY-C': 1, 'PAY-O': 1 });
    const make = async (key: keyof typeof staff, role: Staff['role'], scope: { schools?: string[]; sessions?: string[] } | null) => {
      const s = await buildStaff(database.db, clock, role as Exclude<Staff['role'], 'learner'>);
      if (scope) await assignScope(database.db, { userId: s.userId, ...scope });
      staff[key] = { id: s.userId, role };
    };
    await make('head', 'school_head', { schools: ['E-11-T'] });
    await make('secondHead', 'school_head', { schools: ['E-11-T'] });
    await make('otherHead', 'school_head', { schools: ['E-20-O'] });
    await make('trainer', 'trainer', { sessions: ['PAY-A', 'PAY-R'] });
    await make('coordinator', 'coordinator', { schools: ['E-11-T'] });
    await make('admin', 'admin', null);
    [{ firstMeeting }] = await database.db.select({ firstMeeting: courseSessions.firstMeeting }).from(courseSessions).where(eq(courseSessions.code, 'PAY-A'));
  });
  after(() => database.close());

  const rowsOf = async (who: Staff) => {
    const list = await staffPayments.toValidate(deps, who);
    assert.ok(list.ok);
    return new Map(list.groups.flatMap((g) => g.rows.map((r) => [r.application.id, { ...r, session: g.session.code }])));
  };

  it('PAY-1 before the learner came (no convocation attended, first meeting to come) the enrolment is listed but refused, nothing written', async () => {
    const rows = await rowsOf(staff.head);
    const row = rows.get(id('PAY-A', 0))!;
    assert.equal(row.refusal, 'pay.error.notAttended');
    assert.equal(row.attendance, undefined);
    assert.equal(row.firstMeetingPassed, false);
    assert.deepEqual(await staffPayments.validateOne(deps, staff.head, id('PAY-A', 0)), { ok: false, code: 'refused', message: 'pay.error.notAttended' });
    assert.equal(await statusOf(database.db, id('PAY-A', 0)), 'accepted');
    assert.deepEqual(await paymentsOf(database.db, id('PAY-A', 0)), []);
  });

  it('PAY-1 a learner present at the convocation is validated: awaiting payment with the full rate and the second meeting as due date, then "to collect"', async () => {
    await cameToConvocation(database.db, clock, id('PAY-A', 0), staff.head.id);
    const row = (await rowsOf(staff.head)).get(id('PAY-A', 0))!;
    assert.deepEqual([row.attendance, row.refusal], ['present', null]);
    const done = await staffPayments.validateOne(deps, staff.head, id('PAY-A', 0));
    assert.ok(done.ok, JSON.stringify(done));
    assert.equal(await statusOf(database.db, id('PAY-A', 0)), 'awaiting_payment');
    assert.deepEqual([done.payment.amountCents, done.payment.rate, done.payment.status], [15_000, 'full', 'due']);
    assert.ok(done.payment.dueOn > firstMeeting, 'due at the second meeting');
    assert.equal((await rowsOf(staff.head)).has(id('PAY-A', 0)), false, 'no longer to validate');
    const collect = await staffPayments.toCollect(deps, staff.head);
    assert.ok(collect.ok);
    const due = collect.rows.find((r) => r.application.id === id('PAY-A', 0))!;
    assert.deepEqual(
      { amount: due.payment.amountCents, overdue: due.overdue, attempts: due.attemptsInProgress, record: due.mayRecord, release: due.mayRelease },
      { amount: 15_000, overdue: false, attempts: 0, record: true, release: false },
    );
    const [email] = await emailsTo(database.db, made['PAY-A'][0].email);
    assert.match(email.subject, /Votre inscription est validée/);
    assert.deepEqual(await staffPayments.validateOne(deps, staff.head, id('PAY-A', 0)), { ok: false, code: 'refused', message: 'sel.error.stale' }, 'validated once');
    assert.equal((await paymentsOf(database.db, id('PAY-A', 0))).length, 1);
  });

  it('PAY-1 a trainer validates the enrolments of a remote course, and is refused those of an in-person one', async () => {
    for (const app of [id('PAY-A', 1), id('PAY-R', 0)]) await cameToConvocation(database.db, clock, app, staff.head.id);
    const rows = await rowsOf(staff.trainer);
    assert.deepEqual([...new Set([...rows.values()].map((r) => r.session))], ['PAY-R'], 'the trainer’s list: their remote sessions');
    assert.deepEqual(await staffPayments.validateOne(deps, staff.trainer, id('PAY-A', 1)), { ok: false, code: 'refused', message: 'pay.error.trainerRemoteOnly' });
    assert.equal(await statusOf(database.db, id('PAY-A', 1)), 'accepted');
    const done = await staffPayments.validateOne(deps, staff.trainer, id('PAY-R', 0));
    assert.ok(done.ok);
    assert.equal(await statusOf(database.db, id('PAY-R', 0)), 'awaiting_payment');
    // The trainer is not the cash desk.
    assert.deepEqual(await staffPayments.toCollect(deps, staff.trainer), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
  });

  it('PAY-1 scope: another school’s head sees none of these and validates none; a coordinator does not validate', async () => {
    const rows = await rowsOf(staff.otherHead);
    assert.deepEqual([...new Set([...rows.values()].map((r) => r.session))], ['PAY-O']);
    assert.equal((await staffPayments.validateOne(deps, staff.otherHead, id('PAY-A', 1))).ok, false);
    assert.deepEqual(await staffPayments.validateOne(deps, staff.otherHead, id('PAY-A', 1)), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    assert.deepEqual(await staffPayments.validateAllWhoCame(deps, staff.otherHead, 'PAY-A'), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    assert.equal(await statusOf(database.db, id('PAY-A', 1)), 'accepted');
    assert.equal(await staffPayments.existsUnscoped(database.db, { applicationId: id('PAY-A', 1) }), true, 'it exists: a 403 for the page');
    assert.equal(await staffPayments.existsUnscoped(database.db, { applicationId: '00000000-0000-0000-0000-000000000000' }), false);
    assert.equal(await staffPayments.existsUnscoped(database.db, { applicationId: 'nope' }), false);
    assert.deepEqual(await staffPayments.toValidate(deps, staff.coordinator), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    assert.deepEqual(await staffPayments.validateOne(deps, staff.coordinator, id('PAY-A', 1)), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    const other = await staffPayments.toCollect(deps, staff.otherHead);
    assert.ok(other.ok);
    assert.deepEqual(other.rows, [], 'nor their amounts due');
    assert.deepEqual(await staffPayments.recordAtSchool(deps, staff.otherHead, id('PAY-A', 0), { method: 'cash', tenderedCents: 15_000, payerName: 'X' }), {
      ok: false,
      code: 'not_found',
      message: 'error.notFound.message',
    });
    assert.equal(await statusOf(database.db, id('PAY-A', 0)), 'awaiting_payment');
  });

  it('PAY-3 cash above the limit is refused with the limit, whatever is handed over; nothing recorded', async () => {
    await cameToConvocation(database.db, clock, id('PAY-C', 0), staff.head.id);
    assert.ok((await staffPayments.validateOne(deps, staff.head, id('PAY-C', 0))).ok);
    for (const tenderedCents of [35_000, 30_000]) {
      const refused = await staffPayments.recordAtSchool(deps, staff.head, id('PAY-C', 0), { method: 'cash', tenderedCents, payerName: 'Awa' });
      assert.deepEqual(refused, { ok: false, code: 'refused', message: 'pay.error.cashOverLimit', params: { limit: 30_000 } });
    }
    assert.equal(await statusOf(database.db, id('PAY-C', 0)), 'awaiting_payment');
    assert.equal((await livePaymentOf(database.db, id('PAY-C', 0))).status, 'due');
  });

  it('PAY-3 cash is taken with exact change: a different amount is refused, the exact one enrols', async () => {
    await cameToConvocation(database.db, clock, id('PAY-A', 2), staff.head.id);
    assert.ok((await staffPayments.validateOne(deps, staff.head, id('PAY-A', 2))).ok);
    for (const tenderedCents of [20_000, 14_999]) {
      assert.deepEqual(await staffPayments.recordAtSchool(deps, staff.head, id('PAY-A', 2), { method: 'cash', tenderedCents, payerName: 'Awa' }), {
        ok: false,
        code: 'refused',
        message: 'pay.error.cashNotExact',
      });
    }
    assert.equal(await statusOf(database.db, id('PAY-A', 2)), 'awaiting_payment');
    const paid = await staffPayments.recordAtSchool(deps, staff.head, id('PAY-A', 2), { method: 'cash', tenderedCents: 15_000, payerName: 'Awa Diallo' });
    assert.ok(paid.ok);
    assert.deepEqual([paid.payment.status, paid.payment.method, paid.payment.cashTenderedCents, paid.payment.recordedBy], ['paid', 'cash', 15_000, staff.head.id]);
    assert.equal(await statusOf(database.db, id('PAY-A', 2)), 'enrolled');
  });

  it('PAY-3 PAY-7 a cheque recorded by the school head enrols the learner, names the payer, and leaves "to collect"', async () => {
    const done = await staffPayments.recordAtSchool(deps, staff.head, id('PAY-C', 0), { method: 'cheque', chequeNumber: '0123456', bank: 'La Banque Postale', payerName: 'CCAS du 11e' });
    assert.ok(done.ok, JSON.stringify(done));
    assert.deepEqual(
      [done.payment.status, done.payment.method, done.payment.chequeNumber, done.payment.chequeBank, done.payment.payerName, done.payment.amountCents],
      ['paid', 'cheque', '0123456', 'La Banque Postale', 'CCAS du 11e', 35_000],
    );
    assert.equal(await statusOf(database.db, id('PAY-C', 0)), 'enrolled');
    const [email] = await emailsTo(database.db, made['PAY-C'][0].email);
    assert.match(email.subject, /Paiement reçu/);
    const collect = await staffPayments.toCollect(deps, staff.head);
    assert.ok(collect.ok && !collect.rows.some((r) => r.application.id === id('PAY-C', 0)));
    assert.deepEqual(await staffPayments.recordAtSchool(deps, staff.head, id('PAY-C', 0), { method: 'cheque', chequeNumber: '1', bank: 'B', payerName: 'P' }), {
      ok: false,
      code: 'refused',
      message: 'sel.error.stale',
    });
  });

  it('PAY-3 two school heads recording a payment for the same application at once: one payment, one enrolment', async () => {
    await cameToConvocation(database.db, clock, id('PAY-A', 3), staff.head.id);
    assert.ok((await staffPayments.validateOne(deps, staff.head, id('PAY-A', 3))).ok);
    const pools = [connect(database.url, { max: 3 }), connect(database.url, { max: 3 })];
    try {
      const results = await Promise.all([
        staffPayments.recordAtSchool({ ...deps, db: pools[0].db }, staff.head, id('PAY-A', 3), { method: 'cheque', chequeNumber: '1111111', bank: 'Banque A', payerName: 'Payeur A' }),
        staffPayments.recordAtSchool({ ...deps, db: pools[1].db }, staff.secondHead, id('PAY-A', 3), { method: 'cash', tenderedCents: 15_000, payerName: 'Payeur B' }),
      ]);
      assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
      assert.equal(results.filter((r) => !r.ok && r.code === 'refused').length, 1);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    const rows = await paymentsOf(database.db, id('PAY-A', 3));
    assert.deepEqual(rows.map((r) => r.status), ['paid'], 'one payment');
    const enrolments = await database.db
      .select()
      .from(applicationEvents)
      .where(and(eq(applicationEvents.applicationId, id('PAY-A', 3)), eq(applicationEvents.toStatus, 'enrolled')));
    assert.equal(enrolments.length, 1, 'one enrolment');
    const received = (await emailsTo(database.db, made['PAY-A'][3].email)).filter((e) => /Paiement reçu/.test(e.subject));
    assert.equal(received.length, 1, 'one email');
  });

  it('PAY-1 validate all those who came: once the first meeting has passed, every accepted learner of the session in one go', async () => {
    const before = await rowsOf(staff.head);
    const waiting = [...before.values()].filter((r) => r.session === 'PAY-A');
    assert.ok(waiting.every((r) => r.refusal === (r.attendance === 'present' ? null : 'pay.error.notAttended')));
    clock.set(parisInstant(firstMeeting, '21:00'));
    const after = [...(await rowsOf(staff.head)).values()].filter((r) => r.session === 'PAY-A');
    assert.ok(after.every((r) => r.firstMeetingPassed && r.refusal === null));
    const list = await staffPayments.toValidate(deps, staff.head);
    assert.ok(list.ok);
    assert.equal(list.groups.find((g) => g.session.code === 'PAY-A')!.ready, after.length);
    assert.deepEqual(await staffPayments.validateAllWhoCame(deps, staff.head, 'PAY-A'), { ok: true, validated: after.length });
    for (const r of after) assert.equal(await statusOf(database.db, r.application.id), 'awaiting_payment');
    assert.equal([...(await rowsOf(staff.head)).values()].filter((r) => r.session === 'PAY-A').length, 0);
    assert.deepEqual(await staffPayments.validateAllWhoCame(deps, staff.head, 'PAY-A'), { ok: true, validated: 0 }, 'again: nothing more');
    assert.deepEqual(await staffPayments.validateAllWhoCame(deps, staff.head, 'NOPE'), { ok: false, code: 'not_found', message: 'error.notFound.message' });
  });

  it('PAY-1 SEL-8 the place of an unpaid enrolment is released only once overdue and reminded', async () => {
    const app = id('PAY-A', 0);
    const payment = await livePaymentOf(database.db, app);
    assert.deepEqual(await staffPayments.releasePlace(deps, staff.head, app), { ok: false, code: 'refused', message: 'pay.error.notOverdue' });
    clock.set(parisInstant(addDays(payment.dueOn, 1), '08:00'));
    assert.deepEqual(await staffPayments.releasePlace(deps, staff.head, app), { ok: false, code: 'refused', message: 'pay.error.notReminded' });
    let collect = await staffPayments.toCollect(deps, staff.head);
    assert.ok(collect.ok);
    let row = collect.rows.find((r) => r.application.id === app)!;
    assert.deepEqual([row.overdue, row.payment.remindedAt, row.mayRelease, row.mayRecord], [true, null, false, true]);
    assert.equal(await statusOf(database.db, app), 'awaiting_payment');
    assert.equal(await remindUnpaid(deps, payment.id), true);
    collect = await staffPayments.toCollect(deps, staff.head);
    assert.ok(collect.ok);
    row = collect.rows.find((r) => r.application.id === app)!;
    assert.ok(row.payment.remindedAt && row.mayRelease);
    assert.deepEqual(await staffPayments.releasePlace(deps, staff.otherHead, app), { ok: false, code: 'not_found', message: 'error.notFound.message' }, 'out of scope');
    assert.deepEqual(await staffPayments.releasePlace(deps, staff.head, app), { ok: true });
    assert.equal(await statusOf(database.db, app), 'removed');
    assert.deepEqual((await paymentsOf(database.db, app)).map((p) => p.status), ['cancelled']);
    const [email] = await emailsTo(database.db, made['PAY-A'][0].email);
    assert.match(email.subject, /Votre place a été libérée/);
  });

  it('the payments received: per period, school and method, in scope, with totals in cents', async () => {
    const all = await staffPayments.paymentsReport(deps, staff.head, { from: '2026-01-01', to: '2027-12-31' });
    assert.ok(all.ok);
    // PAY-A 2 (cash), PAY-C 0 (cheque), PAY-A 3 (one of two).
    assert.equal(all.total.count, 3);
    assert.equal(all.total.cents, 15_000 + 35_000 + 15_000);
    assert.equal(all.byMethod.cheque.count + all.byMethod.cash.count, 3);
    assert.equal(all.byMethod.online.count, 0);
    assert.deepEqual(all.schools.map((s) => s.name), ['École test']);
    const cheques = await staffPayments.paymentsReport(deps, staff.head, { from: '2026-01-01', to: '2027-12-31', method: 'cheque' });
    assert.ok(cheques.ok && cheques.rows.every((r) => r.payment.method === 'cheque') && cheques.rows.some((r) => r.payment.applicationId === id('PAY-C', 0)));
    const none = await staffPayments.paymentsReport(deps, staff.head, { from: '2025-01-01', to: '2025-12-31' });
    assert.ok(none.ok && none.total.count === 0 && none.total.cents === 0);
    const other = await staffPayments.paymentsReport(deps, staff.otherHead, { from: '2026-01-01', to: '2027-12-31' });
    assert.ok(other.ok && other.total.count === 0, 'another school’s head sees none of them');
    const otherSchool = await staffPayments.paymentsReport(deps, staff.admin, { from: '2026-01-01', to: '2027-12-31', schoolId: other.schools[0].id });
    assert.ok(otherSchool.ok && otherSchool.total.count === 0, 'the administrator, filtered on the other school');
    const admin = await staffPayments.paymentsReport(deps, staff.admin, { from: '2026-01-01', to: '2027-12-31' });
    assert.ok(admin.ok && admin.total.count === 3 && admin.schools.length === 2);
    const coordinator = await staffPayments.paymentsReport(deps, staff.coordinator, { from: '2026-01-01', to: '2027-12-31' });
    assert.ok(coordinator.ok && coordinator.total.count === 3);
    assert.deepEqual(await staffPayments.paymentsReport(deps, staff.trainer, {}), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    const month = await staffPayments.paymentsReport(deps, staff.head, {});
    assert.ok(month.ok);
    assert.equal(month.filters.from.slice(8), '01', 'by default, this month so far');
  });

  it('PAY-2 a flagged online attempt is listed in scope and filed once with a note, audited', async () => {
    const payment = await livePaymentOf(database.db, id('PAY-A', 4));
    const now = clock.now();
    const [attempt] = await database.db
      .insert(paymentAttempts)
      .values({
        paymentId: payment.id,
        provider: 'payfip',
        idOp: 'IDOP-LATE-1',
        amountCents: payment.amountCents,
        status: 'paid',
        createdAt: now,
        expiresAt: now,
        payerEmail: made['PAY-A'][4].email,
        result: { resultrans: 'P', numauto: '123456', montant: '15000' },
        flag: 'late_success',
        flaggedAt: now,
      })
      .returning();
    const listed = await staffPayments.flaggedAttempts(deps, staff.head);
    assert.ok(listed.ok);
    assert.deepEqual(listed.rows.map((r) => [r.attempt.id, r.attempt.flag, r.payment.reference]), [[attempt.id, 'late_success', payment.reference]]);
    const other = await staffPayments.flaggedAttempts(deps, staff.otherHead);
    assert.ok(other.ok && other.rows.length === 0);
    assert.deepEqual(await staffPayments.clearAttemptFlag(deps, staff.otherHead, attempt.id, 'Vu'), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    assert.equal(await staffPayments.existsUnscoped(database.db, { attemptId: attempt.id }), true);
    assert.deepEqual(await staffPayments.clearAttemptFlag(deps, staff.trainer, attempt.id, 'Vu'), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    assert.deepEqual(await staffPayments.clearAttemptFlag(deps, staff.coordinator, attempt.id, 'Remboursé par la régie le 12/10.'), { ok: true });
    assert.deepEqual(await staffPayments.clearAttemptFlag(deps, staff.head, attempt.id, 'Encore'), { ok: false, code: 'refused', message: 'pay.staff.flags.alreadyCleared' });
    const [row] = await database.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attempt.id));
    assert.deepEqual([row.flagClearedBy, row.flagNote], [staff.coordinator.id, 'Remboursé par la régie le 12/10.']);
    const after = await staffPayments.flaggedAttempts(deps, staff.head);
    assert.ok(after.ok && after.rows.length === 0);
    const audited = await database.db.select().from(auditLog).where(inArray(auditLog.action, ['payment.flag.cleared']));
    assert.equal(audited.length, 1);
    assert.equal(audited[0].actorId, staff.coordinator.id);
  });
});
