import { and, asc, eq, gte, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { MessageKey } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import type { FieldError } from '../../ui/context';
import type { Role } from '../../domain/vocabulary';
import { learnerNames, parisDay, tellLearner, type LearnerMessage } from '../accounts';
import { applicationIdsIn, applicationIdsOf, applicationsByIds } from '../applications';
import { listSchools, sessionIdsOfCourse, sessionsForApplications, unitsOf, type School, type Unit } from '../catalogue';
import { recordExamUnit, withdrawExamUnit } from '../certification';
import { scopeOf } from '../scopes';
import { academicYearBounds, academicYearOf, checkExamSession, checkSessionOrder, defaultSitting, formatTenths, mayMark, mayOrganise, maySitSecondSession, parseMark, passes, PASS_TENTHS, typedMark, type StaffScope } from './exams.rules';
import { examRegistrations, examSessions, learnerCentres } from './exams.table';

/**
 * CRED-3: exam sessions (two a year per unit, at centres), the learners registered for them,
 * their marks and the results published. A pass records the unit's credits through
 * certification's facade (decision 028); staff act only within their scope (the centres of
 * their scope, a trainer's units), checked here as in the routes.
 */

export interface ExamDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}
export type Staff = { id: string; role: Role };
export type ExamSession = typeof examSessions.$inferSelect;
export type Registration = typeof examRegistrations.$inferSelect;
export type Failure = { ok: false; code: 'not_found' | 'forbidden' } | { ok: false; code: 'refused'; message: MessageKey; params?: Record<string, string | number> } | { ok: false; code: 'invalid'; errors: Record<string, FieldError> };

export const notFound = { ok: false, code: 'not_found' } as const;
export const forbidden = { ok: false, code: 'forbidden' } as const;
export const refused = (message: MessageKey, params?: Record<string, string | number>) => ({ ok: false as const, code: 'refused' as const, message, ...(params ? { params } : {}) });

/** A staff member's scope as the rules read it: the centres (schools) and the units of their sessions. */
export async function staffScope(db: DbOrTx, staff: Staff): Promise<StaffScope> {
  const scope = await scopeOf(db, staff);
  if (scope.all) return { role: staff.role, all: true, schoolIds: [], unitIds: [] };
  const sessions = scope.sessionIds.length ? await sessionsForApplications(db, { ids: scope.sessionIds }) : [];
  return { role: staff.role, all: false, schoolIds: scope.schoolIds, unitIds: [...new Set(sessions.map((s) => s.courseId))] };
}

export async function centresById(db: DbOrTx): Promise<Map<number, School>> {
  return new Map((await listSchools(db)).map((s) => [s.id, s]));
}

async function unitsById(db: DbOrTx, ids: number[]): Promise<Map<number, Unit>> {
  return new Map((await unitsOf(db, { ids: [...new Set(ids)] })).map((u) => [u.id, u]));
}

async function examSessionById(db: DbOrTx, id: string, lock = false): Promise<ExamSession | null> {
  if (!isUuid(id)) return null;
  const query = db.select().from(examSessions).where(eq(examSessions.id, id)).$dynamic();
  const [row] = lock ? await query.for('update') : await query;
  return row ?? null;
}

/** Moving: the learners' centres of record. */
export async function centresOfRecord(db: DbOrTx, learnerIds: string[]): Promise<Map<string, number>> {
  if (learnerIds.length === 0) return new Map();
  const rows = await db.select().from(learnerCentres).where(inArray(learnerCentres.learnerId, [...new Set(learnerIds)]));
  return new Map(rows.map((r) => [r.learnerId, r.centreId]));
}

/** Moving: the first enrolment sets the centre of record (the session's school); a centre already set stays. */
export async function setCentreAtEnrolment(tx: Tx, clock: Clock, input: { learnerId: string; sessionId: number }): Promise<void> {
  const [session] = await sessionsForApplications(tx, { ids: [input.sessionId] });
  if (!session) return;
  await tx.insert(learnerCentres).values({ learnerId: input.learnerId, centreId: session.schoolId, setBy: 'enrolment', setAt: clock.now() }).onConflictDoNothing();
}

/**
 * CRED-3: registers for the sessions of a unit, a year and a session number (idempotent): for
 * session 1, the learners enrolled in a session of the unit that starts within the academic
 * year; for session 2, those who failed session 1 or were absent, once its results are
 * published. Each sits the session held at their centre of record (else at their enrolment's
 * centre, else the first created). `learnerIds` narrows it to these learners.
 */
