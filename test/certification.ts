import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { AttendanceMark } from '../src/domain/vocabulary';
import { minutesAttended } from '../src/modules/attendance';
import { attendanceEntries, meetings, registerSubmissions } from '../src/modules/attendance/attendance.table';
import { courses, courseSessions } from '../src/modules/catalogue/catalogue.table';
import type { FixedClock } from '../src/platform/clock';
import { defaultPolicies } from '../src/platform/policies';

/**
 * Factory: a session's course made to end on `lastMeeting` (YYYY-MM-DD), with an end-of-course
 * evaluation or a diploma if asked. Call it before anything reads the session's meetings: they
 * are written from the catalogue's dates the first time.
 */
export async function courseEnding(db: Db, code: string, options: { lastMeeting: string; hasEvaluation?: boolean; preparesDiploma?: boolean }) {
  const [session] = await db.update(courseSessions).set({ lastMeeting: options.lastMeeting }).where(eq(courseSessions.code, code)).returning();
  await db
    .update(courses)
    .set({ hasEvaluation: options.hasEvaluation ?? false, preparesDiploma: options.preparesDiploma ?? false })
    .where(eq(courses.id, session.courseId));
  return session;
}

/** The meetings of a session, in order (once `meetingsOf` has written them). */
export async function meetingRows(db: Db, sessionId: number) {
  return db.select().from(meetings).where(eq(meetings.sessionId, sessionId)).orderBy(asc(meetings.startsAt));
}

/**
 * A meeting's register as the register page saves it (ATT-1): one submission and one entry per
 * learner, the minutes attended from the mark (attendance.rules, the default policies).
 */
export async function submitRegister(
  db: Db,
  clock: FixedClock,
  meeting: { id: number; plannedMinutes: number },
  by: string,
  marks: { applicationId: string; mark: AttendanceMark; minutesMissed?: number }[],
) {
  const id = randomUUID();
  const at = clock.now();
  await db.insert(registerSubmissions).values({ id, meetingId: meeting.id, submittedBy: by, submittedAt: at });
  if (marks.length)
    await db.insert(attendanceEntries).values(
      marks.map((m) => ({
        meetingId: meeting.id,
        applicationId: m.applicationId,
        mark: m.mark,
        minutesMissed: m.minutesMissed ?? 0,
        minutesAttended: minutesAttended(m.mark, meeting.plannedMinutes, m.minutesMissed ?? 0, defaultPolicies),
        enteredBy: by,
        enteredAt: at,
        submissionId: id,
      })),
    );
  return id;
}
