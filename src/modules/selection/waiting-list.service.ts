import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database';
import { DAY, HOUR, type Clock } from '../../platform/clock';
import { enqueueJob, type JobHandlers } from '../../platform/jobs';
import { getPolicies } from '../../platform/policies';
import { getUser, parisDay } from '../accounts';
import {
  closeAsWithdrawal,
  emailLearner,
  moveApplication,
  moveCheck,
  moveTo,
  REFILL_JOB,
  placeFreed,
  takenPlaces,
  type Application,
  type ApplicationDeps,
} from '../applications/applications.service';
import { applications } from '../applications/applications.table';
import { sessionsForApplications, type SessionForApplication } from '../catalogue/catalogue.service';
import { offers } from './selection.table';

/**
 * SEL-7, SEL-8, SEL-9: waiting lists that refill themselves. Every function here runs in one
 * transaction under the lock of the session whose places it gives, so two processes running
 * the same job, or a learner answering while the job runs, never give a place twice; and every
 * function is idempotent, so a job that crashed halfway can simply run again.
 */

export const OFFER_EXPIRY_JOB = 'selection.offer-expiry';
export const CLOSE_WAITING_LIST_JOB = 'selection.close-waiting-list';

export type Offer = typeof offers.$inferSelect;

/** The session's waiting list, less those holding an open offer (they keep it until its deadline). */
const waitingWithoutOffer = (sessionId: number) =>
  and(
    eq(applications.sessionId, sessionId),
    eq(applications.status, 'waiting_list'),
    sql`not exists (select 1 from offers o where o.application_id = ${applications.id} and o.status = 'open')`,
  );

async function lockSession(tx: Tx, sessionId: number): Promise<SessionForApplication | undefined> {
  await tx.execute(sql`select id from course_sessions where id = ${sessionId} for update`);
  return (await sessionsForApplications(tx, { ids: [sessionId] }))[0];
}

/** SEL-9: the day after which a session's waiting list is closed (first meeting + N weeks). */
export function waitingListEnd(firstMeeting: string, weeks: number): string {
  const end = new Date(`${firstMeeting}T12:00:00Z`);
  return new Date(end.getTime() + weeks * 7 * DAY).toISOString().slice(0, 10);
}

/**
 * SEL-8 then SEL-7: gives the session's free places (capacity − accepted − enrolled − open
 * offers), first to its own waiting list in rank order, then to learners waiting for another
 * session of the same course, when the move fits their other applications (APP-2, APP-3). Each
 * offer has a reply deadline (policy `offerReplyHours`), an email and an expiry job. Returns the
 * number of offers made. `afterOffer` lets a test crash the job halfway.
 */
export async function refillSession(deps: ApplicationDeps, sessionId: number, faults: { afterOffer?: (n: number) => void } = {}): Promise<number> {
  const { db, clock } = deps;
  const policies = await getPolicies(db);
  return db.transaction(async (tx) => {
    const session = await lockSession(tx, sessionId);
    if (!session) return 0;
    const now = clock.now();
    if (parisDay(now) > waitingListEnd(session.firstMeeting, policies.waitingListExpiryWeeks)) return 0;
    // Places are given by the selection first (SEL-1): not before it has decided every applicant.
    if (now < session.period.applicationsCloseAt) return 0;
    const undecidedLeft = await tx.execute(sql`select 1 from applications where session_id = ${sessionId} and status in ('confirmed', 'convoked') limit 1`);
    if (undecidedLeft.rows.length) return 0;
    let free = session.capacity - (await takenPlaces(tx, sessionId));
    if (free <= 0) return 0;
    const expiresAt = new Date(now.getTime() + policies.offerReplyHours * HOUR);
    let made = 0;
    const offer = async (application: Application, kind: Offer['kind']) => {
      const [row] = await tx.insert(offers).values({ applicationId: application.id, sessionId, kind, createdAt: now, expiresAt }).returning();
      await enqueueJob(tx, { kind: OFFER_EXPIRY_JOB, payload: { offerId: row.id }, runAt: expiresAt });
      await emailLearner(tx, deps, await getUser(tx, application.learnerId), session, 'offered', { deadline: expiresAt });
      made++;
      free--;
      faults.afterOffer?.(made);
    };

    // SEL-8: the session's own waiting list, in rank order; one open offer per person at a time.
    const own = await tx
      .select()
      .from(applications)
      .where(
        waitingWithoutOffer(sessionId),
      )
      .orderBy(asc(applications.waitingRank), asc(applications.id))
      .limit(free);
    for (const application of own) await offer(application, 'waiting_list');
    if (free <= 0) return made;

    // SEL-7: learners waiting for another session of the same course (other days or school),
    // never offered this session before, whose other applications the move fits.
    const others = await tx
      .select()
      .from(applications)
      .where(
        and(
          eq(applications.courseId, session.courseId),
          sql`${applications.sessionId} <> ${sessionId}`,
          eq(applications.status, 'waiting_list'),
          sql`not exists (select 1 from offers o where o.application_id = ${applications.id} and (o.status = 'open' or o.session_id = ${sessionId}))`,
        ),
      )
      .orderBy(asc(applications.waitingRank), asc(applications.id))
      .limit(free * 5 + 20);
    for (const application of others) {
      if (free <= 0) break;
      if ((await moveCheck(tx, application, session)).ok) await offer(application, 'equivalent');
    }
    return made;
  });
}