export async function ensureRegistrations(tx: DbOrTx, clock: Clock, input: { courseId: number; academicYear: number; number: number; learnerIds?: string[] }): Promise<void> {
  const sessions = await tx
    .select()
    .from(examSessions)
    .where(and(eq(examSessions.courseId, input.courseId), eq(examSessions.academicYear, input.academicYear), eq(examSessions.number, input.number)))
    .orderBy(asc(examSessions.createdAt), asc(examSessions.id));
  if (sessions.length === 0) return;
  const wanted = (learnerId: string) => !input.learnerIds || input.learnerIds.includes(learnerId);
  let candidates: { learnerId: string; applicationId: string | null; enrolmentCentre: number | null }[] = [];
  if (input.number === 1) {
    const { from, to } = academicYearBounds(input.academicYear);
    const courseSessions = (await sessionsForApplications(tx, { ids: await sessionIdsOfCourse(tx, input.courseId) })).filter((s) => s.firstMeeting >= from && s.firstMeeting <= to && !s.cancelledAt);
    const bySession = new Map(courseSessions.map((s) => [s.id, s]));
    const ids = await applicationIdsIn(tx, { sessionIds: [...bySession.keys()], group: 'holdsPlace' });
    candidates = (await applicationsByIds(tx, ids))
      .filter((a) => a.status === 'enrolled' && wanted(a.learnerId))
      .map((a) => ({ learnerId: a.learnerId, applicationId: a.id, enrolmentCentre: bySession.get(a.sessionId)?.schoolId ?? null }));
  } else {
    const firsts = await tx
      .select({ registration: examRegistrations, publishedAt: examSessions.publishedAt, centreId: examSessions.centreId })
      .from(examRegistrations)
      .innerJoin(examSessions, eq(examSessions.id, examRegistrations.examSessionId))
      .where(and(eq(examRegistrations.courseId, input.courseId), eq(examRegistrations.academicYear, input.academicYear), eq(examRegistrations.number, 1)));
    candidates = firsts
      .filter((f) => wanted(f.registration.learnerId) && maySitSecondSession({ ...f.registration, published: f.publishedAt !== null }))
      .map((f) => ({ learnerId: f.registration.learnerId, applicationId: f.registration.applicationId, enrolmentCentre: f.registration.centreId }));
  }
  if (candidates.length === 0) return;
  const records = await centresOfRecord(tx, candidates.map((c) => c.learnerId));
  const rows = candidates.map((c) => {
    const sitting = defaultSitting(sessions, { centreOfRecord: records.get(c.learnerId) ?? null, enrolmentCentre: c.enrolmentCentre })!;
    return {
      examSessionId: sitting.id,
      learnerId: c.learnerId,
      courseId: input.courseId,
      academicYear: input.academicYear,
      number: input.number,
      applicationId: c.applicationId,
      centreId: sitting.centreId,
      registeredAt: clock.now(),
    };
  });
  await tx.insert(examRegistrations).values(rows).onConflictDoNothing();
}

// ---------------------------------------------------------------- staff: sessions

export interface SessionInput {
  unit: string;
  number: 1 | 2;
  heldOn: string;
  centre: string;
}

/**
 * CRED-3: a coordinator (of the centre) or an administrator creates an exam session of a unit;
 * the learners enrolled are registered at once. Refused: an unknown unit or centre, a centre
 * outside the scope, a day outside the academic year or a second session before the first,
 * the same session twice at a centre.
 */
