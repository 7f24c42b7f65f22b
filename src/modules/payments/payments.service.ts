import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import type { PaymentMethod, Rate } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { parisInstant, type Clock } from '../../platform/clock';
import type { MessageKey, Translator } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { createHook } from '../../platform/hooks';
import { enqueueJob, type JobHandlers } from '../../platform/jobs';
import { getPolicies } from '../../platform/policies';
import { money } from '../../ui/format';
import { getUser, learnerNames, lockUser, parisDay, type User } from '../accounts';
import {
  applicationById,
  inGroup,
  paymentSummaries,
  placeReleased,
  rateOf,
  refusal,
  systemActor,
  transition,
  type Action,
  type Actor,
  type Application,
  type ApplicationDeps,
  type Facts,
} from '../applications';
import { sessionMeetings, sessionsForApplications, type SessionForApplication } from '../catalogue';
import { issueDocument, revokeDocuments, type DocumentSigning } from '../documents';
import { convocationsOf } from '../selection';
import { amountDue, checkCash, dueDate, EXPIRY_GRACE_MS, isTerminal, newReference, PAYMENT_LINK_DAYS, REUSE_ATTEMPT_MS, settle, type SchoolPayment } from './payments.rules';
import { paymentAttempts, paymentLinks, payments, refunds } from './payments.table';
import { ATTEMPT_LIFETIME_MS, ProviderRejected, ProviderUnavailable, type AttemptDetails, type PaymentProvider } from './provider';

/**
 * Enrolment and payment (SPEC PAY-1 to PAY-7): the school validates the enrolment, which fixes
 * the amount due and its due date; the learner (or a third party) pays online through the
 * provider, or at the school; a payment enrols the learner. Every change of the application
 * goes through the lifecycle's `transition` (docs/decisions/007).
 *
 * Online payments follow pretix's model: one amount due per enrolment (`payments`), one attempt
 * per provider `idOp` (`payment_attempts`); the notification, the browser's return and the
 * sweep all end in `settleAttempt`, which locks the rows, settles once and enrols in one
 * transaction. Nothing the browser or the notification carries is believed: the result is
 * always asked of the provider.
 */

/** What enrols (PAY-4: the card is signed with the app secret's document keys). */
export interface SchoolDeps extends ApplicationDeps {
  secret: string;
  /** PAY-3: whom cheques are payable to (the service's cash office, `config.cashOffice`). */
  cashOffice: string;
}

export interface PaymentDeps extends SchoolDeps {
  /** Null when online payment is off (PAY-3: at the school only). */
  provider: PaymentProvider | null;
}

export const signingOf = (deps: Pick<SchoolDeps, 'baseUrl' | 'secret' | 'clock'>): DocumentSigning => ({ baseUrl: deps.baseUrl, secret: deps.secret, clock: deps.clock });

export type Payment = typeof payments.$inferSelect;
export type Attempt = typeof paymentAttempts.$inferSelect;
export type Staff = { id: string; role: User['role'] };

export type PaymentFailure = { ok: false; code: 'not_found' | 'forbidden' | 'refused' | 'unavailable' | 'conflict'; message: MessageKey; params?: Record<string, string | number> };
const failure = (code: PaymentFailure['code'], message: MessageKey, params?: PaymentFailure['params']): PaymentFailure => ({ ok: false, code, message, ...(params ? { params } : {}) });
const notFound = failure('not_found', 'error.notFound.message');

/** The lifecycle's refusal as a failure of this module. */
function refused(action: Action, facts: Facts, role: Actor['role'], now: Date): PaymentFailure | null {
  const no = refusal(action, facts, { role, now });
  if (!no) return null;
  if (no.code === 'role') return failure('forbidden', 'error.forbidden.message');
  return failure('refused', no.message);
}

export const paymentJobKinds = {
  /** Re-asks the provider about an attempt once its idOp has expired (the notification may never come). */
  check: 'payments.checkAttempt',
  /** PAY-1: the day after the due date, the learner is reminded. */
  remind: 'payments.remind',
} as const;

