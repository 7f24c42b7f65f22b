import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import { readStoredFile, storeFile, storedFileInfo, type StoredFile } from '../../platform/files';
import { isUuid } from '../../platform/input';
import type { Policies } from '../../platform/policies';
import { uploadMaxBytes } from '../../platform/policies';
import type { FieldError } from '../../ui/context';
import { learnerNames, parisDay, tellLearner, type LearnerMessage } from '../accounts';
import { unitsOf } from '../catalogue';
import { checkDecision, checkRequest, mayDecide } from './exams.rules';
import { centresById, centresOfRecord, forbidden, learnerRegistration, notFound, refused, sessionAt, staffScope, type ExamDeps, type Failure, type Staff } from './exams.service';
import { examRegistrations, examRequests, examSessions, type CentreReason, type RequestKind } from './exams.table';

/**
 * CRED-3: the learner's requests about an exam: to sit it at another centre (professional
 * travel or a move, with a proof) or accommodations (with a proof if they have one), and the
 * staff's decisions with a reason; the learner is emailed. An approved change of centre makes
 * the learner sit the session there.
 */

/** What stored files of exam requests are for (`stored_files.purpose`). */
export const EXAM_PROOF_PURPOSE = 'exam_request_proof';

export type ExamRequest = typeof examRequests.$inferSelect;

export interface RequestForm {
  kind: RequestKind;
  reason: CentreReason | null;
  wishedCentre: string | null;
  details: string | null;
  file: { name: string; data: Buffer } | null;
}

const invalid = (field: string, error: FieldError): Failure => ({ ok: false, code: 'invalid', errors: { [field]: error } });

/**
 * CRED-3: a learner asks about one of their exam registrations. Refused with a message next to
 * the field: after the exam or its mark, a second open request of the same kind, another centre
 * without its reason, centre or proof, accommodations without what is asked, a wrong file.
 */
export async function askRequest(deps: Pick<ExamDeps, 'db' | 'clock'>, input: { learnerId: string; registrationId: string; form: RequestForm }, policies: Policies): Promise<{ ok: true; id: string } | Failure> {
  const { db, clock } = deps;
  const centres = await centresById(db);
  const wished = input.form.wishedCentre ? [...centres.values()].find((c) => c.code === input.form.wishedCentre) : undefined;
  if (input.form.kind === 'another_centre' && input.form.wishedCentre && !wished) return invalid('centre', { message: 'exams.err.centre' });
  return db.transaction(async (tx) => {
    const found = await learnerRegistration(tx, input.learnerId, input.registrationId, true);
    if (!found) return notFound;
    const open = await tx
      .select({ kind: examRequests.kind })
      .from(examRequests)
      .where(and(eq(examRequests.registrationId, found.registration.id), eq(examRequests.status, 'pending')));
    const checked = checkRequest(
      { kind: input.form.kind, reason: input.form.reason, wishedCentreId: wished?.id ?? null, details: input.form.details, hasFile: input.form.file !== null },
      {
        today: parisDay(clock.now()),
        heldOn: found.session.heldOn,
        currentCentreId: found.registration.centreId,
        resultEntered: found.registration.absent || found.registration.markTenths !== null || found.session.publishedAt !== null,
        openKinds: open.map((o) => o.kind),
      },
    );
    if (!checked.ok) return invalid(checked.field, { message: checked.message });
    let fileId: string | null = null;
    if (input.form.file) {
      const stored = await storeFile(tx, clock, { purpose: EXAM_PROOF_PURPOSE, ownerId: input.learnerId, name: input.form.file.name, data: input.form.file.data }, { maxBytes: uploadMaxBytes(policies) });
      if (!stored.ok) return invalid('file', stored.params ? { message: stored.message, params: stored.params } : { message: stored.message });
      fileId = stored.file.id;
    }
    const another = input.form.kind === 'another_centre';
    const [row] = await tx
      .insert(examRequests)
      .values({
        registrationId: found.registration.id,
        learnerId: input.learnerId,
        kind: input.form.kind,
        reason: another ? input.form.reason : null,
        wishedCentreId: another ? wished!.id : null,
        details: input.form.details?.trim() || null,
        fileId,
        createdAt: clock.now(),
      })
      .onConflictDoNothing()
      .returning({ id: examRequests.id });
    // The registration's lock orders two requests at once; the unique index is the backstop.
    if (!row) return invalid('kind', { message: 'exams.err.requestOpen' });
    await audit(tx, clock, { action: 'exams.requestMade', actorId: input.learnerId, subjectId: input.learnerId, data: { kind: input.form.kind, registrationId: found.registration.id } });
    return { ok: true as const, id: row.id };
  });
}

