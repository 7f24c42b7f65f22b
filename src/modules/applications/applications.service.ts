import { and, asc, eq, getTableName, inArray, isNotNull, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { statement, writeTogether, readTogether } from '../../db/statements';
import { parisInstant, type Clock } from '../../platform/clock';
import { translator, type MessageKey, type Translator } from '../../platform/i18n';
import { createHook, createPort } from '../../platform/hooks';
import { isUuid } from '../../platform/input';
import type { EmailAttachment } from '../../platform/outbox';
import { getPolicies, type Policies } from '../../platform/policies';
import { getLearnerProfile, getUser, getUsers, lockUser, parisDay, tellLearner, type LearnerMessage, type LockedUser, type User } from '../accounts';
import { freePlaces, lockSession, placesHeld, sessionsForApplications, sharedSessionQuery, unitsOf, type SessionForApplication } from '../catalogue';
import type { Profile } from '../../domain/profile';
import type { FundingSource } from '../../domain/vocabulary';
import { slotText } from '../../ui/format';
import type { Line } from '../../ui/explanation';
import { checkConfirmation, checkPreselection, type ExistingApplication, type Refusal } from './applications.rules';
import { inPersonConsent, type Allowance, type Objective, type Situation } from '../../domain/vocabulary';
import { applicationEvents, applications, type EventDetails } from './applications.table';
import { deleteProofOf, proofsOf, type ProofView } from './proofs.service';
import {
  availableActions,
  countsTowardCap,
  inGroup,
  isLive,
  refusal,
  statusesSql,
  statusIn,
  statusGroups,
  statusList,
  target,
  transitions,
  type Action,
  type Actor,
  type AssistingActor,
  type ApplicationStatus,
  type Facts,
  type LearnerEmail,
  type Refusal as LifecycleRefusal,
  type StatusGroup,
} from './lifecycle';

export type { ApplicationDeps } from './deps';
import type { ApplicationDeps } from './deps';

export type Application = typeof applications.$inferSelect;
export type Failure = Refusal | LifecycleRefusal | { ok: false; code: 'not_found' | 'no_record' | 'closed_window' | 'repeat_limit' | 'incomplete' | 'not_cancellable'; message: MessageKey };

const notFound: Failure = { ok: false, code: 'not_found', message: 'error.notFound.message' };
const closedWindow = { ok: false, code: 'closed_window', message: 'app.refused.closed' } as const satisfies Failure;
/** CERT-3: the FAQ's reason: one repeat only. */
const repeatLimit = { ok: false, code: 'repeat_limit', message: 'cert.error.repeatLimit' } as const satisfies Failure;
/** SVC-2: the service cancelled the session: nobody applies to it any more. */
const sessionCancelled = { ok: false, code: 'closed_window', message: 'session.cancelled' } as const satisfies Failure;

/** APP-2, APP-3, APP-5 under a rush: one action at a time per learner (accounts' row lock). */
const lockLearner = lockUser;

/** CERT-3, CERT-6: what the learner's past levels say of applying to a course. */
export interface CourseStanding {
  /** CERT-3: the failures in this course used up the repeats the policy allows. */
  repeatsUsedUp: boolean;
  /** CERT-6: the learner passed the course's previous level: its priority window is theirs. */
  priority: boolean;
}

/**
 * CERT-3, CERT-6: the learner's standing for these courses, by course id; certification answers
 * (from the end-of-course outcomes). Without an answer: no repeat used, no priority.
 */
export const courseStandings = createPort(
  async (
    _db: DbOrTx,
    _learnerId: string,
    _courses: { courseId: number; previousCourseId: number | null }[],
    _known?: { held: { id: string; learnerId: string; courseId: number }[] },
  ): Promise<Map<number, CourseStanding>> => new Map(),
);

const noStanding: CourseStanding = { repeatsUsedUp: false, priority: false };
/**
 * `mine`, the learner's applications read under their lock: the places they hold are given with
 * the question (what `placesHeldIn` would read again).
 */
async function standingOf(db: DbOrTx, learnerId: string, session: Pick<SessionForApplication, 'courseId' | 'previousCourseId'>, mine?: Application[]): Promise<CourseStanding> {
  const known = mine && { held: mine.filter((a) => a.courseId === session.courseId && inGroup('holdsPlace', a.status)).map((a) => ({ id: a.id, learnerId: a.learnerId, courseId: a.courseId })) };
  return (await courseStandings.ask(db, learnerId, [{ courseId: session.courseId, previousCourseId: session.previousCourseId }], known)).get(session.courseId) ?? noStanding;
}

const applicationsOfLearner = statement('applications_of_learner', (db) =>
  db.select().from(applications).where(eq(applications.learnerId, sql.placeholder('learner'))).orderBy(asc(applications.createdAt)),
);

/** The learner's applications with the session facts the rules need. */
async function learnerApplications(tx: Tx, learnerId: string): Promise<(Application & { session: SessionForApplication })[]> {
  const rows = await applicationsOfLearner(tx).execute({ learner: learnerId });
  const sessions = new Map((await sessionsForApplications(tx, { ids: [...new Set(rows.map((r) => r.sessionId))] })).map((s) => [s.id, s]));
  return rows.map((r) => ({ ...r, session: sessions.get(r.sessionId)! }));
}

/** Locks the learner, then loads their applications and the one asked for (undefined if not theirs). */
async function lockedApplications(tx: Tx, learnerId: string, applicationId: string) {
  const user = await lockLearner(tx, learnerId);
  const existing = await learnerApplications(tx, learnerId);
  return { existing, application: existing.find((a) => a.id === applicationId), user: user ?? null };
}

const asExisting = (a: Application & { session: SessionForApplication }): ExistingApplication => ({
  id: a.id,
  status: a.status,
  title: a.session.title,
  courseId: a.courseId,
  firstMeeting: a.session.firstMeeting,
  lastMeeting: a.session.lastMeeting,
  slots: a.session.slots,
  sessionCancelled: a.session.cancelledAt !== null,
});

/**
 * SEL-8: an application gave up what it held: its place (`heldSessionId`, when it held one)
 * and any open offer. The selection module subscribes (voids the offer, refills the places);
 * the event is heard in the transaction that made the change.
 */
export const placeReleased = createHook<{ applicationId: string; heldSessionId: number | null; to: ApplicationStatus; at: Date }, Tx>();

/**
 * SVC-8: an application's status was written with its `application_events` row (its creation
 * as a preselection: `from` null), or the application was deleted (a preselection the learner
 * deleted, APP-6: `to` is `'deleted'`, heard before its row goes). The webhooks module
 * subscribes; heard in the transaction of the change, so a change rolled back announces nothing.
 */
export const statusChanged = createHook<{ applicationId: string; learnerId: string; sessionId: number; from: ApplicationStatus | null; to: ApplicationStatus | 'deleted'; at: Date }, Tx>();

/**
 * Every change of an application goes through here, as its row of the lifecycle table says
 * (docs/decisions/007): the actor's role, the statuses it starts from and its guard are checked
 * (a refusal comes back with its code and nothing is written); then the new status, its
 * `application_events` row, the closing date, the released place (`placeReleased`) and the
 * row's email, all in the caller's transaction. `facts` are what the guard needs besides the
 * status and the session's period; `email: null` sends none, `extra` fills its placeholders.
 */
export async function transition(
  tx: Tx,
  deps: ApplicationDeps,
  input: {
    application: Application;
    action: Action;
    actor: Actor;
    session: SessionForApplication;
    facts?: Omit<Partial<Facts>, 'status' | 'period'>;
    reason?: string;
    set?: Partial<Application>;
    email?: LearnerEmail | null;
    extra?: EmailExtra;
    /** SVC-7: files the email carries (a convocation's calendar file), written in the learner's language. */
    attachments?: EmailAttachments;
    /** The learner's row, when read already (under their lock: `LockedUser`, the email reads nothing again). */
    user?: User | LockedUser | null;
    /** What the event records besides the actor's (SEL-7: the course it moved from and to). */
    details?: EventDetails;
  },
): Promise<{ ok: true; status: ApplicationStatus } | LifecycleRefusal> {
  const { application, action, actor } = input;
  const facts: Facts = { ...input.facts, status: application.status, period: input.session.period };
  const refused = refusal(action, facts, { role: actor.role, now: deps.clock.now() });
  if (refused) return refused;
  const row = transitions[action];
  const to = target(action, facts);
  if (to === 'deleted') {
    // No history row survives the application: the announcement is the only trace other systems get.
    await statusChanged.emit(tx, { applicationId: application.id, learnerId: application.learnerId, sessionId: application.sessionId, from: application.status, to, at: deps.clock.now() });
    await deleteProofOf(tx, application.id);
    await tx.delete(applications).where(eq(applications.id, application.id));
    return { ok: true, status: application.status };
  }
  const moved = input.set?.sessionId !== undefined && input.set.sessionId !== application.sessionId;
  const closes = to !== application.status && !isLive(to);
  const update =
    to !== application.status || moved || input.set
      ? tx
          .update(applications)
          .set({ ...input.set, status: to, ...(closes ? { closedAt: deps.clock.now() } : {}), ...(to !== 'waiting_list' ? { waitingRank: null } : {}) })
          .where(eq(applications.id, application.id))
      : undefined;
  // The row's update, its event and its email go to the database in one statement (one round
  // trip); what hears the change (statusChanged, placeReleased) hears it once they are written.
  const writes: SQLWrapper[] = update ? [update] : [];
  const event =
    to !== application.status || moved
      ? eventOf(deps.clock, {
          applicationId: application.id,
          learnerId: application.learnerId,
          sessionId: input.set?.sessionId ?? application.sessionId,
          actorId: actor.id,
          from: application.status,
          to,
          reason: input.reason,
          details: withDetails(detailsOf(actor), input.details),
        })
      : undefined;
  if (event) writes.push(event.insert);
  const email = input.email === undefined ? row.email : input.email;
  const user = email ? (input.user !== undefined ? input.user : await getUser(tx, application.learnerId)) : null;
  if (email && user) {
    // A withdrawal's email says why, in the learner's words and language.
    const why: Record<string, string> = email === 'withdrawn' ? { reason: translator(user.locale ?? 'fr')(withdrawalReasons[input.reason ?? ''] ?? 'apps.withdrawn.other') } : {};
    await emailLearner(tx, deps, user, input.session, email, { ...why, ...input.extra }, input.attachments, writes);
  } else await writeTogether(tx, writes);
  await event?.announce(tx);
  if (row.releases)
    await placeReleased.emit(tx, { applicationId: application.id, heldSessionId: inGroup('holdsPlace', application.status) ? application.sessionId : null, to, at: deps.clock.now() });
  return { ok: true, status: to };
}

/**
 * Writes an application's event (and announces its change of status). `along`, the update of the
 * application's row the event records, is sent with it, in the same statement.
 */
async function recordEvent(tx: Tx, clock: Clock, event: EventFacts, along?: SQLWrapper) {
  const { insert, announce } = eventOf(clock, event);
  await writeTogether(tx, along ? [along, insert] : [insert]);
  await announce(tx);
}

type EventFacts = { applicationId: string; learnerId: string; sessionId: number; actorId: string | null; from: ApplicationStatus | null; to: ApplicationStatus; reason?: string; details?: EventDetails | null };

/** An application's event: its insert, to be sent, and once it is, its announcement (SVC-8's statusChanged, when the status changed). */
function eventOf(clock: Clock, event: EventFacts) {
  const at = clock.now();
  const insert = sql`insert into ${applicationEvents} (application_id, at, actor_id, from_status, to_status, reason, details) values (${event.applicationId}, ${at}, ${event.actorId}, ${event.from}, ${event.to}, ${event.reason ?? null}, ${event.details ? JSON.stringify(event.details) : null}::jsonb)`;
  const announce = async (tx: Tx) => {
    if (event.from !== event.to) await statusChanged.emit(tx, { applicationId: event.applicationId, learnerId: event.learnerId, sessionId: event.sessionId, from: event.from, to: event.to, at });
  };
  return { insert, announce };
}

/**
 * SVC-5: a help desk's counsellor acts only with the learner present and agreeing (the
 * `AssistingActor` type says so): each event they cause records it.
 */
const assistedInPerson: EventDetails = { assisted: true, consent: inPersonConsent };
/** SEL-13: what the learner's preference responder did for them. */
const byResponder: EventDetails = { responder: true };
const detailsOf = (actor: Pick<Actor, 'role' | 'responder'>): EventDetails | null => (actor.role === 'counsellor' ? assistedInPerson : actor.responder ? byResponder : null);
const withDetails = (a: EventDetails | null, b: EventDetails | undefined): EventDetails | null => (b ? { ...a, ...b } : a);
/** Who acts: the counsellor for the learner, or the learner. */
const actorOf = (learnerId: string, assisting: AssistingActor | undefined): Actor => (assisting ? { id: assisting.id, role: assisting.role } : { id: learnerId, role: 'learner' });

/**
 * APP-2, APP-3 for a move (SEL-5, SEL-7, SEL-10): may this application go to `target` without
 * meeting at the same time as, or duplicating the course of, the learner's other live ones?
 * With `cap` (SEL-7, a place taken in an equivalent course), APP-5 too: the learner's other
 * applications counting toward the cap leave room for this one.
 */
export async function moveCheck(
  tx: Tx,
  application: Pick<Application, 'id' | 'learnerId'>,
  target: SessionForApplication,
  options: { cap?: { max: number; today: string } } = {},
): Promise<{ ok: true } | Refusal> {
  const others = (await learnerApplications(tx, application.learnerId)).filter((a) => a.id !== application.id);
  const decision = checkPreselection(target, others.map(asExisting));
  if (!decision.ok || !options.cap) return decision;
  return checkConfirmation({ ...target, id: application.id }, others.map(asExisting), options.cap);
}

/**
 * SEL-5, SEL-7, SEL-10: moves an application to another session (its course may differ, for a
 * level), keeping its id and history, as `action` (moveLevel, moveDay, acceptOffer) says; the
 * caller holds the target session's lock. Refused when the move would break APP-2 or APP-3.
 */
export async function moveApplication(
  tx: Tx,
  deps: ApplicationDeps,
  input: {
    application: Application;
    action: 'moveLevel' | 'moveDay' | 'acceptOffer';
    to: SessionForApplication;
    actor: Actor;
    reason: string;
    facts?: Omit<Partial<Facts>, 'status' | 'period'>;
    email?: LearnerEmail;
    extra?: Record<string, string | Date>;
    /** SEL-7: APP-5 is checked too (moveCheck's `cap`). */
    cap?: { max: number; today: string };
  },
): Promise<{ ok: true } | Refusal | LifecycleRefusal> {
  await lockLearner(tx, input.application.learnerId);
  const check = await moveCheck(tx, input.application, input.to, { cap: input.cap });
  if (!check.ok) return check;
  // SEL-5, SEL-7: to another course (a level, an equivalent course): the event says from which to
  // which; the application keeps its id, its answers (situation, objective, motivations) and history.
  const from = input.to.courseId !== input.application.courseId ? (await sessionsForApplications(tx, { ids: [input.application.sessionId] }))[0] : undefined;
  const details: EventDetails | undefined = from ? { course: { from: { code: from.courseCode, title: from.title }, to: { code: input.to.courseCode, title: input.to.title } } } : undefined;
  const moved = await transition(tx, deps, {
    application: input.application,
    action: input.action,
    actor: input.actor,
    session: input.to,
    facts: input.facts,
    reason: input.reason,
    set: { sessionId: input.to.id, courseId: input.to.courseId },
    email: input.email,
    extra: input.extra,
    details,
  });
  return moved.ok ? { ok: true } : moved;
}

/**
 * APP-1, APP-2, APP-3, APP-7: saves a session in the learner's applications ("preselected").
 * Needs a learner record and an open window; refuses a second application to the same course
 * or one that meets at the same time as another live application, naming it.
 */
export async function preselectSession(
  deps: ApplicationDeps,
  input: { learnerId: string; sessionCode: string; actor?: AssistingActor },
): Promise<{ ok: true; applicationId: string } | Failure> {
  const { db, clock } = deps;
  const [found] = await sessionsForApplications(db, { codes: [input.sessionCode] });
  if (!found) return notFound;
  if (found.cancelledAt) return sessionCancelled;
  if (!(await getLearnerProfile(db, input.learnerId))) return { ok: false, code: 'no_record', message: 'app.refused.noRecord' };
  return db.transaction(async (tx) => {
    // SVC-2: read again under the session's lock (the lock order: session, then learner), so that
    // a cancellation racing this preselection wins cleanly: before it, or refused after it.
    await lockSession(tx, found.id);
    await lockLearner(tx, input.learnerId);
    const [session] = await sessionsForApplications(tx, { ids: [found.id] });
    const standing = await standingOf(tx, input.learnerId, session);
    const actor = actorOf(input.learnerId, input.actor);
    const refused = refusal('preselect', { status: 'preselected', period: session.period, sessionCancelled: session.cancelledAt !== null, ...standing }, { role: actor.role, now: clock.now() });
    if (refused?.message === 'session.cancelled') return sessionCancelled;
    if (refused?.code === 'CERT-3') return repeatLimit;
    if (refused) return closedWindow;
    const existing = await learnerApplications(tx, input.learnerId);
    const decision = checkPreselection(session, existing.map(asExisting));
    if (!decision.ok) return decision;
    const [created] = await tx
      .insert(applications)
      .values({ learnerId: input.learnerId, sessionId: session.id, courseId: session.courseId, createdAt: clock.now(), assistedBy: input.actor?.id ?? null })
      .returning({ id: applications.id });
    await recordEvent(tx, clock, { applicationId: created.id, learnerId: input.learnerId, sessionId: session.id, actorId: actor.id, from: null, to: 'preselected', details: detailsOf(actor) });
    return { ok: true as const, applicationId: created.id };
  });
}

/**
 * CRED-2: what a learner's enrolment in a unit's session would meet now, for the sheet and the
 * confirmation page (the lifecycle's `enrolUnit` facts, read without locks): the facts, and
 * whether the row allows it. The service decides again under the locks.
 */
export async function unitEnrolmentFacts(
  db: DbOrTx,
  deps: { clock: Clock; profile: Profile },
  sessions: readonly SessionForApplication[],
): Promise<Map<number, Omit<Facts, 'status' | 'period'>>> {
  const facts = new Map<number, Omit<Facts, 'status' | 'period'>>();
  if (sessions.length === 0) return facts;
  const today = parisDay(deps.clock.now());
  const [units, held] = await readTogether(db, [async () => unitsOf(db, { ids: [...new Set(sessions.map((s) => s.courseId))] }), async () => placesHeld.ask(db, sessions.map((s) => s.id))]);
  const unitIds = new Set(units.map((u) => u.id));
  for (const s of sessions)
    facts.set(s.id, {
      profile: deps.profile,
      unit: unitIds.has(s.courseId),
      sessionEnded: s.lastMeeting < today,
      freePlaces: freePlaces(s.capacity, held.get(s.id) ?? 0),
      sessionCancelled: s.cancelledAt !== null,
    });
  return facts;
}

/**
 * CRED-2, CRED-5 (docs/decisions/027): enrols a learner directly in a unit's session, in the
 * caller's transaction (which then records the money: payments' `enrolInUnit`). Under the
 * session's lock, then the learner's (the lock order of every path that takes a place): the
 * lifecycle's `enrolUnit` row (the credits profile, a unit's session not ended, a free place as
 * `placesHeld` counts them, not cancelled, CERT-3's repeats), then APP-2, APP-3 and APP-5 as a
 * confirmation checks them. The same learner enrolling twice in the same session (a double
 * click) gets the first enrolment back (`already`). Refusals write nothing.
 */
export async function enrolInUnit(
  tx: Tx,
  deps: ApplicationDeps & { profile: Profile },
  input: { learnerId: string; sessionId: number; funding: FundingSource; maxActive: number; actor?: AssistingActor; extra?: EmailExtra },
): Promise<{ ok: true; application: Application; session: SessionForApplication; already: boolean } | Failure> {
  const { clock } = deps;
  await lockSession(tx, input.sessionId);
  await lockLearner(tx, input.learnerId);
  const [session] = await sessionsForApplications(tx, { ids: [input.sessionId] });
  if (!session) return notFound;
  if (!(await getLearnerProfile(tx, input.learnerId))) return { ok: false, code: 'no_record', message: 'app.refused.noRecord' };
  const existing = await learnerApplications(tx, input.learnerId);
  const same = existing.find((a) => a.sessionId === session.id && inGroup('holdsPlace', a.status));
  if (same) return { ok: true, application: same, session, already: true };
  const facts: Facts = {
    ...(await unitEnrolmentFacts(tx, { clock, profile: deps.profile }, [session])).get(session.id)!,
    ...(await standingOf(tx, input.learnerId, session)),
    funding: input.funding,
    status: 'accepted',
    period: session.period,
  };
  const actor = actorOf(input.learnerId, input.actor);
  const refused = refusal('enrolUnit', facts, { role: actor.role, now: clock.now() });
  if (refused) return refused;
  const decision = checkConfirmation({ ...session, id: '' }, existing.map(asExisting), { max: input.maxActive, today: parisDay(clock.now()) });
  if (!decision.ok) return decision;
  const to = target('enrolUnit', facts) as ApplicationStatus;
  const now = clock.now();
  const [created] = await tx
    .insert(applications)
    .values({ learnerId: input.learnerId, sessionId: session.id, courseId: session.courseId, status: to, direct: true, createdAt: now, confirmedAt: now, rulesAcceptedAt: now, assistedBy: input.actor?.id ?? null })
    .returning();
  await recordEvent(tx, clock, { applicationId: created.id, learnerId: input.learnerId, sessionId: session.id, actorId: actor.id, from: null, to, reason: 'enrol_unit', details: detailsOf(actor) });
  await emailLearner(tx, deps, await getUser(tx, input.learnerId), session, transitions.enrolUnit.email!, { link: `${deps.baseUrl}/candidatures/${created.id}`, ...input.extra });
  return { ok: true, application: created, session, already: false };
}

export interface Answers {
  situation?: Situation;
  /** PAY-6: a welfare recipient's allowance (null: none, or another situation). */
  allowance?: Allowance | null;
  objective?: Objective;
  motivations?: string;
}

/**
 * APP-4: keeps the answers of the application form's steps on the preselection (APP-6: editable).
 * SVC-5: answers a counsellor fills in with the learner present are an event of the history
 * (the counsellor, the consent), and make the application an assisted one.
 */
export async function saveAnswers(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string; answers: Answers; actor?: AssistingActor },
): Promise<{ ok: true } | Failure> {
  if (!isUuid(input.applicationId)) return notFound;
  const where = and(eq(applications.id, input.applicationId), eq(applications.learnerId, input.learnerId), sql`${applications.status} in ${statusFrom('edit')}`);
  const assisting = input.actor;
  if (!assisting) {
    const updated = await deps.db.update(applications).set(input.answers).where(where).returning({ id: applications.id });
    return updated.length ? { ok: true } : notFound;
  }
  if (refusal('edit', { status: 'preselected', period: noPeriod }, { role: assisting.role, now: deps.clock.now() })?.code === 'role') return notFound;
  return deps.db.transaction(async (tx) => {
    const updated = await tx
      .update(applications)
      .set({ ...input.answers, assistedBy: sql`coalesce(${applications.assistedBy}, ${assisting.id}::uuid)` })
      .where(where)
      .returning({ id: applications.id, status: applications.status, sessionId: applications.sessionId });
    if (!updated.length) return notFound;
    const actor = actorOf(input.learnerId, assisting);
    await recordEvent(tx, deps.clock, {
      applicationId: input.applicationId,
      learnerId: input.learnerId,
      sessionId: updated[0].sessionId,
      actorId: actor.id,
      from: updated[0].status,
      to: updated[0].status,
      reason: 'answers',
      details: detailsOf(actor),
    });
    return { ok: true as const };
  });
}

