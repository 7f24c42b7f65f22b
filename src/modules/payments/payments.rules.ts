import { randomInt } from 'node:crypto';
import { attemptStatuses, refundReasons, type AttemptFlag, type AttemptStatus, type NonRefundableReason, type PaymentStatus, type Rate, type RefundReason, type RefundStatus } from '../../domain/vocabulary';
import type { AttemptDetails } from './provider';

/**
 * Pure payment rules (SPEC PAY): the amount due, its due date, the payment reference, the cash
 * desk's limit, the refund windows, and what an online attempt's result does. No I/O.
 */

/** PAY-5, PAY-6: the course's full or half rate, whatever the day the learner starts. */
export function amountDue(course: { fullRateCents: number; halfRateCents: number }, rate: Rate): number {
  return rate === 'half' ? course.halfRateCents : course.fullRateCents;
}

const DAY = 86_400_000;
export const addDays = (isoDay: string, days: number): string => new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

/**
 * PAY-1: fees are paid between the first and the second meeting: the due date is the session's
 * second meeting (its only one for a one-meeting session). Validated late (after it, or less than
 * `minimumDays` before it), the learner still gets `minimumDays` to pay.
 */
export function dueDate(meetings: readonly { date: string }[], today: string, minimumDays = 7): string {
  const days = [...new Set(meetings.map((m) => m.date))].sort();
  const second = days[1] ?? days[0] ?? today;
  const earliest = addDays(today, minimumDays);
  return second > earliest ? second : earliest;
}

/** The alphabet of payment references: upper-case letters and digits (PayFiP's refdet). */
const referenceAlphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** PAY-2, PAY-11: an amount due's reference, `C` + the year + 12 random characters (≤ 30, PayFiP's refdet). */
export function newReference(year: number, random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < 12; i++) code += referenceAlphabet[random(referenceAlphabet.length)];
  return `C${year % 100}${code}`;
}

/** PAY-3: cash up to the policy's limit, with exact change; a cheque has its number, bank and payer. */
export type SchoolPayment =
  | { method: 'cash'; tenderedCents: number; payerName: string }
  | { method: 'cheque'; chequeNumber: string; bank: string; payerName: string };

export type CashRefusal = 'over_limit' | 'not_exact';

export function checkCash(amountCents: number, tenderedCents: number, limitCents: number): CashRefusal | null {
  if (amountCents > limitCents) return 'over_limit';
  if (tenderedCents !== amountCents) return 'not_exact';
  return null;
}

/**
 * PAY-9: bodily accident, hospitalisation and a change of professional situation count within
 * `weeks` of the course start; every request comes within `weeks` of its event, and not before it.
 */
export type RefundWindowRefusal = 'event_in_future' | 'event_before_enrolment' | 'event_too_late' | 'request_too_late';

export function checkRefundWindow(input: { reason: RefundReason; eventOn: string; firstMeeting: string; today: string; weeks: number; enrolledOn: string }): RefundWindowRefusal | null {
  const { reason, eventOn, today, weeks } = input;
  if (eventOn > today) return 'event_in_future';
  const personal = refundNeedsProof(reason);
  if (personal && eventOn < addDays(input.enrolledOn, -weeks * 7)) return 'event_before_enrolment';
  if (personal && eventOn > addDays(input.firstMeeting, weeks * 7)) return 'event_too_late';
  if (today > addDays(eventOn, weeks * 7)) return 'request_too_late';
  return null;
}

/**
 * PAY-9: the three personal reasons (bodily accident, hospitalisation, change of professional
 * situation) come with a proof (the FAQ: "pour ces trois derniers motifs, la demande doit être
 * accompagnée d'un justificatif"); a session not opened and the service's own error do not.
 */
export function refundNeedsProof(reason: RefundReason): boolean {
  return reason === 'bodily_accident' || reason === 'hospitalisation' || reason === 'professional_change';
}

/** PAY-9: a reason that may give a refund; any other (late entry, early leaving…) is refused at once. */
export function isRefundReason(reason: RefundReason | NonRefundableReason): reason is RefundReason {
  return (refundReasons as readonly string[]).includes(reason);
}

export type RefundAmountRefusal = 'amount_zero' | 'amount_over_paid';