/** The payment of an application still live: due or paid (a cancelled one is history). */
export async function livePayment(db: DbOrTx, applicationId: string, options: { lock?: boolean } = {}): Promise<Payment | null> {
  if (!isUuid(applicationId)) return null;
  const query = db
    .select()
    .from(payments)
    .where(and(eq(payments.applicationId, applicationId), sql`${payments.status} <> 'cancelled'`));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

async function paymentById(db: DbOrTx, id: string, options: { lock?: boolean } = {}): Promise<Payment | null> {
  const query = db.select().from(payments).where(eq(payments.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

async function sessionOf(db: DbOrTx, sessionId: number): Promise<SessionForApplication> {
  const [session] = await sessionsForApplications(db, { ids: [sessionId] });
  return session;
}

/** The facts the payment rows of the lifecycle look at. */
async function paymentFacts(db: DbOrTx, clock: Clock, application: Application, session: SessionForApplication, payment: Payment | null): Promise<Omit<Facts, 'status' | 'period'>> {
  const today = parisDay(clock.now());
  const convocation = (await convocationsOf(db, [application.id])).get(application.id);
  return {
    attended: convocation?.attendance === 'present' || session.firstMeeting <= today,
    remote: session.mode === 'remote',
    today,
    due: payment ? { dueOn: payment.dueOn, remindedAt: payment.remindedAt, paid: payment.status === 'paid' } : null,
    // PAY-9: a payment refunded is no longer one to refund or to show documents of.
    paid: payment?.status === 'paid' && !(await refundGranted(db, payment.id)),
  };
}

/** PAY-9: a refund of this payment was granted. */
export async function refundGranted(db: DbOrTx, paymentId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: refunds.id })
    .from(refunds)
    .where(and(eq(refunds.paymentId, paymentId), eq(refunds.status, 'granted')))
    .limit(1);
  return Boolean(row);
}

const amountText = (cents: number) => (t: Translator) => money(t, cents);
const dayText = (day: string) => (t: Translator) => t.date(parisInstant(day, '12:00'), 'date');
const rateText = (rate: Rate) => (t: Translator) => t(rate === 'half' ? 'pay.rate.half' : 'pay.rate.full');

/**
 * PAY-1: the school head (the trainer, for a remote course) validates the enrolment of a learner
 * who came to the convocation or the first meeting: the application awaits payment, with its
 * amount (PAY-5, PAY-6: the full rate, or the half rate with an accepted proof) and its due date
 * (the second meeting). The learner is emailed, and reminded the day after the due date.
 */
export async function validateEnrolment(deps: ApplicationDeps, staff: Staff, applicationId: string): Promise<{ ok: true; payment: Payment } | PaymentFailure> {
  const found = await applicationById(deps.db, applicationId);
  if (!found) return notFound;
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, found.learnerId);
    const application = (await applicationById(tx, applicationId, { lock: true }))!;
    const session = await sessionOf(tx, application.sessionId);
    const facts = await paymentFacts(tx, deps.clock, application, session, null);
    const no = refused('validateEnrolment', { ...facts, status: application.status, period: session.period }, staff.role, deps.clock.now());
    if (no) return no;
    const { rate } = await rateOf(tx, application.id);
    const amountCents = amountDue(session, rate);
    const payment = await openPayment(tx, deps.clock.now(), { applicationId: application.id, learnerId: application.learnerId, session, amountCents, rate, validatedBy: staff.id });
    const dueOn = payment.dueOn;
    const done = await transition(tx, deps, {
      application,
      action: 'validateEnrolment',
      actor: staff,
      session,
      facts,
      extra: { amount: amountText(amountCents), due: dayText(dueOn), rate: rateText(rate), link: `${deps.baseUrl}/candidatures/${application.id}/paiement` },
    });
    if (!done.ok) throw new Error(`validateEnrolment refused after its check: ${done.code}`);
    await audit(tx, deps.clock, { action: 'payment.validated', actorId: staff.id, subjectId: application.id, data: { amountCents, rate, dueOn } });
    return { ok: true as const, payment };
  });
}

const addDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * PAY-1, PAY-3: the amount a learner owes for an enrolment, due before the first meeting (or in
 * the days given when it has begun), and the reminder queued for the day after. The staff's
 * validation and the learner's own enrolment in a unit (funding.service) both open it here.
 */
export async function openPayment(
  tx: Tx,
  now: Date,
  input: { applicationId: string; learnerId: string; session: { id: number; schoolId: number }; amountCents: number; rate: (typeof payments.$inferInsert)['rate']; validatedBy?: string },
) {
  const today = parisDay(now);
  const dueOn = dueDate(await sessionMeetings(tx, input.session.id), today);
  const [payment] = await tx
    .insert(payments)
    .values({
      applicationId: input.applicationId,
      learnerId: input.learnerId,
      sessionId: input.session.id,
      schoolId: input.session.schoolId,
      reference: newReference(Number(today.slice(0, 4))),
      amountCents: input.amountCents,
      rate: input.rate,
      dueOn,
      createdAt: now,
      validatedBy: input.validatedBy,
    })
    .returning();
  await enqueueJob(tx, { kind: paymentJobKinds.remind, payload: { paymentId: payment.id }, runAt: parisInstant(addDay(dueOn), '09:00') });
  return payment;
}

