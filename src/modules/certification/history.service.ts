import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../../db/database';
import type { DocumentKind, EvaluationOutcome } from '../../domain/vocabulary';
import type { Clock } from '../../platform/clock';
import type { Policies } from '../../platform/policies';
import { parisDay } from '../accounts';
import { availableActions, inGroup, listApplications, refusal, type Action, type ApplicationStatus, type ApplicationView } from '../applications';
import { attendanceOf, currentMarks, percentOf } from '../attendance';
import type { SessionForApplication } from '../catalogue';
import { currentDocuments, type DocumentStatus } from '../documents';
import { evaluationFacts } from './certification.service';
import { courseOutcomes, exemptions, marksRequests } from './certification.table';

export interface HistoryDeps {
  db: Db;
  clock: Clock;
  /** The documents' verification links. */
  baseUrl: string;
  secret: string;
  policies: Pick<Policies, 'justifiedAbsenceCountsAsPresence' | 'attendanceCertificatePercent'>;
}

/** A document issued for an application, as the learner's history lists it. */
export interface HistoryDocument {
  kind: DocumentKind;
  displayCode: string;
  /** The code as the public page's URL carries it (`/verifier/CODE`). */
  code: string;
  status: DocumentStatus;
  issuedAt: Date;
  /** The PDF's route, when the learner may download it now; null: only the public page verifies it. */
  pdf: string | null;
}

export type HistoryAttendance =
  /** ATT-4: computed at the end of the course (course_outcomes). */
  | { kind: 'final'; percent: number | null; certified: boolean }
  /** While the course runs (or before its end-of-course results): so far and at most reachable, by the hourly volume. */
  | { kind: 'running'; soFar: number | null; reachable: number | null }
  /** An enrolment that ended before the course did (removed, excluded, withdrawn): its attendance until then. */
  | { kind: 'closed'; percent: number | null; until: Date };

/** CERT-4, CERT-5: what the learner may ask about the course, and the answers given. */
export interface HistoryRequests {
  /** The lifecycle lets the learner ask for their marks now (`/candidatures/:id/notes`). */
  mayRequestMarks: boolean;
  /** The lifecycle lets the learner ask for an exemption now (`/candidatures/:id/dispense`). */
  mayDeclareDiploma: boolean;
  exemption: { status: 'pending' | 'granted' | 'refused'; reason: string | null } | null;
  /** The staff's answers to the requests for marks, oldest first. */
  marksAnswers: { answer: string; answeredAt: Date }[];
}

export interface HistoryEntry {
  applicationId: string;
  status: ApplicationStatus;
  session: SessionForApplication;
  /** When the learner sent it (APP-4). */
  sentAt: Date | null;
  /** When it closed (withdrawn, refused, removed…) and why, as the lifecycle recorded it. */
  closedAt: Date | null;
  closingReason: string | null;
  /** SEL-1, SEL-12: a refusal's reason, as the coordinator wrote it. */
  refusalReason: string | null;
  attendance: HistoryAttendance | null;
  /** CERT-1: the end-of-course test's outcome; null for a course without one or not yet known. */
  outcome: EvaluationOutcome | null;
  /** CERT-2: the certificate of skills, due by then when not yet issued (passed only). */
  certificateDueOn: string | null;
  /** ATT-4, CERT-2: the two certificates, once issued. */
  attendanceCertificate: HistoryDocument | null;
  certificate: HistoryDocument | null;
  /** SEL-3, PAY-4, PAY-8: the convocation, the enrollee card and the attestations issued for it. */
  documents: HistoryDocument[];
  requests: HistoryRequests;
}


/** The documents of an application, with the learner's PDF route and the lifecycle's action that lets them take it now. */
const documentKinds: { kind: DocumentKind; file: string; action: Action | null }[] = [
  { kind: 'convocation', file: 'convocation.pdf', action: null },
  { kind: 'enrollee_card', file: 'carte.pdf', action: 'paymentDocuments' },
  { kind: 'cost_attestation', file: 'attestation-cout.pdf', action: 'costAttestation' },
  { kind: 'payment_attestation', file: 'attestation-paiement.pdf', action: 'paymentDocuments' },
];
/** May the learner download it now? The lifecycle says (PAY-4, PAY-8: once paid); a convocation, while it exists (SEL-3). */
function mayDownload(app: ApplicationView, action: Action | null, now: Date): boolean {
  if (action === null) return app.convocation !== null;
  return refusal(action, { status: app.status, period: app.session.period, paid: app.payment?.status === 'paid' }, { role: 'learner', now }) === null;
}
const certificateFiles = { attendance_certificate: 'attestation-assiduite.pdf', certificate: 'certificat.pdf' } as const;

/** The event that closed an application: the latest one into its (closed) status. */
function closingEvent(app: ApplicationView) {
  if (!inGroup('closed', app.status)) return null;
  return [...app.events].reverse().find((e) => e.toStatus === app.status) ?? null;
}

/**
 * ACC-10: the learner's history: every application they sent (current and past) with its session,
 * period and dates, its outcome (status, and why it closed), the attendance percentage (final
 * once the course's results are computed; so far and at most reachable while it runs), the
 * attendance certificate and the certificate of skills, and the documents issued for it. Newest
 * first (by the session's first meeting). Only the learner's own: the query is by learner.
 */
