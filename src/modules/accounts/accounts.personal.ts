import { asc, eq, getTableColumns, inArray, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { defaultLocale } from '../../platform/i18n';
import { cutoffOf } from '../../platform/periods';
import { personalColumn, type PersonalColumn, type PersonalDataSet, type RetentionRule, type TableDeclaration } from '../../platform/personal-data';
import { accountTokens, learnerProfiles, loginFailures, nameChangeRequests, pendingLogins, userSessions, users } from './accounts.table';

/**
 * The accounts module's personal data (ACC-11, ACC-14): the account itself (users), the learner
 * record, the requests of name changes, the links sent by email, and the connection data
 * (sessions, failed logins, second-factor steps).
 *
 * The closure keeps a tombstone (DESIGN14): the `users` row stays, so every row that points at it
 * stays valid, with nothing personal left in it — status `closed`, address
 * `closed-<id>@closed.invalid`, a password hash no password matches, no phone, name, second
 * factor, terms date or news choice, the default language. Everything else of the account is deleted. The accounts'
 * sets come last in `personalDataSets`: the other sets may still read the account while they forget.
 */

// Retention rules (the policies' periods).
/** The account's own period, which every set whose data lives as long as the account uses: closed (ACC-11's closure) after this long without a sign-in or an application. */
export const untilInactive: RetentionRule = { policy: 'inactiveAccountMonths', unit: 'months', from: 'privacy.from.lastActivity' };
const sessionLife: RetentionRule = { policy: 'sessionMaxHours', unit: 'hours', from: 'privacy.from.sessionStart' };
const connectionLog: RetentionRule = { policy: 'connectionLogMonths', unit: 'months', from: 'privacy.from.loginAttempt' };
const usedLinks: RetentionRule = { policy: 'connectionLogMonths', unit: 'months', from: 'privacy.from.linkExpiry' };

const column = personalColumn;

/** The users row is anonymised (the tombstone), never deleted. */
const account = (category: PersonalColumn['category'], purpose: string) => column(category, purpose, untilInactive, 'anonymise');
const record = (category: PersonalColumn['category']) => column(category, 'privacy.purpose.learnerRecord', untilInactive);

export const accountsTables: readonly TableDeclaration[] = [
  {
    table: 'users',
    personal: {
      email: account('contact', 'privacy.purpose.signIn'),
      password_hash: account('account', 'privacy.purpose.signIn'),
      mobile_phone: account('contact', 'privacy.purpose.contactAccount'),
      display_name: account('identity', 'privacy.purpose.contactAccount'),
      locale: account('account', 'privacy.purpose.preferences'),
      notify_by: account('account', 'privacy.purpose.preferences'),
      totp_secret: account('account', 'privacy.purpose.secondFactor'),
      totp_last_step: account('account', 'privacy.purpose.secondFactor'),
      password_changed_at: account('account', 'privacy.purpose.signIn'),
      /** ACC-14: the inactive-account rule counts from it (the sign-in log itself is kept less long). */
      last_sign_in_at: account('connection', 'privacy.purpose.signIn'),
    },
    other: ['id', 'role', 'status', 'created_at', 'activated_at'],
  },
  {
    table: 'learner_profiles',
    personal: {
      civility: record('identity'),
      last_name: record('identity'),
      birth_name: record('identity'),
      first_name: record('identity'),
      birth_date: record('identity'),
      birth_country: record('identity'),
      address: record('contact'),
      address_complement_1: record('contact'),
      address_complement_2: record('contact'),
      postal_code: record('contact'),
      city: record('contact'),
      country: record('contact'),
      mobile_phone: record('contact'),
      landline_phone: record('contact'),
      heard_from: record('account'),
      identity_key: record('identity'),
    },
    other: ['user_id', 'created_at', 'updated_at'],
  },
  {
    table: 'name_change_requests',
    personal: {
      last_name: column('identity', 'privacy.purpose.nameChange', untilInactive),
      first_name: column('identity', 'privacy.purpose.nameChange', untilInactive),
      birth_name: column('identity', 'privacy.purpose.nameChange', untilInactive),
      reason: column('message', 'privacy.purpose.nameChange', untilInactive),
    },
    other: ['id', 'user_id', 'status', 'created_at', 'decided_at', 'decided_by'],
  },
  {
    table: 'account_tokens',
    personal: {
      new_email: column('contact', 'privacy.purpose.accountLinks', usedLinks),
      token_hash: column('account', 'privacy.purpose.accountLinks', usedLinks),
    },
    other: ['id', 'user_id', 'purpose', 'created_at', 'expires_at', 'used_at'],
  },
  {
    table: 'pending_logins',
    personal: { browser_hash: column('connection', 'privacy.purpose.secondFactor', sessionLife) },
    other: ['id', 'user_id', 'created_at', 'expires_at'],
  },
];

export const connectionTables: readonly TableDeclaration[] = [
  {
    table: 'user_sessions',
    personal: {
      ip: column('connection', 'privacy.purpose.sessions', sessionLife),
      user_agent: column('connection', 'privacy.purpose.sessions', sessionLife),
      last_seen_at: column('connection', 'privacy.purpose.sessions', sessionLife),
      // ACC-13: the provider a session signed in with, its ID token (the logout's id_token_hint) and the re-authentication before a closure.
      identity_provider: column('connection', 'privacy.purpose.identityProvider', sessionLife),
      id_token: column('connection', 'privacy.purpose.identityProvider', sessionLife),
      reauthenticated_at: column('connection', 'privacy.purpose.identityProvider', sessionLife),
    },
    other: ['id', 'user_id', 'created_at', 'expires_at'],
  },
  {
    // Kept an hour (ACC-1's window; pruned by the worker): the connection log's period is an upper bound.
    table: 'login_failures',
    personal: {
      email: column('connection', 'privacy.purpose.loginProtection', connectionLog),
      source: column('connection', 'privacy.purpose.loginProtection', connectionLog),
      failed_at: column('connection', 'privacy.purpose.loginProtection', connectionLog),
    },
    other: ['id'],
  },
];

/** An address nobody has: what a closed account's row keeps (the unique index and the lower-case check hold). */
export const closedAddress = (userId: string) => `closed-${userId}@closed.invalid`;
/** Not an argon2 hash: no password verifies against it. */
export const UNUSABLE_PASSWORD_HASH = '!closed';

async function addressOf(db: DbOrTx, userId: string): Promise<string | null> {
  const [row] = await db.select({ email: users.email, status: users.status }).from(users).where(eq(users.id, userId));
  return row && row.status !== 'closed' ? row.email : null;
}

/** The account, the learner record, the name change requests and the links sent. */
export const accountsDataSet: PersonalDataSet = {
  name: 'accounts',
  tables: accountsTables,
  async exportOf(db, userId) {
    // Left out: the password hash, the second factor's secret and last step (credentials, not
    // information about the person), the hashes of the links' tokens, the record's identity key
    // (a normalised copy of the names and birth date shown above).
    const account = await db
      .select({
        email: users.email,
        role: users.role,
        status: users.status,
        locale: users.locale,
        mobilePhone: users.mobilePhone,
        displayName: users.displayName,
        secondFactor: sql<boolean>`${users.totpSecret} is not null`,
        createdAt: users.createdAt,
        activatedAt: users.activatedAt,
        passwordChangedAt: users.passwordChangedAt,
        lastSignInAt: users.lastSignInAt,
      })
      .from(users)
      .where(eq(users.id, userId));
    const { identityKey: _key, userId: _id, ...profileColumns } = getTableColumns(learnerProfiles);
    const record = await db.select(profileColumns).from(learnerProfiles).where(eq(learnerProfiles.userId, userId));
    const names = await db
      .select({
        lastName: nameChangeRequests.lastName,
        firstName: nameChangeRequests.firstName,
        birthName: nameChangeRequests.birthName,
        reason: nameChangeRequests.reason,
        status: nameChangeRequests.status,
        createdAt: nameChangeRequests.createdAt,
        decidedAt: nameChangeRequests.decidedAt,
      })
      .from(nameChangeRequests)
      .where(eq(nameChangeRequests.userId, userId))
      .orderBy(asc(nameChangeRequests.createdAt));
    const links = await db
      .select({ purpose: accountTokens.purpose, newEmail: accountTokens.newEmail, createdAt: accountTokens.createdAt, expiresAt: accountTokens.expiresAt, usedAt: accountTokens.usedAt })
      .from(accountTokens)
      .where(eq(accountTokens.userId, userId))
      .orderBy(asc(accountTokens.createdAt));
    return [
      { key: 'account', title: 'privacy.section.account', rows: account },
      { key: 'learnerRecord', title: 'privacy.section.learnerRecord', rows: record },
      { key: 'nameChanges', title: 'privacy.section.nameChanges', rows: names },
      { key: 'accountLinks', title: 'privacy.section.accountLinks', rows: links },
    ];
  },
  async forget(tx: Tx, userId: string) {
    await tx.delete(learnerProfiles).where(eq(learnerProfiles.userId, userId));
    await tx.delete(nameChangeRequests).where(eq(nameChangeRequests.userId, userId));
    await tx.delete(accountTokens).where(eq(accountTokens.userId, userId));
    await tx.delete(pendingLogins).where(eq(pendingLogins.userId, userId));
    // The tombstone. A staff member's row loses its second factor too, so it counts as a learner's
    // (the check wants a secret for staff); it can do nothing anyway.
    await tx
      .update(users)
      .set({
        email: closedAddress(userId),
        passwordHash: UNUSABLE_PASSWORD_HASH,
        status: 'closed',
        role: 'learner',
        mobilePhone: null,
        displayName: null,
        totpSecret: null,
        totpLastStep: null,
        passwordChangedAt: null,
        lastSignInAt: null,
        // The language chosen is the person's; the closure's email reads it before (privacy/closure.service).
        locale: defaultLocale,
      })
      .where(eq(users.id, userId));
  },
  retention: {
    notice: false,
    /** Used and expired links, past the connection log's period (the account's still-valid ones stay). */
    async sweep(db, { at, policies, limit }) {
      const before = cutoffOf(usedLinks, policies, at);
      const done = await db
        .delete(accountTokens)
        .where(
          inArray(
            accountTokens.id,
            db.select({ id: accountTokens.id }).from(accountTokens).where(lte(accountTokens.expiresAt, before)).orderBy(asc(accountTokens.expiresAt)).limit(limit),
          ),
        )
        .returning({ id: accountTokens.id });
      return done.length;
    },
  },
};

/** The sessions and the failed logins (connection data). */
export const connectionsDataSet: PersonalDataSet = {
  name: 'accounts.connections',
  tables: connectionTables,
  async exportOf(db, userId) {
    // Left out: the sessions' ids (the hash of the cookie's token) and the providers' ID tokens (credentials).
    const sessions = await db
      .select({
        createdAt: userSessions.createdAt,
        lastSeenAt: userSessions.lastSeenAt,
        expiresAt: userSessions.expiresAt,
        ip: userSessions.ip,
        userAgent: userSessions.userAgent,
        identityProvider: userSessions.identityProvider,
      })
      .from(userSessions)
      .where(eq(userSessions.userId, userId))
      .orderBy(asc(userSessions.createdAt));
    const address = await addressOf(db, userId);
    const failures = address
      ? await db
          .select({ failedAt: loginFailures.failedAt, source: loginFailures.source })
          .from(loginFailures)
          .where(eq(loginFailures.email, address))
          .orderBy(asc(loginFailures.failedAt))
      : [];
    return [
      { key: 'sessions', title: 'privacy.section.sessions', rows: sessions },
      { key: 'loginFailures', title: 'privacy.section.loginFailures', rows: failures },
    ];
  },
  async forget(tx, userId) {
    await tx.delete(userSessions).where(eq(userSessions.userId, userId));
    const address = await addressOf(tx, userId);
    if (address) await tx.delete(loginFailures).where(eq(loginFailures.email, address));
  },
  // Sessions and failed logins are pruned by the worker long before any period (accountsPruneTasks).
};

export const accountsDataSets: readonly PersonalDataSet[] = [connectionsDataSet, accountsDataSet];
