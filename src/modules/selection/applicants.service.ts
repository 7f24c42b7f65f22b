import { randomBytes } from 'node:crypto';
import { readTogether } from '../../db/statements';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { audit, traceFileViewed } from '../../platform/audit';
import { parisDateTime, parisInstant } from '../../platform/clock';
import { getPolicies } from '../../platform/policies';
import { getUser, getUsers, learnerNames, lockUser, parisDay } from '../accounts';
import { sessionStaffRoles, type ConvocationKind, type MoveReason, type Role } from '../../domain/vocabulary';
import {
  applicationById,
  applicationIdsIn,
  applicationsByIds,
  applicationExists,
  applicationsOf,
  eventsOf,
  moveApplication,
  moveCheck,
  placeReleased,
  transition,
  type Application,
  type ApplicationDeps,
} from '../applications';
import { availableActions, inGroup, proofOf, refusal, roleMay, type Action, type Facts } from '../applications';
import { courseTitles, familySessionIds, lockSession, sessionExists, sessionsForApplications, sessionsInScope, type Scope, type ScopedSession, type SessionForApplication } from '../catalogue';
import { scopeOf } from '../scopes';
import { currentDocument, issueDocument, revokeDocuments, type DocumentSigning, type IssuedDocument } from '../documents';
import { translator, type MessageKey, type Params } from '../../platform/i18n';
import { convocationAttachment, falcEmailText, type ConvocationFacts } from './convocation.falc';
import { defaultConvocationMinutes, earliestConvocationDay } from './selection.rules';
import { freePlacesIn, freePlacesOf, placesOf, shareIn } from './places';
import { placesFor } from './held-share.rules';
import { changeRequests, convocations, evaluations, prerequisiteOverrides, prerequisiteRefusals, rankingAdjustments } from './selection.table';
import { prerequisitesOf } from './prerequisites';
import type { PublicAdjustmentReason } from './explain.rules';

/**
 * What staff do to one applicant (SEL-2 to SEL-5, SEL-10), each inside the staff member's
 * scope: an application whose session is outside it is "not found", never acted upon; and each
 * by the roles `staffCan` lists (the table the routes use): any other is "forbidden".
 */

export type Staff = { id: string; role: Role };
export type ActionFailure = {
  ok: false;
  code: 'not_found' | 'forbidden' | 'window_open' | 'past' | 'too_soon' | 'not_convoked' | 'no_evaluation' | 'wrong_status' | 'full' | 'held_for_assisted' | 'not_a_target' | 'conflict' | 'reason_required';
  message: MessageKey;
  params?: Params;
};

const failure = (code: ActionFailure['code'], message: MessageKey, params?: Params): ActionFailure => ({ ok: false, code, message, ...(params ? { params } : {}) });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

/** The lifecycle's refusal, in this file's words. */
function refused(action: Action, facts: Facts, staff: Staff, now: Date): ActionFailure | null {
  const no = refusal(action, facts, { role: staff.role, now });
  if (!no) return null;
  if (no.code === 'role') return forbidden;
  if (no.code === 'status') return failure('wrong_status', 'sel.error.stale');
  if (no.code === 'SEL-1') return failure('window_open', 'sel.windowOpen');
  if (no.code === 'SEL-2') return failure('no_evaluation', 'sel.error.noEvaluation');
  if (no.code === 'SEL-4') return failure('not_convoked', 'sel.error.notConvoked');
  return failure('wrong_status', no.message);
}

/** A session in the staff member's scope, by code, or null. */
export async function sessionFor(db: DbOrTx, staff: Staff, code: string): Promise<ScopedSession | null> {
  if (!/^[A-Za-z0-9-]{1,60}$/.test(code)) return null;
  if (!(sessionStaffRoles as readonly string[]).includes(staff.role)) return null;
  const [session] = await sessionsInScope(db, await scopeOf(db, staff), { code });
  return session ?? null;
}

