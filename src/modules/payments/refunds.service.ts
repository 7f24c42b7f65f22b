import { revokeDocuments } from '../documents';
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { NonRefundableReason, RefundMethod, RefundReason } from '../../domain/vocabulary';
import { audit, traceFileViewed } from '../../platform/audit';
import { checkFileContent, readStoredFile, storedFileInfo, storeFile, type FileRefusal, type StoredFile } from '../../platform/files';
import type { MessageKey, Translator } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getPolicies, uploadMaxBytes } from '../../platform/policies';
import { money } from '../../ui/format';
import { getUser, getUsers, learnerNames, lockUser, parisDay, tellLearner, type LearnerMessage, type User } from '../accounts';
import { applicationById, refusal, roleMay, transition, type Action, type Actor, type Application, type ApplicationDeps, type Facts } from '../applications';
import { sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { scopeOf } from '../scopes';
import { addDays, checkRefundAmount, checkRefundedOn, checkRefundWindow, isRefundReason, refundNeedsProof } from './payments.rules';
import { livePayment, type Payment, type Staff } from './payments.service';
import { payments, refunds } from './payments.table';

/**
 * Refunds (SPEC PAY-9, APP-8): the learner asks, from their account, for the refund of an
 * enrolment they paid, with one of the reasons the FAQ accepts and within its windows; the
 * central service (coordinators, administrators, in their scope) grants or refuses it. PayFiP
 * has no refund operation: a refund granted is a record of what the cash office paid back (amount,
 * day, method, reference, who), never a provider call. A grant while enrolled ends the enrolment
 * through the lifecycle's `refundWithdrawal`, which gives the place to the waiting list. The
 * learner is emailed the decision in their language.
 *
 * Locks, as on every path that changes an application: learner → application → payment → refund.
 */

export type Refund = typeof refunds.$inferSelect;
/** What a proof file is (type, size, name), without its bytes. */
export type ProofFileInfo = Pick<StoredFile, 'mediaType' | 'size' | 'originalName'>;
/** What stored files of refund proofs are for (`stored_files.purpose`). */
export const REFUND_PROOF_PURPOSE = 'refund_proof';
/** Refunds need no payment provider: nothing is asked of PayFiP. */
export type RefundDeps = ApplicationDeps;

/** A parameter of a message, formatted in the reader's language where it is shown. */
export type LazyParam = string | number | ((t: Translator) => string);
export type RefundField = 'reason' | 'eventOn' | 'explanation' | 'proof' | 'proofFile' | 'amount' | 'refundedOn' | 'method' | 'reference' | 'note';
export type RefundFailure = {
  ok: false;
  code: 'not_found' | 'forbidden' | 'refused' | 'conflict';
  message: MessageKey;
  /** The form field the message goes next to, when it is about one. */
  field?: RefundField;
  params?: Record<string, LazyParam>;
};

const failure = (code: RefundFailure['code'], message: MessageKey, more: { field?: RefundField; params?: Record<string, LazyParam> } = {}): RefundFailure => ({ ok: false, code, message, ...more });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

const fileRefused = (refusal: FileRefusal) => failure('refused', refusal.message, { field: 'proofFile', ...(refusal.params ? { params: refusal.params } : {}) });

/** The descriptions of the proof files of these refunds, by file id. */
async function proofFilesOf(db: DbOrTx, list: Refund[]): Promise<Map<string, ProofFileInfo>> {
  const files = await storedFileInfo(db, list.flatMap((r) => (r.proofFileId ? [r.proofFileId] : [])));
  return new Map([...files].map(([id, f]) => [id, { mediaType: f.mediaType, size: f.size, originalName: f.originalName }]));
}

const amountText = (cents: number) => (t: Translator) => money(t, cents);
const dayText = (day: string) => (t: Translator) => t.date(day, 'date');

/** Formats the lazy parameters of a failure for one reader. */
export function resolveParams(t: Translator, params: Record<string, LazyParam> | undefined): Record<string, string | number> | undefined {
  if (!params) return undefined;
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, typeof value === 'function' ? value(t) : value]));
}

