import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import '../../messages';
import { isMessageKey } from '../../platform/i18n';
import {
  decodeStatement,
  matchStatement,
  MAX_STATEMENT_BYTES,
  MAX_STATEMENT_LINES,
  mayImportStatements,
  mayReadStatements,
  parseAmount,
  parseStatement,
  parseStatementDate,
  type PaymentFacts,
  type StatementError,
  type StatementLine,
} from './statements.rules';

const examples = join(import.meta.dirname, '../../../docs/examples/statements');
const bytes = (s: string) => new TextEncoder().encode(s);
const lines = (result: ReturnType<typeof parseStatement>) => {
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result.lines;
};
const errors = (result: ReturnType<typeof parseStatement>): StatementError[] => {
  assert.ok(!result.ok, 'the file is refused');
  for (const e of result.errors) assert.ok(isMessageKey(e.message), e.message);
  return result.errors;
};
const brief = (errs: StatementError[]) => errs.map((e) => [e.line, e.message, ...(e.column ? [e.column] : [])]);

const PAYFIP_HEAD = 'numcli;exer;refdet;objet;montant;mel;dattrans;heurtrans;numauto;resultrans';
const payfipLine = (ref: string, amount: string, date: string, result = 'P', numauto = 'A1') => `1;2026;${ref};Cours;${amount};a@example.org;${date};1200;${numauto};${result}`;

describe('PAY-11 statements: who', () => {
  it('PAY-11 the central service (coordinators, the administrator) imports; school heads read; trainers and learners neither', () => {
    assert.deepEqual(
      (['learner', 'trainer', 'school_head', 'coordinator', 'admin'] as const).map((r) => [r, mayImportStatements(r), mayReadStatements(r)]),
      [
        ['learner', false, false],
        ['trainer', false, false],
        ['school_head', false, true],
        ['coordinator', true, true],
        ['admin', true, true],
      ],
    );
  });
});

describe('PAY-11 statements: amounts and dates as people write them', () => {
  it('PAY-11 amounts in euros become integer cents: comma or point, spaces, €, thousands', () => {
    const cases: [string, number | null][] = [
      ['1234,50', 123_450],
      ['1234.50', 123_450],
      ['1 234,50 €', 123_450],
      ['1\u00a0234,50\u00a0€', 123_450],
      ['1\u202f234,50\u202f€', 123_450],
      ['1.234,50', 123_450],
      ['1,234.50', 123_450],
      ['150', 15_000],
      ['150,5', 15_050],
      ['EUR 12', 1_200],
      ['€12,00', 1_200],
      ['0,07', 7],
      ['100 000,00', 10_000_000],
      ['0,00', null],
      ['-150,00', null],
      ['100 000,01', null],
      ['12,345', null],
      ['1,234', null],
      ['1.234.5', null],
      ['12,50,00', null],
      ['abc', null],
      ['', null],
      ['1e3', null],
      ['0x10', null],
    ];
    for (const [input, expected] of cases) assert.equal(parseAmount(input), expected, input);
  });

  it('PAY-11 dates DD/MM/YYYY or YYYY-MM-DD, real days only; DDMMYYYY for PayFiP only', () => {
    const cases: [string, string | null][] = [
      ['12/10/2026', '2026-10-12'],
      ['1/2/2026', '2026-02-01'],
      ['2026-10-12', '2026-10-12'],
      [' 29/02/2028 ', '2028-02-29'],
      ['29/02/2027', null],
      ['31/04/2026', null],
      ['2026-13-01', null],
      ['12/10/26', null],
      ['12-10-2026', null],
      ['1999-12-31', null],
      ['12102026', null],
      ['', null],
    ];
    for (const [input, expected] of cases) assert.equal(parseStatementDate(input), expected, input);
    assert.equal(parseStatementDate('12102026', { compact: true }), '2026-10-12');
    assert.equal(parseStatementDate('31022026', { compact: true }), null);
  });
});

