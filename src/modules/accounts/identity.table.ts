import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.table';

/**
 * ACC-13: which person at which OpenID provider is which account. A first sign-in creates the
 * link (a new account, or an existing one after its owner proved it); later sign-ins find it.
 * `prefill`: what the provider said of the person (claims.ts's mapping), kept only until the
 * learner record it prefills is saved.
 */
export const identityLinks = pgTable(
  'identity_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    prefill: jsonb('prefill'),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('identity_links_provider_subject_key').on(t.provider, t.subject), index('identity_links_user_idx').on(t.userId)],
);

export const oidcLoginStages = ['started', 'returned'] as const;

/**
 * ACC-13: a sign-in with a provider in progress, kept on the server. The browser's cookie holds
 * a random token, the table its SHA-256 (`id`); the row is bound to the browser's CSRF secret
 * (its SHA-256), and is used once. `started`: the state, nonce and PKCE verifier sent to the
 * provider (ten minutes to come back). `returned`: the provider said who the person is
 * (subject, claims, ID token) but no account is linked yet: the person chooses (prove an
 * existing account, or create one) within fifteen minutes. `emailTokenHash`: the single-use link
 * mailed to prove an address (`emailUserId` the account it links to, or `email` the address of
 * the account to create).
 */
export const oidcLogins = pgTable(
  'oidc_logins',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    browserHash: text('browser_hash').notNull(),
    stage: text('stage', { enum: oidcLoginStages }).notNull().default('started'),
    /** `login`, or `reauth` (a signed-in person proves it again: closing the account). */
    purpose: text('purpose', { enum: ['login', 'reauth'] }).notNull().default('login'),
    /** The signed-in account asking a re-authentication. */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    state: text('state'),
    nonce: text('nonce'),
    codeVerifier: text('code_verifier'),
    returnTo: text('return_to'),
    subject: text('subject'),
    claims: jsonb('claims'),
    idToken: text('id_token'),
    emailTokenHash: text('email_token_hash'),
    emailUserId: uuid('email_user_id').references(() => users.id, { onDelete: 'cascade' }),
    email: text('email'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('oidc_logins_expires_idx').on(t.expiresAt), uniqueIndex('oidc_logins_email_token_key').on(t.emailTokenHash)],
);
