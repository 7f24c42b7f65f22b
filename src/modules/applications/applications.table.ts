import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, bigserial } from 'drizzle-orm/pg-core';
import { allowances, objectives, situations, type inPersonConsent } from '../../domain/vocabulary';
import { users } from '../accounts/accounts.table';
import { courseSessions, courses } from '../catalogue/catalogue.table';
import { applicationStatuses, statusList } from './lifecycle';

export { applicationStatuses, type ApplicationStatus } from './lifecycle';

export const applications = pgTable(
  'applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    /** The session's course, kept here so that APP-2 (one per course) is a unique index. */
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id),
    status: text('status', { enum: applicationStatuses }).notNull().default('preselected'),
    situation: text('situation', { enum: situations }),
    /**
     * PAY-6: for a welfare recipient, the allowance among those that give the half rate (RSA,
     * ASS, AAH); null for none, or when the situation is another.
     */
    allowance: text('allowance', { enum: allowances }),
    objective: text('objective', { enum: objectives }),
    motivations: text('motivations'),
    rulesAcceptedAt: timestamp('rules_accepted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /**
     * When the learner validated. Shown to them, never used to rank (APP-10: selection does not
     * depend on arrival order; see docs/decisions/005).
     */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** SEL-3, SEL-11: the place on the session's waiting list. */
    waitingRank: integer('waiting_rank'),
    /**
     * SVC-5: the help desk's counsellor who registered it with the learner present (the first
     * to act on it); null for an application the learner made alone. Such an application may
     * take the places the policy holds for assisted applications (selection's held share).
     */
    assistedBy: uuid('assisted_by').references(() => users.id),
    /**
     * CRED-2: an enrolment made directly in a unit (the credits profile's enrolment all year):
     * no application form, so situation, objective and motivations stay empty (APP-4's check
     * below does not ask for them).
     */
    direct: boolean('direct').notNull().default(false),
  },
  (t) => [
    // APP-2: one live application per course, whatever the school. Closed ones (cancelled,
    // refused, lack of places, withdrawal, removal) do not block a new one; nor does an
    // enrolment (CERT-3: after a course ends the learner may take it again; while it runs the
    // rules refuse a second one, under the learner's lock).
    uniqueIndex('applications_one_per_course')
      .on(t.learnerId, t.courseId)
      .where(sql`status not in ${statusList('closed')} and status <> 'enrolled'`),
    index('applications_learner_idx').on(t.learnerId, t.status),
    index('applications_session_idx').on(t.sessionId, t.status),
    // APP-4: past the preselection, the application form is complete.
    check(
      'applications_confirmed_form',
      sql`${t.status} = 'preselected' or (${t.rulesAcceptedAt} is not null and ${t.confirmedAt} is not null and (${t.direct} or (${t.situation} is not null and ${t.objective} is not null and ${t.motivations} is not null)))`,
    ),
    check('applications_motivations_length', sql`char_length(${t.motivations}) <= 5000`),
  ],
);

/**
 * What an event records besides its statuses and reason: SVC-5, a change made at a help desk
 * (assisted, with the learner's consent given in person); SEL-13, one the learner's preference
 * responder made; SEL-5, SEL-7, a move to another course.
 */
export interface EventDetails {
  assisted?: true;
  consent?: typeof inPersonConsent;
  responder?: true;
  /** SEL-5, SEL-7: the application moved to another course: from which to which, as they were then. */
  course?: { from: { code: string; title: string }; to: { code: string; title: string } };
}

/** Every change of an application's status (DESIGN: who, when, from, to, why). */
export const applicationEvents = pgTable(
  'application_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    fromStatus: text('from_status', { enum: applicationStatuses }),
    toStatus: text('to_status', { enum: applicationStatuses }).notNull(),
    reason: text('reason'),
    /** SVC-5: a change a counsellor made for the learner, present and agreeing; SEL-13: the responder's (null otherwise). */
    details: jsonb('details').$type<EventDetails>(),
  },
  (t) => [index('application_events_application_idx').on(t.applicationId, t.at)],
);
