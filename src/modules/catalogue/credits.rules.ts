/**
 * CRED-1, CRED-2: teaching units (UE) and their ECTS credits, pure rules (seed 004, the Cnam FAQ).
 *
 * « Chaque UE correspond à un nombre de crédits ECTS (4, 6, 8 ou 12 crédits ECTS) correspondant à
 * un volume de formation. En moyenne, 4 crédits = 40 heures, 8 crédits = 65 heures et 12 crédits =
 * 100 heures. » SPEC: about 10 hours a credit. The FAQ's own averages give 8.1 to 10 hours a credit,
 * so a unit's hourly volume is accepted from 8 to 12 hours a credit (docs/decisions/022).
 */

/** The credits a unit may be worth. */
export const ectsCreditValues = [4, 6, 8, 12] as const;
export type EctsCredits = (typeof ectsCreditValues)[number];

/** The hours a credit may stand for, inclusive. */
export const HOURS_PER_CREDIT = { min: 8, max: 12 } as const;

/** The two semesters: the first from mid-October to mid-January, the second from mid-February to the end of May. */
export const semesters = [1, 2] as const;
export type Semester = (typeof semesters)[number];
/** Month-day (MM-DD) bounds of each semester; the first one crosses the new year. */
export const semesterBounds: Record<Semester, { from: string; to: string }> = {
  1: { from: '10-15', to: '01-15' },
  2: { from: '02-15', to: '05-31' },
};

export function isEctsCredits(value: number): value is EctsCredits {
  return (ectsCreditValues as readonly number[]).includes(value);
}

export type CreditsCheck =
  | { ok: true }
  | { ok: false; code: 'CRED-1'; message: 'cred.err.creditsValue' | 'cred.err.hoursForCredits'; params?: Record<string, number> };

/**
 * CRED-1: a unit's credits are 4, 6, 8 or 12, and its hourly volume about 10 hours a credit
 * (HOURS_PER_CREDIT); the message says which hours would fit.
 */
export function checkUnitCredits(credits: number, hourlyVolume: number): CreditsCheck {
  if (!isEctsCredits(credits)) return { ok: false, code: 'CRED-1', message: 'cred.err.creditsValue' };
  const min = credits * HOURS_PER_CREDIT.min;
  const max = credits * HOURS_PER_CREDIT.max;
  if (hourlyVolume < min || hourlyVolume > max) return { ok: false, code: 'CRED-1', message: 'cred.err.hoursForCredits', params: { credits, hours: hourlyVolume, min, max } };
  return { ok: true };
}

/**
 * CRED-2: the semester a day (YYYY-MM-DD, Paris) falls in, or null between semesters (mid-January
 * to mid-February, June to mid-October).
 */
export function semesterOf(day: string): Semester | null {
  const md = day.slice(5);
  if (md >= semesterBounds[1].from || md <= semesterBounds[1].to) return 1;
  if (md >= semesterBounds[2].from && md <= semesterBounds[2].to) return 2;
  return null;
}

/**
 * CRED-2: the next semester to start after a day, and the day it starts: what a learner can
 * enrol in next (the semester under way has begun: the next one is the other).
 */
export function nextSemester(day: string): { semester: Semester; startsOn: string } {
  const year = Number(day.slice(0, 4));
  const md = day.slice(5);
  if (md < semesterBounds[2].from) {
    // Before mid-February: the second semester of this year, unless the first is still to start (never: it started last October).
    return { semester: 2, startsOn: `${year}-${semesterBounds[2].from}` };
  }
  if (md < semesterBounds[1].from) return { semester: 1, startsOn: `${year}-${semesterBounds[1].from}` };
  return { semester: 2, startsOn: `${year + 1}-${semesterBounds[2].from}` };
}
