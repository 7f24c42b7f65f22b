import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { audit } from '../../platform/audit';
import { parisInstant } from '../../platform/clock';
import { getUser, learnerNames } from '../accounts';
import type { Role } from '../accounts/accounts.table';
import {
  closeAsWithdrawal,
  emailLearner,
  moveApplication,
  moveTo,
  placeFreed,
  takenPlaces,
  undecided,
  type Application,
  type ApplicationDeps,
} from '../applications/applications.service';
import { applicationEvents, applications } from '../applications/applications.table';
import { placesTaken, sessionsForApplications, sessionsInScope, type ScopedSession, type SessionForApplication } from '../catalogue/catalogue.service';
import { scopeOf } from '../staff/staff.service';
import { translator, type MessageKey } from '../../platform/i18n';
import { changeRequests, convocations, evaluations, prerequisiteRefusals, rankingAdjustments, type convocationKinds } from './selection.table';

/**
 * What staff do to one applicant (SEL-2 to SEL-5, SEL-10), each inside the staff member's
 * scope: an application whose session is outside it is "not found", never acted upon.
 */

export type Staff = { id: string; role: Role };
export type ActionFailure = { ok: false; code: 'not_found' | 'window_open' | 'past' | 'not_convoked' | 'no_evaluation' | 'wrong_status' | 'full' | 'not_a_target' | 'conflict'; message: MessageKey };

const failure = (code: ActionFailure['code'], message: MessageKey): ActionFailure => ({ ok: false, code, message });
const notFound = failure('not_found', 'error.notFound.message');

/** A session in the staff member's scope, by code, or null. */
export async function sessionFor(db: DbOrTx, staff: Staff, code: string): Promise<ScopedSession | null> {
  if (!/^[A-Za-z0-9-]{1,60}$/.test(code)) return null;
  const [session] = await sessionsInScope(db, await scopeOf(db, staff), { code });
  return session ?? null;
}

/** An application whose session is in the staff member's scope, with that session; or null. */
export async function applicationFor(db: DbOrTx, staff: Staff, applicationId: string): Promise<{ application: Application; session: ScopedSession } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(applicationId)) return null;
  const [application] = await db.select().from(applications).where(eq(applications.id, applicationId));
  if (!application || application.status === 'preselected') return null;
  const [code] = await sessionsForApplications(db, { ids: [application.sessionId] });
  const session = code ? await sessionFor(db, staff, code.code) : null;
  return session ? { application, session } : null;
}

/** Locks the application's row and reloads it, inside the caller's transaction. */
async function locked(tx: Tx, applicationId: string): Promise<Application> {
  const [row] = await tx.select().from(applications).where(eq(applications.id, applicationId)).for('update');
  return row;
}

/**
 * SEL-3: convokes every applicant of the session not yet decided ("confirmed") to a test or
 * interview: a nominative convocation with a token for its QR code, the status "convoked", and
 * the email with the link to the PDF. Convoking again skips those already convoked.
 */
