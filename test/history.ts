import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { EvaluationOutcome } from '../src/domain/vocabulary';
import type { FixedClock } from '../src/platform/clock';
import { applicationEvents, applications } from '../src/modules/applications/applications.table';
import { attendanceEntries, registerSubmissions } from '../src/modules/attendance/attendance.table';
import { courseSessions } from '../src/modules/catalogue/catalogue.table';
import { courseOutcomes } from '../src/modules/certification/certification.table';
import { issueDocument, type DocumentSigning } from '../src/modules/documents';
import { randomUUID } from 'node:crypto';

/**
 * Factory: an enrolment of `learnerId` in a session that ran in the past (its dates set to
 * `firstMeeting`–`lastMeeting`), written directly with its events: what the history shows of
 * earlier years without running a whole year through the services.
 */
export async function pastEnrolment(db: Db, clock: FixedClock, input: { learnerId: string; sessionCode: string; firstMeeting: string; lastMeeting: string }) {
  const [session] = await db
    .update(courseSessions)
    .set({ firstMeeting: input.firstMeeting, lastMeeting: input.lastMeeting })
    .where(eq(courseSessions.code, input.sessionCode))
    .returning({ id: courseSessions.id, courseId: courseSessions.courseId });
  const sent = new Date(`${input.firstMeeting}T10:00:00Z`);
  sent.setUTCMonth(sent.getUTCMonth() - 2);
  const [row] = await db
    .insert(applications)
    .values({
      learnerId: input.learnerId,
      sessionId: session.id,
      courseId: session.courseId,
      status: 'enrolled',
      situation: 'employed',
      objective: 'personal',
      motivations: 'Oui.',
      rulesAcceptedAt: sent,
      createdAt: sent,
      confirmedAt: sent,
    })
    .returning({ id: applications.id });
  await db.insert(applicationEvents).values([
    { applicationId: row.id, at: sent, actorId: input.learnerId, fromStatus: 'preselected', toStatus: 'confirmed' },
    { applicationId: row.id, at: clock.now(), actorId: null, fromStatus: 'confirmed', toStatus: 'enrolled' },
  ]);
  return { applicationId: row.id, sessionId: session.id, courseId: session.courseId };
}

/**
 * The row the end-of-course job writes (another part's): what one enrolment's course gave,
 * inserted directly. Attendance in minutes; `outcome` null for a course without an evaluation.
 */
export async function insertOutcome(
  db: Db,
  clock: FixedClock,
  applicationId: string,
  values: { attendedMinutes: number; plannedMinutes: number; certified: boolean; outcome?: EvaluationOutcome | null; certificateDueOn?: string | null; attendanceDocumentId?: string | null; certificateDocumentId?: string | null; certificateIssuedAt?: Date | null },
) {
  const [app] = await db.select().from(applications).where(eq(applications.id, applicationId));
  await db.insert(courseOutcomes).values({
    applicationId,
    sessionId: app.sessionId,
    courseId: app.courseId,
    learnerId: app.learnerId,
    attendedMinutes: values.attendedMinutes,
    plannedMinutes: values.plannedMinutes,
    attendanceCertified: values.certified,
    attendanceDocumentId: values.attendanceDocumentId ?? null,
    outcome: values.outcome ?? null,
    certificateDueOn: values.certificateDueOn ?? null,
    certificateDocumentId: values.certificateDocumentId ?? null,
    certificateIssuedAt: values.certificateIssuedAt ?? null,
    computedAt: clock.now(),
  });
}

/** One of the two certificates, issued in the documents register about the application (as the certification part does). */
export async function issueCertificate(db: Db, signing: DocumentSigning, applicationId: string, kind: 'attendance_certificate' | 'certificate') {
  return db.transaction((tx) => issueDocument(tx, signing, { kind, subjectId: applicationId, holderName: 'Léa Durand', title: 'Cours', issuerName: 'Service des cours d’adultes' }));
}

/** A mark in a meeting's register, written directly (the register's page is another part's). */
export async function markIn(db: Db, clock: FixedClock, input: { meetingId: number; applicationId: string; by: string; mark: 'present' | 'late' | 'absent'; minutesAttended: number; minutesMissed?: number }) {
  const submissionId = randomUUID();
  await db.insert(registerSubmissions).values({ id: submissionId, meetingId: input.meetingId, submittedBy: input.by, submittedAt: clock.now() });
  await db.insert(attendanceEntries).values({
    meetingId: input.meetingId,
    applicationId: input.applicationId,
    mark: input.mark,
    minutesMissed: input.minutesMissed ?? 0,
    minutesAttended: input.minutesAttended,
    enteredBy: input.by,
    enteredAt: clock.now(),
    submissionId,
  });
}
