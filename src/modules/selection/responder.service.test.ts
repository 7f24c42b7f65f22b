import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { buildLearner, buildStaff, emailsTo } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { connect, type Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { lockUser } from '../accounts';
import { jobs, outbox } from '../../platform/platform.table';
import * as apps from '../applications/applications.service';
import { applicationEvents, applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';
import { placesHeld } from './places';
import { preferencePositions, preferencesPage, savePreferences } from './responder.service';
import { decideSession } from './selection.service';
import { offers } from './selection.table';
import { answerOffer, refillSession, waitingListJobs } from './waiting-list.service';

describe('SEL-13 the preference responder (service, on the database)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps & { clock: FixedClock };
  let staff: { id: string; role: 'admin' };
  /** One learner of each scenario, with an application per session code. */
  const learners: Record<string, { id: string; email: string; app: Record<string, string> }> = {};
  const others: Record<string, Awaited<ReturnType<typeof confirmedApplicants>>> = {};

  const sessionId = async (code: string) => (await database.db.select().from(courseSessions).where(eq(courseSessions.code, code)))[0].id;
  const heldIn = async (code: string) => {
    const id = await sessionId(code);
    return (await placesHeld(database.db, [id])).get(id) ?? 0;
  };
  const row = async (applicationId: string) => (await database.db.select().from(applications).where(eq(applications.id, applicationId)))[0];
  const openOffersIn = async (code: string) => database.db.select().from(offers).where(and(eq(offers.sessionId, await sessionId(code)), eq(offers.status, 'open')));
  const runJobs = async () => {
    for (let ran; (ran = await workJobs({ db: database.db, clock, handlers: waitingListJobs(deps) })) > 0; );
  };
  const pendingJobs = async () => (await database.db.execute(`select count(*)::int as n from jobs where done_at is null and failed_at is null and run_at <= now() + interval '1 hour' and kind in ('selection.refill', 'selection.responder')`)).rows[0] as { n: number };

  /** A learner with a confirmed application in each session (open window). */
  async function learnerIn(name: string, codes: string[]) {
    const user = await buildLearner(database.db, clock);
    const app: Record<string, string> = {};
    for (const code of codes) {
      const pre = await apps.preselectSession(deps, { learnerId: user.id, sessionCode: code });
      assert.ok(pre.ok, JSON.stringify(pre));
      await apps.saveAnswers(deps, { learnerId: user.id, applicationId: pre.applicationId, answers: { situation: 'job_seeker', objective: 'personal', motivations: 'Oui.' } });
      assert.deepEqual(await apps.confirmApplication(deps, { learnerId: user.id, applicationId: pre.applicationId }), { ok: true });
      app[code] = pre.applicationId;
    }
    learners[name] = { id: user.id, email: user.email, app };
    return learners[name];
  }

  /** Saves the learner's order (first preferred first), responder on. */
  async function prefer(name: string, codes: string[], on = true) {
    const l = learners[name];
    const page = await preferencesPage(database.db, l.id);
    const positions = new Map(codes.map((code, i) => [l.app[code], i + 1] as [string, number]));
    const saved = await savePreferences(deps, { learnerId: l.id, version: page.version, positions, on });
    assert.ok(saved.ok, JSON.stringify(saved));
  }

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      { code: 'RA', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'RB', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
      { code: 'RC', weekday: 3, startsAt: '09:00', endsAt: '11:00' },
      { code: 'RD', weekday: 4, startsAt: '09:00', endsAt: '11:00' },
      { code: 'RE', weekday: 5, startsAt: '09:00', endsAt: '11:00' },
      { code: 'RF', weekday: 6, startsAt: '09:00', endsAt: '11:00' },
      { code: 'RG', weekday: 1, startsAt: '14:00', endsAt: '16:00' },
      { code: 'RH', weekday: 2, startsAt: '14:00', endsAt: '16:00' },
      { code: 'RI', weekday: 3, startsAt: '14:00', endsAt: '16:00' },
      { code: 'RJ', weekday: 4, startsAt: '14:00', endsAt: '16:00' },
      { code: 'RK', weekday: 5, startsAt: '14:00', endsAt: '16:00' },
    ]);
    for (const code of ['RA', 'RB', 'RC', 'RD', 'RG', 'RI', 'RJ', 'RK']) await setCapacity(database.db, code, 1);
    // In RA…RD (and RG, RI…RK), one welfare recipient ranks first and takes the one place; our learners (job seekers) wait at rank 1, then one employed.
    for (const code of ['RA', 'RB', 'RC', 'RD', 'RG', 'RI', 'RJ', 'RK']) others[code] = await confirmedApplicants(deps, code, 1, () => 'welfare_recipient');
    await learnerIn('racer', ['RA', 'RB']);
    await learnerIn('decliner', ['RC', 'RD']);
    // RE and RF have room for everyone: the learner is accepted in both.
    await learnerIn('decided', ['RE', 'RF']);
    // `busy` waits first in RG; `holder` has a place in RH (room for all) and waits first in RI; `opener` waits first in RJ and RK.
    await learnerIn('busy', ['RG']);
    await learnerIn('holder', ['RH', 'RI']);
    await learnerIn('opener', ['RJ', 'RK']);
    // Two learners accepted in RE and RF, for the staff lists' positions.
    await learnerIn('pos1', ['RE', 'RF']);
    await learnerIn('pos2', ['RE', 'RF']);
    for (const code of ['RA', 'RB', 'RC', 'RD', 'RG', 'RI', 'RJ', 'RK']) others[`${code}-next`] = await confirmedApplicants(deps, code, 1, () => 'employed');
    await closeOpenPeriod(database.db, clock);
    const admin = await buildStaff(database.db, clock, 'admin');
    staff = { id: admin.userId, role: 'admin' };
    for (const code of ['RA', 'RB', 'RC', 'RD', 'RF', 'RG', 'RH', 'RI', 'RJ', 'RK']) assert.ok((await decideSession(deps, { staff, sessionCode: code })).ok);
    await runJobs();
  });
  after(() => database.close());

  it('SEL-13 two places offered at the same moment to one opted-in learner: one kept (the preferred), the other passes to the next; never two, never none', async () => {
    const racer = learners.racer;
    assert.equal((await row(racer.app.RA)).status, 'waiting_list');
    assert.equal((await row(racer.app.RB)).status, 'waiting_list');
    await prefer('racer', ['RA', 'RB']);
    // The two holders give up at once: a place frees in RA and in RB.
    for (const code of ['RA', 'RB']) assert.ok((await apps.cancelApplication(deps, { learnerId: others[code][0].learnerId, applicationId: others[code][0].applicationId })).ok);
    // Two refills at once, from two app processes.
    const pools = [connect(database.url, { max: 2 }), connect(database.url, { max: 2 })];
    try {
      await Promise.all([refillSession({ ...deps, db: pools[0].db }, await sessionId('RA')), refillSession({ ...deps, db: pools[1].db }, await sessionId('RB'))]);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    await runJobs();
    assert.equal((await pendingJobs()).n, 0, 'a stable state: no refill or responder left to run');
    assert.equal((await row(racer.app.RA)).status, 'accepted', 'the preferred one is accepted');
    const lower = await row(racer.app.RB);
    assert.equal(lower.status, 'withdrawn', 'the one ranked below is given up');
    assert.ok((await heldIn('RA')) <= 1 && (await heldIn('RB')) <= 1, 'SEL-6: never more than the capacity');
    const next = await openOffersIn('RB');
    assert.deepEqual(next.map((o) => o.applicationId), [others['RB-next'][0].applicationId], 'RB’s place went to the next on its list');
    const events = await database.db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, [racer.app.RA, racer.app.RB]));
    const last = (id: string) => events.filter((e) => e.applicationId === id).at(-1)!;
    assert.deepEqual([last(racer.app.RA).reason, last(racer.app.RA).details], ['responder_accepted', { responder: true }]);
    assert.deepEqual([last(racer.app.RB).reason, last(racer.app.RB).details], ['preference_responder', { responder: true }]);
    const mails = (await emailsTo(database.db, racer.email)).filter((m) => m.subject.includes('répondeur'));
    // One email each time it acts: once (RA answered first), or twice (RB accepted first, then RA, RB given up).
    assert.ok(mails.length === 1 || mails.length === 2, String(mails.length));
    assert.match(mails[0].text, /Cours C-RA.*acceptée/s, 'the last says what it kept');
    assert.match(mails[0].text, /abandonné.*Cours C-RB/s, 'and what it gave up');
    assert.match(mails[0].text, /Le paiement se fait après validation de votre inscription/, 'with what to do now, as an acceptance by hand says');
    const offered = (await emailsTo(database.db, racer.email)).filter((m) => m.subject.startsWith('Une place vous est proposée'));
    assert.deepEqual(offered, [], 'never told “offered” for a place the responder answered');
  });

  it('SEL-13 the responder answering while the learner declines by hand: one wins, nothing is given twice', async () => {
    const decliner = learners.decliner;
    // A place frees in RD first: the learner, not yet opted in, is offered it (by email).
    assert.ok((await apps.cancelApplication(deps, { learnerId: others.RD[0].learnerId, applicationId: others.RD[0].applicationId })).ok);
    await runJobs();
    const [offerD] = await openOffersIn('RD');
    assert.equal(offerD.applicationId, decliner.app.RD);
    await prefer('decliner', ['RC', 'RD']);
    // Then RC frees: its refill (the responder takes RC, gives up RD) and the learner declining RD by hand, at once.
    assert.ok((await apps.cancelApplication(deps, { learnerId: others.RC[0].learnerId, applicationId: others.RC[0].applicationId })).ok);
    const pools = [connect(database.url, { max: 2 }), connect(database.url, { max: 2 })];
    let answer: Awaited<ReturnType<typeof answerOffer>>;
    try {
      [, answer] = await Promise.all([
        refillSession({ ...deps, db: pools[0].db }, await sessionId('RC')),
        answerOffer({ ...deps, db: pools[1].db }, { learnerId: decliner.id, offerId: offerD.id, accept: false }),
      ]);
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    await runJobs();
    assert.ok(answer.ok || answer.code === 'expired', JSON.stringify(answer));
    assert.equal((await row(decliner.app.RC)).status, 'accepted');
    assert.equal((await row(decliner.app.RD)).status, 'withdrawn', 'given up, by hand or by the responder: once');
    const offersD = await database.db.select().from(offers).where(eq(offers.applicationId, decliner.app.RD));
    assert.equal(offersD.filter((o) => o.status === 'open' || o.status === 'accepted').length, 0);
    assert.equal(await heldIn('RD'), 1, 'RD’s one place is held once: offered to the next');
    assert.deepEqual((await openOffersIn('RD')).map((o) => o.applicationId), [others['RD-next'][0].applicationId]);
  });

  it('SEL-13 SEL-3 accepted at the selection in a preferred session: what is ranked below is given up at once, its place to the next; told in the answer window', async () => {
    const decided = learners.decided;
    assert.equal((await row(decided.app.RF)).status, 'accepted', 'accepted in RF (room for all)');
    await prefer('decided', ['RE', 'RF']);
    assert.ok((await decideSession(deps, { staff, sessionCode: 'RE' })).ok);
    assert.equal((await row(decided.app.RE)).status, 'accepted');
    assert.equal((await row(decided.app.RF)).status, 'withdrawn', 'RF given up by the responder');
    const [mail] = (await database.db.select().from(outbox).where(eq(outbox.to, decided.email))).filter((m) => m.subject.includes('répondeur'));
    assert.ok(mail.nextAttemptAt > clock.now(), 'held until the answer window, like the acceptance');
  });

  it('SEL-13 saving from an older window is refused (nothing lost); another’s application or one closed cannot be put in the list', async () => {
    const racer = learners.racer;
    const stale = await preferencesPage(database.db, racer.id);
    const decliner = learners.decliner;
    const page = await preferencesPage(database.db, decliner.id);
    assert.deepEqual(
      await savePreferences(deps, { learnerId: decliner.id, version: page.version, positions: new Map([[racer.app.RA, 1]]), on: true }),
      { ok: false, code: 'invalid', field: 'positions', reason: 'unknown_application' },
    );
    assert.deepEqual(
      await savePreferences(deps, { learnerId: decliner.id, version: page.version, positions: new Map([[decliner.app.RD, 1]]), on: true }),
      { ok: false, code: 'invalid', field: `rang-${decliner.app.RD}`, reason: 'not_listable' },
    );
    const first = await savePreferences(deps, { learnerId: racer.id, version: stale.version, positions: new Map(), on: false });
    assert.ok(first.ok);
    assert.deepEqual(await savePreferences(deps, { learnerId: racer.id, version: stale.version, positions: new Map(), on: true }), { ok: false, code: 'stale' });
    assert.equal((await preferencesPage(database.db, racer.id)).on, false, 'the first window’s save stays');
  });

  it('SEL-13 SEL-8 a refill never waits for a learner another transaction holds: it leaves them for now, runs again soon, and the place is still offered to them', async () => {
    const busy = learners.busy;
    assert.ok((await apps.cancelApplication(deps, { learnerId: others.RG[0].learnerId, applicationId: others.RG[0].applicationId })).ok);
    // Another worker holds the learner, as a refill of another session does while their responder answers (their lock, their applications).
    const pools = [connect(database.url, { max: 2 }), connect(database.url, { max: 2 })];
    let release!: () => void;
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    try {
      const holder = pools[0].db.transaction(async (tx) => {
        await lockUser(tx, busy.id);
        await tx.select().from(applications).where(eq(applications.learnerId, busy.id)).for('update');
        held();
        await new Promise<void>((resolve) => (release = resolve));
      });
      await holding;
      const timeout = new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 3_000).unref());
      const refill = refillSession({ ...deps, db: pools[1].db }, await sessionId('RG'));
      const first = await Promise.race([refill, timeout]);
      release();
      await Promise.all([holder, refill]);
      assert.equal(first, 0, 'the refill returned at once, offering nothing to the learner held elsewhere (and nothing past them)');
    } finally {
      release?.();
      await Promise.all(pools.map((p) => p.close()));
    }
    assert.deepEqual(await openOffersIn('RG'), [], 'no offer made without their lock');
    const rg = await sessionId('RG');
    const queued = await database.db.select().from(jobs).where(and(eq(jobs.kind, 'selection.refill'), isNull(jobs.doneAt)));
    assert.ok(queued.some((j) => (j.payload as { sessionId?: number }).sessionId === rg), 'a refill of RG is still to run');
    clock.advance(10_000);
    await runJobs();
    assert.deepEqual((await openOffersIn('RG')).map((o) => o.applicationId), [busy.app.RG], 'the place is offered to the first on the list, in rank order');
  });

  it('SEL-13 an offer the responder gives up at once (ranked below a place held) passes to the next on the list in the same refill: no freed place left unoffered', async () => {
    const holder = learners.holder;
    assert.equal((await row(holder.app.RH)).status, 'accepted');
    assert.equal((await row(holder.app.RI)).status, 'waiting_list');
    // Turned on, RH (held) first: its job, not run yet, would give RI up; a place frees in RI first.
    await prefer('holder', ['RH', 'RI']);
    assert.ok((await apps.cancelApplication(deps, { learnerId: others.RI[0].learnerId, applicationId: others.RI[0].applicationId })).ok);
    const made = await refillSession(deps, await sessionId('RI'));
    assert.equal((await row(holder.app.RI)).status, 'withdrawn', 'the responder gave RI up as it was offered');
    assert.deepEqual((await openOffersIn('RI')).map((o) => o.applicationId), [others['RI-next'][0].applicationId], 'the freed place went to the next at once');
    assert.equal(made, 1, 'one place given, counted once');
    const mails = await emailsTo(database.db, holder.email);
    assert.equal(mails.filter((m) => m.subject.startsWith('Une place vous est proposée')).length, 0, 'the learner is not told of the place given up for them…');
    assert.equal(mails.filter((m) => m.subject.includes('répondeur')).length, 1, '…but of what the responder did, once');
    assert.equal(await heldIn('RI'), 1, 'SEL-6: the one place held once');
    await runJobs();
    assert.equal((await pendingJobs()).n, 0);
  });

  it('SEL-13 turning the responder on acts on an offer already open: accepted for the learner, what is ranked below given up, one email with the next steps', async () => {
    const opener = learners.opener;
    assert.ok((await apps.cancelApplication(deps, { learnerId: others.RJ[0].learnerId, applicationId: others.RJ[0].applicationId })).ok);
    await runJobs();
    const [offerJ] = await openOffersIn('RJ');
    assert.equal(offerJ.applicationId, opener.app.RJ, 'offered by email, the responder off');
    await prefer('opener', ['RJ', 'RK']);
    await runJobs();
    assert.equal((await row(opener.app.RJ)).status, 'accepted', 'accepted by the responder as soon as it is on');
    assert.equal((await row(opener.app.RK)).status, 'withdrawn', 'RK, ranked below, given up');
    const events = await database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, opener.app.RJ));
    assert.deepEqual([events.at(-1)!.reason, events.at(-1)!.details], ['responder_accepted', { responder: true }]);
    const mails = (await emailsTo(database.db, opener.email)).filter((m) => m.subject.includes('répondeur'));
    assert.equal(mails.length, 1);
    assert.match(mails[0].text, /Le paiement se fait après validation de votre inscription/, 'the acceptance’s next steps');
  });

  it('SEL-13 the preference positions of several learners’ applications at once (a staff list): each counted in its own learner’s list', async () => {
    const [p1, p2] = [learners.pos1, learners.pos2];
    await prefer('pos1', ['RF', 'RE']);
    await prefer('pos2', ['RE', 'RF']);
    const positions = await preferencePositions(database.db, [p1.app.RE, p1.app.RF, p2.app.RE, p2.app.RF]);
    assert.deepEqual(
      [positions.get(p1.app.RF), positions.get(p1.app.RE), positions.get(p2.app.RE), positions.get(p2.app.RF)],
      [{ position: 1, of: 2 }, { position: 2, of: 2 }, { position: 1, of: 2 }, { position: 2, of: 2 }],
    );
  });
});
