import type { MessageKey } from '../../platform/i18n';
import type { Allowance, Rate } from '../../domain/vocabulary';

/**
 * Pure rules of the rates (SPEC PAY-5, PAY-6). No I/O: the service loads the proof and the
 * application's validation date and asks these.
 */

/** A half-rate proof: sent, then accepted or refused (with the reason) by the school. */
export const proofStatuses = ['pending', 'accepted', 'refused'] as const;
export type ProofStatus = (typeof proofStatuses)[number];

const pad = (n: number) => String(n).padStart(2, '0');

/** The same day `months` months earlier (YYYY-MM-DD); past the end of a shorter month, its last day (31 May → 28 or 29 February). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(Math.min(d, last))}`;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * PAY-6: the dates a proof may bear for an application validated on `validationDay`: less than
 * `months` months before it (a proof dated exactly three months before is too old), and not
 * after it. `from` is the first day that counts, `to` the last.
 */
export function proofWindow(validationDay: string, months: number): { from: string; to: string } {
  return { from: nextDay(monthsBefore(validationDay, months)), to: validationDay };
}

export type ProofDateRefusal = { ok: false; code: 'PAY-6'; message: MessageKey; window: { from: string; to: string } };

/**
 * PAY-6: does a proof dated `proofDate` count for an application validated on `validationDay`?
 * Before the learner has validated, the service asks with today: the day they validate can only
 * be later, so a proof refused then would be refused at validation too.
 */
export function proofDateCounts(proofDate: string, validationDay: string, months: number): { ok: true } | ProofDateRefusal {
  const window = proofWindow(validationDay, months);
  if (proofDate < window.from || proofDate > window.to) return { ok: false, code: 'PAY-6', message: 'proof.date.window', window };
  return { ok: true };
}

/**
 * PAY-5, PAY-6: the rate of an application: half only with an accepted proof, else full, and
 * whatever the date the learner starts (PAY-5: nothing here reads a date).
 */
export function rateFor(input: { proof: { status: ProofStatus } | null }): Rate {
  return input.proof?.status === 'accepted' ? 'half' : 'full';
}

/** PAY-6: the rate and, for the half rate, the allowance the accepted proof shows. */
export function rateAndAllowance(proof: { status: ProofStatus; allowance: Allowance } | null): { rate: Rate; allowance: Allowance | null } {
  const rate = rateFor({ proof });
  return { rate, allowance: rate === 'half' ? proof!.allowance : null };
}
