import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { DAY, HOUR, type Clock } from '../../platform/clock';
import { isUuid } from '../../platform/input';
import { enqueueJob, jobPending, type JobHandlers } from '../../platform/jobs';
import { getPolicies } from '../../platform/policies';
import { getUser, lockUser, parisDay, tryLockUser } from '../accounts';
import {
  applicationById,
  applicationsOf,
  emailLearner,
  hasUndecided,
  moveApplication,
  moveCheck,
  placeReleased,
  transition,
  waitingForCourse,
  waitingForEquivalents,
  type Application,
  type EmailExtra,
  type LearnerEmail,
  type ApplicationDeps,
} from '../applications';
import { systemActor } from '../applications';
import { equivalentCourseIds, lockSession as lockSessionRow, sessionsForApplications, type SessionForApplication } from '../catalogue';
import { freePlacesIn, shareIn } from './places';
import { heldShare, heldShareEnds, placesFor } from './held-share.rules';
import { prerequisitesOf } from './prerequisites';
import { offers } from './selection.table';
import { placeFreed, refillAgainSoon, REFILL_JOB } from './refill-queue';
import { responderAnswersOffer, responderJobs } from './responder.service';

export { placeFreed, REFILL_JOB };

/**
 * SEL-7, SEL-8, SEL-9: waiting lists that refill themselves. Every function here runs in one
 * transaction under the lock of the session whose places it gives, so two processes running
 * the same job, or a learner answering while the job runs, never give a place twice; and every
 * function is idempotent, so a job that crashed halfway can simply run again.
 */

export const OFFER_EXPIRY_JOB = 'selection.offer-expiry';
export const CLOSE_WAITING_LIST_JOB = 'selection.close-waiting-list';
/** SVC-5: the places held for assisted applications are released at the share's end: a refill then. */
export const SHARE_ENDS_JOB = 'selection.share-ends';

export type Offer = typeof offers.$inferSelect;

/** Of these applications, those holding an open offer (they keep it until its deadline). */
async function withOpenOffer(tx: DbOrTx, applicationIds: string[]): Promise<Set<string>> {
  if (applicationIds.length === 0) return new Set();
  const rows = await tx
    .select({ id: offers.applicationId })
    .from(offers)
    .where(and(inArray(offers.applicationId, applicationIds), eq(offers.status, 'open')));
  return new Set(rows.map((r) => r.id));
}

/** The session's waiting list in rank order, less those holding an open offer. */
async function waitingWithoutOffer(tx: DbOrTx, sessionId: number, options: { lock?: boolean } = {}): Promise<Application[]> {
  const waiting = await applicationsOf(tx, { sessionId, action: 'closeWaitingList', lock: options.lock });
  const offered = await withOpenOffer(tx, waiting.map((a) => a.id));
  return waiting.filter((a) => !offered.has(a.id));
}

async function lockSession(tx: Tx, sessionId: number): Promise<SessionForApplication | undefined> {
  await lockSessionRow(tx, sessionId);
  return (await sessionsForApplications(tx, { ids: [sessionId] }))[0];
}

/**
 * SEL-8: an application gave up what it held (a withdrawal, an absence, a declined or lapsed
 * offer, a move): its open offer is void, and the places this frees are refilled.
 */
placeReleased.subscribe(async (tx, event) => {
  const voided = await tx
    .update(offers)
    .set({ status: 'void', answeredAt: event.at })
    .where(and(eq(offers.applicationId, event.applicationId), eq(offers.status, 'open')))
    .returning({ sessionId: offers.sessionId });
  const freed = new Set([...voided.map((r) => r.sessionId), ...(event.heldSessionId ? [event.heldSessionId] : [])]);
  for (const sessionId of freed) await placeFreed(tx, event.at, sessionId);
});

/**
 * SVC-2: the session is cancelled (the caller holds its lock, then its learners'): the open offers
 * of its places end, and so do those its applications held elsewhere (an equivalent session,
 * SEL-7), whose places go to the next there. Returns the number of offers ended.
 */