/** PAY-9: a refund gives back something, and never more than was paid. */
export function checkRefundAmount(amountCents: number, paidCents: number): RefundAmountRefusal | null {
  if (amountCents <= 0) return 'amount_zero';
  if (amountCents > paidCents) return 'amount_over_paid';
  return null;
}

export type RefundDateRefusal = 'refund_in_future' | 'refund_before_payment';

/** PAY-9: a refund is recorded once made: not on a day to come, nor before the payment it gives back. */
export function checkRefundedOn(refundedOn: string, paidOn: string, today: string): RefundDateRefusal | null {
  if (refundedOn > today) return 'refund_in_future';
  if (refundedOn < paidOn) return 'refund_before_payment';
  return null;
}

/** What settling an online attempt's result does (pretix's model: once, in one transaction). */
export interface Settlement {
  /** The attempt's new status (the same when nothing changes). */
  attempt: AttemptStatus;
  /** Record the payment and enrol the learner. */
  enrol: boolean;
  /** What staff must look at, if anything. */
  flag: AttemptFlag | null;
}

const terminal: readonly AttemptStatus[] = ['paid', 'abandoned', 'refused', 'expired', 'failed'];
export const isTerminal = (status: AttemptStatus) => terminal.includes(status);
/** PAY-2: the attempts still under way (not terminal): one may yet be paid. */
export const openAttemptStatuses: readonly AttemptStatus[] = attemptStatuses.filter((status) => !isTerminal(status));
/** PAY-1: a payment still to be made. */
export const unpaidStatuses: readonly PaymentStatus[] = ['due'];
/** PAY-9: a refund asked and not decided yet. */
export const undecidedRefundStatuses: readonly RefundStatus[] = ['requested'];

/** An attempt unanswered this long after its idOp expired is over (PayFiP answers P4 or P1 by then). */
export const EXPIRY_GRACE_MS = 30 * 60 * 1000;

/**
 * PAY-2: what the provider's answer about one attempt does, given the amount due and the attempt
 * as they are now (both locked by the caller). Idempotent: settling the same answer twice, or an
 * older answer after a newer one, changes nothing more. A success is never lost: it enrols the
 * learner when the amount is still due and matches (flagged `late_success` if the attempt had
 * been given up), and is flagged for staff otherwise.
 */
export function settle(input: {
  payment: { status: PaymentStatus; amountCents: number; attemptId: string | null };
  attempt: { id: string; status: AttemptStatus; expiresAt: Date };
  details: AttemptDetails;
  now: Date;
}): Settlement {
  const { payment, attempt, details, now } = input;
  const same: Settlement = { attempt: attempt.status, enrol: false, flag: null };
  switch (details.kind) {
    case 'paid': {
      if (attempt.status === 'paid') return same;
      if (payment.status === 'paid') return { attempt: 'paid', enrol: false, flag: payment.attemptId === attempt.id ? null : 'duplicate_success' };
      if (payment.status === 'cancelled') return { attempt: 'paid', enrol: false, flag: 'late_success' };
      if (details.amountCents !== payment.amountCents) return { attempt: 'paid', enrol: false, flag: 'amount_mismatch' };
      return { attempt: 'paid', enrol: true, flag: isTerminal(attempt.status) ? 'late_success' : null };
    }
    case 'abandoned':
    case 'refused':
      return isTerminal(attempt.status) ? same : { attempt: details.kind, enrol: false, flag: null };
    case 'expired':
      return isTerminal(attempt.status) ? same : { attempt: 'expired', enrol: false, flag: null };
    case 'not_yet':
    case 'unknown':
    case 'used':
      // Not an answer yet: still pending, unless the idOp is long past its life.
      if (isTerminal(attempt.status)) return same;
      return now.getTime() > attempt.expiresAt.getTime() + EXPIRY_GRACE_MS ? { attempt: 'expired', enrol: false, flag: null } : same;
  }
}

/** PAY-2: a double click on "Régler" reuses the attempt just made (its idOp is still fresh). */
export const REUSE_ATTEMPT_MS = 2 * 60 * 1000;

/** PAY-7: how long a third party's payment link lasts. */
export const PAYMENT_LINK_DAYS = 14;
