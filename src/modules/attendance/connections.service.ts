import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import { catalogueCode, type Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { parisInstant, type Clock } from '../../platform/clock';
import { findUserByEmail, getUsers } from '../accounts';
import { applicationsOf, roleMay } from '../applications';
import { lockSession, sessionsForApplications, sessionsInScope } from '../catalogue';
import { scopeOf } from '../scopes';
import type { ConnectionFact } from './attendance.rules';
import { connectionImports, connections } from './attendance.table';
import {
  checkConnectionLine,
  connectionColumns,
  enrolmentKey,
  MAX_CONNECTION_LINES,
  normaliseEmail,
  planConnections,
  type CheckedConnection,
  type ConnectionLine,
  type LineProblem,
  type SessionFacts,
} from './connections.rules';

/**
 * Issue 18, remote attendance (decision 030): the learning platform's connection hours, imported
 * from a CSV file (docs/attendance-import.md) by the staff page or `npm run cli -- import-connections`,
 * and read by `attendanceOf`. All or nothing: one bad line refuses the file with a line report,
 * and nothing is written. Append-only: a correction (`replace`) supersedes, never deletes.
 */

export interface ConnectionDeps {
  db: Db;
  clock: Clock;
}
/** Who imports: a staff member who takes registers (their scope), or null for the command line (every session). */
export type Importer = { id: string; role: Role } | null;

export type ConnectionImportResult =
  | { ok: true; importId: string; lines: number; added: number; unchanged: number; superseded: number }
  | { ok: false; code: 'forbidden' }
  | { ok: false; code: 'invalid'; problems: LineProblem[] };

/** The problems shown at most (a file of garbage would otherwise list thousands). */
export const MAX_PROBLEMS = 200;

const mayImport = (importer: Importer) => importer === null || roleMay(importer.role, 'markAttendance');
const refused = (problems: LineProblem[]): ConnectionImportResult => ({ ok: false, code: 'invalid', problems: problems.slice(0, MAX_PROBLEMS) });
const nextDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The file's text, or why it is none: empty, NUL bytes (the line of the first), not UTF-8, too many lines. */
export function decodeConnections(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: LineProblem } {
  if (bytes.length === 0) return { ok: false, problem: { line: 0, message: 'att.conn.err.empty' } };
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === 10) line++;
    return { ok: false, problem: { line, message: 'att.conn.err.nul' } };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problem: { line: 0, message: 'att.conn.err.encoding' } };
  }
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && lines <= MAX_CONNECTION_LINES + 1; i = text.indexOf('\n', i + 1)) lines++;
  if (lines > MAX_CONNECTION_LINES + 1) return { ok: false, problem: { line: 0, message: 'att.conn.err.tooMany', params: { max: MAX_CONNECTION_LINES } } };
  return { ok: true, text };
}

/** The file's lines by their columns, or its problems (not CSV, columns missing or unknown). */
export function readConnections(text: string): { ok: true; lines: ConnectionLine[] } | { ok: false; problems: LineProblem[] } {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = header.includes(';') && !header.includes(',') ? ';' : ',';
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(text, { columns: (names: string[]) => names.map((n) => n.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, delimiter, info: true, relax_column_count: false });
  } catch (error) {
    return { ok: false, problems: [{ line: (error as { lines?: number }).lines ?? 0, message: 'att.conn.err.csv' }] };
  }
  const names = header
    .replace(/^\uFEFF/, '')
    .split(delimiter)
    .map((n) => n.trim().replace(/^"|"$/g, '').toLowerCase());
  const missing = connectionColumns.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(connectionColumns as readonly string[]).includes(n));
  const problems: LineProblem[] = [];
  if (missing.length) problems.push({ line: 1, message: 'att.conn.err.missingColumns', params: { columns: missing.join(', ') } });
  if (unknown.length) problems.push({ line: 1, message: 'att.conn.err.unknownColumns', params: { columns: unknown.map((u) => u.slice(0, 40)).join(', ') } });
  if (problems.length) return { ok: false, problems };
  if (parsed.length === 0) return { ok: false, problems: [{ line: 0, message: 'att.conn.err.noLines' }] };
  if (parsed.length > MAX_CONNECTION_LINES) return { ok: false, problems: [{ line: 0, message: 'att.conn.err.tooMany', params: { max: MAX_CONNECTION_LINES } }] };
  return { ok: true, lines: parsed.map((p) => ({ line: p.info.lines, email: p.record.email ?? '', session: p.record.session ?? '', start: p.record.start ?? '', end: p.record.end ?? '' })) };
}

