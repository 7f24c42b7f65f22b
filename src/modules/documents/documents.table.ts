import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { JWK } from 'jose';
import { documentKinds } from '../../domain/vocabulary';
import { courseSessions } from '../catalogue/catalogue.table';

/** What a row keeps as its status; "expired" is never stored: it is read from `valid_until` and the clock. */
export const storedStatuses = ['valid', 'replaced', 'revoked'] as const;

/**
 * PAY-10: the keys that sign what a document's QR code carries (ES256). The public key is
 * published (`/verifier/cles.json`) for as long as the row exists, so a document signed with a
 * key since retired still verifies; the private key is kept sealed (AES-256-GCM under a key
 * derived from the app secret). One key is active at a time: it signs; rotating retires it.
 */
export const documentSigningKeys = pgTable(
  'document_signing_keys',
  {
    kid: text('kid').primaryKey(),
    publicJwk: jsonb('public_jwk').$type<JWK>().notNull(),
    sealedPrivateKey: text('sealed_private_key').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('document_signing_keys_one_active').on(t.active).where(sql`active`)],
);

/**
 * PAY-10: every document the service issues (convocation, enrollee card, attestations,
 * receipts, certificates): what it is about, for whom, by whom, when and until when, its short
 * code (unique) and the signature its QR code carries. The public page reads it by code.
 */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: documentKinds }).notNull(),
    code: text('code').notNull(),
    /** What the document is about in its issuing module (an application id, a payment id…). */
    subjectId: text('subject_id').notNull(),
    holderName: text('holder_name').notNull(),
    title: text('title').notNull(),
    issuerName: text('issuer_name').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }),
    validUntil: date('valid_until', { mode: 'string' }),
    status: text('status', { enum: storedStatuses }).notNull().default('valid'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
    replacedBy: uuid('replaced_by'),
    /** Shown only to staff in scope, logged in: label (or message key) → value. */
    details: jsonb('details').$type<Record<string, string>>().notNull().default({}),
    /** Whose staff see the fuller view: the staff in scope of this session (administrators always). */
    scopeSessionId: integer('scope_session_id').references(() => courseSessions.id, { onDelete: 'set null' }),
    /** A page of this site for staff in scope (the applicant's sheet of a convocation). */
    staffPath: text('staff_path'),
    keyId: text('key_id')
      .notNull()
      .references(() => documentSigningKeys.kid),
    /** The compact JWS the QR code carries (`?s=`). */
    signature: text('signature').notNull(),
    /**
     * ACC-11, ACC-14: when the holder's name was reduced to its initials and the staff's details
     * cleared (the account closed, or the retention period over). The document still verifies:
     * its signature carries the initials only.
     */
    anonymisedAt: timestamp('anonymised_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('documents_code').on(t.code),
    index('documents_subject_idx').on(t.kind, t.subjectId, t.issuedAt),
    check('documents_texts', sql`char_length(${t.holderName}) between 1 and 300 and char_length(${t.title}) between 1 and 300 and char_length(${t.issuerName}) between 1 and 300`),
    check('documents_validity', sql`${t.validFrom} is null or ${t.validUntil} is null or ${t.validUntil} >= ${t.validFrom}`),
    check('documents_reason', sql`${t.revokedReason} is null or char_length(${t.revokedReason}) between 1 and 500`),
  ],
);
