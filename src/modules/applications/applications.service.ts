import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { parisInstant, type Clock } from '../../platform/clock';
import { translator, type MessageKey } from '../../platform/i18n';
import { enqueueJob } from '../../platform/jobs';
import { queueEmail } from '../../platform/outbox';
import { getPolicies, type Policies } from '../../platform/policies';
import { getLearnerProfile, getUser, getUsers, parisDay, type User } from '../accounts';
import { placesTaken, sessionsForApplications, type SessionForApplication } from '../catalogue/catalogue.service';
import { slotText } from '../../ui/format';
import { canCancel, canWithdraw, checkConfirmation, checkPreselection, windowOpen, type ExistingApplication, type Refusal } from './applications.rules';
import { convocations, offers } from '../selection/selection.table';
import { applicationEvents, applications, type ApplicationStatus, type objectives, type situations } from './applications.table';

export interface ApplicationDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}

export type Application = typeof applications.$inferSelect;
export type Failure = Refusal | { ok: false; code: 'not_found' | 'no_record' | 'closed_window' | 'incomplete' | 'not_cancellable'; message: MessageKey };

const notFound: Failure = { ok: false, code: 'not_found', message: 'error.notFound.message' };
const closedWindow = { ok: false, code: 'closed_window', message: 'app.refused.closed' } as const satisfies Failure;

/**
 * Locks the learner's row for the rest of the transaction: every action that counts or takes
 * the learner's applications runs one at a time per learner, whatever the number of tabs,
 * processes or connections (APP-2, APP-3, APP-5 under a rush).
 */
async function lockLearner(tx: Tx, learnerId: string): Promise<void> {
  await tx.execute(sql`select id from users where id = ${learnerId} for update`);
}

/** The learner's applications with the session facts the rules need. */
async function learnerApplications(tx: Tx, learnerId: string): Promise<(Application & { session: SessionForApplication })[]> {
  const rows = await tx.select().from(applications).where(eq(applications.learnerId, learnerId)).orderBy(asc(applications.createdAt));
  const sessions = new Map((await sessionsForApplications(tx, { ids: [...new Set(rows.map((r) => r.sessionId))] })).map((s) => [s.id, s]));
  return rows.map((r) => ({ ...r, session: sessions.get(r.sessionId)! }));
}

/** Locks the learner, then loads their applications and the one asked for (undefined if not theirs). */
async function lockedApplications(tx: Tx, learnerId: string, applicationId: string) {
  await lockLearner(tx, learnerId);
  const existing = await learnerApplications(tx, learnerId);
  return { existing, application: existing.find((a) => a.id === applicationId) };
}

const asExisting = (a: Application & { session: SessionForApplication }): ExistingApplication => ({
  id: a.id,
  status: a.status,
  title: a.session.title,
  courseId: a.courseId,
  firstMeeting: a.session.firstMeeting,
  lastMeeting: a.session.lastMeeting,
  slots: a.session.slots,
});

/**
 * Every change of an application's status goes through here: the new status and its
 * `application_events` row are written together, in the caller's transaction.
 */
export async function moveTo(
  tx: Tx,
  clock: Clock,
  application: Application,
  change: { to: ApplicationStatus; actorId: string | null; reason?: string; set?: Partial<Application> },
) {
  await tx.update(applications).set({ ...change.set, status: change.to }).where(eq(applications.id, application.id));
  await recordEvent(tx, clock, { applicationId: application.id, actorId: change.actorId, from: application.status, to: change.to, reason: change.reason });
}

async function recordEvent(tx: Tx, clock: Clock, event: { applicationId: string; actorId: string | null; from: ApplicationStatus | null; to: ApplicationStatus; reason?: string }) {
  await tx.insert(applicationEvents).values({
    applicationId: event.applicationId,
    at: clock.now(),
    actorId: event.actorId,
    fromStatus: event.from,
    toStatus: event.to,
    reason: event.reason ?? null,
  });
}

