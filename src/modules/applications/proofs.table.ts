import { sql } from 'drizzle-orm';
import { check, date, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { allowances } from '../../domain/vocabulary';
import { storedFiles } from '../../platform/platform.table';
import { applications } from './applications.table';
import { proofStatuses } from './proofs.rules';

/**
 * PAY-6: the half-rate proof of an application (one at most: a new one replaces a pending or
 * refused one), its file, and the school's decision. Without an accepted proof the rate is full.
 */
export const rateProofs = pgTable(
  'rate_proofs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    /** The allowance the proof shows. */
    allowance: text('allowance', { enum: allowances }).notNull(),
    /** The date written on the proof (PAY-6: less than three months before the validation). */
    proofDate: date('proof_date', { mode: 'string' }).notNull(),
    fileId: uuid('file_id')
      .notNull()
      .references(() => storedFiles.id),
    status: text('status', { enum: proofStatuses }).notNull().default('pending'),
    /** Why the school refused it, shown to the learner. */
    reason: text('reason'),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('rate_proofs_application').on(t.applicationId),
    check('rate_proofs_refusal_reason', sql`${t.status} <> 'refused' or char_length(${t.reason}) between 1 and 500`),
    check('rate_proofs_decided', sql`(${t.status} = 'pending') = (${t.decidedAt} is null)`),
  ],
);
