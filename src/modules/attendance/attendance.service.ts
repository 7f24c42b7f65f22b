import { and, asc, desc, eq, inArray, isNull, lte, notExists, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Mode } from '../../domain/vocabulary';
import type { Policies } from '../../platform/policies';
import { sessionsForApplications } from '../catalogue';
import { attendance, streaks, type Attendance, type MarkFact, type Streaks } from './attendance.rules';
import { attendanceEntries, meetings, registerSubmissions } from './attendance.table';
import { currentConnections } from './connections.service';
import { meetingFact, meetingsOf, type MeetingRow } from './meetings.service';

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

/** The sessions' modes (SVC-2: the session's own when the service moved it). */
async function modesOf(db: DbOrTx, sessionIds: number[]): Promise<Map<number, Mode>> {
  if (sessionIds.length === 0) return new Map();
  return new Map((await sessionsForApplications(db, { ids: sessionIds })).map((s) => [s.id, s.mode]));
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
  const sessionIds = [...new Set(applications.map((a) => a.sessionId))];
  const sessionMeetings = await meetingsOf(db, sessionIds);
  const marks = await currentMarks(db, applications.map((a) => a.id));
  // Issue 18: remote and hybrid sessions count the connection hours imported too.
  const modes = await modesOf(db, sessionIds);
  const online = applications.filter((a) => modes.get(a.sessionId) !== 'in_person');
  const connected = await currentConnections(db, online.map((a) => a.id));
  const result = new Map<string, LearnerAttendance>();
  for (const application of applications) {
    const facts = (sessionMeetings.get(application.sessionId) ?? []).map(meetingFact);
    const own = marks.get(application.id) ?? [];
    const remote = { connections: connected.get(application.id) ?? [], registersOwed: modes.get(application.sessionId) !== 'remote' };
    result.set(application.id, { ...attendance(facts, own, now, policies, remote), streaks: streaks(facts, own, now) });
  }
  return result;
}

/**
 * ATT-1: the meetings held (started, not cancelled) whose register was never submitted, by
 * session: what the trainer still has to fill in, and what holds back a course's end-of-course
 * documents.
 */
export async function missingRegisters(db: DbOrTx, now: Date, sessionIds: number[]): Promise<Map<number, MeetingRow[]>> {
  const result = new Map<number, MeetingRow[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return result;
  await meetingsOf(db, sessionIds);
  // Issue 18: a remote session's attendance is its connection hours: its registers are not owed.
  const modes = await modesOf(db, sessionIds);
  sessionIds = sessionIds.filter((id) => modes.get(id) !== 'remote');
  if (sessionIds.length === 0) return result;
  const rows = await db
    .select()
    .from(meetings)
    .where(
      and(
        inArray(meetings.sessionId, sessionIds),
        isNull(meetings.cancelledAt),
        lte(meetings.startsAt, now),
        notExists(db.select({ one: sql`1` }).from(registerSubmissions).where(eq(registerSubmissions.meetingId, meetings.id))),
      ),
    )
    .orderBy(asc(meetings.startsAt));
  for (const row of rows) result.get(row.sessionId)!.push(row);
  return result;
}