/** An ISO day that exists (2026-10-14). */
function isDay(value: string): boolean {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  return day !== null && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

async function sessionOf(db: DbOrTx, sessionId: number): Promise<SessionForApplication> {
  const [session] = await sessionsForApplications(db, { ids: [sessionId] });
  return session;
}

async function refundsOfPayment(db: DbOrTx, paymentId: string): Promise<Refund[]> {
  return db.select().from(refunds).where(eq(refunds.paymentId, paymentId)).orderBy(desc(refunds.requestedAt));
}

/**
 * The lifecycle's guard (role, status, PAY-9 "paid"): a payment received counts as paid here;
 * one already refunded is told apart by the open-or-granted check, with its own message.
 */
function lifecycleRefusal(action: Action, application: Application, session: SessionForApplication, payment: Payment | null, role: Actor['role'], now: Date): RefundFailure | null {
  const facts: Facts = { status: application.status, period: session.period, paid: payment?.status === 'paid' };
  const no = refusal(action, facts, { role, now });
  if (!no) return null;
  if (no.code === 'role') return forbidden;
  return failure('refused', no.message);
}

/** What stops a new request for this payment: one open, or a refund already granted. */
function blockedBy(existing: Refund[]): RefundFailure | null {
  const live = existing.find((r) => r.status !== 'refused');
  if (!live) return null;
  return failure('conflict', live.status === 'granted' ? 'refund.error.granted' : 'refund.error.open');
}

/** The learner's refund page: their paid enrolment, their requests and their outcomes, whether they may ask. */
export interface LearnerRefunds {
  application: Application;
  session: SessionForApplication;
  /** The payment received, if any. */
  payment: Payment | null;
  refunds: Refund[];
  /** The proof files sent with these requests, by file id. */
  proofFiles: Map<string, ProofFileInfo>;
  /** Null when a request may be made now; else why not. */
  blocked: MessageKey | null;
  windowWeeks: number;
  /** The size policy of a proof file. */
  maxMegabytes: number;
}

/** PAY-9: the learner's own enrolment only (another's is "not found"). */
export async function learnerRefunds(deps: Pick<RefundDeps, 'db' | 'clock'>, learnerId: string, applicationId: string): Promise<LearnerRefunds | null> {
  const application = await applicationById(deps.db, applicationId);
  if (!application || application.learnerId !== learnerId) return null;
  const session = await sessionOf(deps.db, application.sessionId);
  const live = await livePayment(deps.db, applicationId);
  const payment = live?.status === 'paid' ? live : null;
  const list = payment ? await refundsOfPayment(deps.db, payment.id) : [];
  const no = payment ? (lifecycleRefusal('requestRefund', application, session, payment, 'learner', deps.clock.now()) ?? blockedBy(list)) : failure('refused', 'pay.error.notPaid');
  const policies = await getPolicies(deps.db);
  const proofFiles = await proofFilesOf(deps.db, list);
  return { application, session, payment, refunds: list, proofFiles, blocked: no?.message ?? null, windowWeeks: policies.refundWindowWeeks, maxMegabytes: policies.uploadMaxMegabytes };
}

export interface RefundRequest {
  reason: RefundReason | NonRefundableReason;
  /** ISO day of the event. */
  eventOn: string;
  explanation: string;
  /** The learner commits to handing in the proof on paper (for the three personal reasons, without a file). */
  proofPromised: boolean;
  /** The proof as uploaded: stored with the request (PDF, JPEG or PNG by its content, within the size policy). */
  proofFile?: { name: string; data: Buffer } | null;
}

/**
 * PAY-9: the learner asks for the refund of their own paid enrolment (enrolled, or since withdrawn
 * or removed). Refused, with nothing stored: a reason the FAQ refuses (late entry, early leaving,
 * an occasional cancelled meeting, the full rate, an exclusion), a personal reason without the
 * proof (neither a file nor the commitment to hand it in), a proof file that is empty, too large or
 * not a PDF, JPEG or PNG by its content, an event outside the windows (`checkRefundWindow`: the
 * policy's weeks), and a second request while one is open or after one was granted (one per
 * payment, also a partial unique index). Another learner's enrolment is "not found". The file is
 * stored (owned by the learner) in the request's transaction, once nothing refuses it.
 */
export async function requestRefund(deps: RefundDeps, learnerId: string, applicationId: string, input: RefundRequest): Promise<{ ok: true; refund: Refund } | RefundFailure> {
  const found = await applicationById(deps.db, applicationId);
  if (!found || found.learnerId !== learnerId) return notFound;
  const reason = input.reason;
  if (!isRefundReason(reason)) return failure('refused', `refund.nonRefundable.${reason}`, { field: 'reason' });
  // What the form's schema already makes sure of, for any other caller: the table's checks never fail.
  if (!isDay(input.eventOn)) return failure('refused', 'refund.error.date', { field: 'eventOn' });
  const explanation = input.explanation.trim();
  if (explanation.length < 1 || explanation.length > 2000) return failure('refused', 'refund.error.explanation', { field: 'explanation' });
  const policies = await getPolicies(deps.db);
  const weeks = policies.refundWindowWeeks;
  const maxBytes = uploadMaxBytes(policies);
  const proofFile = input.proofFile ?? null;
  // The content is checked before any lock; storeFile checks it again where it writes.
  if (proofFile) {
    const content = await checkFileContent(proofFile.data, maxBytes);
    if (!content.ok) return fileRefused(content);
  }
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, learnerId);
    const application = (await applicationById(tx, applicationId, { lock: true }))!;
    const live = await livePayment(tx, applicationId, { lock: true });
    const payment = live?.status === 'paid' ? live : null;
    const session = await sessionOf(tx, application.sessionId);
    const now = deps.clock.now();
    // Nothing received (not yet validated, not yet paid, closed unpaid): say so, not the status.
    if (!payment) return failure('refused', 'pay.error.notPaid');
    const no = lifecycleRefusal('requestRefund', application, session, payment, 'learner', now);
    if (no) return no;
    const blocked = blockedBy(await refundsOfPayment(tx, payment.id));
    if (blocked) return blocked;
    if (refundNeedsProof(reason) && !input.proofPromised && !proofFile) return failure('refused', 'refund.error.proof', { field: 'proof' });
    const today = parisDay(now);
    const enrolledOn = parisDay(payment.paidAt!);
    const window = checkRefundWindow({ reason, eventOn: input.eventOn, firstMeeting: session.firstMeeting, today, weeks, enrolledOn });
    if (window) {
      const last = window === 'event_too_late' ? addDays(session.firstMeeting, weeks * 7) : addDays(input.eventOn, weeks * 7);
      return failure('refused', `refund.error.${window}`, { field: 'eventOn', params: { weeks, start: dayText(session.firstMeeting), last: dayText(last), enrolled: dayText(enrolledOn) } });
    }
    // Last, once nothing refuses the request: a refusal stores no file (a failure returned here commits).
    let proofFileId: string | null = null;
    if (proofFile) {
      const stored = await storeFile(tx, deps.clock, { purpose: REFUND_PROOF_PURPOSE, ownerId: learnerId, name: proofFile.name, data: proofFile.data }, { maxBytes });
      if (!stored.ok) return fileRefused(stored);
      proofFileId = stored.file.id;
    }
    const [refund] = await tx
      .insert(refunds)
      .values({
        paymentId: payment.id,
        reason,
        eventOn: input.eventOn,
        explanation,
        proofFileId,
        requestedAt: now,
        requestedBy: learnerId,
      })
      .returning();
    await audit(tx, deps.clock, { action: 'refund.requested', actorId: learnerId, subjectId: application.id, data: { refundId: refund.id, reason, eventOn: input.eventOn, proofFileId } });
    return { ok: true as const, refund };
  });
}

