import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { insertOutcome } from '../../../test/history';
import { assertEveryColumnClassified, assertSections, forgetIn, sectionRows } from '../../../test/personal-data';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { certificationDataSets } from './certification.personal';
import { courseClosures, courseOutcomes, creditsEarned, evaluationResults, exemptions, marksRequests, sessionTests } from './certification.table';

const [set] = certificationDataSets;

describe('ACC-11, ACC-14 the certification’s personal data: download, closure', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string };
  let staffId: string;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'CDS1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    staffId = (await buildStaff(database.db, clock, 'coordinator')).userId;
  });
  after(() => database.close());

  /** A learner with a result corrected once, an outcome, an exemption and a request for marks; `open` leaves the last two undecided. */
  async function certified(open = false) {
    const [applicant] = await confirmedApplicants(deps, 'CDS1', 1);
    const { applicationId } = applicant;
    const db = database.db;
    const now = clock.now();
    await db.insert(evaluationResults).values([
      { applicationId, outcome: 'failed', score: 9, enteredBy: staffId, enteredAt: now },
      { applicationId, outcome: 'passed', score: 12, enteredBy: staffId, enteredAt: now },
    ]);
    await insertOutcome(db, clock, applicationId, { attendedMinutes: 5400, plannedMinutes: 6000, certified: true, outcome: 'passed', certificateDueOn: '2026-11-01' });
    await db.insert(exemptions).values({ applicationId, diploma: 'Licence de lettres modernes', declaredAt: now, status: open ? 'pending' : 'granted', decidedBy: open ? null : staffId, decidedAt: open ? null : now });
    await db.insert(marksRequests).values({
      applicationId,
      message: 'Pourrais-je connaître ma note à l’oral ?',
      askedAt: now,
      answer: open ? null : 'Oral : 13/20.',
      answeredBy: open ? null : staffId,
      answeredAt: open ? null : now,
    });
    return applicant;
  }

  const rowsOf = async (learner: { applicationId: string; learnerId: string }) => ({
    results: await database.db.select().from(evaluationResults).where(eq(evaluationResults.applicationId, learner.applicationId)),
    outcomes: await database.db.select().from(courseOutcomes).where(eq(courseOutcomes.learnerId, learner.learnerId)),
    exemptions: await database.db.select().from(exemptions).where(eq(exemptions.applicationId, learner.applicationId)),
    requests: await database.db.select().from(marksRequests).where(eq(marksRequests.applicationId, learner.applicationId)),
  });

  it('ACC-14 every column of the certification’s tables is declared, personal (with its purpose, period and end) or other', () => {
    assertEveryColumnClassified(certificationDataSets, [sessionTests, evaluationResults, courseOutcomes, courseClosures, exemptions, marksRequests, creditsEarned]);
  });

  it('ACC-11 the download holds the learner’s results (corrections included), outcomes, exemptions and requests for marks, not another learner’s', async () => {
    const mine = await certified();
    const theirs = await certified();
    await database.db.update(marksRequests).set({ message: 'Une question de l’autre' }).where(eq(marksRequests.applicationId, theirs.applicationId));
    const sections = await set.exportOf(database.db, mine.learnerId);
    assertSections(sections, [theirs.applicationId, 'Une question de l’autre']);
    assert.deepEqual(sectionRows(sections, 'evaluationResults').map((r) => [r.outcome, r.score]), [['failed', 9], ['passed', 12]]);
    assert.deepEqual(sectionRows(sections, 'courseOutcomes').map((o) => [o.applicationId, o.attendedMinutes, o.outcome, o.certificateDueOn]), [[mine.applicationId, 5400, 'passed', '2026-11-01']]);
    assert.deepEqual(sectionRows(sections, 'exemptions').map((e) => [e.diploma, e.status]), [['Licence de lettres modernes', 'granted']]);
    assert.deepEqual(sectionRows(sections, 'marksRequests').map((m) => [m.message, m.answer]), [['Pourrais-je connaître ma note à l’oral ?', 'Oral : 13/20.']]);
  });

  it('ACC-11 an exemption still to decide or a request for marks not answered stops the closure, with the reason', async () => {
    const done = await certified();
    assert.deepEqual(await set.blocksClosure!(database.db, done.learnerId), []);
    const waiting = await certified(true);
    assert.deepEqual(await set.blocksClosure!(database.db, waiting.learnerId), ['privacy.block.certification.exemption', 'privacy.block.certification.marksRequest']);
  });

  it('ACC-11 the closure deletes the learner’s results, outcomes, exemptions and requests for marks; twice changes nothing; another learner keeps theirs', async () => {
    const mine = await certified();
    const theirs = await certified();
    const theirsBefore = await rowsOf(theirs);
    await forgetIn(database.db, certificationDataSets, mine.learnerId, clock);
    const empty = { results: [], outcomes: [], exemptions: [], requests: [] };
    assert.deepEqual(await rowsOf(mine), empty);
    assert.deepEqual(await database.db.select().from(courseOutcomes).where(eq(courseOutcomes.applicationId, mine.applicationId)), []);
    await forgetIn(database.db, certificationDataSets, mine.learnerId, clock);
    assert.deepEqual(await rowsOf(mine), empty);
    assert.deepEqual(await rowsOf(theirs), theirsBefore);
  });
});