/** PayFiP's `objet`: plain letters, digits and spaces. */
function objetOf(session: SessionForApplication): string {
  const plain = `Cours ${session.code} ${session.title}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.slice(0, 100);
}

export type StartOutcome = { ok: true; redirectUrl: string; attemptId: string } | { ok: true; paid: true } | PaymentFailure;

/**
 * PAY-2: "Régler": a new attempt, a new idOp, and the provider's page. The amount is the one due,
 * never one the browser gives. A double click within `REUSE_ATTEMPT_MS` goes to the same page;
 * an amount already paid goes nowhere. The provider down or slow: a clear message, the attempt
 * kept (failed, with why), nothing paid twice.
 */
export async function startAttempt(
  deps: PaymentDeps,
  input: { payment: Payment; payerEmail: string; payerName?: string | null; linkId?: string | null },
): Promise<StartOutcome> {
  const provider = deps.provider;
  if (!provider) return failure('refused', 'pay.error.offline');
  const now = deps.clock.now();
  const reserved = await deps.db.transaction(async (tx) => {
    const payment = (await paymentById(tx, input.payment.id, { lock: true }))!;
    if (payment.status === 'paid') return { paid: true as const };
    if (payment.status !== 'due') return { failure: failure('refused', 'pay.error.notDue') };
    const [recent] = await tx
      .select()
      .from(paymentAttempts)
      .where(
        and(
          eq(paymentAttempts.paymentId, payment.id),
          inArray(paymentAttempts.status, ['creating', 'pending']),
          // The same payer only: a third party never lands on the learner's attempt (PAY-7).
          eq(paymentAttempts.payerEmail, input.payerEmail),
          input.linkId ? eq(paymentAttempts.linkId, input.linkId) : sql`${paymentAttempts.linkId} is null`,
        ),
      )
      .orderBy(desc(paymentAttempts.createdAt))
      .limit(1);
    if (recent && now.getTime() - recent.createdAt.getTime() < REUSE_ATTEMPT_MS) {
      if (recent.redirectUrl) return { reuse: recent };
      // Two clicks at the same instant: the first is asking the provider; this one goes where it goes.
      return { waitFor: recent.id };
    }
    const [attempt] = await tx
      .insert(paymentAttempts)
      .values({
        paymentId: payment.id,
        provider: provider.name,
        amountCents: payment.amountCents,
        status: 'creating',
        createdAt: now,
        expiresAt: new Date(now.getTime() + ATTEMPT_LIFETIME_MS),
        payerEmail: input.payerEmail,
        payerName: input.payerName ?? null,
        linkId: input.linkId ?? null,
      })
      .returning();
    return { attempt, payment };
  });
  if ('paid' in reserved) return { ok: true, paid: true };
  if ('failure' in reserved) return reserved.failure!;
  if ('reuse' in reserved) return { ok: true, redirectUrl: reserved.reuse!.redirectUrl!, attemptId: reserved.reuse!.id };
  if ('waitFor' in reserved) return attemptBeingMade(deps, reserved.waitFor!);
  const { attempt, payment } = reserved;
  const session = await sessionOf(deps.db, payment.sessionId);
  try {
    const created = await provider.create({
      refdet: payment.reference,
      exer: Number(parisDay(now).slice(0, 4)),
      objet: objetOf(session),
      amountCents: payment.amountCents,
      email: input.payerEmail,
      notifyUrl: `${deps.baseUrl}/paiement/payfip/notification`,
      returnUrl: `${deps.baseUrl}/paiement/retour/${attempt.id}`,
    });
    await deps.db.transaction(async (tx) => {
      await tx.update(paymentAttempts).set({ idOp: created.idOp, redirectUrl: created.redirectUrl, status: 'pending' }).where(eq(paymentAttempts.id, attempt.id));
      // The notification may never come: the attempt is asked about once its idOp has expired.
      await enqueueJob(tx, { kind: paymentJobKinds.check, payload: { attemptId: attempt.id }, runAt: new Date(attempt.expiresAt.getTime() + 60_000) });
    });
    return { ok: true, redirectUrl: created.redirectUrl, attemptId: attempt.id };
  } catch (error) {
    const why = error instanceof Error ? error.message.slice(0, 500) : String(error);
    await deps.db.update(paymentAttempts).set({ status: 'failed', lastError: why, resolvedAt: deps.clock.now() }).where(eq(paymentAttempts.id, attempt.id));
    if (error instanceof ProviderUnavailable || error instanceof ProviderRejected) return failure('unavailable', 'pay.error.providerDown');
    throw error;
  }
}

/**
 * PAY-2: the attempt another request is making (a double click): its provider page once the
 * provider has answered (within the client's own timeout), or what became of it.
 */
async function attemptBeingMade(deps: PaymentDeps, attemptId: string): Promise<StartOutcome> {
  const deadline = Date.now() + 12_000;
  while (Date.now() < deadline) {
    const [attempt] = await deps.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId));
    if (attempt?.redirectUrl) return { ok: true, redirectUrl: attempt.redirectUrl, attemptId };
    if (!attempt || attempt.status !== 'creating') return failure('unavailable', 'pay.error.providerDown');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return failure('conflict', 'pay.error.attemptInProgress');
}

export type SettleOutcome =
  | { kind: 'unknown' }
  | { kind: 'unavailable'; attempt: Attempt }
  | { kind: 'settled'; attempt: Attempt; payment: Payment; enrolled: boolean };

/**
 * PAY-2: what the notification, the browser's return and the sweep all call. Asks the provider
 * (outside any transaction), then settles in one transaction: the learner's row, the application,
 * the amount due and the attempt are locked in that order (the order of every path that changes
 * an application: learner → application → payment), the answer is settled once (`settle`), and
 * a success records the payment, enrols the learner and queues the email together. Any number of
 * calls, in any order, end in the same state.
 */
export async function settleAttempt(deps: PaymentDeps, by: { idOp: string } | { attemptId: string }): Promise<SettleOutcome> {
  const where = 'idOp' in by ? eq(paymentAttempts.idOp, by.idOp) : isUuid(by.attemptId) ? eq(paymentAttempts.id, by.attemptId) : null;
  if (!where) return { kind: 'unknown' };
  const [found] = await deps.db.select().from(paymentAttempts).where(where);
  if (!found) return { kind: 'unknown' };
  const payment = (await paymentById(deps.db, found.paymentId))!;
  // Settled already: nothing to ask (a replayed or duplicated notification costs one read).
  // (An attempt given up, for an amount paid another way, is still asked: a success there is flagged, `duplicate_success`.)
  if (found.status === 'paid' || (['abandoned', 'refused', 'failed'].includes(found.status) && payment.status === 'paid')) return { kind: 'settled', attempt: found, payment, enrolled: false };
  if (!found.idOp) return found.status === 'creating' && deps.clock.now().getTime() - found.createdAt.getTime() > EXPIRY_GRACE_MS ? markFailed(deps, found) : { kind: 'settled', attempt: found, payment, enrolled: false };
  if (!deps.provider) return { kind: 'unavailable', attempt: found };
  let details: AttemptDetails;
  try {
    details = await deps.provider.details(found.idOp);
  } catch (error) {
    if (!(error instanceof ProviderUnavailable || error instanceof ProviderRejected)) throw error;
    await deps.db.update(paymentAttempts).set({ lastError: error.message.slice(0, 500), checkedAt: deps.clock.now() }).where(eq(paymentAttempts.id, found.id));
    return { kind: 'unavailable', attempt: found };
  }
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, payment.learnerId);
    const application = (await applicationById(tx, payment.applicationId, { lock: true }))!;
    const current = (await paymentById(tx, payment.id, { lock: true }))!;
    const [attempt] = await tx.select().from(paymentAttempts).where(eq(paymentAttempts.id, found.id)).for('update');
    const now = deps.clock.now();
    // An amount due whose application no longer awaits payment is, for settling, given up.
    const effective = current.status === 'due' && application.status !== 'awaiting_payment' ? { ...current, status: 'cancelled' as const } : current;
    const result = settle({ payment: effective, attempt, details, now });
    const raw = 'raw' in details ? details.raw : { answer: details.kind };
    const changes: Partial<Attempt> = { checkedAt: now, lastError: null };
    if (result.attempt !== attempt.status) Object.assign(changes, { status: result.attempt, resolvedAt: now, result: raw });
    if (result.flag && !attempt.flag) Object.assign(changes, { flag: result.flag, flaggedAt: now, result: raw });
    const [updated] = await tx.update(paymentAttempts).set(changes).where(eq(paymentAttempts.id, attempt.id)).returning();
    if (result.flag && !attempt.flag) await audit(tx, deps.clock, { action: `payment.flag.${result.flag}`, subjectId: application.id, data: { idOp: attempt.idOp, paymentId: current.id } });
    if (!result.enrol || details.kind !== 'paid') return { kind: 'settled' as const, attempt: updated, payment: current, enrolled: false };
    const paid = await enrol(tx, deps, {
      application,
      payment: current,
      action: 'enrolOnline',
      actor: systemActor,
      set: { method: 'online', paidAt: details.paidAt, attemptId: attempt.id, payerName: attempt.payerName },
    });
    return { kind: 'settled' as const, attempt: updated, payment: paid, enrolled: true };
  });
}

async function markFailed(deps: PaymentDeps, attempt: Attempt): Promise<SettleOutcome> {
  const [updated] = await deps.db
    .update(paymentAttempts)
    .set({ status: 'failed', resolvedAt: deps.clock.now(), lastError: attempt.lastError ?? 'never created at the provider' })
    .where(and(eq(paymentAttempts.id, attempt.id), eq(paymentAttempts.status, 'creating')))
    .returning();
  const payment = (await paymentById(deps.db, attempt.paymentId))!;
  return { kind: 'settled', attempt: updated ?? attempt, payment, enrolled: false };
}

/**
 * SVC-8: a payment was received (online or recorded by a school) and its learner enrolled;
 * heard in the transaction that records it (the webhooks module subscribes).
 */
export const paymentReceived = createHook<
  { paymentId: string; applicationId: string; learnerId: string; sessionId: number; amountCents: number; method: PaymentMethod; at: Date },
  Tx
>();

/**
 * Records a payment and enrols the learner, in the caller's transaction (which holds the
 * learner, application and payment locks): the payment row, the application's transition to
 * "enrolled" with its email, and the documents of an enrolment.
 */
async function enrol(
  tx: Tx,
  deps: SchoolDeps,
  input: { application: Application; payment: Payment; action: 'enrolOnline' | 'recordPayment'; actor: Actor; set: Partial<Payment> & { method: PaymentMethod } },
): Promise<Payment> {
  const session = await sessionOf(tx, input.application.sessionId);
  const [paid] = await tx
    .update(payments)
    .set({ ...input.set, status: 'paid', paidAt: input.set.paidAt ?? deps.clock.now() })
    .where(eq(payments.id, input.payment.id))
    .returning();
  const done = await transition(tx, deps, {
    application: input.application,
    action: input.action,
    actor: input.actor,
    session,
    extra: { amount: amountText(paid.amountCents), link: `${deps.baseUrl}/candidatures/${input.application.id}/paiement` },
  });
  // The money is there: an application no longer awaiting payment (withdrawn meanwhile) is flagged, not lost.
  if (!done.ok) throw new PaymentConflict(`the application is ${input.application.status}: ${done.code}`);
  await audit(tx, deps.clock, { action: 'payment.paid', actorId: input.actor.id, subjectId: input.application.id, data: { method: paid.method, amountCents: paid.amountCents } });
  await paymentReceived.emit(tx, {
    paymentId: paid.id,
    applicationId: input.application.id,
    learnerId: input.application.learnerId,
    sessionId: input.application.sessionId,
    amountCents: paid.amountCents,
    method: paid.method ?? input.set.method,
    at: deps.clock.now(),
  });
  await issueCard(tx, deps, { application: input.application, session, replace: false });
  return paid;
}

export class PaymentConflict extends Error {}

/**
 * PAY-4, PAY-10: the enrollee card, issued with the payment (and again, replacing the old one,
 * when the school head replaces a lost card): valid from the first to the last meeting.
 */
export async function issueCard(tx: Tx, deps: SchoolDeps, input: { application: Application; session: SessionForApplication; replace: boolean }) {
  const names = await learnerNames(tx, [input.application.learnerId]);
  const { session } = input;
  return issueDocument(tx, signingOf(deps), {
    kind: 'enrollee_card',
    subjectId: input.application.id,
    holderName: names.get(input.application.learnerId) ?? '',
    title: session.title,
    issuerName: session.schoolName,
    validFrom: session.firstMeeting,
    validUntil: session.lastMeeting,
    scopeSessionId: session.id,
    details: { session: session.code, period: session.period.name },
    replace: input.replace,
  });
}

/**
 * PAY-3, PAY-7: the school head records a cheque (payable to the service's cash office: number,
 * bank, payer) or cash (up to the policy's limit, exact change). Refused with the reason above it.
 */
export async function recordSchoolPayment(
  deps: SchoolDeps,
  staff: Staff,
  applicationId: string,
  input: SchoolPayment,
): Promise<{ ok: true; payment: Payment } | PaymentFailure> {
  const found = await applicationById(deps.db, applicationId);
  if (!found) return notFound;
  const policies = await getPolicies(deps.db);
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, found.learnerId);
    const application = (await applicationById(tx, applicationId, { lock: true }))!;
    const payment = await livePayment(tx, applicationId, { lock: true });
    const session = await sessionOf(tx, application.sessionId);
    const facts = await paymentFacts(tx, deps.clock, application, session, payment);
    const no = refused('recordPayment', { ...facts, status: application.status, period: session.period }, staff.role, deps.clock.now());
    if (no) return no;
    if (!payment || payment.status !== 'due') return failure('refused', 'pay.error.notDue');
    if (input.method === 'cash') {
      const cash = checkCash(payment.amountCents, input.tenderedCents, policies.cashPaymentLimitCents);
      if (cash === 'over_limit') return failure('refused', 'pay.error.cashOverLimit', { limit: policies.cashPaymentLimitCents });
      if (cash === 'not_exact') return failure('refused', 'pay.error.cashNotExact');
    }
    const paid = await enrol(tx, deps, {
      application,
      payment,
      action: 'recordPayment',
      actor: staff,
      set:
        input.method === 'cash'
          ? { method: 'cash', cashTenderedCents: input.tenderedCents, payerName: input.payerName, recordedBy: staff.id }
          : { method: 'cheque', chequeNumber: input.chequeNumber, chequeBank: input.bank, payerName: input.payerName, recordedBy: staff.id },
    });
    return { ok: true as const, payment: paid };
  });
}

/**
 * PAY-7: a link the learner sends to whoever pays for them (a social worker, a works council, an
 * association): unguessable (32 random bytes; only its hash is kept), valid `PAYMENT_LINK_DAYS`
 * days. Making a new one revokes the old.
 */
export async function createPaymentLink(deps: PaymentDeps, learnerId: string, applicationId: string): Promise<{ ok: true; url: string; expiresAt: Date } | PaymentFailure> {
  const payment = await livePayment(deps.db, applicationId);
  if (!payment || payment.learnerId !== learnerId) return notFound;
  // A link is for paying online: none when online payment is off (a third party pays by cheque at the school).
  if (!deps.provider) return failure('refused', 'pay.error.offline');
  if (payment.status !== 'due') return failure('refused', 'pay.error.notDue');
  const token = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + PAYMENT_LINK_DAYS * 86_400_000);
  await deps.db.transaction(async (tx) => {
    await tx.update(paymentLinks).set({ revokedAt: now }).where(and(eq(paymentLinks.paymentId, payment.id), sql`${paymentLinks.revokedAt} is null`));
    await tx.insert(paymentLinks).values({ paymentId: payment.id, tokenHash: hashToken(token), createdAt: now, expiresAt });
  });
  return { ok: true, url: `${deps.baseUrl}/payer/${token}`, expiresAt };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** PAY-7: the amount due a link opens, if the link is still valid; what the payer's page shows. */
export async function paymentByLink(db: DbOrTx, clock: Clock, token: string): Promise<{ linkId: string; payment: Payment; session: SessionForApplication; holder: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [link] = await db.select().from(paymentLinks).where(eq(paymentLinks.tokenHash, hashToken(token)));
  if (!link || link.revokedAt || link.expiresAt <= clock.now()) return null;
  const payment = await paymentById(db, link.paymentId);
  if (!payment || payment.status === 'cancelled') return null;
  const session = await sessionOf(db, payment.sessionId);
  const names = await learnerNames(db, [payment.learnerId]);
  return { linkId: link.id, payment, session, holder: initials(names.get(payment.learnerId) ?? '') };
}

/** "Awa Diallo" → "A. D.": what a third party's page shows of the learner. */
export const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${part[0]!.toUpperCase()}.`)
    .join(' ');

