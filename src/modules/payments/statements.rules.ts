import { parse } from 'csv-parse/sync';
import type { PaymentMethod, PaymentStatus, StaffRole, StatementLineState, StatementSource } from '../../domain/vocabulary';
import type { MessageKey, Params } from '../../platform/i18n';

/**
 * PAY-11, pure: reading a statement (PayFiP's or the treasury's CSV, docs/statements.md) and
 * matching its lines to the payments expected. No database, no clock: the service gives the
 * payments and what earlier imports already matched.
 */

// ---- Who ---------------------------------------------------------------------------------------

/**
 * PAY-11: who may do what with statements, in one place. The central service (coordinators and
 * the administrator) imports, discards and sees every line of every statement: a statement is
 * the service's, and a line that matches nothing belongs to no school. A school head sees the
 * lines of their schools' payments only.
 */
export const statementRoles = {
  import: ['coordinator', 'admin'],
  read: ['school_head', 'coordinator', 'admin'],
} as const satisfies Record<string, readonly StaffRole[]>;

export const mayImportStatements = (role: string) => (statementRoles.import as readonly string[]).includes(role);
export const mayReadStatements = (role: string) => (statementRoles.read as readonly string[]).includes(role);

// ---- Limits ------------------------------------------------------------------------------------

/** A statement of a month of the service is a few thousand lines; more is a wrong file. */
export const MAX_STATEMENT_LINES = 10_000;
export const MAX_STATEMENT_BYTES = 2 * 1024 * 1024;
/** The line-by-line report lists this many errors, then says how many more there are. */
export const MAX_REPORTED_ERRORS = 200;
/** The most any payment of the service can be (payments_amount: 100 000 €). */
const MAX_AMOUNT_CENTS = 10_000_000;

/**
 * How far the statement's date may be from the day the payment was recorded (Paris), in days:
 * PayFiP dates its transaction the day it happened (±1 for a payment around midnight or a
 * notification that came late); the treasury's date is a value date, a few working days after
 * a card payment or a cheque's deposit, and a cheque may be recorded at school a little late.
 */
export const DATE_TOLERANCE: Record<StatementSource, { before: number; after: number }> = {
  payfip: { before: 1, after: 1 },
  treasury: { before: 3, after: 10 },
};

// ---- Reading the file --------------------------------------------------------------------------

/** One error of a refused file: its line (0: the file as a whole), the column, what is wrong. */
export interface StatementError {
  line: number;
  column?: string;
  message: MessageKey;
  params?: Params;
}

/** PayFiP's `resultrans`: P or V paid, A abandoned, R or Z refused. */
export type ProviderResult = 'paid' | 'abandoned' | 'refused';
const RESULTRANS: Record<string, ProviderResult> = { P: 'paid', V: 'paid', A: 'abandoned', R: 'refused', Z: 'refused' };

/** One line of a statement as read. */
export interface StatementLine {
  lineNo: number;
  /** Trimmed and upper-cased: references match case-insensitively. */
  reference: string;
  amountCents: number;
  /** YYYY-MM-DD. */
  paidOn: string;
  /** What identifies the line in its statement: PayFiP's `numauto`, the treasury's label. */
  transactionId: string | null;
  result: ProviderResult;
}

export type ParsedStatement = { ok: true; lines: StatementLine[] } | { ok: false; errors: StatementError[] };

const refuse = (errors: StatementError[]): ParsedStatement => ({ ok: false, errors });

// Windows-1252's 0x80–0x9F (Node 20's TextDecoder decodes that label as Latin-1 there; the five holes stay C1 controls).
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/**
 * The bytes of an uploaded file as text: UTF-8 (with or without its BOM) when they are valid
 * UTF-8, Windows-1252 otherwise (what Excel in French saves as "CSV"). A spreadsheet, a PDF, or
 * anything else that is not text is refused, as is a file too large.
 */
export function decodeStatement(bytes: Uint8Array): { ok: true; text: string } | { ok: false; errors: StatementError[] } {
  if (bytes.length > MAX_STATEMENT_BYTES) return { ok: false, errors: [{ line: 0, message: 'stmt.err.tooLarge', params: { max: MAX_STATEMENT_BYTES / 1024 / 1024 } }] };
  const starts = (...magic: number[]) => magic.every((b, i) => bytes[i] === b);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0xd0, 0xcf, 0x11, 0xe0)) return { ok: false, errors: [{ line: 0, message: 'stmt.err.spreadsheet' }] };
  if (starts(0x25, 0x50, 0x44, 0x46)) return { ok: false, errors: [{ line: 0, message: 'stmt.err.pdf' }] };
  const hasBom = starts(0xef, 0xbb, 0xbf);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (hasBom) return { ok: false, errors: [{ line: 0, message: 'stmt.err.badUtf8' }] };
    text = new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
  }
  return { ok: true, text };
}