/** The sessions the file names, the enrolments in them and the learners' addresses, as the checks need them. */
async function factsFor(db: DbOrTx, importer: Importer, lines: readonly ConnectionLine[]) {
  const codes = [...new Set(lines.map((l) => l.session).filter((c) => catalogueCode.test(c)))];
  const found = await sessionsForApplications(db, { codes });
  const inScope = importer === null ? null : new Set((await sessionsInScope(db, await scopeOf(db, importer), { codes })).map((s) => s.id));
  const sessions = new Map<string, SessionFacts>();
  const enrolments = new Map<string, string>();
  for (const s of found) {
    const facts: SessionFacts = {
      id: s.id,
      mode: s.mode,
      from: parisInstant(s.firstMeeting, '00:00'),
      until: parisInstant(nextDay(s.lastMeeting), '00:00'),
      inScope: inScope === null || inScope.has(s.id),
    };
    sessions.set(s.code, facts);
    if (!facts.inScope || facts.mode === 'in_person') continue;
    // ATT-1's learners: those whose enrolment takes registers (they hold a place).
    const enrolled = await applicationsOf(db, { sessionId: s.id, action: 'markAttendance' });
    const users = await getUsers(db, [...new Set(enrolled.map((a) => a.learnerId))]);
    for (const a of enrolled) {
      const user = users.get(a.learnerId);
      if (user) enrolments.set(enrolmentKey(s.id, user.email), a.id);
    }
  }
  // "Unknown" or "not enrolled": the addresses no enrolment matched, looked up one by one (a bad file's few).
  const knownEmails = new Set<string>();
  const unmatched = [...new Set(lines.filter((l) => { const s = sessions.get(l.session); return s && !enrolments.has(enrolmentKey(s.id, l.email)); }).map((l) => normaliseEmail(l.email)))].filter((e) => e !== '' && e.length <= 254);
  for (const email of unmatched.slice(0, MAX_PROBLEMS)) if (await findUserByEmail(db, email)) knownEmails.add(email);
  return { sessions, enrolments, knownEmails };
}

/**
 * Issue 18: imports a connection-hours file. Checked whole first (columns, learners, sessions in
 * the importer's scope and not in person, dates, overlaps within the file and with what is
 * recorded), then written in one transaction under the sessions' locks, with the import's row
 * and an audit entry; or nothing, with the line report. The same file again adds nothing
 * (`unchanged`); `replace` supersedes the recorded connections of the enrolments it names.
 */
