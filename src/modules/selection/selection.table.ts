import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { attendances, convocationKinds } from '../../domain/vocabulary';
import { publicAdjustmentReasons, type ExplainFacts } from './explain.rules';
import type { CriteriaPoints } from './selection.rules';
import { applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';

/** SEL-2: the pedagogical evaluation (test or interview) of an application, out of 20. */
export const evaluations = pgTable(
  'evaluations',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    mark: numeric('mark', { precision: 4, scale: 1, mode: 'number' }).notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('evaluations_mark', sql`${t.mark} between 0 and 20`)],
);

/**
 * SEL-2: a session's tie-breaking draw, committed before its application window opens
 * (docs/decisions/017-committed-draw.md): the commitment (SHA-256 of the seed, hex) is public from `committedAt`;
 * the seed stays secret until the session is first decided (`revealedAt`). `late`: committed
 * after the window opened (the public page says so). `drawnReferences`: the pseudonymous
 * references of the applications the decisions ranked; `lastRankAdmitted`: the last rank given
 * a place at the first decision (SEL-12's public figures).
 */
export const selectionDraws = pgTable(
  'selection_draws',
  {
    sessionId: integer('session_id')
      .primaryKey()
      .references(() => courseSessions.id, { onDelete: 'cascade' }),
    seed: text('seed').notNull(),
    commitment: text('commitment').notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }).notNull(),
    late: boolean('late').notNull().default(false),
    revealedAt: timestamp('revealed_at', { withTimezone: true }),
    drawnReferences: text('drawn_references').array().notNull().default(sql`'{}'::text[]`),
    lastRankAdmitted: integer('last_rank_admitted'),
    /** SEL-2, SEL-12: the criteria points the first decision ranked with (null: decided before they were kept, or not yet). */
    points: jsonb('points').$type<CriteriaPoints>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [check('selection_draws_commitment', sql`${t.commitment} ~ '^[0-9a-f]{64}$'`)],
);

/** SEL-2: a staff member's adjustment of the ranking, in points, with its reason (audited). */
export const rankingAdjustments = pgTable(
  'ranking_adjustments',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    points: integer('points').notNull(),
    /** Staff's own words: kept in the audit log, never shown to the learner. */
    reason: text('reason').notNull(),
    /** SEL-12: the reason the learner reads (a list of plain reasons); null for adjustments made before it. */
    publicReason: text('public_reason', { enum: publicAdjustmentReasons }),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('ranking_adjustments_points', sql`${t.points} between -20 and 20 and ${t.points} <> 0`), check('ranking_adjustments_reason', sql`char_length(${t.reason}) between 1 and 500`)],
);

/**
 * SEL-12: what a decision was made from, kept as it was then, so that the learner's explanation
 * says what counted that day (the applicant's facts, the points of the policies, the rank among
 * those ranked, the free places) even when the policies or the list change later.
 */
export const selectionDecisions = pgTable(
  'selection_decisions',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    outcome: text('outcome', { enum: ['accepted', 'waiting_list', 'refused'] }).notNull(),
    /** The rank in the session's ranking (null for a refusal: not ranked). */
    rank: integer('rank'),
    /** SEL-11: the number given on the waiting list (it stays here after they leave the list). */
    waitingRank: integer('waiting_rank'),
    /** How many were ranked, the free places, and those held for assisted applications (SVC-5). */
    ranked: integer('ranked').notNull(),
    places: integer('places').notNull(),
    heldForAssisted: integer('held_for_assisted').notNull().default(0),
    /** SEL-2: only the draw separated this applicant from another. */
    tied: boolean('tied').notNull().default(false),
    facts: jsonb('facts').$type<ExplainFacts>().notNull(),
    points: jsonb('points').$type<CriteriaPoints>().notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('selection_decisions_session_idx').on(t.sessionId)],
);

/**
 * SEL-3, SEL-4: a nominative convocation to a test or interview. The learner cannot change it;
 * the school head records attendance; the token is what the printed QR code carries.
 */
export const convocations = pgTable(
  'convocations',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: convocationKinds }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    place: text('place').notNull(),
    /** SVC-7: how long the test or interview lasts (the calendar file's event). */
    minutes: integer('minutes').notNull().default(60),
    /** SVC-7: the calendar file's SEQUENCE: 0, then one more each time the learner is convoked again (same UID). */
    sequence: integer('sequence').notNull().default(0),
    token: text('token').notNull().unique(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    attendance: text('attendance', { enum: attendances }),
    attendanceBy: uuid('attendance_by'),
    attendanceAt: timestamp('attendance_at', { withTimezone: true }),
  },
  (t) => [check('convocations_place', sql`char_length(${t.place}) between 1 and 300`), check('convocations_minutes', sql`${t.minutes} between 5 and 600`)],
);

export const offerKinds = ['waiting_list', 'equivalent'] as const;
export const offerStatuses = ['open', 'accepted', 'declined', 'expired', 'void'] as const;

/**
 * SEL-7, SEL-8: a place offered to a learner on a waiting list, in their own session
 * ("waiting_list") or in an equivalent one ("equivalent"), until a deadline. An open offer
 * holds its place: free places = capacity − accepted − enrolled − open offers.
 */
export const offers = pgTable(
  'offers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    kind: text('kind', { enum: offerKinds }).notNull(),
    status: text('status', { enum: offerStatuses }).notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    // One open offer per application at a time: a place is never offered twice to one person.
    uniqueIndex('offers_one_open').on(t.applicationId).where(sql`status = 'open'`),
    index('offers_session_open_idx').on(t.sessionId).where(sql`status = 'open'`),
    index('offers_application_idx').on(t.applicationId, t.sessionId),
  ],
);

export const changeRequestStatuses = ['open', 'accepted', 'declined'] as const;

/** SEL-10: a learner's request to change day, recorded by the school head, decided by a coordinator. */
export const changeRequests = pgTable(
  'change_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    note: text('note').notNull(),
    status: text('status', { enum: changeRequestStatuses }).notNull().default('open'),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    toSessionId: integer('to_session_id').references(() => courseSessions.id),
  },
  (t) => [
    uniqueIndex('change_requests_one_open').on(t.applicationId).where(sql`status = 'open'`),
    check('change_requests_note', sql`char_length(${t.note}) between 1 and 1000`),
  ],
);

/** SEL-1, SEL-3: a coordinator found the course's prerequisites not met (or the decision's checks, `automatic`); the decision refuses it. */
export const prerequisiteRefusals = pgTable(
  'prerequisite_refusals',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    /** SEL-1, CERT-3: written by the decision's automatic checks (recordedBy decided), not a coordinator's own. */
    automatic: boolean('automatic').notNull().default(false),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('prerequisite_refusals_reason', sql`char_length(${t.reason}) between 1 and 500`)],
);

/**
 * SEL-1: a coordinator found the prerequisites met although the automatic check (the previous
 * level's certificate of skills) did not, with the reason (e.g. a positioning test passed); audited.
 */
export const prerequisiteOverrides = pgTable(
  'prerequisite_overrides',
  {
    applicationId: uuid('application_id')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    recordedBy: uuid('recorded_by').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('prerequisite_overrides_reason', sql`char_length(${t.reason}) between 1 and 500`)],
);
