import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  smallint,
  text,
  time,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { admissionTests, modes, rhythms } from '../../domain/vocabulary';

export const domains = pgTable('domains', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  position: integer('position').notNull().default(0),
});

/** CAT-6: a registration period with its application window and its answer window. */
export const registrationPeriods = pgTable(
  'registration_periods',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    /** CERT-6: a priority window before the public one, for learners who passed the level below (null: none). */
    priorityOpensAt: timestamp('priority_opens_at', { withTimezone: true }),
    applicationsOpenAt: timestamp('applications_open_at', { withTimezone: true }).notNull(),
    applicationsCloseAt: timestamp('applications_close_at', { withTimezone: true }).notNull(),
    answersFrom: date('answers_from', { mode: 'string' }).notNull(),
    answersUntil: date('answers_until', { mode: 'string' }).notNull(),
    /**
     * SVC-5: until when the share of places the policy holds for assisted applications is held
     * (null: until the end of the answer window, `answers_until`); then the waiting lists get them.
     */
    assistedPlacesUntil: timestamp('assisted_places_until', { withTimezone: true }),
  },
  (t) => [
    check('registration_periods_window', sql`${t.applicationsCloseAt} > ${t.applicationsOpenAt}`),
    check('registration_periods_priority', sql`${t.priorityOpensAt} is null or ${t.priorityOpensAt} < ${t.applicationsOpenAt}`),
    check('registration_periods_answers', sql`${t.answersUntil} >= ${t.answersFrom}`),
  ],
);

export const schools = pgTable(
  'schools',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    /** Paris arrondissement (1–20); null for a school outside Paris, described by `area`. */
    arrondissement: smallint('arrondissement'),
    area: text('area'),
    address: text('address').notNull(),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
  },
  (t) => [
    check('schools_arrondissement', sql`${t.arrondissement} between 1 and 20`),
    index('schools_arrondissement_idx').on(t.arrondissement),
  ],
);

/** CAT-1: the catalogue sheet. */
export const courses = pgTable(
  'courses',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    title: text('title').notNull(),
    /** CAT-3: the title without accents or capitals (cursus_fold, migration 0002), for the trigram search. */
    titleFolded: text('title_folded')
      .notNull()
      .generatedAlwaysAs(sql`cursus_fold(title)`),
    domainId: integer('domain_id')
      .notNull()
      .references(() => domains.id),
    objectives: text('objectives').notNull(),
    audience: text('audience').notNull(),
    prerequisites: text('prerequisites').notNull(),
    programme: text('programme').notNull(),
    level: text('level'),
    /** The course whose level gives access to this one (CAT-1, CERT-6). */
    previousCourseId: integer('previous_course_id'),
    rhythm: text('rhythm', { enum: rhythms }).notNull(),
    mode: text('mode', { enum: modes }).notNull(),
    hourlyVolume: integer('hourly_volume').notNull(),
    fullRateCents: integer('full_rate_cents').notNull(),
    halfRateCents: integer('half_rate_cents').notNull(),
    preparesDiploma: boolean('prepares_diploma').notNull().default(false),
    hasEvaluation: boolean('has_evaluation').notNull().default(false),
    admissionTest: text('admission_test', { enum: admissionTests }).notNull().default('none'),
    /**
     * CRED-1: a teaching unit's ECTS credits (4, 6, 8 or 12, about 10 hours a credit:
     * credits.rules); null for a course that is not a unit. A unit's code is the course's code (NFA001).
     */
    ectsCredits: smallint('ects_credits'),
    /** CRED-2: the semester a unit runs in (1: mid-October to mid-January, 2: mid-February to the end of May); null with no credits. */
    semester: smallint('semester'),
  },
  (t) => [
    check('courses_hours', sql`${t.hourlyVolume} > 0`),
    check('courses_ects_credits', sql`${t.ectsCredits} is null or ${t.ectsCredits} in (4, 6, 8, 12)`),
    check('courses_semester', sql`(${t.ectsCredits} is null and ${t.semester} is null) or (${t.ectsCredits} is not null and ${t.semester} in (1, 2))`),
    check('courses_rates', sql`${t.fullRateCents} >= 0 and ${t.halfRateCents} >= 0 and ${t.halfRateCents} <= ${t.fullRateCents}`),
    index('courses_domain_idx').on(t.domainId),
    index('courses_title_folded_trgm_idx').using('gin', t.titleFolded.op('gin_trgm_ops')),
  ],
);

