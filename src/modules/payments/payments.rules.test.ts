import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attemptStatuses, nonRefundableReasons, refundReasons, type AttemptStatus, type PaymentStatus, type RefundReason } from '../../domain/vocabulary';
import {
  addDays,
  amountDue,
  checkCash,
  checkRefundAmount,
  checkRefundedOn,
  checkRefundWindow,
  dueDate,
  EXPIRY_GRACE_MS,
  isRefundReason,
  isTerminal,
  newReference,
  refundNeedsProof,
  settle,
  type Settlement,
} from './payments.rules';
import type { AttemptDetails } from './provider';

describe('payment rules', () => {
  it('PAY-5 PAY-6 the amount due is the course’s full rate, or its half rate, in integer cents', () => {
    const course = { fullRateCents: 15_000, halfRateCents: 7_500 };
    assert.equal(amountDue(course, 'full'), 15_000);
    assert.equal(amountDue(course, 'half'), 7_500);
    // Whatever the start date: nothing else goes in.
    assert.equal(amountDue({ fullRateCents: 0, halfRateCents: 0 }, 'half'), 0);
  });

  it('addDays counts calendar days in ISO form, across months, years and leap days', () => {
    const cases: [string, number, string][] = [
      ['2026-09-30', 1, '2026-10-01'],
      ['2026-12-31', 1, '2027-01-01'],
      ['2028-02-28', 1, '2028-02-29'],
      ['2026-03-28', 2, '2026-03-30'], // over the change to summer time: still days
      ['2026-10-12', 28, '2026-11-09'],
      ['2026-10-12', -28, '2026-09-14'],
      ['2026-10-12', 0, '2026-10-12'],
    ];
    for (const [day, n, expected] of cases) assert.equal(addDays(day, n), expected, `${day} + ${n}`);
  });

  it('PAY-1 the due date is the second meeting, with at least a week to pay when validated late', () => {
    const meetings = (...days: string[]) => days.map((date) => ({ date }));
    const cases: [string, { date: string }[], string, number | undefined, string][] = [
      ['the second meeting', meetings('2026-10-05', '2026-10-12', '2026-10-19'), '2026-09-20', undefined, '2026-10-12'],
      ['meetings out of order and repeated (two slots a day)', meetings('2026-10-19', '2026-10-05', '2026-10-05', '2026-10-12'), '2026-09-20', undefined, '2026-10-12'],
      ['a one-meeting session: its only meeting', meetings('2026-10-05'), '2026-09-20', undefined, '2026-10-05'],
      ['no meeting known: a week from today', [], '2026-09-20', undefined, '2026-09-27'],
      ['validated after the second meeting: a week from today', meetings('2026-10-05', '2026-10-12'), '2026-10-20', undefined, '2026-10-27'],
      ['validated less than a week before it: a week from today', meetings('2026-10-05', '2026-10-12'), '2026-10-08', undefined, '2026-10-15'],
      ['exactly a week before it: the second meeting', meetings('2026-10-05', '2026-10-12'), '2026-10-05', undefined, '2026-10-12'],
      ['a day more than the minimum: the second meeting', meetings('2026-10-05', '2026-10-12'), '2026-10-04', undefined, '2026-10-12'],
      ['another minimum', meetings('2026-10-05', '2026-10-12'), '2026-10-05', 10, '2026-10-15'],
      ['no minimum', meetings('2026-10-05', '2026-10-12'), '2026-10-12', 0, '2026-10-12'],
    ];
    for (const [name, list, today, minimum, expected] of cases) assert.equal(dueDate(list, today, minimum), expected, name);
  });

  it('PAY-2 PAY-11 a payment reference is C, the year’s two last digits and 12 unambiguous characters: PayFiP’s refdet', () => {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const reference = newReference(2026);
      assert.match(reference, /^C26[A-HJ-NP-Z2-9]{12}$/);
      assert.ok(reference.length <= 30 && /^[A-Z0-9]{1,30}$/.test(reference), 'what the payments table and PayFiP accept');
      seen.add(reference);
    }
    assert.equal(seen.size, 500, 'random: no two alike');
    // The random source picks each character: its bounds are the alphabet's ends.
    assert.equal(newReference(2026, () => 0), 'C26AAAAAAAAAAAA');
    assert.equal(newReference(2027, (max) => max - 1), 'C27999999999999');
    let n = 0;
    assert.equal(newReference(2026, (max) => n++ % max), `C26${alphabet.slice(0, 12)}`);
    assert.ok(!/[IO01]/.test(alphabet), 'no I, O, 0 or 1 to misread');
  });

  it('PAY-3 cash up to the limit, with exact change; above the limit, refused whatever is handed', () => {
    const limit = 30_000;
    const cases: [string, number, number, ReturnType<typeof checkCash>][] = [
      ['exact change under the limit', 15_000, 15_000, null],
      ['exactly the limit, exact change', 30_000, 30_000, null],
      ['too little', 15_000, 14_999, 'not_exact'],
      ['too much: no change given', 15_000, 20_000, 'not_exact'],
      ['nothing handed', 15_000, 0, 'not_exact'],
      ['above the limit, exact change', 30_001, 30_001, 'over_limit'],
      ['above the limit, whatever is handed', 45_000, 30_000, 'over_limit'],
    ];
    for (const [name, amount, tendered, expected] of cases) assert.equal(checkCash(amount, tendered, limit), expected, name);
    assert.equal(checkCash(100, 100, 0), 'over_limit', 'a limit of 0: no cash at all');
  });

  describe('PAY-9 refund windows (checkRefundWindow)', () => {
    // The course starts on Monday 12 October 2026; the learner paid on the 13th; 4 weeks (the policy).
    const base = { firstMeeting: '2026-10-12', enrolledOn: '2026-10-13', weeks: 4 };
    const personal: RefundReason[] = ['bodily_accident', 'hospitalisation', 'professional_change'];
    const service: RefundReason[] = ['session_not_opened', 'enrolment_error'];
    const check = (reason: RefundReason, eventOn: string, today: string, weeks = 4) => checkRefundWindow({ ...base, reason, eventOn, today, weeks });

    it('PAY-9 an event today or in the last 4 weeks, within 4 weeks of the start, is in the window, for every reason', () => {
      for (const reason of refundReasons) {
        assert.equal(check(reason, '2026-10-20', '2026-10-20'), null, `${reason}: the event today`);
        assert.equal(check(reason, '2026-10-20', '2026-11-17'), null, `${reason}: exactly 4 weeks after the event`);
        assert.equal(check(reason, '2026-10-01', '2026-10-14'), null, `${reason}: before the start, after enrolling`);
      }
    });

    it('PAY-9 an event not yet happened is refused, for every reason', () => {
      for (const reason of refundReasons) assert.equal(check(reason, '2026-10-21', '2026-10-20'), 'event_in_future', reason);
    });

    it('PAY-9 every request comes within 4 weeks of its event: one day later, refused', () => {
      for (const reason of refundReasons) assert.equal(check(reason, '2026-10-20', '2026-11-18'), 'request_too_late', reason);
      // The session not opened: 4 weeks from the cancellation notified, not from the start.
      assert.equal(check('session_not_opened', '2026-10-05', '2026-11-02'), null);
      assert.equal(check('session_not_opened', '2026-10-05', '2026-11-03'), 'request_too_late');
    });

    it('PAY-9 an accident, a hospitalisation or a change of situation counts within 4 weeks of the course start, not after', () => {
      for (const reason of personal) {
        assert.equal(check(reason, '2026-11-09', '2026-11-10'), null, `${reason}: the 28th day after the start`);
        assert.equal(check(reason, '2026-11-10', '2026-11-10'), 'event_too_late', `${reason}: the 29th day`);
      }
      // The service's own reasons have no such limit: an enrolment error found in December.
      for (const reason of service) assert.equal(check(reason, '2026-12-01', '2026-12-10'), null, reason);
    });

    it('PAY-9 a personal event long before enrolling is no reason to refund it; the service’s reasons may come before', () => {
      for (const reason of personal) {
        assert.equal(check(reason, '2026-09-15', '2026-10-13'), null, `${reason}: 4 weeks before enrolling`);
        assert.equal(check(reason, '2026-09-14', '2026-10-13'), 'event_before_enrolment', `${reason}: 4 weeks and a day before`);
      }
      for (const reason of service) assert.equal(check(reason, '2026-09-20', '2026-10-13'), null, reason);
    });

    it('PAY-9 the window follows the policy’s weeks', () => {
      assert.equal(check('enrolment_error', '2026-10-20', '2026-10-20', 0), null, 'the same day');
      assert.equal(check('enrolment_error', '2026-10-20', '2026-10-21', 0), 'request_too_late');
      assert.equal(check('hospitalisation', '2026-11-20', '2026-11-25', 6), null, 'within 6 weeks of the start and of the event');
      assert.equal(check('hospitalisation', '2026-11-24', '2026-11-25', 6), 'event_too_late');
    });

    it('PAY-9 the refusals are checked in order: the future first, then the event, then the request', () => {
      assert.equal(check('bodily_accident', '2027-01-01', '2026-10-20'), 'event_in_future');
      assert.equal(check('bodily_accident', '2026-01-01', '2026-12-01'), 'event_before_enrolment', 'also too late to ask');
      assert.equal(check('bodily_accident', '2026-11-20', '2027-01-01'), 'event_too_late', 'also too late to ask');
    });
  });

  it('PAY-9 the three personal reasons need a proof; the service’s own reasons do not', () => {
    assert.deepEqual(
      refundReasons.filter((r) => refundNeedsProof(r)),
      ['bodily_accident', 'hospitalisation', 'professional_change'],
    );
  });

  it('PAY-9 late entry, early leaving, a cancelled meeting, the full rate and an exclusion are no refund reasons', () => {
    for (const reason of refundReasons) assert.equal(isRefundReason(reason), true, reason);
    for (const reason of nonRefundableReasons) assert.equal(isRefundReason(reason), false, reason);
    assert.ok(['late_entry', 'early_leaving', 'cancelled_meeting'].every((r) => (nonRefundableReasons as readonly string[]).includes(r)));
  });

  it('PAY-9 a refund gives back more than nothing, and at most what was paid', () => {
    const cases: [number, ReturnType<typeof checkRefundAmount>][] = [
      [15_000, null],
      [1, null],
      [7_550, null],
      [0, 'amount_zero'],
      [-100, 'amount_zero'],
      [15_001, 'amount_over_paid'],
      [Number.MAX_SAFE_INTEGER, 'amount_over_paid'],
    ];
    for (const [amount, expected] of cases) assert.equal(checkRefundAmount(amount, 15_000), expected, String(amount));
  });

  it('PAY-9 a refund is recorded once made: not on a day to come, nor before the payment', () => {
    const cases: [string, ReturnType<typeof checkRefundedOn>][] = [
      ['2026-10-20', null],
      ['2026-10-13', null],
      ['2026-11-02', null],
      ['2026-11-03', 'refund_in_future'],
      ['2026-10-12', 'refund_before_payment'],
    ];
    for (const [day, expected] of cases) assert.equal(checkRefundedOn(day, '2026-10-13', '2026-11-02'), expected, day);
  });

  describe('PAY-2 settling an online attempt’s answer (settle)', () => {
    const now = new Date('2026-10-13T10:00:00Z');
    const fresh = new Date(now.getTime() + 10 * 60_000);
    const long = new Date(now.getTime() - EXPIRY_GRACE_MS - 1);
    const paidAnswer = (amountCents = 15_000): AttemptDetails => ({ kind: 'paid', refdet: 'C26AAAA', amountCents, paidAt: now, transactionId: 'T1', raw: {} });
    const run = (payment: { status: PaymentStatus; amountCents?: number; attemptId?: string | null }, attempt: { status: AttemptStatus; expiresAt?: Date; id?: string }, details: AttemptDetails, at = now): Settlement =>
      settle({
        payment: { status: payment.status, amountCents: payment.amountCents ?? 15_000, attemptId: payment.attemptId ?? null },
        attempt: { id: attempt.id ?? 'a1', status: attempt.status, expiresAt: attempt.expiresAt ?? fresh },
        details,
        now: at,
      });
    const terminal = attemptStatuses.filter(isTerminal);
    const open = attemptStatuses.filter((s) => !isTerminal(s));

    it('PAY-2 the terminal statuses are paid, abandoned, refused, expired and failed; creating and pending are open', () => {
      assert.deepEqual(terminal, ['paid', 'abandoned', 'refused', 'expired', 'failed']);
      assert.deepEqual(open, ['creating', 'pending']);
    });

    it('PAY-2 a success for the amount still due enrols the learner, once', () => {
      for (const status of open) assert.deepEqual(run({ status: 'due' }, { status }, paidAnswer()), { attempt: 'paid', enrol: true, flag: null }, status);
      assert.deepEqual(run({ status: 'paid', attemptId: 'a1' }, { status: 'paid' }, paidAnswer()), { attempt: 'paid', enrol: false, flag: null }, 'settled twice: nothing more');
    });

    it('PAY-2 a success is never lost: for an attempt given up it still enrols, flagged late', () => {
      for (const status of ['abandoned', 'refused', 'expired', 'failed'] as const) assert.deepEqual(run({ status: 'due' }, { status }, paidAnswer()), { attempt: 'paid', enrol: true, flag: 'late_success' }, status);
    });

    it('PAY-2 a success for an amount already paid: the same attempt changes nothing, another is flagged a duplicate', () => {
      assert.deepEqual(run({ status: 'paid', attemptId: 'a1' }, { status: 'pending' }, paidAnswer()), { attempt: 'paid', enrol: false, flag: null });
      assert.deepEqual(run({ status: 'paid', attemptId: 'other' }, { status: 'pending' }, paidAnswer()), { attempt: 'paid', enrol: false, flag: 'duplicate_success' });
      assert.deepEqual(run({ status: 'paid', attemptId: null }, { status: 'expired' }, paidAnswer()), { attempt: 'paid', enrol: false, flag: 'duplicate_success' }, 'paid at school meanwhile');
    });

    it('PAY-2 a success for an amount no longer due (the application closed) is flagged, not applied', () => {
      assert.deepEqual(run({ status: 'cancelled' }, { status: 'pending' }, paidAnswer()), { attempt: 'paid', enrol: false, flag: 'late_success' });
    });

    it('PAY-2 a success of another amount than the one due is flagged, not applied', () => {
      assert.deepEqual(run({ status: 'due' }, { status: 'pending' }, paidAnswer(14_999)), { attempt: 'paid', enrol: false, flag: 'amount_mismatch' });
    });

    it('PAY-2 abandoned or refused closes an open attempt; a settled one stays as it is', () => {
      for (const kind of ['abandoned', 'refused'] as const) {
        const details: AttemptDetails = { kind, refdet: 'C26AAAA', amountCents: 15_000, raw: {} };
        for (const status of open) assert.deepEqual(run({ status: 'due' }, { status }, details), { attempt: kind, enrol: false, flag: null }, `${kind} ${status}`);
        for (const status of terminal) assert.deepEqual(run({ status: 'due' }, { status }, details), { attempt: status, enrol: false, flag: null }, `${kind} after ${status}`);
      }
    });

    it('PAY-2 expired (P4) closes an open attempt; a settled one stays as it is', () => {
      for (const status of open) assert.deepEqual(run({ status: 'due' }, { status }, { kind: 'expired' }), { attempt: 'expired', enrol: false, flag: null }, status);
      for (const status of terminal) assert.deepEqual(run({ status: 'due' }, { status }, { kind: 'expired' }), { attempt: status, enrol: false, flag: null }, status);
    });

    it('PAY-2 not known yet, unknown or used is no answer: pending until the idOp is long expired', () => {
      for (const kind of ['not_yet', 'unknown', 'used'] as const) {
        for (const status of open) {
          assert.deepEqual(run({ status: 'due' }, { status, expiresAt: fresh }, { kind }), { attempt: status, enrol: false, flag: null }, `${kind} ${status}: still open`);
          const edge = new Date(now.getTime() - EXPIRY_GRACE_MS);
          assert.deepEqual(run({ status: 'due' }, { status, expiresAt: edge }, { kind }), { attempt: status, enrol: false, flag: null }, `${kind} ${status}: exactly the grace`);
          assert.deepEqual(run({ status: 'due' }, { status, expiresAt: long }, { kind }), { attempt: 'expired', enrol: false, flag: null }, `${kind} ${status}: past the grace`);
        }
        for (const status of terminal) assert.deepEqual(run({ status: 'due' }, { status, expiresAt: long }, { kind }), { attempt: status, enrol: false, flag: null }, `${kind} after ${status}`);
      }
    });
  });
});
