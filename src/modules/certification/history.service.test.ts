import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { enrolledLearners } from '../../../test/attendance';
import { buildCatalogue } from '../../../test/catalogue';
import { insertOutcome, issueCertificate, markIn, pastEnrolment } from '../../../test/history';
import { cancelApplication } from '../applications';
import { issueDocument } from '../documents';
import { meetingsOf, type MeetingRow } from '../attendance';
import { courseSessions } from '../catalogue/catalogue.table';
import { applicationEvents, applications } from '../applications/applications.table';
import { evaluationResults, marksRequests } from './certification.table';
import { learnerHistory, type HistoryDeps } from './history.service';

const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
const BASE = 'http://localhost:3000';

describe('the learner’s history (ACC-10)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let cancelled: { learnerId: string; applicationId: string };
  let past: { applicationId: string };
  let due: { applicationId: string };
  let meetings: MeetingRow[];
  const deps = () => ({ db: t.db, clock: t.clock, baseUrl: BASE, secret: TEST_SECRET, cashOffice: 'Régie CMA et AE' });
  const history = (): HistoryDeps => ({ db: t.db, clock: t.clock, baseUrl: BASE, secret: TEST_SECRET, policies: { justifiedAbsenceCountsAsPresence: 0, attendanceCertificatePercent: 75 } });
  const signing = () => ({ baseUrl: BASE, secret: TEST_SECRET, clock: t.clock });

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'H-RUN', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'H-OLD', weekday: 2, startsAt: '18:00', endsAt: '20:00', period: 'closed' },
      { code: 'H-OLD2', weekday: 4, startsAt: '18:00', endsAt: '20:00', period: 'closed' },
      { code: 'H-X', weekday: 5, startsAt: '10:00', endsAt: '12:00' },
    ]);
    // A learner who sent an application and gave it up while the period was open.
    const [x] = await confirmedApplicants(deps(), 'H-X', 1);
    assert.deepEqual(await cancelApplication(deps(), { learnerId: x.learnerId, applicationId: x.applicationId }), { ok: true, status: 'cancelled' });
    cancelled = x;
    made = await enrolledLearners(deps(), { 'H-RUN': 2 });
    const [a, b] = made['H-RUN'].learners;
    // A: last year's course, attended at 80 %, passed, both certificates issued.
    past = await pastEnrolment(t.db, t.clock, { learnerId: a.learnerId, sessionCode: 'H-OLD', firstMeeting: '2025-09-02', lastMeeting: '2026-06-02' });
    const attendanceDoc = await issueCertificate(t.db, signing(), past.applicationId, 'attendance_certificate');
    const certificateDoc = await issueCertificate(t.db, signing(), past.applicationId, 'certificate');
    await insertOutcome(t.db, t.clock, past.applicationId, {
      attendedMinutes: 4_800,
      plannedMinutes: 6_000,
      certified: true,
      attendanceDocumentId: attendanceDoc.id,
      outcome: 'passed',
      certificateDueOn: '2026-08-02',
      certificateDocumentId: certificateDoc.id,
      certificateIssuedAt: t.clock.now(),
    });
    // B: a course ended, passed, its certificate of skills still to issue; attendance below 75 %.
    due = await pastEnrolment(t.db, t.clock, { learnerId: b.learnerId, sessionCode: 'H-OLD2', firstMeeting: '2025-09-04', lastMeeting: '2026-07-02' });
    await insertOutcome(t.db, t.clock, due.applicationId, { attendedMinutes: 3_000, plannedMinutes: 6_000, certified: false, outcome: 'passed', certificateDueOn: '2026-09-02' });
    // A came to the first meeting of the running course 30 minutes late (10 of grace: 100 of 120 minutes).
    const [{ id }] = await t.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'H-RUN'));
    meetings = (await meetingsOf(t.db, [id])).get(id)!;
    assert.ok(meetings[0].startsAt <= t.clock.now() && meetings[1].startsAt > t.clock.now(), 'one meeting held');
    await markIn(t.db, t.clock, { meetingId: meetings[0].id, applicationId: a.applicationId, by: made['H-RUN'].trainer.userId, mark: 'late', minutesMissed: 30, minutesAttended: 100 });
  });
  after(() => t.close());

  it('ACC-10 lists every application of the learner, newest first, with its session, period and dates', async () => {
    const [a] = made['H-RUN'].learners;
    const entries = await learnerHistory(history(), a.learnerId);
    assert.deepEqual(
      entries.map((e) => [e.applicationId, e.session.code, e.status]),
      [
        [a.applicationId, 'H-RUN', 'enrolled'],
        [past.applicationId, 'H-OLD', 'enrolled'],
      ],
    );
    assert.equal(entries[1].session.firstMeeting, '2025-09-02');
    assert.equal(entries[1].session.lastMeeting, '2026-06-02');
    assert.equal(entries[0].session.period.name, 'Période ouverte');
    assert.ok(entries[0].sentAt instanceof Date);
  });

  it('ACC-10 a running enrolment shows its attendance so far and at most reachable, by the hourly volume', async () => {
    const [a, b] = made['H-RUN'].learners;
    const remaining = meetings.slice(1).reduce((sum, m) => sum + m.plannedMinutes, 0);
    const [running] = await learnerHistory(history(), a.learnerId);
    assert.deepEqual(running.attendance, { kind: 'running', soFar: Math.floor((100 * 100) / 120), reachable: Math.floor(((100 + remaining) * 100) / (120 + remaining)) });
    assert.equal(running.outcome, null);
    assert.equal(running.attendanceCertificate, null);
    // B has no mark for the meeting held: none of its minutes.
    const [other] = (await learnerHistory(history(), b.learnerId)).filter((e) => e.applicationId === b.applicationId);
    assert.deepEqual(other.attendance, { kind: 'running', soFar: 0, reachable: Math.floor((remaining * 100) / (120 + remaining)) });
  });

  it('ACC-10 an enrolment with its end-of-course results shows the final attendance, the outcome and both certificates with their codes and PDFs', async () => {
    const [a] = made['H-RUN'].learners;
    const entry = (await learnerHistory(history(), a.learnerId)).find((e) => e.applicationId === past.applicationId)!;
    assert.deepEqual(entry.attendance, { kind: 'final', percent: 80, certified: true });
    assert.equal(entry.outcome, 'passed');
    assert.equal(entry.certificateDueOn, null, 'issued: no longer due');
    assert.equal(entry.attendanceCertificate?.kind, 'attendance_certificate');
    assert.match(entry.attendanceCertificate!.displayCode, /^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    assert.equal(entry.attendanceCertificate?.pdf, `/candidatures/${past.applicationId}/attestation-assiduite.pdf`);
    assert.equal(entry.certificate?.pdf, `/candidatures/${past.applicationId}/certificat.pdf`);
    assert.equal(entry.certificate?.status, 'valid');
  });

  it('ACC-10 a certificate of skills not yet issued shows its due date; attendance below the policy has no attendance certificate', async () => {
    const [, b] = made['H-RUN'].learners;
    const entry = (await learnerHistory(history(), b.learnerId)).find((e) => e.applicationId === due.applicationId)!;
    assert.deepEqual(entry.attendance, { kind: 'final', percent: 50, certified: false });
    assert.equal(entry.certificateDueOn, '2026-09-02');
    assert.equal(entry.certificate, null);
    assert.equal(entry.attendanceCertificate, null);
  });

  it('ACC-10 a closed application says when and why (the lifecycle’s reason)', async () => {
    const entries = await learnerHistory(history(), cancelled.learnerId);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].status, 'cancelled');
    assert.equal(entries[0].closingReason, 'learner');
    assert.ok(entries[0].closedAt instanceof Date);
    assert.equal(entries[0].attendance, null);
    assert.deepEqual(entries[0].documents, []);
  });

  it('ACC-10 the enrolment’s documents are listed once issued, with their PDF route while the lifecycle allows it', async () => {
    const [a] = made['H-RUN'].learners;
    const issue = (kind: 'enrollee_card' | 'cost_attestation') =>
      t.db.transaction((tx) => issueDocument(tx, signing(), { kind, subjectId: a.applicationId, holderName: 'Léa Durand', title: 'Cours', issuerName: 'Service', replace: true }));
    const card = await issue('enrollee_card');
    const cost = await issue('cost_attestation');
    const [entry] = await learnerHistory(history(), a.learnerId);
    const byKind = new Map(entry.documents.map((d) => [d.kind, d]));
    assert.deepEqual(byKind.get('enrollee_card'), { kind: 'enrollee_card', code: card.code, displayCode: card.displayCode, status: 'valid', issuedAt: card.issuedAt, pdf: `/candidatures/${a.applicationId}/carte.pdf` });
    // PAY-8: the cost attestation is downloaded while awaiting payment; once paid, only its code verifies it.
    assert.equal(byKind.get('cost_attestation')?.displayCode, cost.displayCode);
    assert.equal(byKind.get('cost_attestation')?.pdf, null);
    assert.ok(!byKind.has('convocation'));
  });

  it('ACC-10 a learner sees only their own history', async () => {
    const [a, b] = made['H-RUN'].learners;
    const ofA = (await learnerHistory(history(), a.learnerId)).map((e) => e.applicationId);
    const ofB = (await learnerHistory(history(), b.learnerId)).map((e) => e.applicationId);
    assert.deepEqual(ofB.sort(), [b.applicationId, due.applicationId].sort());
    assert.ok(!ofA.some((id) => ofB.includes(id) || id === cancelled.applicationId));
  });

  it('CERT-5 the history offers "Demander mes notes" once the lifecycle allows it, and shows the answers given', async () => {
    const [a] = made['H-RUN'].learners;
    const before = (await learnerHistory(history(), a.learnerId)).find((e) => e.applicationId === past.applicationId)!;
    assert.deepEqual(before.requests, { mayRequestMarks: false, mayDeclareDiploma: false, exemption: null, marksAnswers: [] });
    await t.db.insert(evaluationResults).values({ applicationId: past.applicationId, outcome: 'passed', score: 14, enteredBy: made['H-RUN'].trainer.userId, enteredAt: t.clock.now() });
    await t.db.insert(marksRequests).values({ applicationId: past.applicationId, message: '', askedAt: t.clock.now(), answer: 'Écrit 14/20.', answeredBy: made['H-RUN'].trainer.userId, answeredAt: t.clock.now() });
    const entry = (await learnerHistory(history(), a.learnerId)).find((e) => e.applicationId === past.applicationId)!;
    assert.equal(entry.requests.mayRequestMarks, true);
    assert.deepEqual(entry.requests.marksAnswers.map((m) => m.answer), ['Écrit 14/20.']);
  });

  it('ACC-10 an enrolment removed during the course shows its attendance up to its closing', async () => {
    const [, b] = made['H-RUN'].learners;
    await markIn(t.db, t.clock, { meetingId: meetings[0].id, applicationId: b.applicationId, by: made['H-RUN'].trainer.userId, mark: 'present', minutesAttended: 120 });
    await t.db.update(applications).set({ status: 'removed' }).where(eq(applications.id, b.applicationId));
    await t.db.insert(applicationEvents).values({ applicationId: b.applicationId, at: t.clock.now(), actorId: null, fromStatus: 'enrolled', toStatus: 'removed', reason: 'absences' });
    const entry = (await learnerHistory(history(), b.learnerId)).find((e) => e.applicationId === b.applicationId)!;
    assert.equal(entry.status, 'removed');
    assert.deepEqual(entry.attendance, { kind: 'closed', percent: 100, until: t.clock.now() });
  });
});
