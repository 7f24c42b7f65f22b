import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { EvaluationOutcome } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { parisInstant, type Clock } from '../../platform/clock';
import { translator, type MessageKey } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { enqueueJob, jobPending, type JobHandlers } from '../../platform/jobs';
import { getPolicies, type Policies } from '../../platform/policies';
import { getUser, getUsers, learnerNames, parisDay, tellLearner, type LearnerMessage, type User } from '../accounts';
import { applicationById, applicationsByIds, applicationsOf, refusal, roleMay, systemActor, type Actor, type Application, type Facts } from '../applications';
import { attendanceOf, meetingFact, meetingsOf, meetsAttendance, missingRegisters, percentOf, type MeetingRow } from '../attendance';
import { sessionIdsEnded, sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { currentDocument, documentCodes, issueDocument, lockDocumentSubject, type DocumentSigning, type IssuedDocument } from '../documents';
import { scopeOf } from '../scopes';
import { addDays, certificateDueOn, checkResult, courseEnd, isLate, passed, readyForOutcomes, testDate, type HeldBack } from './certification.rules';
import { courseClosures, courseOutcomes, evaluationResults, sessionTests } from './certification.table';
import { recordUnitsOfSession } from './credits.service';

/**
 * The end of a course (SPEC ATT-4, CERT-1, CERT-2): the test's fixed date and its results, the
 * outcomes computed once the course has ended and its registers and results are complete, the
 * attendance certificate issued then, the certificate of skills issued by a coordinator or, at
 * its due date at the latest, by the job. Every document is one of the register (PAY-10).
 */

export interface CertificationDeps {
  db: import('../../db/database').Db;
  clock: Clock;
  baseUrl: string;
  secret: string;
}
export type Staff = { id: string; role: User['role'] };
export type CourseOutcome = typeof courseOutcomes.$inferSelect;
export type EvaluationResult = typeof evaluationResults.$inferSelect;

export type CertFailure = {
  ok: false;
  code: 'not_found' | 'forbidden' | 'refused';
  message: MessageKey;
  /** The form field the message goes next to, when it is about one. */
  field?: string;
  params?: Record<string, string | number>;
};
const failure = (code: CertFailure['code'], message: MessageKey, more: { field?: string; params?: Record<string, string | number> } = {}): CertFailure => ({ ok: false, code, message, ...more });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

export const certificationJobKinds = {
  /** ATT-4, CERT-2: computes a course's outcomes once it has ended (retried by the sweep while held back). */
  endOfCourse: 'certification.endOfCourse',
} as const;

const signingOf = (deps: Pick<CertificationDeps, 'baseUrl' | 'secret' | 'clock'>): DocumentSigning => ({ baseUrl: deps.baseUrl, secret: deps.secret, clock: deps.clock });

async function sessionById(db: DbOrTx, id: number): Promise<SessionForApplication | null> {
  const [session] = await sessionsForApplications(db, { ids: [id] });
  return session ?? null;
}

/** A session by its code, if it exists (else 404) and is in the staff member's scope (else 403). */
export async function sessionForStaff(db: DbOrTx, staff: Staff, code: string): Promise<{ ok: true; session: SessionForApplication } | CertFailure> {
  const [session] = await sessionsForApplications(db, { codes: [code] });
  if (!session) return notFound;
  const [inScope] = await sessionsInScope(db, await scopeOf(db, staff), { code });
  return inScope ? { ok: true, session } : forbidden;
}

/** The latest result of each of these applications (append-only: a correction is a new entry). */
export async function resultsOf(db: DbOrTx, applicationIds: string[]): Promise<Map<string, EvaluationResult>> {
  if (applicationIds.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([evaluationResults.applicationId])
    .from(evaluationResults)
    .where(inArray(evaluationResults.applicationId, applicationIds))
    .orderBy(evaluationResults.applicationId, desc(evaluationResults.id));
  return new Map(rows.map((r) => [r.applicationId, r]));
}

async function fixedTest(db: DbOrTx, sessionId: number) {
  const [row] = await db.select().from(sessionTests).where(eq(sessionTests.sessionId, sessionId));
  return row ?? null;
}

const facts = (m: MeetingRow[]) => m.map(meetingFact);

/**
 * ATT-4, CERT-2: the session's end-of-course lock, taken by the computation of its outcomes and by
 * whatever asks for it again (a register or a result corrected), so that a correction committed
 * while the outcomes are computed is seen by one or the other.
 */
export async function lockOutcomes(tx: DbOrTx, sessionId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`certification:outcomes:${sessionId}`}, 0))`);
}

/**
 * After a correction (a register, a result) in the caller's transaction: when the session's
 * outcomes are computed, the end-of-course job runs again (once, however many corrections wait).
 */
async function computeAgain(tx: Tx, sessionId: number, at: Date): Promise<void> {
  await lockOutcomes(tx, sessionId);
  const [computed] = await tx.select({ one: sql`1` }).from(courseOutcomes).where(eq(courseOutcomes.sessionId, sessionId)).limit(1);
  if (!computed) return;
  if (await jobPending(tx, { kind: certificationJobKinds.endOfCourse, payload: { sessionId }, notStarted: true })) return;
  await enqueueJob(tx, { kind: certificationJobKinds.endOfCourse, payload: { sessionId }, runAt: at, maxAttempts: 3 });
}

// ---------------------------------------------------------------------------------------------
// CERT-1: the test's date and its results
// ---------------------------------------------------------------------------------------------

export interface EvaluationPage {
  session: SessionForApplication;
  /** The date fixed on this page, or null (the test is then at the last meeting). */
  fixed: { testAt: Date; fixedAt: Date } | null;
  testAt: Date | null;
  testHeld: boolean;
  mayFix: boolean;
  mayEnter: boolean;
  learners: { application: Application; name: string; result: EvaluationResult | null }[];
}

/** CERT-1: the evaluation page of a session in scope: its test date, its enrolled learners and their results. */
export async function evaluationPage(deps: CertificationDeps, staff: Staff, code: string): Promise<{ ok: true; page: EvaluationPage } | CertFailure> {
  const found = await sessionForStaff(deps.db, staff, code);
  if (!found.ok) return found;
  const { session } = found;
  const fixed = await fixedTest(deps.db, session.id);
  const meetings = (await meetingsOf(deps.db, [session.id])).get(session.id) ?? [];
  const testAt = testDate(fixed?.testAt ?? null, facts(meetings));
  const testHeld = testAt !== null && testAt <= deps.clock.now();
  const enrolled = await applicationsOf(deps.db, { sessionId: session.id, action: 'enterResult' });
  const names = await learnerNames(deps.db, enrolled.map((a) => a.learnerId));
  const results = await resultsOf(deps.db, enrolled.map((a) => a.id));
  const learners = enrolled
    .map((application) => ({ application, name: names.get(application.learnerId) ?? '', result: results.get(application.id) ?? null }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  const mayFix = session.hasEvaluation && results.size === 0 && roleMay(staff.role, 'certify');
  const mayEnter = session.hasEvaluation && testHeld && roleMay(staff.role, 'enterResult');
  return { ok: true, page: { session, fixed: fixed ? { testAt: fixed.testAt, fixedAt: fixed.fixedAt } : null, testAt, testHeld, mayFix, mayEnter, learners } };
}

/** CERT-1: how long after the last meeting the test may still be held. */
const TEST_WEEKS_AFTER = 6;

/**
 * CERT-1: a coordinator (or an administrator: the lifecycle's `certify` roles) fixes the test's
 * date and time, between the first meeting and six weeks after the last; corrected while no
 * result is entered (a typo), fixed for the learners once there is one (on the fixed date or
 * on the default one, the last meeting). Audited.
 */
export async function fixTestDate(deps: CertificationDeps, staff: Staff, code: string, input: { day: string; time: string }): Promise<{ ok: true; testAt: Date } | CertFailure> {
  if (!roleMay(staff.role, 'certify')) return forbidden;
  const found = await sessionForStaff(deps.db, staff, code);
  if (!found.ok) return found;
  const { session } = found;
  if (!session.hasEvaluation) return failure('refused', 'cert.test.noEvaluation');
  const testAt = parisInstant(input.day, input.time);
  if (input.day < session.firstMeeting) return failure('refused', 'cert.test.beforeCourse', { field: 'day' });
  const latest = addDays(session.lastMeeting, TEST_WEEKS_AFTER * 7);
  if (input.day > latest) return failure('refused', 'cert.test.tooLate', { field: 'day', params: { weeks: TEST_WEEKS_AFTER } });
  return deps.db.transaction(async (tx) => {
    // Under the results' lock: no result slips in between the check and the new date.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`certification:results:${session.id}`}, 0))`);
    const enrolled = await applicationsOf(tx, { sessionId: session.id, action: 'enterResult' });
    if ((await resultsOf(tx, enrolled.map((a) => a.id))).size > 0) return failure('refused', 'cert.test.resultsEntered');
    const before = await fixedTest(tx, session.id);
    await tx
      .insert(sessionTests)
      .values({ sessionId: session.id, testAt, fixedBy: staff.id, fixedAt: deps.clock.now() })
      .onConflictDoUpdate({ target: sessionTests.sessionId, set: { testAt, fixedBy: staff.id, fixedAt: deps.clock.now() } });
    await audit(tx, deps.clock, {
      action: before ? 'certification.testCorrected' : 'certification.testFixed',
      actorId: staff.id,
      data: { session: session.code, testAt: testAt.toISOString(), ...(before ? { was: before.testAt.toISOString() } : {}) },
    });
    return { ok: true as const, testAt };
  });
}