/** Header names compared without case, accents, spaces or hyphens: "Libellé" is `libelle`, "Date valeur" `date_valeur`. */
const normaliseHeader = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

type Field = 'reference' | 'amount' | 'date' | 'transaction' | 'result';

/**
 * The two formats (docs/statements.md): for each field, the column names accepted (the first is
 * the documented one) and whether the column is required. Other columns are ignored.
 */
export const statementFormats: Record<StatementSource, Partial<Record<Field, { names: readonly string[]; required: boolean }>>> = {
  payfip: {
    reference: { names: ['refdet'], required: true },
    amount: { names: ['montant'], required: true },
    date: { names: ['dattrans'], required: true },
    transaction: { names: ['numauto'], required: true },
    result: { names: ['resultrans'], required: true },
  },
  treasury: {
    reference: { names: ['reference', 'ref'], required: true },
    amount: { names: ['amount', 'montant'], required: true },
    date: { names: ['date', 'date_valeur', 'value_date'], required: true },
    transaction: { names: ['label', 'libelle'], required: false },
  },
};

/** The documented required columns of a format, for the messages. */
export const requiredColumns = (source: StatementSource) =>
  Object.values(statementFormats[source])
    .filter((f) => f.required)
    .map((f) => f.names[0]);

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const SPACES = /[\s\u00a0\u202f]/g;

/**
 * An amount as people and spreadsheets write it, in euros: "1234,50", "1234.50", "1 234,50 €",
 * "1.234,50", "1,234.50", "EUR 12". Integer cents, computed without floating point. Null when it
 * is not one, or not positive, or more than any payment of the service.
 */
export function parseAmount(value: string): number | null {
  const v = value
    .replace(SPACES, '')
    .replace(/^(€|eur)/i, '')
    .replace(/(€|eur)$/i, '');
  let units: string, decimals: string;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{1,8})(?:[.,](\d{1,2}))?$/.exec(v))) [units, decimals] = [m[1], m[2] ?? ''];
  else if ((m = /^(\d{1,3}(?:\.\d{3})+),(\d{1,2})$/.exec(v))) [units, decimals] = [m[1].replace(/\./g, ''), m[2]];
  else if ((m = /^(\d{1,3}(?:,\d{3})+)\.(\d{1,2})$/.exec(v))) [units, decimals] = [m[1].replace(/,/g, ''), m[2]];
  else return null;
  const cents = Number(units) * 100 + Number(decimals.padEnd(2, '0'));
  return cents > 0 && cents <= MAX_AMOUNT_CENTS ? cents : null;
}

/**
 * A date DD/MM/YYYY or YYYY-MM-DD (a real calendar day of this century) as YYYY-MM-DD; null
 * otherwise. With `compact`, DDMMYYYY too: PayFiP's web service writes `dattrans` so.
 */
export function parseStatementDate(value: string, options: { compact?: boolean } = {}): string | null {
  const v = value.trim();
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v) ?? (options.compact ? /^(\d{2})(\d{2})(\d{4})$/.exec(v) : null);
  const iso = french ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!french && !iso) return null;
  const [year, month, day] = french ? [Number(french[3]), Number(french[2]), Number(french[1])] : [Number(iso![1]), Number(iso![2]), Number(iso![3])];
  if (year < 2000 || year > 2099) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** The separator is the one the header line uses: `;` (French spreadsheets) or `,`. */
function separatorOf(header: string): ';' | ',' {
  const count = (c: string) => header.split(c).length - 1;
  return count(';') >= count(',') && count(';') > 0 ? ';' : ',';
}

/**
 * PAY-11: reads a statement's text in the format of `source`. A file with anything wrong —
 * columns missing or twice, a line with too few values, an amount, a date, a result that does
 * not read, control characters (a binary file), no lines, too many lines — is refused whole,
 * with every bad line reported (line numbers are the file's; the header is line 1).
 */
