import { and, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { PaymentMethod, PaymentStatus, Role, StatementLineState, StatementSource } from '../../domain/vocabulary';
import { statementLineStates } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { getUsers, learnerNames, parisDay } from '../accounts';
import { catalogueCodes } from '../catalogue';
import { scopeOf } from '../scopes';
import { payments, statementImports, statementLines } from './payments.table';
import {
  decodeStatement,
  discardable,
  isLineNote,
  matchStatement,
  mayImportStatements,
  mayReadStatements,
  parseStatement,
  reportOrder,
  type LineNote,
  type PaymentFacts,
  type StatementError,
} from './statements.rules';

export interface StatementDeps {
  db: Db;
  clock: Clock;
}

type Staff = { id: string; role: Role };
export type StateCounts = Record<StatementLineState, number>;

/**
 * What of the statements a staff member sees (PAY-11, `statementRoles`): every line (the central
 * service), the lines of their schools' (or sessions') payments, or nothing at all.
 */
type StatementView = { all: true } | { all: false; schoolIds: number[]; sessionIds: number[] };

async function viewOf(db: DbOrTx, staff: Staff): Promise<StatementView | null> {
  if (mayImportStatements(staff.role)) return { all: true };
  if (!mayReadStatements(staff.role)) return null;
  const scope = await scopeOf(db, staff);
  return scope.all ? { all: true } : { all: false, schoolIds: scope.schoolIds, sessionIds: scope.sessionIds };
}

/** The lines a scoped view sees: those whose payment is of one of its schools or sessions. */
function visibleLines(view: StatementView): SQL | undefined {
  if (view.all) return undefined;
  const conditions = [view.schoolIds.length ? inArray(payments.schoolId, view.schoolIds) : undefined, view.sessionIds.length ? inArray(payments.sessionId, view.sessionIds) : undefined].filter(
    (c): c is SQL => c !== undefined,
  );
  return conditions.length ? or(...conditions) : sql`false`;
}

const emptyCounts = (): StateCounts => Object.fromEntries(statementLineStates.map((s) => [s, 0])) as StateCounts;
const REFERENCE = /^[A-Z0-9]{1,30}$/;
const CHUNK = 1_000;

export type ImportOutcome =
  | { ok: true; importId: string; counts: StateCounts }
  | { ok: false; code: 'forbidden' }
  | { ok: false; code: 'invalid'; errors: StatementError[] };

/**
 * PAY-11: imports a statement (PayFiP's or the treasury's CSV: the bytes of a file, or text
 * pasted) and matches every line to the payments expected (`matchStatement`). A file with any
 * bad line is refused whole with its line-by-line report, and nothing is written. Otherwise the
 * import, its lines and an audit row are written in one transaction, the payments concerned
 * locked: two imports of the same statement, even at the same time, never match a payment
 * twice (the second one's lines are `already_paid`). Only the central service imports
 * (`statementRoles.import`, else `forbidden`).
 */
export async function importStatement(
  deps: StatementDeps,
  input: { staff: Staff; source: StatementSource; filename: string; content: Uint8Array | string },
): Promise<ImportOutcome> {
  const { db, clock } = deps;
  const { staff, source } = input;
  if (!mayImportStatements(staff.role)) return { ok: false, code: 'forbidden' };
  const decoded = typeof input.content === 'string' ? { ok: true as const, text: input.content } : decodeStatement(input.content);
  if (!decoded.ok) return { ok: false, code: 'invalid', errors: decoded.errors };
  const parsed = parseStatement(source, decoded.text);
  if (!parsed.ok) return { ok: false, code: 'invalid', errors: parsed.errors };

  return db.transaction(async (tx) => {
    const references = [...new Set(parsed.lines.map((l) => l.reference).filter((r) => REFERENCE.test(r)))];
    const found = references.length
      ? await tx
          .select({ id: payments.id, reference: payments.reference, amountCents: payments.amountCents, status: payments.status, paidAt: payments.paidAt, method: payments.method })
          .from(payments)
          .where(inArray(payments.reference, references))
          .orderBy(payments.id)
          .for('update')
      : [];
    const facts = new Map<string, PaymentFacts>(found.map((p) => [p.reference, { ...p, paidOn: p.paidAt ? parisDay(p.paidAt) : null }]));
    const ids = found.map((p) => p.id);
    // Read after the lock: an import of the same statement that held it has committed its lines.
    const earlier = ids.length
      ? await tx
          .selectDistinct({ paymentId: statementLines.paymentId })
          .from(statementLines)
          .innerJoin(statementImports, eq(statementImports.id, statementLines.importId))
          .where(and(eq(statementLines.state, 'matched'), eq(statementImports.source, source), inArray(statementLines.paymentId, ids)))
      : [];
    const lines = matchStatement(source, parsed.lines, facts, new Set(earlier.map((e) => e.paymentId!)));

    const [created] = await tx
      .insert(statementImports)
      .values({ source, filename: input.filename, importedBy: staff.id, importedAt: clock.now(), lineCount: lines.length })
      .returning({ id: statementImports.id });
    for (let i = 0; i < lines.length; i += CHUNK)
      await tx.insert(statementLines).values(
        lines.slice(i, i + CHUNK).map((l) => ({
          importId: created.id,
          lineNo: l.lineNo,
          reference: l.reference,
          amountCents: l.amountCents,
          paidOn: l.paidOn,
          transactionId: l.transactionId,
          state: l.state,
          paymentId: l.paymentId,
          note: l.note,
        })),
      );
    const counts = emptyCounts();
    for (const l of lines) counts[l.state]++;
    await audit(tx, clock, { action: 'statement.imported', actorId: staff.id, subjectId: created.id, data: { source, filename: input.filename, lines: lines.length, counts } });
    return { ok: true as const, importId: created.id, counts };
  });
}

export interface ImportSummary {
  id: string;
  source: StatementSource;
  filename: string;
  importedAt: Date;
  importedBy: string;
  /** All its lines (the central service), or those of the viewer's schools. */
  counts: StateCounts;
  lines: number;
}

async function countsByImport(db: DbOrTx, view: StatementView, importIds: string[]): Promise<Map<string, StateCounts>> {
  const result = new Map<string, StateCounts>(importIds.map((id) => [id, emptyCounts()]));
  if (importIds.length === 0) return result;
  const scoped = visibleLines(view);
  const base = db.select({ importId: statementLines.importId, state: statementLines.state, n: count() }).from(statementLines);
  const rows = await (scoped ? base.innerJoin(payments, eq(payments.id, statementLines.paymentId)) : base)
    .where(and(inArray(statementLines.importId, importIds), scoped))
    .groupBy(statementLines.importId, statementLines.state);
  for (const r of rows) result.get(r.importId)![r.state] = Number(r.n);
  return result;
}

const IMPORTS_SHOWN = 100;

/**
 * PAY-11: the latest imports (100), newest first, with their lines counted per state. A school
 * head sees the imports that hold lines of their schools, counted on those lines only.
 */
export async function listStatementImports(db: Db, staff: Staff): Promise<{ ok: true; imports: ImportSummary[]; all: boolean } | { ok: false; code: 'forbidden' }> {
  const view = await viewOf(db, staff);
  if (!view) return { ok: false, code: 'forbidden' };
  const scoped = visibleLines(view);
  const visible = scoped
    ? db.selectDistinct({ id: statementLines.importId }).from(statementLines).innerJoin(payments, eq(payments.id, statementLines.paymentId)).where(scoped)
    : undefined;
  const rows = await db
    .select()
    .from(statementImports)
    .where(visible ? inArray(statementImports.id, visible) : undefined)
    .orderBy(desc(statementImports.importedAt), desc(statementImports.id))
    .limit(IMPORTS_SHOWN);
  const [counts, users] = await Promise.all([countsByImport(db, view, rows.map((r) => r.id)), getUsers(db, [...new Set(rows.map((r) => r.importedBy))])]);
  return {
    ok: true,
    all: view.all,
    imports: rows.map((r) => {
      const c = counts.get(r.id)!;
      return { id: r.id, source: r.source, filename: r.filename, importedAt: r.importedAt, importedBy: users.get(r.importedBy)?.displayName ?? '—', counts: c, lines: Object.values(c).reduce((a, b) => a + b, 0) };
    }),
  };
}

export interface ReportLine {
  id: string;
  lineNo: number;
  reference: string;
  amountCents: number;
  paidOn: string;
  transactionId: string | null;
  state: StatementLineState;
  /** Why the matcher put it there (null for a line matched, or discarded by staff). */
  note: LineNote | null;
  /** The note of the staff member who discarded it, and their name. */
  discardNote: string | null;
  discardedBy: string | null;
  payment: {
    reference: string;
    amountCents: number;
    status: PaymentStatus;
    paidOn: string | null;
    method: PaymentMethod | null;
    session: string;
    school: string;
    learner: string;
  } | null;
  mayDiscard: boolean;
}

export interface StatementReport {
  id: string;
  source: StatementSource;
  filename: string;
  importedAt: Date;
  importedBy: string;
  counts: StateCounts;
  /** The lines not matched first (`reportOrder`), in the file's order within each state. */
  lines: ReportLine[];
  all: boolean;
  mayDiscard: boolean;
}

type ReportAccess<T> = { ok: true; value: T } | { ok: false; code: 'not_found' | 'forbidden' };

/**
 * PAY-11: one import's report: counts per state and the lines (one, with `lineId`), each with
 * the payment it concerns. A school head sees their schools' lines; an import with none of them
 * is `forbidden` (decision 008), one that does not exist `not_found`.
 */
export async function statementReport(db: Db, staff: Staff, importId: string, options: { lineId?: string } = {}): Promise<ReportAccess<StatementReport>> {
  const view = await viewOf(db, staff);
  if (!view) return { ok: false, code: 'forbidden' };
  const [imported] = await db.select().from(statementImports).where(eq(statementImports.id, importId));
  if (!imported) return { ok: false, code: 'not_found' };
  const rows = await db
    .select({ line: statementLines, payment: payments })
    .from(statementLines)
    .leftJoin(payments, eq(payments.id, statementLines.paymentId))
    .where(and(eq(statementLines.importId, importId), options.lineId ? eq(statementLines.id, options.lineId) : undefined, visibleLines(view)))
    .orderBy(statementLines.lineNo);
  if (!view.all && rows.length === 0) return { ok: false, code: 'forbidden' };

  const paid = rows.flatMap((r) => (r.payment ? [r.payment] : []));
  const [codes, names, users] = await Promise.all([
    catalogueCodes(db, { schools: [...new Set(paid.map((p) => p.schoolId))], domains: [], sessions: [...new Set(paid.map((p) => p.sessionId))] }),
    learnerNames(db, [...new Set(paid.map((p) => p.learnerId))]),
    getUsers(db, [...new Set([imported.importedBy, ...rows.flatMap((r) => (r.line.discardedBy ? [r.line.discardedBy] : []))])]),
  ]);
  const mayDiscard = mayImportStatements(staff.role);
  const lines = rows.map(({ line, payment }): ReportLine => ({
    id: line.id,
    lineNo: line.lineNo,
    reference: line.reference,
    amountCents: line.amountCents,
    paidOn: line.paidOn,
    transactionId: line.transactionId,
    state: line.state,
    note: !line.discardedBy && isLineNote(line.note) ? line.note : null,
    discardNote: line.discardedBy ? line.note : null,
    discardedBy: line.discardedBy ? (users.get(line.discardedBy)?.displayName ?? '—') : null,
    payment: payment
      ? {
          reference: payment.reference,
          amountCents: payment.amountCents,
          status: payment.status,
          paidOn: payment.paidAt ? parisDay(payment.paidAt) : null,
          method: payment.method,
          session: codes.sessions.get(payment.sessionId) ?? '—',
          school: codes.schools.get(payment.schoolId) ?? '—',
          learner: names.get(payment.learnerId) ?? '—',
        }
      : null,
    mayDiscard: mayDiscard && discardable.includes(line.state),
  }));
  lines.sort((a, b) => reportOrder.indexOf(a.state) - reportOrder.indexOf(b.state) || a.lineNo - b.lineNo);
  const counts = emptyCounts();
  for (const l of lines) counts[l.state]++;
  return {
    ok: true,
    value: {
      id: imported.id,
      source: imported.source,
      filename: imported.filename,
      importedAt: imported.importedAt,
      importedBy: users.get(imported.importedBy)?.displayName ?? '—',
      counts,
      lines,
      all: view.all,
      mayDiscard,
    },
  };
}

export type DiscardOutcome = { ok: true } | { ok: false; code: 'forbidden' | 'not_found' | 'not_discardable' };

/**
 * PAY-11: staff of the central service mark a line `discarded` with their note (a test payment,
 * a line of another service, a duplicate refunded…), from `no_match`, `amount_mismatch` or
 * `already_paid`; a matched line is settled and stays. One update guarded by the state, so two
 * staff discarding at once write once. With its audit row.
 */
export async function discardStatementLine(deps: StatementDeps, input: { staff: Staff; importId: string; lineId: string; note: string }): Promise<DiscardOutcome> {
  const { db, clock } = deps;
  if (!mayImportStatements(input.staff.role)) return { ok: false, code: 'forbidden' };
  return db.transaction(async (tx) => {
    const [done] = await tx
      .update(statementLines)
      .set({ state: 'discarded', discardedBy: input.staff.id, note: input.note })
      .where(and(eq(statementLines.id, input.lineId), eq(statementLines.importId, input.importId), inArray(statementLines.state, [...discardable])))
      .returning({ id: statementLines.id, reference: statementLines.reference });
    if (!done) {
      const [exists] = await tx.select({ id: statementLines.id }).from(statementLines).where(and(eq(statementLines.id, input.lineId), eq(statementLines.importId, input.importId)));
      return { ok: false as const, code: exists ? ('not_discardable' as const) : ('not_found' as const) };
    }
    await audit(tx, clock, { action: 'statement.line_discarded', actorId: input.staff.id, subjectId: input.lineId, data: { importId: input.importId, reference: done.reference, note: input.note } });
    return { ok: true as const };
  });
}
