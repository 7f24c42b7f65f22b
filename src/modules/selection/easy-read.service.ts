import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { Translator } from '../../platform/i18n';
import type { EmailAttachment } from '../../platform/outbox';
import { applicationById } from '../applications';
import { sessionsForApplications } from '../catalogue';
import { convocationAttachment, type ConvocationFacts } from './convocation.falc';
import { convocations } from './selection.table';

/** A convocation's token: what the links carry (18 random bytes, base64url; older ones are longer). */
export const convocationToken = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * SVC-7: the convocation a token names, for its public easy-read page and calendar file (the
 * token is the secret, as for the page a printed QR code opened before PAY-10), or null. A
 * convocation whose application was withdrawn or closed before the learner came says it is
 * cancelled; one whose attendance was recorded stays as it was.
 */
export async function convocationForToken(db: DbOrTx, input: { token: string; baseUrl: string }): Promise<ConvocationFacts | null> {
  if (!convocationToken.test(input.token)) return null;
  const [convocation] = await db.select().from(convocations).where(eq(convocations.token, input.token));
  if (!convocation) return null;
  const application = await applicationById(db, convocation.applicationId);
  if (!application) return null;
  const [session] = await sessionsForApplications(db, { ids: [application.sessionId] });
  if (!session) return null;
  return factsOf(convocation, session, input.baseUrl, convocation.attendance === null && application.status !== 'convoked');
}

/**
 * SVC-2: the convocation of an application whose session the service cancels, cancelled: one
 * version more of the same calendar event (same UID, SEQUENCE + 1, kept, so that the public
 * calendar file says the same), STATUS:CANCELLED, as the file the cancellation's email carries.
 * Null when the application has no convocation still to come (none, or its attendance recorded).
 * In the caller's transaction, which holds the learner's lock.
 */
export async function cancelConvocation(tx: Tx, input: { applicationId: string; baseUrl: string; now: Date }): Promise<((t: Translator) => EmailAttachment) | null> {
  const [convocation] = await tx
    .update(convocations)
    .set({ sequence: sql`${convocations.sequence} + 1` })
    .where(and(eq(convocations.applicationId, input.applicationId), isNull(convocations.attendance)))
    .returning();
  if (!convocation) return null;
  const application = await applicationById(tx, convocation.applicationId);
  const [session] = application ? await sessionsForApplications(tx, { ids: [application.sessionId] }) : [];
  if (!session) return null;
  const facts = factsOf(convocation, session, input.baseUrl, true);
  return (t) => convocationAttachment(t, facts, input.now);
}

/** What a convocation's calendar file and easy-read page say: the convocation, its session, its link. */
function factsOf(
  convocation: typeof convocations.$inferSelect,
  session: { title: string; schoolName: string },
  baseUrl: string,
  cancelled: boolean,
): ConvocationFacts {
  return {
    applicationId: convocation.applicationId,
    kind: convocation.kind,
    at: convocation.at,
    minutes: convocation.minutes,
    place: convocation.place,
    title: session.title,
    schoolName: session.schoolName,
    sequence: convocation.sequence,
    easyReadUrl: `${baseUrl}/convocation/${convocation.token}/facile`,
    cancelled,
  };
}
