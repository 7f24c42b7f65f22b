import { randomBytes } from 'node:crypto';
import { asc, eq, ne } from 'drizzle-orm';
import { generateSecret, generateURI } from 'otplib';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import { hashPassword } from '../../platform/passwords';
import { getPolicies } from '../../platform/policies';
import { normaliseEmail } from './accounts.rules';
import { users } from './accounts.table';
import { sendResetLink } from './credentials.service';
import { endAllSessions } from './sessions.service';
import { isUuid } from '../../platform/input';
import type { AccountDeps, User } from './users.service';

/** Staff accounts (ACC-12): made by an administrator or the CLI, never by sign-up. */

export type StaffRole = Exclude<User['role'], 'learner'>;

export interface CreatedStaff {
  userId: string;
  email: string;
  password: string;
  totpSecret: string;
  otpauthUri: string;
}

export interface NewStaffAccount {
  email: string;
  role: StaffRole;
  displayName: string;
  /** Generated (and shown once) when not given. */
  password?: string;
  totpSecret?: string;
}

/**
 * ACC-12: adds a staff account in the caller's transaction, active at once, with its TOTP
 * secret. Returns null when the address already has an account: the unique index decides, so
 * two requests at the same moment make one account and the second one gets null, never an
 * error. With `emailPasswordLink`, the person is sent a link to choose their password (the
 * generated one is seen by nobody).
 */
export async function addStaffAccount(
  tx: DbOrTx,
  deps: Pick<AccountDeps, 'clock' | 'baseUrl'>,
  input: NewStaffAccount & { emailPasswordLink?: boolean },
): Promise<CreatedStaff | null> {
  const { clock } = deps;
  const address = normaliseEmail(input.email);
  const password = input.password ?? randomBytes(12).toString('base64url');
  const totpSecret = input.totpSecret ?? generateSecret();
  const passwordHash = await hashPassword(password);
  const [user] = await tx
    .insert(users)
    .values({
      email: address,
      passwordHash,
      role: input.role,
      status: 'active',
      displayName: input.displayName,
      totpSecret,
      createdAt: clock.now(),
      activatedAt: clock.now(),
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!user) return null;
  await audit(tx, clock, { action: 'staff.created', subjectId: user.id, data: { role: input.role } });
  if (input.emailPasswordLink) await sendResetLink(tx, deps, user, await getPolicies(tx));
  const otpauthUri = generateURI({ issuer: 'Cursus', label: address, secret: totpSecret });
  return { userId: user.id, email: address, password, totpSecret, otpauthUri };
}

/** ACC-12: a staff account on its own (the CLI, the demo seed, tests). Throws if the address is taken. */
export async function createStaffAccount(deps: Pick<AccountDeps, 'db' | 'clock'>, input: NewStaffAccount): Promise<CreatedStaff> {
  const created = await deps.db.transaction((tx) => addStaffAccount(tx, { clock: deps.clock, baseUrl: '' }, input));
  if (!created) throw new Error(`An account already exists with the address ${normaliseEmail(input.email)}.`);
  return created;
}

/** A staff account by id, or null (unknown, or a learner's). */
export async function getStaffAccount(db: DbOrTx, userId: string): Promise<User | null> {
  if (!isUuid(userId)) return null;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user && user.role !== 'learner' ? user : null;
}

/** Every staff account, by role then address, for the administrator's list. */
export async function listStaffAccounts(db: DbOrTx) {
  return db
    .select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role, status: users.status })
    .from(users)
    .where(ne(users.role, 'learner'))
    .orderBy(asc(users.role), asc(users.email));
}

/**
 * Changes a staff member's name, role or whether the account is active, in the caller's
 * transaction. A disabled account's login sessions end at once.
 */
export async function updateStaffAccount(
  tx: DbOrTx,
  input: { userId: string; displayName: string; role: StaffRole; active: boolean },
): Promise<void> {
  await tx
    .update(users)
    .set({ displayName: input.displayName, role: input.role, status: input.active ? 'active' : 'disabled' })
    .where(eq(users.id, input.userId));
  if (!input.active) await endAllSessions(tx, input.userId);
}
