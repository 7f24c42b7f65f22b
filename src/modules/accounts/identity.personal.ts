import { asc, eq, inArray, lte, or } from 'drizzle-orm';
import { personalColumn, type PersonalCategory, type PersonalDataSet, type RetentionRule, type TableDeclaration } from '../../platform/personal-data';
import { untilInactive } from './accounts.personal';
import { identityLinks, oidcLogins } from './identity.table';

/**
 * ACC-13's personal data (ACC-11, ACC-14): which person at which provider is which account
 * (identity_links: kept while the account lives; its `prefill`, the claims, only until the
 * learner record is saved), and the sign-ins with a provider in progress (oidc_logins: minutes,
 * pruned by the worker once expired; the period below is an upper bound).
 */
const sessionLife: RetentionRule = { policy: 'sessionMaxHours', unit: 'hours', from: 'privacy.from.sessionStart' };

const column = (category: PersonalCategory, retention: RetentionRule) => personalColumn(category, 'privacy.purpose.identityProvider', retention);

export const identityTables: readonly TableDeclaration[] = [
  {
    table: 'identity_links',
    personal: {
      provider: column('account', untilInactive),
      subject: column('account', untilInactive),
      prefill: column('identity', untilInactive),
      linked_at: column('account', untilInactive),
      last_used_at: column('connection', untilInactive),
    },
    other: ['id', 'user_id'],
  },
  {
    table: 'oidc_logins',
    personal: {
      browser_hash: column('connection', sessionLife),
      subject: column('account', sessionLife),
      claims: column('identity', sessionLife),
      id_token: column('identity', sessionLife),
      email: column('contact', sessionLife),
      return_to: column('connection', sessionLife),
    },
    other: ['id', 'provider', 'stage', 'purpose', 'user_id', 'state', 'nonce', 'code_verifier', 'email_token_hash', 'email_user_id', 'created_at', 'expires_at'],
  },
];

/** The accounts' links to identity providers and the provider sign-ins in progress. */
export const identityDataSet: PersonalDataSet = {
  name: 'accounts.identity',
  tables: identityTables,
  async exportOf(db, userId) {
    // Left out: the sign-ins in progress (minutes long; their state, nonce and verifier are secrets).
    const links = await db
      .select({ provider: identityLinks.provider, subject: identityLinks.subject, linkedAt: identityLinks.linkedAt, lastUsedAt: identityLinks.lastUsedAt, prefill: identityLinks.prefill })
      .from(identityLinks)
      .where(eq(identityLinks.userId, userId))
      .orderBy(asc(identityLinks.linkedAt));
    return [{ key: 'identityLinks', title: 'privacy.section.identityLinks', rows: links }];
  },
  async forget(tx, userId) {
    await tx.delete(oidcLogins).where(or(eq(oidcLogins.userId, userId), eq(oidcLogins.emailUserId, userId)));
    await tx.delete(identityLinks).where(eq(identityLinks.userId, userId));
  },
  retention: {
    notice: false,
    /** The provider sign-ins in progress that expired (the worker prunes them too). */
    async sweep(db, { at, limit }) {
      const expired = db.select({ id: oidcLogins.id }).from(oidcLogins).where(lte(oidcLogins.expiresAt, at)).orderBy(asc(oidcLogins.expiresAt)).limit(limit);
      const done = await db.delete(oidcLogins).where(inArray(oidcLogins.id, expired)).returning({ id: oidcLogins.id });
      return done.length;
    },
  },
};
