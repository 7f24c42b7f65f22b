import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { createTestDatabase } from '../../../test/db';
import { buildCatalogue } from '../../../test/catalogue';
import { buildStaff, emailsTo } from '../../../test/app';
import { enrolledLearners } from '../../../test/attendance';
import { courseEnding, meetingRows, submitRegister } from '../../../test/certification';
import { assignScope } from '../scopes';
import { meetingsOf, registerSaved } from '../attendance';
import { cardStamps } from '../payments';
import { documents } from '../documents/documents.table';
import { jobs } from '../../platform/platform.table';
import { applications } from '../applications/applications.table';
import { workJobs } from '../../platform/jobs';
import { certificationJobs, computeOutcomes, issueCertificate, issueDueCertificates, outcomesOf, sweepEndOfCourse } from './index';
import { certificatesPage, enterResults, evaluationPage, fixTestDate, learnerCertificate, lockOutcomes, resultFields } from './certification.service';
import { courseClosures, courseOutcomes, evaluationResults } from './certification.table';
import { courseSessions } from '../catalogue/catalogue.table';
import { revokeDocuments } from '../documents';
import { answerMarks, declareDiploma, decideExemption, exemptionList, learnerRequests, marksList, requestMarks } from './requests.service';

describe('certification: the end of a course (ATT-4, CERT-1, CERT-2, CERT-4, CERT-5)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string; cashOffice: string };
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  const sessionIds: Record<string, number> = {};
  let coordinator: { userId: string };

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie' };
    await buildCatalogue(database.db, clock, [
      { code: 'S-END', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-EVAL', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-DIP', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-LOCK', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-EMPTY', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
    ]);
    made = await enrolledLearners(deps, { 'S-END': 4, 'S-EVAL': 5, 'S-DIP': 1, 'S-LOCK': 1 });
    // The sessions started on Monday 31 August: three meetings of 2 hours, the last on 14 September.
    sessionIds['S-END'] = (await courseEnding(database.db, 'S-END', { lastMeeting: '2026-09-14' })).id;
    sessionIds['S-EVAL'] = (await courseEnding(database.db, 'S-EVAL', { lastMeeting: '2026-09-14', hasEvaluation: true })).id;
    sessionIds['S-DIP'] = (await courseEnding(database.db, 'S-DIP', { lastMeeting: '2026-09-14', hasEvaluation: true, preparesDiploma: true })).id;
    coordinator = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: coordinator.userId, sessions: ['S-END', 'S-EVAL', 'S-DIP'] });
  });
  after(() => database.close());

  const documentsOf = async (applicationId: string, kind: 'attendance_certificate' | 'certificate') =>
    database.db.select().from(documents).where(and(eq(documents.subjectId, applicationId), eq(documents.kind, kind)));
  const outcomeRows = async (sessionId: number) => (await database.db.select().from(courseOutcomes).where(eq(courseOutcomes.sessionId, sessionId))).sort((a, b) => a.applicationId.localeCompare(b.applicationId));

  it('ATT-4 a course not ended yet, then ended with a register missing: no outcome, held back', async () => {
    clock.set(new Date('2026-09-14T17:00:00Z')); // during the last meeting
    assert.deepEqual(await computeOutcomes(deps, sessionIds['S-END']), { ok: false, code: 'not_ended' });
    clock.set(new Date('2026-09-15T08:00:00Z'));
    // The meetings were written from the catalogue's dates by the first computation.
    const [m1, m2, m3] = await meetingRows(database.db, sessionIds['S-END']);
    assert.ok(m1 && m2 && m3);
    assert.deepEqual([m1.startsAt.toISOString(), m1.plannedMinutes], ['2026-08-31T16:00:00.000Z', 120]);
    const [a, b, c, d] = made['S-END'].learners.map((l) => l.applicationId);
    const trainer = made['S-END'].trainer.userId;
    await submitRegister(database.db, clock, m1, trainer, [
      { applicationId: a, mark: 'present' },
      { applicationId: b, mark: 'present' },
      { applicationId: c, mark: 'late', minutesMissed: 30 },
      { applicationId: d, mark: 'present' },
    ]);
    await submitRegister(database.db, clock, m2, trainer, [
      { applicationId: a, mark: 'present' },
      { applicationId: b, mark: 'absent' },
      { applicationId: c, mark: 'present' },
      { applicationId: d, mark: 'present' },
    ]);
    assert.deepEqual(await computeOutcomes(deps, sessionIds['S-END']), { ok: false, code: 'ATT-4' });
    assert.equal((await outcomeRows(sessionIds['S-END'])).length, 0);
  });

  it('ATT-4 CERT-2 once every register is in: minutes over the held minutes, the certificate from exactly 75 %, issued once however often it runs', async () => {
    const [, , m3] = await meetingRows(database.db, sessionIds['S-END']);
    const [a, b, c, d] = made['S-END'].learners.map((l) => l.applicationId);
    // d: late by 100 minutes (90 beyond the grace): 30 of 120, so 270 of 360 = exactly 75 %.
    await submitRegister(database.db, clock, m3, made['S-END'].trainer.userId, [
      { applicationId: a, mark: 'present' },
      { applicationId: b, mark: 'present' },
      { applicationId: c, mark: 'present' },
      { applicationId: d, mark: 'late', minutesMissed: 100 },
    ]);
    const first = await computeOutcomes(deps, sessionIds['S-END']);
    assert.deepEqual(first, { ok: true, outcomes: 4, attendanceCertificates: 3 });
    const rows = await outcomeRows(sessionIds['S-END']);
    const byId = new Map(rows.map((r) => [r.applicationId, r]));
    assert.deepEqual([a, b, c, d].map((id) => [byId.get(id)!.attendedMinutes, byId.get(id)!.plannedMinutes, byId.get(id)!.attendanceCertified]), [
      [360, 360, true],
      [240, 360, false],
      [340, 360, true],
      [270, 360, true],
    ]);
    // CERT-2: no evaluation, no certificate of skills (it validates passing the test), however well attended.
    assert.deepEqual([a, b, c, d].map((id) => byId.get(id)!.certificateDueOn), [null, null, null, null]);
    assert.equal((await documentsOf(a, 'attendance_certificate')).length, 1);
    assert.equal((await documentsOf(b, 'attendance_certificate')).length, 0);
    const email = (await emailsTo(database.db, made['S-END'].learners[0].email)).find((e) => e.subject.includes('attestation d’assiduité'));
    assert.ok(email?.text.includes(`/candidatures/${a}/attestation-assiduite.pdf`));

    // Idempotent: the same rows, no second document, no second email.
    assert.deepEqual(await computeOutcomes(deps, sessionIds['S-END']), { ok: true, outcomes: 4, attendanceCertificates: 0 });
    assert.deepEqual(await outcomeRows(sessionIds['S-END']), rows);
    assert.equal((await documentsOf(a, 'attendance_certificate')).length, 1);
    assert.equal((await emailsTo(database.db, made['S-END'].learners[0].email)).filter((e) => e.subject.includes('attestation d’assiduité')).length, 1);
    const views = await outcomesOf(database.db, [a, b]);
    assert.equal(views.get(a)!.percent, 100);
    assert.match(views.get(a)!.attendanceCode ?? '', /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.equal(views.get(b)!.attendanceCode, null);
    assert.equal(views.get(b)!.percent, 66);
  });

  it('CERT-1 the test date is fixed by a coordinator between the first meeting and six weeks after the last, corrected while no result is entered; the trainer may not fix it', async () => {
    const trainer = { id: made['S-EVAL'].trainer.userId, role: 'trainer' as const };
    const byTrainer = await fixTestDate(deps, trainer, 'S-EVAL', { day: '2026-09-14', time: '18:00' });
    assert.ok(!byTrainer.ok && byTrainer.code === 'forbidden');
    const outOfScope = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: outOfScope.userId, sessions: ['S-END'] });
    const forbidden = await fixTestDate(deps, { id: outOfScope.userId, role: 'coordinator' }, 'S-EVAL', { day: '2026-09-14', time: '18:00' });
    assert.ok(!forbidden.ok && forbidden.code === 'forbidden');
    const unknown = await fixTestDate(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-NONE', { day: '2026-09-14', time: '18:00' });
    assert.ok(!unknown.ok && unknown.code === 'not_found');
    const noEvaluation = await fixTestDate(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-END', { day: '2026-09-14', time: '18:00' });
    assert.ok(!noEvaluation.ok && noEvaluation.message === 'cert.test.noEvaluation');
    // A typo (2062) or a day past six weeks after the last meeting (14 September): next to the field, nothing fixed.
    for (const day of ['2062-09-14', '2026-10-27']) {
      const late = await fixTestDate(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL', { day, time: '18:30' });
      assert.ok(!late.ok && late.message === 'cert.test.tooLate' && late.field === 'day', day);
    }
    const early = await fixTestDate(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL', { day: '2026-08-30', time: '18:30' });
    assert.ok(!early.ok && early.message === 'cert.test.beforeCourse');
    const before = await evaluationPage(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL');
    assert.ok(before.ok && before.page.fixed === null);
    const latest = await fixTestDate(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL', { day: '2026-10-26', time: '18:30' });
    assert.ok(latest.ok);
    // No result yet: the date may be corrected.
    const fixed = await fixTestDate(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL', { day: '2026-09-14', time: '18:30' });
    assert.ok(fixed.ok);
    assert.equal(fixed.testAt.toISOString(), '2026-09-14T16:30:00.000Z');
    const page = await evaluationPage(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL');
    assert.ok(page.ok && page.page.fixed?.testAt.toISOString() === '2026-09-14T16:30:00.000Z' && page.page.mayFix);
  });

  it('CERT-1 results before the test are refused; out of range next to the field, nothing saved; a correction is a new entry', async () => {
    const [p, f, x, q, r] = made['S-EVAL'].learners.map((l) => l.applicationId);
    const trainer = { id: made['S-EVAL'].trainer.userId, role: 'trainer' as const };
    clock.set(new Date('2026-09-14T16:00:00Z'));
    const early = await enterResults(deps, trainer, 'S-EVAL', { [resultFields(p).outcome]: 'passed', [resultFields(p).score]: '12' });
    assert.ok(!early.ok && early.code === 'refused' && early.message === 'cert.error.noTestYet');
    clock.set(new Date('2026-09-15T08:00:00Z'));
    const wrong = await enterResults(deps, trainer, 'S-EVAL', {
      [resultFields(p).outcome]: 'passed',
      [resultFields(p).score]: '21',
      [resultFields(f).outcome]: 'failed',
      [resultFields(f).score]: '8',
    });
    assert.ok(!wrong.ok && wrong.code === 'invalid');
    assert.deepEqual(Object.keys(wrong.errors), [resultFields(p).score]);
    assert.equal((await database.db.select().from(evaluationResults)).length, 0);
    // Partial results: the course waits for every learner's.
    const some = await enterResults(deps, trainer, 'S-EVAL', { [resultFields(p).outcome]: 'failed', [resultFields(p).score]: '9' });
    assert.deepEqual(some, { ok: true, saved: 1 });
    assert.deepEqual(await computeOutcomes(deps, sessionIds['S-EVAL']), { ok: false, code: 'ATT-4' });
    for (const meeting of await meetingRows(database.db, sessionIds['S-EVAL']))
      await submitRegister(database.db, clock, meeting, trainer.id, made['S-EVAL'].learners.map((l) => ({ applicationId: l.applicationId, mark: 'present' as const })));
    assert.deepEqual(await computeOutcomes(deps, sessionIds['S-EVAL']), { ok: false, code: 'CERT-1' });
    const all = await enterResults(deps, trainer, 'S-EVAL', {
      [resultFields(p).outcome]: 'passed',
      [resultFields(p).score]: '12',
      [resultFields(f).outcome]: 'failed',
      [resultFields(f).score]: '8',
      [resultFields(x).outcome]: 'absent',
      [resultFields(x).score]: '',
      [resultFields(q).outcome]: 'passed',
      [resultFields(q).score]: '15',
      [resultFields(r).outcome]: 'passed',
      [resultFields(r).score]: '16',
    });
    assert.deepEqual(all, { ok: true, saved: 5 });
    const entries = await database.db.select().from(evaluationResults).where(eq(evaluationResults.applicationId, p));
    assert.deepEqual(entries.map((e) => [e.outcome, e.score]), [['failed', 9], ['passed', 12]]);
    // The same form again: nothing new.
    assert.deepEqual(await enterResults(deps, trainer, 'S-EVAL', { [resultFields(p).outcome]: 'passed', [resultFields(p).score]: '12' }), { ok: true, saved: 0 });
    // CERT-1: results entered, the date is fixed for the learners.
    const moved = await fixTestDate(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL', { day: '2026-09-15', time: '18:30' });
    assert.ok(!moved.ok && moved.message === 'cert.test.resultsEntered');
    const page = await evaluationPage(deps, { id: coordinator.userId, role: 'coordinator' }, 'S-EVAL');
    assert.ok(page.ok && !page.page.mayFix);
  });

  it('CERT-1 CERT-2 passing requires the test: passed gets the certificate due two months after the end; failed and absent none, though present throughout', async () => {
    const [p, f, x] = made['S-EVAL'].learners.map((l) => l.applicationId);
    assert.deepEqual(await computeOutcomes(deps, sessionIds['S-EVAL']), { ok: true, outcomes: 5, attendanceCertificates: 5 });
    const rows = new Map((await outcomeRows(sessionIds['S-EVAL'])).map((r) => [r.applicationId, r]));
    assert.deepEqual([p, f, x].map((id) => [rows.get(id)!.outcome, rows.get(id)!.certificateDueOn, rows.get(id)!.attendanceCertified]), [
      ['passed', '2026-11-14', true],
      ['failed', null, true],
      ['absent', null, true],
    ]);
  });

  it('PAY-4 ATT-4 CERT-2 the card stamps "attendance" once the attendance certificate is issued, "skills" once the certificate of skills is', async () => {
    const [p, f] = made['S-EVAL'].learners.map((l) => l.applicationId);
    const [a] = made['S-END'].learners.map((l) => l.applicationId);
    assert.deepEqual(await cardStamps.ask(database.db, p), { attendance: true, skills: false });
    const issued = await issueCertificate(deps, { id: coordinator.userId, role: 'coordinator' }, p);
    assert.deepEqual(issued, { ok: true, issued: true });
    assert.deepEqual(await cardStamps.ask(database.db, p), { attendance: true, skills: true });
    // Délivrer twice: one certificate.
    assert.deepEqual(await issueCertificate(deps, { id: coordinator.userId, role: 'coordinator' }, p), { ok: true, issued: false });
    assert.equal((await documentsOf(p, 'certificate')).length, 1);
    // Not passed (failed; or a course without an evaluation): refused; a trainer may not.
    for (const id of [f, a]) {
      const refused = await issueCertificate(deps, { id: coordinator.userId, role: 'coordinator' }, id);
      assert.ok(!refused.ok && refused.code === 'refused' && refused.message === 'cert.skills.notPassed');
    }
    const trainer = await issueCertificate(deps, { id: made['S-EVAL'].trainer.userId, role: 'trainer' }, f);
    assert.ok(!trainer.ok && trainer.code === 'forbidden');
  });

  it('CERT-2 decision 008: issuing out of one’s scope is forbidden (403), an unknown enrolment not found (404)', async () => {
    const [, f] = made['S-EVAL'].learners.map((l) => l.applicationId);
    const outside = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: outside.userId, sessions: ['S-END'] });
    const out = await issueCertificate(deps, { id: outside.userId, role: 'coordinator' }, f);
    assert.ok(!out.ok && out.code === 'forbidden', JSON.stringify(out));
    const unknown = await issueCertificate(deps, { id: outside.userId, role: 'coordinator' }, '00000000-0000-4000-8000-000000000000');
    assert.ok(!unknown.ok && unknown.code === 'not_found');
  });

  it('CERT-2 the job issues the certificates of skills on their due date, not the day before', async () => {
    const [, , , c, d] = made['S-EVAL'].learners.map((l) => l.applicationId);
    clock.set(new Date('2026-11-13T10:00:00Z'));
    assert.equal(await issueDueCertificates(deps), 0);
    clock.set(new Date('2026-11-14T06:00:00Z'));
    // One of them withdrawn since (the lifecycle refuses it): it does not hold back the other.
    const [first, second] = [c, d].sort();
    await database.db.update(applications).set({ status: 'withdrawn' }).where(eq(applications.id, first));
    assert.equal(await issueDueCertificates(deps, { limit: 1 }), 1);
    assert.equal((await documentsOf(second, 'certificate')).length, 1);
    assert.equal((await documentsOf(first, 'certificate')).length, 0);
    await database.db.update(applications).set({ status: 'enrolled' }).where(eq(applications.id, first));
    assert.equal(await issueDueCertificates(deps), 1);
    assert.equal(await issueDueCertificates(deps), 0);
    for (const id of [c, d]) assert.equal((await documentsOf(id, 'certificate')).length, 1);
    const [row] = await database.db.select().from(courseOutcomes).where(eq(courseOutcomes.applicationId, c));
    assert.ok(row.certificateIssuedAt && row.certificateDocumentId);
    const email = (await emailsTo(database.db, made['S-EVAL'].learners[3].email)).find((e) => e.subject.includes('certificat de compétences'));
    assert.ok(email?.text.includes(`/candidatures/${c}/certificat.pdf`));
    clock.set(new Date('2026-09-15T08:00:00Z'));
  });

  it('ATT-4 the sweep queues the end-of-course job of a session ended without outcomes, and the job computes them', async () => {
    await database.db.delete(jobs);
    // S-DIP: its registers filled, its results too (its date at the last meeting, never fixed).
    const trainer = made['S-DIP'].trainer.userId;
    const [learner] = made['S-DIP'].learners;
    await meetingsOf(database.db, [sessionIds['S-DIP']]);
    for (const meeting of await meetingRows(database.db, sessionIds['S-DIP'])) await submitRegister(database.db, clock, meeting, trainer, [{ applicationId: learner.applicationId, mark: 'present' }]);
    await enterResults(deps, { id: trainer, role: 'trainer' }, 'S-DIP', { [resultFields(learner.applicationId).outcome]: 'passed', [resultFields(learner.applicationId).score]: '15' });
    const swept = await sweepEndOfCourse(deps);
    assert.equal(swept.queued, 1);
    assert.equal((await sweepEndOfCourse(deps)).queued, 0, 'a job already waits');
    await workJobs({ db: database.db, clock, handlers: certificationJobs(deps) });
    const [row] = await outcomeRows(sessionIds['S-DIP']);
    assert.equal(row.outcome, 'passed');
    assert.equal(row.certificateDueOn, '2026-11-14');
    assert.equal((await sweepEndOfCourse(deps)).queued, 0, 'done: nothing more');
    const [{ count }] = await database.db.select({ count: sql<number>`count(*)::int` }).from(jobs).where(sql`done_at is not null`);
    assert.equal(count, 1);
  });

  it('CERT-4 a learner on a diploma course declares a higher diploma; the coordinator grants it with a reason; the learner sees it', async () => {
    const [learner] = made['S-DIP'].learners;
    const notDiploma = await declareDiploma(deps, made['S-END'].learners[0].learnerId, made['S-END'].learners[0].applicationId, 'Licence');
    assert.ok(!notDiploma.ok && notDiploma.message === 'cert.error.notDiploma');
    const someoneElse = await declareDiploma(deps, made['S-END'].learners[0].learnerId, learner.applicationId, 'Licence');
    assert.ok(!someoneElse.ok && someoneElse.code === 'not_found');
    assert.deepEqual(await declareDiploma(deps, learner.learnerId, learner.applicationId, 'Licence de lettres, 2015'), { ok: true });
    const byTrainer = await decideExemption(deps, { id: made['S-DIP'].trainer.userId, role: 'trainer' }, learner.applicationId, { grant: true, reason: 'Diplôme vu' });
    assert.ok(!byTrainer.ok && byTrainer.code === 'forbidden');
    // Decision 008: out of scope, 403; unknown, 404.
    const outside = await buildStaff(database.db, clock, 'coordinator');
    const out = await decideExemption(deps, { id: outside.userId, role: 'coordinator' }, learner.applicationId, { grant: true, reason: 'Non' });
    assert.ok(!out.ok && out.code === 'forbidden');
    const unknown = await decideExemption(deps, { id: coordinator.userId, role: 'coordinator' }, '00000000-0000-4000-8000-000000000000', { grant: true, reason: 'Non' });
    assert.ok(!unknown.ok && unknown.code === 'not_found');
    // The page's form, from the lifecycle: while it waits, for a role that may decide.
    assert.deepEqual((await exemptionList(deps, { id: coordinator.userId, role: 'coordinator' })).map((r) => r.mayDecide), [true]);
    assert.deepEqual(await decideExemption(deps, { id: coordinator.userId, role: 'coordinator' }, learner.applicationId, { grant: true, reason: 'Licence vérifiée' }), { ok: true });
    const twice = await decideExemption(deps, { id: coordinator.userId, role: 'coordinator' }, learner.applicationId, { grant: false, reason: 'Non' });
    assert.ok(!twice.ok && twice.message === 'cert.error.exemptionDecided');
    assert.deepEqual((await exemptionList(deps, { id: coordinator.userId, role: 'coordinator' })).map((r) => r.mayDecide), [false]);
    const page = await learnerRequests(deps, learner.learnerId, learner.applicationId);
    assert.equal(page!.exemption!.status, 'granted');
    assert.equal(page!.exemption!.reason, 'Licence vérifiée');
    assert.ok(!page!.actions.has('declareDiploma'));
  });

  it('CERT-5 marks are asked for once there is a result, one request at a time; staff answer; the learner sees the answer and is emailed', async () => {
    const [learner] = made['S-EVAL'].learners;
    const noResult = await requestMarks(deps, made['S-END'].learners[0].learnerId, made['S-END'].learners[0].applicationId, '');
    assert.ok(!noResult.ok && noResult.message === 'cert.error.noMarks');
    assert.deepEqual(await requestMarks(deps, learner.learnerId, learner.applicationId, 'Bonjour, puis-je avoir le détail ?'), { ok: true });
    const twice = await requestMarks(deps, learner.learnerId, learner.applicationId, '');
    assert.ok(!twice.ok && twice.message === 'cert.error.marksPending');
    const list = await marksList(deps, { id: coordinator.userId, role: 'coordinator' });
    assert.equal(list.length, 1);
    assert.equal(list[0].result?.score, 12);
    const outside = await buildStaff(database.db, clock, 'coordinator');
    assert.equal((await marksList(deps, { id: outside.userId, role: 'coordinator' })).length, 0);
    const notInScope = await answerMarks(deps, { id: outside.userId, role: 'coordinator' }, list[0].row.id, 'Non');
    assert.ok(!notInScope.ok && notInScope.code === 'forbidden', 'decision 008: out of scope is 403');
    assert.deepEqual(await answerMarks(deps, { id: coordinator.userId, role: 'coordinator' }, list[0].row.id, 'Écrit 12/20, oral 14/20.'), { ok: true });
    const page = await learnerRequests(deps, learner.learnerId, learner.applicationId);
    assert.equal(page!.requests[0].answer, 'Écrit 12/20, oral 14/20.');
    assert.ok(page!.actions.has('requestMarks'), 'answered: another request may follow');
    const email = (await emailsTo(database.db, learner.email)).find((e) => e.subject.startsWith('Vos notes'));
    assert.ok(email?.text.includes('Écrit 12/20, oral 14/20.'));
  });
  it('ATT-4 a register corrected after the outcomes: the job runs again, the learner now above the threshold gets the certificate, issued ones stay', async () => {
    await database.db.delete(jobs);
    const [a, b] = made['S-END'].learners.map((l) => l.applicationId);
    const [, m2] = await meetingRows(database.db, sessionIds['S-END']);
    const trainer = made['S-END'].trainer.userId;
    // b was absent at the second meeting: the trainer corrects it to present (a new entry).
    await submitRegister(database.db, clock, m2, trainer, [{ applicationId: b, mark: 'present' }]);
    for (let i = 0; i < 2; i++)
      await database.db.transaction((tx) => registerSaved.emit(tx, { meetingId: m2.id, sessionId: sessionIds['S-END'], applicationIds: [b], actorId: trainer, at: clock.now() }));
    const waiting = await database.db.select().from(jobs).where(sql`done_at is null`);
    assert.equal(waiting.length, 1, 'one job however many saves');
    await workJobs({ db: database.db, clock, handlers: certificationJobs(deps) });
    const views = await outcomesOf(database.db, [a, b]);
    assert.equal(views.get(b)!.attendedMinutes, 360);
    assert.ok(views.get(b)!.attendanceCode);
    assert.equal((await documentsOf(a, 'attendance_certificate')).length, 1);
  });

  it('CERT-2 a result corrected after the outcomes were computed: the job runs again and the outcome follows', async () => {
    await database.db.delete(jobs);
    const [, f] = made['S-EVAL'].learners.map((l) => l.applicationId);
    const trainer = { id: made['S-EVAL'].trainer.userId, role: 'trainer' as const };
    assert.deepEqual(await enterResults(deps, trainer, 'S-EVAL', { [resultFields(f).outcome]: 'passed', [resultFields(f).score]: '11' }), { ok: true, saved: 1 });
    const waiting = await database.db.select().from(jobs).where(sql`done_at is null`);
    assert.equal(waiting.length, 1, 'the end-of-course job is queued again');
    await workJobs({ db: database.db, clock, handlers: certificationJobs(deps) });
    const [row] = await database.db.select().from(courseOutcomes).where(eq(courseOutcomes.applicationId, f));
    assert.deepEqual([row.outcome, row.certificateDueOn], ['passed', '2026-11-14']);
  });

  it('ATT-4 a register saved while the outcomes are being computed waits for them, then queues the job again', async () => {
    await database.db.delete(jobs);
    const sessionId = (await courseEnding(database.db, 'S-LOCK', { lastMeeting: '2026-09-14' })).id;
    const [learner] = made['S-LOCK'].learners;
    await meetingsOf(database.db, [sessionId]);
    const [meeting] = await meetingRows(database.db, sessionId);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const hasLock = new Promise<void>((resolve) => (locked = resolve));
    // The first computation: holds the session's lock, writes its outcome after the register's save began.
    const first = database.db.transaction(async (tx) => {
      await lockOutcomes(tx, sessionId);
      locked();
      await gate;
      await tx.insert(courseOutcomes).values({ applicationId: learner.applicationId, sessionId, courseId: 0, learnerId: learner.learnerId, attendedMinutes: 0, plannedMinutes: 360, attendanceCertified: false, computedAt: clock.now() });
    });
    await hasLock;
    const second = database.db.transaction((tx) => registerSaved.emit(tx, { meetingId: meeting.id, sessionId, applicationIds: [learner.applicationId], actorId: made['S-LOCK'].trainer.userId, at: clock.now() }));
    await new Promise((resolve) => setTimeout(resolve, 150));
    release();
    await Promise.all([first, second]);
    const waiting = await database.db.select().from(jobs).where(sql`done_at is null`);
    assert.equal(waiting.length, 1, 'the correction is not lost');
  });

  it('ATT-4 a session ended with nobody enrolled is computed once: the sweep does not queue it again', async () => {
    await database.db.delete(jobs);
    const [session] = await database.db.update(courseSessions).set({ firstMeeting: '2026-08-31', lastMeeting: '2026-09-14' }).where(eq(courseSessions.code, 'S-EMPTY')).returning();
    assert.equal((await sweepEndOfCourse(deps)).queued, 1, 'S-EMPTY');
    await workJobs({ db: database.db, clock, handlers: certificationJobs(deps) });
    const [closure] = await database.db.select().from(courseClosures).where(eq(courseClosures.sessionId, session.id));
    assert.ok(closure, 'computed, nothing to write');
    assert.equal((await sweepEndOfCourse(deps)).queued, 0);
    const page = await certificatesPage(deps, { id: coordinator.userId, role: 'coordinator' });
    assert.ok(!page.heldBack.some((h) => h.session.code === 'S-EMPTY'));
  });

  it('ATT-4 CERT-2 a revoked certificate is no longer served to the learner nor stamped on the card', async () => {
    const [learner] = made['S-EVAL'].learners;
    assert.ok(await learnerCertificate(deps, learner.learnerId, learner.applicationId, 'skills'));
    assert.deepEqual(await cardStamps.ask(database.db, learner.applicationId), { attendance: true, skills: true });
    await database.db.transaction((tx) => revokeDocuments(tx, ['certificate', 'attendance_certificate'], learner.applicationId, 'Délivré par erreur', clock));
    assert.equal(await learnerCertificate(deps, learner.learnerId, learner.applicationId, 'skills'), null);
    assert.equal(await learnerCertificate(deps, learner.learnerId, learner.applicationId, 'attendance'), null);
    assert.deepEqual(await cardStamps.ask(database.db, learner.applicationId), { attendance: false, skills: false });
  });
});
