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
});

/** The instant of a day and time on Paris's clocks (a convocation's "le 12 janvier à 9 h 30", a period's opening). */
export function parisInstant(day: string, time: string): Date {
  const guess = new Date(`${day}T${time}:00Z`);
  const p = Object.fromEntries(parisParts.formatToParts(guess).map((x) => [x.type, x.value]));
  const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return new Date(guess.getTime() - (shown - guess.getTime()));
}

/** An instant as a day and a time on Paris's clocks: "2026-08-25T07:00:00Z" → "25/08/2026 09:00". */
export function parisDateTime(instant: Date): string {
  const p = Object.fromEntries(parisParts.formatToParts(instant).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