export async function endOffersOfCancelledSession(tx: Tx, now: Date, input: { sessionId: number; applicationIds: string[] }): Promise<number> {
  const here = await tx
    .update(offers)
    .set({ status: 'void', answeredAt: now })
    .where(and(eq(offers.sessionId, input.sessionId), eq(offers.status, 'open')))
    .returning({ id: offers.id });
  const elsewhere = input.applicationIds.length
    ? await tx
        .update(offers)
        .set({ status: 'void', answeredAt: now })
        .where(and(inArray(offers.applicationId, input.applicationIds), eq(offers.status, 'open')))
        .returning({ sessionId: offers.sessionId })
    : [];
  for (const sessionId of new Set(elsewhere.map((r) => r.sessionId))) await placeFreed(tx, now, sessionId);
  return here.length + elsewhere.length;
}

/** SEL-9: the day after which a session's waiting list is closed (first meeting + N weeks). */
export function waitingListEnd(firstMeeting: string, weeks: number): string {
  const end = new Date(`${firstMeeting}T12:00:00Z`);
  return new Date(end.getTime() + weeks * 7 * DAY).toISOString().slice(0, 10);
}

/**
 * SEL-8 then SEL-7: gives the session's free places (capacity − accepted − enrolled − open
 * offers), first to its own waiting list in rank order, then to learners waiting for another
 * session of the same course, when the move fits their other applications (APP-2, APP-3), then
 * to those waiting in an equivalent course's sessions (also APP-5, the target's prerequisites,
 * no admission test; told by the `offer_equivalent` message). Each
 * offer has a reply deadline (policy `offerReplyHours`), an email and an expiry job. Returns the
 * number of offers made. `afterOffer` lets a test crash the job halfway. SVC-5: while the share
 * holds, the places it still holds go only to assisted applications, in the same order (the
 * others wait for the share's end, `SHARE_ENDS_JOB`).
 */
