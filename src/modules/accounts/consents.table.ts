import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.table';

export const consentKinds = ['terms', 'news'] as const;
export type ConsentKind = (typeof consentKinds)[number];

/** Where a consent was given or withdrawn (shown to the learner, kept for the proof). */
/** `help_desk`: SVC-5, at a help desk, the person present, a counsellor explaining the terms. */
export const consentChannels = ['sign_up', 'account_page', 'sign_in', 'provider_sign_in', 'created', 'before_consents', 'help_desk'] as const;
export type ConsentChannel = (typeof consentChannels)[number];

/**
 * ACC-1, ACC-11: the consents a person gave: the terms of use (one row per version accepted) and
 * the news opt-in (one row each time it is given; a withdrawal is recorded on its row, never
 * deleted). The truth of both: nothing else stores them. One live row per kind and version.
 */
export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: consentKinds }).notNull(),
    /** The version of the text consented to (consents.rules.ts: the terms' version, the opt-in's wording). */
    version: text('version').notNull(),
    givenAt: timestamp('given_at', { withTimezone: true }).notNull(),
    givenHow: text('given_how', { enum: consentChannels }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnHow: text('withdrawn_how', { enum: consentChannels }),
  },
  (t) => [
    uniqueIndex('consents_live_key').on(t.userId, t.kind, t.version).where(sql`${t.withdrawnAt} is null`),
    index('consents_user_idx').on(t.userId, t.givenAt),
  ],
);

export const signInMethods = ['password', 'password_totp', 'provider'] as const;
export type SignInMethod = (typeof signInMethods)[number];

/**
 * ACC-11: every successful sign-in (the learner sees them in the account and in the download of
 * their data): when, how (a password, with the second factor for staff, or an identity provider
 * and its name), from where. Kept `connectionLogMonths` (ACC-14).
 */
export const signIns = pgTable(
  'sign_ins',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    method: text('method', { enum: signInMethods }).notNull(),
    /** The identity provider's name (settings), for `provider`. */
    provider: text('provider'),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sign_ins_user_idx').on(t.userId, t.at), index('sign_ins_at_idx').on(t.at)],
);