export async function createExamSession(deps: ExamDeps, input: { staff: Staff; values: SessionInput }): Promise<{ ok: true; id: string } | Failure> {
  const { db, clock } = deps;
  if (input.staff.role !== 'admin' && input.staff.role !== 'coordinator') return forbidden;
  const v = input.values;
  const [unit] = await unitsOf(db, { codes: [v.unit.toUpperCase()] });
  const centre = [...(await centresById(db)).values()].find((s) => s.code === v.centre);
  const errors: Record<string, FieldError> = {};
  if (!unit) errors.unit = { message: 'exams.err.unit' };
  if (!centre) errors.centre = { message: 'exams.err.centre' };
  if (!unit || !centre) return { ok: false, code: 'invalid', errors };
  if (!mayOrganise(await staffScope(db, input.staff), centre.id)) return { ok: false, code: 'invalid', errors: { centre: { message: 'exams.err.centreScope' } } };
  const academicYear = academicYearOf(v.heldOn);
  const checked = checkExamSession({ number: v.number, heldOn: v.heldOn, academicYear });
  if (!checked.ok) return { ok: false, code: 'invalid', errors: { [checked.field]: { message: checked.message, params: checked.params } } };
  return db.transaction(async (tx) => {
    const others = await tx
      .select({ number: examSessions.number, heldOn: examSessions.heldOn })
      .from(examSessions)
      .where(and(eq(examSessions.courseId, unit.id), eq(examSessions.academicYear, academicYear), eq(examSessions.centreId, centre.id)));
    const order = checkSessionOrder({ number: v.number, heldOn: v.heldOn, other: others });
    if (!order.ok) return { ok: false as const, code: 'invalid' as const, errors: { [order.field]: { message: order.message, params: order.params } } };
    const [row] = await tx
      .insert(examSessions)
      .values({ courseId: unit.id, academicYear, number: v.number, heldOn: v.heldOn, centreId: centre.id, createdBy: input.staff.id, createdAt: clock.now() })
      .onConflictDoNothing()
      .returning({ id: examSessions.id });
    if (!row) return { ok: false as const, code: 'invalid' as const, errors: { number: { message: 'exams.err.sessionExists' as MessageKey } } };
    await audit(tx, clock, { action: 'exams.sessionCreated', actorId: input.staff.id, data: { unit: unit.code, academicYear, number: v.number, centre: centre.code } });
    await ensureRegistrations(tx, clock, { courseId: unit.id, academicYear, number: v.number });
    return { ok: true as const, id: row.id };
  });
}

export interface SessionRow {
  session: ExamSession;
  unit: Unit | undefined;
  centre: School | undefined;
  registered: number;
  marked: number;
}

/** CRED-3: the exam sessions a staff member may see: their centres', their units' (a trainer's), all for an administrator. */
export async function examSessionsFor(db: DbOrTx, staff: Staff): Promise<SessionRow[]> {
  const scope = await staffScope(db, staff);
  const inScope = scope.all
    ? undefined
    : or(scope.schoolIds.length ? inArray(examSessions.centreId, [...scope.schoolIds]) : sql`false`, scope.unitIds.length ? inArray(examSessions.courseId, [...scope.unitIds]) : sql`false`);
  const rows = await db.select().from(examSessions).where(inScope).orderBy(asc(examSessions.heldOn), asc(examSessions.id));
  const counts = rows.length
    ? await db
        .select({ id: examRegistrations.examSessionId, n: sql<number>`count(*)::int`, marked: sql<number>`count(*) filter (where ${examRegistrations.absent} or ${examRegistrations.markTenths} is not null)::int` })
        .from(examRegistrations)
        .where(inArray(examRegistrations.examSessionId, rows.map((r) => r.id)))
        .groupBy(examRegistrations.examSessionId)
    : [];
  const byId = new Map(counts.map((c) => [c.id, c]));
  const units = await unitsById(db, rows.map((r) => r.courseId));
  const centres = await centresById(db);
  return rows
    .filter((r) => mayMark(scope, r))
    .map((session) => ({ session, unit: units.get(session.courseId), centre: centres.get(session.centreId), registered: byId.get(session.id)?.n ?? 0, marked: byId.get(session.id)?.marked ?? 0 }));
}

export interface MarksLine {
  registration: Registration;
  name: string;
  typed: string;
  sittingCentre: string;
  centreOfRecord: string | null;
}

/** The marks form's field of a registration. */
export const markField = (registrationId: string) => `mark_${registrationId}`;

/**
 * CRED-3: an exam session with its registered learners (registered now if they were not), for
 * the marks form: who sits it where, their centre of record, the mark entered.
 */