/** The learner's payment page: the amount due, the attempts and their outcomes, what may be done. */
export interface LearnerPayment {
  application: Application;
  session: SessionForApplication;
  payment: Payment | null;
  attempts: Attempt[];
  actions: Set<Action>;
  cashLimitCents: number;
}

export async function learnerPayment(deps: Pick<PaymentDeps, 'db' | 'clock'> & { provider?: PaymentProvider | null }, learnerId: string, applicationId: string): Promise<LearnerPayment | null> {
  const application = await applicationById(deps.db, applicationId);
  if (!application || application.learnerId !== learnerId) return null;
  const session = await sessionOf(deps.db, application.sessionId);
  const [payment] = await deps.db
    .select()
    .from(payments)
    .where(eq(payments.applicationId, applicationId))
    .orderBy(sql`${payments.status} = 'cancelled'`, desc(payments.createdAt))
    .limit(1);
  const attempts = payment ? await deps.db.select().from(paymentAttempts).where(eq(paymentAttempts.paymentId, payment.id)).orderBy(desc(paymentAttempts.createdAt)) : [];
  const facts = { ...(await paymentFacts(deps.db, deps.clock, application, session, payment ?? null)), status: application.status, period: session.period, onlinePayment: Boolean(deps.provider) };
  const now = deps.clock.now();
  const actions = new Set((['pay', 'costAttestation', 'paymentDocuments', 'requestRefund'] as const).filter((a) => refusal(a, facts, { role: 'learner', now }) === null));
  const policies = await getPolicies(deps.db);
  return { application, session, payment: payment ?? null, attempts, actions, cashLimitCents: policies.cashPaymentLimitCents };
}