/** One row of staff's list. */
export interface RefundRow {
  refund: Refund;
  payment: Payment;
  session: SessionForApplication;
  learnerName: string;
}

/** The ids of the sessions in a staff member's scope (null: all of them). */
async function scopedSessionIds(db: DbOrTx, staff: Staff): Promise<number[] | null> {
  const scope = await scopeOf(db, staff);
  if (scope.all) return null;
  return (await sessionsInScope(db, scope)).map((s) => s.id);
}

/**
 * PAY-9: the refund requests of the enrolments in the staff member's scope (the scope is part of
 * the query), open ones first (the oldest first), then the decided ones (the latest first).
 */
export async function listRefunds(db: DbOrTx, staff: Staff, options: { limit?: number } = {}): Promise<RefundRow[]> {
  if (!roleMay(staff.role, 'decideRefund')) return [];
  const inScope = await scopedSessionIds(db, staff);
  if (inScope?.length === 0) return [];
  const rows = await db
    .select({ refund: refunds, payment: payments })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(inScope ? inArray(payments.sessionId, inScope) : undefined)
    .orderBy(sql`${refunds.status} <> 'requested'`, sql`case when ${refunds.status} = 'requested' then ${refunds.requestedAt} end asc`, desc(refunds.decidedAt), desc(refunds.requestedAt))
    .limit(options.limit ?? 500);
  const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(rows.map((r) => r.payment.sessionId))] })).map((s) => [s.id, s]));
  const names = await learnerNames(db, [...new Set(rows.map((r) => r.payment.learnerId))]);
  return rows.map((r) => ({ ...r, session: sessions.get(r.payment.sessionId)!, learnerName: names.get(r.payment.learnerId) ?? '' }));
}

