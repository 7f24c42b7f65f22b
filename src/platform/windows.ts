import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * A window of time, [from, until): either end may be open. The figures (SVC-6) ask each module
 * for what happened in the period asked; every module reads its window with `within`.
 */
export interface TimeWindow {
  from?: Date;
  until?: Date;
}

/** The SQL condition "this instant falls in the window" (`true` for an open end). */
export const within = (column: AnyColumn | SQL, window: TimeWindow): SQL =>
  sql`${window.from ? sql`${column} >= ${window.from}` : sql`true`} and ${window.until ? sql`${column} < ${window.until}` : sql`true`}`;

/** What the figures ask of a module: these sessions, in this window. */
export interface FigureWindow extends TimeWindow {
  sessionIds: readonly number[];
}