describe('PAY-11 statements: encodings', () => {
  it('PAY-11 UTF-8 with or without its BOM, Windows-1252 otherwise (€ and accents)', () => {
    const text = 'reference;amount;date;label\nREF1;150,00 €;12/10/2026;Libellé àéè\n';
    const bom = Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes(text)]);
    const windows = Uint8Array.from([...text].map((c) => ({ '€': 0x80, é: 0xe9, à: 0xe0, è: 0xe8 })[c] ?? c.charCodeAt(0)));
    for (const [name, input] of [['utf-8', bytes(text)], ['utf-8 with BOM', bom], ['windows-1252', windows]] as const) {
      const decoded = decodeStatement(input);
      assert.ok(decoded.ok, name);
      const [line] = lines(parseStatement('treasury', decoded.text));
      assert.deepEqual([line.amountCents, line.transactionId], [15_000, 'Libellé àéè'], name);
    }
    // Windows-1252's other letters of 0x80–0x9F: ’ “ ” Œ œ –
    const quotes = decodeStatement(Uint8Array.from([0x92, 0x93, 0x94, 0x8c, 0x9c, 0x96]));
    assert.ok(quotes.ok);
    assert.equal(quotes.text, '’“”Œœ–');
  });

  it('PAY-11 an Excel workbook, a PDF, bad UTF-8 after a UTF-8 BOM, a file too large: refused with what it is', () => {
    const refusal = (input: Uint8Array) => {
      const decoded = decodeStatement(input);
      assert.ok(!decoded.ok);
      return decoded.errors.map((e) => e.message);
    };
    assert.deepEqual(refusal(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00])), ['stmt.err.spreadsheet']);
    assert.deepEqual(refusal(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])), ['stmt.err.spreadsheet']);
    assert.deepEqual(refusal(bytes('%PDF-1.7\n')), ['stmt.err.pdf']);
    assert.deepEqual(refusal(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0xff, 0xfe])), ['stmt.err.badUtf8']);
    assert.deepEqual(refusal(new Uint8Array(MAX_STATEMENT_BYTES + 1).fill(0x41)), ['stmt.err.tooLarge']);
  });
});

describe('PAY-11 statements: the two formats', () => {
  it('PAY-11 the documented PayFiP example reads: refdet, montant, dattrans (also DDMMYYYY), numauto, resultrans', () => {
    const read = lines(parseStatement('payfip', readFileSync(join(examples, 'payfip.csv'), 'utf8')));
    assert.deepEqual(
      read.map((l) => [l.lineNo, l.reference, l.amountCents, l.paidOn, l.transactionId, l.result]),
      [
        [2, 'CMA2026A1B2C3', 15_000, '2026-10-12', 'A12345', 'paid'],
        [3, 'CMA2026D4E5F6', 7_500, '2026-10-12', 'B67890', 'paid'],
        [4, 'CMA2026G7H8J9', 15_000, '2026-10-13', null, 'abandoned'],
        [5, 'CMA2026K1L2M3', 15_000, '2026-10-13', 'C24680', 'paid'],
      ],
    );
  });

  it('PAY-11 the documented treasury example reads: CRLF, a quoted amount with €, ISO dates, a line of another service', () => {
    const decoded = decodeStatement(readFileSync(join(examples, 'treasury.csv')));
    assert.ok(decoded.ok);
    assert.deepEqual(
      lines(parseStatement('treasury', decoded.text)).map((l) => [l.lineNo, l.reference, l.amountCents, l.paidOn, l.transactionId]),
      [
        [2, 'CMA2026A1B2C3', 15_000, '2026-10-14', 'VIR PAYFIP 012345 CMA2026A1B2C3'],
        [3, 'CMA2026N4P5Q6', 123_450, '2026-10-15', 'REMISE CHEQUES 0001234 CAISSE DES COURS'],
        [4, 'AUTRE-SERVICE-42', 1_200, '2026-10-15', 'VIR CANTINE SCOLAIRE'],
      ],
    );
  });

  it('PAY-11 comma separators with quoted French amounts; French and differently written headers; trailing separators; references upper-cased', () => {
    const csv = '"Référence","Montant","Date valeur","Libellé",\n" cma1 ","1 234,50",2026-10-12,"Virement, octobre",\n\n';
    assert.deepEqual(
      lines(parseStatement('treasury', csv)).map((l) => [l.reference, l.amountCents, l.paidOn, l.transactionId]),
      [['CMA1', 123_450, '2026-10-12', 'Virement, octobre']],
    );
    assert.equal(lines(parseStatement('treasury', 'reference;amount;date\nR1;1;01/01/2026'))[0].transactionId, null, 'the label is optional');
  });
});

