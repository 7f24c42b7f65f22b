import { and, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import { planOnce, statement, readTogether } from '../../db/statements';
import type { Clock } from '../../platform/clock';
import type { MessageKey } from '../../platform/i18n';
import { getPolicies } from '../../platform/policies';
import {
  courseStandings,
  getApplication,
  inGroup,
  listApplications,
  placesHeldIn,
  preselectSession,
  saveAnswers,
  windowOpen,
  type ApplicationDeps,
  type CourseStanding,
} from '../applications';
import { courseTitles, nextLevelSessionIds, sessionsForApplications, type SessionForApplication } from '../catalogue';
import { legacyOutcomes } from '../legacy';
import { freePlacesOf, previousLevels, repeatsUsedUp, type PreviousLevelFacts } from '../selection';
import { courseOutcomes } from './certification.table';
import { hasPriority, passedLevel, previousLevel, repeatCheck, type OutcomeFact } from './levels.rules';

/**
 * Levels from the end-of-course outcomes (SEL-1, SEL-2, CERT-3, CERT-6): what selection and the
 * applications ask about a learner's previous levels, and the learner's "next level" page.
 */

/** `applicationId` and `sessionId` are null for an enrolment of the old system (ACC-9). */
type OutcomeRow = OutcomeFact & { applicationId: string | null; learnerId: string; sessionId: number | null };

/**
 * The end-of-course outcomes of these learners (in these courses, when given), with the old
 * system's enrolments of their linked former account (ACC-9: they count for SEL-1, SEL-2, CERT-3, CERT-6).
 */
export async function learnerOutcomes(db: DbOrTx, learnerIds: string[], courseIds?: number[]): Promise<OutcomeRow[]> {
  if (learnerIds.length === 0 || courseIds?.length === 0) return [];
  const [rows, old] = await readTogether(db, [async () => currentOutcomes(db, learnerIds, courseIds), async () => legacyOutcomes(db, learnerIds, courseIds)]);
  return old.length ? [...rows, ...old.map((o) => ({ ...o, applicationId: null, sessionId: null }))] : rows;
}

function currentOutcomes(db: DbOrTx, learnerIds: string[], courseIds?: number[]) {
  // Asked at every validation (CERT-3, CERT-6 of APP-4): named statements, built once, the ids array parameters.
  return (courseIds ? outcomesInCourses : outcomesOf)(db).execute({ learners: learnerIds, courses: courseIds });
}
const outcomesQuery = (db: DbOrTx, inCourses: boolean) =>
  db
    .select({
      applicationId: courseOutcomes.applicationId,
      learnerId: courseOutcomes.learnerId,
      sessionId: courseOutcomes.sessionId,
      courseId: courseOutcomes.courseId,
      attendedMinutes: courseOutcomes.attendedMinutes,
      plannedMinutes: courseOutcomes.plannedMinutes,
      attendanceCertified: courseOutcomes.attendanceCertified,
      outcome: courseOutcomes.outcome,
      certificateIssuedAt: courseOutcomes.certificateIssuedAt,
      computedAt: courseOutcomes.computedAt,
    })
    .from(courseOutcomes)
    .where(
      and(
        sql`${courseOutcomes.learnerId} = any(${planOnce(sql.placeholder('learners'), 'uuid[]')})`,
        inCourses ? sql`${courseOutcomes.courseId} = any(${planOnce(sql.placeholder('courses'), 'int[]')})` : undefined,
      ),
    );
const outcomesOf = statement('certification_outcomes', (db) => outcomesQuery(db, false));
const outcomesInCourses = statement('certification_outcomes_in_courses', (db) => outcomesQuery(db, true));

/** SEL-1, SEL-2: each learner's previous level (`courseId`), for selection's ranking. */
export async function previousLevelsOf(db: DbOrTx, input: { courseId: number; learnerIds: string[] }): Promise<Map<string, PreviousLevelFacts>> {
  const rows = await learnerOutcomes(db, input.learnerIds, [input.courseId]);
  return new Map(input.learnerIds.map((id) => [id, previousLevel(input.courseId, rows.filter((r) => r.learnerId === id))]));
}

/** CERT-3, CERT-6: the learner's standing for these courses: repeats used up (the policy), priority window. */
export async function standingsOf(
  db: DbOrTx,
  learnerId: string,
  courses: { courseId: number; previousCourseId: number | null }[],
  /** The places the learner holds in these courses, when the caller read them already (under the learner's lock). */
  known?: { held: { id: string; learnerId: string; courseId: number }[] },
): Promise<Map<number, CourseStanding>> {
  if (courses.length === 0) return new Map();
  const ids = [...new Set(courses.flatMap((c) => (c.previousCourseId === null ? [c.courseId] : [c.courseId, c.previousCourseId])))];
  // One after the other: on a transaction's client, pg queues them anyway, and warns (an error in pg 9).
  const rows = await learnerOutcomes(db, [learnerId], ids);
  const running = await runningAttempts(db, [learnerId], courses.map((c) => c.courseId), undefined, known?.held);
  // Most applicants have no past course here: no policy to read (the rush of APP-10 stays light).
  if (rows.length === 0 && running.length === 0) return new Map(courses.map((c) => [c.courseId, { repeatsUsedUp: false, priority: false }]));
  const { repeatsAllowed } = await getPolicies(db);
  return new Map(
    courses.map((c) => [
      c.courseId,
      { repeatsUsedUp: !repeatCheck(c.courseId, rows, repeatsAllowed, running.filter((r) => r.courseId === c.courseId).length).ok, priority: hasPriority(c.previousCourseId, rows) },
    ]),
  );
}

/**
 * CERT-3: the attempts still running: places held in these courses (applications facade) whose
 * end-of-course outcome is not computed yet; `except` (the applications being judged) left out.
 */
async function runningAttempts(db: DbOrTx, learnerIds: string[], courseIds: number[], except: ReadonlySet<string> = new Set(), known?: { id: string; learnerId: string; courseId: number }[]) {
  const held = (known ?? (await placesHeldIn(db, { learnerIds, courseIds }))).filter((p) => !except.has(p.id));
  if (held.length === 0) return [];
  const ended = new Set(
    (await db.select({ id: courseOutcomes.applicationId }).from(courseOutcomes).where(inArray(courseOutcomes.applicationId, held.map((p) => p.id)))).map((r) => r.id),
  );
  return held.filter((p) => !ended.has(p.id));
}

/**
 * CERT-3, SEL-1: the applications (to a session of `courseId`) whose learner has used up the
 * repeats by now, counting the failures and the attempts still running besides these applications.
 */
export async function repeatsUsedUpOf(db: DbOrTx, input: { courseId: number; applications: { id: string; learnerId: string }[] }): Promise<Set<string>> {
  const learnerIds = [...new Set(input.applications.map((a) => a.learnerId))];
  if (learnerIds.length === 0) return new Set();
  const rows = await learnerOutcomes(db, learnerIds, [input.courseId]);
  const running = await runningAttempts(db, learnerIds, [input.courseId], new Set(input.applications.map((a) => a.id)));
  if (rows.length === 0 && running.length === 0) return new Set();
  const { repeatsAllowed } = await getPolicies(db);
  return new Set(
    input.applications
      .filter((a) => !repeatCheck(input.courseId, rows.filter((r) => r.learnerId === a.learnerId), repeatsAllowed, running.filter((r) => r.learnerId === a.learnerId).length).ok)
      .map((a) => a.id),
  );
}

previousLevels.provide(previousLevelsOf);
repeatsUsedUp.provide(repeatsUsedUpOf);
courseStandings.provide(standingsOf);

/** One session of a next level, as the learner's page shows it. */
export interface NextLevelSession {
  session: SessionForApplication;
  free: number;
  /** The learner may apply now: the priority window or the public one is open. */
  open: boolean;
  /** The priority window is open (before the public one). */
  priorityNow: boolean;
  /** The learner's live application to this course, if any (APP-2: one per course). */
  applied: string | null;
}

/**
 * CERT-6: the levels the learner passed (certificate of skills and attendance certificate) and,
 * for each, the next level's sessions with free places, in periods not yet closed.
 */
export async function nextLevelPage(db: Db, clock: Clock, learnerId: string): Promise<{ passed: { courseId: number; title: string; applicationId: string | null }[]; sessions: NextLevelSession[] }> {
  const rows = (await learnerOutcomes(db, [learnerId])).filter(passedLevel);
  if (rows.length === 0) return { passed: [], sessions: [] };
  const courseIds = [...new Set(rows.map((r) => r.courseId))];
  const [titles, sessionIds, applications] = await Promise.all([courseTitles(db, courseIds), nextLevelSessionIds(db, courseIds, clock.now()), listApplications(db, clock, learnerId)]);
  const sessions = await sessionsForApplications(db, { ids: sessionIds });
  const free = await freePlacesOf(db, sessions);
  const appliedCourses = new Map(applications.filter((a) => !inGroup('closed', a.status)).map((a) => [a.courseId, a.id]));
  const now = clock.now();
  const order = new Map(sessionIds.map((id, i) => [id, i]));
  return {
    passed: courseIds.map((id) => ({ courseId: id, title: titles.get(id) ?? '', applicationId: latestOf(rows.filter((r) => r.courseId === id)).applicationId })),
    sessions: sessions
      .map((session) => ({
        session,
        free: free.get(session.id) ?? 0,
        open: windowOpen(session.period, now, true),
        priorityNow: windowOpen(session.period, now, true) && !windowOpen(session.period, now, false),
        applied: appliedCourses.get(session.courseId) ?? null,
      }))
      .filter((s) => s.free > 0)
      .sort((a, b) => order.get(a.session.id)! - order.get(b.session.id)!),
  };
}

const latestOf = <R extends { computedAt: Date }>(rows: R[]): R => rows.reduce((a, b) => (b.computedAt > a.computedAt ? b : a));

export type NextLevelFailure = { ok: false; code: 'not_found' | 'no_record' | 'refused'; message: MessageKey; params?: Record<string, string | number> };

/**
 * CERT-6: applies to a next level's session from the page: the preselection (the lifecycle's
 * guards: the priority window, CERT-3, APP-2, APP-3), then the form prefilled with the answers
 * of the application to the level passed (situation, allowance, objective, motivations), for the
 * learner to check and confirm. "not_found" for a session that is not one of their next levels.
 */
export async function applyToNextLevel(deps: ApplicationDeps, input: { learnerId: string; sessionCode: string }): Promise<{ ok: true; applicationId: string } | NextLevelFailure> {
  const { db, clock } = deps;
  const page = await nextLevelPage(db, clock, input.learnerId);
  const target = page.sessions.find((s) => s.session.code === input.sessionCode);
  if (!target) return { ok: false, code: 'not_found', message: 'error.notFound.message' };
  const created = await preselectSession(deps, { learnerId: input.learnerId, sessionCode: input.sessionCode });
  if (!created.ok) {
    if (created.code === 'not_found') return { ok: false, code: 'not_found', message: 'error.notFound.message' };
    if (created.code === 'no_record') return { ok: false, code: 'no_record', message: created.message };
    const conflict = 'conflictWith' in created && created.conflictWith ? created.conflictWith.title : '';
    return { ok: false, code: 'refused', message: created.message, params: { title: conflict, max: (await getPolicies(db)).maxActiveApplications } };
  }
  const previous = page.passed.find((p) => p.courseId === target.session.previousCourseId);
  // A level passed in the old system (ACC-9) has no application to take the answers from.
  const source = previous?.applicationId ? await getApplication(db, clock, input.learnerId, previous.applicationId) : null;
  if (source) {
    const answers = {
      ...(source.situation ? { situation: source.situation, allowance: source.allowance } : {}),
      ...(source.objective ? { objective: source.objective } : {}),
      ...(source.motivations ? { motivations: source.motivations } : {}),
    };
    if (Object.keys(answers).length) await saveAnswers(deps, { learnerId: input.learnerId, applicationId: created.applicationId, answers });
  }
  return { ok: true, applicationId: created.applicationId };
}
