import { and, asc, eq, gt, inArray, isNotNull, lte, ne } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { deleteStoredFile } from '../../platform/files';
import { cutoffOf, endOf } from '../../platform/periods';
import type { PersonalColumn, PersonalDataSet, RetentionRule } from '../../platform/personal-data';
import { lockUser, untilInactive } from '../accounts';
import { examRegistrations, examRequests, examSessions, learnerCentres } from './exams.table';

/**
 * ACC-11, ACC-14: what the exams module holds about a learner: their exam registrations and
 * results (kept with the account, like the units they earn), their requests with their proofs,
 * and their centre of record. The closure deletes them all, the proofs' files with them; the
 * exam sessions are the offer (`created_by`, `published_by`: the staff's work record).
 *
 * A request's proof (the file: a lease, an employer's letter) goes sooner, `examProofRetentionMonths`
 * (6) after the request is decided, never while it waits: it justified the decision, which stays
 * (kind, reason, status, the staff's reason), and once the exam it was for is over (a session is
 * at most a few months after the request) and the two months of an appeal against the decision
 * have passed, keeping a document that tells where the learner lives or works serves nothing.
 * The retention job deletes it after a notice, like the applications' proofs.
 */
export const examProofRule: RetentionRule = { policy: 'examProofRetentionMonths', unit: 'months', from: 'privacy.from.examRequestDecided' };

/** Decided requests with a proof decided before `cutoff` (of learners after `afterUserId`). */
const decidedProofs = (cutoff: Date, afterUserId?: string) =>
  and(isNotNull(examRequests.fileId), ne(examRequests.status, 'pending'), isNotNull(examRequests.decidedAt), lte(examRequests.decidedAt, cutoff), afterUserId ? gt(examRequests.learnerId, afterUserId) : undefined);
const column = (category: PersonalColumn['category'], purpose: string): PersonalColumn => ({ category, purpose, basis: 'public_task', retention: untilInactive, end: 'delete' });
const result = (purpose = 'privacy.purpose.exams.registrations') => column('result', purpose);
const request = (category: PersonalColumn['category'] = 'message') => column(category, 'privacy.purpose.exams.requests');

export const examsDataSet: PersonalDataSet = {
  name: 'exams',
  tables: [
    { table: 'exam_sessions', personal: {}, other: ['id', 'course_id', 'academic_year', 'number', 'held_on', 'centre_id', 'created_by', 'created_at', 'published_at', 'published_by'] },
    {
      table: 'exam_registrations',
      personal: {
        learner_id: result(),
        mark_tenths: result(),
        absent: result(),
        centre_id: result(),
        credits_held: result(),
      },
      other: ['id', 'exam_session_id', 'course_id', 'academic_year', 'number', 'application_id', 'marked_by', 'marked_at', 'registered_at'],
    },
    {
      table: 'exam_requests',
      personal: {
        learner_id: request(),
        kind: request(),
        reason: request(),
        wished_centre_id: request(),
        details: request('situation'),
        file_id: { ...request('situation'), retention: examProofRule },
        decision_reason: request(),
      },
      other: ['id', 'registration_id', 'status', 'decided_by', 'decided_at', 'created_at'],
    },
    {
      table: 'learner_centres',
      personal: { learner_id: column('contact', 'privacy.purpose.exams.centre'), centre_id: column('contact', 'privacy.purpose.exams.centre') },
      other: ['set_by', 'set_at'],
    },
  ],
  exportOf: async (db: DbOrTx, userId: string) => {
    const registrations = await db
      .select({
        courseId: examSessions.courseId,
        academicYear: examSessions.academicYear,
        session: examSessions.number,
        heldOn: examSessions.heldOn,
        centreId: examRegistrations.centreId,
        markTenths: examRegistrations.markTenths,
        absent: examRegistrations.absent,
        published: isNotNull(examSessions.publishedAt),
      })
      .from(examRegistrations)
      .innerJoin(examSessions, eq(examSessions.id, examRegistrations.examSessionId))
      .where(eq(examRegistrations.learnerId, userId))
      .orderBy(asc(examSessions.heldOn));
    const requests = await db
      .select({ kind: examRequests.kind, reason: examRequests.reason, wishedCentreId: examRequests.wishedCentreId, details: examRequests.details, status: examRequests.status, decisionReason: examRequests.decisionReason, createdAt: examRequests.createdAt })
      .from(examRequests)
      .where(eq(examRequests.learnerId, userId))
      .orderBy(asc(examRequests.createdAt));
    const centre = await db.select({ centreId: learnerCentres.centreId, setBy: learnerCentres.setBy, setAt: learnerCentres.setAt }).from(learnerCentres).where(eq(learnerCentres.learnerId, userId));
    return [
      // Before the results are published, the mark is not the learner's to read yet.
      { key: 'examRegistrations', title: 'privacy.section.exams.registrations', rows: registrations.map(({ published, ...r }) => (published ? r : { ...r, markTenths: null, absent: false })) },
      { key: 'examRequests', title: 'privacy.section.exams.requests', rows: requests },
      { key: 'centreOfRecord', title: 'privacy.section.exams.centre', rows: centre },
    ];
  },
  forget: async (tx: Tx, userId: string) => {
    const files = await tx.select({ fileId: examRequests.fileId }).from(examRequests).where(and(eq(examRequests.learnerId, userId), isNotNull(examRequests.fileId)));
    await tx.delete(examRequests).where(eq(examRequests.learnerId, userId));
    for (const f of files) await deleteStoredFile(tx, f.fileId!);
    await tx.delete(examRegistrations).where(eq(examRegistrations.learnerId, userId));
    await tx.delete(learnerCentres).where(eq(learnerCentres.learnerId, userId));
  },
  retention: {
    notice: true,
    async due(db, { at, policies, limit, afterUserId }) {
      const rows = await db
        .select({ learnerId: examRequests.learnerId, decidedAt: examRequests.decidedAt })
        .from(examRequests)
        .where(decidedProofs(cutoffOf(examProofRule, policies, at), afterUserId))
        .orderBy(asc(examRequests.learnerId), asc(examRequests.decidedAt));
      const due = new Map<string, Date>();
      for (const r of rows) {
        if (due.has(r.learnerId)) continue;
        if (due.size === limit) break;
        due.set(r.learnerId, endOf(examProofRule, policies, r.decidedAt!));
      }
      return [...due].map(([userId, dueAt]) => ({ userId, what: 'privacy.due.examProofs', dueAt }));
    },
    async expire(tx, { userId, at, policies }) {
      await lockUser(tx, userId); // re-checked under the learner's lock
      const rows = await tx
        .select({ id: examRequests.id, fileId: examRequests.fileId })
        .from(examRequests)
        .where(and(eq(examRequests.learnerId, userId), decidedProofs(cutoffOf(examProofRule, policies, at))));
      if (rows.length === 0) return 0;
      // The request stays, its decision with it; only the proof goes (the row first: it points at the file).
      await tx.update(examRequests).set({ fileId: null }).where(inArray(examRequests.id, rows.map((r) => r.id)));
      for (const r of rows) await deleteStoredFile(tx, r.fileId!);
      return rows.length;
    },
  },
};