describe('PAY-11 statements: a corrupt file is refused whole, line by line', () => {
  it('PAY-11 every bad line is reported with its line and column: amounts, dates, results, references, value counts', () => {
    const csv = [
      PAYFIP_HEAD,
      payfipLine('OK1', '150,00', '12/10/2026'),
      payfipLine('BAD2', '150;00', '12/10/2026'),
      payfipLine('BAD3', 'cent euros', '31/02/2026'),
      payfipLine('', '150,00', '12/10/2026'),
      payfipLine('BAD5', '150,00', '12/10/2026', 'X'),
      payfipLine('BAD6', '150,00', '12/10/2026', 'constructor'),
      '1;2026;BAD7;Cours;150,00',
      payfipLine('OK8', '75', '2026-10-12'),
    ].join('\n');
    assert.deepEqual(brief(errors(parseStatement('payfip', csv))), [
      [3, 'stmt.err.fieldCount'],
      [4, 'stmt.err.amount', 'montant'],
      [4, 'stmt.err.date', 'dattrans'],
      [5, 'stmt.err.referenceMissing', 'refdet'],
      [6, 'stmt.err.result', 'resultrans'],
      [7, 'stmt.err.result', 'resultrans'],
      [8, 'stmt.err.fieldCount'],
    ]);
    const [amount] = errors(parseStatement('payfip', csv)).filter((e) => e.message === 'stmt.err.amount');
    assert.deepEqual(amount.params, { value: 'cent euros' }, 'the report quotes what was written');
  });

  it('PAY-11 wrong columns: missing ones are named, one named twice is an error, a file of the other format says so', () => {
    assert.deepEqual(brief(errors(parseStatement('treasury', 'reference;amount;label\nR;1;x'))), [
      [1, 'stmt.err.columnMissing', 'date'],
      [1, 'stmt.err.columnsExpected'],
    ]);
    assert.deepEqual(brief(errors(parseStatement('treasury', 'reference;amount;date;Amount\nR;1;01/01/2026;2'))), [[1, 'stmt.err.columnTwice', 'amount'], [1, 'stmt.err.columnsExpected']]);
    const payfipAsTreasury = errors(parseStatement('treasury', `${PAYFIP_HEAD}\n${payfipLine('R', '1', '01/01/2026')}`));
    assert.equal(payfipAsTreasury.at(-1)!.message, 'stmt.err.looksLikePayfip');
    const treasuryAsPayfip = errors(parseStatement('payfip', readFileSync(join(examples, 'treasury.csv'), 'utf8')));
    assert.deepEqual(treasuryAsPayfip.at(-1), { line: 1, message: 'stmt.err.looksLikeTreasury', params: { columns: 'refdet, montant, dattrans, numauto, resultrans' } });
    assert.deepEqual(brief(errors(parseStatement('payfip', 'just one column\nvalue'))).at(-1), [1, 'stmt.err.columnsExpected']);
  });

  it('PAY-11 an empty file, blank lines only, a header without lines', () => {
    for (const text of ['', '\uFEFF', '  \n\r\n ;; \n']) assert.deepEqual(brief(errors(parseStatement('treasury', text))), [[0, 'stmt.err.empty']], JSON.stringify(text));
    assert.deepEqual(brief(errors(parseStatement('treasury', 'reference;amount;date\n\n'))), [[0, 'stmt.err.noLines']]);
  });

  it('PAY-11 a binary file: NUL and control characters are reported on their lines', () => {
    const csv = 'reference;amount;date\nR1;1;01/01/2026\nR\u00002;1;01/01/2026\nR3;1;01/01/2026\u0007\n';
    assert.deepEqual(brief(errors(parseStatement('treasury', csv))), [
      [3, 'stmt.err.binary'],
      [4, 'stmt.err.binary'],
    ]);
    const decoded = decodeStatement(Uint8Array.from([0x00, 0x01, 0x02, 0x41, 0x0a, 0x00]));
    assert.ok(decoded.ok);
    assert.equal(errors(parseStatement('treasury', decoded.text))[0].message, 'stmt.err.binary');
  });

  it('PAY-11 a quotation mark never closed is reported where its line starts', () => {
    const csv = 'reference;amount;date\nR1;1;01/01/2026\n"R2;1;01/01/2026\nR3;1;01/01/2026\n';
    assert.deepEqual(brief(errors(parseStatement('treasury', csv))), [[3, 'stmt.err.quotes']]);
  });

  it('PAY-11 more lines than the limit: refused with one error, not one per line', () => {
    const csv = ['reference;amount;date', ...Array.from({ length: MAX_STATEMENT_LINES + 1 }, (_, i) => `R${i};1;01/01/2026`)].join('\n');
    assert.deepEqual(brief(errors(parseStatement('treasury', csv))), [[0, 'stmt.err.tooManyLines']]);
    assert.equal(lines(parseStatement('treasury', csv.split('\n').slice(0, -1).join('\n'))).length, MAX_STATEMENT_LINES, 'exactly the limit is fine');
  });
});