/** CAT-2: one offering of a course at one school, on set weekdays and time slots. */
export const courseSessions = pgTable(
  'course_sessions',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull().unique(),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id),
    schoolId: integer('school_id')
      .notNull()
      .references(() => schools.id),
    periodId: integer('period_id')
      .notNull()
      .references(() => registrationPeriods.id),
    trainerName: text('trainer_name'),
    capacity: integer('capacity').notNull(),
    firstMeeting: date('first_meeting', { mode: 'string' }).notNull(),
    lastMeeting: date('last_meeting', { mode: 'string' }).notNull(),
    /** CAT-7: "sauf sessions marquées autrement": this session meets during school holidays. */
    runsInSchoolHolidays: boolean('runs_in_school_holidays').notNull().default(false),
    /** SVC-2: cancelled by the service (its learners told, its applications closed); null while it runs. */
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** SVC-2: moved to another mode by the service (remote); null: the course's own mode. */
    mode: text('mode', { enum: modes }),
  },
  (t) => [
    check('course_sessions_capacity', sql`${t.capacity} > 0`),
    check('course_sessions_dates', sql`${t.lastMeeting} >= ${t.firstMeeting}`),
    index('course_sessions_course_idx').on(t.courseId),
    index('course_sessions_school_idx').on(t.schoolId),
    index('course_sessions_period_idx').on(t.periodId),
  ],
);

/** A weekly slot of a session: ISO weekday (1 = Monday) and times. */
export const sessionSlots = pgTable(
  'session_slots',
  {
    id: serial('id').primaryKey(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id, { onDelete: 'cascade' }),
    weekday: smallint('weekday').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
  },
  (t) => [
    check('session_slots_weekday', sql`${t.weekday} between 1 and 7`),
    check('session_slots_times', sql`${t.endsAt} > ${t.startsAt}`),
    index('session_slots_session_idx').on(t.sessionId),
    index('session_slots_weekday_idx').on(t.weekday, t.startsAt),
  ],
);

/** CAT-7: public holidays and the school holidays of a zone, loaded as data. */
export const holidays = pgTable(
  'holidays',
  {
    id: serial('id').primaryKey(),
    kind: text('kind', { enum: ['public', 'school'] }).notNull(),
    /** School-holiday zone (A, B, C); null for public holidays. */
    zone: text('zone'),
    name: text('name').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
  },
  (t) => [
    check('holidays_dates', sql`${t.endsOn} >= ${t.startsOn}`),
    uniqueIndex('holidays_key').on(t.kind, sql`coalesce(${t.zone}, '')`, t.startsOn),
  ],
);

/**
 * SEL-7: two courses of the same level (another title or school network) a full session's
 * waiting list may be offered places in. Symmetric: one row per pair, the smaller course id
 * first, so a pair is stored once whichever order it was declared in, and a course is never
 * equivalent to itself.
 */
