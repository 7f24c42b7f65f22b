import { desc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { refundMethods, type RefundMethod, type Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { createHook } from '../../platform/hooks';
import type { MessageKey, Translator } from '../../platform/i18n';
import { money, slotText } from '../../ui/format';
import { fitSms, lockUser, parisDay, smsDetails, tellLearner, type Reach } from '../accounts';
import { applicationById, applicationsOf, paymentSummaries, roleMay, transition, type Application, type ApplicationDeps } from '../applications';
import { lockSession, markSessionCancelled, sessionExists, sessionsForApplications, sessionsInScope, setSessionMode, type SessionForApplication } from '../catalogue';
import { revokeDocuments } from '../documents';
import { settleCancelledApplication, type CancellationMoney } from '../payments';
import { scopeOf } from '../scopes';
import { cancelConvocation, endOffersOfCancelledSession } from '../selection';
import { changeRefusal, refundTotal, toldUrgently, type ChangeRefusal } from './cancellations.rules';
import { sessionChangeKinds, sessionChangeReasons, sessionChanges, type SessionChangeKind, type SessionChangeReason } from './cancellations.table';

/**
 * SVC-2: the service (coordinators, administrators, in their scope) cancels a session or moves
 * it to remote, with a message to the learners. Everything happens in one transaction under the
 * session's lock, then each learner's (the lock order of every path: session, then learner):
 * the catalogue marks the session; a cancellation closes every live application the learners
 * sent through the lifecycle's `cancelSession` (status `session_cancelled`, no place given to
 * anyone), ends the open offers of the session's places (selection), cancels the amounts due and
 * refunds the fees paid as PAY-9 records refunds (payments), revokes the convocations (a
 * convocation to come is cancelled in the learner's calendar: the email carries its file,
 * STATUS:CANCELLED); every learner concerned is told by every channel known (email and SMS,
 * accounts' `tellLearner({ urgent: true })`); a preselection never sent stays one, and its
 * learner is told by their own channels. A move to remote changes the mode and tells them; the
 * applications stay. Twice: refused, nobody told again; a session that has started (its first
 * meeting's day) is not cancelled, one that has ended neither cancelled nor moved.
 */

export type SessionChange = typeof sessionChanges.$inferSelect;
export type Staff = { id: string; role: Role };
export type CancellationDeps = ApplicationDeps;
export type ChangeField = 'kind' | 'reason' | 'message' | 'method';

export type CancellationFailure =
  | { ok: false; code: 'not_found' | 'forbidden'; message: MessageKey }
  | { ok: false; code: 'invalid'; message: MessageKey; field: ChangeField }
  | (ChangeRefusal & { code: 'SVC-2' });

const notFound: CancellationFailure = { ok: false, code: 'not_found', message: 'error.notFound.message' };
const forbidden: CancellationFailure = { ok: false, code: 'forbidden', message: 'error.forbidden.message' };
const invalid = (field: ChangeField, message: MessageKey): CancellationFailure => ({ ok: false, code: 'invalid', message, field });

/** Who may cancel or change a session: the lifecycle's `cancelSession` (the central service). */
export const mayChangeSessions = (role: Role) => roleMay(role, 'cancelSession');

/** The session, if it is in the staff member's scope; else forbidden (it exists) or not found. */
async function sessionInScope(db: DbOrTx, staff: Staff, code: string): Promise<SessionForApplication | CancellationFailure> {
  if (!mayChangeSessions(staff.role)) return forbidden;
  const [scoped] = await sessionsInScope(db, await scopeOf(db, staff), { code });
  if (!scoped) return (await sessionExists(db, code)) ? forbidden : notFound;
  const [session] = await sessionsForApplications(db, { ids: [scoped.id] });
  return session;
}
const isFailure = (v: unknown): v is CancellationFailure => typeof v === 'object' && v !== null && 'ok' in v && (v as { ok: boolean }).ok === false;

/** The staff page: the session, who would be told, the fees paid, the changes already made. */
export interface CancellationPage {
  session: SessionForApplication;
  changes: SessionChange[];
  /** Learners told urgently by a change now (SVC-2's "concerned"). */
  concerned: number;
  /** Live applications a cancellation would close. */
  live: number;
  /** The refunds a cancellation would record. */
  paid: { count: number; cents: number };
  /** Why a cancellation, or a move to remote, is refused now (null: it may be made). */
  refusals: Record<SessionChangeKind, ChangeRefusal | null>;
}

export async function cancellationPage(deps: Pick<CancellationDeps, 'db' | 'clock'>, staff: Staff, code: string): Promise<CancellationPage | CancellationFailure> {
  const session = await sessionInScope(deps.db, staff, code);
  if (isFailure(session)) return session;
  const live = await applicationsOf(deps.db, { sessionId: session.id, action: 'cancelSession' });
  const summaries = await paymentSummaries.ask(deps.db, live.map((a) => a.id));
  const changes = await deps.db.select().from(sessionChanges).where(eq(sessionChanges.sessionId, session.id)).orderBy(desc(sessionChanges.decidedAt));
  const today = parisDay(deps.clock.now());
  return {
    session,
    changes,
    concerned: live.filter((a) => toldUrgently(a.status)).length,
    live: live.length,
    paid: refundTotal(live.flatMap((a) => (summaries.get(a.id)?.status === 'paid' ? [summaries.get(a.id)!.amountCents] : []))),
    refusals: { cancelled: changeRefusal('cancelled', session, today), remote: changeRefusal('remote', session, today) },
  };
}

export interface ChangeInput {
  sessionCode: string;
  kind: SessionChangeKind;
  reason: SessionChangeReason;
  message: string;
  /** How the fees paid are given back (a cancellation). */
  method: RefundMethod;
}

/** What a change did. */
export interface ChangeDone {
  ok: true;
  change: SessionChange;
}

/**
 * SVC-8: a session was cancelled (not a move to remote); heard in the cancellation's
 * transaction (the webhooks module subscribes).
 */
export const sessionCancelled = createHook<{ sessionId: number; sessionCode: string; courseCode: string; reason: SessionChangeReason; at: Date }, Tx>();

/**
 * SVC-2: cancels a session or moves it to remote, as described above. Errors: not_found,
 * forbidden (a role that does not cancel sessions, a session out of scope), invalid (a field),
 * SVC-2 (already cancelled, already remote, started for a cancellation, ended: nothing written,
 * nobody told).
 */
export async function changeSession(deps: CancellationDeps, staff: Staff, input: ChangeInput): Promise<ChangeDone | CancellationFailure> {
  if (!(sessionChangeKinds as readonly string[]).includes(input.kind)) return invalid('kind', 'field.invalidChoice');
  if (!(sessionChangeReasons as readonly string[]).includes(input.reason)) return invalid('reason', 'field.invalidChoice');
  if (!(refundMethods as readonly string[]).includes(input.method)) return invalid('method', 'field.invalidChoice');
  const message = input.message.trim();
  if (message.length < 1 || message.length > 2000) return invalid('message', 'cancel.error.message');
  const found = await sessionInScope(deps.db, staff, input.sessionCode);
  if (isFailure(found)) return found;
  return deps.db.transaction(async (tx) => {
    await lockSession(tx, found.id);
    const [session] = await sessionsForApplications(tx, { ids: [found.id] });
    const now = deps.clock.now();
    const refused = changeRefusal(input.kind, session, parisDay(now));
    if (refused) return refused;
    const counts = input.kind === 'cancelled' ? await cancel(tx, deps, staff, session, message, input.method) : await moveToRemote(tx, deps, session, message);
    const [change] = await tx
      .insert(sessionChanges)
      .values({ sessionId: session.id, kind: input.kind, reason: input.reason, message, decidedBy: staff.id, decidedAt: now, ...counts })
      .returning();
    await audit(tx, deps.clock, { action: `session.${input.kind}`, actorId: staff.id, data: { sessionCode: session.code, reason: input.reason, ...counts } });
    if (input.kind === 'cancelled') await sessionCancelled.emit(tx, { sessionId: session.id, sessionCode: session.code, courseCode: session.courseCode, reason: input.reason, at: now });
    return { ok: true as const, change };
  });
}

async function cancel(tx: Tx, deps: CancellationDeps, staff: Staff, session: SessionForApplication, message: string, method: RefundMethod) {
  const now = deps.clock.now();
  await markSessionCancelled(tx, session.id, now);
  let told = 0;
  let closed = 0;
  let refunded = 0;
  const closedIds: string[] = [];
  // Listed under the session's lock; each one read again under its learner's lock, taken in the
  // learners' order (as the selection's decision takes them: two never wait for each other).
  const listedAll = await applicationsOf(tx, { sessionId: session.id, action: 'cancelSession' });
  for (const listed of [...listedAll].sort((a, b) => (a.learnerId < b.learnerId ? -1 : a.learnerId > b.learnerId ? 1 : 0))) {
    await lockUser(tx, listed.learnerId);
    const application = (await applicationById(tx, listed.id, { lock: true }))!;
    if (application.sessionId !== session.id) continue;
    // SVC-7: a convocation still to come is cancelled in the learner's calendar too (its file, STATUS:CANCELLED).
    const convocation = application.status === 'convoked' ? await cancelConvocation(tx, { applicationId: application.id, baseUrl: deps.baseUrl, now }) : null;
    const done = await transition(tx, deps, { application, action: 'cancelSession', actor: staff, session, reason: 'session_cancelled', email: null });
    if (!done.ok) continue; // closed meanwhile (a withdrawal that went first): nothing to cancel
    closed++;
    closedIds.push(application.id);
    const money = await settleCancelledApplication(tx, deps.clock, { applicationId: application.id, staffId: staff.id, method, explanation: message });
    if (money.refundedCents !== null) refunded++;
    // PAY-10: the convocation to a test of a session that will not run is no longer valid.
    await revokeDocuments(tx, ['convocation', 'enrollee_card'], application.id, 'doc.reason.sessionCancelled', deps.clock);
    const urgent = toldUrgently(application.status);
    const result = await tellLearner(tx, application.learnerId, {
      purpose: 'sms.session.cancelled',
      urgent,
      compose: (t, reach) => ({ ...composeCancelled(t, reach, deps, session, message, money), attachments: convocation ? [convocation(t)] : undefined }),
    });
    if (result.channels.length) told++;
  }
  // A preselection never sent is no application: it stays as it is (the learner's page says the
  // session is cancelled, refuses to send it and lets them delete it); its learner is told, by
  // the channels they chose.
  for (const basket of await applicationsOf(tx, { sessionId: session.id, group: 'unvalidated' })) {
    const result = await tellLearner(tx, basket.learnerId, { purpose: 'cancel.email.preselected', compose: (t) => composePreselected(t, deps, session, message) });
    if (result.channels.length) told++;
  }
  await endOffersOfCancelledSession(tx, now, { sessionId: session.id, applicationIds: closedIds });
  return { told, closed, refunded };
}

async function moveToRemote(tx: Tx, deps: CancellationDeps, session: SessionForApplication, message: string) {
  await setSessionMode(tx, session.id, 'remote');
  let told = 0;
  const live: Application[] = await applicationsOf(tx, { sessionId: session.id, action: 'cancelSession' });
  for (const application of live.filter((a) => toldUrgently(a.status))) {
    const result = await tellLearner(tx, application.learnerId, {
      purpose: 'sms.session.remote',
      urgent: true,
      compose: (t, reach) => composeRemote(t, reach, deps, session, message),
    });
    if (result.channels.length) told++;
  }
  return { told, closed: 0, refunded: 0 };
}

const params = (t: Translator, deps: Pick<CancellationDeps, 'baseUrl'>, session: SessionForApplication, message: string) => ({
  title: session.title,
  school: session.schoolName,
  slots: session.slots.map((s) => slotText(t, s)).join(' ; '),
  message,
  link: `${deps.baseUrl}/candidatures`,
});

/** SVC-2, SVC-7: the SMS, at most 2 segments (a long title shortened), saying where the details are for this learner. */
const smsOf = (t: Translator, reach: Reach, key: 'sms.session.cancelled' | 'sms.session.remote', p: ReturnType<typeof params>) =>
  fitSms((title) => t(key, { ...p, title, details: smsDetails(t, reach, p.link) }), p.title);

export function composeCancelled(t: Translator, reach: Reach, deps: Pick<CancellationDeps, 'baseUrl'>, session: SessionForApplication, message: string, paid: CancellationMoney) {
  const p = params(t, deps, session, message);
  const moneyLine = paid.refundedCents !== null ? t('cancel.email.refunded', { amount: money(t, paid.refundedCents) }) : paid.dueCancelled ? t('cancel.email.dueCancelled') : '';
  return {
    subject: t('cancel.email.cancelled.subject', p),
    text: t('cancel.email.cancelled.body', { ...p, money: moneyLine }),
    sms: smsOf(t, reach, 'sms.session.cancelled', p),
    link: p.link,
  };
}

function composePreselected(t: Translator, deps: CancellationDeps, session: SessionForApplication, message: string) {
  const p = params(t, deps, session, message);
  return { subject: t('cancel.email.cancelled.subject', p), text: t('cancel.email.preselected.body', p), link: p.link };
}

export function composeRemote(t: Translator, reach: Reach, deps: Pick<CancellationDeps, 'baseUrl'>, session: SessionForApplication, message: string) {
  const p = params(t, deps, session, message);
  return { subject: t('cancel.email.remote.subject', p), text: t('cancel.email.remote.body', p), sms: smsOf(t, reach, 'sms.session.remote', p), link: p.link };
}
