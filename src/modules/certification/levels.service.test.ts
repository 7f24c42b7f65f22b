import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildLearner, buildStaff } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { chainLevels, pastOutcome, pastSession, runningEnrolment } from '../../../test/levels';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { auditLog, outbox } from '../../platform/platform.table';
import * as apps from '../applications/applications.service';
import { applications } from '../applications/applications.table';
import { registrationPeriods } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { recordPrerequisites } from '../selection/applicants.service';
import { decideSession, rankSession } from '../selection/selection.service';
import { prerequisiteRefusals } from '../selection/selection.table';
import { applyToNextLevel, nextLevelPage } from './levels.service';

const day = 86_400_000;

describe('levels service: prerequisites from real data (SEL-1, SEL-2)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps;
  let staff: { id: string; role: 'coordinator' };
  let none: { applicationId: string; learnerId: string; email: string };
  let passed: { applicationId: string; learnerId: string };
  let lowAttendance: { applicationId: string; learnerId: string };
  let failed: { applicationId: string; learnerId: string };

  before(async () => {
    database = await createTestDatabase();
    const db = database.db;
    deps = { db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(db, clock, [
      { code: 'LA1-OLD', course: 'LA1', weekday: 1, startsAt: '18:30', endsAt: '20:30', period: 'closed' },
      { code: 'LA2', course: 'LA2', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
    ]);
    await pastSession(db, clock, 'LA1-OLD');
    await chainLevels(db, 'LA1', 'LA2');
    [none, passed, lowAttendance, failed] = await confirmedApplicants({ ...deps, clock }, 'LA2', 4);
    await pastOutcome(db, clock, { learnerId: passed.learnerId, sessionCode: 'LA1-OLD', attendedMinutes: 4800, plannedMinutes: 6000 });
    await pastOutcome(db, clock, { learnerId: lowAttendance.learnerId, sessionCode: 'LA1-OLD', attendedMinutes: 4494, plannedMinutes: 6000, certificateIssued: false });
    await pastOutcome(db, clock, { learnerId: failed.learnerId, sessionCode: 'LA1-OLD', outcome: 'failed', attendedMinutes: 4800, plannedMinutes: 6000 });
    await closeOpenPeriod(db, clock);
    const coordinator = await buildStaff(db, clock, 'coordinator');
    await assignScope(db, { userId: coordinator.userId, schools: ['E-11-T'] });
    staff = { id: coordinator.userId, role: 'coordinator' };
  });
  after(() => database.close());

  it('SEL-1 without the previous level’s certificate of skills an applicant is set apart as refused; with it (issued or still due) ranked', async () => {
    const ranking = await rankSession(deps, { staff, sessionCode: 'LA2' });
    assert.ok(ranking.ok);
    assert.deepEqual(new Set(ranking.refused.map((r) => r.applicationId)), new Set([none.applicationId, failed.applicationId]));
    assert.deepEqual(new Set(ranking.ranked.map((r) => r.applicationId)), new Set([passed.applicationId, lowAttendance.applicationId]));
  });

  it('SEL-2 the criterion "previous levels" reads the real attendance (attended over planned minutes) and the real certificate', async () => {
    const ranking = await rankSession(deps, { staff, sessionCode: 'LA2' });
    assert.ok(ranking.ok);
    const of = (id: string) => [...ranking.ranked, ...ranking.refused].find((r) => r.applicationId === id)!;
    assert.deepEqual([of(passed.applicationId).previousAttendancePercent, of(passed.applicationId).previousCertificate], [80, true]);
    assert.deepEqual([of(lowAttendance.applicationId).previousAttendancePercent, of(lowAttendance.applicationId).previousCertificate], [74, true]);
    assert.deepEqual([of(failed.applicationId).previousAttendancePercent, of(failed.applicationId).previousCertificate], [80, false]);
    assert.deepEqual([of(none.applicationId).previousAttendancePercent, of(none.applicationId).previousCertificate], [null, false]);
    // employed + personal = 0; certificate 2; attendance ≥ 75 % 1.
    assert.equal(ranking.ranked.find((r) => r.applicationId === passed.applicationId)!.score, 3);
    assert.equal(ranking.ranked.find((r) => r.applicationId === lowAttendance.applicationId)!.score, 2);
    assert.equal(ranking.ranked[0].applicationId, passed.applicationId);
  });

  it('SEL-1 a coordinator overrides the automatic check only with a reason, audited', async () => {
    const without = await recordPrerequisites(deps, { staff, applicationId: failed.applicationId, met: true, reason: '' });
    assert.equal(without.ok, false);
    assert.equal(!without.ok && without.code, 'reason_required');
    const done = await recordPrerequisites(deps, { staff, applicationId: failed.applicationId, met: true, reason: 'Test de positionnement réussi' });
    assert.deepEqual(done, { ok: true });
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'selection.prerequisites'), eq(auditLog.actorId, staff.id)));
    assert.deepEqual(entry.data, { applicationId: failed.applicationId, met: true, reason: 'Test de positionnement réussi', override: true });
    const ranking = await rankSession(deps, { staff, sessionCode: 'LA2' });
    assert.ok(ranking.ok);
    assert.deepEqual(ranking.refused.map((r) => r.applicationId), [none.applicationId]);
    assert.equal(ranking.ranked.find((r) => r.applicationId === failed.applicationId)!.score, 1, 'no certificate, attendance 80 %');
  });

  it('SEL-1, SEL-12 the decision refuses the applicant without the certificate, with the reason in the email and on their page', async () => {
    const decided = await decideSession(deps, { staff, sessionCode: 'LA2' });
    assert.deepEqual(decided, { ok: true, accepted: 3, waiting: 0, refused: 1 });
    const [row] = await database.db.select().from(applications).where(eq(applications.id, none.applicationId));
    assert.equal(row.status, 'refused');
    const [reason] = await database.db.select().from(prerequisiteRefusals).where(eq(prerequisiteRefusals.applicationId, none.applicationId));
    assert.match(reason.reason, /certificat de compétences du niveau précédent \(« Cours LA1 »\)/);
    assert.equal(reason.automatic, true, 'SEL-1 the decision’s own refusal is marked automatic, not a coordinator’s');
    const mails = await database.db.select().from(outbox).where(eq(outbox.to, none.email));
    assert.ok(mails.some((m) => /Ce qui manque : le certificat de compétences du niveau précédent \(« Cours LA1 »\)/.test(m.text)), 'the refusal email gives the reason');
    const view = await apps.getApplication(database.db, clock, none.learnerId, none.applicationId);
    assert.match(view!.refusalReason ?? '', /Cours LA1/);
  });
});