/** A refund of an enrolment in the staff member's scope, with its payment; null otherwise. */
async function refundInScope(db: DbOrTx, staff: Staff, refundId: string): Promise<{ refund: Refund; payment: Payment } | null> {
  if (!isUuid(refundId)) return null;
  const [row] = await db.select({ refund: refunds, payment: payments }).from(refunds).innerJoin(payments, eq(payments.id, refunds.paymentId)).where(eq(refunds.id, refundId));
  if (!row) return null;
  const inScope = await scopedSessionIds(db, staff);
  return !inScope || inScope.includes(row.payment.sessionId) ? row : null;
}

/** Staff's page of one request: the enrolment, the payment, the request, and the decision or its forms. */
export interface StaffRefund extends RefundRow {
  application: Application;
  learnerEmail: string;
  /** Who decided, by name. */
  decidedByName: string | null;
  /** The request is open and this person may decide it. */
  mayDecide: boolean;
  /** SVC-2: a refund granted, still to be paid back: this person may record the cash office's refund. */
  mayRecordPaid: boolean;
  /** A grant ends the enrolment (the learner is still enrolled). */
  endsEnrolment: boolean;
  /** The reason is one that comes with a proof. */
  proofAsked: boolean;
  /** The proof file sent with the request, if any. */
  proofFile: ProofFileInfo | null;
}

export async function refundForStaff(deps: Pick<RefundDeps, 'db' | 'clock'>, staff: Staff, refundId: string): Promise<StaffRefund | null> {
  if (!roleMay(staff.role, 'decideRefund')) return null;
  const found = await refundInScope(deps.db, staff, refundId);
  if (!found) return null;
  const { refund, payment } = found;
  await traceFileViewed(deps.db, deps.clock, { staffId: staff.id, learnerId: payment.learnerId, page: 'refund' }); // ACC-11
  const application = (await applicationById(deps.db, payment.applicationId))!;
  const session = await sessionOf(deps.db, payment.sessionId);
  const ids = [payment.learnerId, ...(refund.decidedBy ? [refund.decidedBy] : [])];
  const [names, users, files] = await Promise.all([learnerNames(deps.db, [payment.learnerId]), getUsers(deps.db, ids), proofFilesOf(deps.db, [refund])]);
  const decider = refund.decidedBy ? users.get(refund.decidedBy) : undefined;
  const may = refund.status === 'requested' && lifecycleRefusal('decideRefund', application, session, payment, staff.role, deps.clock.now()) === null;
  return {
    refund,
    payment,
    session,
    application,
    learnerName: names.get(payment.learnerId) ?? '',
    learnerEmail: users.get(payment.learnerId)?.email ?? '',
    decidedByName: decider ? (decider.displayName ?? decider.email) : null,
    mayDecide: may,
    mayRecordPaid: refund.status === 'granted' && refund.refundedOn === null,
    endsEnrolment: application.status === 'enrolled',
    proofAsked: refundNeedsProof(refund.reason),
    proofFile: refund.proofFileId ? (files.get(refund.proofFileId) ?? null) : null,
  };
}

/**
 * PAY-9: the proof file of a refund request, for those who decide refunds, in their scope (the
 * refund page's check); null otherwise, or when the request came without a file.
 */
export async function refundProofForStaff(db: DbOrTx, staff: Staff, refundId: string): Promise<{ file: StoredFile; data: Buffer } | null> {
  if (!roleMay(staff.role, 'decideRefund')) return null;
  const found = await refundInScope(db, staff, refundId);
  return found?.refund.proofFileId ? readStoredFile(db, found.refund.proofFileId) : null;
}

/** PAY-9: the proof file of one of the learner's own refund requests of this enrolment (another learner's is not found). */
export async function refundProofForLearner(db: DbOrTx, learnerId: string, applicationId: string, refundId: string): Promise<{ file: StoredFile; data: Buffer } | null> {
  if (!isUuid(applicationId) || !isUuid(refundId)) return null;
  const [row] = await db
    .select({ fileId: refunds.proofFileId })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(eq(refunds.id, refundId), eq(payments.applicationId, applicationId), eq(payments.learnerId, learnerId)));
  return row?.fileId ? readStoredFile(db, row.fileId) : null;
}