/** For a role check that reads no window (`edit` has no guard). */
const noPeriod: Facts['period'] = { applicationsOpenAt: new Date(0), applicationsCloseAt: new Date(0) };

/** The statuses an action starts from, as an SQL list. */
const statusFrom = (action: Action) => statusesSql(transitions[action].from);

/**
 * APP-4, APP-5, APP-7, APP-8: validates a preselection whose form is complete. In one
 * transaction, under the learner's lock: the caps are checked, the status becomes "confirmed",
 * the event is recorded and the confirmation email written to the outbox. Validating twice
 * (a double click) answers as the first time.
 */
export async function confirmApplication(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string; actor?: AssistingActor },
  knownPolicies?: Policies,
): Promise<{ ok: true } | Failure> {
  const { db, clock } = deps;
  if (!isUuid(input.applicationId)) return notFound;
  const policies = knownPolicies ?? (await getPolicies(db));
  return db.transaction(async (tx) => {
    // SVC-2: the session held first (the lock order: session, then learner), so that a
    // cancellation of the session and this confirmation go one after the other: either it is
    // confirmed before and the cancellation closes it, or it reads the session cancelled. Held
    // shared: a validation takes no place, so the session's other validations run beside it.
    // The application's session read and held in one statement (one round trip).
    const [held] = await sessionOfApplicationShared(tx).execute({ id: input.applicationId, learner: input.learnerId });
    if (!held) return notFound;
    const { existing, application, user } = await lockedApplications(tx, input.learnerId, input.applicationId);
    if (!application) return notFound;
    if (application.status === 'confirmed') return { ok: true as const };
    const formComplete = Boolean(application.situation && application.objective && application.motivations);
    const standing = await standingOf(tx, input.learnerId, application.session, existing);
    const actor = actorOf(input.learnerId, input.actor);
    const refused = refusal(
      'confirm',
      { status: application.status, period: application.session.period, formComplete, sessionCancelled: application.session.cancelledAt !== null, ...standing },
      { role: actor.role, now: clock.now() },
    );
    if (refused?.code === 'status') return notFound;
    if (refused?.message === 'session.cancelled') return sessionCancelled;
    if (refused?.code === 'CERT-3') return repeatLimit;
    if (refused?.code === 'APP-7') return closedWindow;
    if (refused?.code === 'APP-4') return { ok: false as const, code: 'incomplete' as const, message: 'field.required' as const };
    const decision = checkConfirmation(asExisting(application), existing.map(asExisting), {
      max: policies.maxActiveApplications,
      today: parisDay(clock.now()),
    });
    if (!decision.ok) return decision;
    const done = await transition(tx, deps, {
      application,
      action: 'confirm',
      actor,
      session: application.session,
      facts: { formComplete, sessionCancelled: false, ...standing },
      // SVC-5: validated at a help desk: an assisted application (the first counsellor stays).
      set: { confirmedAt: clock.now(), rulesAcceptedAt: clock.now(), ...(input.actor && !application.assistedBy ? { assistedBy: input.actor.id } : {}) },
      // The learner's row read under their lock: the email needs no second read.
      user,
    });
    return done.ok ? { ok: true as const } : done;
  });
}