describe('levels service: repeats (CERT-3) and the next level (CERT-6)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps;
  const answers = { situation: 'job_seeker' as const, objective: 'professional' as const, motivations: 'Je continue.' };

  before(async () => {
    database = await createTestDatabase();
    const db = database.db;
    deps = { db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(db, clock, [
      { code: 'RP-OLD', course: 'RP', weekday: 1, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'RP-OLDER', course: 'RP', weekday: 1, startsAt: '14:00', endsAt: '16:00', period: 'closed' },
      { code: 'RP-NEW', course: 'RP', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
      { code: 'RP-RUN', course: 'RP', weekday: 6, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'PB1-OLD', course: 'PB1', weekday: 3, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'PB2', course: 'PB2', weekday: 4, startsAt: '09:00', endsAt: '11:00' },
      { code: 'FREE', course: 'FREE', weekday: 5, startsAt: '09:00', endsAt: '11:00' },
    ]);
    for (const code of ['RP-OLD', 'RP-OLDER', 'PB1-OLD']) await pastSession(db, clock, code);
    await chainLevels(db, 'PB1', 'PB2');
  });
  after(() => database.close());

  it('CERT-3 a learner who failed once may apply to the same course again', async () => {
    const learner = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-OLD', outcome: 'failed' });
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'RP-NEW' });
    assert.ok(pre.ok, JSON.stringify(pre));
    await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true });
  });

  it('CERT-3 a learner who failed twice is refused a third attempt at preselection, with the FAQ’s reason', async () => {
    const learner = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-OLDER', outcome: 'failed', daysAgo: 400 });
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-OLD', outcome: 'absent' });
    assert.deepEqual(await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'RP-NEW' }), { ok: false, code: 'repeat_limit', message: 'cert.error.repeatLimit' });
    assert.equal((await database.db.select().from(applications).where(eq(applications.learnerId, learner.id))).length, 2, 'nothing saved');
  });

  it('CERT-3 the confirmation refuses it too (a failure known after the preselection)', async () => {
    const learner = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-OLDER', outcome: 'failed', daysAgo: 400 });
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'RP-NEW' });
    assert.ok(pre.ok);
    await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers });
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-OLD', outcome: 'failed' });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: false, code: 'repeat_limit', message: 'cert.error.repeatLimit' });
    const [row] = await database.db.select().from(applications).where(eq(applications.id, pre.applicationId));
    assert.equal(row.status, 'preselected');
  });

  it('CERT-3 the attempt still running counts: failed, enrolled again (no outcome yet), a third attempt is refused', async () => {
    const learner = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-OLD', outcome: 'failed' });
    await runningEnrolment(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-RUN' });
    assert.deepEqual(await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'RP-NEW' }), { ok: false, code: 'repeat_limit', message: 'cert.error.repeatLimit' });
  });

  it('CERT-3 a learner enrolled who never failed may apply to the course’s next session', async () => {
    const learner = await buildLearner(database.db, clock);
    await runningEnrolment(database.db, clock, { learnerId: learner.id, sessionCode: 'RP-RUN' });
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'RP-NEW' });
    assert.ok(pre.ok, JSON.stringify(pre));
    await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true });
  });

  it('CERT-6 the priority window is open to the learner who passed the level below, for that level only; closed to others', async () => {
    const now = clock.now().getTime();
    await database.db
      .update(registrationPeriods)
      .set({ priorityOpensAt: new Date(now - 2 * day), applicationsOpenAt: new Date(now + 2 * day) })
      .where(eq(registrationPeriods.code, 'open'));
    const eligible = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: eligible.id, sessionCode: 'PB1-OLD' });
    const noAttendance = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: noAttendance.id, sessionCode: 'PB1-OLD', attendedMinutes: 3000, plannedMinutes: 6000 });
    const other = await buildLearner(database.db, clock);

    const pre = await apps.preselectSession(deps, { learnerId: eligible.id, sessionCode: 'PB2' });
    assert.ok(pre.ok, JSON.stringify(pre));
    await apps.saveAnswers(deps, { learnerId: eligible.id, applicationId: pre.applicationId, answers });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: eligible.id, applicationId: pre.applicationId }), { ok: true });
    assert.equal((await apps.preselectSession(deps, { learnerId: eligible.id, sessionCode: 'FREE' })).ok, false, 'another course of the period waits for the public window');
    for (const learner of [other, noAttendance]) {
      const refused = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'PB2' });
      assert.deepEqual(refused, { ok: false, code: 'closed_window', message: 'app.refused.closed' });
    }
    // In the window the eligible learner may still cancel (APP-6 follows the window they applied in).
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: eligible.id, applicationId: pre.applicationId }), { ok: true, status: 'cancelled' });

    clock.set(new Date(now + 3 * day));
    assert.ok((await apps.preselectSession(deps, { learnerId: other.id, sessionCode: 'PB2' })).ok, 'the public window is open to all');
    clock.set(new Date(now));
  });

  it('CERT-6 the learner who passed sees the next level’s sessions and applies with the form prefilled from their previous application', async () => {
    const learner = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'PB1-OLD', answers: { situation: 'welfare_recipient', objective: 'diploma', motivations: 'Passer le niveau B1.' } });
    const page = await nextLevelPage(database.db, clock, learner.id);
    assert.deepEqual(page.passed.map((p) => p.title), ['Cours PB1']);
    assert.deepEqual(page.sessions.map((s) => [s.session.code, s.open, s.priorityNow, s.applied]), [['PB2', true, true, null]]);
    const applied = await applyToNextLevel(deps, { learnerId: learner.id, sessionCode: 'PB2' });
    assert.ok(applied.ok, JSON.stringify(applied));
    const [row] = await database.db.select().from(applications).where(eq(applications.id, applied.applicationId));
    assert.deepEqual([row.status, row.situation, row.objective, row.motivations], ['preselected', 'welfare_recipient', 'diploma', 'Passer le niveau B1.']);
    assert.equal((await nextLevelPage(database.db, clock, learner.id)).sessions[0].applied, applied.applicationId);
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: applied.applicationId }), { ok: true });

    const stranger = await buildLearner(database.db, clock);
    assert.deepEqual(await nextLevelPage(database.db, clock, stranger.id), { passed: [], sessions: [] });
    assert.equal((await applyToNextLevel(deps, { learnerId: stranger.id, sessionCode: 'PB2' })).ok, false);
    assert.equal((await applyToNextLevel(deps, { learnerId: learner.id, sessionCode: 'FREE' })).ok, false, 'not a next level');
  });
});

