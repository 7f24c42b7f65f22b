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
  return csvOf(deps.baseUrl, file, await catalogueRows(deps.db, deps.clock, filters, { meetings: file === 'sessions' }), options);
}

/** A file from catalogue rows already read (the snapshot reads them once for both files). */
export function csvOf(baseUrl: string, file: OpenDataFile, sessions: CatalogueRow[], options: CsvOptions = { separator: ',', bom: true }): CsvBody {
  const lines = file === 'sessions' ? table(sessionColumns(baseUrl), sessions) : table(courseColumns(baseUrl), coursesOf(sessions));
  const body = Buffer.from(csvFile(lines, { delimiter: options.separator, bom: options.bom }), 'utf8');
  return { body, rows: lines.length - 1, sha256: createHash('sha256').update(body).digest('hex') };
}