export async function convokeSession(
  deps: ApplicationDeps,
  input: { staff: Staff; sessionCode: string; kind: (typeof convocationKinds)[number]; day: string; time: string; place: string },
): Promise<{ ok: true; convoked: number } | ActionFailure> {
  const { db, clock } = deps;
  const session = await sessionFor(db, input.staff, input.sessionCode);
  if (!session) return notFound;
  if (clock.now() < session.applicationsCloseAt) return failure('window_open', 'sel.windowOpen');
  const at = parisInstant(input.day, input.time);
  if (at <= clock.now()) return failure('past', 'sel.error.past');
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from course_sessions where id = ${session.id} for update`);
    const rows = await tx.select().from(applications).where(and(eq(applications.sessionId, session.id), eq(applications.status, 'confirmed'))).for('update');
    const [full] = await sessionsForApplications(tx, { ids: [session.id] });
    for (const application of rows) {
      await tx
        .insert(convocations)
        .values({ applicationId: application.id, kind: input.kind, at, place: input.place, token: randomBytes(18).toString('base64url'), createdBy: input.staff.id, createdAt: clock.now() })
        .onConflictDoUpdate({ target: convocations.applicationId, set: { kind: input.kind, at, place: input.place, attendance: null, attendanceAt: null, attendanceBy: null } });
      await moveTo(tx, clock, application, { to: 'convoked', actorId: input.staff.id });
      const user = await getUser(tx, application.learnerId);
      await emailLearner(tx, deps, user, full, 'convoked', {
        kind: translator(user?.locale ?? 'fr')(`sel.kind.${input.kind}`),
        date: at,
        place: input.place,
      });
    }
    return { ok: true as const, convoked: rows.length };
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
  return db.transaction(async (tx) => {
    const application = await locked(tx, input.applicationId);
    const [convocation] = await tx.select().from(convocations).where(eq(convocations.applicationId, application.id));
    if (!convocation) return failure('not_convoked', 'sel.error.notConvoked');
    if (convocation.attendance) return { ok: true as const };
    if (application.status !== 'convoked') return failure('wrong_status', 'sel.error.stale');
    await tx
      .update(convocations)
      .set({ attendance: input.present ? 'present' : 'absent', attendanceBy: input.staff.id, attendanceAt: clock.now() })
      .where(eq(convocations.applicationId, application.id));
    if (!input.present) await closeAsWithdrawal(tx, deps, application, { actorId: input.staff.id, reason: 'absent' });
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
  record: { action: string; data: Record<string, unknown>; check?: (session: ScopedSession) => ActionFailure | null; write: (tx: Tx) => Promise<unknown> },
): Promise<{ ok: true } | ActionFailure> {
  const { db, clock } = deps;
  const found = await applicationFor(db, input.staff, input.applicationId);
  if (!found) return notFound;
  const refused = record.check?.(found.session);
  if (refused) return refused;
  if (!undecided.includes(found.application.status)) return failure('wrong_status', 'sel.error.stale');
  await db.transaction(async (tx) => {
    await record.write(tx);
    await audit(tx, clock, { action: record.action, actorId: input.staff.id, subjectId: found.application.learnerId, data: { applicationId: input.applicationId, ...record.data } });
  });
  return { ok: true };
}

/** SEL-2: the pedagogical evaluation (0–20) of an applicant not yet decided, where the course has one. */
export async function recordEvaluation(deps: ApplicationDeps, input: { staff: Staff; applicationId: string; mark: number }): Promise<{ ok: true } | ActionFailure> {
  const by = { recordedBy: input.staff.id, recordedAt: deps.clock.now() };
  return beforeDecision(deps, input, {
    action: 'selection.evaluation',
    data: { mark: input.mark },
    check: (session) => (session.hasEvaluation ? null : failure('no_evaluation', 'sel.error.noEvaluation')),
    write: (tx) =>
      tx
        .insert(evaluations)
        .values({ applicationId: input.applicationId, mark: input.mark, ...by })
        .onConflictDoUpdate({ target: evaluations.applicationId, set: { mark: input.mark, ...by } }),
  });
}

/** SEL-2: staff adjust an applicant's points with a reason; the audit log keeps who, when, why. */
export async function adjustRanking(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string; points: number; reason: string },
): Promise<{ ok: true } | ActionFailure> {
  const set = { points: input.points, reason: input.reason, recordedBy: input.staff.id, recordedAt: deps.clock.now() };
  return beforeDecision(deps, input, {
    action: 'selection.adjustment',
    data: { points: input.points, reason: input.reason },
    write: (tx) => tx.insert(rankingAdjustments).values({ applicationId: input.applicationId, ...set }).onConflictDoUpdate({ target: rankingAdjustments.applicationId, set }),
  });
}

/**
 * SEL-1, SEL-3: the coordinator records that the course's prerequisites are not met (with the
 * reason: the decision then refuses the application, by email), or met again. Audited.
 */
export async function recordPrerequisites(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string; met: boolean; reason: string },
): Promise<{ ok: true } | ActionFailure> {
  const set = { reason: input.reason, recordedBy: input.staff.id, recordedAt: deps.clock.now() };
  return beforeDecision(deps, input, {
    action: 'selection.prerequisites',
    data: { met: input.met, reason: input.reason },
    write: (tx) =>
      input.met
        ? tx.delete(prerequisiteRefusals).where(eq(prerequisiteRefusals.applicationId, input.applicationId))
        : tx.insert(prerequisiteRefusals).values({ applicationId: input.applicationId, ...set }).onConflictDoUpdate({ target: prerequisiteRefusals.applicationId, set }),
  });
}

/** SEL-10: the school head records a learner's request to change day; a coordinator decides. */
export async function recordChangeRequest(deps: ApplicationDeps, input: { staff: Staff; applicationId: string; note: string }): Promise<{ ok: true } | ActionFailure> {
  const { db, clock } = deps;
  const found = await applicationFor(db, input.staff, input.applicationId);
  if (!found) return notFound;
  if (!['accepted', 'enrolled'].includes(found.application.status)) return failure('wrong_status', 'sel.error.stale');
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
  return db.transaction(async (tx) => {
    const closed = await tx
      .update(changeRequests)
      .set({ status: 'declined', decidedBy: input.staff.id, decidedAt: clock.now() })
      .where(and(eq(changeRequests.applicationId, input.applicationId), eq(changeRequests.status, 'open')))
      .returning();
    if (closed.length) {
      const [session] = await sessionsForApplications(tx, { ids: [found.application.sessionId] });
      await emailLearner(tx, deps, await getUser(tx, found.application.learnerId), session, 'change_declined');
    }
    return { ok: true as const };
  });
}

export type MoveReason = 'moved_level' | 'moved_day';
export type MoveTarget = SessionForApplication & { free: number };

/**
 * The sessions an application may move to: for a change of day (SEL-10), the same course's
 * other sessions; for a level (SEL-5), the sessions of the same period in the course's family
 * (courses linked by "previous course", both ways). Only those in the staff member's scope.
 */
export async function moveTargets(db: DbOrTx, staff: Staff, application: Application, reason: MoveReason): Promise<MoveTarget[]> {
  const ids =
    reason === 'moved_day'
      ? await db.execute<{ id: number }>(sql`select id from course_sessions where course_id = ${application.courseId} and id <> ${application.sessionId}`)
      : await db.execute<{ id: number }>(sql`
          with recursive family(id) as (
            select ${application.courseId}::int
            union
            select c.id from family f
              join courses fc on fc.id = f.id
              join courses c on c.previous_course_id = f.id or c.id = fc.previous_course_id
          )
          select s.id from course_sessions s
          where s.course_id in (select id from family) and s.course_id <> ${application.courseId}
            and s.period_id = (select period_id from course_sessions where id = ${application.sessionId})`);
  const sessions = await sessionsForApplications(db, { ids: ids.rows.map((r) => r.id) });
  const inScope = new Set((await sessionsInScope(db, await scopeOf(db, staff), { codes: sessions.map((s) => s.code) })).map((s) => s.id));
  const taken = await placesTaken(db, [...inScope]);
  const result = sessions.filter((s) => inScope.has(s.id)).map((s) => ({ ...s, free: s.capacity - (taken.get(s.id) ?? 0) }));
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
  const target = (await moveTargets(db, input.staff, found.application, input.reason)).find((s) => s.code === input.toCode);
  if (!target) return failure('not_a_target', 'sel.error.session');
  return db.transaction(async (tx) => {
    await tx.execute(sql`select id from course_sessions where id = ${target.id} for update`);
    const application = await locked(tx, input.applicationId);
    const holdsPlace = ['accepted', 'enrolled'].includes(application.status);
    if (!holdsPlace && !undecided.includes(application.status)) return failure('wrong_status', 'sel.error.stale');
    if (holdsPlace && (await takenPlaces(tx, target.id)) >= target.capacity) return failure('full', 'sel.error.full');
    const user = await getUser(tx, application.learnerId);
    const why = translator(user?.locale ?? 'fr')(input.reason === 'moved_day' ? 'apps.reason.day' : 'apps.reason.level');
    const moved = await moveApplication(tx, deps, { application, to: target, status: application.status, actorId: input.staff.id, reason: input.reason, email: 'moved', extra: { reason: `(${why})` } });
    if (!moved.ok) return failure('conflict', 'sel.error.conflict');
    if (holdsPlace) await placeFreed(tx, clock, application.sessionId);
    await tx
      .update(changeRequests)
      .set({ status: 'accepted', decidedBy: input.staff.id, decidedAt: clock.now(), toSessionId: target.id })
      .where(and(eq(changeRequests.applicationId, application.id), eq(changeRequests.status, 'open')));
    return { ok: true as const };
  });
}

/** Everything the staff page of one applicant shows. */
export async function applicantSheet(db: Db, staff: Staff, applicationId: string) {
  const found = await applicationFor(db, staff, applicationId);
  if (!found) return null;
  const { application, session } = found;
  const id = application.id;
  const [names, [convocation], [evaluation], [adjustment], requests, events, [prerequisites]] = await Promise.all([
    learnerNames(db, [application.learnerId]),
    db.select().from(convocations).where(eq(convocations.applicationId, id)),
    db.select().from(evaluations).where(eq(evaluations.applicationId, id)),
    db.select().from(rankingAdjustments).where(eq(rankingAdjustments.applicationId, id)),
    db.select().from(changeRequests).where(eq(changeRequests.applicationId, id)).orderBy(desc(changeRequests.recordedAt)),
    db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(asc(applicationEvents.at), asc(applicationEvents.id)),
    db.select().from(prerequisiteRefusals).where(eq(prerequisiteRefusals.applicationId, id)),
  ]);
  return {
    application,
    session,
    name: names.get(application.learnerId) ?? '',
    convocation: convocation ?? null,
    evaluation: evaluation ?? null,
    adjustment: adjustment ?? null,
    changeRequest: requests.find((r) => r.status === 'open') ?? null,
    prerequisitesRefused: prerequisites ?? null,
    events,
  };
}
export type ApplicantSheet = NonNullable<Awaited<ReturnType<typeof applicantSheet>>>;

/** The applicants of a session in scope, for its staff page: name, status, convocation, mark. */
export async function sessionApplicants(db: Db, staff: Staff, sessionCode: string) {
  const session = await sessionFor(db, staff, sessionCode);
  if (!session) return null;
  const rows = await db
    .select()
    .from(applications)
    .where(and(eq(applications.sessionId, session.id), sql`${applications.status} <> 'preselected'`))
    .orderBy(asc(applications.status), asc(applications.waitingRank), asc(applications.id));
  const ids = rows.map((r) => r.id);
  const [names, convocationRows, marks] = await Promise.all([
    learnerNames(db, [...new Set(rows.map((r) => r.learnerId))]),
    ids.length ? db.select().from(convocations).where(inArray(convocations.applicationId, ids)) : [],
    ids.length ? db.select().from(evaluations).where(inArray(evaluations.applicationId, ids)) : [],
  ]);
  return {
    session,
    taken: await takenPlaces(db, session.id),
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

/** The convocation a QR code points to, for staff whose scope includes its session. */
export async function convocationByToken(db: Db, staff: Staff, token: string) {
  if (!/^[A-Za-z0-9_-]{10,60}$/.test(token)) return null;
  const [row] = await db.select().from(convocations).where(eq(convocations.token, token));
  return row ? applicantSheet(db, staff, row.applicationId) : null;
}

/**
 * For a "not found" from a scoped query: does the session or application exist outside the staff
 * member's scope (a 403: refused) or not at all (a 404)? The scoped query already leaked nothing.
 */
export async function existsUnscoped(db: Db, what: { sessionCode?: string; applicationId?: string }): Promise<boolean> {
  if (what.sessionCode !== undefined) {
    if (!/^[A-Za-z0-9-]{1,60}$/.test(what.sessionCode)) return false;
    return (await db.execute(sql`select 1 from course_sessions where code = ${what.sessionCode}`)).rows.length > 0;
  }
  if (what.applicationId === undefined || !/^[0-9a-f-]{36}$/i.test(what.applicationId)) return false;
  return (await db.execute(sql`select 1 from applications where id = ${what.applicationId} and status <> 'preselected'`)).rows.length > 0;
}

/** SEL-10: the open change-of-day requests in the staff member's scope, for their home page. */
export async function openChangeRequests(db: Db, staff: Staff) {
  const rows = await db
    .select({ request: changeRequests, application: applications })
    .from(changeRequests)
    .innerJoin(applications, eq(applications.id, changeRequests.applicationId))
    .where(eq(changeRequests.status, 'open'))
    .orderBy(asc(changeRequests.recordedAt))
    .limit(500);
  const sessions = await sessionsForApplications(db, { ids: [...new Set(rows.map((r) => r.application.sessionId))] });
  const visible = new Map((await sessionsInScope(db, await scopeOf(db, staff), { codes: sessions.map((s) => s.code) })).map((s) => [s.id, s]));
  const shown = rows.filter((r) => visible.has(r.application.sessionId));
  const names = await learnerNames(db, shown.map((r) => r.application.learnerId));
  return shown.map((r) => ({ ...r.request, name: names.get(r.application.learnerId) ?? '', session: visible.get(r.application.sessionId)! }));
}