describe('levels service: repeats re-checked when selection decides (CERT-3, SEL-1)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      { code: 'RD-OLDER', course: 'RD', weekday: 1, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'RD-OLD', course: 'RD', weekday: 1, startsAt: '14:00', endsAt: '16:00', period: 'closed' },
      { code: 'RD-RUN', course: 'RD', weekday: 6, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'RD-NEW', course: 'RD', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
    ]);
    for (const code of ['RD-OLDER', 'RD-OLD']) await pastSession(database.db, clock, code);
  });
  after(() => database.close());

  it('CERT-3 the decision refuses, with the FAQ’s reason marked automatic, applicants whose repeats were used up after they applied; others are accepted', async () => {
    const db = database.db;
    const [failedLater, runningLater, fresh] = await confirmedApplicants({ ...deps, clock }, 'RD-NEW', 3);
    await pastOutcome(db, clock, { learnerId: failedLater.learnerId, sessionCode: 'RD-OLDER', outcome: 'failed', daysAgo: 400 });
    await pastOutcome(db, clock, { learnerId: failedLater.learnerId, sessionCode: 'RD-OLD', outcome: 'failed' });
    await pastOutcome(db, clock, { learnerId: runningLater.learnerId, sessionCode: 'RD-OLD', outcome: 'failed' });
    await runningEnrolment(db, clock, { learnerId: runningLater.learnerId, sessionCode: 'RD-RUN' });
    await closeOpenPeriod(db, clock);
    const coordinator = await buildStaff(db, clock, 'coordinator');
    await assignScope(db, { userId: coordinator.userId, schools: ['E-11-T'] });
    const staff = { id: coordinator.userId, role: 'coordinator' as const };

    const ranking = await rankSession(deps, { staff, sessionCode: 'RD-NEW' });
    assert.ok(ranking.ok);
    assert.deepEqual(new Set(ranking.refused.map((r) => r.applicationId)), new Set([failedLater.applicationId, runningLater.applicationId]), 'the screen shows what deciding does');
    assert.deepEqual(await decideSession(deps, { staff, sessionCode: 'RD-NEW' }), { ok: true, accepted: 1, waiting: 0, refused: 2 });
    for (const who of [failedLater, runningLater]) {
      const [row] = await db.select().from(applications).where(eq(applications.id, who.applicationId));
      assert.equal(row.status, 'refused');
      const [reason] = await db.select().from(prerequisiteRefusals).where(eq(prerequisiteRefusals.applicationId, who.applicationId));
      assert.match(reason.reason, /un seul redoublement est possible/);
      assert.equal(reason.automatic, true);
      const mails = await db.select().from(outbox).where(eq(outbox.to, who.email));
      assert.ok(mails.some((m) => /un seul redoublement est possible/.test(m.text)), 'the refusal email gives the reason');
    }
    const [accepted] = await db.select().from(applications).where(eq(applications.id, fresh.applicationId));
    assert.equal(accepted.status, 'accepted');
  });
});

