import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/database';
import { audit, traceFileViewed } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { checkFileContent, deleteStoredFile, readStoredFile, storeFile, storedFileInfo, type FileRefusal, type StoredFile } from '../../platform/files';
import type { MessageKey } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getPolicies, uploadMaxBytes, type Policies } from '../../platform/policies';
import type { FieldError } from '../../ui/context';
import type { Allowance, Rate, Role } from '../../domain/vocabulary';
import { learnerNames, parisDay } from '../accounts';
import { sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { scopeOf } from '../scopes';
import type { ApplicationDeps } from './deps';
import { applications } from './applications.table';
import { availableActions, inGroup, refusal, roleMay, type Action } from './lifecycle';
import { proofDateCounts, proofWindow, rateAndAllowance } from './proofs.rules';
import { rateProofs } from './proofs.table';

/**
 * PAY-6, the half-rate proof: the learner sends it with the application (a PDF, JPEG or PNG
 * checked by its content, stored by platform/files), the school head (or the administrator)
 * accepts it or refuses it with a reason, and `rateOf` tells the payments the rate: half only
 * with an accepted proof. Who may do what is the lifecycle's table (`uploadProof`,
 * `decideProof`); staff act only inside their scope, which is part of every staff query here.
 */

/** What stored files of proofs are for (`stored_files.purpose`). */
export const PROOF_PURPOSE = 'rate_proof';

export type RateProof = typeof rateProofs.$inferSelect;
/** A proof with what its file is (type, size, name), without its bytes. */
export type ProofView = RateProof & { file: Pick<StoredFile, 'mediaType' | 'size' | 'originalName'> | null };

export type Staff = { id: string; role: Role };

/**
 * Why a proof action was not taken: nothing found (or outside the scope), a role the table
 * does not list, a status or proof state that no longer allows it (a stale page), or the form's
 * fields (`errors`, with the dates a proof may bear when the date is the reason).
 */
export type ProofFailure =
  | { ok: false; code: 'not_found'; message: MessageKey }
  | { ok: false; code: 'forbidden'; message: MessageKey }
  | { ok: false; code: 'stale'; message: MessageKey }
  | { ok: false; code: 'invalid'; errors: Partial<Record<'file' | 'proofDate' | 'decision' | 'reason', FieldError>>; window?: { from: string; to: string; months: number } };

const notFound = { ok: false, code: 'not_found', message: 'error.notFound.message' } as const satisfies ProofFailure;
const forbidden = { ok: false, code: 'forbidden', message: 'error.forbidden.message' } as const satisfies ProofFailure;
const stale = (message: MessageKey): ProofFailure => ({ ok: false, code: 'stale', message });
const fileError = (refusal: FileRefusal): FieldError => (refusal.params ? { message: refusal.message, params: refusal.params } : { message: refusal.message });

/** The proofs of these applications, with their files' descriptions. */
export async function proofsOf(db: DbOrTx, applicationIds: string[]): Promise<Map<string, ProofView>> {
  const ids = applicationIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(rateProofs).where(inArray(rateProofs.applicationId, ids));
  const files = await storedFileInfo(db, rows.map((r) => r.fileId));
  return new Map(
    rows.map((r) => {
      const file = files.get(r.fileId);
      return [r.applicationId, { ...r, file: file ? { mediaType: file.mediaType, size: file.size, originalName: file.originalName } : null }];
    }),
  );
}

/** The proof of one application, or null. */
export async function proofOf(db: DbOrTx, applicationId: string): Promise<ProofView | null> {
  return (await proofsOf(db, [applicationId])).get(applicationId) ?? null;
}

/**
 * PAY-6: the dates a proof may bear for this application: from its validation day, or from
 * today while it is only preselected (the day it is validated can only be later).
 */
export function proofWindowFor(application: { confirmedAt: Date | null }, clock: Clock, months: number) {
  return { ...proofWindow(parisDay(application.confirmedAt ?? clock.now()), months), months };
}

/**
 * PAY-5, PAY-6: the rate of an application, for the payment due when the school validates the
 * enrolment: half with an accepted proof (and the allowance it shows), else full (allowance
 * null); never according to the start date. Without an accepted proof at that moment the rate
 * stays full: the difference is never refunded later.
 */
export async function rateOf(db: DbOrTx, applicationId: string): Promise<{ rate: Rate; allowance: Allowance | null }> {
  if (!isUuid(applicationId)) return rateAndAllowance(null);
  const [proof] = await db.select({ status: rateProofs.status, allowance: rateProofs.allowance }).from(rateProofs).where(eq(rateProofs.applicationId, applicationId));
  return rateAndAllowance(proof ?? null);
}

/**
 * PAY-6: the learner sends the half-rate proof of their application (the allowance, the date
 * written on it, the file), replacing one that waits or was refused: the new one waits for the
 * school's decision. Refused: another learner's application or one that no longer takes a
 * proof (`not_found`, `stale`: an accepted proof, an enrolment validated, a closed
 * application), a date outside PAY-6's window (less than three months before the validation,
 * not after it), a file that is empty, too large, or not a PDF, JPEG or PNG by its content.
 */
export async function uploadProof(
  deps: ApplicationDeps,
  input: { learnerId: string; applicationId: string; allowance: Allowance; proofDate: string; file: { name: string; data: Buffer } },
  knownPolicies?: Policies,
): Promise<{ ok: true } | ProofFailure> {
  const { db, clock } = deps;
  if (!isUuid(input.applicationId)) return notFound;
  const policies = knownPolicies ?? (await getPolicies(db));
  const maxBytes = uploadMaxBytes(policies);
  // The content is checked before any lock; storeFile checks it again where it writes.
  const content = await checkFileContent(input.file.data, maxBytes);
  return db.transaction(async (tx) => {
    const [application] = await tx
      .select()
      .from(applications)
      .where(and(eq(applications.id, input.applicationId), eq(applications.learnerId, input.learnerId)))
      .for('update');
    if (!application) return notFound;
    const [current] = await tx.select().from(rateProofs).where(eq(rateProofs.applicationId, application.id));
    const [session] = await sessionsForApplications(tx, { ids: [application.sessionId] });
    const no = refusal('uploadProof', { status: application.status, period: session.period, proof: current?.status ?? null, sessionCancelled: session.cancelledAt !== null }, { role: 'learner', now: clock.now() });
    if (no) return stale(no.code === 'PAY-6' || no.code === 'APP-7' ? no.message : 'proof.error.status');
    const errors: Extract<ProofFailure, { code: 'invalid' }>['errors'] = {};
    const window = proofWindowFor(application, clock, policies.halfRateProofValidityMonths);
    const dated = proofDateCounts(input.proofDate, window.to, window.months);
    if (!dated.ok) errors.proofDate = { message: dated.message };
    if (!content.ok) errors.file = fileError(content);
    if (errors.proofDate || errors.file) return { ok: false as const, code: 'invalid' as const, errors, window };
    const stored = await storeFile(tx, clock, { purpose: PROOF_PURPOSE, ownerId: application.learnerId, name: input.file.name, data: input.file.data }, { maxBytes });
    if (!stored.ok) return { ok: false as const, code: 'invalid' as const, errors: { file: fileError(stored) } };
    const values = {
      allowance: input.allowance,
      proofDate: input.proofDate,
      fileId: stored.file.id,
      status: 'pending' as const,
      reason: null,
      decidedBy: null,
      decidedAt: null,
      uploadedAt: clock.now(),
    };
    // A new proof has a new id, so that a decision made on a page showing the old one is refused.
    await tx
      .insert(rateProofs)
      .values({ applicationId: application.id, ...values })
      .onConflictDoUpdate({ target: rateProofs.applicationId, set: { ...values, id: sql`gen_random_uuid()` } });
    if (current) await deleteStoredFile(tx, current.fileId);
    await audit(tx, clock, {
      action: 'applications.proof_sent',
      actorId: input.learnerId,
      subjectId: input.learnerId,
      data: { applicationId: application.id, allowance: input.allowance, proofDate: input.proofDate, fileId: stored.file.id, replaced: current?.status ?? null },
    });
    return { ok: true as const };
  });
}

/** An application validated by its learner, whose session is in the staff member's scope, with that session; or null. */
async function inScope(db: DbOrTx, staff: Staff, applicationId: string): Promise<{ application: typeof applications.$inferSelect; session: SessionForApplication } | null> {
  if (!isUuid(applicationId)) return null;
  const [application] = await db.select().from(applications).where(eq(applications.id, applicationId));
  if (!application || !inGroup('validated', application.status)) return null;
  const [session] = await sessionsForApplications(db, { ids: [application.sessionId] });
  const [scoped] = session ? await sessionsInScope(db, await scopeOf(db, staff), { code: session.code }) : [];
  return scoped ? { application, session } : null;
}

/**
 * PAY-6: the school head (or the administrator), in scope, accepts the learner's proof or
 * refuses it with the reason the learner will read; a decision may be changed until the
 * enrolment is validated. `proofId` is the proof the page showed: if the learner has sent
 * another since, nothing is decided (`stale`). Accepting needs the proof's date to be less
 * than three months before the application's validation and not after it. Audited.
 */
export async function decideProof(
  deps: ApplicationDeps,
  input: { staff: Staff; applicationId: string; proofId: string; accept: boolean; reason: string },
  knownPolicies?: Policies,
): Promise<{ ok: true } | ProofFailure> {
  const { db, clock } = deps;
  const found = await inScope(db, input.staff, input.applicationId);
  if (!found) return notFound;
  // The role as well as the scope: a route that forgot its own check still refuses.
  if (!roleMay(input.staff.role, 'decideProof')) return forbidden;
  const policies = knownPolicies ?? (await getPolicies(db));
  return db.transaction(async (tx: Tx) => {
    const [application] = await tx.select().from(applications).where(eq(applications.id, input.applicationId)).for('update');
    const [proof] = await tx.select().from(rateProofs).where(eq(rateProofs.applicationId, application.id));
    const no = refusal('decideProof', { status: application.status, period: found.session.period, proof: proof?.status ?? null }, { role: input.staff.role, now: clock.now() });
    if (no) return no.code === 'role' ? forbidden : stale(no.code === 'PAY-6' ? no.message : 'proof.error.decideStatus');
    if (proof.id !== input.proofId) return stale('proof.error.replaced');
    const reason = input.reason.trim();
    if (input.accept) {
      const window = proofWindowFor(application, clock, policies.halfRateProofValidityMonths);
      const dated = proofDateCounts(proof.proofDate, window.to, window.months);
      if (!dated.ok) return { ok: false as const, code: 'invalid' as const, errors: { decision: { message: 'proof.decide.outOfWindow' } }, window };
    } else if (!reason) return { ok: false as const, code: 'invalid' as const, errors: { reason: { message: 'proof.decide.reasonRequired' } } };
    const status = input.accept ? ('accepted' as const) : ('refused' as const);
    await tx
      .update(rateProofs)
      .set({ status, reason: input.accept ? null : reason, decidedBy: input.staff.id, decidedAt: clock.now() })
      .where(eq(rateProofs.id, proof.id));
    await audit(tx, clock, {
      action: 'applications.proof_decided',
      actorId: input.staff.id,
      subjectId: application.learnerId,
      data: { applicationId: application.id, proofId: proof.id, status, reason: input.accept ? null : reason },
    });
    return { ok: true as const };
  });
}

/**
 * The staff page of an application's proof: the learner, the session, the proof, the dates it
 * may bear and whether its own counts, and what this person may do (the lifecycle's table).
 * Null outside the scope; `proof` null when the learner has sent none.
 */
export async function proofForStaff(db: Db, clock: Clock, staff: Staff, applicationId: string) {
  const found = await inScope(db, staff, applicationId);
  if (!found) return null;
  const { application, session } = found;
  await traceFileViewed(db, clock, { staffId: staff.id, learnerId: application.learnerId, page: 'proof' }); // ACC-11
  const [names, proof, policies] = await Promise.all([learnerNames(db, [application.learnerId]), proofOf(db, application.id), getPolicies(db)]);
  const window = proofWindowFor(application, clock, policies.halfRateProofValidityMonths);
  const actions: Set<Action> = availableActions({ status: application.status, period: session.period, proof: proof?.status ?? null }, { role: staff.role, now: clock.now() });
  return {
    application,
    session,
    name: names.get(application.learnerId) ?? '',
    proof,
    window,
    /** PAY-6: the proof's date is within the window (else it cannot be accepted). */
    dateCounts: proof ? proofDateCounts(proof.proofDate, window.to, window.months).ok : false,
    actions,
  };
}
export type StaffProofPage = NonNullable<Awaited<ReturnType<typeof proofForStaff>>>;

/** The learner's own proof file (another learner's is simply not found). */
export async function proofFileForLearner(db: DbOrTx, learnerId: string, applicationId: string) {
  if (!isUuid(applicationId)) return null;
  const [row] = await db
    .select({ fileId: rateProofs.fileId })
    .from(rateProofs)
    .innerJoin(applications, eq(applications.id, rateProofs.applicationId))
    .where(and(eq(rateProofs.applicationId, applicationId), eq(applications.learnerId, learnerId)));
  return row ? readStoredFile(db, row.fileId) : null;
}

/** The proof file of an application in the staff member's scope, for those who decide on it; null otherwise. */
export async function proofFileForStaff(db: DbOrTx, clock: Clock, staff: Staff, applicationId: string) {
  if (!roleMay(staff.role, 'decideProof')) return null;
  const found = await inScope(db, staff, applicationId);
  if (!found) return null;
  const [row] = await db.select({ fileId: rateProofs.fileId }).from(rateProofs).where(eq(rateProofs.applicationId, applicationId));
  if (row) await traceFileViewed(db, clock, { staffId: staff.id, learnerId: found.application.learnerId, page: 'proof' }); // ACC-11
  return row ? readStoredFile(db, row.fileId) : null;
}

/** A preselection deleted (APP-6) takes its proof and the proof's file with it. */
export async function deleteProofOf(tx: Tx, applicationId: string): Promise<void> {
  const [removed] = await tx.delete(rateProofs).where(eq(rateProofs.applicationId, applicationId)).returning({ fileId: rateProofs.fileId });
  if (removed) await deleteStoredFile(tx, removed.fileId);
}
