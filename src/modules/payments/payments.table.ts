import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  attemptFlags,
  attemptStatuses,
  paymentMethods,
  paymentStatuses,
  rates,
  refundMethods,
  refundReasons,
  refundStatuses,
  statementLineStates,
  statementSources,
} from '../../domain/vocabulary';
import { storedFiles } from '../../platform/platform.table';
import { applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';

/**
 * PAY-1: one amount due per validated enrolment. `status` is the money's state (the application's
 * own status is the lifecycle's): due, then paid — or cancelled when the application closed
 * unpaid. A partial unique index keeps one live amount due per application, so two
 * validations can never ask twice.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => applications.id),
    learnerId: uuid('learner_id').notNull(),
    /** For the staff lists in scope (school, session), without asking another module per row. */
    sessionId: integer('session_id')
      .notNull()
      .references(() => courseSessions.id),
    schoolId: integer('school_id').notNull(),
    /** PayFiP `refdet`: what the statement lines carry (PAY-11). Upper-case letters and digits. */
    reference: text('reference').notNull().unique(),
    /** PAY-5, PAY-6: integer cents. */
    amountCents: integer('amount_cents').notNull(),
    rate: text('rate', { enum: rates }).notNull(),
    /** PAY-1: the second meeting (the FAQ: between the first and the second meeting). */
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    status: text('status', { enum: paymentStatuses }).notNull().default('due'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    validatedBy: uuid('validated_by'),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    method: text('method', { enum: paymentMethods }),
    /** PAY-7: who paid when it was not the learner (a social worker, a works council…). */
    payerName: text('payer_name'),
    /** PAY-3: a cheque's number and bank; cash handed over (exact change: equal to the amount). */
    chequeNumber: text('cheque_number'),
    chequeBank: text('cheque_bank'),
    cashTenderedCents: integer('cash_tendered_cents'),
    /** The school head who recorded a payment at school. */
    recordedBy: uuid('recorded_by'),
    /** The online attempt that paid it. */
    attemptId: uuid('attempt_id'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('payments_one_live_per_application')
      .on(t.applicationId)
      .where(sql`status <> 'cancelled'`),
    index('payments_session_idx').on(t.sessionId, t.status),
    index('payments_school_paid_idx').on(t.schoolId, t.paidAt),
    check('payments_amount', sql`${t.amountCents} >= 0 and ${t.amountCents} <= 10000000`),
    check('payments_paid', sql`${t.status} <> 'paid' or (${t.paidAt} is not null and ${t.method} is not null)`),
    check('payments_reference', sql`${t.reference} ~ '^[A-Z0-9]{1,30}$'`),
  ],
);

/**
 * PAY-2: one row per online attempt, one `idOp` each (an idOp lasts 15 minutes). `flag` marks
 * what staff must look at: a success for an attempt already expired or superseded, or for an
 * amount already paid, or an amount that differs from what is due — never lost, never applied twice.
 */
export const paymentAttempts = pgTable(
  'payment_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    provider: text('provider').notNull(),
    idOp: text('id_op').unique(),
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: attemptStatuses }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** The provider's page, for a double click on "Régler" within the attempt's life. */
    redirectUrl: text('redirect_url'),
    /** PAY-7: started from a third party's payment link. */
    linkId: uuid('link_id'),
    payerEmail: text('payer_email').notNull(),
    /** PAY-7: the third party's name, as they gave it on the link's page (the learner's own attempts: none). */
    payerName: text('payer_name'),
    /** What the provider said, as it said it (resultrans, numauto, dattrans…). */
    result: jsonb('result').$type<Record<string, string>>(),
    /** When the provider could not be reached (the sweep tries again). */
    lastError: text('last_error'),
    checkedAt: timestamp('checked_at', { withTimezone: true }),
    flag: text('flag', { enum: attemptFlags }),
    flaggedAt: timestamp('flagged_at', { withTimezone: true }),
    flagClearedBy: uuid('flag_cleared_by'),
    flagClearedAt: timestamp('flag_cleared_at', { withTimezone: true }),
    flagNote: text('flag_note'),
  },
  (t) => [
    index('payment_attempts_payment_idx').on(t.paymentId, t.createdAt),
    index('payment_attempts_pending_idx')
      .on(t.createdAt)
      .where(sql`status in ('creating', 'pending')`),
    index('payment_attempts_flag_idx')
      .on(t.flaggedAt)
      .where(sql`flag is not null and flag_cleared_at is null`),
  ],
);

/**
 * PAY-7: a link the learner sends to whoever pays for them. Only its SHA-256 is kept; it expires
 * and the learner may revoke it by making another.
 */
export const paymentLinks = pgTable(
  'payment_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('payment_links_payment_idx').on(t.paymentId)],
);

/** PAY-9: a refund request, its decision, and the refund made (a record: PayFiP has no refund call). */
export const refunds = pgTable(
  'refunds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    reason: text('reason', { enum: refundReasons }).notNull(),
    /** The day of the event (the accident, the change of situation, the session not opened…). */
    eventOn: date('event_on', { mode: 'string' }).notNull(),
    explanation: text('explanation').notNull(),
    /** The proof, in the stored files (an upload's id). */
    proofFileId: uuid('proof_file_id').references(() => storedFiles.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    requestedBy: uuid('requested_by').notNull(),
    status: text('status', { enum: refundStatuses }).notNull().default('requested'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    amountCents: integer('amount_cents'),
    /** The day the cash office paid it back; null while a refund granted is still to be paid (SVC-2). */
    refundedOn: date('refunded_on', { mode: 'string' }),
    /** How it is (or, until paid, is to be) paid back. */
    method: text('method', { enum: refundMethods }),
    refundReference: text('refund_reference'),
  },
  (t) => [
    uniqueIndex('refunds_one_open_per_payment')
      .on(t.paymentId)
      .where(sql`status <> 'refused'`),
    check('refunds_explanation', sql`char_length(${t.explanation}) between 1 and 2000`),
    // A refund granted has its amount; it is refunded once the cash office paid it back (the day and the method, SVC-2's grants wait for it).
    check('refunds_granted', sql`${t.status} <> 'granted' or ${t.amountCents} is not null`),
    check('refunds_refunded', sql`${t.refundedOn} is null or (${t.status} = 'granted' and ${t.method} is not null)`),
  ],
);

/** PAY-11: an imported statement (PayFiP's or the treasury's), kept with its report. */
export const statementImports = pgTable('statement_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  source: text('source', { enum: statementSources }).notNull(),
  filename: text('filename').notNull(),
  importedBy: uuid('imported_by').notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  lineCount: integer('line_count').notNull(),
});

/** PAY-11: one line of a statement and what it was matched to. */
export const statementLines = pgTable(
  'statement_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    importId: uuid('import_id')
      .notNull()
      .references(() => statementImports.id, { onDelete: 'cascade' }),
    lineNo: integer('line_no').notNull(),
    reference: text('reference').notNull(),
    amountCents: integer('amount_cents').notNull(),
    paidOn: date('paid_on', { mode: 'string' }).notNull(),
    transactionId: text('transaction_id'),
    state: text('state', { enum: statementLineStates }).notNull(),
    paymentId: uuid('payment_id').references(() => payments.id),
    /** Who discarded a line, and why (a test payment, a line of another service). */
    discardedBy: uuid('discarded_by'),
    note: text('note'),
    /** Set when a staff member marks a line as settled. */
    confirmed: boolean('confirmed').notNull().default(false),
  },
  (t) => [index('statement_lines_import_idx').on(t.importId, t.lineNo), index('statement_lines_payment_idx').on(t.paymentId)],
);