/**
 * APP-2, APP-3 for a move (SEL-5, SEL-7, SEL-10): may this application go to `target` without
 * meeting at the same time as, or duplicating the course of, the learner's other live ones?
 */
export async function moveCheck(tx: Tx, application: Pick<Application, 'id' | 'learnerId'>, target: SessionForApplication): Promise<{ ok: true } | Refusal> {
  const others = (await learnerApplications(tx, application.learnerId)).filter((a) => a.id !== application.id);
  return checkPreselection(target, others.map(asExisting));
}

/**
 * SEL-5, SEL-7, SEL-10: moves an application to another session (its course may differ, for a
 * level), keeping its id and history; the caller holds the target session's lock. The event
 * says where it came from.
 */
export async function moveApplication(
  tx: Tx,
  deps: ApplicationDeps,
  input: { application: Application; to: SessionForApplication; status: ApplicationStatus; actorId: string | null; reason: string; email?: LearnerEmail; extra?: Record<string, string | Date> },
): Promise<{ ok: true } | Refusal> {
  await lockLearner(tx, input.application.learnerId);
  const check = await moveCheck(tx, input.application, input.to);
  if (!check.ok) return check;
  await moveTo(tx, deps.clock, input.application, {
    to: input.status,
    actorId: input.actorId,
    reason: input.reason,
    set: { sessionId: input.to.id, courseId: input.to.courseId, waitingRank: null },
  });
  if (input.email) await emailLearner(tx, deps, await getUser(tx, input.application.learnerId), input.to, input.email, input.extra);
  return { ok: true };
}

/**
 * APP-1, APP-2, APP-3, APP-7: saves a session in the learner's applications ("preselected").
 * Needs a learner record and an open window; refuses a second application to the same course
 * or one that meets at the same time as another live application, naming it.
 */
export async function preselectSession(
  deps: ApplicationDeps,
  input: { learnerId: string; sessionCode: string },
): Promise<{ ok: true; applicationId: string } | Failure> {
  const { db, clock } = deps;
  const [session] = await sessionsForApplications(db, { codes: [input.sessionCode] });
  if (!session) return notFound;
  if (!(await getLearnerProfile(db, input.learnerId))) return { ok: false, code: 'no_record', message: 'app.refused.noRecord' };
  return db.transaction(async (tx) => {
    await lockLearner(tx, input.learnerId);
    if (!windowOpen(session.period, clock.now())) return closedWindow;
    const existing = await learnerApplications(tx, input.learnerId);
    const decision = checkPreselection(session, existing.map(asExisting));
    if (!decision.ok) return decision;
    const [created] = await tx
      .insert(applications)
      .values({ learnerId: input.learnerId, sessionId: session.id, courseId: session.courseId, createdAt: clock.now() })
      .returning({ id: applications.id });
    await recordEvent(tx, clock, { applicationId: created.id, actorId: input.learnerId, from: null, to: 'preselected' });
    return { ok: true as const, applicationId: created.id };
  });
}

export interface Answers {
  situation?: (typeof situations)[number];
  objective?: (typeof objectives)[number];
  motivations?: string;
}

/** APP-4: keeps the answers of the application form's steps on the preselection (APP-6: editable). */
export async function saveAnswers(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string; answers: Answers },
): Promise<{ ok: true } | Failure> {
  const updated = await deps.db
    .update(applications)
    .set(input.answers)
    .where(and(eq(applications.id, input.applicationId), eq(applications.learnerId, input.learnerId), eq(applications.status, 'preselected')))
    .returning({ id: applications.id });
  return updated.length ? { ok: true } : notFound;
}

/**
 * APP-4, APP-5, APP-7, APP-8: validates a preselection whose form is complete. In one
 * transaction, under the learner's lock: the caps are checked, the status becomes "confirmed",
 * the event is recorded and the confirmation email written to the outbox. Validating twice
 * (a double click) answers as the first time.
 */
