import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { buildLearner } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { samples } from '../../../test/multipart';
import type { Database } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { storedFiles } from '../../platform/platform.table';
import { getPolicies } from '../../platform/policies';
import { courseSessions } from '../catalogue/catalogue.table';
import { documentsDataSet } from '../documents';
import { issueDocument, verifyDocument, type DocumentSigning } from '../documents/documents.service';
import { documents } from '../documents/documents.table';
import * as apps from './applications.service';
import { applicationsDataSet } from '.';
import { applicationEvents, applications } from './applications.table';
import { uploadProof } from './proofs.service';
import { rateProofs } from './proofs.table';

describe('the applications’ personal data (ACC-11, ACC-14)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps & { clock: FixedClock };
  const signing = (): DocumentSigning => ({ baseUrl: 'https://cours.example.org', secret: 'applications-personal-test-secret-32-chars', clock });
  const set = applicationsDataSet;
  const retention = set.retention!;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      { code: 'R1', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'R2', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'R3', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
    ]);
  });
  after(() => database.close());

  /** A learner with a confirmed application in `session` and a half-rate proof sent. */
  async function applicantWithProof(session = 'R1') {
    const [a] = await confirmedApplicants(deps, session, 1, () => 'welfare_recipient');
    const sent = await uploadProof(deps, { learnerId: a.learnerId, applicationId: a.applicationId, allowance: 'aah', proofDate: '2026-10-01', file: { name: 'attestation-caf.png', data: samples.png } });
    assert.ok(sent.ok, JSON.stringify(sent));
    return a;
  }
  const exportOf = async (userId: string) => Object.fromEntries((await set.exportOf(database.db, userId)).map((s) => [s.key, s.rows as Record<string, unknown>[]]));
  const forget = (userId: string) => database.db.transaction((tx) => set.forget(tx, userId, clock));
  const setStatus = (applicationId: string, status: 'withdrawn' | 'enrolled' | 'confirmed', closedAt: Date | null = null) =>
    database.db.update(applications).set({ status, closedAt }).where(eq(applications.id, applicationId));
  const proofsOf = async (applicationId: string) => database.db.select().from(rateProofs).where(eq(rateProofs.applicationId, applicationId));
  const filesOf = async (learnerId: string) => database.db.select().from(storedFiles).where(eq(storedFiles.ownerId, learnerId));
  const monthsAgo = (months: number, days = 0) => {
    const d = new Date(clock.now());
    d.setUTCMonth(d.getUTCMonth() - months);
    return new Date(d.getTime() - days * DAY);
  };

  it('ACC-11 the export holds the learner’s applications, their history and proofs (a description of the file), no one else’s', async () => {
    const a = await applicantWithProof();
    const b = await applicantWithProof();
    const data = await exportOf(a.learnerId);
    assert.deepEqual(data.applications.map((r) => r.id), [a.applicationId]);
    assert.equal(data.applications[0].motivations, 'Oui.');
    assert.equal(data.applications[0].session, 'R1');
    assert.ok(data.applicationEvents.length >= 2 && data.applicationEvents.every((e) => e.application === a.applicationId));
    assert.deepEqual(data.applicationEvents.slice(0, 2).map((e) => [e.to, e.by]), [['preselected', 'learner'], ['confirmed', 'learner']]);
    assert.equal(data.rateProofs.length, 1);
    assert.deepEqual(data.rateProofs[0].file, { name: 'attestation-caf.png', mediaType: 'image/png', size: samples.png.length });
    assert.ok(!JSON.stringify(data).includes(b.applicationId));
  });

  it('ACC-11 an application being processed, given a place or enrolled in a running session blocks the closure; a closed or finished one does not', async () => {
    const a = await applicantWithProof('R2');
    assert.deepEqual(await set.blocksClosure!(database.db, a.learnerId, clock), ['privacy.block.applicationInProgress'], 'confirmed');
    await setStatus(a.applicationId, 'enrolled');
    const [session] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'R2'));
    assert.ok(session.lastMeeting >= '2026-11-23');
    assert.deepEqual(await set.blocksClosure!(database.db, a.learnerId, clock), ['privacy.block.applicationInProgress'], 'enrolled, the course runs');
    const later = new FixedClock(new Date(`${session.lastMeeting}T12:00:00Z`));
    later.advance(DAY);
    assert.deepEqual(await set.blocksClosure!(database.db, a.learnerId, later), [], 'enrolled, the course over');
    await setStatus(a.applicationId, 'withdrawn', clock.now());
    assert.deepEqual(await set.blocksClosure!(database.db, a.learnerId, clock), [], 'withdrawn');
    const nobody = await buildLearner(database.db, clock);
    assert.deepEqual(await set.blocksClosure!(database.db, nobody.id, clock), []);
  });

  it('ACC-11 forgetting clears the answers, deletes the proofs and their files, anonymises the documents (still verifiable); twice changes nothing', async () => {
    const a = await applicantWithProof('R3');
    const b = await applicantWithProof('R3');
    const draft = await apps.preselectSession(deps, { learnerId: a.learnerId, sessionCode: 'R1' });
    assert.ok(draft.ok);
    await apps.saveAnswers(deps, { learnerId: a.learnerId, applicationId: draft.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Mon brouillon' } });
    const doc = await issueDocument(database.db, signing(), {
      kind: 'convocation',
      subjectId: a.applicationId,
      holderName: 'DURAND-MARTIN Léa',
      title: 'Cours R3',
      issuerName: 'École test',
      details: { 'doc.detail.birthDate': '17/05/1990' },
    });
    const signature = new URL(doc.verifyUrl).searchParams.get('s')!;

    await database.db.transaction(async (tx) => {
      await set.forget(tx, a.learnerId, clock);
      await documentsDataSet.forget(tx, a.learnerId, clock);
    });
    const rows = await database.db.select().from(applications).where(eq(applications.learnerId, a.learnerId));
    const confirmed = rows.find((r) => r.id === a.applicationId)!;
    assert.deepEqual([confirmed.status, confirmed.motivations, confirmed.allowance], ['confirmed', '', null]);
    const preselected = rows.find((r) => r.id === draft.applicationId)!;
    assert.deepEqual([preselected.situation, preselected.objective, preselected.motivations, preselected.allowance], [null, null, null, null]);
    assert.deepEqual(await proofsOf(a.applicationId), []);
    assert.deepEqual(await filesOf(a.learnerId), []);
    const [anonymous] = await database.db.select().from(documents).where(eq(documents.id, doc.id));
    assert.deepEqual([anonymous.holderName, anonymous.details], ['D.-M. L.', {}]);
    assert.ok(anonymous.anonymisedAt);
    const verified = await verifyDocument({ db: database.db, clock }, { code: doc.code, signature });
    assert.ok(verified.found && verified.signature === 'valid' && verified.document.initials === 'D.-M. L.', 'the printed document still verifies');
    // Nothing personal left in the export but the statuses and dates.
    const data = await exportOf(a.learnerId);
    assert.ok(!JSON.stringify(data).includes('Oui.') && !JSON.stringify(data).includes('brouillon') && data.rateProofs.length === 0);
    // The other learner keeps everything.
    assert.equal((await proofsOf(b.applicationId)).length, 1);
    assert.equal((await database.db.select().from(applications).where(eq(applications.id, b.applicationId)))[0].motivations, 'Oui.');
    // Twice: nothing more.
    const snapshot = async () => ({
      apps: await database.db.select().from(applications).where(eq(applications.learnerId, a.learnerId)),
      events: await database.db.select().from(applicationEvents).where(inArray(applicationEvents.applicationId, rows.map((r) => r.id))),
      docs: await database.db.select().from(documents).where(eq(documents.id, doc.id)),
    });
    const first = await snapshot();
    await database.db.transaction(async (tx) => {
      await set.forget(tx, a.learnerId, clock);
      await documentsDataSet.forget(tx, a.learnerId, clock);
    });
    assert.deepEqual(await snapshot(), first);
  });

  it('ACC-14 a proof falls due proofRetentionMonths after its application closed or its course ended, never while it is live; expire deletes it and its file', async () => {
    const policies = await getPolicies(database.db);
    const months = policies.proofRetentionMonths;
    const closedLongAgo = await applicantWithProof('R1');
    await setStatus(closedLongAgo.applicationId, 'withdrawn', monthsAgo(months, 1));
    const closedRecently = await applicantWithProof('R2');
    await setStatus(closedRecently.applicationId, 'withdrawn', monthsAgo(months - 1));
    const closedSoon = await applicantWithProof('R3');
    await setStatus(closedSoon.applicationId, 'withdrawn', monthsAgo(months, -5)); // due in 5 days
    const live = await applicantWithProof('R1');
    await database.db.update(applications).set({ createdAt: monthsAgo(months * 3) }).where(eq(applications.id, live.applicationId));
    // An enrolment whose session ended long ago, and one running.
    const ended = await applicantWithProof('R2');
    await setStatus(ended.applicationId, 'enrolled');
    const endedDay = monthsAgo(months, 2).toISOString().slice(0, 10);
    const [template] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'R2'));
    const [past] = await database.db
      .insert(courseSessions)
      .values({ ...template, id: undefined, code: 'R2-PAST', firstMeeting: monthsAgo(months + 6).toISOString().slice(0, 10), lastMeeting: endedDay })
      .returning();
    await database.db.update(applications).set({ sessionId: past.id }).where(eq(applications.id, ended.applicationId));
    const running = await applicantWithProof('R3');
    await setStatus(running.applicationId, 'enrolled');

    const now = clock.now();
    const dueNow = await retention.due!(database.db, { at: now, policies, limit: 1000 });
    const ids = (items: { userId: string }[]) => new Set(items.map((i) => i.userId));
    assert.ok(ids(dueNow).has(closedLongAgo.learnerId) && ids(dueNow).has(ended.learnerId));
    for (const notYet of [closedRecently, closedSoon, live, running]) assert.ok(!ids(dueNow).has(notYet.learnerId), 'not due');
    assert.ok(dueNow.every((i) => i.what === 'privacy.due.rateProofs' && i.dueAt <= now));
    // The notice looks ahead (retentionNoticeDays): the one due in 5 days is found.
    const ahead = await retention.due!(database.db, { at: new Date(now.getTime() + policies.retentionNoticeDays * DAY), policies, limit: 1000 });
    assert.ok(ids(ahead).has(closedSoon.learnerId) && !ids(ahead).has(live.learnerId) && !ids(ahead).has(running.learnerId));
    assert.equal(retention.notice, true);
    // Batches: `limit` learners, in order after `afterUserId`, none split nor missed.
    const all = [...ids(dueNow)].sort();
    const paged: string[] = [];
    let afterUserId: string | undefined;
    for (;;) {
      const page = await retention.due!(database.db, { at: now, policies, limit: 1, afterUserId });
      if (page.length === 0) break;
      assert.equal(page.length, 1);
      paged.push(page[0].userId);
      afterUserId = page[0].userId;
    }
    assert.deepEqual(paged, all);

    // Expire: re-checked when it runs; what is not due stays.
    const expire = (userId: string) => database.db.transaction((tx) => retention.expire!(tx, { userId, at: now, policies, clock }));
    assert.equal(await expire(closedLongAgo.learnerId), 1);
    assert.deepEqual([await proofsOf(closedLongAgo.applicationId), await filesOf(closedLongAgo.learnerId)], [[], []]);
    assert.equal(await expire(closedLongAgo.learnerId), 0, 'run again: nothing twice');
    assert.equal(await expire(ended.learnerId), 1);
    for (const kept of [closedRecently, closedSoon, live, running]) {
      assert.equal(await expire(kept.learnerId), 0);
      assert.equal((await proofsOf(kept.applicationId)).length, 1);
    }
    // An application reopened meanwhile (a stale due list) is live again: its proof stays.
    await setStatus(closedSoon.applicationId, 'confirmed');
    assert.equal(await database.db.transaction((tx) => retention.expire!(tx, { userId: closedSoon.learnerId, at: new Date(now.getTime() + 30 * DAY), policies, clock })), 0);
  });
});