/** The form's fields of one learner's result. */
export const resultFields = (applicationId: string) => ({ outcome: `outcome-${applicationId}`, score: `score-${applicationId}` });

/**
 * CERT-1: the trainer (or a coordinator) enters the results of the learners in the form (a row
 * left without an outcome is skipped), once the test's date has come. Append-only: a new entry
 * only where the result changes. Every row is checked first; one wrong row saves nothing and
 * says so next to its field.
 */
export async function enterResults(
  deps: CertificationDeps,
  staff: Staff,
  code: string,
  form: Record<string, string | undefined>,
): Promise<{ ok: true; saved: number } | CertFailure | { ok: false; code: 'invalid'; errors: Record<string, { message: MessageKey; params?: Record<string, number> }> }> {
  const found = await sessionForStaff(deps.db, staff, code);
  if (!found.ok) return found;
  const { session } = found;
  if (!roleMay(staff.role, 'enterResult')) return forbidden;
  return deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`certification:results:${session.id}`}, 0))`);
    const fixed = await fixedTest(tx, session.id);
    const meetings = (await meetingsOf(tx, [session.id])).get(session.id) ?? [];
    const testAt = testDate(fixed?.testAt ?? null, facts(meetings));
    const enrolled = await applicationsOf(tx, { sessionId: session.id, action: 'enterResult' });
    const current = await resultsOf(tx, enrolled.map((a) => a.id));
    const errors: Record<string, { message: MessageKey; params?: Record<string, number> }> = {};
    const toSave: { application: Application; outcome: EvaluationOutcome; score: number | null }[] = [];
    for (const application of enrolled) {
      const fields = resultFields(application.id);
      const outcome = form[fields.outcome];
      const score = form[fields.score];
      if ((outcome ?? '') === '' && (score ?? '').trim() === '') continue;
      const checked = checkResult(outcome, score);
      if (!checked.ok) {
        errors[fields[checked.field]] = { message: checked.message, params: checked.params };
        continue;
      }
      const result = current.get(application.id);
      const evaluation = { hasEvaluation: session.hasEvaluation, testHeld: testAt !== null && testAt <= deps.clock.now(), result: result?.outcome ?? null };
      const no = refusal('enterResult', { status: application.status, period: session.period, evaluation }, { role: staff.role, now: deps.clock.now() });
      if (no) return no.code === 'role' ? forbidden : failure('refused', no.message);
      if (result && result.outcome === checked.value.outcome && result.score === checked.value.score) continue;
      toSave.push({ application, ...checked.value });
    }
    if (Object.keys(errors).length) return { ok: false as const, code: 'invalid' as const, errors };
    const now = deps.clock.now();
    if (toSave.length)
      await tx.insert(evaluationResults).values(toSave.map((r) => ({ applicationId: r.application.id, outcome: r.outcome, score: r.score, enteredBy: staff.id, enteredAt: now })));
    for (const r of toSave) await audit(tx, deps.clock, { action: 'certification.resultEntered', actorId: staff.id, subjectId: r.application.id, data: { outcome: r.outcome, score: r.score } });
    // CERT-2: a result corrected after the outcomes were computed: they are computed again.
    if (toSave.length) await computeAgain(tx, session.id, now);
    return { ok: true as const, saved: toSave.length };
  });
}

// ---------------------------------------------------------------------------------------------
// ATT-4, CERT-2: the end of the course
// ---------------------------------------------------------------------------------------------

export interface SessionReadiness {
  session: SessionForApplication;
  ended: boolean;
  end: Date | null;
  meetings: MeetingRow[];
  enrolled: Application[];
  results: Map<string, EvaluationResult>;
  missingRegisters: MeetingRow[];
  missingResults: Application[];
  ready: HeldBack | { ok: false; code: 'not_ended' };
}

/** Where a session stands for its end-of-course documents: ended, its registers, its results. */
export async function readinessOf(db: DbOrTx, now: Date, sessionId: number): Promise<SessionReadiness | null> {
  const session = await sessionById(db, sessionId);
  if (!session) return null;
  const meetings = (await meetingsOf(db, [sessionId])).get(sessionId) ?? [];
  const end = courseEnd(facts(meetings));
  const ended = end !== null && end <= now;
  const enrolled = await applicationsOf(db, { sessionId, action: 'certify' });
  const missing = (await missingRegisters(db, now, [sessionId])).get(sessionId) ?? [];
  const results = await resultsOf(db, enrolled.map((a) => a.id));
  const missingResults = session.hasEvaluation ? enrolled.filter((a) => !results.has(a.id)) : [];
  const ready = readyForOutcomes({ ended, missingRegisters: missing.length, hasEvaluation: session.hasEvaluation, missingResults: missingResults.length });
  return { session, ended, end, meetings, enrolled, results, missingRegisters: missing, missingResults, ready };
}

export type ComputeResult = { ok: true; outcomes: number; attendanceCertificates: number } | { ok: false; code: 'not_found' | 'not_ended' | 'ATT-4' | 'CERT-1' };

/**
 * ATT-4, CERT-1, CERT-2: once a course has ended, every held meeting's register is submitted
 * and (for a course with an evaluation) every enrolled learner has a result: one
 * `course_outcomes` row per enrolment (minutes attended over the held meetings' planned
 * minutes, whether that meets the policy), the attendance certificate issued to those at or
 * above it, and the certificate of skills' due date (the course's end plus the policy's months)
 * for those who passed. Idempotent: run again, it changes nothing already issued and issues
 * nothing twice (a row whose documents are not issued yet follows the registers' corrections).
 */
export async function computeOutcomes(deps: CertificationDeps, sessionId: number, options: { policies?: Policies } = {}): Promise<ComputeResult> {
  const now = deps.clock.now();
  const policies = options.policies ?? (await getPolicies(deps.db));
  return deps.db.transaction(async (tx) => {
    await lockOutcomes(tx, sessionId);
    const state = await readinessOf(tx, now, sessionId);
    if (!state) return { ok: false as const, code: 'not_found' as const };
    // Nobody enrolled at the end: nothing to certify, whatever its registers.
    const nobody = state.ended && state.enrolled.length === 0;
    if (!state.ready.ok && !nobody) return { ok: false as const, code: state.ready.code };
    const { session, enrolled, results } = state;
    // Computed, even with nothing to write: the sweep does not queue it again.
    await tx.insert(courseClosures).values({ sessionId, computedAt: now }).onConflictDoUpdate({ target: courseClosures.sessionId, set: { computedAt: now } });
    if (nobody) return { ok: true as const, outcomes: 0, attendanceCertificates: 0 };
    const attendance = await attendanceOf(tx, state.end!, policies, enrolled.map((a) => ({ id: a.id, sessionId })));
    const existing = new Map((await tx.select().from(courseOutcomes).where(inArray(courseOutcomes.applicationId, enrolled.map((a) => a.id)))).map((r) => [r.applicationId, r]));
    const endDay = parisDay(state.end!);
    const rows: (typeof courseOutcomes.$inferInsert)[] = [];
    for (const application of enrolled) {
      const a = attendance.get(application.id)!;
      const attendanceCertified = meetsAttendance(a.attendedMinutes, a.heldMinutes, policies);
      const outcome = session.hasEvaluation ? (results.get(application.id)?.outcome ?? null) : null;
      const wins = passed({ hasEvaluation: session.hasEvaluation, outcome, attendanceCertified });
      const row = {
        applicationId: application.id,
        sessionId,
        courseId: session.courseId,
        learnerId: application.learnerId,
        attendedMinutes: a.attendedMinutes,
        plannedMinutes: a.heldMinutes,
        attendanceCertified,
        outcome,
        certificateDueOn: wins ? certificateDueOn(endDay, policies) : null,
      };
      const before = existing.get(application.id);
      // An issued document freezes what it was issued on: the attendance certificate its attendance, the certificate of skills its outcome.
      if (before?.attendanceDocumentId) Object.assign(row, { attendedMinutes: before.attendedMinutes, plannedMinutes: before.plannedMinutes, attendanceCertified: before.attendanceCertified });
      if (before?.certificateDocumentId) Object.assign(row, { outcome: before.outcome, certificateDueOn: before.certificateDueOn });
      if (before && Object.entries(row).every(([k, v]) => (before as Record<string, unknown>)[k] === v)) continue;
      rows.push({ ...row, computedAt: now });
    }
    if (rows.length)
      await tx
        .insert(courseOutcomes)
        .values(rows)
        .onConflictDoUpdate({
          target: courseOutcomes.applicationId,
          // The frozen parts again in SQL: a certificate of skills a coordinator issued meanwhile keeps its outcome.
          set: {
            attendedMinutes: sql`case when ${courseOutcomes.attendanceDocumentId} is null then excluded.attended_minutes else ${courseOutcomes.attendedMinutes} end`,
            plannedMinutes: sql`case when ${courseOutcomes.attendanceDocumentId} is null then excluded.planned_minutes else ${courseOutcomes.plannedMinutes} end`,
            attendanceCertified: sql`case when ${courseOutcomes.attendanceDocumentId} is null then excluded.attendance_certified else ${courseOutcomes.attendanceCertified} end`,
            outcome: sql`case when ${courseOutcomes.certificateDocumentId} is null then excluded.outcome else ${courseOutcomes.outcome} end`,
            certificateDueOn: sql`case when ${courseOutcomes.certificateDocumentId} is null then excluded.certificate_due_on else ${courseOutcomes.certificateDueOn} end`,
            computedAt: sql`excluded.computed_at`,
          },
        });
    // CRED-1: a unit passed is earned for life (the outcome kept is the one frozen by an issued certificate).
    const passedNow = new Set(
      (await tx.select({ id: courseOutcomes.applicationId, outcome: courseOutcomes.outcome, attendanceCertified: courseOutcomes.attendanceCertified }).from(courseOutcomes).where(eq(courseOutcomes.sessionId, sessionId)))
        .filter((r) => passed({ hasEvaluation: session.hasEvaluation, outcome: r.outcome, attendanceCertified: r.attendanceCertified }))
        .map((r) => r.id),
    );
    await recordUnitsOfSession(tx, deps.clock, { sessionId, courseId: session.courseId, earnedOn: endDay, passed: passedNow });
    // ATT-4: the attendance certificates not yet issued.
    const toCertify = await tx
      .select()
      .from(courseOutcomes)
      .where(and(eq(courseOutcomes.sessionId, sessionId), eq(courseOutcomes.attendanceCertified, true), isNull(courseOutcomes.attendanceDocumentId)));
    const names = await learnerNames(tx, toCertify.map((r) => r.learnerId));
    const users = await getUsers(tx, toCertify.map((r) => r.learnerId));
    const issuer = translator('fr')('service.name');
    // Under the session's lock, a row without its document has none: nobody else issues attendance certificates.
    for (const row of toCertify) {
      const doc = await issueDocument(tx, signingOf(deps), {
        kind: 'attendance_certificate',
        subjectId: row.applicationId,
        holderName: names.get(row.learnerId) ?? '',
        title: session.title,
        issuerName: issuer,
        validFrom: session.firstMeeting,
        scopeSessionId: sessionId,
        details: { session: session.code, percent: String(percentOf(row.attendedMinutes, row.plannedMinutes) ?? 0) },
      });
      await tx.update(courseOutcomes).set({ attendanceDocumentId: doc.id }).where(eq(courseOutcomes.applicationId, row.applicationId));
      await emailIssued(tx, deps, users.get(row.learnerId) ?? null, session, 'attendance', row.applicationId);
    }
    await audit(tx, deps.clock, { action: 'certification.outcomes', actorId: null, data: { session: session.code, outcomes: enrolled.length, attendanceCertificates: toCertify.length } });
    return { ok: true as const, outcomes: enrolled.length, attendanceCertificates: toCertify.length };
  });
}

/** A document of this kind about this subject: the valid one if any, else a new one (under the register's lock). */
async function issueOnce(tx: Tx, deps: CertificationDeps, kind: 'attendance_certificate' | 'certificate', subjectId: string, make: () => Promise<IssuedDocument>): Promise<IssuedDocument> {
  await lockDocumentSubject(tx, kind, subjectId);
  const current = await currentDocument(tx, signingOf(deps), kind, subjectId);
  return current?.status === 'valid' ? current : make();
}

/** The learner is told a certificate is issued, with its page's address (SVC-7: by the channels they chose). */
async function emailIssued(tx: Tx, deps: CertificationDeps, user: User | null, session: SessionForApplication, which: 'attendance' | 'skills', applicationId: string) {
  if (!user) return;
  await tellLearner(tx, user.id, issuedMessage(deps.baseUrl, session, which, applicationId));
}

/** CERT-2, ATT-4: the message of a certificate issued (email; SMS `sms.generic`). */
export function issuedMessage(baseUrl: string, session: Pick<SessionForApplication, 'title' | 'schoolName'>, which: 'attendance' | 'skills', applicationId: string): LearnerMessage {
  const file = which === 'attendance' ? 'attestation-assiduite.pdf' : 'certificat.pdf';
  const [subject, body] = which === 'attendance' ? (['cert.email.attendance.subject', 'cert.email.attendance.body'] as const) : (['cert.email.skills.subject', 'cert.email.skills.body'] as const);
  return {
    purpose: `cert.email.${which}`,
    compose: (t) => {
      const params = { title: session.title, school: session.schoolName, link: `${baseUrl}/candidatures/${applicationId}/${file}` };
      return { subject: t(subject, params), text: t(body, params), link: params.link };
    },
  };
}

/**
 * CERT-2: issues the certificate of skills of an enrolment that passed (a coordinator from the
 * list, or the job at its due date): the lifecycle's `certify` row, in scope for staff; issued
 * once (a second call finds it issued and changes nothing). The learner is emailed.
 */
export async function issueCertificate(deps: CertificationDeps, actor: Actor, applicationId: string): Promise<{ ok: true; issued: boolean } | CertFailure> {
  if (!isUuid(applicationId)) return notFound;
  const application = await applicationById(deps.db, applicationId);
  if (!application) return notFound;
  const session = (await sessionById(deps.db, application.sessionId))!;
  if (actor.role !== 'system') {
    const [inScope] = await sessionsInScope(deps.db, await scopeOf(deps.db, { id: actor.id!, role: actor.role }), { code: session.code });
    if (!inScope) return forbidden;
  }
  return issueFor(deps, actor, application, session);
}

/** CERT-2: the certificate of skills of this enrolment, its session known (the lifecycle's `certify`, once). */
async function issueFor(deps: CertificationDeps, actor: Actor, application: Application, session: SessionForApplication): Promise<{ ok: true; issued: boolean } | CertFailure> {
  const applicationId = application.id;
  const no = refusal('certify', { status: application.status, period: session.period }, { role: actor.role, now: deps.clock.now() });
  if (no) return no.code === 'role' ? forbidden : failure('refused', no.message);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(courseOutcomes).where(eq(courseOutcomes.applicationId, applicationId)).for('update');
    if (!row || !row.certificateDueOn) return failure('refused', 'cert.skills.notPassed');
    if (row.certificateDocumentId) return { ok: true as const, issued: false };
    const names = await learnerNames(tx, [row.learnerId]);
    const doc = await issueOnce(tx, deps, 'certificate', applicationId, () =>
      issueDocument(tx, signingOf(deps), {
        kind: 'certificate',
        subjectId: applicationId,
        holderName: names.get(row.learnerId) ?? '',
        title: session.title,
        issuerName: translator('fr')('service.name'),
        validFrom: session.firstMeeting,
        scopeSessionId: session.id,
        details: { session: session.code, ...(row.outcome ? { outcome: row.outcome } : {}) },
      }),
    );
    await tx.update(courseOutcomes).set({ certificateDocumentId: doc.id, certificateIssuedAt: deps.clock.now() }).where(eq(courseOutcomes.applicationId, applicationId));
    await audit(tx, deps.clock, { action: 'certification.certificateIssued', actorId: actor.id, subjectId: applicationId, data: { session: session.code, dueOn: row.certificateDueOn } });
    await emailIssued(tx, deps, await getUser(tx, row.learnerId), session, 'skills', applicationId);
    return { ok: true as const, issued: true };
  });
}

/**
 * CERT-2: the certificates of skills due by today and not issued, issued by the service (at most
 * `limit` a round). Read by pages in due order, so that rows the lifecycle refuses (an enrolment
 * refunded since) never hold back the others.
 */
export async function issueDueCertificates(deps: CertificationDeps, options: { limit?: number } = {}): Promise<number> {
  const limit = options.limit ?? 200;
  const today = parisDay(deps.clock.now());
  let after: { dueOn: string; applicationId: string } | null = null;
  let issued = 0;
  while (issued < limit) {
    const due: { applicationId: string; dueOn: string | null }[] = await deps.db
      .select({ applicationId: courseOutcomes.applicationId, dueOn: courseOutcomes.certificateDueOn })
      .from(courseOutcomes)
      .where(
        and(
          isNotNull(courseOutcomes.certificateDueOn),
          isNull(courseOutcomes.certificateIssuedAt),
          lte(courseOutcomes.certificateDueOn, today),
          after ? sql`(${courseOutcomes.certificateDueOn}, ${courseOutcomes.applicationId}) > (${after.dueOn}::date, ${after.applicationId}::uuid)` : undefined,
        ),
      )
      .orderBy(asc(courseOutcomes.certificateDueOn), asc(courseOutcomes.applicationId))
      .limit(limit - issued);
    if (due.length === 0) break;
    const last = due[due.length - 1];
    after = { dueOn: last.dueOn!, applicationId: last.applicationId };
    const applications = await applicationsByIds(deps.db, due.map((d) => d.applicationId));
    const sessions = new Map((await sessionsForApplications(deps.db, { ids: [...new Set(applications.map((a) => a.sessionId))] })).map((s) => [s.id, s]));
    for (const application of applications) {
      const done = await issueFor(deps, systemActor, application, sessions.get(application.sessionId)!);
      if (done.ok && done.issued) issued++;
    }
  }
  return issued;
}

/** How far back the sweep looks for courses ended without outcomes (a register filled months late still counts). */
const SWEEP_DAYS = 400;
/** A course held back by a register or a result is looked at again after this many hours. */
const RETRY_HOURS = 6;

/**
 * The periodic task: queues the end-of-course job of every session ended (its last meeting's
 * day passed) in the last `SWEEP_DAYS` without outcomes yet, and issues the certificates of
 * skills that reach their due date.
 */
export async function sweepEndOfCourse(deps: CertificationDeps): Promise<{ queued: number; issued: number }> {
  const today = parisDay(deps.clock.now());
  const from = parisDay(new Date(deps.clock.now().getTime() - SWEEP_DAYS * 86_400_000));
  const ended = await sessionIdsEnded(deps.db, { from, to: today });
  let queued = 0;
  if (ended.length) {
    const done = await computedSessions(deps.db, ended);
    for (const sessionId of ended) {
      if (done.has(sessionId)) continue;
      if (await jobPending(deps.db, { kind: certificationJobKinds.endOfCourse, payload: { sessionId } })) continue;
      await enqueueJob(deps.db, { kind: certificationJobKinds.endOfCourse, payload: { sessionId }, runAt: deps.clock.now(), maxAttempts: 3 });
      queued++;
    }
  }
  return { queued, issued: await issueDueCertificates(deps) };
}

/** Of these sessions, those whose outcomes are computed (a closure, or outcomes written before closures were recorded). */
async function computedSessions(db: DbOrTx, sessionIds: number[]): Promise<Set<number>> {
  if (sessionIds.length === 0) return new Set();
  const closed = await db.select({ sessionId: courseClosures.sessionId }).from(courseClosures).where(inArray(courseClosures.sessionId, sessionIds));
  const withOutcomes = await db.selectDistinct({ sessionId: courseOutcomes.sessionId }).from(courseOutcomes).where(inArray(courseOutcomes.sessionId, sessionIds));
  return new Set([...closed, ...withOutcomes].map((r) => r.sessionId));
}

/** The module's job handlers, for the worker. */
export function certificationJobs(deps: CertificationDeps): JobHandlers {
  return {
    [certificationJobKinds.endOfCourse]: async (payload) => {
      if (typeof payload.sessionId !== 'number' || !Number.isSafeInteger(payload.sessionId)) return;
      const sessionId = payload.sessionId;
      const done = await computeOutcomes(deps, sessionId);
      if (done.ok || done.code === 'not_found') return;
      // Held back (a register, a result) or ending later today: looked at again then; the sweep skips a session whose job waits.
      const state = done.code === 'not_ended' ? await readinessOf(deps.db, deps.clock.now(), sessionId) : null;
      const runAt = state?.end ? new Date(state.end.getTime() + 60_000) : new Date(deps.clock.now().getTime() + RETRY_HOURS * 3_600_000);
      await enqueueJob(deps.db, { kind: certificationJobKinds.endOfCourse, payload: { sessionId }, runAt, maxAttempts: 3 });
    },
  };
}

/**
 * ATT-1 → ATT-4: a register saved (a correction, a register filled late) for a session whose
 * outcomes are computed: the end-of-course job runs again (the rows whose documents are not
 * issued follow; issued ones stay). In the register's transaction.
 */
export async function registerChanged(tx: Tx, event: { sessionId: number; at: Date }): Promise<void> {
  await computeAgain(tx, event.sessionId, event.at);
}

/** The periodic task of the worker (every five minutes). */
export const certificationSweep = (deps: CertificationDeps) => async () => {
  await sweepEndOfCourse(deps);
};

// ---------------------------------------------------------------------------------------------
// What others read: outcomes, stamps; the staff list of certificates
// ---------------------------------------------------------------------------------------------

export interface OutcomeView extends CourseOutcome {
  /** attended / planned, in percent rounded down. */
  percent: number | null;
  attendanceCode: string | null;
  certificateCode: string | null;
}

/** ATT-4, CERT-2: the outcomes of these applications, with their documents' short codes (those without one are left out). */
export async function outcomesOf(db: DbOrTx, applicationIds: string[]): Promise<Map<string, OutcomeView>> {
  const ids = applicationIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(courseOutcomes).where(inArray(courseOutcomes.applicationId, ids));
  const codes = await documentCodes(db, rows.flatMap((r) => [r.attendanceDocumentId, r.certificateDocumentId].filter((id): id is string => id !== null)));
  return new Map(
    rows.map((r) => [
      r.applicationId,
      {
        ...r,
        percent: percentOf(r.attendedMinutes, r.plannedMinutes),
        attendanceCode: r.attendanceDocumentId ? (codes.get(r.attendanceDocumentId)?.displayCode ?? null) : null,
        certificateCode: r.certificateDocumentId ? (codes.get(r.certificateDocumentId)?.displayCode ?? null) : null,
      },
    ]),
  );
}

/** PAY-4: the card's stamps, answered for the payments module's `cardStamps` port. */
export async function stampsOf(db: DbOrTx, applicationId: string): Promise<{ attendance: boolean; skills: boolean }> {
  const [row] = await db
    .select({ attendance: courseOutcomes.attendanceDocumentId, skills: courseOutcomes.certificateDocumentId })
    .from(courseOutcomes)
    .where(eq(courseOutcomes.applicationId, applicationId));
  // A revoked certificate stamps nothing.
  const documents = await documentCodes(db, [row?.attendance, row?.skills].filter((id): id is string => !!id));
  const valid = (id: string | null | undefined) => !!id && documents.get(id)?.status === 'valid';
  return { attendance: valid(row?.attendance), skills: valid(row?.skills) };
}

export interface CertificatesPage {
  today: string;
  /** Certificates of skills to issue, earliest due first; `late` past their due day. */
  due: { outcome: CourseOutcome; session: SessionForApplication; name: string; late: boolean }[];
  /** Sessions ended whose documents wait for registers or results. */
  heldBack: { session: SessionForApplication; missingRegisters: number; missingResults: number }[];
}

/** CERT-2: the staff list of certificates of skills due and late, and of the sessions held back, in the staff member's scope. */
export async function certificatesPage(deps: CertificationDeps, staff: Staff): Promise<CertificatesPage> {
  const now = deps.clock.now();
  const today = parisDay(now);
  const scope = await scopeOf(deps.db, staff);
  const inScope = await sessionsInScope(deps.db, scope);
  const codes = new Set(inScope.map((s) => s.code));
  const pending = await deps.db
    .select()
    .from(courseOutcomes)
    .where(and(isNotNull(courseOutcomes.certificateDueOn), isNull(courseOutcomes.certificateIssuedAt)))
    .orderBy(asc(courseOutcomes.certificateDueOn));
  const sessions = new Map((await sessionsForApplications(deps.db, { ids: [...new Set(pending.map((p) => p.sessionId))] })).map((s) => [s.id, s]));
  const visible = pending.filter((p) => codes.has(sessions.get(p.sessionId)?.code ?? ''));
  const names = await learnerNames(deps.db, visible.map((p) => p.learnerId));
  const due = visible.map((outcome) => ({ outcome, session: sessions.get(outcome.sessionId)!, name: names.get(outcome.learnerId) ?? '', late: isLate(outcome.certificateDueOn!, today) }));
  // Sessions ended in scope without outcomes: what holds them back.
  const ended = await sessionIdsEnded(deps.db, { from: parisDay(new Date(now.getTime() - SWEEP_DAYS * 86_400_000)), to: today });
  const endedInScope = (await sessionsForApplications(deps.db, { ids: ended })).filter((s) => codes.has(s.code));
  const withOutcomes = await computedSessions(deps.db, endedInScope.map((s) => s.id));
  const heldBack: CertificatesPage['heldBack'] = [];
  for (const session of endedInScope) {
    if (withOutcomes.has(session.id)) continue;
    const state = await readinessOf(deps.db, now, session.id);
    if (!state || state.ready.ok || state.ready.code === 'not_ended' || state.enrolled.length === 0) continue;
    heldBack.push({ session, missingRegisters: state.missingRegisters.length, missingResults: state.missingResults.length });
  }
  return { today, due, heldBack };
}

// ---------------------------------------------------------------------------------------------
// The learner's PDFs
// ---------------------------------------------------------------------------------------------

export interface LearnerCertificate {
  which: 'attendance' | 'skills';
  outcome: CourseOutcome;
  session: SessionForApplication;
  document: IssuedDocument;
  holderName: string;
  /** The test's latest result (the certificate of skills prints its mark). */
  result: EvaluationResult | null;
}

/** ATT-4, CERT-2: the learner's own certificate, once issued; null otherwise (a 404). */
export async function learnerCertificate(deps: CertificationDeps, learnerId: string, applicationId: string, which: 'attendance' | 'skills'): Promise<LearnerCertificate | null> {
  if (!isUuid(applicationId)) return null;
  const [application] = await applicationsByIds(deps.db, [applicationId]);
  if (!application || application.learnerId !== learnerId) return null;
  const [outcome] = await deps.db.select().from(courseOutcomes).where(eq(courseOutcomes.applicationId, applicationId));
  const documentId = which === 'attendance' ? outcome?.attendanceDocumentId : outcome?.certificateDocumentId;
  if (!outcome || !documentId) return null;
  const document = await currentDocument(deps.db, signingOf(deps), which === 'attendance' ? 'attendance_certificate' : 'certificate', applicationId);
  // A revoked certificate is no longer served.
  if (!document || document.status !== 'valid') return null;
  const session = (await sessionById(deps.db, application.sessionId))!;
  const holderName = (await learnerNames(deps.db, [learnerId])).get(learnerId) ?? '';
  const result = (await resultsOf(deps.db, [applicationId])).get(applicationId) ?? null;
  return { which, outcome, session, document, holderName, result };
}

/** The facts of the certification rows of the lifecycle for one application (CERT-1, CERT-4, CERT-5). */
export async function evaluationFacts(db: DbOrTx, now: Date, application: Pick<Application, 'id'>, session: Pick<SessionForApplication, 'id' | 'hasEvaluation'>): Promise<NonNullable<Facts['evaluation']>> {
  const fixed = await fixedTest(db, session.id);
  const meetings = (await meetingsOf(db, [session.id])).get(session.id) ?? [];
  const testAt = testDate(fixed?.testAt ?? null, facts(meetings));
  const result = (await resultsOf(db, [application.id])).get(application.id);
  return { hasEvaluation: session.hasEvaluation, testHeld: testAt !== null && testAt <= now, result: result?.outcome ?? null };
}