export async function importConnections(deps: ConnectionDeps, input: { importer: Importer; fileName: string; content: Uint8Array; replace: boolean }): Promise<ConnectionImportResult> {
  const { db, clock } = deps;
  if (!mayImport(input.importer)) return { ok: false, code: 'forbidden' };
  const decoded = decodeConnections(input.content);
  if (!decoded.ok) return refused([decoded.problem]);
  const read = readConnections(decoded.text);
  if (!read.ok) return refused(read.problems);
  const facts = await factsFor(db, input.importer, read.lines);
  const problems: LineProblem[] = [];
  const rows: CheckedConnection[] = [];
  for (const line of read.lines) {
    const checked = checkConnectionLine(line, facts);
    if (checked.ok) rows.push(checked.row);
    else problems.push(...checked.problems);
  }
  if (problems.length) return refused(problems);
  const sha256 = createHash('sha256').update(input.content).digest('hex');
  return db.transaction(async (tx) => {
    const sessionIds = [...new Set(rows.map((r) => r.sessionId))].sort((a, b) => a - b);
    // Two imports of one session are serialised: the overlap check sees what the other wrote.
    for (const id of sessionIds) await lockSession(tx, id);
    const applicationIds = [...new Set(rows.map((r) => r.applicationId))];
    const existing = await currentConnectionRows(tx, applicationIds);
    const planned = planConnections(rows, existing, input.replace);
    if (!planned.ok) return refused(planned.problems);
    const { plan } = planned;
    const superseded = existing.filter((e) => plan.supersede.includes(e.applicationId)).length;
    const [row] = await tx
      .insert(connectionImports)
      .values({
        importedBy: input.importer?.id ?? null,
        importedAt: clock.now(),
        fileName: input.fileName.slice(0, 200),
        sha256,
        replace: input.replace,
        lines: rows.length,
        added: plan.add.length,
        unchanged: plan.unchanged.length,
        superseded,
      })
      .returning({ id: connectionImports.id });
    if (plan.supersede.length)
      for (let i = 0; i < plan.supersede.length; i += 1_000)
        await tx
          .update(connections)
          .set({ supersededBy: row.id })
          .where(and(inArray(connections.applicationId, plan.supersede.slice(i, i + 1_000)), isNull(connections.supersededBy)));
    for (let i = 0; i < plan.add.length; i += 1_000)
      await tx.insert(connections).values(
        plan.add.slice(i, i + 1_000).map((r) => ({ importId: row.id, applicationId: r.applicationId, sessionId: r.sessionId, startsAt: r.startsAt, endsAt: r.endsAt, minutes: r.minutes })),
      );
    await audit(tx, clock, {
      action: 'attendance.connectionsImported',
      actorId: input.importer?.id ?? null,
      subjectId: row.id,
      data: { file: input.fileName.slice(0, 200), sha256, replace: input.replace, sessions: sessionIds, lines: rows.length, added: plan.add.length, unchanged: plan.unchanged.length, superseded },
    });
    return { ok: true as const, importId: row.id, lines: rows.length, added: plan.add.length, unchanged: plan.unchanged.length, superseded };
  });
}

async function currentConnectionRows(db: DbOrTx, applicationIds: readonly string[]) {
  if (applicationIds.length === 0) return [];
  return db
    .select({ applicationId: connections.applicationId, startsAt: connections.startsAt, endsAt: connections.endsAt, minutes: connections.minutes })
    .from(connections)
    .where(and(inArray(connections.applicationId, [...applicationIds]), isNull(connections.supersededBy)))
    .orderBy(asc(connections.applicationId), asc(connections.startsAt));
}

/** Issue 18: the current connections (not superseded) of these enrolments, oldest first. */
export async function currentConnections(db: DbOrTx, applicationIds: readonly string[]): Promise<Map<string, (ConnectionFact & { minutes: number })[]>> {
  const result = new Map<string, (ConnectionFact & { minutes: number })[]>(applicationIds.map((id) => [id, []]));
  for (const row of await currentConnectionRows(db, applicationIds)) result.get(row.applicationId)?.push({ startsAt: row.startsAt, endsAt: row.endsAt, minutes: row.minutes });
  return result;
}

/** The imports of connection hours, newest first (the staff page's list): what each changed. */
export async function recentConnectionImports(db: DbOrTx, importer: { id: string; role: Role }, limit = 20) {
  // An administrator sees every import; another staff member, their own.
  return db
    .select()
    .from(connectionImports)
    .where(importer.role === 'admin' ? undefined : eq(connectionImports.importedBy, importer.id))
    .orderBy(desc(connectionImports.importedAt), desc(connectionImports.id))
    .limit(limit);
}
