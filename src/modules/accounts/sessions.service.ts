import { and, desc, eq, gt, ne, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import { statement } from '../../db/statements';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { getPolicies, type Policies } from '../../platform/policies';
import { sessionState } from './accounts.rules';
import { userSessions, users } from './accounts.table';
import { newToken, sha256 } from './links';
import { currentTermsOf } from './consents.service';
import { consents } from './consents.table';
import { recordSignIn, type SignInHow } from './sign-ins.service';
import type { AccountDeps, User } from './users.service';

/**
 * Login sessions: server-side, created at login, revocable, with idle and absolute timeouts
 * (docs/decisions/001). The cookie holds a random token; the table only its SHA-256.
 */
export type SessionInfo = typeof userSessions.$inferSelect;

export async function createSession(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; ip: string | null; userAgent: string | null; signIn?: SignInHow; identity?: { provider: string; idToken: string } },
  knownPolicies?: Policies,
): Promise<string> {
  const { db, clock } = deps;
  const policies = knownPolicies ?? (await getPolicies(db));
  const token = newToken();
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.insert(userSessions).values({
      id: sha256(token),
      userId: input.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policies.sessionMaxHours * 3_600_000),
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      identityProvider: input.identity?.provider ?? null,
      idToken: input.identity?.idToken ?? null,
    });
    // ACC-14: every sign-in goes through here; the retention job reads it (activity.service).
    await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, input.userId));
    await audit(tx, clock, { action: 'login.succeeded', actorId: input.userId, subjectId: input.userId, ip: input.ip, ...(input.identity ? { data: { provider: input.identity.provider } } : {}) });
    if (input.signIn) await recordSignIn(tx, clock, { userId: input.userId, ip: input.ip, userAgent: input.userAgent, ...input.signIn });
  });
  return token;
}

/**
 * Replaces a session by a new one with a new token, in the caller's transaction: same person,
 * same device, same absolute expiry (a rotation does not lengthen a session). The old token
 * stops working. Returns the new token, or null when the session no longer exists.
 */
export async function rotateSession(tx: DbOrTx, clock: Clock, sessionId: string): Promise<string | null> {
  const [old] = await tx.delete(userSessions).where(eq(userSessions.id, sessionId)).returning();
  if (!old) return null;
  const token = newToken();
  await tx.insert(userSessions).values({ ...old, id: sha256(token), lastSeenAt: clock.now() });
  return token;
}

/** Every request of a signed-in person: a named statement, built once, planned once per connection. */
const sessionById = statement('accounts_resume_session', (db) =>
  db
    .select()
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .leftJoin(consents, currentTermsOf(users.id))
    .where(eq(userSessions.id, sql.placeholder('id'))),
);

/**
 * Finds the live session behind a cookie token and notes the activity. A session idle too long
 * or past its maximum age is deleted and not returned.
 */
export async function resumeSession(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  token: string,
  policies: Policies,
): Promise<{ sessionId: string; user: User; termsToAccept: boolean } | null> {
  const { db, clock } = deps;
  if (!token || token.length > 100) return null;
  const id = sha256(token);
  const [row] = await sessionById(db).execute({ id });
  if (!row) return null;
  const now = clock.now();
  if (sessionState(row.user_sessions, now, policies.sessionIdleMinutes) !== 'active' || row.users.status !== 'active') {
    await db.delete(userSessions).where(eq(userSessions.id, id));
    return null;
  }
  // One write a minute at most per session: enough for a 30-minute idle timeout.
  if (now.getTime() - row.user_sessions.lastSeenAt.getTime() > 60_000)
    await db.update(userSessions).set({ lastSeenAt: now }).where(eq(userSessions.id, id));
  // ACC-1: a learner who has not accepted the terms' current version is asked to (termsGate).
  return { sessionId: id, user: row.users, termsToAccept: row.users.role === 'learner' && !row.consents };
}

/** Ends a session; says which provider it signed in with, and its ID token (ACC-13's logout at the provider). */
export async function endSession(db: Db, sessionId: string): Promise<{ identityProvider: string | null; idToken: string | null } | undefined> {
  const [ended] = await db
    .delete(userSessions)
    .where(eq(userSessions.id, sessionId))
    .returning({ identityProvider: userSessions.identityProvider, idToken: userSessions.idToken });
  return ended;
}

/** Ends every session of a person (but `keepSessionId`, if given), in the caller's transaction. */
export async function endAllSessions(tx: DbOrTx, userId: string, keepSessionId?: string): Promise<void> {
  await tx.delete(userSessions).where(and(eq(userSessions.userId, userId), keepSessionId ? ne(userSessions.id, keepSessionId) : undefined));
}

export async function listSessions(deps: Pick<AccountDeps, 'db' | 'clock'>, userId: string): Promise<SessionInfo[]> {
  return deps.db
    .select()
    .from(userSessions)
    .where(and(eq(userSessions.userId, userId), gt(userSessions.expiresAt, deps.clock.now())))
    .orderBy(desc(userSessions.lastSeenAt));
}

/** Ends one of the user's sessions (only theirs: the user id is part of the query). */
export async function endUserSession(deps: AccountDeps, input: { userId: string; sessionId: string }): Promise<void> {
  await deps.db.delete(userSessions).where(and(eq(userSessions.userId, input.userId), eq(userSessions.id, input.sessionId)));
  await audit(deps.db, deps.clock, { action: 'session.ended', actorId: input.userId, subjectId: input.userId });
}

export async function endOtherSessions(deps: AccountDeps, input: { userId: string; keepSessionId: string }): Promise<void> {
  await endAllSessions(deps.db, input.userId, input.keepSessionId);
  await audit(deps.db, deps.clock, { action: 'session.ended_others', actorId: input.userId, subjectId: input.userId });
}

/** The worker's clean-up: sessions past their maximum age or idle too long. */
export async function pruneExpiredSessions(deps: Pick<AccountDeps, 'db' | 'clock'>): Promise<void> {
  const policies = await getPolicies(deps.db);
  const now = deps.clock.now();
  const idleBefore = new Date(now.getTime() - policies.sessionIdleMinutes * 60_000);
  await deps.db.execute(sql`delete from user_sessions where expires_at <= ${now} or last_seen_at <= ${idleBefore}`);
}
