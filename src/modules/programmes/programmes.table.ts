import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
