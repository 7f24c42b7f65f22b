import { and, eq } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { translator, type Locale } from '../../platform/i18n';
import type { Clock } from '../../platform/clock';
import { getUser, learnerNames } from '../accounts';
import { courseCodesOf, unitsOf } from '../catalogue';
import { currentDocument, documentDetails, issueDocument, lockDocumentSubject, type DocumentSigning, type IssuedDocument } from '../documents';
import { resultsOf } from './certification.service';
import { courseOutcomes, creditsEarned } from './certification.table';
import { attestationSubject, earnedUnitsOf } from './credits.service';
import { academicRecordPdf } from './records.pdf';

/**
 * CRED-4: the learner's academic record as documents of the register (PAY-10): an attestation of
 * success per unit earned (« dès qu'une UE est validée ») and the transcript of every unit and
 * credit earned, with the mark when certification knows one. Both are issued on first download
 * and verifiable on `/verifier/CODE`.
 *
 * - An attestation is about one unit earned (subject `learner:course`): issued once, the same
 *   document downloaded again; taken back with the unit (a corrected pass no other pass supports:
 *   `revokeUnitAttestation`).
 * - A transcript is about the learner (subject: their id) and says what they had earned the day it
 *   was issued: downloaded again with nothing changed, it is the same document; once a unit is
 *   earned or taken back, the next download issues a new one that replaces the previous (whose
 *   verification then says a more recent one exists), so no valid transcript lists a unit taken
 *   back and a verifier is sent to the latest.
 */

export interface RecordDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  secret: string;
}

/** One unit of the record, as the transcript and the learner's page list it. */
export interface RecordLine {
  courseId: number;
  code: string;
  title: string;
  credits: number;
  earnedOn: string;
  /** The test's mark of the enrolment that earned it, when certification knows one. */
  mark: { score: number; max: number } | null;
}

const signingOf = (deps: Pick<RecordDeps, 'baseUrl' | 'secret' | 'clock'>): DocumentSigning => ({ baseUrl: deps.baseUrl, secret: deps.secret, clock: deps.clock });

/** CRED-4: the units a learner earned, in the order earned, with their titles and marks. */
export async function academicRecordOf(db: DbOrTx, learnerId: string): Promise<RecordLine[]> {
  const earned = (await earnedUnitsOf(db, [learnerId])).get(learnerId) ?? [];
  if (earned.length === 0) return [];
  const ids = earned.map((e) => e.courseId);
  const [units, codes, results] = await readTogether(db, [
    async () => unitsOf(db, { ids }),
    async () => courseCodesOf(db, ids),
    async () => resultsOf(
      db,
      earned.flatMap((e) => (e.applicationId ? [e.applicationId] : [])),
    ),
  ]);
  const unitOf = new Map(units.map((u) => [u.id, u]));
  return earned.map((e) => {
    const result = e.applicationId ? results.get(e.applicationId) : undefined;
    const code = unitOf.get(e.courseId)?.code ?? codes.get(e.courseId) ?? String(e.courseId);
    return {
      courseId: e.courseId,
      code,
      // A course no longer a unit keeps what it earned (the credits of then): its code stands for its title.
      title: unitOf.get(e.courseId)?.title ?? code,
      credits: e.credits,
      earnedOn: e.earnedOn,
      mark: result && result.outcome === 'passed' && result.score !== null ? { score: result.score, max: result.maxScore } : null,
    };
  });
}

async function holderOf(db: DbOrTx, learnerId: string): Promise<string> {
  const name = (await learnerNames(db, [learnerId])).get(learnerId)?.trim();
  return name || (await getUser(db, learnerId))?.email || learnerId;
}

export type RecordPdf = { ok: true; pdf: Buffer; fileName: string; document: IssuedDocument } | { ok: false; code: 'not_found' | 'empty' };

/** CRED-4: the attestation of success of one unit the learner earned (issued once); not_found for a unit they did not earn. */
export async function unitAttestation(deps: RecordDeps, input: { learnerId: string; unitCode: string; locale: Locale }): Promise<RecordPdf> {
  if (typeof input.unitCode !== 'string' || !/^[A-Za-z0-9-]{1,30}$/.test(input.unitCode)) return { ok: false, code: 'not_found' };
  const line = (await academicRecordOf(deps.db, input.learnerId)).find((l) => l.code.toUpperCase() === input.unitCode.toUpperCase());
  if (!line) return { ok: false, code: 'not_found' };
  const courseId = line.courseId;
  const t = translator(input.locale);
  const issuer = t('service.name');
  const holderName = await holderOf(deps.db, input.learnerId);
  const subjectId = attestationSubject(input.learnerId, courseId);
  const document = await deps.db.transaction(async (tx) => {
    await lockDocumentSubject(tx, 'unit_attestation', subjectId);
    // The unit again under the lock: taken back meanwhile, no attestation.
    const [still] = await tx.select({ courseId: creditsEarned.courseId }).from(creditsEarned).where(and(eq(creditsEarned.learnerId, input.learnerId), eq(creditsEarned.courseId, courseId)));
    if (!still) return null;
    const current = await currentDocument(tx, signingOf(deps), 'unit_attestation', subjectId);
    if (current?.status === 'valid') return current;
    return issueDocument(tx, signingOf(deps), {
      kind: 'unit_attestation',
      subjectId,
      holderName,
      title: `${line.code} — ${line.title}`.slice(0, 300),
      issuerName: translator('fr')('service.name'),
      validFrom: line.earnedOn,
      details: { 'cred.doc.credits': String(line.credits), 'cred.doc.earnedOn': line.earnedOn, ...(line.mark ? { 'cred.doc.mark': `${line.mark.score}/${line.mark.max}` } : {}) },
    });
  });
  if (!document) return { ok: false, code: 'not_found' };
  const pdf = await academicRecordPdf({
    locale: input.locale,
    serviceName: issuer,
    title: t('cred.pdf.attestation.title'),
    intro: t('cred.pdf.attestation.intro', { service: issuer, name: holderName, code: line.code, title: line.title, credits: line.credits }),
    lines: [t('cred.pdf.earnedOn', { date: t.date(line.earnedOn) }), ...(line.mark ? [t('cred.pdf.mark', { score: line.mark.score, max: line.mark.max })] : []), t('cred.pdf.forLife')],
    issuedAt: document.issuedAt,
    code: document.displayCode,
    verifyUrl: document.verifyUrl,
  });
  return { ok: true, pdf, fileName: `attestation-${line.code}.pdf`, document };
}

