import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { ExportSection, PersonalColumn, PersonalDataSet, RetentionRule, TableDeclaration } from '../../platform/personal-data';
import { applicationIdsOf } from '../applications';
import { courseOutcomes, creditsEarned, evaluationResults, exemptions, marksRequests } from './certification.table';
import { untilInactive } from '../accounts';
import { cutoffOf } from '../../platform/periods';

/**
 * ACC-11, ACC-14: what the certification module holds about a learner: the end-of-course test's
 * results, what each course gave them (attendance, outcome, certificates), the exemptions they
 * declared and the marks they asked for. The law's record is the attestations and certificates
 * issued, which the documents register keeps (anonymised after a closure); these rows are what
 * the history, the prerequisites and the repeats read while the account lives (closed after
 * `inactiveAccountMonths` without activity), and the closure deletes them: kept "for statistics"
 * they would still say one person's mark in a group of a dozen. Staff members' ids are the
 * service's own work records, listed as other; the sessions' tests and closures are nobody's.
 */
const untilClosure = (purpose: string, category: PersonalColumn['category'] = 'result'): PersonalColumn => ({
  category,
  purpose,
  basis: 'public_task',
  retention: untilInactive,
  end: 'delete',
});

/**
 * CRED-1, CRED-4 (decision 029): the units earned are the learner's academic record, « acquis à
 * vie »: kept beyond the account, for as long as the documents issued about them stay verifiable
 * (`issuedDocumentRetentionYears`, from the day each was earned). A closure — the learner's, or
 * ACC-14's after `inactiveAccountMonths` — keeps them pseudonymous: under the account's tombstone
 * id, which names nobody, without the enrolment that earned them; only the holder of one of their
 * documents (its code leads to that id) can have them found again.
 */
export const academicRecord: RetentionRule = { policy: 'issuedDocumentRetentionYears', unit: 'years', from: 'privacy.from.unitEarned' };
const forTheRecord = (purpose: string): PersonalColumn => ({ category: 'result', purpose, basis: 'public_task', retention: academicRecord, end: 'delete' });

const tables: readonly TableDeclaration[] = [
  { table: 'session_tests', personal: {}, other: ['session_id', 'test_at', 'fixed_by', 'fixed_at'] },
  {
    table: 'evaluation_results',
    personal: {
      outcome: untilClosure('privacy.purpose.certification.result'),
      score: untilClosure('privacy.purpose.certification.result'),
      max_score: untilClosure('privacy.purpose.certification.result'),
    },
    other: ['id', 'application_id', 'entered_by', 'entered_at'],
  },
  {
    table: 'course_outcomes',
    personal: {
      learner_id: untilClosure('privacy.purpose.certification.outcome'),
      attended_minutes: untilClosure('privacy.purpose.certification.outcome', 'attendance'),
      planned_minutes: untilClosure('privacy.purpose.certification.outcome', 'attendance'),
      attendance_certified: untilClosure('privacy.purpose.certification.outcome'),
      outcome: untilClosure('privacy.purpose.certification.outcome'),
      certificate_due_on: untilClosure('privacy.purpose.certification.outcome'),
      certificate_issued_at: untilClosure('privacy.purpose.certification.outcome'),
    },
    other: ['application_id', 'session_id', 'course_id', 'attendance_document_id', 'certificate_document_id', 'computed_at'],
  },
  { table: 'course_closures', personal: {}, other: ['session_id', 'computed_at'] },
  {
    // CRED-1, CRED-4: the units earned, the academic record kept beyond the account (docs/decisions/029).
    table: 'credits_earned',
    personal: {
      learner_id: forTheRecord('privacy.purpose.certification.credits'),
      credits: forTheRecord('privacy.purpose.certification.credits'),
      earned_on: forTheRecord('privacy.purpose.certification.credits'),
    },
    other: ['course_id', 'application_id', 'recorded_at'],
  },
  {
    table: 'exemptions',
    personal: {
      diploma: untilClosure('privacy.purpose.certification.exemption'),
      status: untilClosure('privacy.purpose.certification.exemption'),
      reason: untilClosure('privacy.purpose.certification.exemption', 'message'),
    },
    other: ['application_id', 'declared_at', 'decided_by', 'decided_at'],
  },
  {
    table: 'marks_requests',
    personal: {
      message: untilClosure('privacy.purpose.certification.marksRequest', 'message'),
      answer: untilClosure('privacy.purpose.certification.marksRequest', 'message'),
    },
    other: ['id', 'application_id', 'asked_at', 'answered_by', 'answered_at'],
  },
];

