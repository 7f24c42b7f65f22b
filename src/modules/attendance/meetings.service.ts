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

/** The meetings CAT-7 computes for this session now (its slots, its dates, the closed days). */
async function plannedMeetings(db: DbOrTx, sessionId: number): Promise<{ sessionId: number; startsAt: Date; plannedMinutes: number }[]> {
  const computed = await sessionMeetings(db, sessionId);
  return computed.map((m) => ({ sessionId, startsAt: parisInstant(m.date, m.startsAt), plannedMinutes: minutesBetween(m.startsAt, m.endsAt) }));
}

/**
 * ATT-1, CAT-7: writes the session's meetings the catalogue computes that are not written yet:
 * all of them the first time, then those the catalogue gained since (a slot added, a holiday
 * removed). Existing meetings, their cancellations and their registers stay as they are, and so
 * do meetings the catalogue no longer computes (they may carry marks: the service cancels them;
 * see `unscheduledMeetings`). Idempotent under concurrency (the unique start per session).
 * `written`: the meetings already written, when the caller has them (else they are read).
 * Answers whether it wrote any.
 */
export async function ensureMeetings(db: DbOrTx, sessionId: number, written?: readonly MeetingRow[]): Promise<boolean> {
  const planned = await plannedMeetings(db, sessionId);
  if (planned.length === 0) return false;
  const existing = written ?? (await db.select().from(meetings).where(eq(meetings.sessionId, sessionId)));
  const starts = new Set(existing.filter((m) => m.sessionId === sessionId).map((m) => m.startsAt.getTime()));
  // Only those missing: an insert that conflicts would still use up ids of the sequence.
  const missing = planned.filter((m) => !starts.has(m.startsAt.getTime()));
  if (missing.length === 0) return false;
  const inserted = await db.insert(meetings).values(missing).onConflictDoNothing().returning({ id: meetings.id });
  return inserted.length > 0;
}

/**
 * The meetings of these sessions, in order, reconciled with the catalogue first: those it
 * computes and that are not written yet are written (`ensureMeetings`, every time: a few small
 * reads per session).
 */
export async function meetingsOf(db: DbOrTx, sessionIds: number[]): Promise<Map<number, MeetingRow[]>> {
  const result = new Map<number, MeetingRow[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return result;
  const read = () => db.select().from(meetings).where(inArray(meetings.sessionId, sessionIds)).orderBy(asc(meetings.startsAt));
  const rows = await read();
  let wrote = false;
  // One after the other: `db` may be a transaction (one connection).
  for (const id of new Set(sessionIds)) if (await ensureMeetings(db, id, rows)) wrote = true;
  for (const row of wrote ? await read() : rows) result.get(row.sessionId)!.push(row);
  return result;
}

/**
 * ATT-1, CAT-7: the ids of the session's meetings, not cancelled, that the catalogue no longer
 * computes (a holiday added, a slot moved): they stay, with their marks, until the service
 * cancels them; the meetings page says so.
 */
export async function unscheduledMeetings(db: DbOrTx, sessionId: number, written: readonly MeetingRow[]): Promise<Set<number>> {
  const planned = new Set((await plannedMeetings(db, sessionId)).map((m) => m.startsAt.getTime()));
  return new Set(written.filter((m) => m.sessionId === sessionId && m.cancelledAt === null && !planned.has(m.startsAt.getTime())).map((m) => m.id));
}

/** One meeting of a session, or null (a wrong pair of ids is a 404 for the routes). */
export async function meetingOf(db: DbOrTx, sessionId: number, meetingId: number): Promise<MeetingRow | null> {
  const [row] = await db.select().from(meetings).where(and(eq(meetings.sessionId, sessionId), eq(meetings.id, meetingId)));
  return row ?? null;
}

export const meetingFact = (row: MeetingRow): MeetingFact => ({ id: row.id, startsAt: row.startsAt, plannedMinutes: row.plannedMinutes, cancelled: row.cancelledAt !== null });