/** An application whose session is in the staff member's scope, with that session; or null. */
export async function applicationFor(db: DbOrTx, staff: Staff, applicationId: string): Promise<{ application: Application; session: ScopedSession; full: SessionForApplication } | null> {
  const application = await applicationById(db, applicationId);
  if (!application || !inGroup('validated', application.status)) return null;
  const [full] = await sessionsForApplications(db, { ids: [application.sessionId] });
  const session = full ? await sessionFor(db, staff, full.code) : null;
  return session ? { application, session, full } : null;
}

/** Locks the application's row and reloads it, inside the caller's transaction. */
async function locked(tx: Tx, applicationId: string): Promise<Application> {
  return (await applicationById(tx, applicationId, { lock: true }))!;
}

/** What selection's services need to issue documents (PAY-10): the app secret besides. */
export type SelectionDeps = ApplicationDeps & { secret: string };
const signingOf = (deps: SelectionDeps): DocumentSigning => ({ baseUrl: deps.baseUrl, secret: deps.secret, clock: deps.clock });

/** PAY-10: the convocation as a document anyone can verify: about the application, issued by the school, valid until its day. */
function convocationDocument(tx: DbOrTx, deps: SelectionDeps, input: { applicationId: string; holderName: string; session: SessionForApplication; kind: ConvocationKind; at: Date; place: string }) {
  return issueDocument(tx, signingOf(deps), {
    kind: 'convocation',
    subjectId: input.applicationId,
    holderName: input.holderName,
    title: input.session.title,
    issuerName: input.session.schoolName,
    validUntil: parisDay(input.at),
    details: { 'doc.detail.session': input.session.code, 'doc.detail.when': input.at.toISOString(), 'doc.detail.place': input.place },
    scopeSessionId: input.session.id,
    staffPath: `/personnel/candidatures/${input.applicationId}`,
    // A learner convoked again (another date): the earlier convocation is no longer valid.
    replace: true,
  });
}

/**
 * SEL-3: convokes every applicant of the session not yet decided ("confirmed") to its admission
 * test or interview: a nominative convocation, issued as a document anyone can verify (PAY-10:
 * its QR code opens the public page `/verifier/CODE`), the status "convoked", and the email
 * with the link to the PDF, sent at once. Convoking again skips those already convoked.
 * SVC-7: the email carries the convocation's calendar file (`minutes` long, the kind's default
 * without it; same UID and SEQUENCE one more for a learner convoked again) and ends with its
 * easy-read version, whose page `/convocation/<token>/facile` it links to.
 * Refused: a course without admission test ("no_evaluation", SEL-2), a date past ("past") or
 * closer than the policy's notice ("too_soon", `convocationNoticeDays`).
 */
