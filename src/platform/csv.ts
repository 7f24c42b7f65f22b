import { stringify } from 'csv-stringify/sync';

/**
 * A CSV file for a spreadsheet, the one way the app writes one: UTF-8 with a BOM (so Excel reads
 * the accents), and formulas neutralised: a cell starting with = + - @ (or a tab or a carriage
 * return) gets a leading ' and a spreadsheet shows it as text instead of running it (a course
 * title such as =HYPERLINK(…) typed by someone). Numbers stay numbers.
 */
export function csvFile(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return stringify(rows as (string | number | null | undefined)[][], { bom: true, escape_formulas: true });
}