const sessionOfApplicationShared = statement('applications_share_session_of', (db) =>
  sharedSessionQuery(db, sql`(select ${applications.sessionId} from ${applications} where ${applications.id} = ${sql.placeholder('id')} and ${applications.learnerId} = ${sql.placeholder('learner')})`),
);

/**
 * APP-6: a confirmed application is cancelled by the learner until the window closes. After it,
 * the learner may still give up (withdrawal): a place they held, or had been offered, goes to
 * the next on the waiting list (SEL-8) through `placeReleased`.
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
    // CERT-6: a confirmed application of the priority window is cancelled in it too.
    const { priority } = await standingOf(tx, input.learnerId, application.session);
    const facts = { status: application.status, period: application.session.period, priority };
    const action = refusal('cancel', facts, { role: 'learner', now: clock.now() }) === null ? 'cancel' : 'withdraw';
    const done = await transition(tx, deps, {
      application,
      action,
      actor: { id: input.learnerId, role: 'learner' },
      session: application.session,
      facts: { priority },
      reason: 'learner',
    });
    if (!done.ok) return { ok: false as const, code: 'not_cancellable' as const, message: 'app.cancel.tooLate' as const };
    return { ok: true as const, status: action === 'cancel' ? ('cancelled' as const) : ('withdrawn' as const) };
  });
}

const withdrawalReasons: Record<string, MessageKey> = {
  learner: 'apps.withdrawn.learner',
  absent: 'apps.withdrawn.absent',
  offer_declined: 'apps.withdrawn.offerDeclined',
  offer_expired: 'apps.withdrawn.offerExpired',
};

/** APP-6: a preselection can be deleted while its window is open, SVC-2: or when its session was cancelled (SVC-5: also by a counsellor with the learner present). */
export async function deletePreselection(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string; actor?: AssistingActor },
): Promise<{ ok: true } | Failure> {
  const { db } = deps;
  return db.transaction(async (tx) => {
    const { application } = await lockedApplications(tx, input.learnerId, input.applicationId);
    if (!application || application.status !== 'preselected') return notFound;
    const { priority } = await standingOf(tx, input.learnerId, application.session);
    // SVC-2: the preselection of a cancelled session may be cleared whatever the window.
    const facts = { priority, sessionCancelled: application.session.cancelledAt !== null };
    const done = await transition(tx, deps, { application, action: 'delete', actor: actorOf(input.learnerId, input.actor), session: application.session, facts });
    return done.ok ? { ok: true as const } : closedWindow;
  });
}