export async function convokeSession(
  deps: SelectionDeps,
  input: { staff: Staff; sessionCode: string; kind: ConvocationKind; day: string; time: string; place: string; minutes?: number },
): Promise<{ ok: true; convoked: number } | ActionFailure> {
  const { db, clock } = deps;
  const session = await sessionFor(db, input.staff, input.sessionCode);
  if (!session) return notFound;
  const [full] = await sessionsForApplications(db, { ids: [session.id] });
  const no = refused('convoke', { status: 'confirmed', period: full.period, admissionTest: full.admissionEvaluation }, input.staff, clock.now());
  if (no) return no;
  const at = parisInstant(input.day, input.time);
  if (at <= clock.now()) return failure('past', 'sel.error.past');
  // SEL-3, SEL-4: the email goes now; the learner needs the notice to come (else absent = withdrawn).
  const days = (await getPolicies(db)).convocationNoticeDays;
  const earliest = earliestConvocationDay(parisDay(clock.now()), days);
  if (input.day < earliest) return failure('too_soon', 'sel.error.notice', { days, date: earliest.split('-').reverse().join('/') });
  return db.transaction(async (tx) => {
    await lockSession(tx, session.id);
    const rows = await applicationsOf(tx, { sessionId: session.id, action: 'convoke', lock: true });
    const learnerIds = [...new Set(rows.map((r) => r.learnerId))];
    const [learners, names, earlier] = await readTogether(tx, [
      async () => getUsers(tx, learnerIds),
      async () => learnerNames(tx, learnerIds),
      async () => rows.length ? tx.select({ applicationId: convocations.applicationId, token: convocations.token, sequence: convocations.sequence }).from(convocations).where(inArray(convocations.applicationId, rows.map((r) => r.id))) : [],
    ]);
    const minutes = input.minutes ?? defaultConvocationMinutes[input.kind];
    let convoked = 0;
    for (const application of rows) {
      const user = learners.get(application.learnerId) ?? null;
      // SVC-7: a learner convoked again keeps the token (the easy-read page) and the calendar event (UID), one version more.
      const before = earlier.find((c) => c.applicationId === application.id);
      const token = before?.token ?? randomBytes(18).toString('base64url');
      const sequence = before ? before.sequence + 1 : 0;
      const facts: ConvocationFacts = {
        applicationId: application.id,
        kind: input.kind,
        at,
        minutes,
        place: input.place,
        title: full.title,
        schoolName: full.schoolName,
        sequence,
        easyReadUrl: `${deps.baseUrl}/convocation/${token}/facile`,
      };
      const done = await transition(tx, deps, {
        application,
        action: 'convoke',
        actor: input.staff,
        session: full,
        facts: { admissionTest: full.admissionEvaluation },
        user,
        extra: { kind: translator(user?.locale ?? 'fr')(`sel.kind.${input.kind}`), date: at, place: input.place, falc: (t) => `\n\n${falcEmailText(t, facts)}` },
        attachments: (t) => [convocationAttachment(t, facts, clock.now())],
      });
      if (!done.ok) continue;
      await tx
        .insert(convocations)
        .values({ applicationId: application.id, kind: input.kind, at, place: input.place, minutes, sequence, token, createdBy: input.staff.id, createdAt: clock.now() })
        .onConflictDoUpdate({ target: convocations.applicationId, set: { kind: input.kind, at, place: input.place, minutes, sequence, attendance: null, attendanceAt: null, attendanceBy: null } });
      const holderName = names.get(application.learnerId) ?? user?.email ?? application.learnerId;
      await convocationDocument(tx, deps, { applicationId: application.id, holderName, session: full, kind: input.kind, at, place: input.place });
      convoked++;
    }
    return { ok: true as const, convoked };
  });
}

/**
 * SEL-4: the school head records attendance at the convocation. Absent means withdrawal,
 * without exception (the learner is told by email); present keeps the application for the
 * evaluation. A second answer for the same learner changes nothing.
 */
export async function recordAttendance(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string; present: boolean },
): Promise<{ ok: true } | ActionFailure> {
  const { db, clock } = deps;
  const found = await applicationFor(db, input.staff, input.applicationId);
  if (!found) return notFound;
  // The role as well as the scope: a route that forgot its own check still refuses.
  if (!roleMay(input.staff.role, 'attendAbsent')) return forbidden;
  return db.transaction(async (tx) => {
    const application = await locked(tx, input.applicationId);
    const [convocation] = await tx.select().from(convocations).where(eq(convocations.applicationId, application.id));
    if (!convocation) return failure('not_convoked', 'sel.error.notConvoked');
    if (convocation.attendance) return { ok: true as const };
    const action = input.present ? 'attendPresent' : 'attendAbsent';
    const done = await transition(tx, deps, {
      application,
      action,
      actor: input.staff,
      session: found.full,
      facts: { convocation },
      reason: 'absent',
    });
    if (!done.ok) return refused(action, { status: application.status, period: found.full.period, convocation }, input.staff, clock.now())!;
    await tx
      .update(convocations)
      .set({ attendance: input.present ? 'present' : 'absent', attendanceBy: input.staff.id, attendanceAt: clock.now() })
      .where(eq(convocations.applicationId, application.id));
    return { ok: true as const };
  });
}

/**
 * What staff record about an applicant before the decision (a mark, an adjustment, the
 * prerequisites): the application must be in scope and still undecided; the write and its
 * audit row go in one transaction.
 */
