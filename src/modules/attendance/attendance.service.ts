import { desc, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Policies } from '../../platform/policies';
import { attendance, streaks, type Attendance, type MarkFact, type Streaks } from './attendance.rules';
import { attendanceEntries } from './attendance.table';
import { meetingFact, meetingsOf } from './meetings.service';

/** ATT-1: each learner's current marks (the latest entry per meeting), by application. */
export async function currentMarks(db: DbOrTx, applicationIds: string[]): Promise<Map<string, MarkFact[]>> {
  const result = new Map<string, MarkFact[]>(applicationIds.map((id) => [id, []]));
  if (applicationIds.length === 0) return result;
  const rows = await db
    .selectDistinctOn([attendanceEntries.applicationId, attendanceEntries.meetingId], {
      applicationId: attendanceEntries.applicationId,
      meetingId: attendanceEntries.meetingId,
      mark: attendanceEntries.mark,
      minutesAttended: attendanceEntries.minutesAttended,
    })
    .from(attendanceEntries)
    .where(inArray(attendanceEntries.applicationId, applicationIds))
    .orderBy(attendanceEntries.applicationId, attendanceEntries.meetingId, desc(attendanceEntries.id));
  for (const row of rows) result.get(row.applicationId)?.push({ meetingId: row.meetingId, mark: row.mark, minutesAttended: row.minutesAttended });
  return result;
}

export interface LearnerAttendance extends Attendance {
  streaks: Streaks;
}

/**
 * ATT-4, ATT-2: the attendance and streaks of these applications in their sessions, at `now`
 * (the percentage "so far" and "at most reachable", by the hourly volume).
 */
export async function attendanceOf(
  db: DbOrTx,
  now: Date,
  policies: Pick<Policies, 'justifiedAbsenceCountsAsPresence'>,
  applications: readonly { id: string; sessionId: number }[],
): Promise<Map<string, LearnerAttendance>> {
  const sessionMeetings = await meetingsOf(db, [...new Set(applications.map((a) => a.sessionId))]);
  const marks = await currentMarks(db, applications.map((a) => a.id));
  const result = new Map<string, LearnerAttendance>();
  for (const application of applications) {
    const facts = (sessionMeetings.get(application.sessionId) ?? []).map(meetingFact);
    const own = marks.get(application.id) ?? [];
    result.set(application.id, { ...attendance(facts, own, now, policies), streaks: streaks(facts, own, now) });
  }
  return result;
}
