import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { deleteStoredFile, storedFileInfo } from '../../platform/files';
import type { DueItem, ExportSection, PersonalColumn, PersonalDataSet, TableDeclaration } from '../../platform/personal-data';
import type { Policies } from '../../platform/policies';
import { openAttemptStatuses, undecidedRefundStatuses, unpaidStatuses } from './payments.rules';
import { paymentAttempts, paymentLinks, payments, refunds, statementImports, statementLines } from './payments.table';
import { enrolmentFundings } from './funding.table';

/**
 * ACC-11, ACC-14: what the payments module holds about a learner. Payments and refunds are
 * accounting records (the treasury's rules: 10 years, `paymentRetentionYears`): a closure keeps
 * them, emptied of what names or reaches a person (the third party who paid, the cheque, the
 * payer's email, the free texts, the refund's proof), pointing at the closed account's tombstone,
 * so nothing links them to anyone any more; past the period they are deleted with their
 * attempts, links and refunds. Staff members' ids in these rows are the service's own work
 * records (who validated, recorded or decided), not a learner's data: listed as other.
 */

/** Kept for the accounting period, counted from the payment's settlement (paid, cancelled, refund decided). */
const accounting = (purpose: string, category: PersonalColumn['category'] = 'payment'): PersonalColumn => ({
  category,
  purpose,
  basis: 'legal_obligation',
  retention: { policy: 'paymentRetentionYears', unit: 'years', from: 'privacy.from.payments.settled' },
  end: 'delete',
});

/** Deleted at the closure (nothing the accounts need), else kept with the payment. */
const untilClosure = (purpose: string, category: PersonalColumn['category']): PersonalColumn => ({ ...accounting(purpose, category), basis: 'contract' });

const tables: readonly TableDeclaration[] = [
  {
    table: 'payments',
    personal: {
      learner_id: accounting('privacy.purpose.payments.learner'),
      // PAY-6: the half rate says the learner's situation (a welfare allowance, a student…).
      rate: accounting('privacy.purpose.payments.rate', 'situation'),
      payer_name: untilClosure('privacy.purpose.payments.payer', 'identity'),
      cheque_number: untilClosure('privacy.purpose.payments.cheque', 'payment'),
      cheque_bank: untilClosure('privacy.purpose.payments.cheque', 'payment'),
    },
    other: [
      'id',
      'application_id',
      'session_id',
      'school_id',
      'reference',
      'amount_cents',
      'due_on',
      'status',
      'created_at',
      'validated_by',
      'reminded_at',
      'paid_at',
      'method',
      'cash_tendered_cents',
      'recorded_by',
      'attempt_id',
      'cancelled_at',
    ],
  },
  {
    table: 'payment_attempts',
    personal: {
      payer_email: untilClosure('privacy.purpose.payments.payerEmail', 'contact'),
      payer_name: untilClosure('privacy.purpose.payments.payer', 'identity'),
      // PayFiP's answer carries the payer's email (`mel`), removed at the closure.
      result: accounting('privacy.purpose.payments.result'),
      flag_note: untilClosure('privacy.purpose.payments.flagNote', 'payment'),
    },
    other: [
      'id',
      'payment_id',
      'provider',
      'id_op',
      'amount_cents',
      'status',
      'created_at',
      'expires_at',
      'resolved_at',
      'redirect_url',
      'link_id',
      'last_error',
      'checked_at',
      'flag',
      'flagged_at',
      'flag_cleared_by',
      'flag_cleared_at',
    ],
  },
  {
    table: 'payment_links',
    personal: {},
    // A secret's SHA-256 and its dates; the links are deleted at the closure.
    other: ['id', 'payment_id', 'token_hash', 'created_at', 'expires_at', 'revoked_at'],
  },
  {
    table: 'refunds',
    personal: {
      // PAY-9: the grounds of the refund (an accident, a hospitalisation…): health or work situation.
      reason: accounting('privacy.purpose.payments.refundReason', 'situation'),
      event_on: accounting('privacy.purpose.payments.refundReason', 'situation'),
      explanation: untilClosure('privacy.purpose.payments.refundExplanation', 'situation'),
      proof_file_id: untilClosure('privacy.purpose.payments.refundProof', 'situation'),
      requested_by: accounting('privacy.purpose.payments.learner'),
      decision_note: untilClosure('privacy.purpose.payments.refundDecision', 'message'),
    },
    other: ['id', 'payment_id', 'requested_at', 'status', 'decided_by', 'decided_at', 'amount_cents', 'refunded_on', 'method', 'refund_reference'],
  },
  {
    // PAY-11: the statements of the treasury and PayFiP: references, amounts and dates, no person.
    table: 'statement_imports',
    personal: {},
    other: ['id', 'source', 'filename', 'imported_by', 'imported_at', 'line_count'],
  },
  {
    table: 'statement_lines',
    personal: {},
    other: ['id', 'import_id', 'line_no', 'reference', 'amount_cents', 'paid_on', 'transaction_id', 'state', 'payment_id', 'discarded_by', 'note', 'confirmed'],
  },
];

