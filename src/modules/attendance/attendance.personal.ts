import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { ExportSection, PersonalColumn, PersonalDataSet, TableDeclaration } from '../../platform/personal-data';
import { applicationIdsOf } from '../applications';
import { attendanceEntries, attendanceIncidents, calendarFeeds, connections, incidentEvents, meetings } from './attendance.table';
import { untilInactive } from '../accounts';

/**
 * ACC-11, ACC-14: what the attendance module holds about a learner: their marks in the registers,
 * the incidents their absences raised (and their history), their private calendar feed, and the
 * connection hours to the learning environment imported for their remote units (issue 18). None of
 * it is a record the law keeps (the attendance certificate issued is the documents register's,
 * kept there): it lasts as long as the account (closed after `inactiveAccountMonths` without
 * activity, and never while they hold a place: the applications' own block; an incident still
 * open once the place is gone decides nothing more, so it stops no closure) and the closure
 * deletes it. Kept anonymised "for statistics" it would still describe one person's
 * presence meeting by meeting in a group of a dozen, which the trainer can tell apart: deleting is
 * the only real anonymisation, and the sessions' own facts (meetings held, registers submitted)
 * stay. Staff members' ids are the service's own work records, listed as other; the meetings and
 * register submissions are the sessions', nobody's.
 */
const untilClosure = (purpose: string, category: PersonalColumn['category'] = 'attendance'): PersonalColumn => ({
  category,
  purpose,
  basis: 'public_task',
  retention: untilInactive,
  end: 'delete',
});

const tables: readonly TableDeclaration[] = [
  { table: 'meetings', personal: {}, other: ['id', 'session_id', 'starts_at', 'planned_minutes', 'cancelled_at', 'cancelled_by', 'cancel_reason'] },
  { table: 'register_submissions', personal: {}, other: ['id', 'meeting_id', 'submitted_by', 'submitted_at'] },
  {
    table: 'attendance_entries',
    personal: {
      mark: untilClosure('privacy.purpose.attendance.register'),
      minutes_missed: untilClosure('privacy.purpose.attendance.register'),
      minutes_attended: untilClosure('privacy.purpose.attendance.register'),
    },
    other: ['id', 'meeting_id', 'application_id', 'entered_by', 'entered_at', 'submission_id'],
  },
  {
    table: 'attendance_incidents',
    personal: {
      kind: untilClosure('privacy.purpose.attendance.incident'),
      status: untilClosure('privacy.purpose.attendance.incident'),
      streak_start_meeting_id: untilClosure('privacy.purpose.attendance.incident'),
    },
    other: ['id', 'application_id', 'session_id', 'raised_at', 'closed_at'],
  },
  {
    table: 'incident_events',
    personal: { event: untilClosure('privacy.purpose.attendance.incident'), data: untilClosure('privacy.purpose.attendance.incident') },
    other: ['id', 'incident_id', 'at', 'actor_id'],
  },
  // Issue 18: the connection hours of remote units, kept like the registers they stand for (with the
  // account, deleted at its closure). An import is the service's work record: who sent which file
  // when and what it changed (its name is the platform's export's, its lines live in `connections`).
  { table: 'connection_imports', personal: {}, other: ['id', 'imported_by', 'imported_at', 'file_name', 'sha256', 'replace', 'lines', 'added', 'unchanged', 'superseded'] },
  {
    table: 'connections',
    personal: {
      starts_at: untilClosure('privacy.purpose.attendance.connections'),
      ends_at: untilClosure('privacy.purpose.attendance.connections'),
      minutes: untilClosure('privacy.purpose.attendance.connections'),
    },
    other: ['id', 'import_id', 'application_id', 'session_id', 'superseded_by'],
  },
  {
    table: 'calendar_feeds',
    personal: {
      learner_id: untilClosure('privacy.purpose.attendance.calendar', 'account'),
      token_hash: untilClosure('privacy.purpose.attendance.calendar', 'account'),
    },
    other: ['created_at'],
  },
];