export const courseEquivalences = pgTable(
  'course_equivalences',
  {
    id: serial('id').primaryKey(),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    equivalentCourseId: integer('equivalent_course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    /** Who declared it (an administrator or a coordinator); null when a CSV import did. */
    declaredBy: uuid('declared_by'),
    /** The form gives the clock's time; the CSV import (which has no clock) the database's. */
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('course_equivalences_ordered', sql`${t.courseId} < ${t.equivalentCourseId}`),
    uniqueIndex('course_equivalences_pair').on(t.courseId, t.equivalentCourseId),
    index('course_equivalences_equivalent_idx').on(t.equivalentCourseId),
  ],
);

/**
 * Issue 19, decision 024: the search document, one row per session: everything the search page,
 * the API and the open-data files show of a session and every column their filters and order
 * read, from its course, school, domain, period and slots, in one row the search reads without
 * a join. Written only by the database, in the transaction that changes any of those tables
 * (the triggers of the migration `search_document_triggers`, hand-written: drizzle cannot
 * express triggers), so it is never behind. Free places are not in it: they are the selection
 * module's (`placesHeld`), counted when a page is read.
 */
export const sessionSearch = pgTable(
  'session_search',
  {
    sessionId: integer('session_id')
      .primaryKey()
      .references(() => courseSessions.id, { onDelete: 'cascade' }),
    sessionCode: text('session_code').notNull(),
    courseCode: text('course_code').notNull(),
    title: text('title').notNull(),
    /**
     * CAT-3: the course's folded title (`cursus_fold`). Keywords are matched on the courses' own
     * trigram index (3 000 titles rather than 20 000 documents), then by `course_code`.
     */
    titleFolded: text('title_folded').notNull(),
    objectives: text('objectives').notNull(),
    domainSlug: text('domain_slug').notNull(),
    domainName: text('domain_name').notNull(),
    schoolCode: text('school_code').notNull(),
    schoolName: text('school_name').notNull(),
    arrondissement: smallint('arrondissement'),
    area: text('area'),
    address: text('address').notNull(),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    capacity: integer('capacity').notNull(),
    periodCode: text('period_code').notNull(),
    periodName: text('period_name').notNull(),
    applicationsOpenAt: timestamp('applications_open_at', { withTimezone: true }).notNull(),
    applicationsCloseAt: timestamp('applications_close_at', { withTimezone: true }).notNull(),
    rhythm: text('rhythm', { enum: rhythms }).notNull(),
    /** SVC-2: the session's mode: its own when the service changed it, else its course's. */
    mode: text('mode', { enum: modes }).notNull(),
    /** The session's own mode (SVC-2), null when it has the course's. */
    ownMode: text('own_mode', { enum: modes }),
    courseMode: text('course_mode', { enum: modes }).notNull(),
    firstMeeting: date('first_meeting', { mode: 'string' }).notNull(),
    lastMeeting: date('last_meeting', { mode: 'string' }).notNull(),
    runsInSchoolHolidays: boolean('runs_in_school_holidays').notNull(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** The weekly slots, `[{weekday, startsAt: 'HH:MM', endsAt}]`, by weekday then start. */
    slots: jsonb('slots').notNull(),
    /**
     * CAT-4's day and time filters on one slot: for each slot `weekday*10 + band` (band: 1 day,
     * 2 morning, 3 afternoon, 4 evening, `cursus_time_band`), `weekday*10` and `100 + band`; a
     * filter is one overlap (`&&`) with the keys it accepts.
     */
    slotKeys: smallint('slot_keys').array().notNull(),
    level: text('level'),
    hourlyVolume: integer('hourly_volume').notNull(),
    fullRateCents: integer('full_rate_cents').notNull(),
    halfRateCents: integer('half_rate_cents').notNull(),
    preparesDiploma: boolean('prepares_diploma').notNull(),
    hasEvaluation: boolean('has_evaluation').notNull(),
    admissionTest: text('admission_test', { enum: admissionTests }).notNull(),
  },
  (t) => [
    // The search's order (title, school, code), in French alphabetical order: pages and keys walk it.
    index('session_search_order_idx').on(sql`${t.title} collate "fr-x-icu"`, sql`${t.schoolName} collate "fr-x-icu"`, t.sessionCode),
    index('session_search_slot_keys_idx').using('gin', t.slotKeys),
    index('session_search_arrondissement_idx').on(t.arrondissement),
    index('session_search_domain_idx').on(t.domainSlug),
    index('session_search_period_idx').on(t.periodCode),
    index('session_search_course_idx').on(t.courseCode),
    uniqueIndex('session_search_session_code_idx').on(t.sessionCode),
  ],
);

/**
 * Decision 024: the catalogue's version, one row, raised once by every transaction that changes
 * the catalogue (its tables above, holidays included), at its commit (a deferred trigger of
 * `search_document_triggers`): what the API's entity tags and the in-memory reference lists
 * are keyed by. Places are not in it (see `sessionSearch`).
 */
export const catalogueVersions = pgTable(
  'catalogue_versions',
  {
    id: smallint('id').primaryKey().default(1),
    version: bigint('version', { mode: 'number' }).notNull().default(1),
  },
  (t) => [check('catalogue_versions_one', sql`${t.id} = 1`)],
);
