import { stringify } from 'csv-stringify/sync';

/**
 * A CSV file for a spreadsheet, the one way the app writes one: UTF-8 with a BOM (so Excel reads
 * the accents), and formulas neutralised: a cell starting with = + - @ (or a tab or a carriage
 * return) gets a leading ' and a spreadsheet shows it as text instead of running it (a course
 * title such as =HYPERLINK(…) typed by someone). Numbers stay numbers. The open-data files
 * (SVC-8) may ask for `;` between cells (a spreadsheet set to French) or no BOM (some scripts).
 */
export function csvFile(rows: readonly (readonly (string | number | null | undefined)[])[], options: { delimiter?: ',' | ';'; bom?: boolean } = {}): string {
  return stringify(rows as (string | number | null | undefined)[][], { bom: options.bom ?? true, escape_formulas: true, delimiter: options.delimiter ?? ',' });
}