/** CRED-3: a learner's requests, by registration. */
export async function requestsOf(db: DbOrTx, learnerId: string): Promise<ExamRequest[]> {
  return db.select().from(examRequests).where(eq(examRequests.learnerId, learnerId)).orderBy(desc(examRequests.createdAt));
}

export interface StaffRequestView {
  request: ExamRequest;
  learner: string;
  unit: string;
  heldOn: string;
  sessionCentre: string;
  sittingCentre: string;
  wishedCentre: string | null;
  centreOfRecord: string | null;
  file: Pick<StoredFile, 'mediaType' | 'size' | 'originalName'> | null;
}

/** The requests a staff member may decide, as the query's condition (their centres: the session's, or the wished one for another centre). */
async function requestScope(db: DbOrTx, staff: Staff) {
  const scope = await staffScope(db, staff);
  if (staff.role === 'admin') return { scope, where: undefined };
  if (staff.role !== 'coordinator' || scope.schoolIds.length === 0) return { scope, where: sql`false` };
  const ids = [...scope.schoolIds];
  return { scope, where: or(inArray(examSessions.centreId, ids), and(eq(examRequests.kind, 'another_centre'), inArray(examRequests.wishedCentreId, ids))) };
}

async function viewsOf(db: DbOrTx, rows: { request: ExamRequest; session: typeof examSessions.$inferSelect; registration: typeof examRegistrations.$inferSelect }[]): Promise<StaffRequestView[]> {
  const names = await learnerNames(db, rows.map((r) => r.request.learnerId));
  const units = new Map((await unitsOf(db, { ids: [...new Set(rows.map((r) => r.session.courseId))] })).map((u) => [u.id, u]));
  const centres = await centresById(db);
  const records = await centresOfRecord(db, rows.map((r) => r.request.learnerId));
  const files = await storedFileInfo(db, rows.map((r) => r.request.fileId).filter((id): id is string => id !== null));
  const name = (id: number | null | undefined) => (id === null || id === undefined ? null : (centres.get(id)?.name ?? null));
  return rows.map(({ request, session, registration }) => {
    const unit = units.get(session.courseId);
    const file = request.fileId ? files.get(request.fileId) : undefined;
    return {
      request,
      learner: names.get(request.learnerId) ?? '—',
      unit: unit ? `${unit.code} – ${unit.title}` : '—',
      heldOn: session.heldOn,
      sessionCentre: name(session.centreId) ?? '—',
      sittingCentre: name(registration.centreId) ?? '—',
      wishedCentre: name(request.wishedCentreId),
      centreOfRecord: name(records.get(request.learnerId)),
      file: file ? { mediaType: file.mediaType, size: file.size, originalName: file.originalName } : null,
    };
  });
}

const requestRows = (db: DbOrTx) =>
  db
    .select({ request: examRequests, session: examSessions, registration: examRegistrations })
    .from(examRequests)
    .innerJoin(examRegistrations, eq(examRegistrations.id, examRequests.registrationId))
    .innerJoin(examSessions, eq(examSessions.id, examRegistrations.examSessionId));

/** CRED-3: the requests waiting for a decision that this staff member may take, oldest first. */
export async function pendingRequestsFor(db: DbOrTx, staff: Staff): Promise<StaffRequestView[]> {
  const { where } = await requestScope(db, staff);
  const rows = await requestRows(db)
    .where(and(eq(examRequests.status, 'pending'), where))
    .orderBy(examRequests.createdAt);
  return viewsOf(db, rows);
}

/** CRED-3: one request for staff: not found, outside the scope (forbidden), or the request. */
export async function requestForStaff(db: DbOrTx, staff: Staff, requestId: string): Promise<{ ok: true; view: StaffRequestView } | Failure> {
  if (!isUuid(requestId)) return notFound;
  const [row] = await requestRows(db).where(eq(examRequests.id, requestId));
  if (!row) return notFound;
  const scope = await staffScope(db, staff);
  if (!mayDecide(scope, { kind: row.request.kind, sessionCentreId: row.session.centreId, wishedCentreId: row.request.wishedCentreId })) return forbidden;
  return { ok: true, view: (await viewsOf(db, [row]))[0] };
}

