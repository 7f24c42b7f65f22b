import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex, uuid, integer } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table';
import { schools } from '../catalogue/catalogue.table';

/**
 * SVC-5: the help desks where counsellors register learners in person (seed 001, "Orientation et
 * inscription du public de langue étrangère en difficulté").
 */
export const helpDesks = pgTable(
  'help_desks',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    address: text('address').notNull(),
    /** Opening hours, as the desk says them ("lundi au vendredi, 9 h – 12 h 30"). */
    hours: text('hours').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Closed by the service: no longer anyone's desk (its counsellors no longer work from it); its learners keep their accounts. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('help_desks_code_key').on(t.code)],
);

/**
 * SVC-5: what a desk serves: schools, or whole Paris arrondissements (every school there, those
 * added later too). Its counsellors register learners for the sessions of these schools, besides
 * their own scope (`staff_scopes`).
 */
export const helpDeskScopes = pgTable(
  'help_desk_scopes',
  {
    id: serial('id').primaryKey(),
    deskId: integer('desk_id')
      .notNull()
      .references(() => helpDesks.id, { onDelete: 'cascade' }),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    arrondissement: smallint('arrondissement'),
  },
  (t) => [
    check('help_desk_scopes_one_target', sql`num_nonnulls(${t.schoolId}, ${t.arrondissement}) = 1`),
    check('help_desk_scopes_arrondissement', sql`${t.arrondissement} between 1 and 20`),
    uniqueIndex('help_desk_scopes_key').on(t.deskId, sql`coalesce(${t.schoolId}, 0)`, sql`coalesce(${t.arrondissement}, 0)`),
  ],
);

/** Which counsellors work at which desk (a counsellor at one desk or a few). */
export const deskCounsellors = pgTable(
  'desk_counsellors',
  {
    deskId: integer('desk_id')
      .notNull()
      .references(() => helpDesks.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.deskId, t.userId] }), index('desk_counsellors_user_idx').on(t.userId)],
);

/**
 * SVC-5: a learner registered at a desk: the desk (whose counsellors may act for them), the
 * counsellor who made the account, when, the learner's consent (in person), and when the learner
 * took the account over (set their password).
 */
export const assistedLearners = pgTable(
  'assisted_learners',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    deskId: integer('desk_id')
      .notNull()
      .references(() => helpDesks.id),
    counsellorId: uuid('counsellor_id').notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    takenOverAt: timestamp('taken_over_at', { withTimezone: true }),
  },
  (t) => [index('assisted_learners_desk_idx').on(t.deskId, t.registeredAt)],
);