export async function learnerHistory(deps: HistoryDeps, learnerId: string): Promise<HistoryEntry[]> {
  const { db, clock } = deps;
  // A basket not yet sent (preselected) is not an application yet.
  const apps = (await listApplications(db, clock, learnerId)).filter((a) => a.status !== 'preselected');
  if (apps.length === 0) return [];
  const ids = apps.map((a) => a.id);
  const outcomes = new Map((await db.select().from(courseOutcomes).where(inArray(courseOutcomes.applicationId, ids))).map((o) => [o.applicationId, o]));
  const today = parisDay(clock.now());
  const running = apps.filter((a) => !outcomes.has(a.id) && inGroup('holdsPlace', a.status) && a.session.firstMeeting <= today);
  const attendance = await attendanceOf(db, clock.now(), deps.policies, running.map((a) => ({ id: a.id, sessionId: a.sessionId })));
  // ACC-10: an enrolment that ended early (removed, excluded, withdrawn, its session cancelled) after some marks: its attendance up to its closing.
  const ended = apps.filter((a) => !outcomes.has(a.id) && inGroup('leftPlace', a.status) && a.session.firstMeeting <= today);
  const marks = await currentMarks(db, ended.map((a) => a.id));
  const closedAttendance = new Map<string, HistoryAttendance>();
  for (const app of ended) {
    const until = app.closedAt ?? closingEvent(app)?.at ?? null;
    if (!until || (marks.get(app.id) ?? []).length === 0) continue;
    const at = until < clock.now() ? until : clock.now();
    const a = (await attendanceOf(db, at, deps.policies, [{ id: app.id, sessionId: app.sessionId }])).get(app.id);
    if (a) closedAttendance.set(app.id, { kind: 'closed', percent: a.soFarPercent, until });
  }
  const signing = { baseUrl: deps.baseUrl, secret: deps.secret, clock };
  // CERT-4, CERT-5: the requests and their answers.
  const exemptionRows = new Map((await db.select().from(exemptions).where(inArray(exemptions.applicationId, ids))).map((e) => [e.applicationId, e]));
  const marksRows = await db.select().from(marksRequests).where(inArray(marksRequests.applicationId, ids)).orderBy(asc(marksRequests.askedAt));

  const issuedFor = await currentDocuments(db, signing, ids);

  const entries: HistoryEntry[] = [];
  for (const app of apps) {
    const document = async (kind: DocumentKind, pdf: string | null): Promise<HistoryDocument | null> => {
      const found = issuedFor.get(app.id)?.get(kind);
      return found ? { kind, code: found.code, displayCode: found.displayCode, status: found.status, issuedAt: found.issuedAt, pdf: found.status === 'valid' ? pdf : null } : null;
    };
    const documents: HistoryDocument[] = [];
    for (const d of documentKinds) {
      const found = await document(d.kind, mayDownload(app, d.action, clock.now()) ? `/candidatures/${app.id}/${d.file}` : null);
      if (found) documents.push(found);
    }
    const outcome = outcomes.get(app.id);
    const live = attendance.get(app.id);
    const closing = closingEvent(app);
    const exemption = exemptionRows.get(app.id) ?? null;
    const asked = marksRows.filter((r) => r.applicationId === app.id);
    const actions = availableActions(
      {
        status: app.status,
        period: app.session.period,
        evaluation: await evaluationFacts(db, clock.now(), app, app.session),
        exemption: { preparesDiploma: app.session.preparesDiploma, status: exemption?.status ?? null },
        marksRequested: asked.some((r) => r.answeredAt === null),
      },
      { role: 'learner', now: clock.now() },
    );
    entries.push({
      applicationId: app.id,
      status: app.status,
      session: app.session,
      sentAt: app.confirmedAt,
      closedAt: app.closedAt ?? closing?.at ?? null,
      closingReason: closing?.reason ?? null,
      refusalReason: app.status === 'refused' ? app.refusalReason : null,
      attendance: outcome
        ? { kind: 'final', percent: percentOf(outcome.attendedMinutes, outcome.plannedMinutes), certified: outcome.attendanceCertified }
        : live
          ? { kind: 'running', soFar: live.soFarPercent, reachable: live.reachablePercent }
          : (closedAttendance.get(app.id) ?? null),
      outcome: outcome?.outcome ?? null,
      certificateDueOn: outcome && !outcome.certificateIssuedAt ? outcome.certificateDueOn : null,
      attendanceCertificate: await document('attendance_certificate', `/candidatures/${app.id}/${certificateFiles.attendance_certificate}`),
      certificate: await document('certificate', `/candidatures/${app.id}/${certificateFiles.certificate}`),
      documents,
      requests: {
        mayRequestMarks: actions.has('requestMarks'),
        mayDeclareDiploma: actions.has('declareDiploma'),
        exemption: exemption ? { status: exemption.status, reason: exemption.reason } : null,
        marksAnswers: asked.flatMap((r) => (r.answer !== null && r.answeredAt ? [{ answer: r.answer, answeredAt: r.answeredAt }] : [])),
      },
    });
  }
  const sentOf = (e: HistoryEntry) => (e.sentAt ?? new Date(0)).getTime();
  return entries.sort((a, b) => b.session.firstMeeting.localeCompare(a.session.firstMeeting) || sentOf(b) - sentOf(a));
}
