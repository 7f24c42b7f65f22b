import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import type { Locale } from '../../platform/i18n';
import { normaliseEmail } from './accounts.rules';
import { users } from './accounts.table';
import { giveConsent } from './consents.service';

/** What every account action needs: the database, the clock, and where links point. */
export interface AccountDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}

export type User = typeof users.$inferSelect;

/**
 * A learner's account made directly, without the sign-up journey (the demo seed, tests): active
 * unless said otherwise, with a password hash already made (hashing is the slow part of a bulk),
 * and the terms' current version accepted.
 */
export async function addLearnerAccount(
  db: DbOrTx,
  clock: Clock,
  input: { email: string; passwordHash: string; status?: 'pending' | 'active'; mobilePhone?: string | null },
): Promise<User> {
  const status = input.status ?? 'active';
  const [user] = await db
    .insert(users)
    .values({
      email: normaliseEmail(input.email),
      passwordHash: input.passwordHash,
      status,
      mobilePhone: input.mobilePhone ?? null,
      createdAt: clock.now(),
      activatedAt: status === 'active' ? clock.now() : null,
    })
    .returning();
  await giveConsent(db, clock, { userId: user.id, kind: 'terms', how: 'created' });
  return user;
}

/** The account of an address; a closed account (ACC-11) has none and is never found. */
export async function findUserByEmail(db: DbOrTx, rawEmail: string): Promise<User | null> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.email, normaliseEmail(rawEmail)), ne(users.status, 'closed')));
  return row ?? null;
}

export async function getUser(db: DbOrTx, userId: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  return row ?? null;
}

export async function getUsers(db: DbOrTx, userIds: string[]): Promise<Map<string, User>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.select().from(users).where(inArray(users.id, userIds));
  return new Map(rows.map((u) => [u.id, u]));
}

/** SVC-4: the language a logged-in person chose, for the emails they get. */
export async function setLocale(db: DbOrTx, userId: string, locale: Locale): Promise<void> {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}