export type RefundDecision =
  | { grant: true; amountCents: number; refundedOn: string; method: RefundMethod; reference: string | null }
  | { grant: false; note: string };

/**
 * PAY-9, APP-8: a coordinator or an administrator, in their scope, decides an open request:
 * grants it (the amount, at most what was paid; the day refunded, not to come; the method and
 * reference: what the cash office did, PayFiP having no refund call) or refuses it with a reason.
 * A grant while enrolled ends the enrolment (`refundWithdrawal`: withdrawn, the place to the
 * waiting list); a refusal leaves it as it is. Who and when are kept, with an audit entry; the
 * learner is emailed the decision in their language. Errors: not_found (unknown, out of scope),
 * forbidden (a role that does not decide refunds), conflict (already decided), refused (a field).
 */
export async function decideRefund(deps: RefundDeps, staff: Staff, refundId: string, decision: RefundDecision): Promise<{ ok: true; refund: Refund; withdrawn: boolean } | RefundFailure> {
  if (!roleMay(staff.role, 'decideRefund')) return forbidden;
  const found = await refundInScope(deps.db, staff, refundId);
  if (!found) return notFound;
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, found.payment.learnerId);
    const application = (await applicationById(tx, found.payment.applicationId, { lock: true }))!;
    const [payment] = await tx.select().from(payments).where(eq(payments.id, found.payment.id)).for('update');
    const [refund] = await tx.select().from(refunds).where(eq(refunds.id, found.refund.id)).for('update');
    if (refund.status !== 'requested') return failure('conflict', 'refund.error.decided');
    const session = await sessionOf(tx, application.sessionId);
    const now = deps.clock.now();
    const no = lifecycleRefusal('decideRefund', application, session, payment, staff.role, now);
    if (no) return no;
    let decided: Refund;
    let withdrawn = false;
    if (decision.grant) {
      if (!Number.isSafeInteger(decision.amountCents)) return failure('refused', 'refund.error.amount', { field: 'amount' });
      if (!isDay(decision.refundedOn)) return failure('refused', 'refund.error.date', { field: 'refundedOn' });
      if ((decision.reference ?? '').length > 100) return failure('refused', 'refund.error.reference', { field: 'reference' });
      const amount = checkRefundAmount(decision.amountCents, payment.amountCents);
      if (amount) return failure('refused', `refund.error.${amount}`, { field: 'amount', params: { paid: amountText(payment.amountCents) } });
      const paidOn = parisDay(payment.paidAt!);
      const day = checkRefundedOn(decision.refundedOn, paidOn, parisDay(now));
      if (day) return failure('refused', `refund.error.${day}`, { field: 'refundedOn', params: { paidOn: dayText(paidOn) } });
      [decided] = await tx
        .update(refunds)
        .set({
          status: 'granted',
          decidedBy: staff.id,
          decidedAt: now,
          amountCents: decision.amountCents,
          refundedOn: decision.refundedOn,
          method: decision.method,
          refundReference: decision.reference || null,
        })
        .where(eq(refunds.id, refund.id))
        .returning();
      if (application.status === 'enrolled') {
        const done = await transition(tx, deps, { application, action: 'refundWithdrawal', actor: staff, session, facts: { paid: true }, reason: 'refund' });
        if (!done.ok) throw new Error(`refundWithdrawal refused after its check: ${done.code}`);
        withdrawn = true;
      }
      // PAY-10: what proved the payment no longer does: the public page says revoked.
      await revokeDocuments(tx, ['enrollee_card', 'payment_attestation'], application.id, 'doc.reason.refunded', deps.clock);
      await revokeDocuments(tx, ['receipt'], payment.id, 'doc.reason.refunded', deps.clock);
    } else {
      const note = decision.note.trim();
      if (note.length < 1 || note.length > 1000) return failure('refused', 'refund.error.note', { field: 'note' });
      [decided] = await tx.update(refunds).set({ status: 'refused', decidedBy: staff.id, decidedAt: now, decisionNote: note }).where(eq(refunds.id, refund.id)).returning();
    }
    await audit(tx, deps.clock, {
      action: decision.grant ? 'refund.granted' : 'refund.refused',
      actorId: staff.id,
      subjectId: application.id,
      data: decision.grant
        ? { refundId: refund.id, amountCents: decision.amountCents, refundedOn: decision.refundedOn, method: decision.method, reference: decision.reference || null, withdrawn }
        : { refundId: refund.id, note: decision.note },
    });
    await emailDecision(tx, deps, { user: await getUser(tx, payment.learnerId), session, applicationId: application.id, refund: decided, withdrawn });
    return { ok: true as const, refund: decided, withdrawn };
  });
}