describe('levels service: the next level within the cap (CERT-6, APP-5)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      { code: 'NX1-OLD', course: 'NX1', weekday: 1, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'NX2', course: 'NX2', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
      { code: 'CAP-A', course: 'CAP-A', weekday: 3, startsAt: '09:00', endsAt: '11:00' },
      { code: 'CAP-B', course: 'CAP-B', weekday: 4, startsAt: '09:00', endsAt: '11:00' },
      { code: 'CAP-C', course: 'CAP-C', weekday: 5, startsAt: '09:00', endsAt: '11:00' },
    ]);
    await pastSession(database.db, clock, 'NX1-OLD');
    await chainLevels(database.db, 'NX1', 'NX2');
  });
  after(() => database.close());

  it('APP-5 a learner at the cap applies to the next level (a preselection does not count) and is refused at the validation with the cap’s message', async () => {
    const learner = await buildLearner(database.db, clock);
    await pastOutcome(database.db, clock, { learnerId: learner.id, sessionCode: 'NX1-OLD' });
    for (const code of ['CAP-A', 'CAP-B', 'CAP-C']) {
      const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: code });
      assert.ok(pre.ok, JSON.stringify(pre));
      await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
      assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true });
    }
    const applied = await applyToNextLevel(deps, { learnerId: learner.id, sessionCode: 'NX2' });
    assert.ok(applied.ok, JSON.stringify(applied));
    const refused = await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: applied.applicationId });
    assert.equal(!refused.ok && refused.code, 'APP-5');
    assert.equal(!refused.ok && refused.message, 'app.refused.cap');
  });
});
