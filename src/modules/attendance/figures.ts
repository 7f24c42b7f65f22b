import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { within, type FigureWindow } from '../../platform/windows';
import { attendanceEntries, meetings } from './attendance.table';

/** Of one session: the minutes attended over the minutes planned, for the marks recorded. */
export interface AttendanceFigures {
  attendedMinutes: number;
  plannedMinutes: number;
  /** The (meeting, learner) marks counted. */
  marks: number;
}

/**
 * SVC-6: the attendance of these sessions (ATT-1's percentage, summed in SQL over every mark
 * recorded): for each meeting held in the window and not cancelled, each learner's latest entry;
 * minutes attended (at most the meeting's length; a justified absence credited when the policy
 * says so, as `attendance` does) over the planned minutes. A meeting whose register is not
 * written yet counts for nobody.
 */
export async function attendanceFigures(
  db: DbOrTx,
  window: FigureWindow & { now: Date; justifiedCountsAsPresence: boolean },
): Promise<Map<number, AttendanceFigures>> {
  if (window.sessionIds.length === 0) return new Map();
  const until = window.until && window.until < window.now ? window.until : window.now;
  const result = await db.execute<{ session_id: number; attended: string; planned: string; marks: string }>(sql`
    select latest.session_id, sum(latest.attended) as attended, sum(latest.planned) as planned, count(*) as marks
    from (
      select distinct on (e.meeting_id, e.application_id)
        m.session_id,
        case when e.mark = 'justified' and ${window.justifiedCountsAsPresence} then m.planned_minutes else least(e.minutes_attended, m.planned_minutes) end as attended,
        m.planned_minutes as planned
      from ${meetings} m
      join ${attendanceEntries} e on e.meeting_id = m.id
      where m.session_id = any(${sql.param([...window.sessionIds])}::int[])
        and m.cancelled_at is null
        and ${within(sql`m.starts_at`, { from: window.from, until })}
      order by e.meeting_id, e.application_id, e.id desc
    ) latest
    group by latest.session_id`);
  return new Map(result.rows.map((r) => [Number(r.session_id), { attendedMinutes: Number(r.attended), plannedMinutes: Number(r.planned), marks: Number(r.marks) }]));
}