export const emailKeys = {
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
  enrolment_validated: ['email.enrolmentValidated.subject', 'email.enrolmentValidated.body'],
  payment_received: ['email.paymentReceived.subject', 'email.paymentReceived.body'],
  payment_reminder: ['email.paymentReminder.subject', 'email.paymentReminder.body'],
  unpaid_released: ['email.unpaidReleased.subject', 'email.unpaidReleased.body'],
  removed_absences: ['email.removedAbsences.subject', 'email.removedAbsences.body'],
  excluded_absences: ['email.excludedAbsences.subject', 'email.excludedAbsences.body'],
  excluded_conduct: ['email.excludedConduct.subject', 'email.excludedConduct.body'],
  absent_released: ['email.absentReleased.subject', 'email.absentReleased.body'],
  offer_equivalent: ['email.offerEquivalent.subject', 'email.offerEquivalent.body'],
  unit_enrolled: ['email.unitEnrolled.subject', 'email.unitEnrolled.body'],
} as const satisfies Record<LearnerEmail, [MessageKey, MessageKey]>;
export type { LearnerEmail };
/** An email's placeholders besides the session's: text, a date-time, or text in the learner's language. */
export type EmailExtra = Record<string, string | Date | ((t: Translator) => string)>;
/** SVC-7: an email's files, in the learner's language. */
export type EmailAttachments = (t: Translator) => EmailAttachment[];

