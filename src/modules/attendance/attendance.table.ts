import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { attendanceMarks, incidentKinds, incidentStatuses } from '../../domain/vocabulary';
import { users } from '../accounts/accounts.table';
import { applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';

/**
 * ATT-1, CAT-7: a session's meetings, written from the catalogue's computed dates (`meetingDates`)
 * the first time the session's registers or calendar are needed. A meeting is planned, held once
 * its start has passed, or cancelled by the service (then it counts for nobody's attendance and
 * the calendars say so). The planned start and length never change: a meeting moved is one
 * cancelled and another added.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: serial('id').primaryKey(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    plannedMinutes: integer('planned_minutes').notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelledBy: uuid('cancelled_by'),
    cancelReason: text('cancel_reason'),
  },
  (t) => [
    check('meetings_minutes', sql`${t.plannedMinutes} between 1 and 1440`),
    check('meetings_cancel_reason', sql`${t.cancelReason} is null or char_length(${t.cancelReason}) between 1 and 500`),
    uniqueIndex('meetings_session_start').on(t.sessionId, t.startsAt),
  ],
);

/**
 * ATT-1: one submission of a meeting's register, by its form's token: a form submitted twice (a
 * double click, a reload, the same tab's back button) is saved once.
 */
export const registerSubmissions = pgTable(
  'register_submissions',
  {
    id: uuid('id').primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    submittedBy: uuid('submitted_by')
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('register_submissions_meeting_idx').on(t.meetingId)],
);

/**
 * ATT-1: the register's entries, append-only: who marked what and when. A learner's mark in a
 * meeting is the latest entry; a correction is a new entry, never an update. `minutesAttended`
 * follows the mark (attendance.rules `minutesAttended`) and is kept as computed then, so that a
 * later change of policy does not rewrite what a certificate was issued on.
 */
export const attendanceEntries = pgTable(
  'attendance_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    meetingId: integer('meeting_id')
      .notNull()
      .references(() => meetings.id),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    mark: text('mark', { enum: attendanceMarks }).notNull(),
    /** For `late` and `left_early`: the minutes missed (0 otherwise). */
    minutesMissed: integer('minutes_missed').notNull().default(0),
    minutesAttended: integer('minutes_attended').notNull(),
    enteredBy: uuid('entered_by')
      .notNull()
      .references(() => users.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
    submissionId: uuid('submission_id').references(() => registerSubmissions.id),
  },
  (t) => [
    check('attendance_entries_minutes', sql`${t.minutesMissed} >= 0 and ${t.minutesAttended} >= 0`),
    index('attendance_entries_meeting_idx').on(t.meetingId, t.applicationId, t.id),
    index('attendance_entries_application_idx').on(t.applicationId, t.meetingId),
  ],
);

/**
 * ATT-2, ATT-5: a threshold a streak of absences reached, once per streak (the streak is named by
 * its first meeting): the warning of absences from the first meetings, the removal the service
 * may decide, the exclusion the trainer may decide. Its history is `incident_events`.
 */
export const attendanceIncidents = pgTable(
  'attendance_incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    kind: text('kind', { enum: incidentKinds }).notNull(),
    streakStartMeetingId: integer('streak_start_meeting_id')
      .notNull()
      .references(() => meetings.id),
    status: text('status', { enum: incidentStatuses }).notNull().default('open'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('attendance_incidents_once_per_streak').on(t.applicationId, t.kind, t.streakStartMeetingId),
    index('attendance_incidents_open_idx').on(t.sessionId).where(sql`status = 'open'`),
  ],
);

/** The history of an incident: raised, warned by email and SMS, grew, acted on, closed. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => attendanceIncidents.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    event: text('event').notNull(),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [index('incident_events_incident_idx').on(t.incidentId, t.id)],
);

/**
 * CAT-8: a learner's private calendar feed of their enrolled sessions, at a secret URL: only the
 * token's SHA-256 is kept; renewing it makes a new token and the old URL stops answering.
 */
export const calendarFeeds = pgTable('calendar_feeds', {
  learnerId: uuid('learner_id')
    .primaryKey()
    .references(() => users.id),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * Issue 18, remote attendance: one import of the learning platform's connection hours (a CSV
 * file, through the staff page or the command line), kept with who sent it, its digest and what
 * it changed. `replace`: a correction, whose lines supersede the connections already imported
 * for each learner and session it names (decision 030).
 */
export const connectionImports = pgTable(
  'connection_imports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The staff member who sent it; null: the command line. */
    importedBy: uuid('imported_by').references(() => users.id),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256').notNull(),
    replace: boolean('replace').notNull().default(false),
    lines: integer('lines').notNull(),
    added: integer('added').notNull(),
    unchanged: integer('unchanged').notNull(),
    superseded: integer('superseded').notNull(),
  },
  (t) => [index('connection_imports_at_idx').on(t.importedAt)],
);

/**
 * Issue 18: a learner's connection to the learning environment during a remote (or hybrid)
 * session, append-only like the registers (decision 011): a correction supersedes a row (its
 * `supersededBy` import), never deletes or updates what it says. The current connections of an
 * enrolment are those not superseded; they never overlap (checked at import, under the
 * session's lock). `minutes` is the length in whole minutes, kept as computed then.
 */
export const connections = pgTable(
  'connections',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    importId: uuid('import_id')
      .notNull()
      .references(() => connectionImports.id),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    minutes: integer('minutes').notNull(),
    supersededBy: uuid('superseded_by').references(() => connectionImports.id),
  },
  (t) => [
    check('connections_period', sql`${t.endsAt} > ${t.startsAt} and ${t.minutes} between 0 and 1440`),
    // Re-importing the same file adds nothing: one current connection per enrolment and start.
    uniqueIndex('connections_current_start').on(t.applicationId, t.startsAt).where(sql`superseded_by is null`),
    index('connections_session_idx').on(t.sessionId),
  ],
);