export async function confirmApplication(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string },
  knownPolicies?: Policies,
): Promise<{ ok: true } | Failure> {
  const { db, clock } = deps;
  if (!/^[0-9a-f-]{36}$/i.test(input.applicationId)) return notFound;
  const policies = knownPolicies ?? (await getPolicies(db));
  return db.transaction(async (tx) => {
    const { existing, application } = await lockedApplications(tx, input.learnerId, input.applicationId);
    if (!application) return notFound;
    if (application.status === 'confirmed') return { ok: true as const };
    if (application.status !== 'preselected') return notFound;
    if (!windowOpen(application.session.period, clock.now())) return closedWindow;
    if (!application.situation || !application.objective || !application.motivations)
      return { ok: false as const, code: 'incomplete' as const, message: 'field.required' as const };
    const decision = checkConfirmation(asExisting(application), existing.map(asExisting), {
      max: policies.maxActiveApplications,
      today: parisDay(clock.now()),
    });
    if (!decision.ok) return decision;
    await moveTo(tx, clock, application, { to: 'confirmed', actorId: input.learnerId, set: { confirmedAt: clock.now(), rulesAcceptedAt: clock.now() } });
    await emailLearner(tx, deps, await getUser(tx, input.learnerId), application.session, 'confirmed');
    return { ok: true as const };
  });
}

/**
 * APP-6: a confirmed application is cancelled by the learner until the window closes. After it,
 * the learner may still give up (withdrawal): a place they held, or had been offered, goes to
 * the next on the waiting list (SEL-8) through the refill job.
 */
export async function cancelApplication(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string },
): Promise<{ ok: true; status: 'cancelled' | 'withdrawn' } | Failure> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const { application } = await lockedApplications(tx, input.learnerId, input.applicationId);
    if (!application) return notFound;
    if (application.status === 'cancelled' || application.status === 'withdrawn') return { ok: true as const, status: application.status };
    const now = clock.now();
    const user = await getUser(tx, input.learnerId);
    if (canCancel(application.status, application.session.period, now)) {
      await moveTo(tx, clock, application, { to: 'cancelled', actorId: input.learnerId, reason: 'learner', set: { closedAt: now } });
      await emailLearner(tx, deps, user, application.session, 'cancelled');
      return { ok: true as const, status: 'cancelled' as const };
    }
    if (!canWithdraw(application.status, application.session.period, now))
      return { ok: false as const, code: 'not_cancellable' as const, message: 'app.cancel.tooLate' as const };
    await closeAsWithdrawal(tx, deps, application, { actorId: input.learnerId, reason: 'learner', user, session: application.session });
    return { ok: true as const, status: 'withdrawn' as const };
  });
}

export const REFILL_JOB = 'selection.refill';

/**
 * SEL-8: a place may have freed up in this session: the refill job offers it to the next. One
 * refill job not yet started covers every place freed before it runs (it counts free places
 * when it runs), so a second one is not queued; a job already running may have counted before
 * this change, so then a new one is.
 */
export async function placeFreed(tx: DbOrTx, clock: Clock, sessionId: number): Promise<void> {
  const pending = await tx.execute(sql`
    select 1 from jobs where kind = ${REFILL_JOB} and done_at is null and failed_at is null and locked_until is null
      and (payload->>'sessionId')::int = ${sessionId} limit 1`);
  if (pending.rows.length === 0) await enqueueJob(tx, { kind: REFILL_JOB, payload: { sessionId }, runAt: clock.now() });
}

/**
 * SEL-4, SEL-8: closes an application as a withdrawal (the learner gave up, was absent at the
 * convocation, declined or let an offer lapse), voids an offer it held, and queues the refill
 * of the places this frees.
 */