export async function marksPage(deps: Pick<ExamDeps, 'db' | 'clock'>, input: { staff: Staff; examSessionId: string }) {
  const { db, clock } = deps;
  const session = await examSessionById(db, input.examSessionId);
  if (!session) return notFound;
  const scope = await staffScope(db, input.staff);
  if (!mayMark(scope, session)) return forbidden;
  if (!session.publishedAt) await ensureRegistrations(db, clock, { courseId: session.courseId, academicYear: session.academicYear, number: session.number });
  const registrations = await db.select().from(examRegistrations).where(eq(examRegistrations.examSessionId, session.id));
  const names = await learnerNames(db, registrations.map((r) => r.learnerId));
  const records = await centresOfRecord(db, registrations.map((r) => r.learnerId));
  const centres = await centresById(db);
  const [unit] = await unitsOf(db, { ids: [session.courseId] });
  const lines: MarksLine[] = registrations
    .map((r) => ({
      registration: r,
      name: names.get(r.learnerId) ?? '—',
      typed: typedMark(r),
      sittingCentre: centres.get(r.centreId)?.name ?? '—',
      centreOfRecord: records.has(r.learnerId) ? (centres.get(records.get(r.learnerId)!)?.name ?? null) : null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  return { ok: true as const, session, unit, centre: centres.get(session.centreId), lines, mayPublish: mayOrganise(scope, session.centreId) };
}

/**
 * CRED-3: the marks of an exam session, as typed (a mark out of 20 with one decimal, ABS, or
 * empty), all or none: a wrong one is said next to its learner's field and nothing is written.
 * A pass records the unit's credits (certification's `recordExamUnit`), a pass corrected before
 * the results are published gives back only what this result held. Published: frozen.
 */
export async function recordMarks(deps: Pick<ExamDeps, 'db' | 'clock'>, input: { staff: Staff; examSessionId: string; values: Record<string, string> }): Promise<{ ok: true; changed: number } | Failure> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const session = await examSessionById(tx, input.examSessionId, true);
    if (!session) return notFound;
    if (!mayMark(await staffScope(tx, input.staff), session)) return forbidden;
    if (session.publishedAt) return refused('exams.err.published');
    const registrations = await tx.select().from(examRegistrations).where(eq(examRegistrations.examSessionId, session.id)).for('update');
    const errors: Record<string, FieldError> = {};
    const parsed = new Map<string, { markTenths: number | null; absent: boolean }>();
    for (const r of registrations) {
      const field = markField(r.id);
      const result = parseMark(input.values[field] ?? '');
      if (!result.ok) errors[field] = { message: result.message };
      else parsed.set(r.id, result.result.kind === 'mark' ? { markTenths: result.result.tenths, absent: false } : { markTenths: null, absent: result.result.kind === 'absent' });
    }
    if (Object.keys(errors).length) return { ok: false as const, code: 'invalid' as const, errors };
    let changed = 0;
    for (const r of registrations) {
      const next = parsed.get(r.id)!;
      if (next.markTenths === r.markTenths && next.absent === r.absent) continue;
      changed++;
      let held = r.creditsHeld;
      if (passes(next) && !held) {
        const recorded = await recordExamUnit(tx, clock, { learnerId: r.learnerId, courseId: r.courseId, earnedOn: session.heldOn, actorId: input.staff.id });
        held = recorded.ok && recorded.held;
      } else if (!passes(next) && held) {
        await withdrawExamUnit(tx, clock, { learnerId: r.learnerId, courseId: r.courseId, actorId: input.staff.id });
        held = false;
        await handOverToAnotherPass(tx, clock, { registration: r, actorId: input.staff.id });
      }
      const entered = next.absent || next.markTenths !== null;
      await tx
        .update(examRegistrations)
        .set({ markTenths: next.markTenths, absent: next.absent, creditsHeld: held, markedBy: entered ? input.staff.id : null, markedAt: entered ? clock.now() : null })
        .where(eq(examRegistrations.id, r.id));
    }
    if (changed) await audit(tx, clock, { action: 'exams.marksRecorded', actorId: input.staff.id, data: { examSessionId: session.id, changed } });
    return { ok: true as const, changed };
  });
}

/**
 * CRED-3: a pass corrected gave back the unit it held; another exam the learner passed in the
 * same unit (another session or year) holds it now, dated from its own session.
 */
