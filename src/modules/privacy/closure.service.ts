import { eq } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { translator } from '../../platform/i18n';
import { queueEmail } from '../../platform/outbox';
import type { PersonalDataSet } from '../../platform/personal-data';
import { getPolicies, type Policies } from '../../platform/policies';
import { checkPassword, endAllSessions, getUser, hasLocalPassword, linkedProviders, lockUser, reauthenticatedSince } from '../accounts';
import { personalDataSets } from './owners';
import { accountClosures } from './privacy.table';

export interface ClosureDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  /** The data sets forgotten: every module's (`personalDataSets`) unless a test gives its own. */
  sets?: readonly PersonalDataSet[];
}

/** `alreadyClosed`: the account was closed before (closing twice changes nothing). */
export type ClosureResult = { ok: true; alreadyClosed?: true } | { ok: false; reasons: string[] };

/** Why the account cannot be closed now, from every set (message keys, each once). */
async function blocksOf(db: DbOrTx, sets: readonly PersonalDataSet[], userId: string): Promise<string[]> {
  const reasons: string[] = [];
  // One after the other: in a transaction they share one connection anyway.
  for (const set of sets) for (const reason of (await set.blocksClosure?.(db, userId)) ?? []) if (!reasons.includes(reason)) reasons.push(reason);
  return reasons;
}

async function closureOf(db: DbOrTx, userId: string) {
  const [row] = await db.select().from(accountClosures).where(eq(accountClosures.userId, userId));
  return row ?? null;
}

/** How long a re-authentication with the provider stands for the closure (the page, then the button). */
export const REAUTH_WINDOW_MS = 10 * 60_000;

export interface ClosurePage {
  blocks: string[];
  /** Confirmed by the password; else by the provider (`providers`), and `reauthenticated` once done. */
  localPassword: boolean;
  providers: string[];
  reauthenticated: boolean;
  alreadyClosed: boolean;
  policies: Pick<Policies, 'paymentRetentionYears' | 'issuedDocumentRetentionYears'>;
}

/** ACC-11: what the closure page shows: what stops it now, how it is confirmed, the periods of what is kept. */
export async function closurePage(deps: ClosureDeps, input: { userId: string; sessionId: string }): Promise<ClosurePage> {
  const { db, clock } = deps;
  const { userId } = input;
  const [blocks, localPassword, providers, reauthenticated, closed, policies] = await Promise.all([
    blocksOf(db, deps.sets ?? personalDataSets, userId),
    hasLocalPassword(db, userId),
    linkedProviders(db, userId),
    reauthenticatedSince(db, { sessionId: input.sessionId, since: new Date(clock.now().getTime() - REAUTH_WINDOW_MS) }),
    closureOf(db, userId),
    getPolicies(db),
  ]);
  return {
    blocks,
    localPassword,
    providers,
    reauthenticated,
    alreadyClosed: closed !== null,
    policies: { paymentRetentionYears: policies.paymentRetentionYears, issuedDocumentRetentionYears: policies.issuedDocumentRetentionYears },
  };
}

/**
 * ACC-11 (and ACC-14's inactive accounts, by the retention job): closes an account. In one
 * transaction, under the learner's row lock: the blocks are checked again (an application being
 * processed, fees unpaid: `{ ok: false, reasons }`, nothing changed), every set forgets the
 * learner in `personalDataSets` order (deleted, or anonymised where the law keeps it: payments,
 * attestations issued), the sessions end, an `account_closures` row says when and why (no
 * personal data), and the former address is told. The address and language are read first,
 * and the email is written after the sets have forgotten (an outbox set that clears the
 * address's messages must not take this one with them). Closing an account already closed
 * changes nothing and answers `{ ok: true, alreadyClosed: true }`.
 *
 * `stillDue` (the retention job's inactive-account rule): asked under the same lock, before
 * anything changes; false (the learner signed in since the job found the account) closes nothing
 * and answers `{ ok: false, reasons: ['privacy.closure.noLongerDue'] }`.
 */