async function beforeDecision(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string },
  record: { action: 'mark' | 'adjust' | 'prerequisites'; audit: string; data: Record<string, unknown>; write: (tx: Tx) => Promise<unknown> },
): Promise<{ ok: true } | ActionFailure> {
  const { db, clock } = deps;
  const found = await applicationFor(db, input.staff, input.applicationId);
  if (!found) return notFound;
  const no = refused(record.action, { status: found.application.status, period: found.full.period, admissionTest: found.full.admissionEvaluation }, input.staff, clock.now());
  if (no) return no;
  await db.transaction(async (tx) => {
    await record.write(tx);
    await audit(tx, clock, { action: record.audit, actorId: input.staff.id, subjectId: found.application.learnerId, data: { applicationId: input.applicationId, ...record.data } });
  });
  return { ok: true };
}

/** SEL-2: the pedagogical evaluation (0–20) of an applicant not yet decided, where the course has an admission test or interview. */
export async function recordEvaluation(deps: ApplicationDeps, input: { staff: Staff; applicationId: string; mark: number }): Promise<{ ok: true } | ActionFailure> {
  const by = { recordedBy: input.staff.id, recordedAt: deps.clock.now() };
  return beforeDecision(deps, input, {
    action: 'mark',
    audit: 'selection.evaluation',
    data: { mark: input.mark },
    write: (tx) =>
      tx
        .insert(evaluations)
        .values({ applicationId: input.applicationId, mark: input.mark, ...by })
        .onConflictDoUpdate({ target: evaluations.applicationId, set: { mark: input.mark, ...by } }),
  });
}

/**
 * SEL-2, SEL-12: staff adjust an applicant's points with a public reason (from the list: the
 * learner's explanation says it) and their own reason (kept in the audit log: who, when, why).
 */
export async function adjustRanking(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string; points: number; reason: string; publicReason: PublicAdjustmentReason },
): Promise<{ ok: true } | ActionFailure> {
  const set = { points: input.points, reason: input.reason, publicReason: input.publicReason, recordedBy: input.staff.id, recordedAt: deps.clock.now() };
  return beforeDecision(deps, input, {
    action: 'adjust',
    audit: 'selection.adjustment',
    data: { points: input.points, reason: input.reason, publicReason: input.publicReason },
    write: (tx) => tx.insert(rankingAdjustments).values({ applicationId: input.applicationId, ...set }).onConflictDoUpdate({ target: rankingAdjustments.applicationId, set }),
  });
}

/**
 * SEL-1, SEL-3: the coordinator records that the course's prerequisites are not met (with the
 * reason: the decision then refuses the application, by email), or met. "Met" for an applicant
 * whom the automatic check refuses (no certificate of skills of the previous level) overrides
 * it and needs the reason ("reason_required"). Audited.
 */
export async function recordPrerequisites(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string; met: boolean; reason: string },
): Promise<{ ok: true } | ActionFailure> {
  const set = { reason: input.reason, recordedBy: input.staff.id, recordedAt: deps.clock.now() };
  const found = await applicationFor(deps.db, input.staff, input.applicationId);
  if (!found) return notFound;
  const automatic = (await prerequisitesOf(deps.db, found.full, [found.application])).get(found.application.id)!.automatic;
  const override = input.met && !automatic;
  if (override && input.reason.length === 0) return failure('reason_required', 'sel.error.overrideReason');
  return beforeDecision(deps, input, {
    action: 'prerequisites',
    audit: 'selection.prerequisites',
    data: { met: input.met, reason: input.reason, ...(override ? { override: true } : {}) },
    write: async (tx) => {
      if (input.met) {
        await tx.delete(prerequisiteRefusals).where(eq(prerequisiteRefusals.applicationId, input.applicationId));
        if (override) await tx.insert(prerequisiteOverrides).values({ applicationId: input.applicationId, ...set }).onConflictDoUpdate({ target: prerequisiteOverrides.applicationId, set });
        else await tx.delete(prerequisiteOverrides).where(eq(prerequisiteOverrides.applicationId, input.applicationId));
      } else {
        await tx.delete(prerequisiteOverrides).where(eq(prerequisiteOverrides.applicationId, input.applicationId));
        // The coordinator's own (an automatic refusal they confirm becomes theirs).
        await tx.insert(prerequisiteRefusals).values({ applicationId: input.applicationId, ...set, automatic: false }).onConflictDoUpdate({ target: prerequisiteRefusals.applicationId, set: { ...set, automatic: false } });
      }
    },
  });
}

