import type { Role } from '../../domain/vocabulary';
import type { MessageKey } from '../../platform/i18n';

/** A staff member acting at or on a help desk. */
export interface Staff {
  id: string;
  role: Role;
}

/**
 * SVC-5, pure rules of the help desks: who a counsellor may act for, and what every change they
 * make needs (the person present and agreeing).
 */
export type DeskRefusal = { ok: false; code: 'SVC-5'; reason: 'not_counsellor' | 'other_desk' | 'no_consent'; message: MessageKey };
export type DeskRule = { ok: true } | DeskRefusal;

const refuse = (reason: DeskRefusal['reason'], message: MessageKey): DeskRefusal => ({ ok: false, code: 'SVC-5', reason, message });

/**
 * A counsellor acts only for the learners registered at one of their desks; nobody else acts
 * from the desk's pages (the other staff have their own).
 */
export function mayActFor(staff: { role: string; deskIds: readonly number[] }, learnerDeskId: number | null): DeskRule {
  if (staff.role !== 'counsellor') return refuse('not_counsellor', 'error.forbidden.message');
  if (learnerDeskId === null || !staff.deskIds.includes(learnerDeskId)) return refuse('other_desk', 'desk.refused.otherDesk');
  return { ok: true };
}

/** Every change a counsellor makes says that the person is here and agrees (SVC-5: the consent is recorded with it). */
export function checkConsent(consent: boolean): DeskRule {
  return consent ? { ok: true } : refuse('no_consent', 'desk.consent.required');
}
