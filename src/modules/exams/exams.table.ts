import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { storedFiles } from '../../platform/platform.table';
import { users } from '../accounts/accounts.table';
import { courses, schools } from '../catalogue/catalogue.table';

/** CRED-3: what a learner may ask about an exam (seed 004: « passer mon examen dans un autre centre », « aménagement d'épreuve »). */
export const requestKinds = ['another_centre', 'accommodations'] as const;
export type RequestKind = (typeof requestKinds)[number];
/** CRED-3: why another centre (the FAQ: « déplacement professionnel, déménagement en cours d'année »). */
export const centreReasons = ['professional_travel', 'move'] as const;
export type CentreReason = (typeof centreReasons)[number];
export const requestStatuses = ['pending', 'approved', 'refused'] as const;
export type RequestStatus = (typeof requestStatuses)[number];
/** Moving: who set the centre of record (the first enrolment, or the learner's « Je déménage »). */
export const centreSources = ['enrolment', 'learner'] as const;

/**
 * CRED-3: an exam session of a unit: the first or second session of an academic year (the year
 * it starts: 2026 for 2026-2027), on a day, at a centre (a school of the catalogue). A unit's
 * session may be held at several centres (one row each). Its results are published once.
 */
export const examSessions = pgTable(
  'exam_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id),
    academicYear: smallint('academic_year').notNull(),
    number: smallint('number').notNull(),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    centreId: integer('centre_id')
      .notNull()
      .references(() => schools.id),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedBy: uuid('published_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('exam_sessions_unit_centre').on(t.courseId, t.academicYear, t.number, t.centreId),
    check('exam_sessions_number', sql`${t.number} in (1, 2)`),
  ],
);

/**
 * CRED-3: a learner registered for an exam session (one registration per learner, unit, year and
 * session number), where they sit it (the session's centre, or another one a request approved),
 * and their result: a mark in tenths of a point (0 to 200: 12,5/20 is 125) or absent.
 * `credits_held`: this result's pass is what holds the unit's credits in certification (so a
 * correction takes back only what it recorded).
 */
export const examRegistrations = pgTable(
  'exam_registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    examSessionId: uuid('exam_session_id')
      .notNull()
      .references(() => examSessions.id, { onDelete: 'cascade' }),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id),
    courseId: integer('course_id').notNull(),
    academicYear: smallint('academic_year').notNull(),
    number: smallint('number').notNull(),
    /** The enrolment that registered them (applications), if any. */
    applicationId: uuid('application_id'),
    centreId: integer('centre_id')
      .notNull()
      .references(() => schools.id),
    markTenths: smallint('mark_tenths'),
    absent: boolean('absent').notNull().default(false),
    markedBy: uuid('marked_by'),
    markedAt: timestamp('marked_at', { withTimezone: true }),
    creditsHeld: boolean('credits_held').notNull().default(false),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('exam_registrations_learner').on(t.learnerId, t.courseId, t.academicYear, t.number),
    index('exam_registrations_session_idx').on(t.examSessionId),
    check('exam_registrations_mark', sql`${t.markTenths} is null or ${t.markTenths} between 0 and 200`),
    check('exam_registrations_absent', sql`not (${t.absent} and ${t.markTenths} is not null)`),
  ],
);

/**
 * CRED-3: a learner's request about one exam registration: to sit at another centre (why, where,
 * a proof) or accommodations (what, an optional proof); decided by staff with a reason (needed
 * to refuse). One open request of a kind per registration.
 */
export const examRequests = pgTable(
  'exam_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => examRegistrations.id, { onDelete: 'cascade' }),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: requestKinds }).notNull(),
    reason: text('reason', { enum: centreReasons }),
    wishedCentreId: integer('wished_centre_id').references(() => schools.id),
    details: text('details'),
    fileId: uuid('file_id').references(() => storedFiles.id),
    status: text('status', { enum: requestStatuses }).notNull().default('pending'),
    decisionReason: text('decision_reason'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('exam_requests_one_open').on(t.registrationId, t.kind).where(sql`status = 'pending'`),
    index('exam_requests_learner_idx').on(t.learnerId),
    // Its proof is required while it waits; once decided, the retention job deletes it (`examProofRetentionMonths`).
    check('exam_requests_centre', sql`${t.kind} <> 'another_centre' or (${t.reason} is not null and ${t.wishedCentreId} is not null and (${t.fileId} is not null or ${t.status} <> 'pending'))`),
    check('exam_requests_accommodations', sql`${t.kind} <> 'accommodations' or char_length(${t.details}) between 1 and 2000`),
    check('exam_requests_refusal', sql`${t.status} <> 'refused' or char_length(${t.decisionReason}) between 1 and 500`),
  ],
);

/** Moving: the learner's centre of record (set at the first enrolment, changed by « Je déménage »). */
export const learnerCentres = pgTable('learner_centres', {
  learnerId: uuid('learner_id')
    .primaryKey()
    .references(() => users.id),
  centreId: integer('centre_id')
    .notNull()
    .references(() => schools.id),
  setBy: text('set_by', { enum: centreSources }).notNull(),
  setAt: timestamp('set_at', { withTimezone: true }).notNull(),
});
