import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { parisInstant } from '../../platform/clock';
import { sessionMeetings } from '../catalogue';
import type { MeetingFact } from './attendance.rules';
import { meetings } from './attendance.table';

export type MeetingRow = typeof meetings.$inferSelect;

const minutesBetween = (start: string, end: string) => {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return m(end) - m(start);
};

/**
 * ATT-1, CAT-7: writes a session's meetings from the catalogue's computed dates the first time
 * they are needed (and those the catalogue gained since); existing meetings, their
 * cancellations and their registers stay as they are. Idempotent under concurrency (the unique
 * start per session).
 */
export async function ensureMeetings(db: DbOrTx, sessionId: number): Promise<void> {
  const computed = await sessionMeetings(db, sessionId);
  if (computed.length === 0) return;
  await db
    .insert(meetings)
    .values(computed.map((m) => ({ sessionId, startsAt: parisInstant(m.date, m.startsAt), plannedMinutes: minutesBetween(m.startsAt, m.endsAt) })))
    .onConflictDoNothing();
}

/** The meetings of these sessions, in order (written first if needed). */
export async function meetingsOf(db: DbOrTx, sessionIds: number[]): Promise<Map<number, MeetingRow[]>> {
  const result = new Map<number, MeetingRow[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return result;
  const rows = await db.select().from(meetings).where(inArray(meetings.sessionId, sessionIds)).orderBy(asc(meetings.startsAt));
  const present = new Set(rows.map((r) => r.sessionId));
  const missing = sessionIds.filter((id) => !present.has(id));
  // One after the other: `db` may be a transaction (one connection).
  for (const id of missing) await ensureMeetings(db, id);
  const all = missing.length ? await db.select().from(meetings).where(inArray(meetings.sessionId, sessionIds)).orderBy(asc(meetings.startsAt)) : rows;
  for (const row of all) result.get(row.sessionId)!.push(row);
  return result;
}

/** One meeting of a session, or null (a wrong pair of ids is a 404 for the routes). */
export async function meetingOf(db: DbOrTx, sessionId: number, meetingId: number): Promise<MeetingRow | null> {
  const [row] = await db.select().from(meetings).where(and(eq(meetings.sessionId, sessionId), eq(meetings.id, meetingId)));
  return row ?? null;
}

export const meetingFact = (row: MeetingRow): MeetingFact => ({ id: row.id, startsAt: row.startsAt, plannedMinutes: row.plannedMinutes, cancelled: row.cancelledAt !== null });
