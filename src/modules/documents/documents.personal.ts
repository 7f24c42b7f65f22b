import { and, asc, eq, inArray, isNull, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { cutoffOf } from '../../platform/periods';
import type { PersonalColumn, PersonalDataSet, RetentionRule } from '../../platform/personal-data';
import { formatCode, initials } from './documents.rules';
import { documents } from './documents.table';

/**
 * The documents module's personal data (ACC-11, ACC-14): the documents issued to a learner. The
 * module knows no learner, only what a document is about (`subject_id`: an application, a
 * payment…): the modules that issue documents say which subjects are a learner's
 * (`addDocumentSubjects`, called from their facade), and the learner's own id counts too.
 *
 * Issued documents stay verifiable (PAY-10) for `issuedDocumentRetentionYears`: at the closure,
 * and at the end of that period, they are anonymised — the holder's name becomes its initials
 * (all that the public page shows and the QR code's signature carries, so the signature still
 * verifies), the staff's details and the revocation reason are cleared.
 */

export type DocumentSubjects = (db: DbOrTx, userId: string) => Promise<string[]>;
const subjectSources: DocumentSubjects[] = [];

/** A module that issues documents about its own rows tells which of them are this learner's. */
export function addDocumentSubjects(source: DocumentSubjects): void {
  if (!subjectSources.includes(source)) subjectSources.push(source);
}

async function subjectsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const ids = new Set([userId]);
  for (const source of subjectSources) for (const id of await source(db, userId)) ids.add(id);
  return [...ids];
}

const issuedRule: RetentionRule = { policy: 'issuedDocumentRetentionYears', unit: 'years', from: 'privacy.from.documentIssued' };
const issuedColumn = (category: PersonalColumn['category']): PersonalColumn => ({
  category,
  purpose: 'privacy.purpose.issuedDocument',
  basis: 'public_task',
  retention: issuedRule,
  end: 'anonymise',
});

/** The holder's name as the public page shows it (a name with no letter keeps a dash: the column wants a text). */
export const anonymousHolder = (holderName: string): string => initials(holderName) || '—';

async function anonymise(db: DbOrTx, rows: { id: string; holderName: string }[], at: Date): Promise<number> {
  for (const row of rows)
    await db
      .update(documents)
      .set({ holderName: anonymousHolder(row.holderName), details: {}, revokedReason: null, anonymisedAt: at })
      .where(and(eq(documents.id, row.id), isNull(documents.anonymisedAt)));
  return rows.length;
}

export const documentsDataSet: PersonalDataSet = {
  name: 'documents',
  tables: [
    {
      table: 'documents',
      personal: {
        holder_name: issuedColumn('identity'),
        details: issuedColumn('identity'),
        revoked_reason: issuedColumn('result'),
      },
      // The signature carries the holder's initials only (what the public page shows).
      other: [
        'id',
        'kind',
        'code',
        'subject_id',
        'title',
        'issuer_name',
        'issued_at',
        'valid_from',
        'valid_until',
        'status',
        'status_changed_at',
        'replaced_by',
        'scope_session_id',
        'staff_path',
        'key_id',
        'signature',
        'anonymised_at',
      ],
    },
    { table: 'document_signing_keys', personal: {}, other: ['kid', 'public_jwk', 'sealed_private_key', 'active', 'created_at', 'retired_at'] },
  ],
  async exportOf(db, userId) {
    const rows = await db
      .select({
        kind: documents.kind,
        code: documents.code,
        title: documents.title,
        holderName: documents.holderName,
        issuerName: documents.issuerName,
        issuedAt: documents.issuedAt,
        validFrom: documents.validFrom,
        validUntil: documents.validUntil,
        status: documents.status,
        details: documents.details,
      })
      .from(documents)
      .where(inArray(documents.subjectId, await subjectsOf(db, userId)))
      .orderBy(asc(documents.issuedAt), asc(documents.id));
    return [{ key: 'documents', title: 'privacy.section.documents', rows: rows.map((r) => ({ ...r, code: formatCode(r.code) })) }];
  },
  async forget(tx, userId, clock) {
    const rows = await tx
      .select({ id: documents.id, holderName: documents.holderName })
      .from(documents)
      .where(and(inArray(documents.subjectId, await subjectsOf(tx, userId)), isNull(documents.anonymisedAt)));
    await anonymise(tx, rows, clock.now());
  },
  retention: {
    notice: false,
    /** Documents issued longer ago than the period: anonymised, still verifiable. */
    async sweep(db, { at, policies, limit }) {
      const rows = await db
        .select({ id: documents.id, holderName: documents.holderName })
        .from(documents)
        .where(and(lte(documents.issuedAt, cutoffOf(issuedRule, policies, at)), isNull(documents.anonymisedAt)))
        .orderBy(asc(documents.issuedAt))
        .limit(limit);
      return anonymise(db, rows, at);
    },
  },
};
