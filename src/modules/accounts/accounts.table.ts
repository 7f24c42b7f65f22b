import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { civilities, heardFromOptions, notifyChannels, roles } from '../../domain/vocabulary';

export const userStatuses = ['pending', 'active', 'disabled', 'closed'] as const;
export type UserStatus = (typeof userStatuses)[number];

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored trimmed and lower-cased; the unique index makes one account per address. */
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull().default('learner'),
    /**
     * `closed`: the tombstone of a closed account (ACC-11, docs/decisions: the row stays, so what
     * points at it stays valid, with nothing personal left in it); it cannot sign in, reset its
     * password or be found by email.
     */
    status: text('status', { enum: userStatuses }).notNull().default('pending'),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull().default('fr'),
    mobilePhone: text('mobile_phone'),
    /** SVC-7: how the learner wants to be told (`tellLearner`); SMS only where a mobile is known. */
    notifyBy: text('notify_by', { enum: notifyChannels }).notNull().default('email'),
    displayName: text('display_name'),
    totpSecret: text('totp_secret'),
    /** Last TOTP time step accepted, so a code cannot be used twice. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    /** ACC-14: the last sign-in (any way: password, provider), kept for the inactive-account rule after the sign-in logs are gone. */
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('users_email_key').on(t.email),
    check('users_email_lower', sql`${t.email} = lower(${t.email})`),
    check('users_staff_has_totp', sql`${t.role} = 'learner' or ${t.totpSecret} is not null`),
  ],
);

/** The learner record of ACC-6, required before any application. */
export const learnerProfiles = pgTable(
  'learner_profiles',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    civility: text('civility', { enum: civilities }).notNull(),
    lastName: text('last_name').notNull(),
    birthName: text('birth_name'),
    firstName: text('first_name').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    birthCountry: text('birth_country').notNull(),
    address: text('address').notNull(),
    addressComplement1: text('address_complement_1'),
    addressComplement2: text('address_complement_2'),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    country: text('country').notNull().default('FR'),
    mobilePhone: text('mobile_phone'),
    landlinePhone: text('landline_phone'),
    heardFrom: text('heard_from', { enum: heardFromOptions }).notNull(),
    /** Normalised last name, first name and birth date: one record per natural person (ACC-5). */
    identityKey: text('identity_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('learner_profiles_identity_key').on(t.identityKey),
    check('learner_profiles_one_phone', sql`${t.mobilePhone} is not null or ${t.landlinePhone} is not null`),
  ],
);

export const tokenPurposes = ['activation', 'password_reset', 'email_change'] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/** Single-use, expiring links sent by email; only the SHA-256 of the token is stored. */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: tokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull(),
    newEmail: text('new_email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('account_tokens_hash_key').on(t.tokenHash), index('account_tokens_user_idx').on(t.userId, t.purpose)],
);

/** ACC-8: names are not edited by the learner; the request waits for staff. */
export const nameChangeRequests = pgTable(
  'name_change_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastName: text('last_name').notNull(),
    firstName: text('first_name').notNull(),
    birthName: text('birth_name'),
    reason: text('reason').notNull(),
    status: text('status', { enum: ['pending', 'applied', 'declined'] }).notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
  },
  (t) => [index('name_change_requests_user_idx').on(t.userId)],
);

/** Server-side login sessions; the cookie holds a random token, the table only its SHA-256. */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** ACC-13: the provider this session signed in with, and its ID token (the logout's id_token_hint). */
    identityProvider: text('identity_provider'),
    idToken: text('id_token'),
    /** ACC-11, ACC-13: when this session's person last proved it again with their provider (closing the account). */
    reauthenticatedAt: timestamp('reauthenticated_at', { withTimezone: true }),
  },
  (t) => [index('user_sessions_user_idx').on(t.userId), index('user_sessions_expires_idx').on(t.expiresAt)],
);

/**
 * ACC-1: failed logins (passwords and second-factor codes) of the last hour, one row each, by
 * address (normalised, whether an account exists or not: throttling reveals nothing) and source
 * (login-guard.ts). A try is written before its password is checked and deleted if it succeeds,
 * so simultaneous tries see each other.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    source: text('source').notNull(),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_email_idx').on(t.email, t.failedAt)],
);

/**
 * ACC-12: a staff member's password accepted, waiting for the second factor. The cookie holds a
 * random token, the table its SHA-256; the row is bound to the browser's CSRF secret (its
 * SHA-256 too), used once, and lasts five minutes.
 */
export const pendingLogins = pgTable(
  'pending_logins',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    browserHash: text('browser_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('pending_logins_user_idx').on(t.userId)],
);

/**
 * SVC-5: the code sent by SMS with which a learner registered at a help desk takes their account
 * over (sets their password). Only its hash is kept (Argon2, like a password); it works once, for
 * 30 minutes, and five wrong tries void it (takeover.rules.ts). A new code voids the older ones.
 */
export const takeoverCodes = pgTable(
  'takeover_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    /** The counsellor who had it sent. */
    sentBy: uuid('sent_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [index('takeover_codes_user_idx').on(t.userId, t.createdAt)],
);