/** What stands for the explanation of a refund once forgotten (the column is required, 1 to 2 000 characters). */
export const FORGOTTEN_TEXT = '—';

const learnerPayments = (db: DbOrTx, userId: string) => db.select().from(payments).where(eq(payments.learnerId, userId)).orderBy(asc(payments.createdAt), asc(payments.id));

async function exportOf(db: DbOrTx, userId: string): Promise<ExportSection[]> {
  const rows = await learnerPayments(db, userId);
  const ids = rows.map((p) => p.id);
  const [attempts, links, refundRows] = ids.length
    ? await Promise.all([
        db.select().from(paymentAttempts).where(inArray(paymentAttempts.paymentId, ids)).orderBy(asc(paymentAttempts.createdAt), asc(paymentAttempts.id)),
        db.select().from(paymentLinks).where(inArray(paymentLinks.paymentId, ids)).orderBy(asc(paymentLinks.createdAt), asc(paymentLinks.id)),
        db.select().from(refunds).where(inArray(refunds.paymentId, ids)).orderBy(asc(refunds.requestedAt), asc(refunds.id)),
      ])
    : [[], [], []];
  const files = await storedFileInfo(db, refundRows.flatMap((r) => (r.proofFileId ? [r.proofFileId] : [])));
  return [
    {
      key: 'payments',
      title: 'privacy.section.payments.payments',
      rows: rows.map((p) => ({
        id: p.id,
        applicationId: p.applicationId,
        reference: p.reference,
        amountCents: p.amountCents,
        rate: p.rate,
        dueOn: p.dueOn,
        status: p.status,
        createdAt: p.createdAt,
        remindedAt: p.remindedAt,
        paidAt: p.paidAt,
        method: p.method,
        payerName: p.payerName,
        chequeNumber: p.chequeNumber,
        chequeBank: p.chequeBank,
        cashTenderedCents: p.cashTenderedCents,
        cancelledAt: p.cancelledAt,
      })),
    },
    {
      key: 'paymentAttempts',
      title: 'privacy.section.payments.attempts',
      // Left out: the provider's page address (redirect_url), which opens the payment while it lasts.
      rows: attempts.map((a) => ({
        paymentId: a.paymentId,
        provider: a.provider,
        operation: a.idOp,
        amountCents: a.amountCents,
        status: a.status,
        createdAt: a.createdAt,
        resolvedAt: a.resolvedAt,
        byPaymentLink: a.linkId !== null,
        payerEmail: a.payerEmail,
        payerName: a.payerName,
        providerAnswer: a.result,
        flag: a.flag,
        flagNote: a.flagNote,
      })),
    },
    {
      key: 'paymentLinks',
      title: 'privacy.section.payments.links',
      // Left out: the link's secret (only its SHA-256 is kept anyway).
      rows: links.map((l) => ({ paymentId: l.paymentId, createdAt: l.createdAt, expiresAt: l.expiresAt, revokedAt: l.revokedAt })),
    },
    {
      key: 'refunds',
      title: 'privacy.section.payments.refunds',
      rows: refundRows.map((r) => ({
        paymentId: r.paymentId,
        reason: r.reason,
        eventOn: r.eventOn,
        explanation: r.explanation,
        proof: r.proofFileId ? (files.get(r.proofFileId)?.originalName ?? null) : null,
        requestedAt: r.requestedAt,
        status: r.status,
        decidedAt: r.decidedAt,
        decisionNote: r.decisionNote,
        amountCents: r.amountCents,
        refundedOn: r.refundedOn,
        method: r.method,
        refundReference: r.refundReference,
      })),
    },
  ];
}

