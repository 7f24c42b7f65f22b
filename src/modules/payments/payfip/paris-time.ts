/**
 * PayFiP gives the time of a payment as Paris wall-clock time (`dattrans` DDMMYYYY, `heurtrans`
 * HHMM), without an offset. Reading it needs Europe/Paris's rules, summer time included: Intl
 * has them (the ICU time-zone data Node ships), so no date package.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const parisFields = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parisWallTime(instant: number): WallTime {
  const parts = Object.fromEntries(parisFields.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The wall time shown in Paris at `instant`, written as if it were UTC (to compare and subtract). */
function wallAsUtc(instant: number): number {
  const w = parisWallTime(instant);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant at which Paris clocks showed this wall time. Offsets are looked up around it with
 * Intl (a transition is never within a day of another), then each candidate is checked: in the
 * autumn hour shown twice, the first (summer-time) instant; in the spring hour that is skipped,
 * the time read with the offset in force before the change (02:30 → 01:30 UTC, shown 03:30).
 */
export function parisWallTimeToInstant(wall: WallTime): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const before = wallAsUtc(asUtc - DAY) - (asUtc - DAY);
  const after = wallAsUtc(asUtc + DAY) - (asUtc + DAY);
  const matching = [...new Set([before, after])]
    .map((offset) => asUtc - offset)
    .filter((instant) => wallAsUtc(instant) === asUtc)
    .sort((a, b) => a - b);
  return new Date(matching[0] ?? asUtc - before);
}

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
