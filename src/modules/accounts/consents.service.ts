import { and, desc, eq, isNull, type Column } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { consentVersions, currentTerms } from './consents.rules';
import { consents, type ConsentChannel, type ConsentKind } from './consents.table';

/**
 * Consents (ACC-1, ACC-11): the terms of use and the news opt-in, each with the version of its
 * text, when and how it was given and, for the news, withdrawn. The consents table is their only
 * record: the sign-up writes them, the account page changes the news opt-in, the sign-in asks
 * for a new version of the terms.
 */
export type Consent = typeof consents.$inferSelect;

/**
 * Records a consent to the current version of its text, in the caller's transaction; nothing
 * when the same consent is already live. Returns whether a row was written.
 */
export async function giveConsent(tx: DbOrTx, clock: Clock, input: { userId: string; kind: ConsentKind; how: ConsentChannel }): Promise<boolean> {
  const written = await tx
    .insert(consents)
    .values({ userId: input.userId, kind: input.kind, version: consentVersions[input.kind], givenAt: clock.now(), givenHow: input.how })
    .onConflictDoNothing()
    .returning({ id: consents.id });
  return written.length > 0;
}

/**
 * ACC-1: the consents of a sign-up: the terms (always: the form requires them) and the news if
 * ticked. A sign-up that replaces a pending one replaces its consents too: they were given by
 * whoever signed up first, not necessarily the address's owner.
 */
export async function recordSignUpConsents(tx: DbOrTx, clock: Clock, input: { userId: string; newsOptIn: boolean; replacing: boolean }): Promise<void> {
  if (input.replacing) await tx.delete(consents).where(eq(consents.userId, input.userId));
  await giveConsent(tx, clock, { userId: input.userId, kind: 'terms', how: 'sign_up' });
  if (input.newsOptIn) await giveConsent(tx, clock, { userId: input.userId, kind: 'news', how: 'sign_up' });
}

/** ACC-11: every consent of a person, given and withdrawn, newest first. */
export async function consentsOf(db: DbOrTx, userId: string): Promise<Consent[]> {
  return db.select().from(consents).where(eq(consents.userId, userId)).orderBy(desc(consents.givenAt), desc(consents.kind));
}

/** Whether the person agrees to receive news now (a live news consent, whatever its wording's version). */
export async function receivesNews(db: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: consents.id })
    .from(consents)
    .where(and(eq(consents.userId, userId), eq(consents.kind, 'news'), isNull(consents.withdrawnAt)))
    .limit(1);
  return Boolean(row);
}

/** The join condition of a person's live consent to the terms' current version (one row at most: consents_live_key). */
export const currentTermsOf = (userId: Column | string) =>
  and(eq(consents.userId, userId), eq(consents.kind, 'terms'), eq(consents.version, currentTerms.version), isNull(consents.withdrawnAt));

/** ACC-1: whether the person has accepted the terms' current version. */
export async function acceptedCurrentTerms(db: DbOrTx, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: consents.id })
    .from(consents)
    .where(currentTermsOf(userId));
  return Boolean(row);
}

/**
 * ACC-11: the learner gives or withdraws their news opt-in from the account page. A withdrawal
 * is recorded on the consent's row (when, how), never deleted; giving it again is a new row.
 * Doing what is already done changes nothing. Audited as `consent.given` / `consent.withdrawn`.
 */
export async function setNewsConsent(deps: { db: Db; clock: Clock }, input: { userId: string; agree: boolean }): Promise<void> {
  const { db, clock } = deps;
  await db.transaction(async (tx) => {
    if (input.agree) {
      if (await receivesNews(tx, input.userId)) return;
      if (await giveConsent(tx, clock, { userId: input.userId, kind: 'news', how: 'account_page' }))
        await audit(tx, clock, { action: 'consent.given', actorId: input.userId, subjectId: input.userId, data: { kind: 'news' } });
      return;
    }
    const withdrawn = await tx
      .update(consents)
      .set({ withdrawnAt: clock.now(), withdrawnHow: 'account_page' })
      .where(and(eq(consents.userId, input.userId), eq(consents.kind, 'news'), isNull(consents.withdrawnAt)))
      .returning({ id: consents.id });
    if (withdrawn.length > 0) await audit(tx, clock, { action: 'consent.withdrawn', actorId: input.userId, subjectId: input.userId, data: { kind: 'news' } });
  });
}

/**
 * ACC-1: the learner accepts the terms' current version (asked at sign-in when it changed).
 * Accepting twice records it once. Audited as `consent.given`.
 */
export async function acceptTerms(deps: { db: Db; clock: Clock }, input: { userId: string; ip?: string | null }): Promise<void> {
  const { db, clock } = deps;
  await db.transaction(async (tx) => {
    if (await giveConsent(tx, clock, { userId: input.userId, kind: 'terms', how: 'sign_in' }))
      await audit(tx, clock, { action: 'consent.given', actorId: input.userId, subjectId: input.userId, ip: input.ip ?? null, data: { kind: 'terms', version: currentTerms.version } });
  });
}

/** The version of the terms the person accepted last, if any (to show what changed since). */
export async function lastAcceptedTerms(db: DbOrTx, userId: string): Promise<Consent | null> {
  const [row] = await db
    .select()
    .from(consents)
    .where(and(eq(consents.userId, userId), eq(consents.kind, 'terms')))
    .orderBy(desc(consents.givenAt))
    .limit(1);
  return row ?? null;
}
