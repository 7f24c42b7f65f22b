import { createHash } from 'node:crypto';
import type { Db } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { csvFile } from '../../platform/csv';
import { catalogueRows, type CatalogueRow, type SearchFilters } from '../catalogue';
import { courseColumns, coursesOf, sessionColumns, table, type OpenDataFile } from './csv.rules';
import type { CsvOptions } from './csv.schema';

export interface CsvDeps {
  db: Db;
  clock: Clock;
  /** The site's address: the files link each line to its course sheet. */
  baseUrl: string;
}

export interface CsvBody {
  body: Buffer;
  /** Lines, header aside. */
  rows: number;
  sha256: string;
}

/** Every filter off: the whole catalogue, as the snapshots hold it. */
export const everything: SearchFilters = { q: '', onlyOpen: false, weekdays: [], times: [], page: 1 };

/**
 * SVC-8: a file of the catalogue as it is now, with the catalogue's filters: `sessions` (one line
 * a session, its free places and meetings) or `formations` (one line a course, from the same
 * sessions). The lines are the catalogue search's (`catalogueRows`: its query, its free places),
 * written by `platform/csv` (formulas neutralised; BOM and separator as asked).
 */
export async function catalogueCsv(deps: CsvDeps, file: OpenDataFile, filters: SearchFilters, options: CsvOptions = { separator: ',', bom: true }): Promise<CsvBody> {
  // The courses' file lists no meeting: they are not computed for it.
  return await csvOf(deps.baseUrl, file, await catalogueRows(deps.db, deps.clock, filters, { meetings: file === 'sessions' }), options);
}

/** Lines written per turn of the event loop (a large catalogue's file takes a while to write). */
const LINES_PER_TURN = 500;

/** A file from catalogue rows already read (the snapshot reads them once for both files). */
export async function csvOf(baseUrl: string, file: OpenDataFile, sessions: CatalogueRow[], options: CsvOptions = { separator: ',', bom: true }): Promise<CsvBody> {
  const lines = file === 'sessions' ? table(sessionColumns(baseUrl), sessions) : table(courseColumns(baseUrl), coursesOf(sessions));
  // `platform/csv` ends every line with its line break: chunks written one after the other make the same file.
  const parts: Buffer[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_TURN) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    parts.push(Buffer.from(csvFile(lines.slice(i, i + LINES_PER_TURN), { delimiter: options.separator, bom: options.bom && i === 0 }), 'utf8'));
  }
  const body = Buffer.concat(parts);
  return { body, rows: lines.length - 1, sha256: createHash('sha256').update(body).digest('hex') };
}
