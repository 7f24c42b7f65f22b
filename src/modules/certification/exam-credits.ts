import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { creditsEarned } from './certification.table';
import { enrolmentPass, recordEarnedUnit, revokeRecordDocuments } from './credits.service';

/**
 * CRED-3 (decision 028): the exams module's way in to the credits earned. In the credits profile
 * the exam is what validates a unit; the end-of-course path may also have recorded it (an
 * enrolment passed). A unit is one row whatever the number of passes, so:
 * - an exam passed records the unit (`applicationId` null: no enrolment's correction takes it
 *   back), or takes over the row an enrolment's pass recorded (then a corrected end-of-course
 *   outcome no longer removes what the exam earned): `held` says whether the exam now holds it;
 * - an exam result corrected gives back only what it held: the row goes, and an enrolment still
 *   passed records it again in its own name. A unit recorded otherwise (the demo, before
 *   Cursus: `held` false) is never touched.
 */
export async function recordExamUnit(
  tx: Tx,
  clock: Clock,
  input: { learnerId: string; courseId: number; earnedOn: string; actorId: string | null },
): Promise<{ ok: true; held: boolean } | { ok: false; code: 'not_a_unit' }> {
  const recorded = await recordEarnedUnit(tx, clock, { learnerId: input.learnerId, courseId: input.courseId, earnedOn: input.earnedOn, applicationId: null, actorId: input.actorId });
  if (!recorded.ok) return recorded;
  if (recorded.recorded) return { ok: true, held: true };
  const taken = await tx
    .update(creditsEarned)
    .set({ applicationId: null })
    .where(and(eq(creditsEarned.learnerId, input.learnerId), eq(creditsEarned.courseId, input.courseId), isNotNull(creditsEarned.applicationId)))
    .returning({ courseId: creditsEarned.courseId });
  return { ok: true, held: taken.length > 0 };
}

/** CRED-3: an exam's pass corrected: what it held goes back (see `recordExamUnit`); an enrolment still passed keeps the unit. */
export async function withdrawExamUnit(tx: Tx, clock: Clock, input: { learnerId: string; courseId: number; actorId: string | null }): Promise<{ withdrawn: boolean }> {
  const gone = await tx
    .delete(creditsEarned)
    .where(and(eq(creditsEarned.learnerId, input.learnerId), eq(creditsEarned.courseId, input.courseId), isNull(creditsEarned.applicationId)))
    .returning({ credits: creditsEarned.credits });
  if (gone.length === 0) return { withdrawn: false };
  await audit(tx, clock, { action: 'certification.unitWithdrawn', actorId: input.actorId, data: { learnerId: input.learnerId, courseId: input.courseId, by: 'exam' } });
  // An enrolment passed in the unit keeps it, as at the end of a course (the same `enrolmentPass`).
  const still = await enrolmentPass(tx, { learnerId: input.learnerId, courseId: input.courseId });
  if (still) await recordEarnedUnit(tx, clock, { learnerId: input.learnerId, courseId: input.courseId, earnedOn: still.earnedOn, applicationId: still.applicationId, actorId: input.actorId });
  // CRED-4: nothing supports the unit any more: its attestation and the transcript listing it are revoked.
  else await revokeRecordDocuments(tx, clock, { learnerId: input.learnerId, courseId: input.courseId });
  return { withdrawn: true };
}