async function handOverToAnotherPass(tx: Tx, clock: Clock, input: { registration: typeof examRegistrations.$inferSelect; actorId: string }): Promise<void> {
  const { registration } = input;
  const [other] = await tx
    .select({ id: examRegistrations.id, heldOn: examSessions.heldOn })
    .from(examRegistrations)
    .innerJoin(examSessions, eq(examSessions.id, examRegistrations.examSessionId))
    .where(
      and(
        eq(examRegistrations.learnerId, registration.learnerId),
        eq(examRegistrations.courseId, registration.courseId),
        ne(examRegistrations.id, registration.id),
        eq(examRegistrations.absent, false),
        gte(examRegistrations.markTenths, PASS_TENTHS),
      ),
    )
    .orderBy(asc(examSessions.heldOn))
    .limit(1)
    .for('update', { of: examRegistrations });
  if (!other) return;
  const recorded = await recordExamUnit(tx, clock, { learnerId: registration.learnerId, courseId: registration.courseId, earnedOn: other.heldOn, actorId: input.actorId });
  if (recorded.ok && recorded.held) await tx.update(examRegistrations).set({ creditsHeld: true }).where(eq(examRegistrations.id, other.id));
}

/** CRED-3: the results, as `tellLearner` sends them. */
export function resultsMessage(baseUrl: string, input: { unit: string; heldOn: string; result: { markTenths: number | null; absent: boolean } }): LearnerMessage {
  return {
    purpose: 'exams.email.results',
    compose: (t) => {
      const outcome = input.result.absent ? t('exams.result.absent') : passes(input.result) ? t('exams.result.passed', { mark: formatTenths(input.result.markTenths!) }) : t('exams.result.failed', { mark: formatTenths(input.result.markTenths!) });
      const params = { unit: input.unit, date: t.date(input.heldOn), outcome, link: `${baseUrl}/compte/examens` };
      return { subject: t('exams.email.results.subject', params), text: t('exams.email.results.body', params), link: params.link };
    },
  };
}

/**
 * CRED-3: the results published (a coordinator of the centre, an administrator), once every
 * registered learner has a mark or is absent: each learner is emailed and sees them in « Mes
 * examens »; those who failed or were absent are registered for the second session if there is one.
 */
export async function publishResults(deps: ExamDeps, input: { staff: Staff; examSessionId: string }): Promise<{ ok: true; told: number } | Failure> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const session = await examSessionById(tx, input.examSessionId, true);
    if (!session) return notFound;
    if (!mayOrganise(await staffScope(tx, input.staff), session.centreId)) return forbidden;
    if (session.publishedAt) return refused('exams.err.published');
    const registrations = await tx.select().from(examRegistrations).where(eq(examRegistrations.examSessionId, session.id));
    const missing = registrations.filter((r) => !r.absent && r.markTenths === null).length;
    if (missing) return refused('exams.err.marksMissing', { count: missing });
    await tx.update(examSessions).set({ publishedAt: clock.now(), publishedBy: input.staff.id }).where(eq(examSessions.id, session.id));
    const [unit] = await unitsOf(tx, { ids: [session.courseId] });
    const label = unit ? `${unit.code} – ${unit.title}` : String(session.courseId);
    for (const r of registrations) await tellLearner(tx, r.learnerId, resultsMessage(deps.baseUrl, { unit: label, heldOn: session.heldOn, result: r }));
    await audit(tx, clock, { action: 'exams.resultsPublished', actorId: input.staff.id, data: { examSessionId: session.id, learners: registrations.length } });
    if (session.number === 1) await ensureRegistrations(tx, clock, { courseId: session.courseId, academicYear: session.academicYear, number: 2 });
    return { ok: true as const, told: registrations.length };
  });
}

// ---------------------------------------------------------------- the learner

/** CRED-3: registers a learner for the sessions of the units they are enrolled in (what « Mes examens » shows). */
export async function ensureLearnerRegistrations(db: DbOrTx, clock: Clock, learnerId: string): Promise<void> {
  const enrolled = (await applicationsByIds(db, await applicationIdsOf(db, learnerId))).filter((a) => a.status === 'enrolled');
  if (enrolled.length === 0) return;
  const sessions = await sessionsForApplications(db, { ids: [...new Set(enrolled.map((a) => a.sessionId))] });
  const groups = new Set(sessions.map((s) => `${s.courseId}:${academicYearOf(s.firstMeeting)}`));
  for (const group of groups) {
    const [courseId, academicYear] = group.split(':').map(Number);
    for (const number of [1, 2]) await ensureRegistrations(db, clock, { courseId, academicYear, number, learnerIds: [learnerId] });
  }
}