export async function closeAsWithdrawal(
  tx: Tx,
  deps: ApplicationDeps,
  application: Application,
  input: { actorId: string | null; reason: string; user?: User | null; session?: SessionForApplication; email?: LearnerEmail | null },
): Promise<void> {
  const now = deps.clock.now();
  await moveTo(tx, deps.clock, application, { to: 'withdrawn', actorId: input.actorId, reason: input.reason, set: { closedAt: now, waitingRank: null } });
  const voided = await tx.execute<{ session_id: number }>(sql`update offers set status = 'void', answered_at = ${now} where application_id = ${application.id} and status = 'open' returning session_id`);
  const freed = new Set([...voided.rows.map((r) => r.session_id), ...(application.status === 'accepted' ? [application.sessionId] : [])]);
  for (const sessionId of freed) await placeFreed(tx, deps.clock, sessionId);
  if (input.email === null) return;
  const session = input.session ?? (await sessionsForApplications(tx, { ids: [application.sessionId] }))[0];
  const user = input.user ?? (await getUser(tx, application.learnerId));
  await emailLearner(tx, deps, user, session, input.email ?? 'withdrawn', { reason: translator(user?.locale ?? 'fr')(withdrawalReason(input.reason)) });
}

const withdrawalReason = (reason: string): MessageKey =>
  ({ learner: 'apps.withdrawn.learner', absent: 'apps.withdrawn.absent', offer_declined: 'apps.withdrawn.offerDeclined', offer_expired: 'apps.withdrawn.offerExpired' } as Record<string, MessageKey>)[
    reason
  ] ?? 'apps.withdrawn.other';

/** APP-6: a preselection can be deleted while its window is open. */
export async function deletePreselection(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string },
): Promise<{ ok: true } | Failure> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const { application } = await lockedApplications(tx, input.learnerId, input.applicationId);
    if (!application || application.status !== 'preselected') return notFound;
    if (!windowOpen(application.session.period, clock.now())) return closedWindow;
    await tx.delete(applications).where(eq(applications.id, application.id));
    return { ok: true as const };
  });
}

const emailKeys = {
  confirmed: ['email.appConfirmed.subject', 'email.appConfirmed.body'],
  cancelled: ['email.appCancelled.subject', 'email.appCancelled.body'],
  accepted: ['email.appAccepted.subject', 'email.appAccepted.body'],
  waiting_list: ['email.appWaiting.subject', 'email.appWaiting.body'],
  refused: ['email.appRefused.subject', 'email.appRefused.body'],
  convoked: ['email.appConvoked.subject', 'email.appConvoked.body'],
  offered: ['email.offer.subject', 'email.offer.body'],
  offer_expired: ['email.offerExpired.subject', 'email.offerExpired.body'],
  withdrawn: ['email.appWithdrawn.subject', 'email.appWithdrawn.body'],
  moved: ['email.appMoved.subject', 'email.appMoved.body'],
  change_declined: ['email.changeDeclined.subject', 'email.changeDeclined.body'],
} as const satisfies Record<string, [MessageKey, MessageKey]>;
export type LearnerEmail = keyof typeof emailKeys;

/**
 * Writes one of the application emails to the outbox, in the learner's language, in the
 * caller's transaction. `extra` gives the placeholders some emails have besides the session's
 * (a deadline, a date): dates are formatted in the learner's language here.
 */
export async function emailLearner(
  tx: Tx,
  deps: ApplicationDeps,
  user: User | null | undefined,
  session: SessionForApplication,
  what: LearnerEmail,
  extra: Record<string, string | Date> = {},
) {
  if (!user) return;
  const t = translator(user.locale);
  const params = {
    title: session.title,
    school: session.schoolName,
    slots: session.slots.map((s) => slotText(t, s)).join(' ; '),
    link: `${deps.baseUrl}/candidatures`,
    ...Object.fromEntries(Object.entries(extra).map(([key, v]) => [key, v instanceof Date ? t.date(v, 'datetime') : v])),
  };
  const [subject, body] = emailKeys[what];
  // SEL-3: selection outcomes are emailed during the answer window: one decided before it waits
  // in the outbox until its first day (the account shows it at once).
  const notBefore = answerWindowEmails.has(what) ? parisInstant(session.period.answersFrom, '00:00') : undefined;
  await queueEmail(tx, { to: user.email, subject: t(subject, params), text: `${t(body, params)}\n\n--\n${t('email.footer')}` }, { notBefore });
}

