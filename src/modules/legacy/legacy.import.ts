import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { translator, type Locale } from '../../platform/i18n';
import { catalogueIds } from '../catalogue';
import { checkAccountLine, checkEnrolmentLine, fileKindOf, legacyColumns, type LegacyAccountRow, type LegacyEnrolmentRow, type LegacyFileKind, type LineProblem } from './legacy.rules';
import { legacyAccounts, legacyEnrolments, legacyImports } from './legacy.table';

/**
 * ACC-9: `npm run cli -- import-legacy FILE…`: the former accounts and their past enrolments from
 * the CSV files of docs/legacy-import.md. **All or nothing**: every line of every file is checked
 * (its columns, the hash's scheme, duplicate emails, the courses matched by code, the dates), and
 * one bad line refuses everything, with a report naming each bad line. Accepted, the files are
 * written in one transaction. The same files again are refused (their digest, and every address
 * "already imported"): an import never updates what an earlier one wrote, which may be linked.
 */

export interface LegacyFile {
  /** The name the report uses (the file's base name). */
  name: string;
  content: Buffer;
}

export interface ImportProblem {
  file: string;
  /** The line in the file (1 is the header; 0: the file as a whole). */
  line: number;
  message: string;
}

export type LegacyImportReport = { ok: true; importId: number; accounts: number; enrolments: number } | { ok: false; problems: ImportProblem[] };

/** UTF-8 (with or without its BOM) when the bytes are UTF-8; else Windows-1252, which old exports from Excel use. */
export function decodeCsv(bytes: Buffer): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

interface ParsedLine {
  file: string;
  line: number;
  record: Record<string, string>;
}

function readFile(file: LegacyFile, say: (p: LineProblem) => string, problems: ImportProblem[]): { kind: LegacyFileKind; lines: ParsedLine[] } | null {
  const { text } = decodeCsv(file.content);
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  // French spreadsheets save CSV with semicolons: the header line tells which.
  const delimiter = header.includes(';') && !header.includes(',') ? ';' : ',';
  let parsed: { record: Record<string, string>; info: { lines: number } }[];
  try {
    parsed = parse(text, { columns: (names: string[]) => names.map((n) => n.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true, delimiter, info: true });
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 0;
    problems.push({ file: file.name, line, message: say({ message: 'legacy.import.err.csv', params: { detail: error instanceof Error ? error.message : String(error) } }) });
    return null;
  }
  const names = header
    .replace(/^\uFEFF/, '')
    .split(delimiter)
    .map((n) => n.trim().replace(/^"|"$/g, '').toLowerCase());
  const kind = fileKindOf(names);
  if (!kind) {
    problems.push({ file: file.name, line: 1, message: say({ message: 'legacy.import.err.kind' }) });
    return null;
  }
  const known = new Set<string>([...legacyColumns[kind].required, ...legacyColumns[kind].optional]);
  const missing = legacyColumns[kind].required.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !known.has(n));
  if (missing.length) problems.push({ file: file.name, line: 1, message: say({ message: 'legacy.import.err.missingColumns', params: { columns: missing.join(', ') } }) });
  if (unknown.length) problems.push({ file: file.name, line: 1, message: say({ message: 'legacy.import.err.unknownColumns', params: { columns: unknown.join(', ') } }) });
  if (missing.length || unknown.length) return null;
  // info.lines is the line where the record ends: a quoted field may hold line breaks.
  return { kind, lines: parsed.map((p) => ({ file: file.name, line: p.info.lines, record: p.record })) };
}

/** The same files, whatever their order or names: the SHA-256 of their sorted contents' SHA-256. */
export function filesDigest(files: readonly LegacyFile[]): string {
  const each = files.map((f) => createHash('sha256').update(f.content).digest('hex')).sort();
  return createHash('sha256').update(each.join('\n')).digest('hex');
}

const CHUNK = 500;

/**
 * ACC-9: checks the files whole, then writes them in one transaction, or nothing. `locale` is the
 * report's language (the command line speaks English). Raises nothing for bad input: it is in the report.
 */