/**
 * One of the application messages, as `tellLearner` sends it (SVC-7): the email and, by default,
 * the SMS `sms.generic` (its subject and the applications page). `extra` gives the placeholders
 * some messages have besides the session's (a deadline, a date): dates are formatted in the
 * learner's language.
 */
export function applicationMessage(baseUrl: string, session: SessionForApplication, what: LearnerEmail, extra: EmailExtra = {}, attachments?: EmailAttachments): LearnerMessage {
  const [subject, body] = emailKeys[what];
  // SEL-3: selection outcomes are told during the answer window: one decided before it waits
  // in the outboxes until its first day (the account shows it at once). A convocation is not an
  // outcome: it goes at once, as its test may come before the window (SEL-4: absent = withdrawn).
  const notBefore = answerWindowEmails.has(what) ? parisInstant(session.period.answersFrom, '00:00') : undefined;
  return {
    purpose: `apps.email.${what}`,
    notBefore,
    compose: (t) => {
      const params = {
        title: session.title,
        school: session.schoolName,
        slots: session.slots.map((s) => slotText(t, s)).join(' ; '),
        link: `${baseUrl}/candidatures`,
        ...Object.fromEntries(Object.entries(extra).map(([key, v]) => [key, v instanceof Date ? t.date(v, 'datetime') : typeof v === 'function' ? v(t) : v])),
      };
      return { subject: t(subject, params), text: t(body, params), link: params.link, attachments: attachments?.(t) };
    },
  };
}

/**
 * Tells the learner one of the application messages, in their language, by the channels they
 * chose (SVC-7: accounts' `tellLearner`), in the caller's transaction.
 */
export async function emailLearner(
  tx: Tx,
  deps: ApplicationDeps,
  user: User | LockedUser | null | undefined,
  session: SessionForApplication,
  what: LearnerEmail,
  extra: EmailExtra = {},
  attachments?: EmailAttachments,
  /** Writes of the change the email announces, sent with it (one round trip), or alone. */
  along: SQLWrapper[] = [],
) {
  if (!user) return writeTogether(tx, along);
  // The row read under the learner's lock (`lockUser`) reaches them without a second read.
  await tellLearner(tx, 'recordMobile' in user ? user : user.id, applicationMessage(deps.baseUrl, session, what, extra, attachments), { along });
}

