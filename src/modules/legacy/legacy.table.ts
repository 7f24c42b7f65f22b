import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { civilities, evaluationOutcomes, heardFromOptions } from '../../domain/vocabulary';
import { users } from '../accounts/accounts.table';
import { courses } from '../catalogue/catalogue.table';

/**
 * ACC-9: the previous system's accounts and their history, imported from CSV files
 * (docs/legacy-import.md), and their link to a new account.
 */

export const legacyPasswordSchemes = ['bcrypt', 'sha256'] as const;
export type LegacyPasswordScheme = (typeof legacyPasswordSchemes)[number];

/** One run of `import-legacy` that was accepted (a refused file writes nothing, not even this). */
export const legacyImports = pgTable(
  'legacy_imports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The files' names as given on the command line (no path). */
    files: text('files').notNull(),
    /** SHA-256 of the files' contents, sorted: the same files again are recognised and refused. */
    digest: text('digest').notNull(),
    accounts: integer('accounts').notNull(),
    enrolments: integer('enrolments').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('legacy_imports_digest_key').on(t.digest)],
);

/**
 * A former account: its email (lower-cased, one row per address), its password hash in the old
 * scheme until it is linked (then erased: never used again), and its learner record as the old
 * system had it (every field optional: old records were not all complete).
 */
export const legacyAccounts = pgTable(
  'legacy_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    importId: bigint('import_id', { mode: 'number' })
      .notNull()
      .references(() => legacyImports.id),
    email: text('email').notNull(),
    passwordScheme: text('password_scheme', { enum: legacyPasswordSchemes }),
    passwordHash: text('password_hash'),
    civility: text('civility', { enum: civilities }),
    lastName: text('last_name').notNull(),
    birthName: text('birth_name'),
    firstName: text('first_name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }),
    birthCountry: text('birth_country'),
    address: text('address'),
    addressComplement1: text('address_complement_1'),
    addressComplement2: text('address_complement_2'),
    postalCode: text('postal_code'),
    city: text('city'),
    mobilePhone: text('mobile_phone'),
    landlinePhone: text('landline_phone'),
    heardFrom: text('heard_from', { enum: heardFromOptions }),
    /** When the account was created in the old system, if the file says. */
    createdOn: date('created_on', { mode: 'string' }),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('legacy_accounts_email_key').on(t.email),
    check('legacy_accounts_email_lower', sql`${t.email} = lower(${t.email})`),
    check('legacy_accounts_hash_with_scheme', sql`(${t.passwordScheme} is null) = (${t.passwordHash} is null)`),
  ],
);

/** A past enrolment of a former account: its course (matched by code), school, period, attendance, outcome, certificates. */
export const legacyEnrolments = pgTable(
  'legacy_enrolments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    legacyAccountId: uuid('legacy_account_id')
      .notNull()
      .references(() => legacyAccounts.id, { onDelete: 'cascade' }),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id),
    /** The school as the old system named it (old schools are not all in the catalogue). */
    school: text('school').notNull(),
    /** The school year or period, as written ("2015-2016", "2016 S2"). */
    period: text('period').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    endedOn: date('ended_on', { mode: 'string' }).notNull(),
    /** Attended hours over the course's hours, in percent; null when the old system did not say. */
    attendancePercent: integer('attendance_percent'),
    /** ATT-4: the attendance certificate was issued. */
    attendanceCertified: boolean('attendance_certified').notNull(),
    /** CERT-1: the end-of-course test; null for a course without one. */
    outcome: text('outcome', { enum: evaluationOutcomes }),
    /** CERT-2: when the certificate of skills was issued, and its number in the old system. */
    certificateOn: date('certificate_on', { mode: 'string' }),
    certificateNumber: text('certificate_number'),
  },
  (t) => [
    index('legacy_enrolments_account_idx').on(t.legacyAccountId),
    check('legacy_enrolments_percent', sql`${t.attendancePercent} is null or ${t.attendancePercent} between 0 and 100`),
  ],
);

/** ACC-9: the link, once: an old account links to one new account, a new account to one old account. */
export const legacyLinks = pgTable(
  'legacy_links',
  {
    legacyAccountId: uuid('legacy_account_id')
      .primaryKey()
      .references(() => legacyAccounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    method: text('method', { enum: ['password', 'code'] }).notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('legacy_links_user_key').on(t.userId)],
);

/**
 * ACC-9: the single-use codes sent to an old address ("mot de passe oublié" of the old account),
 * for the new account that asked: only their SHA-256 is kept; expiring, a few tries each.
 */
export const legacyLinkCodes = pgTable(
  'legacy_link_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    legacyAccountId: uuid('legacy_account_id')
      .notNull()
      .references(() => legacyAccounts.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [index('legacy_link_codes_user_idx').on(t.userId)],
);

/** Wrong old passwords and codes, per new account and per old address typed, kept an hour (the throttle). */
export const legacyLinkFailures = pgTable(
  'legacy_link_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The old address typed, lower-cased (whether an old account has it or not). */
    email: text('email').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('legacy_link_failures_email_idx').on(t.email, t.failedAt), index('legacy_link_failures_user_idx').on(t.userId, t.failedAt)],
);