export interface LearnerExam {
  registration: Registration;
  session: ExamSession;
  unit: Unit | undefined;
  centre: string;
  sessionCentre: string;
  /** Published only: before that, nothing is shown. */
  result: { markTenths: number | null; absent: boolean; passed: boolean } | null;
  upcoming: boolean;
}

/** CRED-3: a learner's exam registrations, the results published, newest year first. */
export async function learnerExams(deps: Pick<ExamDeps, 'db' | 'clock'>, learnerId: string): Promise<LearnerExam[]> {
  const { db, clock } = deps;
  await ensureLearnerRegistrations(db, clock, learnerId);
  const rows = await db
    .select({ registration: examRegistrations, session: examSessions })
    .from(examRegistrations)
    .innerJoin(examSessions, eq(examSessions.id, examRegistrations.examSessionId))
    .where(eq(examRegistrations.learnerId, learnerId))
    .orderBy(asc(examSessions.heldOn));
  const units = await unitsById(db, rows.map((r) => r.session.courseId));
  const centres = await centresById(db);
  const today = parisDay(clock.now());
  return rows.map(({ registration, session }) => ({
    registration,
    session,
    unit: units.get(session.courseId),
    centre: centres.get(registration.centreId)?.name ?? '—',
    sessionCentre: centres.get(session.centreId)?.name ?? '—',
    result: session.publishedAt ? { markTenths: registration.markTenths, absent: registration.absent, passed: passes(registration) } : null,
    upcoming: session.heldOn >= today && !session.publishedAt,
  }));
}

/** A learner's registration with its session (theirs only), or null. */
export async function learnerRegistration(db: DbOrTx, learnerId: string, registrationId: string, lock = false) {
  if (!isUuid(registrationId)) return null;
  const query = db
    .select({ registration: examRegistrations, session: examSessions })
    .from(examRegistrations)
    .innerJoin(examSessions, eq(examSessions.id, examRegistrations.examSessionId))
    .where(and(eq(examRegistrations.id, registrationId), eq(examRegistrations.learnerId, learnerId)))
    .$dynamic();
  const [row] = lock ? await query.for('update', { of: examRegistrations }) : await query;
  return row ?? null;
}

/** Moving: a learner's registrations still to come (not marked, results not published, on or after today). */
export async function upcomingRegistrations(db: DbOrTx, learnerId: string, today: string) {
  return db
    .select({ registration: examRegistrations, session: examSessions })
    .from(examRegistrations)
    .innerJoin(examSessions, eq(examSessions.id, examRegistrations.examSessionId))
    .where(and(eq(examRegistrations.learnerId, learnerId), gte(examSessions.heldOn, today), isNull(examSessions.publishedAt), isNull(examRegistrations.markTenths), eq(examRegistrations.absent, false)));
}

/** The session of the same unit, year and number held at a centre, if any. */
export async function sessionAt(db: DbOrTx, like: Pick<ExamSession, 'courseId' | 'academicYear' | 'number'>, centreId: number): Promise<ExamSession | null> {
  const [row] = await db
    .select()
    .from(examSessions)
    .where(and(eq(examSessions.courseId, like.courseId), eq(examSessions.academicYear, like.academicYear), eq(examSessions.number, like.number), eq(examSessions.centreId, centreId)));
  return row ?? null;
}

/**
 * CRED-3: registers a learner for an exam session without an enrolment in Cursus (a unit
 * followed elsewhere, the demo): at the session's centre; a registration for the same unit,
 * year and session number already there stays.
 */
export async function registerForExam(tx: DbOrTx, clock: Clock, input: { learnerId: string; examSessionId: string }): Promise<void> {
  const session = await examSessionById(tx, input.examSessionId);
  if (!session) return;
  await tx
    .insert(examRegistrations)
    .values({ examSessionId: session.id, learnerId: input.learnerId, courseId: session.courseId, academicYear: session.academicYear, number: session.number, applicationId: null, centreId: session.centreId, registeredAt: clock.now() })
    .onConflictDoNothing();
}

/** The ids of an exam session's registrations (the demo fills its marks form with them). */
export async function registrationIdsOf(db: DbOrTx, examSessionId: string): Promise<string[]> {
  if (!isUuid(examSessionId)) return [];
  return (await db.select({ id: examRegistrations.id }).from(examRegistrations).where(eq(examRegistrations.examSessionId, examSessionId))).map((r) => r.id);
}
