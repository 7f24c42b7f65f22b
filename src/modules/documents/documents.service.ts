import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { sessionStaffRoles, type DocumentKind, type DocumentStatus, type Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { systemClock, type Clock } from '../../platform/clock';
import { safeReturnPath } from '../../platform/http';
import { parisDay } from '../accounts';
import { sessionsForApplications, sessionsInScope } from '../catalogue';
import { scopeOf } from '../scopes';
import { checkCode, effectiveStatus, formatCode, initials, newCode, sameClaims, signedClaims } from './documents.rules';
import { documents } from './documents.table';
import { publicKey, signingKey } from './keys.service';
import { signClaims, verifySignature } from './signing';

/**
 * What the documents module needs from its caller: the site's address (the QR code's link),
 * the app secret (it seals the signing keys) and the clock (issue dates, expiry; the system's
 * when omitted). From `RouteDeps`: `{ baseUrl: config.baseUrl, secret, clock }`.
 */
export interface DocumentSigning {
  baseUrl: string;
  secret: string;
  clock?: Clock;
}

export interface DocumentInput {
  kind: DocumentKind;
  /** What it is about, in the issuing module: an application id, a payment id… */
  subjectId: string;
  /** The full name; the public page shows the initials only. */
  holderName: string;
  /** The course's title, for instance. */
  title: string;
  /** The school, or the service. */
  issuerName: string;
  /** ISO dates (YYYY-MM-DD); the document reads "expired" the day after `validUntil`, in Paris. */
  validFrom?: string | null;
  validUntil?: string | null;
  /** Shown only to staff in scope, logged in: a label (or a message key) → its value (an ISO date or date-time is shown as a date). */
  details?: Record<string, string>;
  /** Which session's staff may see the fuller view (administrators always; nobody else when null). */
  scopeSessionId?: number | null;
  /** A page of this site for those staff (a convocation: the applicant's sheet). */
  staffPath?: string | null;
}

export interface IssuedDocument {
  id: string;
  kind: DocumentKind;
  /** 12 characters, as stored and as the URL carries it. */
  code: string;
  /** The code as printed: three groups of four (`K7QM-4XTR-9PZA`). */
  displayCode: string;
  /** What the QR code carries: `${baseUrl}/verifier/${code}?s=<signature>`. */
  verifyUrl: string;
  issuedAt: Date;
  status: DocumentStatus;
}

type Row = typeof documents.$inferSelect;

const clockOf = (signing: { clock?: Clock }) => signing.clock ?? systemClock;

function issued(row: Row, signing: DocumentSigning): IssuedDocument {
  return {
    id: row.id,
    kind: row.kind,
    code: row.code,
    displayCode: formatCode(row.code),
    verifyUrl: `${signing.baseUrl}/verifier/${row.code}?s=${row.signature}`,
    issuedAt: row.issuedAt,
    status: effectiveStatus(row, parisDay(clockOf(signing).now())),
  };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A caller's mistake is a programming error (the module's callers are code, not forms). */
function checkInput(input: DocumentInput) {
  const text = (name: string, value: string, max = 300) => {
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) throw new Error(`issueDocument: ${name} must be 1 to ${max} characters`);
  };
  text('subjectId', input.subjectId, 200);
  text('holderName', input.holderName);
  text('title', input.title);
  text('issuerName', input.issuerName);
  for (const day of [input.validFrom, input.validUntil]) if (day != null && !ISO_DAY.test(day)) throw new Error(`issueDocument: ${day} is not an ISO date`);
  if (input.validFrom && input.validUntil && input.validUntil < input.validFrom) throw new Error('issueDocument: validUntil is before validFrom');
  for (const [label, value] of Object.entries(input.details ?? {})) text(`details.${label}`, value, 1_000);
  if (input.staffPath != null && safeReturnPath(input.staffPath) === undefined) throw new Error('issueDocument: staffPath must be a path of this site');
}

/**
 * PAY-10: issues a document: its row, a short code (unique: a code already taken is drawn
 * again), and the signature its QR code carries (ES256, the active key). `replace`: the valid
 * documents of the same kind and subject become "replaced" (a lost card, a new convocation
 * date), under a lock on that kind and subject so two replacements leave one valid document.
 * In the caller's transaction (a savepoint), with its audit entry. `makeCode` is for tests.
 */
/**
 * The register's lock of one kind of document about one subject, until the caller's transaction
 * ends: a caller that reads "is there a valid one?" before issuing takes it first.
 */
