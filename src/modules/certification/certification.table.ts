import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { evaluationOutcomes, exemptionStatuses } from '../../domain/vocabulary';
import { users } from '../accounts/accounts.table';
import { applications } from '../applications/applications.table';
import { courseSessions, courses } from '../catalogue/catalogue.table';

/**
 * CERT-1: the end-of-course test of a session whose course has an evaluation: its date is fixed
 * (presence mandatory), corrected only while no result is entered: fixed for the learners then.
 */
export const sessionTests = pgTable('session_tests', {
  sessionId: integer('session_id')
    .primaryKey()
    .references(() => courseSessions.id),
  testAt: timestamp('test_at', { withTimezone: true }).notNull(),
  fixedBy: uuid('fixed_by').references(() => users.id),
  fixedAt: timestamp('fixed_at', { withTimezone: true }).notNull(),
});

/**
 * CERT-1, CERT-2, CERT-5: the test's results, append-only (the latest entry is the result; a
 * correction is a new entry). A mark out of `max_score`; `absent` has no mark.
 */
export const evaluationResults = pgTable(
  'evaluation_results',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    outcome: text('outcome', { enum: evaluationOutcomes }).notNull(),
    score: integer('score'),
    maxScore: integer('max_score').notNull().default(20),
    enteredBy: uuid('entered_by')
      .notNull()
      .references(() => users.id),
    enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('evaluation_results_score', sql`(${t.outcome} = 'absent' and ${t.score} is null) or (${t.score} between 0 and ${t.maxScore})`),
    check('evaluation_results_max', sql`${t.maxScore} between 1 and 1000`),
    index('evaluation_results_application_idx').on(t.applicationId, t.id),
  ],
);

/**
 * ATT-4, CERT-2: what the end of a course gave one enrolment, computed once by the end-of-course
 * job (and again if a register or a result is corrected before the documents are issued):
 * the attendance over the course's held meetings, the attendance certificate's document, the
 * test's outcome, and the certificate of skills with its deadline (the course's end plus the
 * policy's months) and its issue.
 */
export const courseOutcomes = pgTable(
  'course_outcomes',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    courseId: integer('course_id').notNull(),
    learnerId: uuid('learner_id').notNull(),
    attendedMinutes: integer('attended_minutes').notNull(),
    plannedMinutes: integer('planned_minutes').notNull(),
    /** ATT-4: at or above the policy's percentage. */
    attendanceCertified: boolean('attendance_certified').notNull(),
    attendanceDocumentId: uuid('attendance_document_id'),
    /** CERT-1: null for a course without an evaluation. */
    outcome: text('outcome', { enum: evaluationOutcomes }),
    /** CERT-2: the certificate of skills is due by then (passed only). */
    certificateDueOn: date('certificate_due_on', { mode: 'string' }),
    certificateDocumentId: uuid('certificate_document_id'),
    certificateIssuedAt: timestamp('certificate_issued_at', { withTimezone: true }),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('course_outcomes_learner_idx').on(t.learnerId, t.courseId),
    index('course_outcomes_due_idx').on(t.certificateDueOn).where(sql`certificate_due_on is not null and certificate_issued_at is null`),
    index('course_outcomes_session_idx').on(t.sessionId),
  ],
);

/**
 * ATT-4, CERT-2: a session whose end-of-course outcomes were computed, even with nothing to write
 * (no enrolled learner): the sweep and the staff's list of held-back sessions skip it.
 */
export const courseClosures = pgTable('course_closures', {
  sessionId: integer('session_id')
    .primaryKey()
    .references(() => courseSessions.id),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
});

/** CERT-4: the higher diploma a learner declares to be exempted from general tests, and the staff's answer. */
export const exemptions = pgTable(
  'exemptions',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id),
    diploma: text('diploma').notNull(),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
    status: text('status', { enum: exemptionStatuses }).notNull().default('pending'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
  },
  (t) => [check('exemptions_diploma', sql`char_length(${t.diploma}) between 1 and 200`)],
);

/** CERT-5: a request for marks from the learner's account, and the staff's answer shown there. */
export const marksRequests = pgTable(
  'marks_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    message: text('message').notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
    answer: text('answer'),
    answeredBy: uuid('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    check('marks_requests_message', sql`char_length(${t.message}) between 0 and 2000`),
    index('marks_requests_application_idx').on(t.applicationId),
    index('marks_requests_open_idx').on(t.askedAt).where(sql`answered_at is null`),
  ],
);

/**
 * CRED-1: a teaching unit a learner earned, kept for life (« chaque UE validée par un examen est
 * valable à vie »): one row per learner and unit, whatever the number of passes, with the credits
 * the unit was worth then (a later change of the catalogue changes nothing earned). Recorded when
 * an enrolment's end-of-course outcome is passed (computeOutcomes), or by `recordEarnedUnit`
 * (units earned before Cursus, the demo). Never expires; removed only when the outcome that
 * recorded it is corrected before its certificate of skills is issued.
 */
export const creditsEarned = pgTable(
  'credits_earned',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id),
    credits: smallint('credits').notNull(),
    /** The enrolment whose passed outcome earned it; null when recorded otherwise. */
    applicationId: uuid('application_id').references(() => applications.id),
    earnedOn: date('earned_on', { mode: 'string' }).notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.courseId] }), check('credits_earned_credits', sql`${t.credits} in (4, 6, 8, 12)`)],
);