/** What the cash office did: the day it paid the refund back, how, with which reference. */
export interface RefundPaid {
  refundedOn: string;
  method: RefundMethod;
  reference: string | null;
}

/**
 * SVC-2, PAY-9: a refund granted and still to be paid (a cancelled session's) is paid back by the
 * cash office; those who decide refunds, in their scope, record it — the day (not before the
 * payment, not to come), the method and the reference — and the learner is told it is refunded.
 * Errors: not_found (unknown, out of scope), forbidden (a role that does not decide refunds),
 * conflict (not granted, or already refunded), refused (a field).
 */
export async function recordRefundPaid(deps: RefundDeps, staff: Staff, refundId: string, paid: RefundPaid): Promise<{ ok: true; refund: Refund } | RefundFailure> {
  if (!roleMay(staff.role, 'decideRefund')) return forbidden;
  const found = await refundInScope(deps.db, staff, refundId);
  if (!found) return notFound;
  if (!isDay(paid.refundedOn)) return failure('refused', 'refund.error.date', { field: 'refundedOn' });
  if ((paid.reference ?? '').length > 100) return failure('refused', 'refund.error.reference', { field: 'reference' });
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, found.payment.learnerId);
    const [payment] = await tx.select().from(payments).where(eq(payments.id, found.payment.id)).for('update');
    const [refund] = await tx.select().from(refunds).where(eq(refunds.id, found.refund.id)).for('update');
    if (refund.status !== 'granted' || refund.refundedOn !== null) return failure('conflict', refund.status === 'granted' ? 'refund.error.alreadyPaid' : 'refund.error.notGranted');
    const now = deps.clock.now();
    const paidOn = parisDay(payment.paidAt!);
    const day = checkRefundedOn(paid.refundedOn, paidOn, parisDay(now));
    if (day) return failure('refused', `refund.error.${day}`, { field: 'refundedOn', params: { paidOn: dayText(paidOn) } });
    const [updated] = await tx
      .update(refunds)
      .set({ refundedOn: paid.refundedOn, method: paid.method, refundReference: paid.reference || null })
      .where(eq(refunds.id, refund.id))
      .returning();
    await audit(tx, deps.clock, {
      action: 'refund.paid',
      actorId: staff.id,
      subjectId: payment.applicationId,
      data: { refundId: refund.id, amountCents: refund.amountCents, refundedOn: paid.refundedOn, method: paid.method, reference: paid.reference || null },
    });
    const user = await getUser(tx, payment.learnerId);
    if (user) await tellLearner(tx, user.id, refundMessage(deps.baseUrl, { session: await sessionOf(tx, payment.sessionId), applicationId: payment.applicationId, refund: updated, withdrawn: false, paidNow: true }));
    return { ok: true as const, refund: updated };
  });
}

/** APP-8: the decision, told in the learner's language by the channels they chose (SVC-7), in the decision's transaction. */
async function emailDecision(tx: Tx, deps: RefundDeps, input: { user: User | null; session: SessionForApplication; applicationId: string; refund: Refund; withdrawn: boolean }) {
  if (!input.user) return;
  await tellLearner(tx, input.user.id, refundMessage(deps.baseUrl, input));
}

/**
 * APP-8: the refund's decision, as `tellLearner` sends it (SMS: `sms.generic`, the amount stays in
 * the email); `paidNow`: the cash office's refund of a grant recorded later (SVC-2).
 */
