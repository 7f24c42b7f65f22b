import { z } from 'zod';
import { catalogueCode, modes, rhythms, timesOfDay } from '../../domain/vocabulary';
import { printable } from '../../platform/routes';
import type { SearchFilters } from '../catalogue';
import { fileOfName, isCalendarDay, separators, type Separator } from './csv.rules';

/**
 * SVC-8: the query string of the live CSV files, `/donnees-ouvertes/catalogue/sessions.csv?…`:
 * the catalogue search's own filter names (`/recherche?periode=…&domaine=…`), so a search's
 * address becomes its file by changing the path, and the file's options. A parameter the files do
 * not know, one given twice (but `jour` and `horaire`, which are lists on the search page too), a
 * value out of its list or with a control character: the 400 page (platform/routes).
 */

const code = printable(60).regex(catalogueCode).optional();
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional();
/** A list as the search page sends it: `jour=1&jour=4` (one value is a string, several an array). */
const list = <T extends z.ZodType>(item: T) =>
  z
    .union([item, z.array(item).max(7)])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v]) as z.output<T>[]);

export const csvQuery = z
  .object({
    q: printable(200).optional(),
    /** CAT-3: only the sessions whose applications are open now (`ouvertes=1`, as on the search page). */
    ouvertes: z.literal('1').optional(),
    domaine: code,
    periode: code,
    etablissement: code,
    arrondissement: z
      .string()
      .regex(/^(?:[1-9]|1\d|20)$/)
      .transform(Number)
      .optional(),
    rythme: oneOf(rhythms),
    mode: oneOf(modes),
    jour: list(z.enum(['1', '2', '3', '4', '5', '6', '7']).transform(Number)),
    horaire: list(z.enum(timesOfDay)),
    /** `;` for a spreadsheet set to French (`?separateur=;`, or `%3B`); `,` is the default. */
    separateur: z.enum(separators).optional(),
    /** `bom=0`: without the byte-order mark (some scripts prefer it so); with it by default, for spreadsheets. */
    bom: z.enum(['0', '1']).optional(),
  })
  .strict();

export type CsvQuery = z.output<typeof csvQuery>;

/** The catalogue's filters of a query (its page is not one: a file has every line). */
export function filtersOfQuery(query: CsvQuery): SearchFilters {
  return {
    q: query.q?.trim() ?? '',
    onlyOpen: query.ouvertes === '1',
    domain: query.domaine,
    period: query.periode,
    school: query.etablissement,
    arrondissement: query.arrondissement,
    rhythm: query.rythme,
    mode: query.mode,
    weekdays: [...query.jour].sort(),
    times: query.horaire,
    page: 1,
  };
}

export interface CsvOptions {
  separator: Separator;
  bom: boolean;
}

export const optionsOfQuery = (query: CsvQuery): CsvOptions => ({ separator: query.separateur ?? ',', bom: query.bom !== '0' });

/** The path of a dated or the latest file: `/donnees-ouvertes/2026-12-02/sessions.csv`. */
export const datedParams = z.object({ day: printable(10).refine(isCalendarDay, 'not a day'), file: printable(20).refine((f) => fileOfName(f) !== null, 'not a file') });
export const latestParams = z.object({ file: printable(20).refine((f) => fileOfName(f) !== null, 'not a file') });
