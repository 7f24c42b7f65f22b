import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { Db, DbOrTx, Tx } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { checkFileContent, deleteStoredFile, readStoredFile, storeFile, storedFileInfo, type FileRefusal, type StoredFile } from '../../platform/files';
import { translator, type Locale, type MessageKey } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getPolicies, uploadMaxBytes, type Policies } from '../../platform/policies';
import type { FieldError } from '../../ui/context';
import { getUser, learnerNames, tellLearner, type LearnerMessage } from '../accounts';
import { academicRecordPdf, earnedUnitsOf } from '../certification';
import { courseCodesOf } from '../catalogue';
import { currentDocument, documentCodes, issueDocument, lockDocumentSubject, type DocumentSigning, type IssuedDocument } from '../documents';
import { programmeProgress, type Progress } from './programmes.rules';
import { listProgrammes, type Programme } from './programmes.service';
import { diplomaRequests, type DiplomaRequestKind, type DiplomaRequestStatus, type DuplicateReason } from './programmes.table';

/**
 * CRED-4: the diploma of a programme, asked for online (seed 004: « demande de diplôme en
 * ligne ») once the programme is complete — `programmeProgress` is the eligibility check the
 * page shows and the request runs again under the learner's lock, saying what is missing —, and
 * a duplicate of a diploma granted that was lost, destroyed or stolen, with its proof. An
 * administrator grants or refuses with a reason (diplomas are the institution's, as programmes
 * are: admin only, here and in the routes); the learner is emailed at each decision. A diploma
 * granted is a document of the register (PAY-10, kind `diploma`, about the original request);
 * a duplicate's document, marked « DUPLICATA », replaces it there (the original then verifies as
 * replaced by a duplicate).
 */

export interface DiplomaDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  secret: string;
}

/** What stored files of duplicates' proofs are for (`stored_files.purpose`). */
export const DIPLOMA_PROOF_PURPOSE = 'diploma_proof';

export type DiplomaRequest = typeof diplomaRequests.$inferSelect;
type Actor = { id: string; role: Role };

export type DiplomaFailure =
  | { ok: false; code: 'not_found' }
  | { ok: false; code: 'forbidden' }
  | { ok: false; code: 'incomplete'; progress: Progress }
  | { ok: false; code: 'refused'; message: MessageKey }
  | { ok: false; code: 'invalid'; errors: Record<string, FieldError> };

const notFound = { ok: false, code: 'not_found' } as const;
const refused = (message: MessageKey) => ({ ok: false as const, code: 'refused' as const, message });
const signingOf = (deps: Pick<DiplomaDeps, 'baseUrl' | 'secret' | 'clock'>): DocumentSigning => ({ baseUrl: deps.baseUrl, secret: deps.secret, clock: deps.clock });
const fileError = (refusal: FileRefusal): FieldError => (refusal.params ? { message: refusal.message, params: refusal.params } : { message: refusal.message });
const CODE = /^[A-Za-z0-9-]{1,30}$/;

async function programmeByCode(db: DbOrTx, code: string): Promise<Programme | null> {
  if (typeof code !== 'string' || !CODE.test(code)) return null;
  const [programme] = await listProgrammes(db, { codes: [code.toUpperCase()] });
  return programme ?? null;
}

/** CRED-1, CRED-4: the learner's progress toward a programme, from the units earned (the eligibility check). */
export async function progressToward(db: DbOrTx, learnerId: string, programme: Programme): Promise<Progress> {
  const earnedRows = (await earnedUnitsOf(db, [learnerId])).get(learnerId) ?? [];
  const codeOf = await courseCodesOf(db, earnedRows.map((e) => e.courseId));
  const earned = new Map(earnedRows.flatMap((e) => (codeOf.has(e.courseId) ? [[codeOf.get(e.courseId)!, e.credits] as const] : [])));
  return programmeProgress(programme.rule, earned);
}