export function parseStatement(source: StatementSource, input: string): ParsedStatement {
  const text = input.replace(/^\uFEFF/, '');
  if (text.trim() === '') return refuse([{ line: 0, message: 'stmt.err.empty' }]);
  if (text.length > MAX_STATEMENT_BYTES) return refuse([{ line: 0, message: 'stmt.err.tooLarge', params: { max: MAX_STATEMENT_BYTES / 1024 / 1024 } }]);

  const physical = text.split(/\r\n|\r|\n/);
  const control = physical.flatMap((l, i) => (CONTROL.test(l) ? [i + 1] : []));
  if (control.length) return refuse(control.map((line) => ({ line, message: 'stmt.err.binary' })));
  if (physical.filter((l) => l.trim() !== '').length > MAX_STATEMENT_LINES + 1) return refuse([{ line: 0, message: 'stmt.err.tooManyLines', params: { max: MAX_STATEMENT_LINES } }]);

  const delimiter = separatorOf(physical.find((l) => l.trim() !== '') ?? '');
  const errors: StatementError[] = [];
  const parsedRecords = parse(text, {
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = (error as { lines?: number } | undefined)?.lines ?? 0;
      if (!errors.some((e) => e.line === line && e.message === 'stmt.err.quotes')) errors.push({ line, message: 'stmt.err.quotes' });
    },
  }) as unknown as { info: { lines: number }; record: string[] }[];
  const records = parsedRecords.map((r) => ({ lines: r.info.lines, record: r.record }));
  // A quote opened and never closed runs to the end of the file: say where the broken line starts.
  for (const e of errors) if (e.line > 0 && !records.some((r) => r.lines >= e.line)) e.line = Math.max(0, ...records.map((r) => r.lines).filter((l) => l < e.line)) + 1;

  const rows = records.filter((r) => r.record.some((v) => v.trim() !== ''));
  const [head, ...body] = rows;
  if (!head) return refuse(errors.length ? errors : [{ line: 0, message: 'stmt.err.empty' }]);

  // Excel may end every line with a separator: empty trailing header cells are no columns.
  const names = head.record.map(normaliseHeader);
  while (names.length && names[names.length - 1] === '') names.pop();
  const columnOf = new Map<Field, number>();
  const headerErrors: StatementError[] = [];
  for (const name of new Set(names.filter((n, i) => n && names.indexOf(n) !== i))) headerErrors.push({ line: head.lines, column: name, message: 'stmt.err.columnTwice' });
  for (const [field, spec] of Object.entries(statementFormats[source]) as [Field, { names: readonly string[]; required: boolean }][]) {
    const index = names.findIndex((n) => spec.names.includes(n));
    if (index >= 0) columnOf.set(field, index);
    else if (spec.required) headerErrors.push({ line: head.lines, column: spec.names[0], message: 'stmt.err.columnMissing' });
  }
  if (headerErrors.length) {
    // A file of the other format says so, rather than only "columns missing".
    const other: StatementSource = source === 'payfip' ? 'treasury' : 'payfip';
    const fitsOther = Object.values(statementFormats[other]).every((f) => !f.required || f.names.some((n) => names.includes(n)));
    const hint: StatementError = {
      line: head.lines,
      message: fitsOther ? (other === 'payfip' ? 'stmt.err.looksLikePayfip' : 'stmt.err.looksLikeTreasury') : 'stmt.err.columnsExpected',
      params: { columns: requiredColumns(source).join(', ') },
    };
    return refuse([...headerErrors, hint, ...errors]);
  }
  if (body.length === 0 && errors.length === 0) return refuse([{ line: 0, message: 'stmt.err.noLines' }]);
  if (body.length > MAX_STATEMENT_LINES) return refuse([{ line: 0, message: 'stmt.err.tooManyLines', params: { max: MAX_STATEMENT_LINES } }]);

  const lines: StatementLine[] = [];
  for (const { lines: lineNo, record } of body) {
    const value = (field: Field) => {
      const index = columnOf.get(field);
      return index === undefined ? '' : (record[index] ?? '').trim();
    };
    const columnName = (field: Field) => head.record[columnOf.get(field)!]?.trim() || statementFormats[source][field]!.names[0];
    const lineErrors: StatementError[] = [];
    const fail = (field: Field, message: MessageKey, params?: Params) => lineErrors.push({ line: lineNo, column: columnName(field), message, params });
    const countWrong = record.length < names.length || record.slice(names.length).some((v) => v.trim() !== '');
    if (countWrong) lineErrors.push({ line: lineNo, message: 'stmt.err.fieldCount', params: { count: record.length, expected: names.length } });

    const reference = value('reference').toUpperCase();
    if (!reference) fail('reference', 'stmt.err.referenceMissing');
    else if (reference.length > 100) fail('reference', 'stmt.err.referenceTooLong', { max: 100 });
    const amountText = value('amount');
    const amountCents = parseAmount(amountText);
    if (amountCents === null) fail('amount', amountText ? 'stmt.err.amount' : 'stmt.err.amountMissing', { value: amountText.slice(0, 40) });
    const dateText = value('date');
    const paidOn = parseStatementDate(dateText, { compact: source === 'payfip' });
    if (paidOn === null) fail('date', dateText ? 'stmt.err.date' : 'stmt.err.dateMissing', { value: dateText.slice(0, 40) });
    const transaction = value('transaction');
    if (transaction.length > 200) fail('transaction', 'stmt.err.transactionTooLong', { max: 200 });
    let result: ProviderResult = 'paid';
    if (columnOf.has('result')) {
      const code = value('result').toUpperCase();
      if (Object.hasOwn(RESULTRANS, code)) result = RESULTRANS[code];
      else fail('result', 'stmt.err.result', { value: code.slice(0, 10) });
    }
    if (lineErrors.length) {
      // Values shifted by a missing or extra separator would be reported field by field: the count says it all.
      errors.push(...(countWrong ? lineErrors.slice(0, 1) : lineErrors));
      continue;
    }
    lines.push({ lineNo, reference, amountCents: amountCents!, paidOn: paidOn!, transactionId: transaction || null, result });
  }
  if (errors.length) return refuse(errors.sort((a, b) => a.line - b.line));
  return { ok: true, lines };
}