async function exportOf(db: DbOrTx, userId: string): Promise<ExportSection[]> {
  const ids = await applicationIdsOf(db, userId);
  const [results, outcomes, exemptionRows, requests, credits] = await Promise.all([
    ids.length ? db.select().from(evaluationResults).where(inArray(evaluationResults.applicationId, ids)).orderBy(asc(evaluationResults.id)) : [],
    db
      .select()
      .from(courseOutcomes)
      .where(ids.length ? or(eq(courseOutcomes.learnerId, userId), inArray(courseOutcomes.applicationId, ids)) : eq(courseOutcomes.learnerId, userId))
      .orderBy(asc(courseOutcomes.computedAt), asc(courseOutcomes.applicationId)),
    ids.length ? db.select().from(exemptions).where(inArray(exemptions.applicationId, ids)).orderBy(asc(exemptions.declaredAt)) : [],
    ids.length ? db.select().from(marksRequests).where(inArray(marksRequests.applicationId, ids)).orderBy(asc(marksRequests.askedAt), asc(marksRequests.id)) : [],
    db.select().from(creditsEarned).where(eq(creditsEarned.learnerId, userId)).orderBy(asc(creditsEarned.earnedOn), asc(creditsEarned.courseId)),
  ]);
  return [
    {
      key: 'creditsEarned',
      title: 'privacy.section.certification.credits',
      rows: credits.map((c) => ({ courseId: c.courseId, credits: c.credits, earnedOn: c.earnedOn, applicationId: c.applicationId })),
    },
    {
      key: 'evaluationResults',
      title: 'privacy.section.certification.results',
      // Every entry, corrections included (append-only: the latest one is the result).
      rows: results.map((r) => ({ applicationId: r.applicationId, outcome: r.outcome, score: r.score, maxScore: r.maxScore, enteredAt: r.enteredAt })),
    },
    {
      key: 'courseOutcomes',
      title: 'privacy.section.certification.outcomes',
      rows: outcomes.map((o) => ({
        applicationId: o.applicationId,
        sessionId: o.sessionId,
        courseId: o.courseId,
        attendedMinutes: o.attendedMinutes,
        plannedMinutes: o.plannedMinutes,
        attendanceCertified: o.attendanceCertified,
        attendanceDocumentId: o.attendanceDocumentId,
        outcome: o.outcome,
        certificateDueOn: o.certificateDueOn,
        certificateDocumentId: o.certificateDocumentId,
        certificateIssuedAt: o.certificateIssuedAt,
        computedAt: o.computedAt,
      })),
    },
    {
      key: 'exemptions',
      title: 'privacy.section.certification.exemptions',
      rows: exemptionRows.map((e) => ({ applicationId: e.applicationId, diploma: e.diploma, declaredAt: e.declaredAt, status: e.status, decidedAt: e.decidedAt, reason: e.reason })),
    },
    {
      key: 'marksRequests',
      title: 'privacy.section.certification.marksRequests',
      rows: requests.map((m) => ({ applicationId: m.applicationId, message: m.message, askedAt: m.askedAt, answer: m.answer, answeredAt: m.answeredAt })),
    },
  ];
}

/** ACC-11: an exemption still to decide, or a request for marks not answered yet, stops the closure. */
async function blocksClosure(db: DbOrTx, userId: string): Promise<string[]> {
  const ids = await applicationIdsOf(db, userId);
  if (ids.length === 0) return [];
  const [[exemption], [request]] = await Promise.all([
    db.select({ id: exemptions.applicationId }).from(exemptions).where(and(inArray(exemptions.applicationId, ids), eq(exemptions.status, 'pending'))).limit(1),
    db.select({ id: marksRequests.id }).from(marksRequests).where(and(inArray(marksRequests.applicationId, ids), isNull(marksRequests.answeredAt))).limit(1),
  ]);
  return [...(exemption ? ['privacy.block.certification.exemption'] : []), ...(request ? ['privacy.block.certification.marksRequest'] : [])];
}

/**
 * ACC-11: deletes the learner's results, outcomes, exemptions and requests for marks (again:
 * nothing left); the units earned stay as the academic record, without the enrolment (decision 029).
 */
async function forget(tx: Tx, userId: string): Promise<void> {
  await tx.update(creditsEarned).set({ applicationId: null }).where(eq(creditsEarned.learnerId, userId));
  await tx.delete(courseOutcomes).where(eq(courseOutcomes.learnerId, userId));
  const ids = await applicationIdsOf(tx, userId);
  if (ids.length === 0) return;
  await tx.delete(courseOutcomes).where(inArray(courseOutcomes.applicationId, ids));
  await tx.delete(evaluationResults).where(inArray(evaluationResults.applicationId, ids));
  await tx.delete(exemptions).where(inArray(exemptions.applicationId, ids));
  await tx.delete(marksRequests).where(inArray(marksRequests.applicationId, ids));
}

/** The certification module's personal data (ACC-11, ACC-14). */
export const certificationDataSets: readonly PersonalDataSet[] = [
  {
    name: 'certification',
    tables,
    exportOf,
    blocksClosure,
    forget,
    retention: {
      notice: false,
      /** CRED-4: a unit earned longer ago than the academic record's period is deleted (the documents about it are anonymised by then). */
      async sweep(db, { at, policies, limit }) {
        const due = await db
          .select({ learnerId: creditsEarned.learnerId, courseId: creditsEarned.courseId })
          .from(creditsEarned)
          .where(lte(creditsEarned.earnedOn, cutoffOf(academicRecord, policies, at).toISOString().slice(0, 10)))
          .orderBy(asc(creditsEarned.earnedOn))
          .limit(limit);
        for (const row of due) await db.delete(creditsEarned).where(and(eq(creditsEarned.learnerId, row.learnerId), eq(creditsEarned.courseId, row.courseId)));
        return due.length;
      },
    },
  },
];
