import { fundingSources, type FundingSource, type PriceBasis } from '../../domain/vocabulary';

/**
 * Pure rules of an enrolment's funding (CRED-5) and of the FAQ's advice on units a semester
 * (CRED-2). No I/O: the price list comes from the payments module's table, the units from the
 * catalogue.
 */

/** CRED-5: one line of the price list: a source's amount, per ECTS credit or per unit, in integer cents. */
export interface PriceLine {
  source: FundingSource;
  basis: PriceBasis;
  amountCents: number;
}

/** The most a line may say (per credit or per unit): 5 000 €, so that 12 credits stay far below the payments' ceiling. */
export const MAX_PRICE_CENTS = 500_000;

/**
 * CRED-5: the price list a new installation starts with, until the administrator sets it (the
 * Cnam's own grid is per credit, with a lower individual rate than the funders' rate).
 */
export const defaultPrices: Readonly<Record<FundingSource, PriceLine>> = {
  personal: { source: 'personal', basis: 'credit', amountCents: 4_000 },
  cpf: { source: 'cpf', basis: 'credit', amountCents: 8_000 },
  region: { source: 'region', basis: 'credit', amountCents: 8_000 },
  aif: { source: 'aif', basis: 'credit', amountCents: 8_000 },
  employer: { source: 'employer', basis: 'credit', amountCents: 12_000 },
};

/** The whole price list: the lines set, and the defaults for the sources never set. */
export function priceList(lines: readonly PriceLine[]): Record<FundingSource, PriceLine> {
  const set = new Map(lines.map((l) => [l.source, l]));
  return Object.fromEntries(fundingSources.map((source) => [source, set.get(source) ?? defaultPrices[source]])) as Record<FundingSource, PriceLine>;
}

/** CRED-5: the learner pays a personal enrolment; every other source is a funder, invoiced. */
export type Payer = 'learner' | 'funder';
export const payerOf = (source: FundingSource): Payer => (source === 'personal' ? 'learner' : 'funder');

export interface Fee {
  source: FundingSource;
  basis: PriceBasis;
  /** The line's amount (per credit or per unit) when the fee was computed. */
  unitPriceCents: number;
  credits: number;
  /** What the enrolment costs. */
  feeCents: number;
  payer: Payer;
  /** What the learner pays (the fee for `personal`, 0 with a funder). */
  learnerCents: number;
  /** What is invoiced to the funder (0 for `personal`). */
  funderCents: number;
}

/**
 * CRED-5: the fee of an enrolment in a unit of `credits` ECTS credits with this price line:
 * the amount times the credits (per credit) or the amount (per unit). The learner pays it for a
 * personal enrolment; with a funder the learner pays nothing and the funder is invoiced it.
 */
export function feeFor(line: PriceLine, unit: { credits: number }): Fee {
  if (!Number.isSafeInteger(line.amountCents) || line.amountCents < 0 || line.amountCents > MAX_PRICE_CENTS) throw new RangeError(`A price is 0 to ${MAX_PRICE_CENTS} cents (got ${line.amountCents})`);
  if (!Number.isSafeInteger(unit.credits) || unit.credits <= 0) throw new RangeError(`A unit has a positive whole number of credits (got ${unit.credits})`);
  const feeCents = line.basis === 'credit' ? line.amountCents * unit.credits : line.amountCents;
  const payer = payerOf(line.source);
  return {
    source: line.source,
    basis: line.basis,
    unitPriceCents: line.amountCents,
    credits: unit.credits,
    feeCents,
    payer,
    learnerCents: payer === 'learner' ? feeCents : 0,
    funderCents: payer === 'funder' ? feeCents : 0,
  };
}

export type PriceRefusal = 'personal_free' | 'out_of_range';

/**
 * CRED-5: a line the administrator may set: 0 to `MAX_PRICE_CENTS`; a personal enrolment is
 * never free (the learner would await a payment of nothing: a free unit is a funder's line).
 */
export function checkPrice(line: PriceLine): PriceRefusal | null {
  if (!Number.isSafeInteger(line.amountCents) || line.amountCents < 0 || line.amountCents > MAX_PRICE_CENTS) return 'out_of_range';
  if (line.source === 'personal' && line.amountCents === 0) return 'personal_free';
  return null;
}

/** The FAQ's advice (seed 004): 2 to 3 units a semester. */
export const ADVISED_UNITS_PER_SEMESTER = 3;

/** "2026": the academic year a day belongs to (it starts in August: the first semester opens mid-October). */
export const academicYearOf = (day: string): number => (Number(day.slice(5, 7)) >= 8 ? Number(day.slice(0, 4)) : Number(day.slice(0, 4)) - 1);

export interface UnitRun {
  semester: 1 | 2;
  /** The session's first meeting (YYYY-MM-DD): which academic year's semester it is. */
  firstMeeting: string;
}

/**
 * CRED-2: the units the learner would follow in the candidate's semester (the same semester of
 * the same academic year) with the candidate, and whether that goes beyond the FAQ's advice.
 * Advice, not a rule: the enrolment stays possible (docs/decisions/027).
 */
export function semesterLoad(candidate: UnitRun, held: readonly UnitRun[]): { units: number; beyondAdvice: boolean } {
  const year = academicYearOf(candidate.firstMeeting);
  const units = 1 + held.filter((u) => u.semester === candidate.semester && academicYearOf(u.firstMeeting) === year).length;
  return { units, beyondAdvice: units > ADVISED_UNITS_PER_SEMESTER };
}