export async function closeAccount(
  deps: ClosureDeps,
  input: { userId: string; reason: 'learner' | 'retention'; actorId?: string; stillDue?: (tx: Tx) => Promise<boolean> },
): Promise<ClosureResult> {
  const { db, clock, baseUrl } = deps;
  const sets = deps.sets ?? personalDataSets;
  const policies = await getPolicies(db);
  return db.transaction(async (tx): Promise<ClosureResult> => {
    await lockUser(tx, input.userId);
    if (await closureOf(tx, input.userId)) return { ok: true, alreadyClosed: true };
    const user = await getUser(tx, input.userId);
    if (!user) return { ok: false, reasons: ['privacy.closure.unknownAccount'] };
    if (user.role !== 'learner') return { ok: false, reasons: ['privacy.closure.staffAccount'] };
    if (input.stillDue && !(await input.stillDue(tx))) return { ok: false, reasons: ['privacy.closure.noLongerDue'] };
    const reasons = await blocksOf(tx, sets, input.userId);
    if (reasons.length) return { ok: false, reasons };
    const former = { email: user.email, locale: user.locale };
    for (const set of sets) await set.forget(tx, input.userId, clock);
    await endAllSessions(tx, input.userId);
    await tx.insert(accountClosures).values({ userId: input.userId, closedAt: clock.now(), reason: input.reason });
    const t = translator(former.locale);
    const params = { paymentYears: policies.paymentRetentionYears, documentYears: policies.issuedDocumentRetentionYears, signUp: `${baseUrl}/inscription` };
    await queueEmail(tx, {
      to: former.email,
      subject: t('privacy.closure.email.subject'),
      text: t(input.reason === 'retention' ? 'privacy.closure.email.bodyRetention' : 'privacy.closure.email.body', params),
    });
    await audit(tx, clock, {
      action: 'account.closed',
      actorId: input.actorId ?? (input.reason === 'learner' ? input.userId : null),
      subjectId: input.userId,
      data: { reason: input.reason },
    });
    return { ok: true };
  });
}

export type ConfirmedClosure =
  | ClosureResult
  | { ok: false; reason: 'wrong_password' }
  | { ok: false; reason: 'password_required' }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'reauth_required' };

/**
 * ACC-11: the learner closes their own account after typing their password again (checked as a
 * login is, ACC-1: a wrong one counts as a failed attempt, past the throttle it waits), or, for an
 * account without a password of its own, after proving it again with their provider from this
 * session (`REAUTH_WINDOW_MS`). An account with a password and none typed: `password_required`
 * (not counted as a failed login).
 */
export async function closeOwnAccount(deps: ClosureDeps, input: { userId: string; sessionId: string; password?: string; ip: string | null }): Promise<ConfirmedClosure> {
  const user = await getUser(deps.db, input.userId);
  if (!user) return { ok: false, reason: 'wrong_password' };
  if (await closureOf(deps.db, input.userId)) return { ok: true, alreadyClosed: true };
  if (!(await hasLocalPassword(deps.db, input.userId))) {
    const since = new Date(deps.clock.now().getTime() - REAUTH_WINDOW_MS);
    if (!(await reauthenticatedSince(deps.db, { sessionId: input.sessionId, since }))) return { ok: false, reason: 'reauth_required' };
    return closeAccount(deps, { userId: input.userId, reason: 'learner', actorId: input.userId });
  }
  if (!input.password) return { ok: false, reason: 'password_required' };
  const checked = await checkPassword(deps, { email: user.email, password: input.password }, input.ip);
  if (!checked.ok) return checked.reason === 'throttled' ? checked : { ok: false, reason: 'wrong_password' };
  if (checked.user.id !== input.userId) return { ok: false, reason: 'wrong_password' };
  return closeAccount(deps, { userId: input.userId, reason: 'learner', actorId: input.userId });
}
