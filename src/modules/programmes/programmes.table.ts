import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { storedFiles } from '../../platform/platform.table';
import { users } from '../accounts/accounts.table';
import { courses } from '../catalogue/catalogue.table';

/** CRED-1: the kinds of programme (seed 004: « certificats et diplômes d'établissement, titres professionnels, diplômes … LMD »). */
export const programmeKinds = ['certificate', 'diploma', 'professional_title'] as const;
export type ProgrammeKind = (typeof programmeKinds)[number];

/** CRED-1: a certificate, diploma or professional title: the credits it requires and its lists of units. */
export const programmes = pgTable(
  'programmes',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    title: text('title').notNull(),
    kind: text('kind', { enum: programmeKinds }).notNull(),
    requiredCredits: smallint('required_credits').notNull(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('programmes_credits', sql`${t.requiredCredits} between 1 and 600`)],
);

/**
 * CRED-1: one list of a programme's units: mandatory (`choose` null: every unit of it) or a
 * choice (`choose` of its units). `position` keeps the administrator's order.
 */
export const programmeLists = pgTable(
  'programme_lists',
  {
    id: serial('id').primaryKey(),
    programmeId: integer('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    position: smallint('position').notNull(),
    choose: smallint('choose'),
  },
  (t) => [uniqueIndex('programme_lists_position').on(t.programmeId, t.position), check('programme_lists_choose', sql`${t.choose} is null or ${t.choose} >= 1`)],
);

/** CRED-1: the units (courses with credits) a list names. */
export const programmeListUnits = pgTable(
  'programme_list_units',
  {
    listId: integer('list_id')
      .notNull()
      .references(() => programmeLists.id, { onDelete: 'cascade' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id),
  },
  (t) => [primaryKey({ columns: [t.listId, t.courseId] }), index('programme_list_units_course_idx').on(t.courseId)],
);

/** CRED-1: the programmes a learner chose to follow (their progress page shows these). */
export const programmeFollowers = pgTable(
  'programme_followers',
  {
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id),
    programmeId: integer('programme_id')
      .notNull()
      .references(() => programmes.id, { onDelete: 'cascade' }),
    followedAt: timestamp('followed_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.programmeId] })],
);

/** CRED-4: a request for a programme's diploma, or for a duplicate of one granted. */
export const diplomaRequestKinds = ['original', 'duplicate'] as const;
export type DiplomaRequestKind = (typeof diplomaRequestKinds)[number];
export const diplomaRequestStatuses = ['pending', 'granted', 'refused'] as const;
export type DiplomaRequestStatus = (typeof diplomaRequestStatuses)[number];
/** Seed 004: a duplicate is asked for a diploma « détruit, perdu ou volé ». */
export const duplicateReasons = ['lost', 'destroyed', 'stolen'] as const;
export type DuplicateReason = (typeof duplicateReasons)[number];

/**
 * CRED-4: the learner's requests for the diploma of a programme they completed, and for a
 * duplicate of a diploma granted that was lost, destroyed or stolen (with its proof file), and
 * the staff's decision. One original request pending or granted per learner and programme, one
 * duplicate pending (partial unique indexes: two requests at once make one). A diploma granted is
 * a document of the register (`document_id`); a duplicate's document replaces the one before.
 */
export const diplomaRequests = pgTable(
  'diploma_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id),
    programmeId: integer('programme_id')
      .notNull()
      .references(() => programmes.id),
    kind: text('kind', { enum: diplomaRequestKinds }).notNull(),
    /** A duplicate: the original request, granted, whose diploma it replaces. */
    originalId: uuid('original_id').references((): AnyPgColumn => diplomaRequests.id),
    reason: text('reason', { enum: duplicateReasons }),
    /** A duplicate's proof (a police report for a theft…), kept by platform/files. */
    proofFileId: uuid('proof_file_id').references(() => storedFiles.id),
    /** The credits the eligibility check counted when the learner asked. */
    creditsEarned: smallint('credits_earned').notNull(),
    status: text('status', { enum: diplomaRequestStatuses }).notNull().default('pending'),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    documentId: uuid('document_id'),
  },
  (t) => [
    uniqueIndex('diploma_requests_one_original').on(t.learnerId, t.programmeId).where(sql`kind = 'original' and status in ('pending', 'granted')`),
    uniqueIndex('diploma_requests_one_duplicate').on(t.learnerId, t.programmeId).where(sql`kind = 'duplicate' and status = 'pending'`),
    index('diploma_requests_pending_idx').on(t.requestedAt).where(sql`status = 'pending'`),
    index('diploma_requests_learner_idx').on(t.learnerId, t.programmeId),
    check('diploma_requests_kind', sql`(${t.kind} = 'original' and ${t.originalId} is null and ${t.reason} is null) or (${t.kind} = 'duplicate' and ${t.originalId} is not null and ${t.reason} is not null)`),
    check('diploma_requests_decision', sql`${t.decisionReason} is null or char_length(${t.decisionReason}) between 1 and 500`),
  ],
);