/** The learner's lock on their requests for one programme's diploma (two requests at once: one after the other). */
async function lockRequests(tx: Tx, learnerId: string, programmeId: number): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`diploma:${learnerId}:${programmeId}`}, 0))`);
}

export interface DiplomaPage {
  programme: Programme;
  progress: Progress;
  requests: (DiplomaRequest & { file: Pick<StoredFile, 'mediaType' | 'size' | 'originalName'> | null })[];
  /** The original request granted, if any: a duplicate may be asked for it. */
  granted: DiplomaRequest | null;
  /** A request waiting for the staff's decision (original or duplicate). */
  pending: DiplomaRequest | null;
  /** The diploma to download (the duplicate once one is granted). */
  document: { code: string; displayCode: string; duplicate: boolean } | null;
}

/** CRED-4: the learner's page of one programme's diploma: the eligibility check, their requests, the diploma. Null for an unknown code. */
export async function diplomaPage(db: DbOrTx, deps: Pick<DiplomaDeps, 'baseUrl' | 'secret' | 'clock'>, learnerId: string, code: string): Promise<DiplomaPage | null> {
  const programme = await programmeByCode(db, code);
  if (!programme) return null;
  const progress = await progressToward(db, learnerId, programme);
  const rows = await db
    .select()
    .from(diplomaRequests)
    .where(and(eq(diplomaRequests.learnerId, learnerId), eq(diplomaRequests.programmeId, programme.id)))
    .orderBy(desc(diplomaRequests.requestedAt), desc(diplomaRequests.id));
  const files = await storedFileInfo(db, rows.flatMap((r) => (r.proofFileId ? [r.proofFileId] : [])));
  const granted = rows.find((r) => r.kind === 'original' && r.status === 'granted') ?? null;
  const current = granted ? await currentDocument(db, signingOf(deps), 'diploma', granted.id) : null;
  return {
    programme,
    progress,
    requests: rows.map((r) => ({ ...r, file: r.proofFileId && files.get(r.proofFileId) ? pickFile(files.get(r.proofFileId)!) : null })),
    granted,
    pending: rows.find((r) => r.status === 'pending') ?? null,
    document: current ? { code: current.code, displayCode: current.displayCode, duplicate: rows.some((r) => r.kind === 'duplicate' && r.documentId === current.id) } : null,
  };
}

const pickFile = (f: StoredFile) => ({ mediaType: f.mediaType, size: f.size, originalName: f.originalName });

/**
 * CRED-4: the learner asks for a programme's diploma. Under their lock: the programme complete
 * (else `incomplete`, with the progress that says what is missing), no request pending or
 * granted for it (else `refused`, saying which); the unique index makes a second one at once
 * the same refusal.
 */
export async function requestDiploma(deps: DiplomaDeps, input: { learnerId: string; code: string }): Promise<{ ok: true; request: DiplomaRequest } | DiplomaFailure> {
  const programme = await programmeByCode(deps.db, input.code);
  if (!programme) return notFound;
  return deps.db.transaction(async (tx) => {
    await lockRequests(tx, input.learnerId, programme.id);
    const progress = await progressToward(tx, input.learnerId, programme);
    if (!progress.complete) return { ok: false as const, code: 'incomplete' as const, progress };
    const [open] = await tx
      .select({ status: diplomaRequests.status })
      .from(diplomaRequests)
      .where(and(eq(diplomaRequests.learnerId, input.learnerId), eq(diplomaRequests.programmeId, programme.id), eq(diplomaRequests.kind, 'original'), inArray(diplomaRequests.status, ['pending', 'granted'])));
    if (open) return refused(open.status === 'granted' ? 'dipl.err.alreadyGranted' : 'dipl.err.alreadyPending');
    const [request] = await tx
      .insert(diplomaRequests)
      .values({ learnerId: input.learnerId, programmeId: programme.id, kind: 'original', creditsEarned: progress.creditsEarned, requestedAt: deps.clock.now() })
      .onConflictDoNothing()
      .returning();
    if (!request) return refused('dipl.err.alreadyPending');
    await audit(tx, deps.clock, { action: 'programmes.diplomaRequested', actorId: input.learnerId, subjectId: input.learnerId, data: { programme: programme.code, requestId: request.id, credits: progress.creditsEarned } });
    return { ok: true as const, request };
  });
}

/**
 * CRED-4: the learner asks for a duplicate of the diploma granted (lost, destroyed or stolen),
 * with its proof (PDF, JPEG or PNG, checked by its content): one duplicate pending at a time.
 */
export async function requestDuplicate(
  deps: DiplomaDeps,
  input: { learnerId: string; code: string; reason: DuplicateReason; file: { name: string; data: Buffer } },
  knownPolicies?: Policies,
): Promise<{ ok: true; request: DiplomaRequest } | DiplomaFailure> {
  const programme = await programmeByCode(deps.db, input.code);
  if (!programme) return notFound;
  const policies = knownPolicies ?? (await getPolicies(deps.db));
  const maxBytes = uploadMaxBytes(policies);
  const content = await checkFileContent(input.file.data, maxBytes);
  if (!content.ok) return { ok: false, code: 'invalid', errors: { file: fileError(content) } };
  return deps.db.transaction(async (tx) => {
    await lockRequests(tx, input.learnerId, programme.id);
    const [original] = await tx
      .select()
      .from(diplomaRequests)
      .where(and(eq(diplomaRequests.learnerId, input.learnerId), eq(diplomaRequests.programmeId, programme.id), eq(diplomaRequests.kind, 'original'), eq(diplomaRequests.status, 'granted')));
    if (!original) return refused('dipl.err.noDiploma');
    const [pending] = await tx
      .select({ id: diplomaRequests.id })
      .from(diplomaRequests)
      .where(and(eq(diplomaRequests.learnerId, input.learnerId), eq(diplomaRequests.programmeId, programme.id), eq(diplomaRequests.kind, 'duplicate'), eq(diplomaRequests.status, 'pending')));
    if (pending) return refused('dipl.err.duplicatePending');
    const stored = await storeFile(tx, deps.clock, { purpose: DIPLOMA_PROOF_PURPOSE, ownerId: input.learnerId, name: input.file.name, data: input.file.data }, { maxBytes });
    if (!stored.ok) return { ok: false as const, code: 'invalid' as const, errors: { file: fileError(stored) } };
    const [request] = await tx
      .insert(diplomaRequests)
      .values({
        learnerId: input.learnerId,
        programmeId: programme.id,
        kind: 'duplicate',
        originalId: original.id,
        reason: input.reason,
        proofFileId: stored.file.id,
        creditsEarned: original.creditsEarned,
        requestedAt: deps.clock.now(),
      })
      .returning();
    await audit(tx, deps.clock, { action: 'programmes.duplicateRequested', actorId: input.learnerId, subjectId: input.learnerId, data: { programme: programme.code, requestId: request.id, reason: input.reason, fileId: stored.file.id } });
    return { ok: true as const, request };
  });
}

// ---- staff --------------------------------------------------------------------------------------

/** Who decides diplomas: the administrators (the programmes are theirs too). */
export const diplomaDeciders = ['admin'] as const satisfies readonly Role[];
const mayDecide = (actor: Actor) => (diplomaDeciders as readonly Role[]).includes(actor.role);

export interface StaffDiplomaRequest extends DiplomaRequest {
  learnerName: string;
  programme: Programme;
  file: Pick<StoredFile, 'mediaType' | 'size' | 'originalName'> | null;
  progress: Progress;
  /** The diploma's document code, once granted. */
  documentCode: string | null;
}

/** CRED-4: the requests waiting for a decision, oldest first (administrators only; others: forbidden). */
export async function pendingDiplomaRequests(db: DbOrTx, actor: Actor): Promise<{ ok: true; requests: StaffDiplomaRequest[] } | { ok: false; code: 'forbidden' }> {
  if (!mayDecide(actor)) return { ok: false, code: 'forbidden' };
  const rows = await db.select().from(diplomaRequests).where(eq(diplomaRequests.status, 'pending')).orderBy(asc(diplomaRequests.requestedAt), asc(diplomaRequests.id)).limit(200);
  return { ok: true, requests: await forStaff(db, rows) };
}

async function forStaff(db: DbOrTx, rows: DiplomaRequest[]): Promise<StaffDiplomaRequest[]> {
  if (rows.length === 0) return [];
  const [names, programmes, files, codes] = await readTogether(db, [
    async () => learnerNames(db, [...new Set(rows.map((r) => r.learnerId))]),
    async () => listProgrammes(db, { ids: [...new Set(rows.map((r) => r.programmeId))] }),
    async () => storedFileInfo(db, rows.flatMap((r) => (r.proofFileId ? [r.proofFileId] : []))),
    async () => documentCodes(db, rows.flatMap((r) => (r.documentId ? [r.documentId] : []))),
  ]);
  const programmeOf = new Map(programmes.map((p) => [p.id, p]));
  const result: StaffDiplomaRequest[] = [];
  for (const r of rows) {
    const programme = programmeOf.get(r.programmeId)!;
    result.push({
      ...r,
      learnerName: names.get(r.learnerId) ?? '—',
      programme,
      file: r.proofFileId && files.get(r.proofFileId) ? pickFile(files.get(r.proofFileId)!) : null,
      progress: await progressToward(db, r.learnerId, programme),
      documentCode: r.documentId ? (codes.get(r.documentId)?.displayCode ?? null) : null,
    });
  }
  return result;
}

/** CRED-4: one request for an administrator (else forbidden; an unknown id: not found). */
export async function diplomaRequestForStaff(db: DbOrTx, actor: Actor, id: string): Promise<{ ok: true; request: StaffDiplomaRequest } | { ok: false; code: 'forbidden' | 'not_found' }> {
  if (!mayDecide(actor)) return { ok: false, code: 'forbidden' };
  if (!isUuid(id)) return notFound;
  const [row] = await db.select().from(diplomaRequests).where(eq(diplomaRequests.id, id));
  if (!row) return notFound;
  return { ok: true, request: (await forStaff(db, [row]))[0] };
}

/** A duplicate's proof file, for an administrator (null otherwise, or none). */
export async function diplomaProofForStaff(db: DbOrTx, actor: Actor, id: string): Promise<{ file: StoredFile; data: Buffer } | null> {
  if (!mayDecide(actor) || !isUuid(id)) return null;
  const [row] = await db.select({ fileId: diplomaRequests.proofFileId }).from(diplomaRequests).where(eq(diplomaRequests.id, id));
  return row?.fileId ? readStoredFile(db, row.fileId) : null;
}

/** A duplicate's proof file, for the learner who sent it (null otherwise). */
export async function diplomaProofForLearner(db: DbOrTx, learnerId: string, id: string): Promise<{ file: StoredFile; data: Buffer } | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select({ fileId: diplomaRequests.proofFileId }).from(diplomaRequests).where(and(eq(diplomaRequests.id, id), eq(diplomaRequests.learnerId, learnerId)));
  return row?.fileId ? readStoredFile(db, row.fileId) : null;
}

/**
 * CRED-4: an administrator grants or refuses a pending request (a refusal says why, 1 to 500
 * characters). Granting an original checks the programme again (a unit taken back meanwhile:
 * refused, with what is missing) and issues the diploma; granting a duplicate issues the
 * duplicate, which replaces the diploma before it. A request decided already is refused (a stale
 * page). The learner is emailed in the same transaction.
 */
export async function decideDiplomaRequest(
  deps: DiplomaDeps,
  input: { actor: Actor; requestId: string; grant: boolean; reason: string },
): Promise<{ ok: true; status: DiplomaRequestStatus; document: IssuedDocument | null } | DiplomaFailure> {
  if (!mayDecide(input.actor)) return { ok: false, code: 'forbidden' };
  if (!isUuid(input.requestId)) return notFound;
  const reason = input.reason.trim();
  if (!input.grant && reason.length === 0) return { ok: false, code: 'invalid', errors: { reason: { message: 'dipl.err.reasonRequired' } } };
  if (reason.length > 500) return { ok: false, code: 'invalid', errors: { reason: { message: 'field.tooLong' } } };
  return deps.db.transaction(async (tx) => {
    const [found] = await tx.select({ learnerId: diplomaRequests.learnerId, programmeId: diplomaRequests.programmeId }).from(diplomaRequests).where(eq(diplomaRequests.id, input.requestId));
    if (!found) return notFound;
    // The learner's lock first (as their requests take it), then the row.
    await lockRequests(tx, found.learnerId, found.programmeId);
    const [request] = await tx.select().from(diplomaRequests).where(eq(diplomaRequests.id, input.requestId)).for('update');
    if (request.status !== 'pending') return refused('dipl.err.decided');
    const [programme] = await listProgrammes(tx, { ids: [request.programmeId] });
    const now = deps.clock.now();
    let document: IssuedDocument | null = null;
    if (input.grant) {
      if (request.kind === 'original') {
        const progress = await progressToward(tx, request.learnerId, programme);
        if (!progress.complete) return { ok: false as const, code: 'incomplete' as const, progress };
      }
      document = await issueDiploma(tx, deps, request, programme, now);
    }
    const status: DiplomaRequestStatus = input.grant ? 'granted' : 'refused';
    await tx
      .update(diplomaRequests)
      .set({ status, decidedBy: input.actor.id, decidedAt: now, decisionReason: reason || null, documentId: document?.id ?? null, proofFileId: null })
      .where(eq(diplomaRequests.id, request.id));
    // A duplicate's proof served its purpose once decided (decision 029): the file goes.
    if (request.proofFileId) await deleteStoredFile(tx, request.proofFileId);
    await audit(tx, deps.clock, {
      action: input.grant ? 'programmes.diplomaGranted' : 'programmes.diplomaRefused',
      actorId: input.actor.id,
      subjectId: request.learnerId,
      data: { programme: programme.code, requestId: request.id, kind: request.kind, documentId: document?.id ?? null },
    });
    await tellLearner(tx, request.learnerId, decisionMessage(deps.baseUrl, { programme, kind: request.kind, grant: input.grant, reason }));
    return { ok: true as const, status, document };
  });
}

async function issueDiploma(tx: Tx, deps: DiplomaDeps, request: DiplomaRequest, programme: Programme, now: Date): Promise<IssuedDocument> {
  const subjectId = request.originalId ?? request.id;
  await lockDocumentSubject(tx, 'diploma', subjectId);
  const t = translator('fr');
  const holderName = (await learnerNames(tx, [request.learnerId])).get(request.learnerId)?.trim() || (await getUser(tx, request.learnerId))?.email || request.learnerId;
  const duplicate = request.kind === 'duplicate';
  return issueDocument(tx, signingOf(deps), {
    kind: 'diploma',
    subjectId,
    holderName,
    title: `${t(`prog.kind.${programme.kind}`)} ${programme.code} – ${programme.title}${duplicate ? ` — ${t('dipl.duplicateMark')}` : ''}`.slice(0, 300),
    issuerName: t('service.name'),
    validFrom: now.toISOString().slice(0, 10),
    details: {
      'dipl.doc.credits': String(request.creditsEarned),
      ...(duplicate ? { 'dipl.doc.duplicate': t(`dipl.reason.${request.reason!}`) } : {}),
    },
    // A duplicate replaces the diploma before it: the original then verifies as replaced.
    replace: duplicate,
  });
}

/** CRED-4: the message of a decision (email; SMS `sms.generic`). */
export function decisionMessage(baseUrl: string, input: { programme: Pick<Programme, 'code' | 'title'>; kind: DiplomaRequestKind; grant: boolean; reason: string }): LearnerMessage {
  const which = `${input.kind === 'duplicate' ? 'duplicate' : 'diploma'}.${input.grant ? 'granted' : 'refused'}` as const;
  return {
    purpose: `dipl.email.${which}`,
    compose: (t) => {
      const params = { title: input.programme.title, reason: input.reason || '—', link: `${baseUrl}/compte/cursus/${encodeURIComponent(input.programme.code)}/diplome` };
      return { subject: t(`dipl.email.${which}.subject`, params), text: t(`dipl.email.${which}.body`, params), link: params.link };
    },
  };
}

/** CRED-4: the diploma's PDF for its holder (the duplicate once one is granted, marked « DUPLICATA »); null when none is granted. */
export async function diplomaPdf(deps: DiplomaDeps, input: { learnerId: string; code: string; locale: Locale }): Promise<{ pdf: Buffer; fileName: string } | null> {
  const page = await diplomaPage(deps.db, deps, input.learnerId, input.code);
  if (!page?.granted) return null;
  const document = await currentDocument(deps.db, signingOf(deps), 'diploma', page.granted.id);
  if (!document) return null;
  const dup = page.requests.find((r) => r.kind === 'duplicate' && r.documentId === document.id) ?? null;
  const t = translator(input.locale);
  const service = t('service.name');
  const holderName = (await learnerNames(deps.db, [input.learnerId])).get(input.learnerId)?.trim() || (await getUser(deps.db, input.learnerId))?.email || '—';
  const { programme } = page;
  const pdf = await academicRecordPdf({
    locale: input.locale,
    serviceName: service,
    title: t(`prog.kind.${programme.kind}`),
    mark: dup ? t('dipl.duplicateMark') : null,
    intro: t('dipl.pdf.intro', { service, name: holderName, kind: t(`prog.kind.${programme.kind}`), title: programme.title, code: programme.code }),
    lines: [
      t('dipl.pdf.credits', { credits: page.granted.creditsEarned, required: programme.rule.requiredCredits }),
      t('dipl.pdf.granted', { date: t.date(page.granted.decidedAt ?? page.granted.requestedAt) }),
      ...(dup ? [t('dipl.pdf.duplicate', { date: t.date(dup.decidedAt ?? dup.requestedAt), reason: t(`dipl.reason.${dup.reason!}`) })] : []),
    ],
    issuedAt: document.issuedAt,
    code: document.displayCode,
    verifyUrl: document.verifyUrl,
  });
  return { pdf, fileName: `${dup ? 'duplicata' : 'diplome'}-${programme.code}.pdf` };
}

/** ACC-11, ACC-14: what a closure leaves of a learner's requests (decision 029): the diplomas granted; the rest and every proof file go. */
export async function forgetDiplomaRequests(tx: Tx, userId: string): Promise<void> {
  const rows = await tx.select({ id: diplomaRequests.id, fileId: diplomaRequests.proofFileId }).from(diplomaRequests).where(eq(diplomaRequests.learnerId, userId));
  if (rows.length === 0) return;
  await tx.update(diplomaRequests).set({ proofFileId: null }).where(eq(diplomaRequests.learnerId, userId));
  for (const r of rows) if (r.fileId) await deleteStoredFile(tx, r.fileId);
  // A duplicate granted points at its original: the refused and pending ones go, the granted keep each other.
  await tx.delete(diplomaRequests).where(and(eq(diplomaRequests.learnerId, userId), eq(diplomaRequests.kind, 'duplicate'), sql`${diplomaRequests.status} <> 'granted'`));
  await tx.delete(diplomaRequests).where(and(eq(diplomaRequests.learnerId, userId), eq(diplomaRequests.kind, 'original'), sql`${diplomaRequests.status} <> 'granted'`));
  await tx.update(diplomaRequests).set({ decisionReason: null }).where(eq(diplomaRequests.learnerId, userId));
}

/** The documents' subjects of a learner's diplomas (the original requests granted), for the register's export and closure. */
export async function diplomaSubjectsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db.select({ id: diplomaRequests.id }).from(diplomaRequests).where(and(eq(diplomaRequests.learnerId, userId), eq(diplomaRequests.kind, 'original')));
  return rows.map((r) => r.id);
}
