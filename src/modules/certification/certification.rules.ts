import type { EvaluationOutcome } from '../../domain/vocabulary';
import type { MessageKey } from '../../platform/i18n';
import type { Policies } from '../../platform/policies';

/**
 * Pure rules of the end of a course (SPEC ATT-4, CERT-1, CERT-2): when a course has ended, what
 * holds its documents back, who passed, when the certificate of skills is due, what a result
 * form may hold. No I/O.
 */

/** The highest mark of the end-of-course test (`evaluation_results.max_score`'s default). */
export const MAX_SCORE = 20;

/**
 * CERT-1, CERT-2: passing is the test's outcome "passed": presence at the test is mandatory, so an
 * absent learner has not passed whatever their mark elsewhere. A course without an evaluation
 * has no test, so no certificate of skills ("le certificat de compétences valide la réussite à
 * ce test"): its attendance certificate is what opens the next level (levels.rules).
 */
export function passed(input: { hasEvaluation: boolean; outcome: EvaluationOutcome | null; attendanceCertified: boolean }): boolean {
  return input.hasEvaluation && input.outcome === 'passed';
}

/** YYYY-MM-DD plus whole months, the day kept or brought back to the month's last (31 Oct + 4 months = 28 or 29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** YYYY-MM-DD plus whole days. */
export const addDays = (day: string, days: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** CERT-2: the certificate of skills is issued within the policy's months after the course ends (its last meeting's day). */
export const certificateDueOn = (courseEnd: string, policies: Pick<Policies, 'certificateOfSkillsMonths'>): string => addMonths(courseEnd, policies.certificateOfSkillsMonths);

/** CERT-2: a certificate not issued by its due day is late the day after (days in Paris, YYYY-MM-DD). */
export const isLate = (dueOn: string, today: string): boolean => today > dueOn;

/**
 * The end of a course: the end of its last meeting not cancelled (planned start plus length).
 * Null when it has no meeting left (nothing to certify).
 */
export function courseEnd(meetings: readonly { startsAt: Date; plannedMinutes: number; cancelled: boolean }[]): Date | null {
  let end: Date | null = null;
  for (const m of meetings) {
    if (m.cancelled) continue;
    const at = new Date(m.startsAt.getTime() + m.plannedMinutes * 60_000);
    if (!end || at > end) end = at;
  }
  return end;
}

/**
 * CERT-1: the test's date: the one fixed on the evaluation page, else the last meeting's start
 * (a course whose date nobody fixed is tested at its last meeting).
 */
export function testDate(fixed: Date | null, meetings: readonly { startsAt: Date; cancelled: boolean }[]): Date | null {
  if (fixed) return fixed;
  let last: Date | null = null;
  for (const m of meetings) if (!m.cancelled && (!last || m.startsAt > last)) last = m.startsAt;
  return last;
}

export type HeldBack = { ok: true } | { ok: false; code: 'ATT-4' | 'CERT-1'; message: MessageKey; missingRegisters: number; missingResults: number };

/**
 * ATT-4, CERT-2: the end-of-course documents wait until the course has ended, every held
 * meeting's register is submitted and, for a course with an evaluation, every enrolled learner
 * has a result.
 */
export function readyForOutcomes(input: { ended: boolean; missingRegisters: number; hasEvaluation: boolean; missingResults: number }): HeldBack | { ok: false; code: 'not_ended' } {
  if (!input.ended) return { ok: false, code: 'not_ended' };
  const missingResults = input.hasEvaluation ? input.missingResults : 0;
  if (input.missingRegisters > 0) return { ok: false, code: 'ATT-4', message: 'cert.held.registers', missingRegisters: input.missingRegisters, missingResults };
  if (missingResults > 0) return { ok: false, code: 'CERT-1', message: 'cert.held.results', missingRegisters: 0, missingResults };
  return { ok: true };
}

export type ResultInput = { outcome: EvaluationOutcome; score: number | null };
export type ResultCheck = { ok: true; value: ResultInput } | { ok: false; field: 'outcome' | 'score'; message: MessageKey; params?: Record<string, number> };

/**
 * CERT-1: one learner's result as typed: an outcome, and a whole mark from 0 to 20 for one who
 * sat the test (none for an absent learner). Commas are read as decimal points only to say the
 * mark must be whole.
 */
export function checkResult(outcome: string | undefined, score: string | undefined): ResultCheck {
  if (outcome !== 'passed' && outcome !== 'failed' && outcome !== 'absent') return { ok: false, field: 'outcome', message: 'cert.result.outcomeRequired' };
  const typed = (score ?? '').trim();
  if (outcome === 'absent') return typed === '' ? { ok: true, value: { outcome, score: null } } : { ok: false, field: 'score', message: 'cert.result.noScoreWhenAbsent' };
  if (typed === '') return { ok: false, field: 'score', message: 'cert.result.scoreRequired', params: { max: MAX_SCORE } };
  if (!/^\d{1,4}$/.test(typed)) return { ok: false, field: 'score', message: 'cert.result.scoreInvalid', params: { max: MAX_SCORE } };
  const value = Number(typed);
  if (value > MAX_SCORE) return { ok: false, field: 'score', message: 'cert.result.scoreInvalid', params: { max: MAX_SCORE } };
  return { ok: true, value: { outcome, score: value } };
}