/** PAY-2: the learner's "Régler": their own application awaiting payment only. */
export async function payOwn(deps: PaymentDeps, learner: { id: string; email: string }, applicationId: string): Promise<StartOutcome> {
  const page = await learnerPayment(deps, learner.id, applicationId);
  if (!page) return notFound;
  if (page.payment?.status === 'paid') return { ok: true, paid: true };
  if (!page.payment || page.payment.status !== 'due') return failure('refused', 'pay.error.notDue');
  // Online payment off (PAY-3: at the school only): said as such, not as "nothing to pay".
  if (!page.actions.has('pay')) return failure('refused', deps.provider ? 'pay.error.notDue' : 'pay.error.offline');
  return startAttempt(deps, { payment: page.payment, payerEmail: learner.email });
}

/** PAY-7: the third party's "Pay": through a valid link, with the payer's email (for the provider's receipt). */
export async function payByLink(deps: PaymentDeps, token: string, payer: { email: string; name: string }): Promise<StartOutcome> {
  const found = await paymentByLink(deps.db, deps.clock, token);
  if (!found) return notFound;
  if (found.payment.status === 'paid') return { ok: true, paid: true };
  return startAttempt(deps, { payment: found.payment, payerEmail: payer.email, payerName: payer.name, linkId: found.linkId });
}

