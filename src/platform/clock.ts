/**
 * The only source of "now" for domain and service code (DESIGN: cross-cutting rules). Tests and
 * the demo set it; production uses the system time.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that starts at `start` and moves with real time (the demo's "now"). */
export function offsetClock(start: Date): Clock {
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}

/** A clock that only moves when the test says so. */
export class FixedClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(date: Date): void {
    this.current = new Date(date);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const parisParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A wall time on Paris's clocks. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall time shown on Paris's clocks at `instant`. */
export function parisWallTime(instant: number): WallTime {
  const p = Object.fromEntries(parisParts.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

/** The day on Paris's clocks at `instant`, `YYYY-MM-DD` (a daily job's day: ACC-14's retention, SVC-8's snapshots). */
export function parisDay(instant: Date): string {
  const w = parisWallTime(instant.getTime());
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The wall time shown in Paris at `instant`, written as if it were UTC (to compare and subtract). */
function wallAsUtc(instant: number): number {
  const w = parisWallTime(instant);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant at which Paris clocks showed this wall time. Offsets are looked up a day either
 * side with Intl (a transition is never within a day of another), then each candidate is
 * checked: in the autumn hour shown twice, the first (summer-time) instant; in the spring hour
 * that is skipped, the time read with the offset in force before the change (02:30 → 01:30 UTC).
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

/** The instant of a day and time on Paris's clocks (a convocation's "le 12 janvier à 9 h 30", a period's opening). */
export function parisInstant(day: string, time: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  const [hour, minute, second = 0] = time.split(':').map(Number);
  return parisWallTimeToInstant({ year, month, day: date, hour, minute, second });
}

/** An instant as a day and a time on Paris's clocks: "2026-08-25T07:00:00Z" → "25/08/2026 09:00". */
export function parisDateTime(instant: Date): string {
  const p = Object.fromEntries(parisParts.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
