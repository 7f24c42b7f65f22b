import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { buildStaff, emailsTo } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { connect, type Database } from '../../db/database';
import { DAY, FixedClock, HOUR } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { jobs } from '../../platform/platform.table';
import * as apps from '../applications/applications.service';
import { applicationEvents, applications } from '../applications/applications.table';
import { getCourseSheet, searchSessions, searchSessionsAfter } from '../catalogue/catalogue.service';
import { courseSessions } from '../catalogue/catalogue.table';
import { decideSession } from './selection.service';
import { declineChangeRequest, openChangeRequests, recordChangeRequest } from './applicants.service';
import { changeRequests, offers } from './selection.table';
import { placesHeld, placesOf } from './places';
import { answerOffer, closeWaitingList, placeFreed, refillSession, waitingListJobs } from './waiting-list.service';

describe('waiting lists (SEL-7, SEL-8, SEL-9)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps & { clock: FixedClock };
  let staff: { id: string; role: 'admin' };
  type Applicant = Awaited<ReturnType<typeof confirmedApplicants>>[number];
  const cohorts: Record<string, Applicant[]> = {};

  const sessionId = async (code: string) => (await database.db.select().from(courseSessions).where(eq(courseSessions.code, code)))[0].id;
  const heldIn = async (id: number) => (await placesHeld(database.db, [id])).get(id) ?? 0;
  const statusOf = async (applicationId: string) => (await database.db.select().from(applications).where(eq(applications.id, applicationId)))[0];
  const openOffersOf = async (code: string) =>
    database.db
      .select()
      .from(offers)
      .where(and(eq(offers.sessionId, await sessionId(code)), eq(offers.status, 'open')));
  const runJobs = async (db = database.db) => {
    let n = 0;
    for (let ran; (ran = await workJobs({ db, clock, handlers: waitingListJobs({ ...deps, db }) })) > 0; ) n += ran;
    return n;
  };

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      { code: 'W', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'E1', course: 'CE', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'E2', course: 'CE', weekday: 4, startsAt: '18:30', endsAt: '20:30' },
      { code: 'K', weekday: 3, startsAt: '09:00', endsAt: '11:00' },
      { code: 'P', weekday: 5, startsAt: '09:00', endsAt: '11:00' },
      { code: 'L1', course: 'CL', weekday: 6, startsAt: '09:00', endsAt: '11:00' },
      { code: 'L2', course: 'CL', weekday: 6, startsAt: '14:00', endsAt: '16:00' },
    ]);
    for (const [code, capacity] of [['W', 2], ['E1', 1], ['E2', 2], ['K', 3], ['P', 3], ['L1', 1], ['L2', 1]] as const) await setCapacity(database.db, code, capacity);
    cohorts.W = await confirmedApplicants(deps, 'W', 5);
    cohorts.E1 = await confirmedApplicants(deps, 'E1', 4);
    cohorts.K = await confirmedApplicants(deps, 'K', 6);
    cohorts.P = await confirmedApplicants(deps, 'P', 6);
    cohorts.L1 = await confirmedApplicants(deps, 'L1', 28);
    await closeOpenPeriod(database.db, clock);
    const admin = await buildStaff(database.db, clock, 'admin');
    staff = { id: admin.userId, role: 'admin' };
    for (const code of ['W', 'E1', 'K', 'P', 'L1']) assert.ok((await decideSession(deps, { staff, sessionCode: code })).ok);
  });
  after(() => database.close());

  const byRank = async (code: string) =>
    (await database.db.select().from(applications).where(and(eq(applications.sessionId, await sessionId(code)), eq(applications.status, 'waiting_list')))).sort(
      (a, b) => a.waitingRank! - b.waitingRank!,
    );

  it('SEL-7 learners who already declined an equivalent session never hide the next ones from it', async () => {
    // L1 is full: 27 on its list. The first 26 already declined L2 (same course); L2 has a place.
    const waiting = await byRank('L1');
    assert.equal(waiting.length, 27);
    const l2 = await sessionId('L2');
    const now = clock.now();
    await database.db.insert(offers).values(
      waiting.slice(0, 26).map((a) => ({ applicationId: a.id, sessionId: l2, kind: 'equivalent' as const, status: 'declined' as const, createdAt: now, expiresAt: now, answeredAt: now })),
    );
    assert.equal(await refillSession(deps, l2), 1);
    const [offer] = await openOffersOf('L2');
    assert.equal(offer.applicationId, waiting[26].id, 'the 27th, the first who has not declined it');
  });

  it('SEL-10 a learner who gives up their place takes their change-of-day request with them; declining it afterwards is no error', async () => {
    const [accepted] = await database.db.select().from(applications).where(and(eq(applications.sessionId, await sessionId('L1')), eq(applications.status, 'accepted')));
    assert.deepEqual(await recordChangeRequest(deps, { staff, applicationId: accepted.id, note: 'Le mardi plutôt' }), { ok: true });
    assert.equal((await openChangeRequests(database.db, staff)).filter((r) => r.applicationId === accepted.id).length, 1);
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: accepted.learnerId, applicationId: accepted.id }), { ok: true, status: 'withdrawn' });
    assert.equal((await openChangeRequests(database.db, staff)).filter((r) => r.applicationId === accepted.id).length, 0, 'closed with the withdrawal');
    const [request] = await database.db.select().from(changeRequests).where(eq(changeRequests.applicationId, accepted.id));
    assert.equal(request.status, 'declined');
    assert.deepEqual(await declineChangeRequest(deps, { staff, applicationId: accepted.id }), { ok: true }, 'a stale page answers, nothing to decline');
  });

  it('SEL-7 a full session’s waiting list is offered free places in an equivalent session of the same course', async () => {
    await runJobs();
    const e2 = await openOffersOf('E2');
    const waiting = await byRank('E1');
    assert.equal(e2.length, 2, 'E2’s two free places are offered');
    assert.deepEqual(e2.map((o) => o.applicationId).sort(), waiting.slice(0, 2).map((a) => a.id).sort(), 'to the first two of E1’s list');
    assert.ok(e2.every((o) => o.kind === 'equivalent'));
    const [first, second] = waiting;
    // Accepting moves the application to E2, accepted, its history kept.
    const learnerOf = (id: string) => cohorts.E1.find((a) => a.applicationId === id)!.learnerId;
    const offerOf = (id: string) => e2.find((o) => o.applicationId === id)!.id;
    assert.deepEqual(await answerOffer(deps, { learnerId: learnerOf(first.id), offerId: offerOf(first.id), accept: true }), { ok: true, accepted: true });
    const moved = await statusOf(first.id);
    assert.equal(moved.status, 'accepted');
    assert.equal(moved.sessionId, await sessionId('E2'));
    const history = await database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, first.id));
    assert.deepEqual(history.map((e) => e.toStatus), ['preselected', 'confirmed', 'waiting_list', 'accepted']);
    // Declining keeps the learner on their own list, and that session is not offered again.
    assert.deepEqual(await answerOffer(deps, { learnerId: learnerOf(second.id), offerId: offerOf(second.id), accept: false }), { ok: true, accepted: false });
    assert.equal((await statusOf(second.id)).status, 'waiting_list');
    await runJobs();
    const again = await openOffersOf('E2');
    assert.equal(again.length, 1, 'the declined place goes to the next');
    assert.equal(again[0].applicationId, waiting[2].id);
  });

  it('SEL-8 a place freed by a withdrawal is offered to the next on the list, by email, with the policy’s deadline', async () => {
    await runJobs();
    assert.equal((await openOffersOf('W')).length, 0, 'no place is free while the session is full');
    const accepted = (await database.db.select().from(applications).where(and(eq(applications.sessionId, await sessionId('W')), eq(applications.status, 'accepted'))))[0];
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: accepted.learnerId, applicationId: accepted.id }), { ok: true, status: 'withdrawn' });
    await runJobs();
    const [offer] = await openOffersOf('W');
    const [next] = await byRank('W');
    assert.equal(offer.applicationId, next.id);
    assert.equal(offer.expiresAt.getTime(), clock.now().getTime() + 72 * HOUR);
    const email = cohorts.W.find((a) => a.applicationId === next.id)!.email;
    const [mail] = await emailsTo(database.db, email);
    assert.match(mail.subject, /Une place vous est proposée/);
    assert.match(mail.text, /Répondez avant le/);
    assert.equal(await heldIn(await sessionId('W')), 2, 'an open offer holds its place');
    const sheet = await getCourseSheet(database.db, clock, 'C-W');
    assert.equal(sheet!.sessions[0].freePlaces, 0, 'the catalogue shows no free place while an offer holds it');
    // Decision 032: the search and the API read the places held in their own statement (the fragment); the same count as placesOf's.
    const w = await sessionId('W');
    assert.equal((await placesOf(database.db, [{ id: w, capacity: 2 }])).get(w)!.held, 2);
    const byCode = { q: '', onlyOpen: false, weekdays: [], times: [], page: 1, session: 'W' };
    assert.equal((await searchSessionsAfter(database.db, clock, byCode, { limit: 1 })).results[0].freePlaces, 0, 'the API’s window');
    assert.equal((await searchSessions(database.db, clock, byCode)).results[0].freePlaces, 0, 'the search page');
  });

  it('SEL-8 an offer not answered in time passes to the next; the first learner’s application closes as a withdrawal', async () => {
    const [lapsing] = await openOffersOf('W');
    clock.advance(72 * HOUR + 1000);
    await runJobs();
    const lapsed = await statusOf(lapsing.applicationId);
    assert.equal(lapsed.status, 'withdrawn');
    const [offer] = await openOffersOf('W');
    assert.notEqual(offer.applicationId, lapsing.applicationId);
    const email = cohorts.W.find((a) => a.applicationId === lapsing.applicationId)!.email;
    assert.match((await emailsTo(database.db, email))[0].subject, /personne suivante/);
    // A stale page: the first learner answers after the deadline.
    const learnerId = cohorts.W.find((a) => a.applicationId === lapsing.applicationId)!.learnerId;
    assert.deepEqual(await answerOffer(deps, { learnerId, offerId: lapsing.id, accept: true }), { ok: false, code: 'expired' });
    // Another learner cannot answer someone else's offer.
    assert.deepEqual(await answerOffer(deps, { learnerId, offerId: offer.id, accept: true }), { ok: false, code: 'not_found' });
    const owner = cohorts.W.find((a) => a.applicationId === offer.applicationId)!.learnerId;
    const answers = await Promise.all([1, 2, 3].map(() => answerOffer(deps, { learnerId: owner, offerId: offer.id, accept: true })));
    assert.ok(answers.every((a) => a.ok && a.accepted), 'a double click answers as the first time');
    assert.equal((await statusOf(offer.applicationId)).status, 'accepted');
    assert.equal(await heldIn(await sessionId('W')), 2);
  });

  it('SEL-8 a job that crashes halfway sends no offer and gives no place; run again, it gives each place once', async () => {
    const k = await sessionId('K');
    const [a] = (await database.db.select().from(applications).where(and(eq(applications.sessionId, k), eq(applications.status, 'accepted')))).slice(0, 1);
    await database.db.update(applications).set({ status: 'removed' }).where(eq(applications.id, a.id));
    await database.db.update(courseSessions).set({ capacity: 5 }).where(eq(courseSessions.id, k));
    const waiting = await byRank('K');
    const mailsBefore = (await Promise.all(cohorts.K.map((c) => emailsTo(database.db, c.email)))).flat().length;
    await assert.rejects(
      refillSession(deps, k, {
        afterOffer: (n) => {
          if (n === 2) throw new Error('crash');
        },
      }),
    );
    assert.equal((await openOffersOf('K')).length, 0);
    assert.equal((await Promise.all(cohorts.K.map((c) => emailsTo(database.db, c.email)))).flat().length, mailsBefore);
    assert.equal(await refillSession(deps, k), 3);
    assert.equal(await refillSession(deps, k), 0, 'a retry after success gives nothing more');
    assert.deepEqual((await openOffersOf('K')).map((o) => o.applicationId).sort(), waiting.slice(0, 3).map((w) => w.id).sort());
    assert.equal((await Promise.all(cohorts.K.map((c) => emailsTo(database.db, c.email)))).flat().length, mailsBefore + 3);
  });

  it('SEL-6 SEL-8 two app processes running the jobs at once give each free place once', async () => {
    const p = await sessionId('P');
    await database.db.update(courseSessions).set({ capacity: 6 }).where(eq(courseSessions.id, p));
    for (let i = 0; i < 6; i++) await placeFreed(database.db, clock.now(), p);
    const pools = [connect(database.url, { max: 3 }), connect(database.url, { max: 3 })];
    try {
      await Promise.all(pools.flatMap((pool) => [runJobs(pool.db), runJobs(pool.db)]));
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
    assert.equal((await openOffersOf('P')).length, 3);
    assert.equal(await heldIn(p), 6);
    const pending = await database.db.select().from(jobs).where(and(eq(jobs.kind, 'selection.refill')));
    assert.ok(pending.every((j) => j.doneAt !== null), 'every job ran to its end');
  });

  it('SEL-9 three weeks after the start, the applications still waiting close as lack of places, without email', async () => {
    const w = await sessionId('W');
    const [session] = await database.db.select().from(courseSessions).where(eq(courseSessions.id, w));
    const waiting = await byRank('W');
    assert.ok(waiting.length > 0);
    assert.equal(await closeWaitingList(deps, w), 0, 'not before the day');
    const mails = (await Promise.all(cohorts.W.map((c) => emailsTo(database.db, c.email)))).flat().length;
    clock.set(new Date(new Date(`${session.firstMeeting}T12:00:00Z`).getTime() + 22 * DAY));
    await runJobs();
    const closed = await database.db.select().from(applications).where(inArray(applications.id, waiting.map((a) => a.id)));
    assert.ok(closed.every((a) => a.status === 'lack_of_places' && a.closedAt));
    assert.equal((await Promise.all(cohorts.W.map((c) => emailsTo(database.db, c.email)))).flat().length, mails, 'no email');
  });

});