/** SEL-10: the school head records a learner's request to change day; a coordinator decides. */
export async function recordChangeRequest(deps: ApplicationDeps, input: { staff: Staff; applicationId: string; note: string }): Promise<{ ok: true } | ActionFailure> {
  const { db, clock } = deps;
  const found = await applicationFor(db, input.staff, input.applicationId);
  if (!found) return notFound;
  const no = refused('requestChange', { status: found.application.status, period: found.full.period }, input.staff, clock.now());
  if (no) return no;
  await db
    .insert(changeRequests)
    .values({ applicationId: input.applicationId, note: input.note, recordedBy: input.staff.id, recordedAt: clock.now() })
    .onConflictDoNothing();
  return { ok: true };
}

/** SEL-10: the coordinator declines the request; the learner keeps their place and is told. */
export async function declineChangeRequest(deps: ApplicationDeps, input: { staff: Staff; applicationId: string }): Promise<{ ok: true } | ActionFailure> {
  const { db, clock } = deps;
  const found = await applicationFor(db, input.staff, input.applicationId);
  if (!found) return notFound;
  if (!roleMay(input.staff.role, 'declineChange')) return forbidden;
  return db.transaction(async (tx) => {
    const closed = await tx
      .update(changeRequests)
      .set({ status: 'declined', decidedBy: input.staff.id, decidedAt: clock.now() })
      .where(and(eq(changeRequests.applicationId, input.applicationId), eq(changeRequests.status, 'open')))
      .returning();
    if (closed.length) {
      const done = await transition(tx, deps, { application: found.application, action: 'declineChange', actor: input.staff, session: found.full, facts: { changeRequested: true } });
      if (!done.ok) throw new StaleChange();
    }
    return { ok: true as const };
  }).catch((error: unknown) => {
    if (error instanceof StaleChange) return failure('wrong_status', 'sel.error.stale');
    throw error;
  });
}

/** Rolls back a change request declined on a stale page (the learner no longer holds a place). */
class StaleChange extends Error {}

/**
 * SEL-10: a learner who gave up their place (a withdrawal, an absence…) has nothing left to move:
 * their open change-of-day request closes with it. A move keeps its place: its request is closed
 * as accepted by the move itself.
 */
placeReleased.subscribe(async (tx, event) => {
  if (inGroup('holdsPlace', event.to)) return;
  await tx
    .update(changeRequests)
    .set({ status: 'declined', decidedAt: event.at })
    .where(and(eq(changeRequests.applicationId, event.applicationId), eq(changeRequests.status, 'open')));
});

export type MoveTarget = SessionForApplication & { free: number };

/**
 * The sessions an application may move to: for a change of day (SEL-10), the same course's
 * other sessions; for a level (SEL-5), the sessions of the same period in the course's family
 * (courses linked by "previous course", both ways). Only those in the staff member's scope.
 */
export async function moveTargets(db: DbOrTx, staff: Staff, application: Application, reason: MoveReason): Promise<MoveTarget[]> {
  const ids = await familySessionIds(db, application, reason === 'moved_day' ? 'day' : 'level');
  const sessions = await sessionsForApplications(db, { ids });
  const inScope = new Set((await sessionsInScope(db, await scopeOf(db, staff), { codes: sessions.map((s) => s.code) })).map((s) => s.id));
  const shown = sessions.filter((s) => inScope.has(s.id));
  const free = await freePlacesOf(db, shown);
  const result = shown.map((s) => ({ ...s, free: free.get(s.id)! }));
  return result.sort((a, b) => a.title.localeCompare(b.title, 'fr') || a.code.localeCompare(b.code));
}

/**
 * SEL-5, SEL-10: moves an application to another session, keeping its history. An application
 * holding a place (accepted, enrolled) needs a free place there, checked under that session's
 * lock (SEL-6), and frees its old place for the waiting list (SEL-8). Undecided applications join
 * the other session's selection. An open change request is closed as accepted.
 */
