import type { RetentionRule } from './personal-data';
import type { Policies } from './policies';

/**
 * The arithmetic of retention periods (ACC-14): the instant a period of a retention rule, read
 * from the policies, ends after `from`, or began before `at` (what started before it has passed
 * its period). Months and years are calendar ones (UTC); a day is 24 hours.
 */
export function shiftBy(instant: Date, amount: number, unit: RetentionRule['unit']): Date {
  const shifted = new Date(instant.getTime());
  if (unit === 'hours') shifted.setTime(shifted.getTime() + amount * 3_600_000);
  else if (unit === 'days') shifted.setTime(shifted.getTime() + amount * 86_400_000);
  else if (unit === 'months') shifted.setUTCMonth(shifted.getUTCMonth() + amount);
  else shifted.setUTCFullYear(shifted.getUTCFullYear() + amount);
  return shifted;
}

/** The period of a rule, in its unit, as the policies say now. */
export const periodOf = (rule: RetentionRule, policies: Policies): number => Number(policies[rule.policy]);

/** What started before this instant has passed the rule's period at `at`. */
export const cutoffOf = (rule: RetentionRule, policies: Policies, at: Date): Date => shiftBy(at, -periodOf(rule, policies), rule.unit);

/** When what started at `from` passes the rule's period. */
export const endOf = (rule: RetentionRule, policies: Policies, from: Date): Date => shiftBy(from, periodOf(rule, policies), rule.unit);
