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
import { verifyDocument } from '../documents/documents.service';
import { academicRecordOf, computeOutcomes, earnedUnitsOf, recordExamUnit, transcript, unitAttestation, withdrawExamUnit } from './index';
import { enterResults, resultFields } from './certification.service';

/**
 * CRED-1, CRED-3, CRED-4 (decisions 028, 029): one unit passed twice, at the end of the course
 * and at its exam, is one unit earned; a correction of either keeps it while the other pass
 * stands; both corrected, it is gone with its attestation of success and the transcript listing it.
 */
describe('certification: a unit passed at the end of the course and at the exam, then corrected (CRED-1, CRED-3, CRED-4)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string; cashOffice: string };
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let sessionId: number;
  let courseId: number;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie' };
    await buildCatalogue(database.db, clock, [{ code: 'S-BOTH', course: 'U-BOTH', weekday: 1, startsAt: '18:00', endsAt: '20:00' }]);
    made = await enrolledLearners(deps, { 'S-BOTH': 2 });
    const session = await courseEnding(database.db, 'S-BOTH', { lastMeeting: '2026-09-14', hasEvaluation: true });
    sessionId = session.id;
    courseId = session.courseId;
    await database.db.update(courses).set({ ectsCredits: 6, semester: 1 }).where(eq(courses.id, courseId));
  });
  after(() => database.close());

  const trainer = () => ({ id: made['S-BOTH'].trainer.userId, role: 'trainer' as const });
  /** The end-of-course results of both learners, then their outcomes computed (what corrects the end-of-course pass). */
  async function endOfCourse(outcomes: ['passed' | 'failed', 'passed' | 'failed']) {
    const values: Record<string, string> = {};
    made['S-BOTH'].learners.forEach((l, i) => {
      values[resultFields(l.applicationId).outcome] = outcomes[i];
      values[resultFields(l.applicationId).score] = outcomes[i] === 'passed' ? '15' : '7';
    });
    const entered = await enterResults(deps, trainer(), 'S-BOTH', values);
    assert.equal(entered.ok, true, JSON.stringify(entered));
    const computed = await computeOutcomes(deps, sessionId);
    assert.equal(computed.ok, true, JSON.stringify(computed));
  }
  /** The exam's pass, as the exams module records it (it keeps `held` on the registration). */
  const examPassed = (learnerId: string) => database.db.transaction((tx) => recordExamUnit(tx, clock, { learnerId, courseId, earnedOn: '2027-01-25', actorId: null }));
  const examCorrected = (learnerId: string) => database.db.transaction((tx) => withdrawExamUnit(tx, clock, { learnerId, courseId, actorId: null }));
  const earned = async (learnerId: string) => (await earnedUnitsOf(database.db, [learnerId])).get(learnerId)!.map((e) => e.credits);
  const statusOf = async (code: string) => {
    const found = await verifyDocument({ db: database.db, clock }, { code });
    assert.ok(found.found);
    return found.document.status;
  };

  it('CRED-1 CRED-3 CRED-4 passed at the end of the course and at the exam: one unit, its credits once; either correction keeps it, both take it back with its attestation and transcript revoked', async () => {
    clock.set(new Date('2026-09-15T08:00:00Z'));
    const [first, second] = made['S-BOTH'].learners;
    // The first computation writes the meetings from the catalogue's dates; their registers follow.
    assert.deepEqual(await computeOutcomes(deps, sessionId), { ok: false, code: 'ATT-4' });
    for (const meeting of await meetingRows(database.db, sessionId))
      await submitRegister(database.db, clock, meeting, trainer().id, made['S-BOTH'].learners.map((l) => ({ applicationId: l.applicationId, mark: 'present' as const })));
    await endOfCourse(['passed', 'passed']);
    clock.set(new Date('2027-01-26T08:00:00Z'));
    const held = [await examPassed(first.learnerId), await examPassed(second.learnerId)];
    // The exam takes over the row of the end-of-course pass: it holds the unit (decision 028).
    assert.deepEqual(held, [{ ok: true, held: true }, { ok: true, held: true }]);
    for (const l of [first, second]) {
      assert.deepEqual(await earned(l.learnerId), [6], 'one unit, 6 credits once');
      assert.equal((await academicRecordOf(database.db, l.learnerId)).reduce((s, r) => s + r.credits, 0), 6);
    }
    const attestations = [await unitAttestation(deps, { learnerId: first.learnerId, unitCode: 'U-BOTH', locale: 'fr' }), await unitAttestation(deps, { learnerId: second.learnerId, unitCode: 'U-BOTH', locale: 'fr' })];
    const transcripts = [await transcript(deps, { learnerId: first.learnerId, locale: 'fr' }), await transcript(deps, { learnerId: second.learnerId, locale: 'fr' })];
    assert.ok(attestations.every((a) => a.ok) && transcripts.every((a) => a.ok));
    const [a1, a2] = attestations.map((a) => (a.ok ? a.document.code : ''));
    const [t1, t2] = transcripts.map((a) => (a.ok ? a.document.code : ''));

    // One correction each: the first learner's end-of-course result, the second's exam. Both keep the unit, once.
    clock.set(new Date('2027-01-27T08:00:00Z'));
    await endOfCourse(['failed', 'passed']);
    assert.deepEqual(await examCorrected(second.learnerId), { withdrawn: true });
    for (const l of [first, second]) assert.deepEqual(await earned(l.learnerId), [6], 'still one unit, 6 credits');
    for (const code of [a1, a2, t1, t2]) assert.equal(await statusOf(code), 'valid');
    // The second learner's unit went back to their enrolment still passed: its mark shows again.
    assert.deepEqual((await academicRecordOf(database.db, second.learnerId)).map((r) => r.mark), [{ score: 15, max: 20 }]);

    // The other correction each: nothing supports the unit any more.
    assert.deepEqual(await examCorrected(first.learnerId), { withdrawn: true });
    await endOfCourse(['failed', 'failed']);
    for (const l of [first, second]) assert.deepEqual(await earned(l.learnerId), [], 'the unit is gone');
    for (const code of [a1, a2, t1, t2]) assert.equal(await statusOf(code), 'revoked', 'CRED-4: the attestation and the transcript that listed it are revoked');
    // Nothing to attest any more; no transcript of an empty record.
    for (const l of [first, second]) {
      assert.deepEqual(await unitAttestation(deps, { learnerId: l.learnerId, unitCode: 'U-BOTH', locale: 'fr' }), { ok: false, code: 'not_found' });
      assert.deepEqual(await transcript(deps, { learnerId: l.learnerId, locale: 'fr' }), { ok: false, code: 'empty' });
    }
    const rows = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from credits_earned`);
    assert.equal(rows.rows[0].n, 0);
  });
});