export async function moveByStaff(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string; toCode: string; reason: MoveReason },
): Promise<{ ok: true } | ActionFailure> {
  const { db, clock } = deps;
  const found = await applicationFor(db, input.staff, input.applicationId);
  if (!found) return notFound;
  if (!roleMay(input.staff.role, 'moveLevel')) return forbidden;
  const target = (await moveTargets(db, input.staff, found.application, input.reason)).find((s) => s.code === input.toCode);
  if (!target) return failure('not_a_target', 'sel.error.session');
  return db.transaction(async (tx) => {
    // Lock order: the session, the learner, then the application.
    await lockSession(tx, target.id);
    // SVC-2: read again under its lock: a cancellation of the target that went first wins.
    if ((await sessionsForApplications(tx, { ids: [target.id] }))[0]?.cancelledAt) return failure('not_a_target', 'session.cancelled');
    await lockUser(tx, found.application.learnerId);
    const application = await locked(tx, input.applicationId);
    // A learner holding a place moves with it (SEL-10); one not yet decided changes level (SEL-5).
    const action = refusal('moveDay', { status: application.status, period: found.full.period }, { role: input.staff.role, now: clock.now() }) === null ? 'moveDay' : 'moveLevel';
    const no = refused(action, { status: application.status, period: found.full.period }, input.staff, clock.now());
    if (no) return no;
    if (action === 'moveDay') {
      const free = await freePlacesIn(tx, target);
      if (free <= 0) return failure('full', 'sel.error.full');
      // SVC-5: the places the share still holds are for assisted applications only.
      const share = await shareIn(tx, target);
      if (placesFor({ free, assisted: application.assistedBy !== null, share, now: clock.now() }) <= 0)
        return failure('held_for_assisted', 'sel.error.heldForAssisted', { date: parisDateTime(share.until) });
    }
    const user = await getUser(tx, application.learnerId);
    const why = translator(user?.locale ?? 'fr')(input.reason === 'moved_day' ? 'apps.reason.day' : 'apps.reason.level');
    const moved = await moveApplication(tx, deps, { application, action, to: target, actor: input.staff, reason: input.reason, email: 'moved', extra: { reason: `(${why})` } });
    if (!moved.ok) return failure('conflict', 'sel.error.conflict');
    await tx
      .update(changeRequests)
      .set({ status: 'accepted', decidedBy: input.staff.id, decidedAt: clock.now(), toSessionId: target.id })
      .where(and(eq(changeRequests.applicationId, application.id), eq(changeRequests.status, 'open')));
    return { ok: true as const };
  });
}

