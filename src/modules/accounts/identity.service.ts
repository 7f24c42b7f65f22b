import { and, desc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import type { OidcConfig } from '../../config';
import { learnerProfiles, users } from './accounts.table';
import { recordPrefillFromClaims, type RecordPrefill } from './claims';
import { identityLinks, oidcLogins } from './identity.table';
import { userSessions } from './accounts.table';

/**
 * ACC-13: the links between provider identities and accounts, and what the rest of the app asks
 * of them (the closure's re-authentication, ACC-11).
 */

/**
 * The `password_hash` of an account made by a provider's sign-in: no password at all. It is no
 * Argon2 hash, so no password ever verifies against it (the hashing worker answers false); the
 * owner may set one with "forgotten password", which proves the address.
 */
export const NO_LOCAL_PASSWORD = '!none';

/** ACC-11, ACC-13: false for an account that signs in only through a provider (closing it asks a re-authentication instead). */
export async function hasLocalPassword(db: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return !!row && row.passwordHash !== NO_LOCAL_PASSWORD;
}

/** The providers an account is linked to (their names in OIDC_PROVIDERS), most recently used first. */
export async function linkedProviders(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db.select({ provider: identityLinks.provider }).from(identityLinks).where(eq(identityLinks.userId, userId)).orderBy(desc(identityLinks.lastUsedAt));
  return rows.map((r) => r.provider);
}

/** ACC-13: a provider's label (its button's words, "FranceConnect") from its name; the name itself for a provider no longer configured. */
export function providerLabel(oidc: Pick<OidcConfig, 'providers'>, name: string): string {
  return oidc.providers.find((p) => p.name === name)?.label ?? name;
}

/**
 * ACC-11: did this session's person prove it again with their provider since `since`? The
 * closure starts the re-authentication with a POST to `/connexion/oidc/<provider>` with
 * `reauth=1` and `retour=<its page>`; coming back, the session is marked and the browser is sent
 * to `retour`.
 */
export async function reauthenticatedSince(db: DbOrTx, input: { sessionId: string; since: Date }): Promise<boolean> {
  const [row] = await db.select({ at: userSessions.reauthenticatedAt }).from(userSessions).where(eq(userSessions.id, input.sessionId));
  return !!row?.at && row.at >= input.since;
}

/** ACC-13, ACC-6: what the provider said of a learner who has no record yet, to prefill the form (null once the record exists). */
export async function identityPrefill(db: DbOrTx, userId: string): Promise<{ provider: string; prefill: RecordPrefill } | null> {
  const [profile] = await db.select({ userId: learnerProfiles.userId }).from(learnerProfiles).where(eq(learnerProfiles.userId, userId));
  if (profile) return null;
  const [link] = await db
    .select({ prefill: identityLinks.prefill, provider: identityLinks.provider })
    .from(identityLinks)
    .where(and(eq(identityLinks.userId, userId), isNotNull(identityLinks.prefill)))
    .orderBy(desc(identityLinks.lastUsedAt))
    .limit(1);
  return link ? { provider: link.provider, prefill: link.prefill as RecordPrefill } : null;
}

/** The learner record is saved: the provider's claims kept to prefill it are no longer needed. */
export async function forgetIdentityPrefill(tx: DbOrTx, userId: string): Promise<void> {
  await tx.update(identityLinks).set({ prefill: null }).where(eq(identityLinks.userId, userId));
}

/** Links (provider, subject) to the account, with the claims as the record's prefill; an existing link is kept (first wins). */
export async function linkIdentity(tx: DbOrTx, clock: Clock, input: { provider: string; subject: string; userId: string; claims: Record<string, unknown> }) {
  const now = clock.now();
  const [created] = await tx
    .insert(identityLinks)
    .values({ provider: input.provider, subject: input.subject, userId: input.userId, prefill: recordPrefillFromClaims(input.claims), linkedAt: now, lastUsedAt: now })
    .onConflictDoNothing({ target: [identityLinks.provider, identityLinks.subject] })
    .returning();
  if (created) return created;
  const [existing] = await tx.select().from(identityLinks).where(and(eq(identityLinks.provider, input.provider), eq(identityLinks.subject, input.subject)));
  return existing;
}

/** The worker's clean-up: sign-ins with a provider left halfway, past their expiry. */
export async function pruneExpiredOidcLogins(deps: { db: Db; clock: Clock }): Promise<void> {
  await deps.db.delete(oidcLogins).where(lte(oidcLogins.expiresAt, deps.clock.now()));
}

/** ACC-11: this session's person just proved it again with their provider. */
export async function markReauthenticated(db: DbOrTx, clock: Clock, sessionId: string): Promise<void> {
  await db.update(userSessions).set({ reauthenticatedAt: clock.now() }).where(eq(userSessions.id, sessionId));
}