/** Who an attempt belongs to, for the return page: the learner, or the holder of the link it came from. */
export async function attemptForReturn(db: DbOrTx, attemptId: string): Promise<{ attempt: Attempt; payment: Payment } | null> {
  if (!isUuid(attemptId)) return null;
  const [attempt] = await db.select().from(paymentAttempts).where(eq(paymentAttempts.id, attemptId));
  if (!attempt) return null;
  return { attempt, payment: (await paymentById(db, attempt.paymentId))! };
}

/**
 * PAY-2: the sweep: every attempt still open whose idOp is more than `olderThanMs` old is asked
 * about again (a lost notification, a provider that was down). Returns how many were settled.
 */
export async function sweepAttempts(deps: PaymentDeps, options: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - (options.olderThanMs ?? 5 * 60_000));
  const open = await deps.db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(and(inArray(paymentAttempts.status, ['creating', 'pending']), sql`${paymentAttempts.createdAt} < ${before}`))
    .orderBy(asc(paymentAttempts.createdAt))
    .limit(options.limit ?? 200);
  let settled = 0;
  for (const { id } of open) {
    const outcome = await settleAttempt(deps, { attemptId: id });
    if (outcome.kind === 'settled' && isTerminal(outcome.attempt.status)) settled++;
  }
  return settled;
}

