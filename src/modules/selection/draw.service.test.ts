import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { jobs } from '../../platform/platform.table';
import { courseSessions, registrationPeriods } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { commitmentOf, drawOrder, drawReference, verifyDraw } from './draw.rules';
import { COMMIT_DRAWS_JOB, drawCommitTask, drawJobs, drawOf, publicSelection } from './draw.service';
import { decideSession, rankSession } from './selection.service';
import { selectionDraws } from './selection.table';

const hour = 3_600_000;

describe('committed draw', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  const deps = () => ({ db: database.db, clock, baseUrl: 'http://localhost:3000' });
  const sessionId = async (code: string) => (await database.db.select().from(courseSessions).where(eq(courseSessions.code, code)))[0].id;

  before(async () => {
    database = await createTestDatabase();
    await buildCatalogue(database.db, clock, [
      { code: 'DRW', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'LATE', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
    ]);
  });
  after(() => database.close());

  it('SEL-2 the test catalogue’s sessions have their draw committed before their window opened', async () => {
    const draw = (await drawOf(database.db, await sessionId('DRW')))!;
    const [period] = await database.db.select().from(registrationPeriods).where(eq(registrationPeriods.code, 'open'));
    assert.ok(draw.committedAt < period.applicationsOpenAt);
    assert.equal(draw.late, false);
    assert.equal(draw.commitment, commitmentOf(draw.seed));
    assert.equal(draw.revealedAt, null);
  });

  it('SEL-2 the job commits each session whose window opens within a day, and comes back just before and at the opening', async () => {
    // Two periods: one opening in 12 hours, one in three days; a session in each.
    const inserted = await database.db.execute<{ id: number; code: string }>(sql`
      insert into registration_periods (code, name, applications_open_at, applications_close_at, answers_from, answers_until)
      values ('soon', 'Bientôt', ${new Date(clock.now().getTime() + 12 * hour)}, ${new Date(clock.now().getTime() + 240 * hour)}, '2027-01-10', '2027-01-20'),
             ('later', 'Plus tard', ${new Date(clock.now().getTime() + 72 * hour)}, ${new Date(clock.now().getTime() + 240 * hour)}, '2027-01-10', '2027-01-20')
      returning id, code`);
    for (const period of inserted.rows)
      await database.db.execute(sql`
        insert into course_sessions (code, course_id, school_id, period_id, capacity, first_meeting, last_meeting)
        select ${`S-${period.code}`}, course_id, school_id, ${period.id}, 10, first_meeting, last_meeting from course_sessions where code = 'DRW'`);
    await drawCommitTask({ db: database.db, clock });
    const [queued] = await database.db.select().from(jobs).where(eq(jobs.kind, COMMIT_DRAWS_JOB));
    assert.ok(queued, 'the worker’s task queues the job');
    assert.equal(await workJobs({ db: database.db, clock, handlers: drawJobs({ db: database.db, clock }) }), 1);
    const soon = (await drawOf(database.db, await sessionId('S-soon')))!;
    assert.ok(soon, 'committed 12 hours before its window opens');
    assert.equal(soon.late, false);
    assert.equal(soon.committedAt.toISOString(), clock.now().toISOString());
    assert.equal(await drawOf(database.db, await sessionId('S-later')), null, 'three days ahead: not yet');
    const next = await database.db.select().from(jobs).where(sql`${jobs.kind} = ${COMMIT_DRAWS_JOB} and ${jobs.doneAt} is null`);
    assert.equal(next.length, 1);
    assert.equal(next[0].runAt.toISOString(), new Date(clock.now().getTime() + 12 * hour - 300_000).toISOString(), 'five minutes before the next opening');
    // Running again commits nothing new and changes no seed.
    await drawJobs({ db: database.db, clock })[COMMIT_DRAWS_JOB]({});
    assert.equal((await drawOf(database.db, await sessionId('S-soon')))!.seed, soon.seed);
  });

  it('SEL-2 a session ranked with no commitment gets one then, recorded as late, and its public page says so', async () => {
    await database.db.delete(selectionDraws).where(eq(selectionDraws.sessionId, await sessionId('LATE')));
    const admin = await buildStaff(database.db, clock, 'admin');
    await confirmedApplicants({ ...deps(), clock }, 'LATE', 2);
    await closeOpenPeriod(database.db, clock);
    const ranked = await rankSession(deps(), { staff: { id: admin.userId, role: 'admin' }, sessionCode: 'LATE' });
    assert.ok(ranked.ok);
    assert.equal(ranked.draw.late, true);
    assert.equal(ranked.draw.seed, null, 'late or not, the seed stays secret until the decision');
    const page = (await publicSelection(database.db, 'LATE'))!;
    assert.equal(page.draw!.late, true);
    assert.equal(page.draw!.commitment, ranked.draw.commitment);
  });

  it('SEL-2 SEL-12 the first decision reveals the seed; the ranking used the references; the public facts check out', async () => {
    await setCapacity(database.db, 'DRW', 2);
    // Reopen the window for the applicants, then close it.
    await database.db.update(registrationPeriods).set({ applicationsCloseAt: new Date(clock.now().getTime() + 24 * hour) }).where(eq(registrationPeriods.code, 'open'));
    const made = await confirmedApplicants({ ...deps(), clock }, 'DRW', 5);
    await closeOpenPeriod(database.db, clock);
    const coordinator = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    const staff = { id: coordinator.userId, role: 'coordinator' as const };

    const before = (await publicSelection(database.db, 'DRW'))!;
    assert.equal(before.draw!.seed, null, 'never before the decision');
    assert.deepEqual(before.draw!.order, []);
    assert.equal(before.figures, null);

    const proposal = await rankSession(deps(), { staff, sessionCode: 'DRW' });
    assert.ok(proposal.ok);
    const decided = await decideSession(deps(), { staff, sessionCode: 'DRW' });
    assert.ok(decided.ok);
    const draw = (await drawOf(database.db, await sessionId('DRW')))!;
    assert.equal(draw.revealedAt?.toISOString(), clock.now().toISOString());
    const references = made.map((m) => drawReference(m.applicationId));
    assert.deepEqual([...draw.drawnReferences].sort(), [...references].sort());

    const page = (await publicSelection(database.db, 'DRW'))!;
    assert.equal(page.draw!.seed, draw.seed);
    const check = verifyDraw({ seed: page.draw!.seed!, commitment: before.draw!.commitment, references: page.draw!.order });
    assert.ok(check.ok, 'the revealed seed matches the commitment published before');
    assert.deepEqual(check.order, page.draw!.order);
    // All equal on the criteria: the ranking is the draw's order.
    assert.deepEqual(proposal.ranked.map((r) => r.reference), drawOrder(draw.seed, references));
    assert.deepEqual(page.figures, { applications: 5, places: 2, accepted: 2, waiting: 3, refused: 0, lastRankAdmitted: 2, offeredFromWaitingList: 0 });

    // A later decision reveals nothing new: the first instant stays.
    clock.advance(hour);
    assert.ok((await decideSession(deps(), { staff, sessionCode: 'DRW' })).ok);
    assert.equal((await drawOf(database.db, await sessionId('DRW')))!.revealedAt?.toISOString(), draw.revealedAt!.toISOString());
  });

  it('an unknown or odd code has no public page', async () => {
    for (const code of ['NOPE', 'a\u0000b', '<script>', 'x'.repeat(200), '']) assert.equal(await publicSelection(database.db, code), null, JSON.stringify(code));
  });
});