export async function lockDocumentSubject(tx: DbOrTx, kind: DocumentKind, subjectId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`documents:${kind}:${subjectId}`}, 0))`);
}

export async function issueDocument(
  tx: DbOrTx,
  signing: DocumentSigning,
  input: DocumentInput & { replace?: boolean },
  makeCode: () => string = newCode,
): Promise<IssuedDocument> {
  checkInput(input);
  const clock = clockOf(signing);
  return tx.transaction(async (t) => {
    if (input.replace) await lockDocumentSubject(t, input.kind, input.subjectId);
    const key = await signingKey(t, signing.secret, clock);
    const issuedAt = clock.now();
    const validUntil = input.validUntil ?? null;
    for (let attempt = 0; attempt < 5; attempt++) {
      const code = makeCode();
      const signature = await signClaims(signedClaims({ code, kind: input.kind, holderName: input.holderName, issuedDay: parisDay(issuedAt), validUntil }), key);
      const [row] = await t
        .insert(documents)
        .values({
          kind: input.kind,
          code,
          subjectId: input.subjectId,
          holderName: input.holderName,
          title: input.title,
          issuerName: input.issuerName,
          issuedAt,
          validFrom: input.validFrom ?? null,
          validUntil,
          details: input.details ?? {},
          scopeSessionId: input.scopeSessionId ?? null,
          staffPath: input.staffPath ?? null,
          keyId: key.kid,
          signature,
        })
        // A code already taken (54 random bits: almost never): draw another, the transaction unharmed.
        .onConflictDoNothing({ target: documents.code })
        .returning();
      if (!row) continue;
      const replaced = input.replace
        ? await t
            .update(documents)
            .set({ status: 'replaced', statusChangedAt: issuedAt, replacedBy: row.id })
            .where(and(eq(documents.kind, input.kind), eq(documents.subjectId, input.subjectId), eq(documents.status, 'valid'), sql`${documents.id} <> ${row.id}`))
            .returning({ id: documents.id })
        : [];
      await audit(t, clock, { action: 'documents.issued', subjectId: row.id, data: { kind: row.kind, subject: row.subjectId, replaced: replaced.map((r) => r.id) } });
      return issued(row, signing);
    }
    throw new Error('issueDocument: no free code after 5 draws');
  });
}

/**
 * The document of this kind and subject to hand out (a PDF to print): a valid one if there is,
 * else the latest issued, whatever its status (the caller reads `status`); null if none.
 */
export async function currentDocument(db: DbOrTx, signing: DocumentSigning, kind: DocumentKind, subjectId: string): Promise<IssuedDocument | null> {
  const [row] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.kind, kind), eq(documents.subjectId, subjectId)))
    .orderBy(sql`(${documents.status} = 'valid') desc`, desc(documents.issuedAt), desc(documents.id))
    .limit(1);
  return row ? issued(row, signing) : null;
}

/**
 * The current document of each kind about each of these subjects, as `currentDocument` picks it
 * (the valid one, else the latest), in one query: `subjectId → kind → document`. For the pages
 * that list many subjects (a learner's history).
 */
export async function currentDocuments(db: DbOrTx, signing: DocumentSigning, subjectIds: string[]): Promise<Map<string, Map<DocumentKind, IssuedDocument>>> {
  const result = new Map<string, Map<DocumentKind, IssuedDocument>>(subjectIds.map((id) => [id, new Map()]));
  if (subjectIds.length === 0) return result;
  const rows = await db
    .selectDistinctOn([documents.subjectId, documents.kind])
    .from(documents)
    .where(inArray(documents.subjectId, subjectIds))
    .orderBy(documents.subjectId, documents.kind, sql`(${documents.status} = 'valid') desc`, desc(documents.issuedAt), desc(documents.id));
  for (const row of rows) result.get(row.subjectId)?.set(row.kind, issued(row, signing));
  return result;
}

/** The short codes of these documents, by id (unknown ids left out): what a history lists beside a certificate. */
export async function documentCodes(db: DbOrTx, ids: string[]): Promise<Map<string, { code: string; displayCode: string; kind: DocumentKind; status: Row['status'] }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: documents.id, code: documents.code, kind: documents.kind, status: documents.status }).from(documents).where(inArray(documents.id, ids));
  return new Map(rows.map((r) => [r.id, { code: r.code, displayCode: formatCode(r.code), kind: r.kind, status: r.status }]));
}

/** The staff's details of these documents as issued, by id (what an issuer compares to reuse a document). */
export async function documentDetails(db: DbOrTx, ids: string[]): Promise<Map<string, Record<string, string>>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: documents.id, details: documents.details }).from(documents).where(inArray(documents.id, ids));
  return new Map(rows.map((r) => [r.id, r.details]));
}

/**
 * PAY-10: revokes the valid documents of these kinds about this subject (an application
 * withdrawn, a payment refunded…), with the reason staff in scope will read; in the caller's
 * transaction, audited. Returns how many were revoked.
 */
export async function revokeDocuments(tx: DbOrTx, kinds: DocumentKind[], subjectId: string, reason: string, clock: Clock = systemClock): Promise<number> {
  if (kinds.length === 0) return 0;
  const why = reason.trim().slice(0, 500);
  if (!why) throw new Error('revokeDocuments: a reason is required');
  const rows = await tx
    .update(documents)
    .set({ status: 'revoked', statusChangedAt: clock.now(), revokedReason: why })
    .where(and(inArray(documents.kind, kinds), eq(documents.subjectId, subjectId), eq(documents.status, 'valid')))
    .returning({ id: documents.id, kind: documents.kind });
  for (const row of rows) await audit(tx, clock, { action: 'documents.revoked', subjectId: row.id, data: { kind: row.kind, subject: subjectId, reason: why } });
  return rows.length;
}

// ---- the public page ----------------------------------------------------------------------------

/** What anyone may read of a document: nothing that names the holder beyond initials. */
export interface PublicDocument {
  code: string;
  displayCode: string;
  kind: DocumentKind;
  status: DocumentStatus;
  initials: string;
  title: string;
  issuerName: string;
  issuedAt: Date;
  validFrom: string | null;
  validUntil: string | null;
}

/** What staff in scope, logged in, read besides. */
export interface StaffDocumentView {
  holderName: string;
  details: Record<string, string>;
  staffPath: string | null;
  revokedReason: string | null;
  statusChangedAt: Date | null;
}

export type Verification =
  | { found: false; reason: 'shape' | 'checksum' | 'unknown' }
  | { found: true; document: PublicDocument; signature: 'absent' | 'valid' | 'invalid'; staff: StaffDocumentView | null };

/** Whether this person, staff logged in, has the document's session in their scope (an administrator: always). */
async function inScope(db: DbOrTx, viewer: { id: string; role: Role }, sessionId: number | null): Promise<boolean> {
  if (!(sessionStaffRoles as readonly Role[]).includes(viewer.role)) return false;
  const scope = await scopeOf(db, viewer);
  if (scope.all) return true;
  if (sessionId === null) return false;
  const [session] = await sessionsForApplications(db, { ids: [sessionId] });
  return session ? (await sessionsInScope(db, scope, { code: session.code })).length > 0 : false;
}

/**
 * PAY-10: what the public page `/verifier/CODE` says of a code as typed or scanned: no such
 * document (malformed, mistyped or unknown), or the document's public view and status; the
 * signature the link carries (`s`), checked against the published keys and the register
 * ("invalid": altered, unreadable, or another document's); and for staff in scope, their
 * fuller view. Whatever the input, never throws.
 */
export async function verifyDocument(
  deps: { db: DbOrTx; clock: Clock },
  input: { code: unknown; signature?: unknown; viewer?: { id: string; role: Role } },
): Promise<Verification> {
  const checked = checkCode(input.code);
  if (!checked.ok) return { found: false, reason: checked.reason };
  const [row] = await deps.db.select().from(documents).where(eq(documents.code, checked.code));
  if (!row) return { found: false, reason: 'unknown' };
  const today = parisDay(deps.clock.now());
  let signature: 'absent' | 'valid' | 'invalid' = 'absent';
  if (input.signature !== undefined) {
    const claims = signedClaims({ code: row.code, kind: row.kind, holderName: row.holderName, issuedDay: parisDay(row.issuedAt), validUntil: row.validUntil });
    const verified = typeof input.signature === 'string' ? await verifySignature(input.signature, (kid) => publicKey(deps.db, kid)) : { ok: false as const };
    signature = verified.ok && sameClaims(verified.claims, claims) ? 'valid' : 'invalid';
  }
  const document: PublicDocument = {
    code: row.code,
    displayCode: formatCode(row.code),
    kind: row.kind,
    status: effectiveStatus(row, today),
    initials: initials(row.holderName),
    title: row.title,
    issuerName: row.issuerName,
    issuedAt: row.issuedAt,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
  };
  const staff =
    input.viewer && (await inScope(deps.db, input.viewer, row.scopeSessionId))
      ? { holderName: row.holderName, details: row.details, staffPath: row.staffPath, revokedReason: row.revokedReason, statusChangedAt: row.statusChangedAt }
      : null;
  return { found: true, document, signature, staff };
}