const answerWindowEmails = new Set<LearnerEmail>(['accepted', 'waiting_list', 'refused']);

/** What the selection module tells the learner's page about an application. */
export interface SelectionView {
  /** SEL-7, SEL-8: a place offered and not yet answered, with its session. */
  offer: { id: string; kind: 'waiting_list' | 'equivalent'; expiresAt: Date; session: SessionForApplication } | null;
  /** SEL-3: the convocation to a test or interview. */
  convocation: { kind: 'test' | 'interview'; at: Date; place: string; token: string; attendance: 'present' | 'absent' | null } | null;
  /** SEL-1, SEL-12: for a refused application, what the coordinator found missing. */
  refusalReason: string | null;
  /**
   * SEL-11, SEL-12: the decision in plain words (criteria, evaluation, rank, places) and, on a
   * waiting list, where the learner stands now and what happens next; the page shows the lines.
   */
  explanation?: { decision: Line[]; waiting: Line[] } | null;
  /** SEL-2: the application's pseudonymous reference in its session's published draw. */
  drawReference?: string;
  /** SEL-13: the application's place in the learner's preference list, when the responder is on (else absent). */
  preference?: { position: number; of: number } | null;
}

/** Asked of the selection module, which answers it (a port: applications never reads its tables). */
export const selectionViews = createPort(async (_db: DbOrTx, _applicationIds: string[]): Promise<Map<string, SelectionView>> => {
  throw new Error('No module answers selectionViews: load the selection module (its index.ts) before listing applications.');
});

/** What the payments module tells the learner's page about an application (PAY-1, APP-9): the amount due and until when. */
export interface PaymentSummary {
  amountCents: number;
  dueOn: string;
  status: 'due' | 'paid' | 'cancelled';
}

/** Asked of the payments module; until it answers (a test without it), no application has a payment. */
export const paymentSummaries = createPort(async (_db: DbOrTx, _applicationIds: string[]): Promise<Map<string, PaymentSummary>> => new Map());

export type ApplicationView = Application &
  SelectionView & {
    payment: PaymentSummary | null;
    session: SessionForApplication;
    events: (typeof applicationEvents.$inferSelect)[];
    /** What the learner may do with it now (the lifecycle's table). */
    actions: Set<Action>;
    /** PAY-6: the half-rate proof sent, if any. */
    proof: ProofView | null;
  };

/** APP-9: every application of the learner with its session, history, offer and convocation. */
export async function listApplications(db: Db, clock: Clock, learnerId: string): Promise<ApplicationView[]> {
  const rows = await db.select().from(applications).where(eq(applications.learnerId, learnerId)).orderBy(asc(applications.createdAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [events, views, summaries, proofs] = await Promise.all([
    db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, ids)).orderBy(asc(applicationEvents.at), asc(applicationEvents.id)),
    selectionViews.ask(db, ids),
    paymentSummaries.ask(db, ids),
    proofsOf(db, ids),
  ]);
  const sessions = new Map((await sessionsForApplications(db, { ids: [...new Set(rows.map((r) => r.sessionId))] })).map((s) => [s.id, s]));
  // CERT-6: the priority window opens the learner's actions early; CERT-3 is said when they act.
  const standings = await courseStandings.ask(db, learnerId, [...sessions.values()].map((s) => ({ courseId: s.courseId, previousCourseId: s.previousCourseId })));
  const now = clock.now();
  return rows.map((r) => {
    const view = views.get(r.id) ?? { offer: null, convocation: null, refusalReason: null };
    const session = sessions.get(r.sessionId)!;
    const proof = proofs.get(r.id) ?? null;
    const facts: Facts = {
      status: r.status,
      period: session.period,
      priority: standings.get(session.courseId)?.priority ?? false,
      offer: view.offer,
      convocation: view.convocation,
      formComplete: Boolean(r.situation && r.objective && r.motivations),
      proof: proof?.status ?? null,
      sessionCancelled: session.cancelledAt !== null,
    };
    return {
      ...r,
      ...view,
      payment: summaries.get(r.id) ?? null,
      session,
      events: events.filter((e) => e.applicationId === r.id),
      actions: availableActions(facts, { role: 'learner', now }),
      proof,
    };
  });
}

/** APP-5, APP-9: the learner's page: their applications, and how many count toward the cap. */
export async function applicationsPage(db: Db, clock: Clock, learnerId: string, policies: Policies) {
  const apps = await listApplications(db, clock, learnerId);
  const today = parisDay(clock.now());
  return { apps, counting: apps.filter((a) => countsTowardCap({ status: a.status, lastMeeting: a.session.lastMeeting }, today)).length, max: policies.maxActiveApplications };
}

export async function getApplication(db: Db, clock: Clock, learnerId: string, applicationId: string): Promise<ApplicationView | null> {
  if (!isUuid(applicationId)) return null;
  return (await listApplications(db, clock, learnerId)).find((a) => a.id === applicationId) ?? null;
}

export interface SessionCounts {
  /** Confirmed, convoked or on the waiting list: being processed. */
  processing: number;
  waitingList: number;
  accepted: number;
  enrolled: number;
}

/** For staff lists: how many applications of each kind each session has. */
export async function statusCountsBySession(db: DbOrTx, sessionIds: number[]): Promise<Map<number, SessionCounts>> {
  const counts = new Map<number, SessionCounts>();
  if (sessionIds.length === 0) return counts;
  const rows = await db
    .select({ sessionId: applications.sessionId, status: applications.status, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(inArray(applications.sessionId, sessionIds))
    .groupBy(applications.sessionId, applications.status);
  for (const row of rows) {
    const c = counts.get(row.sessionId) ?? { processing: 0, waitingList: 0, accepted: 0, enrolled: 0 };
    if (inGroup('processing', row.status)) c.processing += row.n;
    if (row.status === 'waiting_list') c.waitingList += row.n;
    if (row.status === 'accepted') c.accepted += row.n;
    if (row.status === 'enrolled') c.enrolled += row.n;
    counts.set(row.sessionId, c);
  }
  return counts;
}

/**
 * SEL-6, decision 032: the places held by applications in the session whose id is the SQL
 * expression `sessionId`, as a scalar subquery: what `placesHeldByApplications` counts, for a
 * statement of another module that reads the places with its own rows (the catalogue's search,
 * through the selection module). The expression is the caller's code, never user input.
 */
export function placesHeldByApplicationsSql(sessionId: string): string {
  return `(select count(*)::int from ${getTableName(applications)} a where a.session_id = ${sessionId} and a.status in (${statusGroups.holdsPlace.map((s) => `'${s}'`).join(', ')}))`;
}

/** SEL-6: places held by applications (accepted, enrolled) in each of these sessions. */
export async function placesHeldByApplications(db: DbOrTx, sessionIds: number[]): Promise<Map<number, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ sessionId: applications.sessionId, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(and(inArray(applications.sessionId, sessionIds), statusIn(applications.status, 'holdsPlace')))
    .groupBy(applications.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.n]));
}