export async function importLegacyFiles(deps: { db: Db; clock: Clock }, files: readonly LegacyFile[], locale: Locale = 'en'): Promise<LegacyImportReport> {
  const t = translator(locale);
  const say = (p: LineProblem) => (p.column ? `${p.column}: ` : '') + t(p.message, p.params);
  const problems: ImportProblem[] = [];
  const at = (l: ParsedLine, p: LineProblem[]) => problems.push({ file: l.file, line: l.line, message: p.map(say).join('; ') });
  if (files.length === 0) return { ok: false, problems: [{ file: '', line: 0, message: t('legacy.import.err.noFile') }] };

  const accounts: { line: ParsedLine; row: LegacyAccountRow }[] = [];
  const enrolments: { line: ParsedLine; row: LegacyEnrolmentRow }[] = [];
  for (const file of files) {
    const read = readFile(file, say, problems);
    if (!read) continue;
    if (read.lines.length === 0) problems.push({ file: file.name, line: 0, message: t('legacy.import.err.empty') });
    for (const line of read.lines) {
      const checked = read.kind === 'accounts' ? checkAccountLine(line.record) : checkEnrolmentLine(line.record);
      if (!checked.ok) at(line, checked.problems);
      else if (read.kind === 'accounts') accounts.push({ line, row: checked.row as LegacyAccountRow });
      else enrolments.push({ line, row: checked.row as LegacyEnrolmentRow });
    }
  }
  if (accounts.length === 0 && !problems.length) problems.push({ file: files[0].name, line: 0, message: t('legacy.import.err.noAccounts') });

  // Duplicate addresses across the files: each later line names the first.
  const firstOf = new Map<string, ParsedLine>();
  for (const a of accounts) {
    const first = firstOf.get(a.row.email);
    if (first) at(a.line, [{ column: 'email', message: 'legacy.import.err.duplicate', params: { where: `${first.file}:${first.line}` } }]);
    else firstOf.set(a.row.email, a.line);
  }
  // An enrolment belongs to an account of the same import.
  for (const e of enrolments) if (!firstOf.has(e.row.email)) at(e.line, [{ column: 'email', message: 'legacy.import.err.noSuchAccount' }]);

  const { db, clock } = deps;
  const digest = filesDigest(files);
  return db.transaction(async (tx) => {
    // One import at a time: the checks against what is stored hold until the commit.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('legacy-import', 0))`);
    const [earlier] = await tx.select().from(legacyImports).where(sql`${legacyImports.digest} = ${digest}`);
    const same = earlier
      ? [{ file: files.map((f) => f.name).join(', '), line: 0, message: t('legacy.import.err.sameFiles', { id: earlier.id, date: earlier.importedAt.toISOString().slice(0, 16).replace('T', ' ') }) }]
      : [];
    const emails = [...firstOf.keys()];
    const stored = new Set<string>();
    for (let i = 0; i < emails.length; i += CHUNK)
      for (const r of await tx.select({ email: legacyAccounts.email }).from(legacyAccounts).where(inArray(legacyAccounts.email, emails.slice(i, i + CHUNK)))) stored.add(r.email);
    for (const a of accounts) if (stored.has(a.row.email) && firstOf.get(a.row.email) === a.line) at(a.line, [{ column: 'email', message: 'legacy.import.err.alreadyImported' }]);
    const codes = [...new Set(enrolments.map((e) => e.row.courseCode))];
    const courseIds = codes.length ? (await catalogueIds(tx, { courses: codes })).courses : new Map<string, number>();
    for (const e of enrolments) if (!courseIds.has(e.row.courseCode)) at(e.line, [{ column: 'course_code', message: 'legacy.import.err.unknownCourse', params: { code: e.row.courseCode } }]);
    if (problems.length || same.length) return { ok: false as const, problems: [...same, ...sortProblems(problems)] };

    const now = clock.now();
    const [made] = await tx
      .insert(legacyImports)
      .values({ files: files.map((f) => f.name).join(', '), digest, accounts: accounts.length, enrolments: enrolments.length, importedAt: now })
      .returning({ id: legacyImports.id });
    const idOf = new Map<string, string>();
    for (let i = 0; i < accounts.length; i += CHUNK) {
      const rows = await tx
        .insert(legacyAccounts)
        .values(accounts.slice(i, i + CHUNK).map(({ row }) => ({ ...row, importId: made.id, importedAt: now })))
        .returning({ id: legacyAccounts.id, email: legacyAccounts.email });
      for (const r of rows) idOf.set(r.email, r.id);
    }
    for (let i = 0; i < enrolments.length; i += CHUNK)
      await tx.insert(legacyEnrolments).values(
        enrolments.slice(i, i + CHUNK).map(({ row }) => ({
          legacyAccountId: idOf.get(row.email)!,
          courseId: courseIds.get(row.courseCode)!,
          school: row.school,
          period: row.period,
          startedOn: row.startedOn,
          endedOn: row.endedOn,
          attendancePercent: row.attendancePercent,
          attendanceCertified: row.attendanceCertified,
          outcome: row.outcome,
          certificateOn: row.certificateOn,
          certificateNumber: row.certificateNumber,
        })),
      );
    return { ok: true as const, importId: made.id, accounts: accounts.length, enrolments: enrolments.length };
  });
}

const sortProblems = (problems: ImportProblem[]) => [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