/** CRED-3: the decision, as `tellLearner` sends it. */
export function decisionMessage(baseUrl: string, input: { kind: RequestKind; unit: string; approve: boolean; reason: string; centre: string | null }): LearnerMessage {
  return {
    purpose: 'exams.email.decision',
    compose: (t) => {
      const params = {
        unit: input.unit,
        what: t(input.kind === 'another_centre' ? 'exams.kind.another_centre' : 'exams.kind.accommodations'),
        decision: t(input.approve ? 'exams.decision.approved' : 'exams.decision.refused'),
        reason: input.reason || '—',
        centre: input.centre ?? '—',
        link: `${baseUrl}/compte/examens`,
      };
      return { subject: t('exams.email.decision.subject', params), text: t(input.approve && input.kind === 'another_centre' ? 'exams.email.decision.bodyCentre' : 'exams.email.decision.body', params), link: params.link };
    },
  };
}

/**
 * CRED-3: staff (the exam service: a coordinator of the session's centre, an administrator; for
 * another centre the wished centre's coordinator too) approve, or refuse with a reason. An
 * approved centre makes the learner sit the session there (the session held at that centre if
 * there is one). The learner is emailed. A request decided already is refused (a stale page).
 */
export async function decideRequest(deps: ExamDeps, input: { staff: Staff; requestId: string; approve: boolean; reason: string }): Promise<{ ok: true } | Failure> {
  const { db, clock } = deps;
  const checked = checkDecision({ approve: input.approve, reason: input.reason });
  if (!checked.ok) return invalid(checked.field, { message: checked.message });
  if (!isUuid(input.requestId)) return notFound;
  return db.transaction(async (tx) => {
    const [row] = await requestRows(tx).where(eq(examRequests.id, input.requestId)).for('update', { of: examRequests });
    if (!row) return notFound;
    if (!mayDecide(await staffScope(tx, input.staff), { kind: row.request.kind, sessionCentreId: row.session.centreId, wishedCentreId: row.request.wishedCentreId })) return forbidden;
    if (row.request.status !== 'pending') return refused('exams.err.decided');
    const reason = input.reason.trim();
    await tx
      .update(examRequests)
      .set({ status: input.approve ? 'approved' : 'refused', decisionReason: reason || null, decidedBy: input.staff.id, decidedAt: clock.now() })
      .where(eq(examRequests.id, row.request.id));
    const centres = await centresById(tx);
    if (input.approve && row.request.kind === 'another_centre' && row.request.wishedCentreId !== null) {
      const there = await sessionAt(tx, row.session, row.request.wishedCentreId);
      await tx
        .update(examRegistrations)
        .set({ centreId: row.request.wishedCentreId, ...(there && !there.publishedAt ? { examSessionId: there.id } : {}) })
        .where(eq(examRegistrations.id, row.registration.id));
    }
    const [unit] = await unitsOf(tx, { ids: [row.session.courseId] });
    await tellLearner(
      tx,
      row.request.learnerId,
      decisionMessage(deps.baseUrl, {
        kind: row.request.kind,
        unit: unit ? `${unit.code} – ${unit.title}` : '—',
        approve: input.approve,
        reason,
        centre: row.request.wishedCentreId !== null ? (centres.get(row.request.wishedCentreId)?.name ?? null) : null,
      }),
    );
    await audit(tx, clock, { action: 'exams.requestDecided', actorId: input.staff.id, subjectId: row.request.learnerId, data: { requestId: row.request.id, kind: row.request.kind, approve: input.approve } });
    return { ok: true as const };
  });
}

/** A request's proof for staff who may decide it (null: none or not theirs). */
export async function requestFileForStaff(db: DbOrTx, staff: Staff, requestId: string) {
  const found = await requestForStaff(db, staff, requestId);
  if (!found.ok) return found;
  if (!found.view.request.fileId) return notFound;
  const file = await readStoredFile(db, found.view.request.fileId);
  return file ? { ok: true as const, file, learnerId: found.view.request.learnerId } : notFound;
}

/** A learner's own proof. */
export async function requestFileForLearner(db: DbOrTx, learnerId: string, requestId: string) {
  if (!isUuid(requestId)) return null;
  const [row] = await db.select().from(examRequests).where(and(eq(examRequests.id, requestId), eq(examRequests.learnerId, learnerId)));
  if (!row?.fileId) return null;
  return readStoredFile(db, row.fileId);
}
