import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildStaff, emailsTo } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { connect, type Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { resetPolicy, setPolicy } from '../../platform/policies';
import * as apps from '../applications/applications.service';
import { applicationEvents, applications } from '../applications/applications.table';
import { declareEquivalence } from '../catalogue/equivalences.service';
import { courseSessions, courses } from '../catalogue/catalogue.table';
import { decideSession } from './selection.service';
import { offers } from './selection.table';
import { placesHeld } from './places';
import { answerOffer, refillSession } from './waiting-list.service';

describe('equivalent courses: a full session’s waiting list is offered places in an equivalent course (SEL-7)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps & { clock: FixedClock };
  type Applicant = Awaited<ReturnType<typeof confirmedApplicants>>[number];
  const cohorts: Record<string, Applicant[]> = {};

  const sessionId = async (code: string) => (await database.db.select().from(courseSessions).where(eq(courseSessions.code, code)))[0].id;
  const courseId = async (code: string) => (await database.db.select().from(courses).where(eq(courses.code, code)))[0].id;
  const row = async (applicationId: string) => (await database.db.select().from(applications).where(eq(applications.id, applicationId)))[0];
  const openOffersIn = async (code: string) =>
    database.db
      .select()
      .from(offers)
      .where(and(eq(offers.sessionId, await sessionId(code)), eq(offers.status, 'open')));
  const waitingIn = async (code: string) =>
    (await database.db.select().from(applications).where(and(eq(applications.sessionId, await sessionId(code)), eq(applications.status, 'waiting_list')))).sort(
      (a, b) => a.waitingRank! - b.waitingRank!,
    );
  const learnerOf = (applicationId: string) => Object.values(cohorts).flat().find((a) => a.applicationId === applicationId)!;
  /** A learner of `cohort` also applies (confirmed) to `sessionCode`. */
  const alsoApplies = async (applicant: Applicant, sessionCode: string) => {
    const pre = await apps.preselectSession(deps, { learnerId: applicant.learnerId, sessionCode });
    assert.ok(pre.ok, JSON.stringify(pre));
    await apps.saveAnswers(deps, { learnerId: applicant.learnerId, applicationId: pre.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: applicant.learnerId, applicationId: pre.applicationId }), { ok: true });
  };

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      // The main pair: QA1 full (1 place, 4 applicants), QB1 (an equivalent course) empty with 2 places.
      { code: 'QA1', course: 'QA', weekday: 1, startsAt: '10:00', endsAt: '12:00' },
      { code: 'QB1', course: 'QB', weekday: 2, startsAt: '10:00', endsAt: '12:00' },
      // APP-2: RA1's learners also applied to RB (RB1); RB ≡ RA.
      { code: 'RA1', course: 'RA', weekday: 3, startsAt: '10:00', endsAt: '12:00' },
      { code: 'RB1', course: 'RB', weekday: 4, startsAt: '10:00', endsAt: '12:00' },
      // APP-3: SA1's learners hold SC1, which meets when SB1 (SB ≡ SA) does.
      { code: 'SA1', course: 'SA', weekday: 5, startsAt: '10:00', endsAt: '12:00' },
      { code: 'SB1', course: 'SB', weekday: 6, startsAt: '10:00', endsAt: '12:00' },
      { code: 'SC1', course: 'SC', weekday: 6, startsAt: '11:00', endsAt: '13:00' },
      // APP-5: TA1's learners hold two other applications (TX1, TY1); TB ≡ TA.
      { code: 'TA1', course: 'TA', weekday: 1, startsAt: '14:00', endsAt: '16:00' },
      { code: 'TB1', course: 'TB', weekday: 2, startsAt: '14:00', endsAt: '16:00' },
      { code: 'TX1', course: 'TX', weekday: 3, startsAt: '14:00', endsAt: '16:00' },
      { code: 'TY1', course: 'TY', weekday: 4, startsAt: '14:00', endsAt: '16:00' },
      // Concurrency: one learner waiting on UA1; two sessions of UB (≡ UA) with a place each.
      { code: 'UA1', course: 'UA', weekday: 5, startsAt: '14:00', endsAt: '16:00' },
      { code: 'UB1', course: 'UB', weekday: 6, startsAt: '14:00', endsAt: '16:00' },
      { code: 'UB2', course: 'UB', weekday: 7, startsAt: '14:00', endsAt: '16:00' },
      // SEL-1: VB (≡ VA) has an admission test: no equivalent offers into it.
      { code: 'VA1', course: 'VA', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'VB1', course: 'VB', weekday: 2, startsAt: '18:00', endsAt: '20:00' },
    ]);
    for (const [code, capacity] of [['QA1', 1], ['QB1', 2], ['RA1', 1], ['RB1', 3], ['SA1', 1], ['SB1', 1], ['TA1', 1], ['TB1', 1], ['UA1', 1], ['UB1', 1], ['UB2', 1], ['VA1', 1], ['VB1', 1]] as const)
      await setCapacity(database.db, code, capacity);
    await database.db.update(courses).set({ admissionTest: 'interview' }).where(eq(courses.code, 'VB'));
    const admin = await buildStaff(database.db, clock, 'admin');
    const actor = { id: admin.userId, scope: { all: true as const } };
    for (const [a, b] of [['QA', 'QB'], ['RB', 'RA'], ['SA', 'SB'], ['TA', 'TB'], ['UA', 'UB'], ['VA', 'VB']])
      assert.deepEqual(await declareEquivalence(deps, { actor, course: a, equivalentCourse: b }), { ok: true });
    cohorts.QA1 = await confirmedApplicants(deps, 'QA1', 4);
    cohorts.RA1 = await confirmedApplicants(deps, 'RA1', 2);
    for (const a of cohorts.RA1) await alsoApplies(a, 'RB1');
    cohorts.SA1 = await confirmedApplicants(deps, 'SA1', 2);
    for (const a of cohorts.SA1) await alsoApplies(a, 'SC1');
    cohorts.TA1 = await confirmedApplicants(deps, 'TA1', 2);
    for (const a of cohorts.TA1) for (const code of ['TX1', 'TY1']) await alsoApplies(a, code);
    cohorts.UA1 = await confirmedApplicants(deps, 'UA1', 2);
    cohorts.VA1 = await confirmedApplicants(deps, 'VA1', 2);
    await closeOpenPeriod(database.db, clock);
    const staff = { id: admin.userId, role: 'admin' as const };
    for (const code of ['QA1', 'QB1', 'RA1', 'RB1', 'SA1', 'SB1', 'SC1', 'TA1', 'TB1', 'UA1', 'UB1', 'UB2', 'VA1', 'VB1'])
      assert.ok((await decideSession(deps, { staff, sessionCode: code })).ok, code);
  });
  after(() => database.close());

  it('SEL-7 a full session’s waiting list is offered the free places of an equivalent course’s session, in rank order, told it is another course', async () => {
    const waiting = await waitingIn('QA1');
    assert.equal(waiting.length, 3);
    assert.equal(await refillSession(deps, await sessionId('QB1')), 2);
    const made = await openOffersIn('QB1');
    assert.deepEqual(made.map((o) => o.applicationId).sort(), waiting.slice(0, 2).map((a) => a.id).sort(), 'the first two of QA1’s list');
    assert.ok(made.every((o) => o.kind === 'equivalent'));
    const [mail] = await emailsTo(database.db, learnerOf(waiting[0].id).email);
    assert.match(mail.subject, /cours équivalent : Cours QB/);
    assert.match(mail.text, /« Cours QA »/);
    assert.match(mail.text, /« Cours QB »/);
    const view = (await apps.listApplications(database.db, clock, learnerOf(waiting[0].id).learnerId)).find((a) => a.id === waiting[0].id)!;
    assert.equal(view.offer?.session.code, 'QB1', 'the learner’s page shows the offer and its session');
    assert.notEqual(view.offer?.session.courseId, view.courseId, 'of another course');
    assert.equal(await refillSession(deps, await sessionId('QB1')), 0, 'run again, nothing more: each place offered once');
  });

  it('SEL-7 accepting moves the application to the equivalent course’s session, its answers and history kept, the event saying from which course to which', async () => {
    const [first] = await waitingIn('QA1');
    const before = await row(first.id);
    const offer = (await openOffersIn('QB1')).find((o) => o.applicationId === first.id)!;
    assert.deepEqual(await answerOffer(deps, { learnerId: first.learnerId, offerId: offer.id, accept: true }), { ok: true, accepted: true });
    const moved = await row(first.id);
    assert.equal(moved.status, 'accepted');
    assert.equal(moved.sessionId, await sessionId('QB1'));
    assert.equal(moved.courseId, await courseId('QB'));
    assert.deepEqual([moved.situation, moved.objective, moved.motivations, moved.confirmedAt?.getTime()], [before.situation, before.objective, before.motivations, before.confirmedAt?.getTime()]);
    const history = await database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, first.id)).orderBy(applicationEvents.id);
    assert.deepEqual(history.map((e) => e.toStatus), ['preselected', 'confirmed', 'waiting_list', 'accepted']);
    assert.deepEqual(history.at(-1)!.details?.course, { from: { code: 'QA', title: 'Cours QA' }, to: { code: 'QB', title: 'Cours QB' } });
    assert.equal((await placesHeld(database.db, [await sessionId('QB1')])).get(await sessionId('QB1')), 2, 'the place taken, the other still offered');
  });

  it('SEL-7 declining keeps the learner’s own place on their list; that session is never offered to them again', async () => {
    const [second, third] = await waitingIn('QA1');
    const offer = (await openOffersIn('QB1')).find((o) => o.applicationId === second.id)!;
    assert.deepEqual(await answerOffer(deps, { learnerId: second.learnerId, offerId: offer.id, accept: false }), { ok: true, accepted: false });
    const kept = await row(second.id);
    assert.equal(kept.status, 'waiting_list');
    assert.equal(kept.sessionId, await sessionId('QA1'));
    assert.equal(kept.waitingRank, second.waitingRank, 'same rank on their own list');
    assert.equal(await refillSession(deps, await sessionId('QB1')), 1);
    const [next] = await openOffersIn('QB1');
    assert.equal(next.applicationId, third.id, 'the declined place goes to the next, not back to them');
  });

  it('APP-2 a learner who already has an application for the equivalent course is not offered its place', async () => {
    const waiting = await waitingIn('RA1');
    assert.equal(waiting.length, 1);
    assert.equal((await waitingIn('RB1')).length, 0);
    assert.equal(await refillSession(deps, await sessionId('RB1')), 0);
    assert.equal((await openOffersIn('RB1')).length, 0);
  });

  it('APP-3 a learner whose other application meets at the same time as the equivalent session is not offered it', async () => {
    assert.equal((await waitingIn('SA1')).length, 1);
    assert.equal(await refillSession(deps, await sessionId('SB1')), 0);
    assert.equal((await openOffersIn('SB1')).length, 0);
  });

  it('APP-5 a learner at the cap of applications (besides this one) is not offered a place in an equivalent course', async () => {
    const [waiting] = await waitingIn('TA1');
    await setPolicy(database.db, 'maxActiveApplications', 2);
    try {
      assert.equal(await refillSession(deps, await sessionId('TB1')), 0, 'two others count toward a cap of two');
    } finally {
      await resetPolicy(database.db, 'maxActiveApplications');
    }
    assert.equal(await refillSession(deps, await sessionId('TB1')), 1, 'with the cap of three, there is room');
    assert.equal((await openOffersIn('TB1'))[0].applicationId, waiting.id);
  });

  it('SEL-1 SEL-7 a course with an admission test or interview gets no offers from an equivalent course’s list', async () => {
    assert.equal((await waitingIn('VA1')).length, 1);
    assert.equal(await refillSession(deps, await sessionId('VB1')), 0);
  });

  it('SEL-6 SEL-7 two refills of two sessions offering to the same learner at once never give them two places', async () => {
    const [waiting] = await waitingIn('UA1');
    const pools = [connect(database.url, { max: 2 }), connect(database.url, { max: 2 })];
    try {
      const [ub1, ub2] = [await sessionId('UB1'), await sessionId('UB2')];
      await Promise.all([refillSession({ ...deps, db: pools[0].db }, ub1), refillSession({ ...deps, db: pools[1].db }, ub2)]);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
    const open = await database.db.select().from(offers).where(and(eq(offers.applicationId, waiting.id), eq(offers.status, 'open')));
    assert.equal(open.length, 1, 'one offer, in one of the two sessions');
    const other = open[0].sessionId === (await sessionId('UB1')) ? 'UB2' : 'UB1';
    assert.deepEqual(await answerOffer(deps, { learnerId: waiting.learnerId, offerId: open[0].id, accept: true }), { ok: true, accepted: true });
    assert.equal(await refillSession(deps, await sessionId(other)), 0, 'once placed, the other session offers them nothing');
    const held = await database.db.select().from(applications).where(and(eq(applications.learnerId, waiting.learnerId), eq(applications.status, 'accepted')));
    assert.equal(held.length, 1, 'one place');
  });
});
