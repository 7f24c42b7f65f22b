import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { connect, type Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import * as apps from '../applications/applications.service';
import { applicationEvents, applications } from '../applications/applications.table';
import { assignScope } from '../scopes';
import { decideSession, rankSession } from './selection.service';
import { commitmentOf, drawOrder, drawReference } from './draw.rules';
import { drawOf } from './draw.service';
import { parisInstant } from '../../platform/clock';
import { registrationPeriods } from '../catalogue/catalogue.table';
import { getUser } from '../accounts';
import { outbox } from '../../platform/platform.table';

describe('selection service', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps;
  let applicationIds: string[];

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'SEL', weekday: 2, startsAt: '18:30', endsAt: '20:30' }]);
    await setCapacity(database.db, 'SEL', 3);
    applicationIds = (await confirmedApplicants({ ...deps, clock }, 'SEL', 10, (i) => (i % 3 === 0 ? 'job_seeker' : 'employed'))).map((a) => a.applicationId);
  });
  after(() => database.close());

  it('SEL-1 selection waits for the application window to close', async () => {
    const admin = await buildStaff(database.db, clock, 'admin');
    const early = await rankSession(deps, { staff: { id: admin.userId, role: 'admin' }, sessionCode: 'SEL' });
    assert.deepEqual(early, { ok: false, code: 'window_open' });
    await closeOpenPeriod(database.db, clock);
  });

  it('SEL-2 the proposal ranks on the criteria, then on the draw committed before the window opened (staff see its commitment, not its seed)', async () => {
    const admin = await buildStaff(database.db, clock, 'admin');
    const staff = { id: admin.userId, role: 'admin' as const };
    const first = await rankSession(deps, { staff, sessionCode: 'SEL' });
    const again = await rankSession(deps, { staff, sessionCode: 'SEL' });
    assert.ok(first.ok && again.ok);
    const draw = (await drawOf(database.db, first.session.id))!;
    assert.equal(draw.late, false, 'committed before the window opened');
    assert.equal(first.draw.commitment, commitmentOf(draw.seed));
    assert.equal(first.draw.seed, null, 'the seed stays secret until the decision');
    assert.deepEqual(first.ranked.map((r) => r.applicationId), again.ranked.map((r) => r.applicationId));
    const jobSeekers = first.ranked.filter((r) => r.situation === 'job_seeker');
    assert.deepEqual(first.ranked.slice(0, jobSeekers.length).map((r) => r.situation), jobSeekers.map(() => 'job_seeker'), 'social criteria first');
    const ties = first.ranked.filter((r) => r.situation === 'employed');
    assert.deepEqual(ties.map((r) => r.reference), ties.map((r) => drawReference(r.applicationId)), 'each ranked by its pseudonymous reference');
    assert.deepEqual(ties.map((r) => r.reference), drawOrder(draw.seed, ties.map((r) => r.reference)), 'ties in the order of the committed draw');
  });

  it('SEL-12 SEL-11 the staff’s preview explains each applicant as the learner will read it, the number on the waiting list included', async () => {
    const admin = await buildStaff(database.db, clock, 'admin');
    const page = await rankSession(deps, { staff: { id: admin.userId, role: 'admin' }, sessionCode: 'SEL' });
    assert.ok(page.ok);
    const waiting = page.ranked.filter((r) => page.outcomes.get(r.applicationId) === 'waiting_list');
    assert.equal(waiting.length, 7);
    const numbers = waiting.map((r) => page.explanations.get(r.applicationId)!.find((l) => l.key === 'sel.why.waitingRank')?.params?.rank);
    assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7], 'the numbers deciding now gives, in rank order');
    const accepted = page.ranked.find((r) => page.outcomes.get(r.applicationId) === 'accepted')!;
    assert.ok(!page.explanations.get(accepted.applicationId)!.some((l) => l.key === 'sel.why.waitingRank'));
  });

  it('staff outside the session’s scope do not see it', async () => {
    const head = await buildStaff(database.db, clock, 'school_head');
    assert.deepEqual(await rankSession(deps, { staff: { id: head.userId, role: 'school_head' }, sessionCode: 'SEL' }), { ok: false, code: 'not_found' });
    assert.deepEqual(await decideSession(deps, { staff: { id: head.userId, role: 'school_head' }, sessionCode: 'SEL' }), { ok: false, code: 'not_found' });
  });

  it('SEL-3 only the roles the table lists decide: a school head in scope calling the service is refused, nothing decided', async () => {
    const head = await buildStaff(database.db, clock, 'school_head');
    await assignScope(database.db, { userId: head.userId, schools: ['E-11-T'] });
    const staff = { id: head.userId, role: 'school_head' as const };
    assert.deepEqual(await decideSession(deps, { staff, sessionCode: 'SEL' }), { ok: false, code: 'forbidden' });
    assert.deepEqual(await rankSession(deps, { staff, sessionCode: 'SEL' }), { ok: false, code: 'forbidden' });
    const rows = await database.db.select().from(applications).where(inArray(applications.id, applicationIds));
    assert.deepEqual([...new Set(rows.map((r) => r.status))], ['confirmed'], 'nothing decided');
  });

  it('SEL-3 SEL-6 two staff deciding at the same moment never accept more than the capacity', async () => {
    const coordinators = [await buildStaff(database.db, clock, 'coordinator'), await buildStaff(database.db, clock, 'coordinator')];
    for (const c of coordinators) await assignScope(database.db, { userId: c.userId, schools: ['E-11-T'] });
    const pools = [connect(database.url, { max: 2 }), connect(database.url, { max: 2 })];
    try {
      const results = await Promise.all(
        coordinators.map((c, i) => decideSession({ ...deps, db: pools[i].db }, { staff: { id: c.userId, role: 'coordinator' }, sessionCode: 'SEL' })),
      );
      assert.ok(results.every((r) => r.ok));
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    const rows = await database.db.select().from(applications).where(inArray(applications.id, applicationIds));
    assert.equal(rows.filter((r) => r.status === 'accepted').length, 3);
    const waiting = rows.filter((r) => r.status === 'waiting_list').sort((a, b) => a.waitingRank! - b.waitingRank!);
    assert.deepEqual(waiting.map((r) => r.waitingRank), [1, 2, 3, 4, 5, 6, 7]);
    const decisions = await database.db
      .select()
      .from(applicationEvents)
      .where(and(inArray(applicationEvents.applicationId, applicationIds), inArray(applicationEvents.toStatus, ['accepted', 'waiting_list'])));
    assert.equal(decisions.length, 10, 'each application decided once');
  });

  it('SEL-3 outcomes decided before the answer window wait in the outbox until its first day (the account shows them at once)', async () => {
    const [period] = await database.db.select().from(registrationPeriods).where(eq(registrationPeriods.code, 'open'));
    const [learner] = await database.db.select().from(applications).where(inArray(applications.id, applicationIds.slice(0, 1)));
    const user = (await getUser(database.db, learner.learnerId))!;
    const [decision] = await database.db.select().from(outbox).where(and(eq(outbox.to, user.email), sql`${outbox.subject} not like 'Votre candidature est enregistrée%'`));
    assert.equal(decision.nextAttemptAt.toISOString(), parisInstant(period.answersFrom, '00:00').toISOString());
    assert.ok(decision.nextAttemptAt > clock.now());
  });

  it('SEL-2 the proposal of a decided session whose course has a previous level still opens (nobody left to rank)', async () => {
    // The course gets a previous level (any course will do: here itself): the screen looks up who
    // followed it, for no applicant at all.
    await database.db.execute(sql`update courses set previous_course_id = id where code = 'C-SEL'`);
    const admin = await buildStaff(database.db, clock, 'admin');
    const page = await rankSession(deps, { staff: { id: admin.userId, role: 'admin' }, sessionCode: 'SEL' });
    assert.ok(page.ok, 'the page opens');
    assert.equal(page.ranked.length, 0);
  });
});