/**
 * SVC-5: assisted applications (made with a help desk's counsellor) holding a place (accepted,
 * awaiting payment, enrolled) in each of these sessions: what the held share already gave.
 */
export async function assistedHoldingPlaces(db: DbOrTx, sessionIds: number[]): Promise<Map<number, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ sessionId: applications.sessionId, n: sql<number>`count(*)::int` })
    .from(applications)
    .where(and(inArray(applications.sessionId, sessionIds), statusIn(applications.status, 'holdsPlace'), isNotNull(applications.assistedBy)))
    .groupBy(applications.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.n]));
}

/** SVC-5: of these applications, the assisted ones. */
export async function assistedAmong(db: DbOrTx, applicationIds: string[]): Promise<Set<string>> {
  if (applicationIds.length === 0) return new Set();
  const rows = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(sql`${applications.id} = any(${sql.param(applicationIds)}::uuid[])`, isNotNull(applications.assistedBy)));
  return new Set(rows.map((r) => r.id));
}

/** SEL-1: the applications a session's selection is made among (not yet decided). */
export async function applicantsOf(db: DbOrTx, sessionId: number) {
  return db
    .select({ id: applications.id, learnerId: applications.learnerId, situation: applications.situation, objective: applications.objective, status: applications.status, assisted: sql<boolean>`${applications.assistedBy} is not null` })
    .from(applications)
    .where(and(eq(applications.sessionId, sessionId), statusIn(applications.status, 'undecided')))
    .orderBy(asc(applications.id));
}

export type Decision =
  | { applicationId: string; outcome: 'accepted' | 'waiting_list'; rank: number }
  /** SEL-1, SEL-12: `reason` is what the coordinator recorded; the email gives it. */
  | { applicationId: string; outcome: 'refused'; reason: string };
const decisionAction = { accepted: 'accept', waiting_list: 'wait', refused: 'refuse' } as const;

/**
 * SEL-3: applies selection outcomes in the caller's transaction, each as its transition (event,
 * email). Only applications still undecided are decided: deciding twice changes nothing; a
 * role the table does not allow decides nothing.
 */
export async function applyDecisions(tx: Tx, deps: ApplicationDeps, decisions: Decision[], actor: Actor): Promise<number> {
  if (decisions.length === 0) return 0;
  const rows = (await applicationsByIds(tx, decisions.map((d) => d.applicationId), { lock: true })).filter((r) => inGroup('undecided', r.status));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const sessions = new Map((await sessionsForApplications(tx, { ids: [...new Set(rows.map((r) => r.sessionId))] })).map((s) => [s.id, s]));
  const learners = await getUsers(tx, [...new Set(rows.map((r) => r.learnerId))]);
  let applied = 0;
  for (const decision of decisions) {
    const application = byId.get(decision.applicationId);
    if (!application) continue;
    const done = await transition(tx, deps, {
      application,
      action: decisionAction[decision.outcome],
      actor,
      session: sessions.get(application.sessionId)!,
      reason: decision.outcome === 'refused' ? 'prerequisites' : undefined,
      set: decision.outcome === 'waiting_list' ? { waitingRank: decision.rank } : undefined,
      user: learners.get(application.learnerId) ?? null,
      extra: decision.outcome === 'refused' && decision.reason ? { reason: decision.reason } : {},
    });
    if (done.ok) applied++;
  }
  return applied;
}

/** The application and its session, for a module that acts on it (selection); null if unknown. */
export async function applicationById(db: DbOrTx, applicationId: string, options: { lock?: boolean } = {}): Promise<Application | null> {
  if (!isUuid(applicationId)) return null;
  const [row] = await (options.lock ? applicationLocked : applicationUnlocked)(db).execute({ id: applicationId });
  return row ?? null;
}
const applicationUnlocked = statement('application_by_id', (db) => db.select().from(applications).where(eq(applications.id, sql.placeholder('id'))));
const applicationLocked = statement('application_by_id_locked', (db) => db.select().from(applications).where(eq(applications.id, sql.placeholder('id'))).for('update'));

/** Applications of a session whose status an action starts from (or in a group), oldest id first; locked if asked. */
export async function applicationsOf(
  tx: DbOrTx,
  input: { sessionId: number; lock?: boolean; limit?: number } & ({ group: StatusGroup } | { action: Action }),
): Promise<Application[]> {
  const statuses = 'group' in input ? statusList(input.group) : statusFrom(input.action);
  const query = tx
    .select()
    .from(applications)
    .where(and(eq(applications.sessionId, input.sessionId), sql`${applications.status} in ${statuses}`))
    .orderBy(asc(applications.waitingRank), asc(applications.id))
    .$dynamic();
  if (input.limit !== undefined) query.limit(input.limit);
  return input.lock ? query.for('update') : query;
}

/** SEL-7: learners waiting for another session of this course, in rank order. */
export async function waitingForCourse(tx: DbOrTx, input: { courseId: number; exceptSessionId: number; excludeIds: string[]; limit: number }): Promise<Application[]> {
  return tx
    .select()
    .from(applications)
    .where(
      and(
        eq(applications.courseId, input.courseId),
        sql`${applications.sessionId} <> ${input.exceptSessionId}`,
        sql`${applications.status} in ${statusFrom('acceptOffer')}`,
        // Filtered before the limit: those already offered never hide the next ones.
        input.excludeIds.length ? sql`not (${applications.id} = any(${sql.param(input.excludeIds)}::uuid[]))` : undefined,
      ),
    )
    .orderBy(asc(applications.waitingRank), asc(applications.id))
    .limit(input.limit);
}

/**
 * SEL-7: learners waiting in sessions of these (equivalent) courses, fairly ordered: their rank
 * on their own list, then a stable draw of their own for this target session, md5 of
 * `sel7:<target session id>:<application id>` (APP-10: never the order of arrival; not the same
 * winner of every tie for every session; the same order each time the refill runs).
 */