/** ACC-11: fees unpaid, a refund being decided, an online payment under way stop the closure. */
async function blocksClosure(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db.select({ id: payments.id, status: payments.status }).from(payments).where(eq(payments.learnerId, userId));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [refund] = await db.select({ id: refunds.id }).from(refunds).where(and(inArray(refunds.paymentId, ids), inArray(refunds.status, undecidedRefundStatuses))).limit(1);
  const [attempt] = await db
    .select({ id: paymentAttempts.id })
    .from(paymentAttempts)
    .where(and(inArray(paymentAttempts.paymentId, ids), inArray(paymentAttempts.status, openAttemptStatuses)))
    .limit(1);
  const reasons: string[] = [];
  if (rows.some((r) => unpaidStatuses.includes(r.status))) reasons.push('privacy.block.payments.unpaid');
  if (refund) reasons.push('privacy.block.payments.refund');
  if (attempt) reasons.push('privacy.block.payments.attempt');
  return reasons;
}

/**
 * ACC-11: the learner's payments stay (accounting), anonymised: the third party's name, the
 * cheque, the payer's email and name of the attempts, PayFiP's copy of the email, the staff's
 * notes and the refund's explanation and proof are removed; the payment links are deleted.
 * Running it again finds nothing left to change.
 */
async function forget(tx: Tx, userId: string): Promise<void> {
  const ids = (await tx.select({ id: payments.id }).from(payments).where(eq(payments.learnerId, userId))).map((p) => p.id);
  if (ids.length === 0) return;
  await tx.update(payments).set({ payerName: null, chequeNumber: null, chequeBank: null }).where(inArray(payments.id, ids));
  await tx
    .update(paymentAttempts)
    .set({ payerEmail: '', payerName: null, flagNote: null, lastError: null, result: sql`case when ${paymentAttempts.result} is null then null else ${paymentAttempts.result} - 'mel' end` })
    .where(inArray(paymentAttempts.paymentId, ids));
  await tx.delete(paymentLinks).where(inArray(paymentLinks.paymentId, ids));
  const proofs = await tx
    .select({ id: refunds.id, fileId: refunds.proofFileId })
    .from(refunds)
    .where(and(inArray(refunds.paymentId, ids), isNotNull(refunds.proofFileId)));
  await tx.update(refunds).set({ explanation: FORGOTTEN_TEXT, decisionNote: null, proofFileId: null }).where(inArray(refunds.paymentId, ids));
  for (const proof of proofs) await deleteStoredFile(tx, proof.fileId!);
}

/** When a payment's accounting period starts: its settlement, or the last decision on its refunds. */
const settledAt = sql<Date>`greatest(${payments.paidAt}, ${payments.cancelledAt}, (select max(${refunds.decidedAt}) from ${refunds} where ${refunds.paymentId} = ${payments.id}))`;

/** A payment in progress: still due, or a refund not decided yet. */
const settled = sql`not ${inArray(payments.status, unpaidStatuses)} and not exists (select 1 from ${refunds} where ${refunds.paymentId} = ${payments.id} and ${inArray(refunds.status, undecidedRefundStatuses)}) and not exists (select 1 from ${paymentAttempts} where ${paymentAttempts.paymentId} = ${payments.id} and ${inArray(paymentAttempts.status, openAttemptStatuses)})`;

const cutoff = (at: Date, policies: Pick<Policies, 'paymentRetentionYears'>) => {
  const date = new Date(at);
  date.setUTCFullYear(date.getUTCFullYear() - policies.paymentRetentionYears);
  return date;
};

const addYears = (date: Date, years: number) => {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
};

/** ACC-14: the learners (closed or not) with a payment whose accounting period ends by `at`. */
async function due(db: DbOrTx, input: { at: Date; policies: Policies; limit: number; afterUserId?: string }): Promise<DueItem[]> {
  const rows = await db
    .select({ userId: payments.learnerId, settledAt: sql<Date>`min(${settledAt})`.mapWith((v: string | Date) => new Date(v)) })
    .from(payments)
    .where(and(settled, sql`${settledAt} <= ${cutoff(input.at, input.policies)}`, input.afterUserId ? sql`${payments.learnerId} > ${input.afterUserId}` : undefined))
    .groupBy(payments.learnerId)
    .orderBy(asc(payments.learnerId))
    .limit(input.limit);
  return rows.map((r) => ({ userId: r.userId, what: 'privacy.due.payments', dueAt: addYears(r.settledAt, input.policies.paymentRetentionYears) }));
}