// ---- Matching ----------------------------------------------------------------------------------

/** Why a line is in its state, for the report (a message key `stmt.note.<note>`). */
export const lineNotes = [
  'unknown_reference',
  'payment_due',
  'payment_cancelled',
  'duplicate',
  'paid_at_school',
  'amount_differs',
  'date_out_of_tolerance',
  'provider_abandoned',
  'provider_refused',
] as const;
export type LineNote = (typeof lineNotes)[number];
export const isLineNote = (value: unknown): value is LineNote => typeof value === 'string' && (lineNotes as readonly string[]).includes(value);

/** What the matcher needs to know of a payment. */
export interface PaymentFacts {
  id: string;
  reference: string;
  amountCents: number;
  status: PaymentStatus;
  /** The day (Paris) it was recorded as paid. */
  paidOn: string | null;
  method: PaymentMethod | null;
}

export interface MatchedLine extends StatementLine {
  state: StatementLineState;
  paymentId: string | null;
  note: LineNote | null;
}

const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/**
 * PAY-11: each line against the payments, in the file's order. By reference first (exact, after
 * trimming and upper-casing), then:
 *   - a line PayFiP says was abandoned or refused is no money: `discarded`, with its reason;
 *   - no payment of that reference, or one still due or cancelled: `no_match`, saying which;
 *   - a payment already matched by a line of the same source (earlier in this file, or in an
 *     earlier import: `alreadyMatched`), or, in PayFiP's statement, one paid at school:
 *     `already_paid` (money received twice);
 *   - another amount: `amount_mismatch`;
 *   - the dates further apart than `DATE_TOLERANCE`: `no_match` (`date_out_of_tolerance`);
 *   - otherwise `matched`.
 * A PayFiP line and a treasury line for the same payment both match: they are two accounts of
 * the same money, not a duplicate.
 */
export function matchStatement(
  source: StatementSource,
  lines: readonly StatementLine[],
  payments: ReadonlyMap<string, PaymentFacts>,
  alreadyMatched: ReadonlySet<string>,
): MatchedLine[] {
  const matched = new Set(alreadyMatched);
  const tolerance = DATE_TOLERANCE[source];
  return lines.map((line): MatchedLine => {
    const payment = payments.get(line.reference);
    const out = (state: StatementLineState, note: LineNote | null): MatchedLine => ({ ...line, state, paymentId: payment?.id ?? null, note });
    if (line.result !== 'paid') return out('discarded', line.result === 'abandoned' ? 'provider_abandoned' : 'provider_refused');
    if (!payment) return out('no_match', 'unknown_reference');
    if (payment.status === 'due') return out('no_match', 'payment_due');
    if (payment.status === 'cancelled') return out('no_match', 'payment_cancelled');
    if (matched.has(payment.id)) return out('already_paid', 'duplicate');
    if (source === 'payfip' && payment.method !== 'online') return out('already_paid', 'paid_at_school');
    if (line.amountCents !== payment.amountCents) return out('amount_mismatch', 'amount_differs');
    const gap = payment.paidOn ? dayNumber(line.paidOn) - dayNumber(payment.paidOn) : Infinity;
    if (gap < -tolerance.before || gap > tolerance.after) return out('no_match', 'date_out_of_tolerance');
    matched.add(payment.id);
    return out('matched', null);
  });
}

/** The report's order: what staff must look at first, then what matched; in the file's order within each. */
export const reportOrder: readonly StatementLineState[] = ['amount_mismatch', 'no_match', 'already_paid', 'discarded', 'matched'];

/** The states staff may discard a line from (a matched line is settled; a discarded one already is). */
export const discardable: readonly StatementLineState[] = ['no_match', 'amount_mismatch', 'already_paid'];