/**
 * PAY-1: the day after the due date, a learner who has not paid is reminded (once). Staff may
 * then release the place (`releaseUnpaid`).
 */
export async function remindUnpaid(deps: ApplicationDeps, paymentId: string): Promise<boolean> {
  const payment = await paymentById(deps.db, paymentId);
  if (!payment || payment.status !== 'due' || payment.remindedAt) return false;
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, payment.learnerId);
    const application = (await applicationById(tx, payment.applicationId, { lock: true }))!;
    const current = (await paymentById(tx, payment.id, { lock: true }))!;
    if (current.status !== 'due' || current.remindedAt) return false;
    const session = await sessionOf(tx, application.sessionId);
    const facts = await paymentFacts(tx, deps.clock, application, session, current);
    const done = await transition(tx, deps, {
      application,
      action: 'remindPayment',
      actor: systemActor,
      session,
      facts,
      extra: { amount: amountText(current.amountCents), due: dayText(current.dueOn), link: `${deps.baseUrl}/candidatures/${application.id}/paiement` },
    });
    if (!done.ok) return false;
    await tx.update(payments).set({ remindedAt: deps.clock.now() }).where(eq(payments.id, current.id));
    return true;
  });
}

/** PAY-1, SEL-8: staff release the place of an enrolment still unpaid after the reminder; the waiting list gets it. */
export async function releaseUnpaid(deps: ApplicationDeps, staff: Staff, applicationId: string): Promise<{ ok: true } | PaymentFailure> {
  const found = await applicationById(deps.db, applicationId);
  if (!found) return notFound;
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, found.learnerId);
    const application = (await applicationById(tx, applicationId, { lock: true }))!;
    const payment = await livePayment(tx, applicationId, { lock: true });
    const session = await sessionOf(tx, application.sessionId);
    const facts = await paymentFacts(tx, deps.clock, application, session, payment);
    const done = await transition(tx, deps, { application, action: 'releaseUnpaid', actor: staff, session, facts, reason: 'unpaid' });
    if (!done.ok) return refused('releaseUnpaid', { ...facts, status: application.status, period: session.period }, staff.role, deps.clock.now()) ?? failure('refused', done.message);
    return { ok: true as const };
  });
}