export async function refillSession(deps: ApplicationDeps, sessionId: number, faults: { afterOffer?: (n: number) => void } = {}): Promise<number> {
  const { db, clock } = deps;
  const policies = await getPolicies(db);
  return db.transaction(async (tx) => {
    const session = await lockSession(tx, sessionId);
    // SVC-2: a session the service cancelled gives no place.
    if (!session || session.cancelledAt) return 0;
    const now = clock.now();
    if (parisDay(now) > waitingListEnd(session.firstMeeting, policies.waitingListExpiryWeeks)) return 0;
    // Places are given by the selection first (SEL-1): not before it has decided every applicant.
    if (now < session.period.applicationsCloseAt) return 0;
    if (await hasUndecided(tx, sessionId)) return 0;
    let free = await freePlacesIn(tx, session);
    if (free <= 0) return 0;
    const share = await shareIn(tx, session, policies.assistedPlacesPercent);
    const mayTake = (application: Application) => placesFor({ free, assisted: application.assistedBy !== null, share, now }) > 0;
    const expiresAt = new Date(now.getTime() + policies.offerReplyHours * HOUR);
    let made = 0;
    /**
     * Offers the place to one learner, under their lock: taken first, and only if free (lock order:
     * the session, then the learner; a refill never waits for a learner another transaction holds —
     * another refill's responder, their own answer — as two refills offering the same learners in
     * two orders would wait for each other). 'busy': nothing done, the caller stops there (the
     * list's order kept) and the refill runs again shortly (`refillAgainSoon`).
     */
    const offer = async (application: Application, kind: Offer['kind'], mail: { what: LearnerEmail; extra: EmailExtra } = { what: 'offered', extra: {} }): Promise<'made' | 'skipped' | 'busy'> => {
      if (!(await tryLockUser(tx, application.learnerId))) {
        await refillAgainSoon(tx, now, sessionId);
        return 'busy';
      }
      // One open offer per application (the partial unique index): one another refill made meanwhile wins, this one skips.
      const [row] = await tx
        .insert(offers)
        .values({ applicationId: application.id, sessionId, kind, createdAt: now, expiresAt })
        .onConflictDoNothing({ target: offers.applicationId, where: sql`status = 'open'` })
        .returning();
      if (!row) return 'skipped';
      await enqueueJob(tx, { kind: OFFER_EXPIRY_JOB, payload: { offerId: row.id }, runAt: expiresAt });
      // SEL-13: the learner's preference responder may answer at once (then its summary is the email).
      const answer = await responderAnswersOffer(tx, deps, { application, sessionId });
      // Given up at once (ranked below a place the learner holds): the place is still free, for the next on the list now.
      if (answer === 'given_up') return 'skipped';
      if (answer === 'none') await emailLearner(tx, deps, await getUser(tx, application.learnerId), session, mail.what, { deadline: expiresAt, ...mail.extra });
      made++;
      free--;
      if (application.assistedBy !== null) share.assistedHolding++;
      faults.afterOffer?.(made);
      return 'made';
    };

    // SEL-8: the session's own waiting list, in rank order; one open offer per person at a time.
    for (const application of await waitingWithoutOffer(tx, sessionId)) {
      if (free <= 0) break;
      if (mayTake(application) && (await offer(application, 'waiting_list')) === 'busy') return made;
    }
    if (free <= 0) return made;

    // SEL-7: learners waiting for another session of the same course (other days or school),
    // never offered this session before, whose other applications the move fits (checked under their lock).
    const others = await waitingForCourse(tx, {
      courseId: session.courseId,
      exceptSessionId: sessionId,
      excludeIds: await offeredOrHolding(tx, sessionId),
      limit: free * 5 + 20,
    });
    for (const application of others) {
      if (free <= 0) break;
      if (!mayTake(application)) continue;
      if (!(await tryLockUser(tx, application.learnerId))) {
        await refillAgainSoon(tx, now, sessionId);
        return made;
      }
      if ((await moveCheck(tx, application, session)).ok && (await offer(application, 'equivalent')) === 'busy') return made;
    }
    if (free <= 0) return made;

    // SEL-7: then learners waiting in sessions of an equivalent course (same level, another title or
    // network), in a fair order (waitingForEquivalents), when the target asks no admission test and
    // they meet its prerequisites, within APP-2, APP-3 and APP-5.
    if (session.admissionEvaluation) return made;
    const courseIds = await equivalentCourseIds(tx, session.courseId);
    if (courseIds.length === 0) return made;
    const candidates = await waitingForEquivalents(tx, { courseIds, targetSessionId: sessionId, excludeIds: await offeredOrHolding(tx, sessionId), limit: free * 5 + 20 });
    const today = parisDay(now);
    for (const application of candidates) {
      if (free <= 0) break;
      if (!mayTake(application)) continue;
      // Lock order: the session, then the learner. Never waiting for a learner another transaction
      // holds (another refill offering them a place, their own answer): stop here, keep the order,
      // and try again shortly.
      if (!(await tryLockUser(tx, application.learnerId))) {
        await refillAgainSoon(tx, now, sessionId);
        break;
      }
      const fresh = await applicationById(tx, application.id);
      if (!fresh || fresh.status !== application.status || (await withOpenOffer(tx, [fresh.id])).size > 0) continue;
      if (!(await meetsEquivalentCourse(tx, fresh, session))) continue;
      if (!(await moveCheck(tx, fresh, session, { cap: { max: policies.maxActiveApplications, today } })).ok) continue;
      const [own] = await sessionsForApplications(tx, { ids: [fresh.sessionId] });
      await offer(fresh, 'equivalent', {
        what: 'offer_equivalent',
        extra: { ownTitle: own?.title ?? '', from: (t) => t.date(session.firstMeeting), to: (t) => t.date(session.lastMeeting) },
      });
    }
    return made;
  });
}

/**
 * SEL-1 for SEL-7: does this learner, waiting for another course, meet the equivalent course's
 * prerequisites? Its previous level, when it has one, is the same as their own course's (already
 * checked at their selection, a coordinator's override included) or one they passed; and they
 * have not used up its repeats (CERT-3).
 */
async function meetsEquivalentCourse(tx: Tx, application: Application, target: SessionForApplication): Promise<boolean> {
  const [own] = await sessionsForApplications(tx, { ids: [application.sessionId] });
  const check = (await prerequisitesOf(tx, target, [application])).get(application.id);
  if (!own || !check || check.repeatLimit) return false;
  return check.automatic || target.previousCourseId === own.previousCourseId;
}

/**
 * SEL-7: the applications not to offer `sessionId`: those holding an open offer, wherever it is
 * (one at a time: an equivalent course's session may hold it), and those offered it before
 * (never twice).
 */
async function offeredOrHolding(tx: DbOrTx, sessionId: number): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ id: offers.applicationId })
    .from(offers)
    .where(sql`(${offers.status} = 'open' or ${offers.sessionId} = ${sessionId})`);
  return rows.map((r) => r.id);
}

export type OfferFailure = { ok: false; code: 'not_found' | 'expired' | 'conflict' };