const answerWindowEmails = new Set<LearnerEmail>(['accepted', 'waiting_list', 'refused', 'convoked']);

export type ApplicationView = Application & {
  session: SessionForApplication;
  events: (typeof applicationEvents.$inferSelect)[];
  /** SEL-7, SEL-8: a place offered and not yet answered, with its session. */
  offer: (typeof offers.$inferSelect & { session: SessionForApplication }) | null;
  /** SEL-3: the convocation to a test or interview. */
  convocation: typeof convocations.$inferSelect | null;
};

/** APP-9: every application of the learner with its session, history, offer and convocation. */
export async function listApplications(db: Db, learnerId: string): Promise<ApplicationView[]> {
  const rows = await db.select().from(applications).where(eq(applications.learnerId, learnerId)).orderBy(asc(applications.createdAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [events, openOffers, convocationRows] = await Promise.all([
    db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, ids)).orderBy(asc(applicationEvents.at), asc(applicationEvents.id)),
    db.select().from(offers).where(and(inArray(offers.applicationId, ids), eq(offers.status, 'open'))),
    db.select().from(convocations).where(inArray(convocations.applicationId, ids)),
  ]);
  const sessionIds = new Set([...rows.map((r) => r.sessionId), ...openOffers.map((o) => o.sessionId)]);
  const sessions = new Map((await sessionsForApplications(db, { ids: [...sessionIds] })).map((s) => [s.id, s]));
  return rows.map((r) => {
    const offer = openOffers.find((o) => o.applicationId === r.id);
    return {
      ...r,
      session: sessions.get(r.sessionId)!,
      events: events.filter((e) => e.applicationId === r.id),
      offer: offer ? { ...offer, session: sessions.get(offer.sessionId)! } : null,
      convocation: convocationRows.find((c) => c.applicationId === r.id) ?? null,
    };
  });
}

export async function getApplication(db: Db, learnerId: string, applicationId: string): Promise<ApplicationView | null> {
  if (!/^[0-9a-f-]{36}$/i.test(applicationId)) return null;
  return (await listApplications(db, learnerId)).find((a) => a.id === applicationId) ?? null;
}

export interface SessionCounts {
  /** Confirmed, convoked or on the waiting list: being processed. */
  processing: number;
  waitingList: number;
  accepted: number;
  enrolled: number;
  /** Places offered from a waiting list and not yet answered: they are held (SEL-8). */
  offered: number;
}

