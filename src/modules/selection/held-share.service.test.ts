import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray } from 'drizzle-orm';
import { buildLearner, buildStaff } from '../../../test/app';
import { closeOpenPeriod, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { connect, type Database } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { jobs } from '../../platform/platform.table';
import { setPolicy } from '../../platform/policies';
import * as apps from '../applications/applications.service';
import type { AssistingActor } from '../applications/lifecycle';
import { applications } from '../applications/applications.table';
import { courseSessions, registrationPeriods } from '../catalogue/catalogue.table';
import { moveByStaff } from './applicants.service';
import { decideSession, rankSession } from './selection.service';
import { offers } from './selection.table';
import { SHARE_ENDS_JOB, waitingListJobs } from './waiting-list.service';

/**
 * SVC-5: the share of places held for assisted applications, in the selection: the decision,
 * the screen's proposal, the waiting list's refills, a move, and its end at the period's date.
 */
describe('held share for assisted applications (SVC-5)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps & { clock: FixedClock };
  let staff: { id: string; role: 'coordinator' | 'admin' };
  let counsellor: AssistingActor;
  const until = new Date(clock.now().getTime() + 10 * DAY);

  const sessionId = async (code: string) => (await database.db.select().from(courseSessions).where(eq(courseSessions.code, code)))[0].id;
  const rowsOf = async (code: string) => database.db.select().from(applications).where(eq(applications.sessionId, await sessionId(code)));
  const openOffersOf = async (code: string) => database.db.select().from(offers).where(and(eq(offers.sessionId, await sessionId(code)), eq(offers.status, 'open')));
  const runJobs = async (db = database.db) => {
    let n = 0;
    for (let ran; (ran = await workJobs({ db, clock, handlers: waitingListJobs({ ...deps, db }) })) > 0; ) n += ran;
    return n;
  };

  /** A learner's confirmed application: alone, or with the counsellor at the help desk. */
  async function applicant(sessionCode: string, assisted: boolean, situation: 'welfare_recipient' | 'employed') {
    const learner = await buildLearner(database.db, clock);
    const actor = assisted ? counsellor : undefined;
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode, actor });
    assert.ok(pre.ok, JSON.stringify(pre));
    assert.deepEqual(await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers: { situation, objective: 'personal', motivations: 'Oui.' }, actor }), { ok: true });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId, actor }), { ok: true });
    return { learnerId: learner.id, applicationId: pre.applicationId, assisted };
  }
  type Applicant = Awaited<ReturnType<typeof applicant>>;
  const cohorts: Record<string, Applicant[]> = {};
  /** Those not assisted have the welfare situation's points: they rank above every assisted one. */
  const cohort = async (code: string, plain: number, assisted: number) => {
    cohorts[code] = [];
    for (let i = 0; i < plain; i++) cohorts[code].push(await applicant(code, false, 'welfare_recipient'));
    for (let i = 0; i < assisted; i++) cohorts[code].push(await applicant(code, true, 'employed'));
  };
  const assistedIds = (code: string) => new Set(cohorts[code].filter((a) => a.assisted).map((a) => a.applicationId));

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    const desk = await buildStaff(database.db, clock, 'counsellor');
    counsellor = { id: desk.userId, role: 'counsellor', consent: true };
    await buildCatalogue(database.db, clock, [
      { code: 'H', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'G', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
      { code: 'R', weekday: 3, startsAt: '09:00', endsAt: '11:00' },
      { code: 'T', course: 'CT', weekday: 4, startsAt: '09:00', endsAt: '11:00' },
      { code: 'S1', course: 'CT', weekday: 5, startsAt: '09:00', endsAt: '11:00' },
      { code: 'S2', course: 'CT', weekday: 5, startsAt: '14:00', endsAt: '16:00' },
    ]);
    for (const [code, capacity] of [['H', 4], ['G', 4], ['R', 2], ['T', 3], ['S1', 6], ['S2', 6]] as const) await setCapacity(database.db, code, capacity);
    await cohort('H', 4, 2);
    await cohort('G', 5, 1);
    await cohort('R', 3, 2);
    await cohort('S1', 3, 3);
    await cohort('S2', 3, 3);
    await closeOpenPeriod(database.db, clock);
    await database.db.update(registrationPeriods).set({ assistedPlacesUntil: until }).where(eq(registrationPeriods.code, 'open'));
    const coordinator = await buildStaff(database.db, clock, 'admin');
    staff = { id: coordinator.userId, role: 'admin' };
    // S1 and S2 give everyone a place (no share yet): their learners will move to T.
    for (const code of ['S1', 'S2']) assert.deepEqual(await decideSession(deps, { staff, sessionCode: code }), { ok: true, accepted: 6, waiting: 0, refused: 0 });
    await setPolicy(database.db, 'assistedPlacesPercent', 50);
  });
  after(() => database.close());

  it('SVC-5 applications made with a counsellor are marked assisted, those made alone are not', async () => {
    const rows = await rowsOf('H');
    assert.deepEqual(rows.filter((r) => r.assistedBy === counsellor.id).map((r) => r.id).sort(), [...assistedIds('H')].sort());
    assert.ok(rows.filter((r) => !assistedIds('H').has(r.id)).every((r) => r.assistedBy === null));
  });

  it('SVC-5 the decision keeps the held share for assisted applicants ranked below the others; the screen proposes the same', async () => {
    // H: 4 places, 50 % held = 2. Four applicants alone rank first, two assisted after them.
    const proposal = await rankSession(deps, { staff, sessionCode: 'H' });
    assert.ok(proposal.ok);
    assert.deepEqual(proposal.assistedHeld, { places: 2, until });
    assert.deepEqual(await decideSession(deps, { staff, sessionCode: 'H' }), { ok: true, accepted: 4, waiting: 2, refused: 0 });
    const rows = await rowsOf('H');
    const accepted = rows.filter((r) => r.status === 'accepted');
    assert.equal(accepted.filter((r) => assistedIds('H').has(r.id)).length, 2, 'both assisted applicants have a place');
    assert.equal(accepted.filter((r) => !assistedIds('H').has(r.id)).length, 2, 'two places only for the others');
    for (const r of rows) assert.equal(proposal.outcomes.get(r.id), r.status === 'accepted' ? 'accepted' : 'waiting_list', 'the proposal was the decision');
    const again = await rankSession(deps, { staff, sessionCode: 'H' });
    assert.ok(again.ok && again.assistedHeld.places === 0, 'the share is taken: nothing more held');
  });

  it('SVC-5 with fewer assisted applicants than the share, the place left waits for them until the date, then goes to the waiting list', async () => {
    // G: 4 places, 2 held; one assisted applicant: two others accepted, one place kept.
    assert.deepEqual(await decideSession(deps, { staff, sessionCode: 'G' }), { ok: true, accepted: 3, waiting: 3, refused: 0 });
    await runJobs();
    assert.equal((await openOffersOf('G')).length, 0, 'the refill offers no held place to someone not assisted');
    const g = await sessionId('G');
    const [release] = (await database.db.select().from(jobs).where(eq(jobs.kind, SHARE_ENDS_JOB))).filter((j) => (j.payload as { sessionId?: number }).sessionId === g);
    assert.equal(release.runAt.toISOString(), until.toISOString(), 'the share ends at the period’s date');
    clock.set(new Date(until.getTime() + 60_000));
    try {
      await runJobs();
      const [offer, ...more] = await openOffersOf('G');
      assert.equal(more.length, 0);
      const first = (await rowsOf('G')).filter((r) => r.status === 'waiting_list').sort((a, b) => a.waitingRank! - b.waitingRank!)[0];
      assert.equal(offer.applicationId, first.id, 'the first on the list');
    } finally {
      clock.set(new Date('2026-11-23T10:00:00Z'));
    }
  });

  it('SVC-5 a place freed in the share goes to the next assisted applicant on the waiting list, past the others', async () => {
    // R: 2 places, 1 held: one applicant alone and one assisted accepted; the list: two alone, then one assisted.
    assert.deepEqual(await decideSession(deps, { staff, sessionCode: 'R' }), { ok: true, accepted: 2, waiting: 3, refused: 0 });
    const rows = await rowsOf('R');
    const holder = rows.find((r) => r.status === 'accepted' && assistedIds('R').has(r.id))!;
    const waitingAssisted = rows.find((r) => r.status === 'waiting_list' && assistedIds('R').has(r.id))!;
    assert.equal(waitingAssisted.waitingRank, 3, 'ranked after the two others');
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: holder.learnerId, applicationId: holder.id }), { ok: true, status: 'withdrawn' });
    await runJobs();
    const open = await openOffersOf('R');
    assert.deepEqual(open.map((o) => o.applicationId), [waitingAssisted.id]);
  });

  it('SVC-5 a move into a group whose free places are all held is refused with the date, unless the application is assisted', async () => {
    // T: 3 places, 1 held, nobody yet. Two learners alone move in; the third is refused, an assisted one is not.
    const [a, b, c] = cohorts.S1.filter((x) => !x.assisted);
    const helped = cohorts.S1.find((x) => x.assisted)!;
    const move = (x: Applicant) => moveByStaff(deps, { staff, applicationId: x.applicationId, toCode: 'T', reason: 'moved_day' });
    assert.deepEqual(await move(a), { ok: true });
    assert.deepEqual(await move(b), { ok: true });
    const refused = await move(c);
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.code === 'held_for_assisted' && refused.message === 'sel.error.heldForAssisted');
    assert.ok(!refused.ok && refused.params?.date === '03/12/2026 11:00', JSON.stringify(refused));
    assert.deepEqual(await move(helped), { ok: true });
    assert.equal((await move(cohorts.S1.filter((x) => x.assisted)[1])).ok, false, 'then T is full');
    // Back to S1 for the race below.
    for (const x of [a, b, helped]) assert.deepEqual(await moveByStaff(deps, { staff, applicationId: x.applicationId, toCode: 'S1', reason: 'moved_day' }), { ok: true });
    assert.equal((await rowsOf('T')).length, 0);
  });

  it('SVC-5 SEL-6 assisted and non-assisted learners racing for the last places: never more than the capacity, never a held place to one not assisted', async () => {
    // Twelve learners holding places in S1 and S2 (six of them assisted) all moved into T at once,
    // from three app processes, with T's refill running too.
    const pools = [connect(database.url, { max: 3 }), connect(database.url, { max: 3 }), connect(database.url, { max: 3 })];
    const everyone = [...cohorts.S1, ...cohorts.S2];
    let results: Awaited<ReturnType<typeof moveByStaff>>[];
    try {
      results = await Promise.all(
        everyone.map((x, i) => moveByStaff({ ...deps, db: pools[i % 3].db }, { staff, applicationId: x.applicationId, toCode: 'T', reason: 'moved_day' })),
      );
      await Promise.all(pools.map((p) => runJobs(p.db)));
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    const inT = (await rowsOf('T')).filter((r) => r.status === 'accepted');
    assert.equal(inT.length, 3, 'every place taken');
    assert.equal(results.filter((r) => r.ok).length, 3);
    const assisted = new Set([...assistedIds('S1'), ...assistedIds('S2')]);
    assert.ok(inT.filter((r) => !assisted.has(r.id)).length <= 2, 'the held place went to an assisted learner');
    assert.ok(inT.some((r) => assisted.has(r.id)));
    for (const r of results) if (!r.ok) assert.ok(['full', 'held_for_assisted'].includes(r.code), JSON.stringify(r));
    const stayed = await database.db.select().from(applications).where(inArray(applications.id, everyone.map((x) => x.applicationId)));
    assert.equal(stayed.filter((r) => r.status === 'accepted').length, 12, 'nobody lost a place');
  });
});