/**
 * ACC-14: deletes the learner's payments settled more than `paymentRetentionYears` before `at`
 * (re-checked here), with their attempts, links and refunds (and a refund's proof); the statement
 * lines matched to them stay, the treasury's, without the link. Never a payment still due or a
 * refund still to decide. Returns the rows deleted.
 */
async function expire(tx: Tx, input: { userId: string; at: Date; policies: Policies }): Promise<number> {
  const ids = (
    await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.learnerId, input.userId), settled, sql`${settledAt} <= ${cutoff(input.at, input.policies)}`))
      .for('update')
  ).map((p) => p.id);
  if (ids.length === 0) return 0;
  await tx.update(statementLines).set({ paymentId: null }).where(inArray(statementLines.paymentId, ids));
  const attempts = await tx.delete(paymentAttempts).where(inArray(paymentAttempts.paymentId, ids)).returning({ id: paymentAttempts.id });
  const links = await tx.delete(paymentLinks).where(inArray(paymentLinks.paymentId, ids)).returning({ id: paymentLinks.id });
  const gone = await tx.delete(refunds).where(inArray(refunds.paymentId, ids)).returning({ id: refunds.id, fileId: refunds.proofFileId });
  for (const refund of gone) if (refund.fileId) await deleteStoredFile(tx, refund.fileId);
  const deleted = await tx.delete(payments).where(inArray(payments.id, ids)).returning({ id: payments.id });
  return deleted.length + attempts.length + links.length + gone.length;
}

/** ACC-14: the statements imported more than `paymentRetentionYears` ago (their lines go with them). */
async function sweep(db: DbOrTx, input: { at: Date; policies: Policies; limit: number }): Promise<number> {
  const old = db
    .select({ id: statementImports.id })
    .from(statementImports)
    .where(sql`${statementImports.importedAt} <= ${cutoff(input.at, input.policies)}`)
    .orderBy(asc(statementImports.importedAt))
    .limit(input.limit);
  const deleted = await db.delete(statementImports).where(inArray(statementImports.id, old)).returning({ id: statementImports.id });
  return deleted.length;
}

/**
 * CRED-5: the funding of an enrolment in a unit is an accounting record too (the fee invoiced
 * to a funder, or due by the learner): kept at the closure, pointing at the tombstone; the
 * source says a situation (the region's funding is for job seekers). The price list names nobody.
 */
const fundingTables: readonly TableDeclaration[] = [
  {
    table: 'enrolment_fundings',
    personal: {
      learner_id: accounting('privacy.purpose.payments.funding'),
      source: accounting('privacy.purpose.payments.funding', 'situation'),
    },
    other: ['application_id', 'session_id', 'basis', 'unit_price_cents', 'credits', 'fee_cents', 'created_at'],
  },
  { table: 'funding_prices', personal: {}, other: ['source', 'basis', 'amount_cents', 'updated_at', 'updated_by'] },
];

async function fundingExportOf(db: DbOrTx, userId: string): Promise<ExportSection[]> {
  const rows = await db.select().from(enrolmentFundings).where(eq(enrolmentFundings.learnerId, userId)).orderBy(asc(enrolmentFundings.createdAt));
  return [
    {
      key: 'fundings',
      title: 'privacy.section.payments.fundings',
      rows: rows.map((f) => ({ applicationId: f.applicationId, source: f.source, basis: f.basis, unitPriceCents: f.unitPriceCents, credits: f.credits, feeCents: f.feeCents, createdAt: f.createdAt })),
    },
  ];
}

/** The payments module's personal data (ACC-11, ACC-14). */
export const paymentsDataSets: readonly PersonalDataSet[] = [
  { name: 'payments', tables, exportOf, blocksClosure, forget, retention: { notice: true, due, expire, sweep } },
  // Nothing to forget at the closure: a source and a fee, kept for the accounts, pointing at the tombstone.
  { name: 'payments.fundings', tables: fundingTables, exportOf: fundingExportOf, forget: async () => {} },
];
