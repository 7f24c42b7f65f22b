import { normaliseEmail, normalisePhone } from './accounts.rules';

/**
 * SVC-5, pure rules: the sign-in identifier of an account registered with a mobile number only,
 * and the takeover code a learner registered at a help desk uses to take the account over
 * (decision 015).
 */

/** RFC 2606: `.invalid` is never delivered (platform/outbox drops it). */
export const MOBILE_ONLY_DOMAIN = 'mobile.invalid';

/** The sign-in identifier of a mobile-only account: `+33612345678@mobile.invalid`. */
export function mobileOnlyAddress(mobileE164: string): string {
  return `${mobileE164}@${MOBILE_ONLY_DOMAIN}`;
}

/** True for the identifier of an account that has no email address (a mobile number only). */
export function isMobileOnlyAddress(address: string): boolean {
  return address.toLowerCase().endsWith(`@${MOBILE_ONLY_DOMAIN}`);
}

/** The mobile number of a mobile-only identifier (E.164), else null. */
export function mobileOfAddress(address: string): string | null {
  return isMobileOnlyAddress(address) ? address.slice(0, -(MOBILE_ONLY_DOMAIN.length + 1)) : null;
}

/**
 * What a person typed to sign in — an email address or, for an account registered with a
 * mobile number only, that number (06 12 34 56 78, +33 6…) — as the account's identifier.
 * Anything else is returned normalised as an address (it then matches no account).
 */
export function signInAddress(typed: string): string {
  const value = typed.trim();
  if (value.includes('@')) return normaliseEmail(value);
  const phone = normalisePhone(value, 'mobile');
  return phone.ok ? mobileOnlyAddress(phone.value) : normaliseEmail(value);
}

/** True when what was typed can be an identifier: an email address's shape, or a mobile number. */
export function looksLikeIdentifier(typed: string): boolean {
  const value = typed.trim();
  if (value.includes('@')) return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
  return normalisePhone(value, 'mobile').ok;
}

export const TAKEOVER_CODE_DIGITS = 8;
export const TAKEOVER_CODE_MINUTES = 30;
/** Wrong codes typed against one code before it is void. */
export const TAKEOVER_MAX_FAILURES = 5;

/** A code as people type it (spaces and dashes allowed: 1234 5678), or null when it has not the shape of one. */
export function cleanTakeoverCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${TAKEOVER_CODE_DIGITS}}$`).test(code) ? code : null;
}

export type TakeoverCodeState = 'usable' | 'used' | 'expired' | 'voided';

/** SVC-5: a takeover code works once, for 30 minutes, and five wrong tries void it. */
export function takeoverCodeState(code: { usedAt: Date | null; expiresAt: Date; failures: number }, now: Date): TakeoverCodeState {
  if (code.usedAt) return 'used';
  if (code.failures >= TAKEOVER_MAX_FAILURES) return 'voided';
  if (now.getTime() >= code.expiresAt.getTime()) return 'expired';
  return 'usable';
}
