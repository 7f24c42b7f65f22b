import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { buildPayment, buildSchool, payfipCsv, treasuryCsv } from '../../../test/statements';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { auditLog } from '../../platform/platform.table';
import { assignScope } from '../scopes';
import { statementImports, statementLines } from './payments.table';
import { discardStatementLine, importStatement, listStatementImports, statementReport } from './statements.service';

describe('PAY-11 reconciliation service: import, match, discard, scope', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string };
  let coordinator: { id: string; role: 'coordinator' };
  let admin: { id: string; role: 'admin' };
  let head: { id: string; role: 'school_head' };
  let trainer: { id: string; role: 'trainer' };
  let otherSchool: number;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'REL1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    otherSchool = await buildSchool(database.db, 'E-12-R');
    coordinator = { id: (await buildStaff(database.db, clock, 'coordinator')).userId, role: 'coordinator' };
    admin = { id: (await buildStaff(database.db, clock, 'admin')).userId, role: 'admin' };
    head = { id: (await buildStaff(database.db, clock, 'school_head')).userId, role: 'school_head' };
    trainer = { id: (await buildStaff(database.db, clock, 'trainer')).userId, role: 'trainer' };
    assert.deepEqual(await assignScope(database.db, { userId: head.id, schools: ['E-11-T'] }), { ok: true });
  });
  after(() => database.close());

  const svc = () => ({ db: database.db, clock });
  const importText = (csv: string, source: 'payfip' | 'treasury' = 'treasury', staff: { id: string; role: 'coordinator' | 'admin' | 'school_head' | 'trainer' } = coordinator) =>
    importStatement(svc(), { staff, source, filename: 'releve.csv', content: csv });
  const imported = async (csv: string, source: 'payfip' | 'treasury' = 'treasury') => {
    const result = await importText(csv, source);
    assert.ok(result.ok, JSON.stringify(result));
    return result;
  };
  const report = async (importId: string, staff: { id: string; role: 'coordinator' | 'admin' | 'school_head' | 'trainer' } = coordinator) => {
    const r = await statementReport(database.db, staff, importId);
    assert.ok(r.ok, JSON.stringify(r));
    return r.value;
  };
  const written = async () => {
    const [[imports], [lines]] = await Promise.all([database.db.select({ n: count() }).from(statementImports), database.db.select({ n: count() }).from(statementLines)]);
    return [imports.n, lines.n];
  };
  const matchedLinesOf = async (paymentId: string) =>
    (await database.db.select({ n: count() }).from(statementLines).where(and(eq(statementLines.paymentId, paymentId), eq(statementLines.state, 'matched'))))[0].n;

  it('PAY-11 an import matches each line by reference, amount and date, writes the import, its lines and an audit row, and reports the lines not matched first', async () => {
    const ok = await buildPayment(deps, 'REL1');
    const cheque = await buildPayment(deps, 'REL1', { method: 'cheque', amountCents: 7_500 });
    const other = await buildPayment(deps, 'REL1', { amountCents: 7_500 });
    const due = await buildPayment(deps, 'REL1', { status: 'due' });
    const cancelled = await buildPayment(deps, 'REL1', { status: 'cancelled' });
    const late = await buildPayment(deps, 'REL1');
    const csv = treasuryCsv([
      [ok.reference.toLowerCase(), '150,00', '14/10/2026', 'VIR PAYFIP'],
      [cheque.reference, '75,00', '2026-10-15', 'REMISE CHEQUES'],
      [other.reference, '150,00', '12/10/2026'],
      [due.reference, '150,00', '12/10/2026'],
      [cancelled.reference, '150,00', '12/10/2026'],
      ['AUTRE-SERVICE', '12,00', '12/10/2026', 'CANTINE'],
      [late.reference, '150,00', '30/10/2026'],
      [ok.reference, '150,00', '14/10/2026', 'VIR PAYFIP (bis)'],
    ]);
    const result = await imported(csv);
    assert.deepEqual(result.counts, { matched: 2, no_match: 4, amount_mismatch: 1, already_paid: 1, discarded: 0 });

    const r = await report(result.importId);
    assert.deepEqual(
      r.lines.map((l) => [l.lineNo, l.state, l.note]),
      [
        [4, 'amount_mismatch', 'amount_differs'],
        [5, 'no_match', 'payment_due'],
        [6, 'no_match', 'payment_cancelled'],
        [7, 'no_match', 'unknown_reference'],
        [8, 'no_match', 'date_out_of_tolerance'],
        [9, 'already_paid', 'duplicate'],
        [2, 'matched', null],
        [3, 'matched', null],
      ],
    );
    const first = r.lines.find((l) => l.lineNo === 2)!;
    assert.equal(first.reference, ok.reference, 'stored upper-cased');
    assert.equal(first.transactionId, 'VIR PAYFIP');
    assert.deepEqual([first.payment?.reference, first.payment?.session, first.payment?.school, first.payment?.paidOn, first.payment?.method], [ok.reference, 'REL1', 'E-11-T', '2026-10-12', 'online']);
    assert.match(first.payment!.learner, /^DURAND-[0-9A-F]{6} Léa$/);
    assert.equal(r.lines.find((l) => l.lineNo === 7)!.payment, null);
    assert.equal(r.importedBy, 'Test coordinator');

    const [row] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'statement.imported'), eq(auditLog.subjectId, result.importId)));
    assert.equal(row.actorId, coordinator.id);
    assert.deepEqual((row.data as { lines: number }).lines, 8);
  });

  it('PAY-11 importing the same file twice does not match twice: the second import’s lines are already paid', async () => {
    const a = await buildPayment(deps, 'REL1');
    const b = await buildPayment(deps, 'REL1');
    const csv = payfipCsv([
      [a.reference, '150,00', '12/10/2026'],
      [b.reference, '150,00', '12/10/2026'],
    ]);
    assert.deepEqual((await imported(csv, 'payfip')).counts.matched, 2);
    const again = await imported(csv, 'payfip');
    assert.deepEqual(again.counts, { matched: 0, no_match: 0, amount_mismatch: 0, already_paid: 2, discarded: 0 });
    assert.deepEqual([await matchedLinesOf(a.id), await matchedLinesOf(b.id)], [1, 1]);
  });

  it('PAY-11 two imports of the same file at the same time match each payment once', async () => {
    const made = await Promise.all(Array.from({ length: 5 }, () => buildPayment(deps, 'REL1')));
    const csv = treasuryCsv(made.map((p) => [p.reference, '150,00', '13/10/2026']));
    const results = await Promise.all(Array.from({ length: 4 }, () => imported(csv)));
    assert.deepEqual(
      results.map((r) => r.counts.matched).sort(),
      [0, 0, 0, 5],
    );
    for (const p of made) assert.equal(await matchedLinesOf(p.id), 1);
  });

  it('PAY-11 a PayFiP line and a treasury line for one payment both match: two accounts of the same money; PayFiP money for a cheque is already paid', async () => {
    const online = await buildPayment(deps, 'REL1');
    const cheque = await buildPayment(deps, 'REL1', { method: 'cheque' });
    const fromPayfip = await imported(payfipCsv([[online.reference, '150,00', '12102026'], [cheque.reference, '150,00', '12/10/2026']]), 'payfip');
    assert.deepEqual([fromPayfip.counts.matched, fromPayfip.counts.already_paid], [1, 1]);
    const fromTreasury = await imported(treasuryCsv([[online.reference, '150,00', '15/10/2026'], [cheque.reference, '150,00', '15/10/2026']]));
    assert.equal(fromTreasury.counts.matched, 2);
    assert.equal((await report(fromPayfip.importId)).lines[0].note, 'paid_at_school');
  });

  it('PAY-11 PayFiP lines abandoned or refused are discarded with their reason', async () => {
    const p = await buildPayment(deps, 'REL1', { status: 'due' });
    const result = await imported(payfipCsv([[p.reference, '150,00', '12/10/2026', 'A', ''], [p.reference, '150,00', '12/10/2026', 'R', '']]), 'payfip');
    assert.equal(result.counts.discarded, 2);
    assert.deepEqual((await report(result.importId)).lines.map((l) => [l.state, l.note, l.transactionId, l.discardNote]), [
      ['discarded', 'provider_abandoned', null, null],
      ['discarded', 'provider_refused', null, null],
    ]);
  });

  it('PAY-11 a corrupt file is refused whole with its line-by-line report, and nothing is written', async () => {
    const p = await buildPayment(deps, 'REL1');
    const before = await written();
    const result = await importText(treasuryCsv([[p.reference, '150,00', '12/10/2026'], [p.reference, 'douze', '12/10/2026'], [p.reference, '150,00', '32/10/2026']]));
    assert.ok(!result.ok && result.code === 'invalid');
    assert.deepEqual(result.errors.map((e) => [e.line, e.message]), [[3, 'stmt.err.amount'], [4, 'stmt.err.date']]);
    const binary = await importStatement(svc(), { staff: coordinator, source: 'treasury', filename: 'x.xlsx', content: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0, 0]) });
    assert.ok(!binary.ok && binary.code === 'invalid' && binary.errors[0].message === 'stmt.err.spreadsheet');
    assert.deepEqual(await written(), before);
    assert.equal(await matchedLinesOf(p.id), 0);
  });

  it('PAY-11 a file in Windows-1252 imports like its UTF-8 twin', async () => {
    const p = await buildPayment(deps, 'REL1');
    const text = treasuryCsv([[p.reference, '150,00 €', '12/10/2026', 'Réf. élève']]);
    const bytes = Uint8Array.from([...text].map((c) => ({ '€': 0x80, é: 0xe9, è: 0xe8 })[c] ?? c.charCodeAt(0)));
    const result = await importStatement(svc(), { staff: admin, source: 'treasury', filename: 'windows.csv', content: bytes });
    assert.ok(result.ok && result.counts.matched === 1);
    assert.equal((await report(result.importId, admin)).lines[0].transactionId, 'Réf. élève');
  });

  it('PAY-11 staff discard a line with their note; a matched line, a line already discarded, an unknown line cannot be; a school head may not', async () => {
    const p = await buildPayment(deps, 'REL1');
    const result = await imported(treasuryCsv([['INCONNUE1', '20,00', '12/10/2026'], [p.reference, '150,00', '12/10/2026']]));
    const r = await report(result.importId);
    const [unknown, matched] = r.lines;
    assert.deepEqual([unknown.state, unknown.mayDiscard, matched.state, matched.mayDiscard], ['no_match', true, 'matched', false]);

    const discard = (lineId: string, staff: { id: string; role: 'coordinator' | 'school_head' } = coordinator) => discardStatementLine(svc(), { staff, importId: result.importId, lineId, note: 'Paiement de la cantine' });
    assert.deepEqual(await discard(unknown.id, head), { ok: false, code: 'forbidden' });
    assert.deepEqual(await discard(unknown.id), { ok: true });
    assert.deepEqual(await discard(unknown.id), { ok: false, code: 'not_discardable' });
    assert.deepEqual(await discard(matched.id), { ok: false, code: 'not_discardable' });
    assert.deepEqual(await discard('00000000-0000-4000-8000-000000000000'), { ok: false, code: 'not_found' });
    const after = (await report(result.importId)).lines.find((l) => l.id === unknown.id)!;
    assert.deepEqual([after.state, after.note, after.discardNote, after.discardedBy, after.mayDiscard], ['discarded', null, 'Paiement de la cantine', 'Test coordinator', false]);
    assert.equal((await report(result.importId)).counts.discarded, 1);
    const [row] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'statement.line_discarded'), eq(auditLog.subjectId, unknown.id)));
    assert.equal(row.actorId, coordinator.id);
  });

  it('PAY-11 scope: the central service sees every line; a school head their schools’ lines only, and cannot import; a trainer nothing', async () => {
    const mine = await buildPayment(deps, 'REL1');
    const theirs = await buildPayment(deps, 'REL1', { schoolId: otherSchool });
    const mixed = await imported(treasuryCsv([[mine.reference, '150,00', '12/10/2026'], [theirs.reference, '150,00', '12/10/2026'], ['INCONNUE2', '1,00', '12/10/2026']]));
    clock.advance(60_000);
    const onlyTheirs = await imported(treasuryCsv([[theirs.reference, '150,00', '12/10/2026']]));

    assert.deepEqual(await importText(treasuryCsv([[mine.reference, '150,00', '12/10/2026']]), 'treasury', head), { ok: false, code: 'forbidden' });
    assert.deepEqual(await importText(treasuryCsv([[mine.reference, '150,00', '12/10/2026']]), 'treasury', trainer), { ok: false, code: 'forbidden' });

    const seen = await report(mixed.importId, head);
    assert.deepEqual(seen.lines.map((l) => l.reference), [mine.reference]);
    assert.deepEqual([seen.counts.matched, seen.counts.no_match, seen.all, seen.mayDiscard], [1, 0, false, false]);
    assert.equal((await report(mixed.importId)).lines.length, 3);
    assert.deepEqual(await statementReport(database.db, head, onlyTheirs.importId), { ok: false, code: 'forbidden' });
    assert.deepEqual(await statementReport(database.db, head, '00000000-0000-4000-8000-000000000000'), { ok: false, code: 'not_found' });
    assert.deepEqual(await statementReport(database.db, trainer, mixed.importId), { ok: false, code: 'forbidden' });

    const listed = await listStatementImports(database.db, head);
    assert.ok(listed.ok);
    assert.ok(listed.imports.some((i) => i.id === mixed.importId && i.lines === 1 && i.counts.matched === 1));
    assert.ok(!listed.imports.some((i) => i.id === onlyTheirs.importId));
    const all = await listStatementImports(database.db, coordinator);
    assert.ok(all.ok && all.imports[0].id === onlyTheirs.importId, 'newest first');
    assert.ok(all.imports.some((i) => i.id === mixed.importId && i.lines === 3));
    assert.deepEqual(await listStatementImports(database.db, trainer), { ok: false, code: 'forbidden' });

    // A school head with no school assigned sees no statement at all.
    const lonely = { id: (await buildStaff(database.db, clock, 'school_head')).userId, role: 'school_head' as const };
    const nothing = await listStatementImports(database.db, lonely);
    assert.ok(nothing.ok && nothing.imports.length === 0);
  });
});
