import { createHash, randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { translator, type Locale, type MessageKey } from '../../platform/i18n';
import { tokenUsable } from './accounts.rules';
import { accountTokens, type TokenPurpose } from './accounts.table';

/**
 * What the account services share: random tokens stored as their SHA-256, the single-use links
 * sent by email (activation, reset, email change), and the shape of an account email.
 */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

/** Voids the links of these purposes not used yet (a new password voids the links sent before it, ACC-4). */
export async function voidTokens(tx: DbOrTx, clock: Clock, userId: string, purposes: readonly TokenPurpose[]): Promise<void> {
  await tx
    .update(accountTokens)
    .set({ usedAt: clock.now() })
    .where(and(eq(accountTokens.userId, userId), inArray(accountTokens.purpose, [...purposes]), isNull(accountTokens.usedAt)));
}

/** Makes a single-use link token; a new link replaces the older ones of the same purpose. */
export async function issueToken(
  tx: DbOrTx,
  clock: Clock,
  options: { userId: string; purpose: TokenPurpose; validForMs: number; newEmail?: string },
): Promise<string> {
  await voidTokens(tx, clock, options.userId, [options.purpose]);
  const token = newToken();
  await tx.insert(accountTokens).values({
    userId: options.userId,
    purpose: options.purpose,
    tokenHash: sha256(token),
    newEmail: options.newEmail ?? null,
    createdAt: clock.now(),
    expiresAt: new Date(clock.now().getTime() + options.validForMs),
  });
  return token;
}

/** Marks a token used and returns it, or null when it is unknown, used or expired (ACC-3, ACC-4). */
export async function consumeToken(tx: DbOrTx, clock: Clock, token: string, purpose: TokenPurpose) {
  if (!token || token.length > 200) return null;
  const [row] = await tx
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, sha256(token)), eq(accountTokens.purpose, purpose)))
    .for('update');
  if (!row || !tokenUsable(row, clock.now())) return null;
  await tx.update(accountTokens).set({ usedAt: clock.now() }).where(eq(accountTokens.id, row.id));
  return row;
}

/** A link's row while it can still be used, without using it; else null. */
export async function usableToken(db: DbOrTx, clock: Clock, token: string, purpose: TokenPurpose) {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select()
    .from(accountTokens)
    .where(and(eq(accountTokens.tokenHash, sha256(token)), eq(accountTokens.purpose, purpose)));
  return row && tokenUsable(row, clock.now()) ? row : null;
}

/** True while a link can still be used, without using it. */
export async function tokenStillUsable(db: DbOrTx, clock: Clock, token: string, purpose: TokenPurpose): Promise<boolean> {
  return (await usableToken(db, clock, token, purpose)) !== null;
}

/** An account email in the person's language, with the service's footer. */
export function accountEmail(locale: Locale) {
  const t = translator(locale);
  return (subject: MessageKey, body: MessageKey, params: Record<string, string | number>) => ({
    subject: t(subject),
    text: `${t(body, params)}\n\n--\n${t('email.footer')}`,
  });
}