describe('PAY-11 statements: matching each line to a payment', () => {
  const paid = (id: string, reference: string, overrides: Partial<PaymentFacts> = {}): PaymentFacts => ({
    id,
    reference,
    amountCents: 15_000,
    status: 'paid',
    paidOn: '2026-10-12',
    method: 'online',
    ...overrides,
  });
  const line = (lineNo: number, reference: string, overrides: Partial<StatementLine> = {}): StatementLine => ({
    lineNo,
    reference,
    amountCents: 15_000,
    paidOn: '2026-10-12',
    transactionId: null,
    result: 'paid',
    ...overrides,
  });
  const byRef = (...payments: PaymentFacts[]) => new Map(payments.map((p) => [p.reference, p]));
  const states = (result: ReturnType<typeof matchStatement>) => result.map((l) => [l.lineNo, l.state, l.paymentId, l.note]);

  it('PAY-11 each state: matched, amount mismatch, already paid, no match (unknown, due, cancelled, date), discarded (abandoned, refused)', () => {
    const payments = byRef(
      paid('p1', 'REF1'),
      paid('p2', 'REF2'),
      paid('p3', 'REF3'),
      paid('p4', 'REF4', { status: 'due', paidOn: null, method: null }),
      paid('p5', 'REF5', { status: 'cancelled', paidOn: null, method: null }),
      paid('p6', 'REF6'),
      paid('p7', 'REF7'),
    );
    const result = matchStatement(
      'payfip',
      [
        line(2, 'REF1'),
        line(3, 'REF2', { amountCents: 14_900 }),
        line(4, 'REF1'),
        line(5, 'NOPE'),
        line(6, 'REF4'),
        line(7, 'REF5'),
        line(8, 'REF6', { paidOn: '2026-10-20' }),
        line(9, 'REF7', { result: 'abandoned' }),
        line(10, 'REF7', { result: 'refused' }),
        line(11, 'REF3', { amountCents: 1 }),
        line(12, 'REF3'),
      ],
      payments,
      new Set(),
    );
    assert.deepEqual(states(result), [
      [2, 'matched', 'p1', null],
      [3, 'amount_mismatch', 'p2', 'amount_differs'],
      [4, 'already_paid', 'p1', 'duplicate'],
      [5, 'no_match', null, 'unknown_reference'],
      [6, 'no_match', 'p4', 'payment_due'],
      [7, 'no_match', 'p5', 'payment_cancelled'],
      [8, 'no_match', 'p6', 'date_out_of_tolerance'],
      [9, 'discarded', 'p7', 'provider_abandoned'],
      [10, 'discarded', 'p7', 'provider_refused'],
      [11, 'amount_mismatch', 'p3', 'amount_differs'],
      [12, 'matched', 'p3', null],
    ]);
  });

  it('PAY-11 a payment matched by an earlier import of the same kind of statement is already paid (the same file twice)', () => {
    const result = matchStatement('treasury', [line(2, 'REF1')], byRef(paid('p1', 'REF1')), new Set(['p1']));
    assert.deepEqual(states(result), [[2, 'already_paid', 'p1', 'duplicate']]);
  });

  it('PAY-11 PayFiP money for a payment made at school is one too many; the treasury matches any method', () => {
    const payments = byRef(paid('p1', 'CHQ1', { method: 'cheque' }), paid('p2', 'CASH1', { method: 'cash' }));
    assert.deepEqual(states(matchStatement('payfip', [line(2, 'CHQ1'), line(3, 'CASH1')], payments, new Set())), [
      [2, 'already_paid', 'p1', 'paid_at_school'],
      [3, 'already_paid', 'p2', 'paid_at_school'],
    ]);
    assert.deepEqual(states(matchStatement('treasury', [line(2, 'CHQ1', { paidOn: '2026-10-15' }), line(3, 'CASH1', { paidOn: '2026-10-12' })], payments, new Set())), [
      [2, 'matched', 'p1', null],
      [3, 'matched', 'p2', null],
    ]);
  });

  it('PAY-11 the date tolerance: PayFiP ±1 day; the treasury from 3 days before to 10 days after', () => {
    const cases: [Parameters<typeof matchStatement>[0], string, string][] = [
      ['payfip', '2026-10-11', 'matched'],
      ['payfip', '2026-10-13', 'matched'],
      ['payfip', '2026-10-10', 'no_match'],
      ['payfip', '2026-10-14', 'no_match'],
      ['treasury', '2026-10-09', 'matched'],
      ['treasury', '2026-10-22', 'matched'],
      ['treasury', '2026-10-08', 'no_match'],
      ['treasury', '2026-10-23', 'no_match'],
      ['treasury', '2027-10-12', 'no_match'],
    ];
    for (const [source, paidOn, expected] of cases)
      assert.equal(matchStatement(source, [line(2, 'REF1', { paidOn })], byRef(paid('p1', 'REF1')), new Set())[0].state, expected, `${source} ${paidOn}`);
  });

  it('PAY-11 references match exactly once read: the parser trims and upper-cases, nothing else', () => {
    const [read] = lines(parseStatement('treasury', 'reference;amount;date\n  ref1  ;150,00;12/10/2026'));
    assert.equal(matchStatement('treasury', [read], byRef(paid('p1', 'REF1')), new Set())[0].state, 'matched');
    const [spaced] = lines(parseStatement('treasury', 'reference;amount;date\nREF 1;150,00;12/10/2026'));
    assert.equal(matchStatement('treasury', [spaced], byRef(paid('p1', 'REF1')), new Set())[0].state, 'no_match');
  });
});
