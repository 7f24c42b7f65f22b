import { parisWallTime, parisWallTimeToInstant } from '../../../platform/clock';

/**
 * PayFiP gives the time of a payment as Paris wall-clock time (`dattrans` DDMMYYYY, `heurtrans`
 * HHMM), without an offset. Reading it needs Europe/Paris's rules, summer time included: Intl
 * has them (the ICU time-zone data Node ships), so no date package.
 */

export { parisWallTimeToInstant };

/**
 * PayFiP's `dattrans` (DDMMYYYY) and `heurtrans` (HHMM, or HHMMSS) → the instant, or undefined
 * when they are not a real date and time.
 */
export function payfipDateTime(dattrans: string, heurtrans: string): Date | undefined {
  const date = /^(\d{2})(\d{2})(\d{4})$/.exec(dattrans.trim());
  const time = /^(\d{2})(\d{2})(\d{2})?$/.exec(heurtrans.trim());
  if (!date || !time) return undefined;
  const wall = {
    day: Number(date[1]),
    month: Number(date[2]),
    year: Number(date[3]),
    hour: Number(time[1]),
    minute: Number(time[2]),
    second: Number(time[3] ?? '0'),
  };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return undefined;
  // 31 February and the like: Date.UTC would roll them over.
  const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day) return undefined;
  return parisWallTimeToInstant(wall);
}

const two = (n: number) => String(n).padStart(2, '0');

/** An instant as PayFiP writes it: Paris wall time, `dattrans` DDMMYYYY and `heurtrans` HHMM. */
export function toPayfipDateTime(instant: Date): { dattrans: string; heurtrans: string } {
  const w = parisWallTime(instant.getTime());
  return { dattrans: `${two(w.day)}${two(w.month)}${w.year}`, heurtrans: `${two(w.hour)}${two(w.minute)}` };
}

/** The year on Paris's calendar at `instant` (PayFiP's `exer`, the budget year). */
export function parisYear(instant: Date): number {
  return parisWallTime(instant.getTime()).year;
}