/** Everything the staff page of one applicant shows, and the forms this person may use on it. */
export async function applicantSheet(db: Db, clock: { now(): Date }, staff: Staff, applicationId: string) {
  const found = await applicationFor(db, staff, applicationId);
  if (!found) return null;
  const { application, session, full } = found;
  const id = application.id;
  // ACC-11: the sheet shows the learner's file.
  await traceFileViewed(db, clock, { staffId: staff.id, learnerId: application.learnerId, page: 'application' });
  const [names, [convocation], [evaluation], [adjustment], requests, events, [prerequisites], proof, check, [override], previousTitles] = await Promise.all([
    learnerNames(db, [application.learnerId]),
    db.select().from(convocations).where(eq(convocations.applicationId, id)),
    db.select().from(evaluations).where(eq(evaluations.applicationId, id)),
    db.select().from(rankingAdjustments).where(eq(rankingAdjustments.applicationId, id)),
    db.select().from(changeRequests).where(eq(changeRequests.applicationId, id)).orderBy(desc(changeRequests.recordedAt)),
    eventsOf(db, id),
    db.select().from(prerequisiteRefusals).where(eq(prerequisiteRefusals.applicationId, id)),
    proofOf(db, id),
    prerequisitesOf(db, full, [application]),
    db.select().from(prerequisiteOverrides).where(eq(prerequisiteOverrides.applicationId, id)),
    courseTitles(db, full.previousCourseId === null ? [] : [full.previousCourseId]),
  ]);
  // SVC-5: who registered it at the help desk (the counsellor's name, else their address).
  const counsellor = application.assistedBy ? (await getUsers(db, [application.assistedBy])).get(application.assistedBy) : undefined;
  const automatic = check.get(id)!;
  const changeRequest = requests.find((r) => r.status === 'open') ?? null;
  const facts: Facts = { status: application.status, period: full.period, admissionTest: full.admissionEvaluation, convocation: convocation ?? null, changeRequested: changeRequest !== null, proof: proof?.status ?? null };
  const actions = availableActions(facts, { role: staff.role, now: clock.now() });
  const mayMove = actions.has('moveLevel') || actions.has('moveDay');
  const [level, day] = mayMove ? await Promise.all([moveTargets(db, staff, application, 'moved_level'), moveTargets(db, staff, application, 'moved_day')]) : [[], []];
  return {
    application,
    session,
    name: names.get(application.learnerId) ?? '',
    /** SVC-5: the counsellor who registered it with the learner present, if any. */
    assistedByName: counsellor ? (counsellor.displayName ?? counsellor.email) : null,
    convocation: convocation ?? null,
    evaluation: evaluation ?? null,
    adjustment: adjustment ?? null,
    changeRequest,
    prerequisitesRefused: prerequisites ?? null,
    /** CERT-3: the repeats are used up by now: the decision refuses it (automatic). */
    repeatLimit: automatic.repeatLimit,
    /**
     * SEL-1, SEL-2: the previous level (null for a course without one): its title, the automatic
     * check (its certificate of skills), its real attendance and certificate, and the
     * coordinator's override of a failed check.
     */
    previousLevel:
      full.previousCourseId === null
        ? null
        : { title: previousTitles.get(full.previousCourseId) ?? '', met: automatic.automatic, facts: automatic.level, override: override ?? null },
    /** PAY-6: the half-rate proof the learner sent, if any. */
    proof,
    events,
    /** What this person may do here now (the lifecycle's table): the page shows these forms only. */
    actions,
    /** Where the application may move: another level (SEL-5) or another day (SEL-10). */
    targets: { level, day },
  };
}
export type ApplicantSheet = NonNullable<Awaited<ReturnType<typeof applicantSheet>>>;