async function exportOf(db: DbOrTx, userId: string): Promise<ExportSection[]> {
  const ids = await applicationIdsOf(db, userId);
  const [entries, incidents, feed, connected] = await Promise.all([
    ids.length
      ? db
          .select({
            applicationId: attendanceEntries.applicationId,
            meetingStartsAt: meetings.startsAt,
            mark: attendanceEntries.mark,
            minutesMissed: attendanceEntries.minutesMissed,
            minutesAttended: attendanceEntries.minutesAttended,
            enteredAt: attendanceEntries.enteredAt,
          })
          .from(attendanceEntries)
          .innerJoin(meetings, eq(meetings.id, attendanceEntries.meetingId))
          .where(inArray(attendanceEntries.applicationId, ids))
          .orderBy(asc(meetings.startsAt), asc(attendanceEntries.id))
      : [],
    ids.length ? db.select().from(attendanceIncidents).where(inArray(attendanceIncidents.applicationId, ids)).orderBy(asc(attendanceIncidents.raisedAt), asc(attendanceIncidents.id)) : [],
    db.select({ createdAt: calendarFeeds.createdAt }).from(calendarFeeds).where(eq(calendarFeeds.learnerId, userId)),
    ids.length
      ? db
          .select({ applicationId: connections.applicationId, startsAt: connections.startsAt, endsAt: connections.endsAt, minutes: connections.minutes, superseded: connections.supersededBy })
          .from(connections)
          .where(inArray(connections.applicationId, ids))
          .orderBy(asc(connections.startsAt), asc(connections.id))
      : [],
  ]);
  const events = incidents.length
    ? await db.select().from(incidentEvents).where(inArray(incidentEvents.incidentId, incidents.map((i) => i.id))).orderBy(asc(incidentEvents.id))
    : [];
  return [
    // Every entry, corrections included (the registers are append-only: the latest one counts).
    { key: 'attendance', title: 'privacy.section.attendance.entries', rows: entries },
    {
      key: 'attendanceIncidents',
      title: 'privacy.section.attendance.incidents',
      rows: incidents.map((i) => ({
        applicationId: i.applicationId,
        kind: i.kind,
        status: i.status,
        raisedAt: i.raisedAt,
        closedAt: i.closedAt,
        events: events.filter((e) => e.incidentId === i.id).map((e) => ({ at: e.at, event: e.event, data: e.data })),
      })),
    },
    // Left out: the feed's secret address (only its SHA-256 is kept, and it is no data about the learner).
    { key: 'calendarFeed', title: 'privacy.section.attendance.calendar', rows: feed.map((f) => ({ createdAt: f.createdAt })) },
    // Every connection imported, those a correction superseded too (marked so).
    { key: 'connections', title: 'privacy.section.attendance.connections', rows: connected.map((c) => ({ applicationId: c.applicationId, startsAt: c.startsAt, endsAt: c.endsAt, minutes: c.minutes, superseded: c.superseded !== null })) },
  ];
}

/** ACC-11: deletes the learner's register entries, incidents, connections and calendar feed (again: nothing left). */
async function forget(tx: Tx, userId: string): Promise<void> {
  await tx.delete(calendarFeeds).where(eq(calendarFeeds.learnerId, userId));
  const ids = await applicationIdsOf(tx, userId);
  if (ids.length === 0) return;
  const incidents = tx.select({ id: attendanceIncidents.id }).from(attendanceIncidents).where(inArray(attendanceIncidents.applicationId, ids));
  await tx.delete(incidentEvents).where(inArray(incidentEvents.incidentId, incidents));
  await tx.delete(attendanceIncidents).where(inArray(attendanceIncidents.applicationId, ids));
  await tx.delete(attendanceEntries).where(inArray(attendanceEntries.applicationId, ids));
  await tx.delete(connections).where(inArray(connections.applicationId, ids));
}

/** The attendance module's personal data (ACC-11, ACC-14). */
export const attendanceDataSets: readonly PersonalDataSet[] = [{ name: 'attendance', tables, exportOf, forget }];
