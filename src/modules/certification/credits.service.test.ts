import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { createTestDatabase } from '../../../test/db';
import { buildCatalogue } from '../../../test/catalogue';
import { enrolledLearners } from '../../../test/attendance';
import { courseEnding, meetingRows, submitRegister } from '../../../test/certification';
import { courses } from '../catalogue/catalogue.table';
import { academicRecordOf, computeOutcomes, earnedUnitsOf, unitAttestation } from './index';
import { enterResults, resultFields } from './certification.service';
import { creditsEarned } from './certification.table';

describe('certification: units earned at the end of a unit (CRED-1)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string; cashOffice: string };
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let sessionId: number;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie' };
    await buildCatalogue(database.db, clock, [{ code: 'S-UNIT', weekday: 1, startsAt: '18:00', endsAt: '20:00' }]);
    made = await enrolledLearners(deps, { 'S-UNIT': 2 });
    const session = await courseEnding(database.db, 'S-UNIT', { lastMeeting: '2026-09-14', hasEvaluation: true });
    sessionId = session.id;
    // The course is a teaching unit of 6 credits (60 hours, the test catalogue's).
    await database.db.update(courses).set({ ectsCredits: 6, semester: 1 }).where(eq(courses.id, session.courseId));
  });
  after(() => database.close());

  it('CRED-1 a learner who passes a unit earns it with its credits, recorded once; one who fails earns nothing; a correction before the certificate takes it back', async () => {
    clock.set(new Date('2026-09-15T08:00:00Z'));
    const [winner, loser] = made['S-UNIT'].learners;
    const trainer = { id: made['S-UNIT'].trainer.userId, role: 'trainer' as const };
    // The first computation writes the meetings from the catalogue's dates; their registers are missing yet.
    assert.deepEqual(await computeOutcomes(deps, sessionId), { ok: false, code: 'ATT-4' });
    for (const meeting of await meetingRows(database.db, sessionId))
      await submitRegister(database.db, clock, meeting, trainer.id, made['S-UNIT'].learners.map((l) => ({ applicationId: l.applicationId, mark: 'present' as const })));
    const results = (a: string, b: string) => ({
      [resultFields(winner.applicationId).outcome]: a,
      [resultFields(winner.applicationId).score]: a === 'passed' ? '14' : '6',
      [resultFields(loser.applicationId).outcome]: b,
      [resultFields(loser.applicationId).score]: b === 'passed' ? '14' : '6',
    });
    const entered = await enterResults(deps, trainer, 'S-UNIT', results('passed', 'failed'));
    assert.equal(entered.ok, true, JSON.stringify(entered));
    const computed = await computeOutcomes(deps, sessionId);
    assert.equal(computed.ok, true, JSON.stringify(computed));
    const earned = await earnedUnitsOf(database.db, made['S-UNIT'].learners.map((l) => l.learnerId));
    assert.deepEqual(earned.get(winner.learnerId)!.map((e) => [e.credits, e.earnedOn, e.applicationId]), [[6, '2026-09-14', winner.applicationId]]);
    assert.deepEqual(earned.get(loser.learnerId), []);
    // Computed again: still one row.
    assert.equal((await computeOutcomes(deps, sessionId)).ok, true);
    assert.equal((await database.db.select().from(creditsEarned)).length, 1);
    // The results corrected before any certificate of skills: the unit follows the outcome.
    assert.equal((await enterResults(deps, trainer, 'S-UNIT', results('failed', 'passed'))).ok, true);
    assert.equal((await computeOutcomes(deps, sessionId)).ok, true);
    const after = await earnedUnitsOf(database.db, made['S-UNIT'].learners.map((l) => l.learnerId));
    assert.deepEqual(after.get(winner.learnerId), []);
    assert.equal(after.get(loser.learnerId)!.length, 1);
  });
});