export function refundMessage(
  baseUrl: string,
  input: { session: Pick<SessionForApplication, 'title' | 'schoolName'>; applicationId: string; refund: Refund; withdrawn: boolean; paidNow?: boolean },
): LearnerMessage {
  const { session, refund, withdrawn } = input;
  return {
    purpose: input.paidNow ? 'refund.email.paid' : `refund.email.${refund.status === 'granted' ? 'granted' : 'refused'}`,
    compose: (t) => {
      const common = { title: session.title, school: session.schoolName, link: `${baseUrl}/candidatures/${input.applicationId}/remboursement` };
      const [subject, text] =
        refund.status === 'granted'
          ? [
              t(input.paidNow ? 'refund.email.paid.subject' : 'refund.email.granted.subject', common),
              t(input.paidNow ? 'refund.email.paid.body' : refund.refundedOn ? 'refund.email.granted.body' : 'refund.email.grantedToPay.body', {
                ...common,
                amount: money(t, refund.amountCents!),
                date: refund.refundedOn ? t.date(refund.refundedOn, 'date') : '',
                method: t(`refund.method.${refund.method!}`),
                reference: refund.refundReference ? t('refund.email.reference', { reference: refund.refundReference }) : '',
                ended: withdrawn ? t('refund.email.ended') : '',
              }),
            ]
          : [t('refund.email.refused.subject', common), t('refund.email.refused.body', { ...common, note: refund.decisionNote ?? '' })];
      return { subject, text, link: common.link };
    },
  };
}

/** SVC-2: what a session's cancellation did to one application's money. */
export interface CancellationMoney {
  applicationId: string;
  /** The refund granted (the whole amount paid), to be paid by the cash office; null when nothing had been paid. */
  refundedCents: number | null;
  /** An amount due that was cancelled (nothing to pay any more). */
  dueCancelled: boolean;
}

/**
 * SVC-2, PAY-9: the service cancelled the session of this application: an amount still due is
 * cancelled (a late online success for it is flagged for staff, decision 010), and fees paid are
 * refunded as PAY-9 records refunds — a `refunds` row, granted by the staff member who cancelled,
 * reason `session_not_opened`, the whole amount, the method it will be paid back by — with the
 * enrolment's proofs of payment revoked. The refund is granted, not yet refunded: the cash office
 * pays it back later and staff record that (`recordRefundPaid`: the day, the method, the
 * reference). A request the learner had open is granted so (one refund per payment); a refund
 * already granted is left as it is. Runs in the cancellation's transaction, which holds the
 * learner's and the application's locks.
 */
export async function settleCancelledApplication(
  tx: Tx,
  clock: RefundDeps['clock'],
  input: { applicationId: string; staffId: string; method: RefundMethod; explanation: string },
): Promise<CancellationMoney> {
  const now = clock.now();
  const payment = await livePayment(tx, input.applicationId, { lock: true });
  if (!payment) return { applicationId: input.applicationId, refundedCents: null, dueCancelled: false };
  if (payment.status === 'due') {
    await tx.update(payments).set({ status: 'cancelled', cancelledAt: now }).where(eq(payments.id, payment.id));
    await audit(tx, clock, { action: 'payment.cancelled', actorId: input.staffId, subjectId: input.applicationId, data: { paymentId: payment.id, sessionCancelled: true } });
    return { applicationId: input.applicationId, refundedCents: null, dueCancelled: true };
  }
  const live = (await refundsOfPayment(tx, payment.id)).find((r) => r.status !== 'refused');
  if (live?.status === 'granted') return { applicationId: input.applicationId, refundedCents: live.amountCents, dueCancelled: false };
  const today = parisDay(now);
  const decided = { status: 'granted' as const, decidedBy: input.staffId, decidedAt: now, amountCents: payment.amountCents, method: input.method };
  const [refund] = live
    ? await tx.update(refunds).set(decided).where(eq(refunds.id, live.id)).returning()
    : await tx
        .insert(refunds)
        .values({ paymentId: payment.id, reason: 'session_not_opened', eventOn: today, explanation: input.explanation.trim().slice(0, 2000) || '-', requestedAt: now, requestedBy: input.staffId, ...decided })
        .returning();
  await audit(tx, clock, {
    action: 'refund.granted',
    actorId: input.staffId,
    subjectId: input.applicationId,
    data: { refundId: refund.id, amountCents: payment.amountCents, method: input.method, toBePaid: true, sessionCancelled: true },
  });
  // PAY-10: what proved the payment no longer does.
  await revokeDocuments(tx, ['enrollee_card', 'payment_attestation'], input.applicationId, 'doc.reason.refunded', clock);
  await revokeDocuments(tx, ['receipt'], payment.id, 'doc.reason.refunded', clock);
  return { applicationId: input.applicationId, refundedCents: payment.amountCents, dueCancelled: false };
}