/** The applicants of a session in scope, for its staff page: name, status, convocation, mark; and what may be done. */
export async function sessionApplicants(db: Db, clock: { now(): Date }, staff: Staff, sessionCode: string) {
  const session = await sessionFor(db, staff, sessionCode);
  if (!session) return null;
  const [full] = await sessionsForApplications(db, { ids: [session.id] });
  const rows = await applicationsOf(db, { sessionId: session.id, group: 'validated' });
  const ids = rows.map((r) => r.id);
  const [names, convocationRows, marks, places] = await Promise.all([
    learnerNames(db, [...new Set(rows.map((r) => r.learnerId))]),
    ids.length ? db.select().from(convocations).where(inArray(convocations.applicationId, ids)) : [],
    ids.length ? db.select().from(evaluations).where(inArray(evaluations.applicationId, ids)) : [],
    placesOf(db, [full]),
  ]);
  const now = clock.now();
  const toConvoke = rows.filter((r) => refusal('convoke', { status: r.status, period: full.period, admissionTest: full.admissionEvaluation }, { role: staff.role, now }) === null).length;
  const { free, held } = places.get(full.id)!;
  return {
    session,
    free,
    held,
    /** The session-wide forms: the selection screen's link, and convoking those not yet convoked. */
    may: { select: roleMay(staff.role, 'accept'), convoke: toConvoke > 0, toConvoke },
    applicants: rows
      .map((r) => ({
        application: r,
        name: names.get(r.learnerId) ?? '',
        convocation: convocationRows.find((c) => c.applicationId === r.id) ?? null,
        mark: marks.find((m) => m.applicationId === r.id)?.mark ?? null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr')),
  };
}

/**
 * PAY-10: the document a learner's convocation PDF prints (its code, its QR code's link). A
 * convocation made before documents existed gets its document now, once.
 */
export async function printedConvocation(
  deps: SelectionDeps,
  input: { applicationId: string; holderName: string; session: SessionForApplication; convocation: { kind: ConvocationKind; at: Date; place: string } },
): Promise<IssuedDocument> {
  const current = await currentDocument(deps.db, signingOf(deps), 'convocation', input.applicationId);
  if (current) return current;
  return deps.db.transaction(async (tx) => {
    // Two first downloads at once: the lock makes the second find the first's document.
    await applicationById(tx, input.applicationId, { lock: true });
    const again = await currentDocument(tx, signingOf(deps), 'convocation', input.applicationId);
    return again ?? convocationDocument(tx, deps, { applicationId: input.applicationId, holderName: input.holderName, session: input.session, ...input.convocation });
  });
}

/**
 * PAY-10: a withdrawn application (SEL-4's absence, the learner giving up) has no valid
 * convocation left: the public page says it is cancelled.
 */
placeReleased.subscribe(async (tx, event) => {
  if (event.to !== 'withdrawn') return;
  await revokeDocuments(tx, ['convocation'], event.applicationId, 'doc.reason.withdrawn', { now: () => event.at });
});

/** The convocation a printed QR code pointed to before PAY-10 (its token), for staff whose scope includes its session. */
export async function convocationByToken(db: Db, clock: { now(): Date }, staff: Staff, token: string) {
  if (!/^[A-Za-z0-9_-]{10,60}$/.test(token)) return null;
  const [row] = await db.select().from(convocations).where(eq(convocations.token, token));
  return row ? applicantSheet(db, clock, staff, row.applicationId) : null;
}

/**
 * For a "not found" from a scoped query: does the session or application exist outside the staff
 * member's scope (a 403: refused) or not at all (a 404)? The scoped query already leaked nothing.
 */
export async function existsUnscoped(db: Db, what: { sessionCode?: string; applicationId?: string }): Promise<boolean> {
  if (what.sessionCode !== undefined) return sessionExists(db, what.sessionCode);
  if (what.applicationId === undefined) return false;
  return applicationExists(db, what.applicationId);
}

/** Open change requests of applications in these sessions (all when null), oldest first, at most `limit`. */
async function openRequestsIn(db: DbOrTx, sessionIds: number[] | null, limit: number) {
  // Only a place held can be moved: the requests of those applications, the scope and the group
  // in the WHERE, then the limit.
  const holding = sessionIds ? await applicationIdsIn(db, { sessionIds, group: 'holdsPlace' }) : null;
  if (holding?.length === 0) return [];
  const open = await db
    .select()
    .from(changeRequests)
    .where(and(eq(changeRequests.status, 'open'), holding ? sql`${changeRequests.applicationId} = any(${sql.param(holding)}::uuid[])` : undefined))
    .orderBy(asc(changeRequests.recordedAt))
    .limit(limit);
  const found = new Map((await applicationsByIds(db, open.map((r) => r.applicationId))).map((a) => [a.id, a]));
  return open.flatMap((request) => (found.has(request.applicationId) ? [{ request, application: found.get(request.applicationId)! }] : []));
}

/**
 * SEL-10: the open change-of-day requests in the staff member's scope, for their home page, oldest
 * first. The scope is in the WHERE, before the LIMIT: requests elsewhere in the city never hide one's own.
 */
export async function openChangeRequests(db: Db, staff: Staff, knownScope?: Scope) {
  const scope = knownScope ?? (await scopeOf(db, staff));
  const inScope = scope.all ? null : await sessionsInScope(db, scope);
  if (inScope?.length === 0) return [];
  const rows = await openRequestsIn(db, inScope?.map((s) => s.id) ?? null, 500);
  const ids = new Set(rows.map((r) => r.application.sessionId));
  const sessions = inScope ?? (await sessionsInScope(db, scope, { codes: (await sessionsForApplications(db, { ids: [...ids] })).map((s) => s.code) }));
  const visible = new Map(sessions.filter((s) => ids.has(s.id)).map((s) => [s.id, s]));
  const names = await learnerNames(db, rows.map((r) => r.application.learnerId));
  return rows.map((r) => ({ ...r.request, name: names.get(r.application.learnerId) ?? '', session: visible.get(r.application.sessionId)! }));
}