describe('certification: a corrected pass takes back only a unit no other pass supports (CRED-1)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string; cashOffice: string };

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie' };
    // Two sessions of one unit, the second ending a week after the first.
    await buildCatalogue(database.db, clock, [
      { code: 'S-FIRST', course: 'U-TWICE', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-LATER', course: 'U-TWICE', weekday: 3, startsAt: '18:00', endsAt: '20:00' },
    ]);
  });
  after(() => database.close());

  it('CRED-1 a learner passes a unit twice; the first pass corrected to failed keeps the unit earned, now from the later pass; corrected too, it is taken back', async () => {
    const made = await enrolledLearners(deps, { 'S-FIRST': 1, 'S-LATER': 1 });
    const first = await courseEnding(database.db, 'S-FIRST', { lastMeeting: '2026-09-14', hasEvaluation: true });
    const later = await courseEnding(database.db, 'S-LATER', { lastMeeting: '2026-09-16', hasEvaluation: true });
    await database.db.update(courses).set({ ectsCredits: 6, semester: 1 }).where(eq(courses.id, first.courseId));
    // The same learner in both sessions (a unit taken again): the later enrolment is made theirs.
    const learner = made['S-FIRST'].learners[0];
    await database.db.execute(sql`update applications set learner_id = ${learner.learnerId} where id = ${made['S-LATER'].learners[0].applicationId}`);
    clock.set(new Date('2026-09-17T08:00:00Z'));
    const pass = async (code: 'S-FIRST' | 'S-LATER', sessionId: number, outcome: 'passed' | 'failed') => {
      const trainer = { id: made[code].trainer.userId, role: 'trainer' as const };
      const applicationId = made[code].learners[0].applicationId;
      if ((await computeOutcomes(deps, sessionId)).ok === false && (await meetingRows(database.db, sessionId)).length)
        for (const meeting of await meetingRows(database.db, sessionId))
          if (!(await database.db.execute(sql`select 1 from register_submissions where meeting_id = ${meeting.id}`)).rows.length)
            await submitRegister(database.db, clock, meeting, trainer.id, [{ applicationId, mark: 'present' as const }]);
      const entered = await enterResults(deps, trainer, code, { [resultFields(applicationId).outcome]: outcome, [resultFields(applicationId).score]: outcome === 'passed' ? '14' : '6' });
      assert.equal(entered.ok, true, JSON.stringify(entered));
      const computed = await computeOutcomes(deps, sessionId);
      assert.equal(computed.ok, true, JSON.stringify(computed));
    };
    const earned = async () => (await earnedUnitsOf(database.db, [learner.learnerId])).get(learner.learnerId)!.map((e) => [e.applicationId, e.earnedOn]);
    await pass('S-FIRST', first.id, 'passed');
    await pass('S-LATER', later.id, 'passed');
    assert.deepEqual(await earned(), [[learner.applicationId, '2026-09-14']]);
    // CRED-4: the record shows the mark of the pass that earned it; its attestation is issued.
    assert.deepEqual((await academicRecordOf(database.db, learner.learnerId)).map((l) => [l.credits, l.mark]), [[6, { score: 14, max: 20 }]]);
    const attestation = await unitAttestation(deps, { learnerId: learner.learnerId, unitCode: 'U-TWICE', locale: 'fr' });
    assert.ok(attestation.ok);
    // The first pass corrected: the later pass still supports the unit.
    await pass('S-FIRST', first.id, 'failed');
    assert.deepEqual(await earned(), [[made['S-LATER'].learners[0].applicationId, '2026-09-16']]);
    // The later pass corrected too: nothing supports it any more.
    await pass('S-LATER', later.id, 'failed');
    assert.deepEqual(await earned(), []);
    // CRED-4: the unit taken back takes its attestation of success with it.
    const revoked = await database.db.execute<{ status: string }>(sql`select status from documents where id = ${attestation.document.id}`);
    assert.equal(revoked.rows[0].status, 'revoked');
  });
});