export type OfferFailure = { ok: false; code: 'not_found' | 'expired' | 'conflict' };

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
  if (!/^[0-9a-f-]{36}$/i.test(input.offerId)) return { ok: false, code: 'not_found' };
  const [found] = await db.select({ sessionId: offers.sessionId }).from(offers).where(eq(offers.id, input.offerId));
  if (!found) return { ok: false, code: 'not_found' };
  const result = await db.transaction(async (tx) => {
    const session = (await lockSession(tx, found.sessionId))!;
    const [row] = await tx
      .select({ offer: offers, application: applications })
      .from(offers)
      .innerJoin(applications, eq(applications.id, offers.applicationId))
      .where(and(eq(offers.id, input.offerId), eq(applications.learnerId, input.learnerId)))
      .for('update');
    if (!row) return { ok: false as const, code: 'not_found' as const };
    const { offer, application } = row;
    if (offer.status === 'accepted') return { ok: true as const, accepted: true };
    if (offer.status === 'declined') return { ok: true as const, accepted: false };
    if (offer.status !== 'open') return { ok: false as const, code: 'expired' as const };
    const now = clock.now();
    if (now >= offer.expiresAt) {
      await lapse(tx, deps, offer, application);
      return { ok: false as const, code: 'expired' as const };
    }
    if (!input.accept) {
      await tx.update(offers).set({ status: 'declined', answeredAt: now }).where(eq(offers.id, offer.id));
      if (offer.kind === 'waiting_list') await closeAsWithdrawal(tx, deps, application, { actorId: input.learnerId, reason: 'offer_declined', email: null });
      await placeFreed(tx, clock, offer.sessionId);
      return { ok: true as const, accepted: false };
    }
    if (offer.kind === 'equivalent') {
      const moved = await moveApplication(tx, deps, {
        application,
        to: session,
        status: 'accepted',
        actorId: input.learnerId,
        reason: `offer_accepted`,
        email: 'accepted',
      });
      if (!moved.ok) return { ok: false as const, code: 'conflict' as const };
    } else {
      await moveTo(tx, clock, application, { to: 'accepted', actorId: input.learnerId, reason: 'offer_accepted', set: { waitingRank: null } });
      await emailLearner(tx, deps, await getUser(tx, application.learnerId), session, 'accepted');
    }
    await tx.update(offers).set({ status: 'accepted', answeredAt: now }).where(eq(offers.id, offer.id));
    return { ok: true as const, accepted: true };
  });
  return result;
}

/**
 * An offer not answered in time: the place passes to the next (a refill is queued). A learner
 * offered a place from their own list loses it and their application closes as a withdrawal;
 * one offered an equivalent session stays on their own list.
 */
async function lapse(tx: Tx, deps: ApplicationDeps, offer: Offer, application: Application) {
  await tx.update(offers).set({ status: 'expired', answeredAt: deps.clock.now() }).where(eq(offers.id, offer.id));
  if (offer.kind === 'waiting_list' && application.status === 'waiting_list')
    await closeAsWithdrawal(tx, deps, application, { actorId: null, reason: 'offer_expired', email: 'offer_expired' });
  await placeFreed(tx, deps.clock, offer.sessionId);
}

/** The expiry job of one offer: lapses it if it is still open at its deadline. */
export async function expireOffer(deps: ApplicationDeps, offerId: string): Promise<boolean> {
  const { db, clock } = deps;
  const [found] = await db.select({ sessionId: offers.sessionId }).from(offers).where(eq(offers.id, offerId));
  if (!found) return false;
  return db.transaction(async (tx) => {
    await lockSession(tx, found.sessionId);
    const [row] = await tx
      .select({ offer: offers, application: applications })
      .from(offers)
      .innerJoin(applications, eq(applications.id, offers.applicationId))
      .where(eq(offers.id, offerId))
      .for('update');
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
    const waiting = await tx
      .select()
      .from(applications)
      .where(
        waitingWithoutOffer(sessionId),
      )
      .for('update');
    for (const application of waiting)
      await moveTo(tx, clock, application, { to: 'lack_of_places', actorId: null, reason: 'waiting_list_expired', set: { closedAt: clock.now(), waitingRank: null } });
    return waiting.length;
  });
}

/** Queues SEL-9's closing of a session's waiting list for the day after its end. */
export async function scheduleWaitingListEnd(tx: Tx, session: Pick<SessionForApplication, 'id' | 'firstMeeting'>, weeks: number) {
  const day = waitingListEnd(session.firstMeeting, weeks);
  const runAt = new Date(new Date(`${day}T00:00:00Z`).getTime() + DAY);
  const pending = await tx.execute(sql`select 1 from jobs where kind = ${CLOSE_WAITING_LIST_JOB} and done_at is null and failed_at is null and (payload->>'sessionId')::int = ${session.id} and run_at >= ${runAt}`);
  if (pending.rows.length === 0) await enqueueJob(tx, { kind: CLOSE_WAITING_LIST_JOB, payload: { sessionId: session.id }, runAt });
}

const positiveInt = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/** The jobs of this file, for the worker. */
export function waitingListJobs(deps: ApplicationDeps): JobHandlers {
  return {
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
  };
}
