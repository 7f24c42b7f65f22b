import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { AttendanceMark } from '../src/domain/vocabulary';
import type { FixedClock } from '../src/platform/clock';
import { getPolicies } from '../src/platform/policies';
import { minutesAttended, registerSaved } from '../src/modules/attendance';
import { attendanceEntries, meetings, registerSubmissions } from '../src/modules/attendance/attendance.table';

type Mark = AttendanceMark | { mark: AttendanceMark; minutesMissed: number };

/**
 * Factory: a meeting's register saved as the register page saves it (ATT-1), without that page:
 * one submission, one entry per learner (a correction is a new entry), the minutes attended from
 * the attendance rules, and the `registerSaved` hook heard in the same transaction.
 */
export async function markRegister(db: Db, clock: FixedClock, input: { meetingId: number; byUserId: string; marks: Record<string, Mark> }) {
  const [meeting] = await db.select().from(meetings).where(eq(meetings.id, input.meetingId));
  if (!meeting) throw new Error(`no meeting ${input.meetingId}`);
  const policies = await getPolicies(db);
  const at = clock.now();
  await db.transaction(async (tx) => {
    const submissionId = randomUUID();
    await tx.insert(registerSubmissions).values({ id: submissionId, meetingId: meeting.id, submittedBy: input.byUserId, submittedAt: at });
    const applicationIds = Object.keys(input.marks);
    for (const applicationId of applicationIds) {
      const given = input.marks[applicationId];
      const { mark, minutesMissed } = typeof given === 'string' ? { mark: given, minutesMissed: 0 } : given;
      await tx.insert(attendanceEntries).values({
        meetingId: meeting.id,
        applicationId,
        mark,
        minutesMissed,
        minutesAttended: minutesAttended(mark, meeting.plannedMinutes, minutesMissed, policies),
        enteredBy: input.byUserId,
        enteredAt: at,
        submissionId,
      });
    }
    await registerSaved.emit(tx, { meetingId: meeting.id, sessionId: meeting.sessionId, applicationIds, actorId: input.byUserId, at });
  });
}
