import type { EvaluationOutcome } from '../../domain/vocabulary';

/**
 * Pure rules of levels (SPEC SEL-1, SEL-2, CERT-2, CERT-3, CERT-6), read from what the end of
 * each course gave the learner (`course_outcomes`). No I/O.
 */

/** One enrolment's end of course, as these rules need it. */
export interface OutcomeFact {
  courseId: number;
  attendedMinutes: number;
  plannedMinutes: number;
  /** ATT-4: the attendance certificate was earned. */
  attendanceCertified: boolean;
  /** CERT-1: null for a course without an evaluation. */
  outcome: EvaluationOutcome | null;
  /** CERT-2: when the certificate of skills was issued (null: still due, or none). */
  certificateIssuedAt: Date | null;
  computedAt: Date;
}

/**
 * CERT-2: the certificate of skills is the learner's once they passed the test: the service
 * issues it within the policy's delay, and a learner is not held back by that delay (a passed
 * outcome whose certificate is still due counts as held).
 */
export const holdsCertificate = (o: OutcomeFact): boolean => o.outcome === 'passed';

/**
 * SEL-1: what opens the next level: the previous course's certificate of skills; for a previous
 * course without an evaluation (no certificate of skills exists), its attendance certificate.
 */
export const opensNextLevel = (o: OutcomeFact): boolean => holdsCertificate(o) || (o.outcome === null && o.attendanceCertified);

export type PrerequisiteCheck = { ok: true; code: 'SEL-1' } | { ok: false; code: 'SEL-1'; reason: 'no_certificate' };

/** SEL-1: a course with a previous level needs that level opened by one of its outcomes. */
export function prerequisiteOf(previousCourseId: number | null, outcomes: readonly OutcomeFact[]): PrerequisiteCheck {
  if (previousCourseId === null) return { ok: true, code: 'SEL-1' };
  return outcomes.some((o) => o.courseId === previousCourseId && opensNextLevel(o)) ? { ok: true, code: 'SEL-1' } : { ok: false, code: 'SEL-1', reason: 'no_certificate' };
}

/** SEL-2: the previous level as the ranking reads it: the latest attempt's real attendance, and the certificate of skills. */
export interface PreviousLevel {
  /** SEL-1: the previous level is open to this learner. */
  passed: boolean;
  /** SEL-2: the certificate of skills of the previous level (held or due). */
  certificate: boolean;
  /** SEL-2: attended minutes over planned minutes of the latest attempt, in percent rounded down; null without one. */
  attendancePercent: number | null;
}

export function previousLevel(previousCourseId: number, outcomes: readonly OutcomeFact[]): PreviousLevel {
  const ofCourse = outcomes.filter((o) => o.courseId === previousCourseId);
  const latest = [...ofCourse].sort((a, b) => b.computedAt.getTime() - a.computedAt.getTime())[0];
  return {
    passed: ofCourse.some(opensNextLevel),
    certificate: ofCourse.some(holdsCertificate),
    attendancePercent: latest && latest.plannedMinutes > 0 ? Math.floor((latest.attendedMinutes * 100) / latest.plannedMinutes) : null,
  };
}

/**
 * CERT-3: the attempts at a course that were not passed: the test failed, or missed (presence
 * at the test is mandatory, CERT-1). A course without an evaluation has no failure.
 */
export const failuresIn = (courseId: number, outcomes: readonly OutcomeFact[]): number =>
  outcomes.filter((o) => o.courseId === courseId && (o.outcome === 'failed' || o.outcome === 'absent')).length;

export type RepeatCheck = { ok: true; code: 'CERT-3'; failures: number } | { ok: false; code: 'CERT-3'; failures: number; message: 'cert.error.repeatLimit' };

/**
 * CERT-3: a learner who failed may apply to the same course again, `repeatsAllowed` times (the
 * policy, 1: failed once, one more attempt; failed twice, no third). An attempt still `running`
 * (a place held in the course, no outcome yet) counts as one: failed once and enrolled again,
 * no third application; never failed and enrolled, one more (APP-2 lets them apply to the next session).
 */
export function repeatCheck(courseId: number, outcomes: readonly OutcomeFact[], repeatsAllowed: number, running = 0): RepeatCheck {
  const failures = failuresIn(courseId, outcomes);
  return failures + running > repeatsAllowed ? { ok: false, code: 'CERT-3', failures, message: 'cert.error.repeatLimit' } : { ok: true, code: 'CERT-3', failures };
}

/**
 * CERT-6: the learner passed the level (certificate of skills, or none for a course without an
 * evaluation, and the attendance certificate): the next level's sessions are shown to them, and
 * its priority window is theirs.
 */
export const passedLevel = (o: OutcomeFact): boolean => opensNextLevel(o) && o.attendanceCertified;

/** CERT-6: the courses a learner passed (each opens the courses whose previous course it is). */
export const passedCourses = (outcomes: readonly OutcomeFact[]): Set<number> => new Set(outcomes.filter(passedLevel).map((o) => o.courseId));

/** CERT-6: the priority fact for a course: its previous level is one the learner passed. */
export const hasPriority = (previousCourseId: number | null, outcomes: readonly OutcomeFact[]): boolean =>
  previousCourseId !== null && passedCourses(outcomes).has(previousCourseId);
