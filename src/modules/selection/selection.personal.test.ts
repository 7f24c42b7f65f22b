import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { assertEveryColumnClassified, assertSections, forgetIn, sectionRows } from '../../../test/personal-data';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { courseSessions } from '../catalogue/catalogue.table';
import { selectionDataSets } from './selection.personal';
import { applicationPreferences, responderSettings } from './responder.table';
import { changeRequests, convocations, evaluations, offers, prerequisiteOverrides, prerequisiteRefusals, rankingAdjustments, selectionDecisions, selectionDraws } from './selection.table';
import { criteriaPointsOf } from './selection.rules';
import { defaultPolicies } from '../../platform/policies';

const [set] = selectionDataSets;
const selectionTables = [evaluations, selectionDraws, rankingAdjustments, selectionDecisions, convocations, offers, changeRequests, prerequisiteRefusals, prerequisiteOverrides];

describe('ACC-11, ACC-14 the selection’s personal data: download, closure', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string };
  let staffId: string;
  let sessionId: number;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'SDS1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    staffId = (await buildStaff(database.db, clock, 'coordinator')).userId;
    [{ id: sessionId }] = await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'SDS1'));
  });
  after(() => database.close());

  /** A learner whose application went through everything the selection writes; `open` leaves the offer and the change request undecided. */
  async function selected(open = false) {
    const [applicant] = await confirmedApplicants(deps, 'SDS1', 1);
    const applicationId = applicant.applicationId;
    const db = database.db;
    const now = clock.now();
    await db.insert(evaluations).values({ applicationId, mark: 14.5, recordedBy: staffId, recordedAt: now });
    await db.insert(rankingAdjustments).values({ applicationId, points: 2, reason: 'Suivi par le PLIE du 11e', publicReason: 'situation_checked', recordedBy: staffId, recordedAt: now });
    // SEL-12: what the decision was made from.
    const facts = { situation: 'job_seeker', objective: 'personal', previousLevel: false, previousAttendancePercent: null, previousCertificate: false, evaluated: true, evaluation: 14.5, adjustment: { points: 2, publicReason: 'situation_checked' }, assisted: false, refusalReason: null } as const;
    await db.insert(selectionDecisions).values({ applicationId, sessionId, outcome: 'waiting_list', rank: 3, waitingRank: 1, ranked: 4, places: 2, facts, points: criteriaPointsOf(defaultPolicies), decidedAt: now });
    await db.insert(convocations).values({ applicationId, kind: 'test', at: now, place: 'Salle 4, école test', token: `qr-${applicationId}`, createdBy: staffId, createdAt: now, attendance: 'present', attendanceBy: staffId, attendanceAt: now });
    await db.insert(offers).values({ applicationId, sessionId, kind: 'waiting_list', status: open ? 'open' : 'declined', createdAt: now, expiresAt: now, answeredAt: open ? null : now });
    await db.insert(changeRequests).values({ applicationId, note: 'Travaille le lundi soir désormais', status: open ? 'open' : 'declined', recordedBy: staffId, recordedAt: now });
    await db.insert(prerequisiteOverrides).values({ applicationId, reason: 'Test de positionnement réussi', recordedBy: staffId, recordedAt: now });
    return applicant;
  }

  const rowsOf = async (applicationId: string) =>
    Promise.all([
      database.db.select().from(evaluations).where(eq(evaluations.applicationId, applicationId)),
      database.db.select().from(rankingAdjustments).where(eq(rankingAdjustments.applicationId, applicationId)),
      database.db.select().from(convocations).where(eq(convocations.applicationId, applicationId)),
      database.db.select().from(offers).where(eq(offers.applicationId, applicationId)),
      database.db.select().from(changeRequests).where(eq(changeRequests.applicationId, applicationId)),
      database.db.select().from(prerequisiteRefusals).where(eq(prerequisiteRefusals.applicationId, applicationId)),
      database.db.select().from(prerequisiteOverrides).where(eq(prerequisiteOverrides.applicationId, applicationId)),
      database.db.select().from(selectionDecisions).where(eq(selectionDecisions.applicationId, applicationId)),
    ]);

  it('ACC-14 every column of the selection’s tables is declared, personal (with its purpose, period and end) or other', () => {
    assertEveryColumnClassified(selectionDataSets, [...selectionTables, applicationPreferences, responderSettings]);
  });

  it('ACC-11 the download holds the learner’s marks, adjustments, convocations, offers, requests and prerequisite decisions, not another learner’s, and not the convocation’s secret', async () => {
    const mine = await selected();
    const theirs = await selected();
    await database.db.insert(prerequisiteRefusals).values({ applicationId: theirs.applicationId, reason: 'Niveau A1 non validé', recordedBy: staffId, recordedAt: clock.now() });
    const sections = await set.exportOf(database.db, mine.learnerId);
    assertSections(sections, [theirs.applicationId, `qr-${mine.applicationId}`, 'Niveau A1']);
    assert.deepEqual(sectionRows(sections, 'evaluations').map((e) => e.mark), [14.5]);
    assert.deepEqual(sectionRows(sections, 'rankingAdjustments').map((a) => [a.points, a.reason, a.publicReason]), [[2, 'Suivi par le PLIE du 11e', 'situation_checked']]);
    assert.deepEqual(sectionRows(sections, 'selectionDecisions').map((d) => [d.outcome, d.rank, d.waitingRank]), [['waiting_list', 3, 1]]);
    assert.deepEqual(sectionRows(sections, 'convocations').map((c) => [c.kind, c.place, c.attendance]), [['test', 'Salle 4, école test', 'present']]);
    assert.deepEqual(sectionRows(sections, 'offers').map((o) => [o.applicationId, o.status]), [[mine.applicationId, 'declined']]);
    assert.deepEqual(sectionRows(sections, 'changeRequests').map((r) => r.note), ['Travaille le lundi soir désormais']);
    assert.deepEqual(sectionRows(sections, 'prerequisites').map((p) => [p.decision, p.reason]), [['met_by_decision', 'Test de positionnement réussi']]);
  });

  it('ACC-11 a place offered and not answered, or a change of day not decided, stops the closure, with the reason', async () => {
    const done = await selected();
    assert.deepEqual(await set.blocksClosure!(database.db, done.learnerId), []);
    const waiting = await selected(true);
    assert.deepEqual(await set.blocksClosure!(database.db, waiting.learnerId), ['privacy.block.selection.offer', 'privacy.block.selection.changeRequest']);
  });

  it('ACC-11 the closure deletes everything the selection holds about the learner, offers included; twice changes nothing; another learner keeps theirs', async () => {
    const mine = await selected();
    const theirs = await selected();
    const theirsBefore = await rowsOf(theirs.applicationId);
    await forgetIn(database.db, selectionDataSets, mine.learnerId, clock);
    assert.deepEqual((await rowsOf(mine.applicationId)).map((rows) => rows.length), [0, 0, 0, 0, 0, 0, 0, 0]);
    await forgetIn(database.db, selectionDataSets, mine.learnerId, clock);
    assert.deepEqual((await rowsOf(mine.applicationId)).map((rows) => rows.length), [0, 0, 0, 0, 0, 0, 0, 0]);
    assert.deepEqual(await rowsOf(theirs.applicationId), theirsBefore);
    assert.equal((await database.db.select().from(offers).where(inArray(offers.applicationId, [theirs.applicationId]))).length, 1);
  });
});