/**
 * An application that closes unpaid (a withdrawal, a release) cancels its amount due, in the
 * same transaction: a later success for it is flagged for staff, never applied (`settle`).
 */
placeReleased.subscribe(async (tx, event) => {
  const now = new Date(event.at);
  if (!inGroup('closed', event.to)) {
    // SEL-10: a move to another day keeps the amount due and the card; they now belong to the new session's school.
    const application = await applicationById(tx, event.applicationId);
    if (!application) return;
    const [session] = await sessionsForApplications(tx, { ids: [application.sessionId] });
    await tx
      .update(payments)
      .set({ sessionId: session.id, schoolId: session.schoolId })
      .where(and(eq(payments.applicationId, event.applicationId), sql`${payments.status} <> 'cancelled'`));
    return;
  }
  await tx
    .update(payments)
    .set({ status: 'cancelled', cancelledAt: now })
    .where(and(eq(payments.applicationId, event.applicationId), eq(payments.status, 'due')));
  // PAY-4, PAY-10: an enrolment that ends (a refund granted) ends its card: the public page says revoked.
  await revokeDocuments(tx, ['enrollee_card'], event.applicationId, 'doc.reason.ended', { now: () => now });
});

/** What the learner's list of applications shows of each payment (APP-9): the latest amount due. */
paymentSummaries.provide(async (db, applicationIds) => {
  if (applicationIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(payments)
    .where(sql`${payments.applicationId} = any(${sql.param(applicationIds)}::uuid[])`)
    .orderBy(asc(payments.createdAt));
  return new Map(rows.map((r) => [r.applicationId, { amountCents: r.amountCents, dueOn: r.dueOn, status: r.status }]));
});

/** The background work of payments, for the worker. */
export function paymentJobs(deps: PaymentDeps): JobHandlers {
  return {
    [paymentJobKinds.check]: async (payload) => {
      if (typeof payload.attemptId === 'string') await settleAttempt(deps, { attemptId: payload.attemptId });
    },
    [paymentJobKinds.remind]: async (payload) => {
      if (typeof payload.paymentId === 'string' && isUuid(payload.paymentId)) await remindUnpaid(deps, payload.paymentId);
    },
  };
}

/**
 * The sweep, run with the worker's periodic tasks (every five minutes): at most 50 attempts a
 * round, so that a provider down (10 s a call) holds the worker a few minutes at most.
 */
export const paymentSweep = (deps: PaymentDeps) => async () => {
  if (deps.provider) await sweepAttempts(deps, { limit: 50 });
};


/**
 * The facts the payment rows of the lifecycle look at (`paymentFacts`), for many applications at
 * once: the staff lists "to validate" and "to collect" (PAY-1, PAY-3) ask the selection module
 * once for all their convocations. Each comes with the whole `Facts` (status, period) and its convocation's
 * attendance, which the lists show; the pages then ask `refusal` what each row offers.
 */
export async function paymentFactsOf(
  db: DbOrTx,
  clock: Clock,
  items: readonly { application: Application; session: SessionForApplication; payment: Payment | null }[],
): Promise<Map<string, { facts: Facts; convocation: Facts['convocation'] }>> {
  if (items.length === 0) return new Map();
  const today = parisDay(clock.now());
  // SEL-3: only the convocations (one query), not the learner's whole selection view.
  const convocations = await convocationsOf(db, items.map((i) => i.application.id));
  return new Map(
    items.map(({ application, session, payment }) => {
      const convocation = convocations.get(application.id) ?? null;
      const facts: Facts = {
        status: application.status,
        period: session.period,
        attended: convocation?.attendance === 'present' || session.firstMeeting <= today,
        remote: session.mode === 'remote',
        today,
        due: payment ? { dueOn: payment.dueOn, remindedAt: payment.remindedAt, paid: payment.status === 'paid' } : null,
        paid: payment?.status === 'paid',
      };
      return [application.id, { facts, convocation: convocation ? { attendance: convocation.attendance } : null }];
    }),
  );
}