/** An offer and its application, both locked, in the caller's transaction (the session's lock held). */
async function lockedOffer(tx: Tx, offerId: string): Promise<{ offer: Offer; application: Application } | null> {
  // Lock order: the session (the caller's), the learner, the offer, the application.
  const [peek] = await tx.select({ applicationId: offers.applicationId }).from(offers).where(eq(offers.id, offerId));
  const owner = peek && (await applicationById(tx, peek.applicationId));
  if (!owner) return null;
  await lockUser(tx, owner.learnerId);
  const [offer] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
  const application = await applicationById(tx, offer.applicationId, { lock: true });
  return application ? { offer, application } : null;
}

/**
 * SEL-7, SEL-8: the learner answers an offer. Accepting takes the place (and, for an equivalent
 * session, moves the application there, history kept); declining a place from one's own waiting
 * list closes the application as a withdrawal, declining an equivalent session keeps one's place
 * on one's own list. Either way a declined place goes to the next. Answering twice answers as the
 * first time; an offer past its deadline is expired here and then.
 */
export async function answerOffer(
  deps: ApplicationDeps,
  input: { learnerId: string; offerId: string; accept: boolean },
): Promise<{ ok: true; accepted: boolean } | OfferFailure> {
  const { db, clock } = deps;
  if (!isUuid(input.offerId)) return { ok: false, code: 'not_found' };
  const [found] = await db.select({ sessionId: offers.sessionId }).from(offers).where(eq(offers.id, input.offerId));
  if (!found) return { ok: false, code: 'not_found' };
  return db.transaction(async (tx) => {
    const session = (await lockSession(tx, found.sessionId))!;
    const row = await lockedOffer(tx, input.offerId);
    if (!row || row.application.learnerId !== input.learnerId) return { ok: false as const, code: 'not_found' as const };
    const { offer, application } = row;
    if (offer.status === 'accepted') return { ok: true as const, accepted: true };
    if (offer.status === 'declined') return { ok: true as const, accepted: false };
    if (offer.status !== 'open') return { ok: false as const, code: 'expired' as const };
    const now = clock.now();
    const learner = { id: input.learnerId, role: 'learner' as const };
    const facts = { offer };
    if (now >= offer.expiresAt) {
      await lapse(tx, deps, offer, application);
      return { ok: false as const, code: 'expired' as const };
    }
    if (!input.accept) {
      await tx.update(offers).set({ status: 'declined', answeredAt: now }).where(eq(offers.id, offer.id));
      const [own] = await sessionsForApplications(tx, { ids: [application.sessionId] });
      await transition(tx, deps, { application, action: 'declineOffer', actor: learner, session: own, facts, reason: 'offer_declined', email: null });
      await placeFreed(tx, now, offer.sessionId);
      return { ok: true as const, accepted: false };
    }
    await tx.update(offers).set({ status: 'accepted', answeredAt: now }).where(eq(offers.id, offer.id));
    if (offer.kind === 'equivalent') {
      // SEL-7: to an equivalent course, APP-5 is checked again too (the offer's check may be old).
      const cap = session.courseId !== application.courseId ? { max: (await getPolicies(tx)).maxActiveApplications, today: parisDay(now) } : undefined;
      const moved = await moveApplication(tx, deps, { application, action: 'acceptOffer', to: session, actor: learner, facts, reason: 'offer_accepted', email: 'accepted', cap });
      if (!moved.ok) throw new OfferConflict();
    } else {
      const done = await transition(tx, deps, { application, action: 'acceptOffer', actor: learner, session, facts, reason: 'offer_accepted' });
      if (!done.ok) throw new OfferConflict();
    }
    return { ok: true as const, accepted: true };
  }).catch((error: unknown) => {
    if (error instanceof OfferConflict) return { ok: false as const, code: 'conflict' as const };
    throw error;
  });
}

/** Rolls back an acceptance the move refuses (APP-2, APP-3): nothing of it is kept. */
class OfferConflict extends Error {}

/**
 * An offer not answered in time: the place passes to the next (a refill is queued). A learner
 * offered a place from their own list loses it and their application closes as a withdrawal;
 * one offered an equivalent session stays on their own list.
 */
async function lapse(tx: Tx, deps: ApplicationDeps, offer: Offer, application: Application) {
  const now = deps.clock.now();
  await tx.update(offers).set({ status: 'expired', answeredAt: now }).where(eq(offers.id, offer.id));
  const [own] = await sessionsForApplications(tx, { ids: [application.sessionId] });
  const ownList = offer.kind === 'waiting_list';
  await transition(tx, deps, {
    application,
    action: 'lapseOffer',
    actor: systemActor,
    session: own,
    facts: { offer },
    reason: 'offer_expired',
    email: ownList ? 'offer_expired' : null,
  });
  await placeFreed(tx, now, offer.sessionId);
}

