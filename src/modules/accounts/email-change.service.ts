import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../../platform/audit';
import { queueEmail } from '../../platform/outbox';
import { getPolicies } from '../../platform/policies';
import { normaliseEmail } from './accounts.rules';
import { users } from './accounts.table';
import { accountEmail, consumeToken, issueToken, voidTokens } from './links';
import type { AccountDeps } from './users.service';
import { lockedUser } from './locks';
import { checkPassword } from './credentials.service';

/**
 * ACC-8: the login email changes only once the new address confirms. Asking needs the current
 * password. Whether the new address is taken is not said here (it would reveal an account); the
 * confirmation fails then. The current address is told at once, with what to do if it was not
 * its owner: a new password voids the request (ACC-4).
 */
export async function requestEmailChange(
  deps: AccountDeps,
  input: { userId: string; newEmail: string; currentPassword: string },
  ip: string | null = null,
): Promise<{ outcome: 'sent' | 'wrong_password' | 'same_email' } | { outcome: 'throttled'; retryAfterSeconds: number }> {
  const { db, clock, baseUrl } = deps;
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user) return { outcome: 'wrong_password' };
  // The current password counts as a login attempt (ASVS 3.7.1, ACC-1's back-off).
  const check = await checkPassword(deps, { email: user.email, password: input.currentPassword }, ip);
  if (!check.ok) return check.reason === 'throttled' ? { outcome: 'throttled', retryAfterSeconds: check.retryAfterSeconds } : { outcome: 'wrong_password' };
  const newEmail = normaliseEmail(input.newEmail);
  if (newEmail === user.email) return { outcome: 'same_email' };
  const policies = await getPolicies(db);
  const done = await db.transaction(async (tx) => {
    // A password changed meanwhile voided pending changes (ACC-4): this one must not slip past it.
    const current = await lockedUser(tx, { id: user.id });
    if (!current || current.passwordHash !== user.passwordHash) return false;
    const token = await issueToken(tx, clock, {
      userId: user.id,
      purpose: 'email_change',
      validForMs: policies.emailChangeLinkHours * 3_600_000,
      newEmail,
    });
    await queueEmail(tx, {
      to: newEmail,
      ...accountEmail(user.locale)('email.emailChange.subject', 'email.emailChange.body', {
        link: `${baseUrl}/compte/adresse/${token}`,
        hours: policies.emailChangeLinkHours,
      }),
    });
    await queueEmail(tx, {
      to: user.email,
      ...accountEmail(user.locale)('email.emailChangeRequested.subject', 'email.emailChangeRequested.body', {
        email: newEmail,
        hours: policies.emailChangeLinkHours,
        forgot: `${baseUrl}/mot-de-passe-oublie`,
      }),
    });
    await audit(tx, clock, { action: 'account.email_change_requested', actorId: user.id, subjectId: user.id });
    return true;
  });
  return { outcome: done ? 'sent' : 'wrong_password' };
}

/**
 * ACC-8: the link sent to the new address; the old address is told of the change. Reset links
 * sent to the old address before are void (ACC-4): the account is the new address's now.
 */
export async function confirmEmailChange(deps: AccountDeps, token: string): Promise<{ ok: true; email: string } | { ok: false }> {
  const { db, clock } = deps;
  return db.transaction(async (tx) => {
    const row = await consumeToken(tx, clock, token, 'email_change');
    if (!row?.newEmail) return { ok: false as const };
    const user = await lockedUser(tx, { id: row.userId });
    if (!user || user.status === 'closed') return { ok: false as const };
    const updated = await tx
      .update(users)
      .set({ email: row.newEmail })
      .where(
        and(
          eq(users.id, row.userId),
          sql`not exists (select 1 from users other where other.email = ${row.newEmail} and other.id <> ${row.userId})`,
        ),
      )
      .returning({ id: users.id });
    if (updated.length === 0) return { ok: false as const };
    await voidTokens(tx, clock, user.id, ['password_reset']);
    await queueEmail(tx, {
      to: user.email,
      ...accountEmail(user.locale)('email.emailChanged.subject', 'email.emailChanged.body', { email: row.newEmail }),
    });
    await audit(tx, clock, { action: 'account.email_changed', actorId: user.id, subjectId: user.id, data: { from: user.email } });
    return { ok: true as const, email: row.newEmail };
  });
}