/** What a transcript says, in its staff details: the units and credits of the day (compared to reuse it). */
function transcriptDetails(lines: RecordLine[]): Record<string, string> {
  return {
    'cred.doc.units': lines.map((l) => `${l.code} (${l.credits}${l.mark ? `, ${l.mark.score}/${l.mark.max}` : ''})`).join(', ').slice(0, 1_000) || '—',
    'cred.doc.credits': String(lines.reduce((sum, l) => sum + l.credits, 0)),
  };
}

/** CRED-4: the transcript of every unit and credit the learner earned (the current one, or a new one replacing it when the record changed). */
export async function transcript(deps: RecordDeps, input: { learnerId: string; locale: Locale }): Promise<RecordPdf> {
  const t = translator(input.locale);
  const issuer = t('service.name');
  const holderName = await holderOf(deps.db, input.learnerId);
  const made = await deps.db.transaction(async (tx) => {
    await lockDocumentSubject(tx, 'transcript', input.learnerId);
    const lines = await academicRecordOf(tx, input.learnerId);
    if (lines.length === 0) return null;
    const details = transcriptDetails(lines);
    const current = await currentTranscript(tx, deps, input.learnerId, details);
    const document =
      current ??
      (await issueDocument(tx, signingOf(deps), {
        kind: 'transcript',
        subjectId: input.learnerId,
        holderName,
        title: translator('fr')('cred.pdf.transcript.title'),
        issuerName: translator('fr')('service.name'),
        details,
        replace: true,
      }));
    return { lines, document };
  });
  if (!made) return { ok: false, code: 'empty' };
  const { lines, document } = made;
  const total = lines.reduce((sum, l) => sum + l.credits, 0);
  const pdf = await academicRecordPdf({
    locale: input.locale,
    serviceName: issuer,
    title: t('cred.pdf.transcript.title'),
    intro: t('cred.pdf.transcript.intro', { service: issuer, name: holderName, date: t.date(document.issuedAt) }),
    table: {
      head: [t('cred.pdf.col.code'), t('cred.pdf.col.unit'), t('cred.pdf.col.credits'), t('cred.pdf.col.earnedOn'), t('cred.pdf.col.mark')],
      rows: lines.map((l) => [l.code, l.title, String(l.credits), t.date(l.earnedOn), l.mark ? `${l.mark.score}/${l.mark.max}` : '—']),
      widths: [14, 44, 10, 18, 10],
    },
    lines: [t('cred.pdf.transcript.total', { credits: total, units: lines.length }), t('cred.pdf.forLife')],
    issuedAt: document.issuedAt,
    code: document.displayCode,
    verifyUrl: document.verifyUrl,
  });
  return { ok: true, pdf, fileName: 'releve-de-notes.pdf', document };
}

/** The valid transcript if it says what the record says today, else null (a new one is due). */
async function currentTranscript(tx: Tx, deps: RecordDeps, learnerId: string, details: Record<string, string>): Promise<IssuedDocument | null> {
  const current = await currentDocument(tx, signingOf(deps), 'transcript', learnerId);
  if (!current || current.status !== 'valid') return null;
  const said = await transcriptSaid(tx, current.id);
  return said && Object.entries(details).every(([k, v]) => said[k] === v) ? current : null;
}

/** A transcript's details as issued. */
async function transcriptSaid(tx: Tx, documentId: string): Promise<Record<string, string> | null> {
  return (await documentDetails(tx, [documentId])).get(documentId) ?? null;
}

/** The documents' subjects of a learner's academic record (their attestations), for the register's export and closure. */
export async function recordSubjectsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const [earned, outcomes] = await readTogether(db, [
    async () => db.select({ courseId: creditsEarned.courseId }).from(creditsEarned).where(eq(creditsEarned.learnerId, userId)),
    async () => db.selectDistinct({ courseId: courseOutcomes.courseId }).from(courseOutcomes).where(eq(courseOutcomes.learnerId, userId)),
  ]);
  return [...new Set([...earned, ...outcomes].map((r) => attestationSubject(userId, r.courseId)))];
}
