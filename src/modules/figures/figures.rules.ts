/**
 * SVC-6: the pure rules of the figures — what a total is, the fill rate, the attendance, and how
 * a bar chart is scaled. The service gives them counts read in SQL; the views draw what they say.
 */

/** The counts of one session, or of a group of sessions once summed (`addCounts`). */
export interface Counts {
  sessions: number;
  capacity: number;
  applications: number;
  accepted: number;
  refused: number;
  waitlisted: number;
  waiting: number;
  holding: number;
  offersMade: number;
  offersOpen: number;
  paidCount: number;
  paidCents: number;
  fullCount: number;
  fullCents: number;
  halfCount: number;
  halfCents: number;
  /** PAY-9, SVC-2: refunds granted in the period, and refunds the cash office paid back in it. */
  refundsGranted: number;
  grantedCents: number;
  refundsPaid: number;
  refundedCents: number;
  attendedMinutes: number;
  plannedMinutes: number;
  attendanceCertificates: number;
  skillsCertificates: number;
}

export const countKeys = [
  'sessions',
  'capacity',
  'applications',
  'accepted',
  'refused',
  'waitlisted',
  'waiting',
  'holding',
  'offersMade',
  'offersOpen',
  'paidCount',
  'paidCents',
  'fullCount',
  'fullCents',
  'halfCount',
  'halfCents',
  'refundsGranted',
  'grantedCents',
  'refundsPaid',
  'refundedCents',
  'attendedMinutes',
  'plannedMinutes',
  'attendanceCertificates',
  'skillsCertificates',
] as const satisfies readonly (keyof Counts)[];

export const emptyCounts = (): Counts => Object.fromEntries(countKeys.map((k) => [k, 0])) as unknown as Counts;

/** A group's counts are the sums of its sessions' (rates are computed from the sums, never averaged). */
export function addCounts(a: Counts, b: Counts): Counts {
  const sum = emptyCounts();
  for (const key of countKeys) sum[key] = a[key] + b[key];
  return sum;
}

/** One line of a breakdown: a school, a domain or a session, with its counts. */
export interface Group {
  key: string;
  label: string;
  counts: Counts;
}

/**
 * Sessions summed by what `keyOf` says (their school, their domain), sorted by label in French
 * order; a session with no figures still counts its capacity.
 */
export function rollUp<S>(items: readonly S[], keyOf: (item: S) => { key: string; label: string }, countsOf: (item: S) => Counts): Group[] {
  const groups = new Map<string, Group>();
  for (const item of items) {
    const { key, label } = keyOf(item);
    const group = groups.get(key) ?? { key, label, counts: emptyCounts() };
    group.counts = addCounts(group.counts, countsOf(item));
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => a.label.localeCompare(b.label, 'fr') || a.key.localeCompare(b.key));
}

export const total = (groups: readonly Group[]): Counts => groups.reduce((sum, g) => addCounts(sum, g.counts), emptyCounts());

/**
 * A share in whole percent, rounded down (as attendance is shown: 74.9 % is never "75 %", a
 * session one place short is never "100 %"), in integers so that 29/100 is 29, not 28; null
 * when there is nothing to divide by.
 */
export function percentDown(part: number, whole: number): number | null {
  if (!(whole > 0)) return null;
  return Math.floor((part * 100) / whole);
}

/** SVC-6: the fill rate: places held (accepted, awaiting payment, enrolled) over the capacity. Over 100 % when a capacity was lowered. */
export const fillRate = (c: Pick<Counts, 'holding' | 'capacity'>): number | null => percentDown(c.holding, c.capacity);

/** ATT-1's percentage over every mark counted: minutes attended over minutes planned. */
export const attendanceRate = (c: Pick<Counts, 'attendedMinutes' | 'plannedMinutes'>): number | null => percentDown(c.attendedMinutes, c.plannedMinutes);

/** Of the decisions taken (accepted or refused), the share accepted. */
export const acceptanceRate = (c: Pick<Counts, 'accepted' | 'refused'>): number | null => percentDown(c.accepted, c.accepted + c.refused);

/**
 * The end of a bar chart's scale: for counts, the first of 1, 2, 5 × 10^n at or above the largest
 * value (so a scale reads in round numbers); for percentages, 100 — or more when a value is over.
 */
export function scaleMax(values: readonly number[], kind: 'count' | 'percent'): number {
  const largest = Math.max(0, ...values.filter((v) => Number.isFinite(v)));
  if (kind === 'percent' && largest <= 100) return 100;
  if (largest <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 5, 10]) if (step * power >= largest) return step * power;
  return 10 * power;
}

/**
 * Each value's bar length out of `length` units on a scale ending at `max`: proportional, never
 * past the end, and at least `minimum` for a value above zero (a small number stays visible next
 * to a zero, which has no bar at all).
 */
export function barLengths(values: readonly number[], max: number, length: number, minimum = 2): number[] {
  return values.map((v) => {
    if (!(v > 0) || !(max > 0)) return 0;
    return Math.min(length, Math.max(minimum, Math.round((v / max) * length)));
  });
}