export async function waitingForEquivalents(tx: DbOrTx, input: { courseIds: number[]; targetSessionId: number; excludeIds: string[]; limit: number }): Promise<Application[]> {
  if (input.courseIds.length === 0) return [];
  return tx
    .select()
    .from(applications)
    .where(
      and(
        sql`${applications.courseId} = any(${sql.param(input.courseIds)}::int[])`,
        sql`${applications.status} in ${statusFrom('acceptOffer')}`,
        input.excludeIds.length ? sql`not (${applications.id} = any(${sql.param(input.excludeIds)}::uuid[]))` : undefined,
      ),
    )
    .orderBy(asc(applications.waitingRank), sql`md5(${`sel7:${input.targetSessionId}:`} || ${applications.id}::text)`, asc(applications.id))
    .limit(input.limit);
}

/** SEL-3: the last rank given on a session's waiting list (0 when none). */
export async function lastWaitingRank(tx: DbOrTx, sessionId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`coalesce(max(${applications.waitingRank}), 0)::int` })
    .from(applications)
    .where(and(eq(applications.sessionId, sessionId), eq(applications.status, 'waiting_list')));
  return row.n;
}

/**
 * SEL-11: for each of these applications still on a waiting list, its place on it now: 1 + those
 * of its session still waiting with a lower number (those who took a place, withdrew, were
 * refused or moved have left the list and no longer count). One query for them all.
 */
export async function waitingPositions(db: DbOrTx, applicationIds: string[]): Promise<Map<string, number>> {
  if (applicationIds.length === 0) return new Map();
  // The outer row named in full: in a select list drizzle writes a column without its table.
  const ahead = sql<number>`(select count(*) from ${applications} as before where before.session_id = "applications"."session_id" and before.status = 'waiting_list' and before.waiting_rank < "applications"."waiting_rank")::int`;
  const rows = await db
    .select({ id: applications.id, ahead })
    .from(applications)
    .where(and(sql`${applications.id} = any(${sql.param(applicationIds)}::uuid[])`, eq(applications.status, 'waiting_list'), isNotNull(applications.waitingRank)));
  return new Map(rows.map((r) => [r.id, r.ahead + 1]));
}

/** Are some of the session's applications still to be decided (SEL-1)? */
export async function hasUndecided(tx: DbOrTx, sessionId: number): Promise<boolean> {
  return (await applicationsOf(tx, { sessionId, group: 'undecided', limit: 1 })).length > 0;
}

/**
 * SEL-2: what the coordinator reads of each undecided applicant besides the points: the
 * motivations, and whether they were enrolled in the previous level here.
 */
export async function applicantDetails(db: DbOrTx, session: { id: number; previousCourseId: number | null }): Promise<Map<string, { motivations: string; previousLevelHere: boolean }>> {
  const rows = await applicationsOf(db, { sessionId: session.id, group: 'undecided' });
  if (rows.length === 0) return new Map();
  const previous = session.previousCourseId
    ? new Set(
        (
          await db
            .select({ learnerId: applications.learnerId })
            .from(applications)
            .where(and(eq(applications.courseId, session.previousCourseId), eq(applications.status, 'enrolled'), sql`${applications.learnerId} = any(${sql.param(rows.map((r) => r.learnerId))}::uuid[])`))
        ).map((r) => r.learnerId),
      )
    : new Set<string>();
  return new Map(rows.map((r) => [r.id, { motivations: r.motivations ?? '', previousLevelHere: previous.has(r.learnerId) }]));
}

/** An application's history, oldest first. */
export async function eventsOf(db: DbOrTx, applicationId: string) {
  return db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, applicationId)).orderBy(asc(applicationEvents.at), asc(applicationEvents.id));
}

/** The ids of the applications of these sessions in a group of statuses. */
export async function applicationIdsIn(db: DbOrTx, input: { sessionIds: number[]; group: StatusGroup }): Promise<string[]> {
  if (input.sessionIds.length === 0) return [];
  const rows = await db
    .select({ id: applications.id })
    .from(applications)
    .where(and(sql`${applications.sessionId} = any(${sql.param(input.sessionIds)}::int[])`, statusIn(applications.status, input.group)));
  return rows.map((r) => r.id);
}

/** ACC-11, ACC-14: the ids of every application of a learner, whatever its status (what the personal-data sets of the modules above look up). */
export async function applicationIdsOf(db: DbOrTx, learnerId: string): Promise<string[]> {
  const rows = await db.select({ id: applications.id }).from(applications).where(eq(applications.learnerId, learnerId)).orderBy(asc(applications.createdAt), asc(applications.id));
  return rows.map((r) => r.id);
}

/** CRED-2: the sessions in which this learner holds a place (accepted, awaiting payment, enrolled). */
export async function sessionsHeldBy(db: DbOrTx, learnerId: string): Promise<number[]> {
  const rows = await db
    .select({ sessionId: applications.sessionId })
    .from(applications)
    .where(and(eq(applications.learnerId, learnerId), statusIn(applications.status, 'holdsPlace')));
  return rows.map((r) => r.sessionId);
}

/** CERT-3: the places these learners hold (accepted, awaiting payment, enrolled) in these courses. */
export async function placesHeldIn(db: DbOrTx, input: { learnerIds: string[]; courseIds: number[] }): Promise<{ id: string; learnerId: string; courseId: number }[]> {
  if (input.learnerIds.length === 0 || input.courseIds.length === 0) return [];
  return db
    .select({ id: applications.id, learnerId: applications.learnerId, courseId: applications.courseId })
    .from(applications)
    .where(and(inArray(applications.learnerId, input.learnerIds), inArray(applications.courseId, input.courseIds), statusIn(applications.status, 'holdsPlace')));
}

/** Applications by id (unknown ids are left out), only those of these sessions if given. */
export async function applicationsByIds(db: DbOrTx, ids: string[], options: { sessionIds?: number[] | null; lock?: boolean } = {}): Promise<Application[]> {
  if (ids.length === 0 || options.sessionIds?.length === 0) return [];
  const query = db
    .select()
    .from(applications)
    .where(and(sql`${applications.id} = any(${sql.param(ids)}::uuid[])`, options.sessionIds ? sql`${applications.sessionId} = any(${sql.param(options.sessionIds)}::int[])` : undefined));
  return options.lock ? query.orderBy(asc(applications.id)).for('update') : query;
}

/** Does a validated application with this id exist (whatever one's scope)? */
export async function applicationExists(db: DbOrTx, applicationId: string): Promise<boolean> {
  const row = await applicationById(db, applicationId);
  return row !== null && inGroup('validated', row.status);
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
        statusIn(applications.status, 'validated'),
        options.learnerIds ? sql`${applications.learnerId} = any(${sql.param(options.learnerIds)}::uuid[])` : undefined,
      ),
    );
  return rows.map((r) => r.learnerId);
}