/** For staff lists: how many applications of each kind each session has. */
export async function statusCountsBySession(db: Db, sessionIds: number[]): Promise<Map<number, SessionCounts>> {
  const counts = new Map<number, SessionCounts>();
  if (sessionIds.length === 0) return counts;
  const rows = await db
    .select({ sessionId: applications.sessionId, status: applications.status, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(inArray(applications.sessionId, sessionIds))
    .groupBy(applications.sessionId, applications.status);
  for (const row of rows) {
    const c = counts.get(row.sessionId) ?? { processing: 0, waitingList: 0, accepted: 0, enrolled: 0, offered: 0 };
    if (['confirmed', 'convoked', 'waiting_list'].includes(row.status)) c.processing += row.n;
    if (row.status === 'waiting_list') c.waitingList += row.n;
    if (row.status === 'accepted') c.accepted += row.n;
    if (row.status === 'enrolled') c.enrolled += row.n;
    counts.set(row.sessionId, c);
  }
  const held = await db
    .select({ sessionId: offers.sessionId, n: sql<number>`count(*)::int` })
    .from(offers)
    .where(and(inArray(offers.sessionId, sessionIds), eq(offers.status, 'open')))
    .groupBy(offers.sessionId);
  for (const row of held) {
    const c = counts.get(row.sessionId) ?? { processing: 0, waitingList: 0, accepted: 0, enrolled: 0, offered: 0 };
    c.offered = row.n;
    counts.set(row.sessionId, c);
  }
  return counts;
}

/** Applications still to be decided: confirmed, or convoked to the test or interview. */
export const undecided: ApplicationStatus[] = ['confirmed', 'convoked'];

/** SEL-1: the applications a session's selection is made among (not yet decided). */
export async function applicantsOf(db: Db | Tx, sessionId: number) {
  return db
    .select({ id: applications.id, learnerId: applications.learnerId, situation: applications.situation, objective: applications.objective, status: applications.status })
    .from(applications)
    .where(and(eq(applications.sessionId, sessionId), inArray(applications.status, undecided)))
    .orderBy(asc(applications.id));
}

/** SEL-6: places taken in a session: accepted, enrolled, and held by an open offer (SEL-8). */
export async function takenPlaces(db: Db | Tx, sessionId: number): Promise<number> {
  return (await placesTaken(db, [sessionId])).get(sessionId) ?? 0;
}

export type Decision = { applicationId: string; outcome: 'accepted' | 'waiting_list'; rank: number } | { applicationId: string; outcome: 'refused' };

/**
 * SEL-3: applies selection outcomes in the caller's transaction, each with its event and email.
 * Only applications still undecided are decided: deciding twice changes nothing.
 */
export async function applyDecisions(tx: Tx, deps: ApplicationDeps, decisions: Decision[], actorId: string): Promise<number> {
  if (decisions.length === 0) return 0;
  const rows = await tx
    .select()
    .from(applications)
    .where(and(inArray(applications.id, decisions.map((d) => d.applicationId)), inArray(applications.status, undecided)))
    .for('update');
  const byId = new Map(rows.map((r) => [r.id, r]));
  const sessions = new Map((await sessionsForApplications(tx, { ids: [...new Set(rows.map((r) => r.sessionId))] })).map((s) => [s.id, s]));
  const learners = await getUsers(tx, [...new Set(rows.map((r) => r.learnerId))]);
  let applied = 0;
  for (const decision of decisions) {
    const application = byId.get(decision.applicationId);
    if (!application) continue;
    await moveTo(tx, deps.clock, application, {
      to: decision.outcome,
      actorId,
      reason: decision.outcome === 'refused' ? 'prerequisites' : undefined,
      set: decision.outcome === 'waiting_list' ? { waitingRank: decision.rank } : decision.outcome === 'refused' ? { closedAt: deps.clock.now() } : {},
    });
    await emailLearner(tx, deps, learners.get(application.learnerId), sessions.get(application.sessionId)!, decision.outcome);
    applied++;
  }
  return applied;
}

/**
 * ACC-8 (a coordinator's learners): who has an application in one of these sessions (a basket
 * not yet validated does not count), optionally only among `learnerIds`.
 */
export async function learnersWithApplicationIn(db: DbOrTx, sessionIds: number[], options: { learnerIds?: string[] } = {}): Promise<string[]> {
  if (sessionIds.length === 0 || options.learnerIds?.length === 0) return [];
  const rows = await db
    .selectDistinct({ learnerId: applications.learnerId })
    .from(applications)
    .where(
      and(
        sql`${applications.sessionId} = any(${sql.param(sessionIds)}::int[])`,
        sql`${applications.status} <> 'preselected'`,
        options.learnerIds ? sql`${applications.learnerId} = any(${sql.param(options.learnerIds)}::uuid[])` : undefined,
      ),
    );
  return rows.map((r) => r.learnerId);
}