/** The expiry job of one offer: lapses it if it is still open at its deadline. */
export async function expireOffer(deps: ApplicationDeps, offerId: string): Promise<boolean> {
  const { db, clock } = deps;
  const [found] = await db.select({ sessionId: offers.sessionId }).from(offers).where(eq(offers.id, offerId));
  if (!found) return false;
  return db.transaction(async (tx) => {
    await lockSession(tx, found.sessionId);
    const row = await lockedOffer(tx, offerId);
    if (!row || row.offer.status !== 'open' || clock.now() < row.offer.expiresAt) return false;
    await lapse(tx, deps, row.offer, row.application);
    return true;
  });
}

/**
 * SEL-9: three weeks (policy) after the session started, the applications still waiting close as
 * "lack of places", without email; the learner sees it in their account. A learner holding an
 * open offer keeps it until its deadline. Before the day, the job puts itself back.
 */
export async function closeWaitingList(deps: ApplicationDeps, sessionId: number): Promise<number> {
  const { db, clock } = deps;
  const policies = await getPolicies(db);
  return db.transaction(async (tx) => {
    const session = await lockSession(tx, sessionId);
    if (!session) return 0;
    const end = waitingListEnd(session.firstMeeting, policies.waitingListExpiryWeeks);
    if (parisDay(clock.now()) <= end) {
      await scheduleWaitingListEnd(tx, session, policies.waitingListExpiryWeeks);
      return 0;
    }
    const waiting = await waitingWithoutOffer(tx, sessionId, { lock: true });
    for (const application of waiting)
      await transition(tx, deps, { application, action: 'closeWaitingList', actor: systemActor, session, reason: 'waiting_list_expired' });
    return waiting.length;
  });
}

/** Queues SEL-9's closing of a session's waiting list for the day after its end. */
export async function scheduleWaitingListEnd(tx: Tx, session: Pick<SessionForApplication, 'id' | 'firstMeeting'>, weeks: number) {
  const day = waitingListEnd(session.firstMeeting, weeks);
  const runAt = new Date(new Date(`${day}T00:00:00Z`).getTime() + DAY);
  if (!(await jobPending(tx, { kind: CLOSE_WAITING_LIST_JOB, payload: { sessionId: session.id }, runAtFrom: runAt })))
    await enqueueJob(tx, { kind: CLOSE_WAITING_LIST_JOB, payload: { sessionId: session.id }, runAt });
}

/**
 * SVC-5: once a session is decided, its held share (if the policy holds one) ends at its date: a
 * refill is queued for then, which gives what the share still holds to the waiting lists.
 */
export async function scheduleShareRelease(tx: Tx, now: Date, session: Pick<SessionForApplication, 'id' | 'capacity' | 'period'>) {
  if (heldShare(session.capacity, (await getPolicies(tx)).assistedPlacesPercent) === 0) return;
  const runAt = heldShareEnds(session.period);
  if (runAt <= now) return;
  if (!(await jobPending(tx, { kind: SHARE_ENDS_JOB, payload: { sessionId: session.id }, runAtFrom: runAt })))
    await enqueueJob(tx, { kind: SHARE_ENDS_JOB, payload: { sessionId: session.id }, runAt });
}

const positiveInt = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/** The jobs of this file, for the worker. */
export function waitingListJobs(deps: ApplicationDeps): JobHandlers {
  return {
    // SEL-13: what a refill left to the learner's preference responder.
    ...responderJobs(deps),
    [REFILL_JOB]: async (payload) => {
      const id = positiveInt(payload.sessionId);
      if (id) await refillSession(deps, id);
    },
    [OFFER_EXPIRY_JOB]: async (payload) => {
      if (typeof payload.offerId === 'string') await expireOffer(deps, payload.offerId);
    },
    [CLOSE_WAITING_LIST_JOB]: async (payload) => {
      const id = positiveInt(payload.sessionId);
      if (id) await closeWaitingList(deps, id);
    },
    [SHARE_ENDS_JOB]: async (payload) => {
      const id = positiveInt(payload.sessionId);
      if (id) await refillSession(deps, id);
    },
  };
}
