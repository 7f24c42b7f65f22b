import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { FixedClock } from '../src/platform/clock';
import type { EvaluationOutcome, Objective, Situation } from '../src/domain/vocabulary';
import { applications } from '../src/modules/applications/applications.table';
import { courseSessions, courses } from '../src/modules/catalogue/catalogue.table';
import { courseOutcomes } from '../src/modules/certification/certification.table';

/**
 * Factory: what the end of a past course gave a learner, written directly (the end-of-course
 * job computes these rows in the app): an enrolled application to `sessionCode` with the form's
 * answers, and its `course_outcomes` row. Defaults: passed, 90 % attended, both certificates.
 */
export async function pastOutcome(
  db: Db,
  clock: FixedClock,
  input: {
    learnerId: string;
    sessionCode: string;
    outcome?: EvaluationOutcome | null;
    attendedMinutes?: number;
    plannedMinutes?: number;
    attendanceCertified?: boolean;
    certificateIssued?: boolean;
    answers?: { situation: Situation; objective: Objective; motivations: string };
    /** Days before the clock's now the outcome was computed (orders attempts). */
    daysAgo?: number;
  },
) {
  const [session] = await db.select().from(courseSessions).where(eq(courseSessions.code, input.sessionCode));
  const at = new Date(clock.now().getTime() - (input.daysAgo ?? 100) * 86_400_000);
  const answers = input.answers ?? { situation: 'job_seeker', objective: 'professional', motivations: 'Continuer après le niveau réussi.' };
  const [application] = await db
    .insert(applications)
    .values({ learnerId: input.learnerId, sessionId: session.id, courseId: session.courseId, status: 'enrolled', ...answers, createdAt: at, confirmedAt: at, rulesAcceptedAt: at })
    .returning();
  const outcome = input.outcome === undefined ? 'passed' : input.outcome;
  const planned = input.plannedMinutes ?? 6000;
  const attended = input.attendedMinutes ?? Math.round(planned * 0.9);
  await db.insert(courseOutcomes).values({
    applicationId: application.id,
    sessionId: session.id,
    courseId: session.courseId,
    learnerId: input.learnerId,
    attendedMinutes: attended,
    plannedMinutes: planned,
    attendanceCertified: input.attendanceCertified ?? attended * 100 >= 75 * planned,
    outcome,
    certificateDueOn: outcome === 'passed' ? at.toISOString().slice(0, 10) : null,
    certificateIssuedAt: outcome === 'passed' && input.certificateIssued !== false ? at : null,
    computedAt: at,
  });
  return application;
}

/** Makes `course` the next level of `previous` (CAT-1's "previous course"). */
export async function chainLevels(db: Db, previous: string, course: string) {
  const [before] = await db.select().from(courses).where(eq(courses.code, previous));
  await db.update(courses).set({ previousCourseId: before.id, hasEvaluation: true }).where(eq(courses.code, course));
  await db.update(courses).set({ hasEvaluation: true }).where(eq(courses.code, previous));
}

/** Moves a session of the test catalogue to last year (it ran from 300 to 60 days ago). */
export async function pastSession(db: Db, clock: FixedClock, code: string) {
  const day = (n: number) => new Date(clock.now().getTime() - n * 86_400_000).toISOString().slice(0, 10);
  await db.update(courseSessions).set({ firstMeeting: day(300), lastMeeting: day(60) }).where(eq(courseSessions.code, code));
}

/**
 * Factory: an attempt still running: an enrolment in `sessionCode` (moved to run from 200 days ago
 * to 30 days ahead, before the test catalogue's open sessions start) without its end-of-course
 * outcome yet.
 */
export async function runningEnrolment(db: Db, clock: FixedClock, input: { learnerId: string; sessionCode: string }) {
  const day = (n: number) => new Date(clock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);
  const [session] = await db.update(courseSessions).set({ firstMeeting: day(-200), lastMeeting: day(30) }).where(eq(courseSessions.code, input.sessionCode)).returning();
  const at = new Date(clock.now().getTime() - 230 * 86_400_000);
  const [application] = await db
    .insert(applications)
    .values({ learnerId: input.learnerId, sessionId: session.id, courseId: session.courseId, status: 'enrolled', situation: 'job_seeker', objective: 'professional', motivations: 'Je redouble.', createdAt: at, confirmedAt: at, rulesAcceptedAt: at })
    .returning();
  return application;
}
