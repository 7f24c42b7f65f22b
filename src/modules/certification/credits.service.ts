import { and, asc, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { parisDay } from '../accounts';
import { meetingFact, meetingsOf } from '../attendance';
import { unitsOf } from '../catalogue';
import { revokeDocuments } from '../documents';
import { courseEnd } from './certification.rules';
import { courseOutcomes, creditsEarned } from './certification.table';

/**
 * CRED-1: the teaching units a learner earned, kept for life. One fact per learner and unit,
 * recorded once (a second pass changes nothing), with the credits the unit was worth then.
 */

/** CRED-4: what a unit's attestation of success is about (the documents register's subject). */
export const attestationSubject = (learnerId: string, courseId: number) => `${learnerId}:${courseId}`;

export interface EarnedUnit {
  courseId: number;
  credits: number;
  earnedOn: string;
  /** The enrolment that earned it; null when recorded otherwise (before Cursus, the demo). */
  applicationId: string | null;
}

/** CRED-1: the units these learners earned, by learner. */
export async function earnedUnitsOf(db: DbOrTx, learnerIds: string[]): Promise<Map<string, EarnedUnit[]>> {
  const byLearner = new Map<string, EarnedUnit[]>(learnerIds.map((id) => [id, []]));
  if (learnerIds.length === 0) return byLearner;
  const rows = await db.select().from(creditsEarned).where(inArray(creditsEarned.learnerId, learnerIds)).orderBy(asc(creditsEarned.earnedOn), asc(creditsEarned.courseId));
  for (const r of rows) byLearner.get(r.learnerId)!.push({ courseId: r.courseId, credits: r.credits, earnedOn: r.earnedOn, applicationId: r.applicationId });
  return byLearner;
}

/**
 * CRED-1: records that a learner earned a unit (idempotent: a unit earned already keeps its first
 * record). Refuses a course that is not a unit. Writes its audit row in the caller's transaction.
 */
export async function recordEarnedUnit(
  tx: Tx,
  clock: Clock,
  input: { learnerId: string; courseId: number; earnedOn: string; applicationId?: string | null; actorId?: string | null },
): Promise<{ ok: true; recorded: boolean } | { ok: false; code: 'not_a_unit' }> {
  const [unit] = await unitsOf(tx, { ids: [input.courseId] });
  if (!unit) return { ok: false, code: 'not_a_unit' };
  const inserted = await tx
    .insert(creditsEarned)
    .values({ learnerId: input.learnerId, courseId: unit.id, credits: unit.credits, applicationId: input.applicationId ?? null, earnedOn: input.earnedOn, recordedAt: clock.now() })
    .onConflictDoNothing()
    .returning({ courseId: creditsEarned.courseId });
  if (inserted.length) await audit(tx, clock, { action: 'certification.unitEarned', actorId: input.actorId ?? null, data: { learnerId: input.learnerId, unit: unit.code, credits: unit.credits } });
  return { ok: true, recorded: inserted.length > 0 };
}

/**
 * CRED-1: after a session's outcomes are computed: each enrolment passed in a unit earns it (once
 * for life); an outcome corrected to not passed before its certificate of skills is issued
 * takes back what that very enrolment recorded (an earlier pass of the unit stays).
 */
export async function recordUnitsOfSession(tx: Tx, clock: Clock, input: { sessionId: number; courseId: number; earnedOn: string; passed: ReadonlySet<string> }): Promise<void> {
  const [unit] = await unitsOf(tx, { ids: [input.courseId] });
  if (!unit) return;
  const outcomes = await tx
    .select({ applicationId: courseOutcomes.applicationId, learnerId: courseOutcomes.learnerId, certificateDocumentId: courseOutcomes.certificateDocumentId })
    .from(courseOutcomes)
    .where(eq(courseOutcomes.sessionId, input.sessionId));
  for (const o of outcomes) if (input.passed.has(o.applicationId)) await recordEarnedUnit(tx, clock, { learnerId: o.learnerId, courseId: unit.id, earnedOn: input.earnedOn, applicationId: o.applicationId });
  // A certificate of skills issued freezes its outcome (computeOutcomes): only the others are taken back.
  const retract = outcomes.filter((o) => !input.passed.has(o.applicationId) && !o.certificateDocumentId).map((o) => o.applicationId);
  if (retract.length === 0) return;
  const recorded = await tx.select().from(creditsEarned).where(inArray(creditsEarned.applicationId, retract));
  for (const row of recorded) {
    // Another pass of the same unit by the same learner (a later session passed while this one
    // held the record) keeps the unit earned: the record moves to it, dated from its end.
    const other = await enrolmentPass(tx, { learnerId: row.learnerId, courseId: row.courseId, except: row.applicationId! });
    if (other) {
      await tx.update(creditsEarned).set({ applicationId: other.applicationId, earnedOn: other.earnedOn }).where(and(eq(creditsEarned.learnerId, row.learnerId), eq(creditsEarned.courseId, row.courseId)));
      await audit(tx, clock, { action: 'certification.unitEarnedMoved', actorId: null, data: { learnerId: row.learnerId, unit: unit.code, from: row.applicationId, to: other.applicationId } });
      continue;
    }
    await tx.delete(creditsEarned).where(and(eq(creditsEarned.learnerId, row.learnerId), eq(creditsEarned.courseId, row.courseId)));
    await revokeRecordDocuments(tx, clock, { learnerId: row.learnerId, courseId: row.courseId });
    await audit(tx, clock, { action: 'certification.unitTakenBack', actorId: null, data: { learnerId: row.learnerId, unit: unit.code, applicationId: row.applicationId } });
  }
}

/**
 * CRED-4: a unit taken back (no pass supports it any more, at the end of a course or at an exam):
 * its attestation of success is no longer true, nor the transcript that lists it (the next
 * download issues one without it). In the caller's transaction.
 */
export async function revokeRecordDocuments(tx: Tx, clock: Clock, input: { learnerId: string; courseId: number }): Promise<void> {
  await revokeDocuments(tx, ['unit_attestation'], attestationSubject(input.learnerId, input.courseId), 'cred.doc.takenBack', clock);
  await revokeDocuments(tx, ['transcript'], input.learnerId, 'cred.doc.takenBack', clock);
}

/**
 * The learner's passed enrolment in this unit (but `except`), if any: its outcome has a
 * certificate of skills' due date (passed, or frozen passed by an issued certificate); the
 * earliest ended first, with the day it ended (what a unit earned by it is dated from). What
 * takes a unit over when the pass that held it is corrected, at the end of a course or at an exam.
 */
export async function enrolmentPass(tx: Tx, input: { learnerId: string; courseId: number; except?: string }): Promise<{ applicationId: string; earnedOn: string } | null> {
  const passes = await tx
    .select({ applicationId: courseOutcomes.applicationId, sessionId: courseOutcomes.sessionId })
    .from(courseOutcomes)
    .where(
      and(
        eq(courseOutcomes.learnerId, input.learnerId),
        eq(courseOutcomes.courseId, input.courseId),
        input.except ? ne(courseOutcomes.applicationId, input.except) : undefined,
        isNotNull(courseOutcomes.certificateDueOn),
      ),
    );
  if (passes.length === 0) return null;
  const meetings = await meetingsOf(tx, [...new Set(passes.map((p) => p.sessionId))]);
  const dated = passes.map((p) => {
    const end = courseEnd((meetings.get(p.sessionId) ?? []).map(meetingFact));
    return { applicationId: p.applicationId, earnedOn: end ? parisDay(end) : '9999-12-31' };
  });
  dated.sort((a, b) => a.earnedOn.localeCompare(b.earnedOn) || a.applicationId.localeCompare(b.applicationId));
  return dated[0].earnedOn === '9999-12-31' ? null : dated[0];
}
