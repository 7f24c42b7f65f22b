import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { MessageKey, Params } from '../../platform/i18n';

/**
 * Pure account rules (SPEC ACC). No I/O: every function here is a decision a test can table.
 * A refusal says which rule refused and what to tell the person.
 */
export type RuleResult = { ok: true } | { ok: false; code: string; message: MessageKey; params?: Params };

const ok: RuleResult = { ok: true };
const refuse = (code: string, message: MessageKey, params?: Params): RuleResult => ({ ok: false, code, message, params });

export const PASSWORD_MAX_LENGTH = 128;
const PASSPHRASE_MIN_LENGTH = 12;
const PASSWORD_MIN_LENGTH = 8;

const commonPasswords = new Set<string>(dictionary['passwords-common'] as string[]);

/**
 * ACC-1: at least 8 characters with an upper-case letter, a lower-case letter and a digit, or a
 * passphrase of 12 characters or more; at most 128; any character allowed; common breached
 * passwords refused. Length counts characters as a person sees them, not UTF-16 units.
 */
export function checkPassword(password: string): RuleResult {
  const length = [...password].length;
  if (length > PASSWORD_MAX_LENGTH) return refuse('ACC-1', 'password.tooLong');
  if (length < PASSWORD_MIN_LENGTH) return refuse('ACC-1', 'password.tooShort');
  if (isCommonPassword(password)) return refuse('ACC-1', 'password.common');
  if (length >= PASSPHRASE_MIN_LENGTH) return ok;
  const mixed = /\p{Lu}/u.test(password) && /\p{Ll}/u.test(password) && /\p{Nd}/u.test(password);
  return mixed ? ok : refuse('ACC-1', 'password.weak');
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase()) || commonPasswords.has(password.trim().toLowerCase());
}

/** Emails are compared trimmed and lower-cased: one account per address whatever the case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Accepts the ways people write a date: 14/07/1985, 14-07-1985, 14.07.1985, 14 07 1985,
 * 1985-07-14. Returns an ISO date (YYYY-MM-DD) or null when it is not a real calendar date.
 */
export function parseDateInput(input: string): string | null {
  const value = input.trim();
  let day: number, month: number, year: number;
  let match = /^(\d{1,2})[/.\-\s]+(\d{1,2})[/.\-\s]+(\d{4})$/.exec(value);
  if (match) [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value))) [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.toISOString().slice(0, 10);
}

/** Whole years between an ISO birth date and an ISO day. */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

/** ACC-7: open to people aged `minimumAge` (18) or more; a birth date in the future or before 1900 is a typo. */
export function checkBirthDate(birthDate: string, today: string, minimumAge: number): RuleResult {
  if (birthDate > today) return refuse('ACC-7', 'birthDate.future');
  if (birthDate < '1900-01-01') return refuse('ACC-7', 'birthDate.tooOld');
  if (ageOn(birthDate, today) < minimumAge) return refuse('ACC-7', 'birthDate.tooYoung', { age: minimumAge });
  return ok;
}

/**
 * French postal codes: five digits, starting with a metropolitan département (01–95, Corsica
 * being 20) or an overseas one (971–976, 984–988).
 */
export function checkFrenchPostalCode(postalCode: string): RuleResult {
  const code = postalCode.replace(/\s/g, '');
  if (!/^\d{5}$/.test(code)) return refuse('ACC-6', 'postalCode.invalid');
  const dept = Number(code.slice(0, 2));
  if (dept >= 1 && dept <= 95) return ok;
  const overseas = Number(code.slice(0, 3));
  if ((overseas >= 971 && overseas <= 976) || (overseas >= 984 && overseas <= 988)) return ok;
  return refuse('ACC-6', 'postalCode.invalid');
}

export type PhoneKind = 'mobile' | 'landline';

/**
 * Parses a phone number as people type it (06 12 34 56 78, +33 6…, 0033 6…), French by
 * default. Returns the E.164 form, or the reason it is refused.
 */
export function normalisePhone(input: string, kind: PhoneKind): { ok: true; value: string } | { ok: false; code: string; message: MessageKey } {
  const cleaned = input.trim().replace(/^00/, '+');
  const phone = parsePhoneNumberFromString(cleaned, 'FR');
  if (!phone || !phone.isValid()) return { ok: false, code: 'ACC-6', message: 'phone.invalid' };
  if (kind === 'mobile') {
    const type = phone.getType();
    if (type && !['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER'].includes(type))
      return { ok: false, code: 'ACC-6', message: 'phone.notMobile' };
  }
  return { ok: true, value: phone.number };
}

/** ACC-6: at least one phone. */
export function checkAtLeastOnePhone(mobile: string | null, landline: string | null): RuleResult {
  return mobile || landline ? ok : refuse('ACC-6', 'phone.atLeastOne');
}

/** Formats an E.164 number for reading (national format in France). */
export function formatPhone(e164: string | null): string {
  if (!e164) return '';
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  return phone.country === 'FR' ? phone.formatNational() : phone.formatInternational();
}

/**
 * ACC-5: one account per natural person. Names are compared without accents, case, spaces,
 * hyphens or apostrophes, so "Zoé Le-Goff" and "ZOE LE GOFF" are the same person.
 */
export function identityKey(lastName: string, firstName: string, birthDate: string): string {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '');
  return `${fold(lastName)}|${fold(firstName)}|${birthDate}`;
}

/** The day in Europe/Paris for an instant, as YYYY-MM-DD (the platform's clock has it). */
export { parisDay } from '../../platform/clock';

export type SessionState = 'active' | 'idle' | 'expired';

/** A login session ends after `idleMinutes` without activity and at `expiresAt` whatever happens. */
export function sessionState(
  session: { lastSeenAt: Date; expiresAt: Date },
  now: Date,
  idleMinutes: number,
): SessionState {
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= idleMinutes * 60_000) return 'idle';
  return 'active';
}

/** A single-use link works once, before its expiry. */
export function tokenUsable(token: { expiresAt: Date; usedAt: Date | null }, now: Date): boolean {
  return token.usedAt === null && now.getTime() < token.expiresAt.getTime();
}

/**
 * ACC-1 throttling that slows down and never locks out. Failed logins of the last hour are
 * counted per account *and* source, and per account from every source. Past `perSource`
 * failures, that source waits before its next try: 1 s, then twice as long after each failure,
 * up to 15 minutes (a guesser gets a few tries an hour; the owner behind the same network waits,
 * or resets the password). Past `perAccount` failures from everywhere (guessing spread over many
 * addresses), every source waits too, but a minute at most: the owner is slowed, never refused.
 */
export const LOGIN_WAIT_MAX_PER_SOURCE_MS = 15 * 60_000;
export const LOGIN_WAIT_MAX_PER_ACCOUNT_MS = 60_000;
export const LOGIN_FAILURES_WINDOW_MS = 3_600_000;

export interface FailureCount {
  failures: number;
  lastFailedAt: Date | null;
}

/** The wait after `failures` failures when `free` of them are allowed without waiting, capped at `maxMs`. */
export function loginBackoffMs(failures: number, free: number, maxMs: number): number {
  if (failures < free) return 0;
  return Math.min(maxMs, 1000 * 2 ** Math.min(failures - free, 30));
}

/** How long (ms) this source must still wait before trying this account again; 0: try now. */
export function loginWaitMs(
  counts: { source: FailureCount; account: FailureCount },
  limits: { perSource: number; perAccount: number },
  now: Date,
  options: { knownDevice?: boolean } = {},
): number {
  const left = (count: FailureCount, free: number, maxMs: number) =>
    count.lastFailedAt ? count.lastFailedAt.getTime() + loginBackoffMs(count.failures, free, maxMs) - now.getTime() : 0;
  return Math.max(
    0,
    left(counts.source, limits.perSource, LOGIN_WAIT_MAX_PER_SOURCE_MS),
    // A browser where this account logged in before (its device cookie) is not slowed by guesses
    // made from everywhere else: a city-wide guess flood never keeps the owner out (OWASP's
    // device cookies; decision 009). Its own source's failures still count.
    options.knownDevice ? 0 : left(counts.account, limits.perAccount, LOGIN_WAIT_MAX_PER_ACCOUNT_MS),
  );
}

/**
 * The source of a login attempt, as throttling counts it: the client's address, IPv4 as is, IPv6
 * by its /64 (one home or one server gets a whole /64, so a single address would be free to change).
 */
export function loginSource(ip: string | null | undefined): string {
  if (!ip) return '';
  const address = ip.trim().toLowerCase().split('%')[0].slice(0, 64);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const groups = (part: string) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [head, tail] = address.split('::');
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(Math.max(0, 8 - groups(head).length - groups(tail).length)).fill('0'), ...groups(tail)];
  return `${all
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * ACC-1: the tag a device cookie carries for an account (a hash of its address, never the
 * address): a browser where this account logged in shows it again at the next login.
 */
export function deviceTag(email: string): string {
  return createHash('sha256').update(`device:${normaliseEmail(email)}`).digest('base64url').slice(0, 22);
}

/**
 * ACC-13: an account a provider's identity may sign in to or be linked to: an active one, or a
 * pending one (the provider's sign-in or the emailed link proves the address, which activates it);
 * never a disabled or closed one.
 */
export function mayUseProviderIdentity(status: 'pending' | 'active' | 'disabled' | 'closed'): boolean {
  return status === 'active' || status === 'pending';
}

/**
 * ACC-13: the account's password proves its owner only once the account is active: the password
 * chosen at a sign-up nobody activated may be a stranger's (account pre-hijacking), so a pending
 * account is linked by the emailed link only.
 */
export function passwordProvesOwner(status: 'pending' | 'active' | 'disabled' | 'closed'): boolean {
  return status === 'active';
}

/** eIDAS levels of assurance, as FranceConnect names them in `acr` (low, substantial, high). */
const eidasLevels = ['eidas1', 'eidas2', 'eidas3'];

/**
 * ACC-13: the ID token's `acr` answers the level asked: the same value, or, for an eIDAS level,
 * a higher one (eidas1 < eidas2 < eidas3: FranceConnect+ may answer eidas2 to eidas1). No level
 * asked: anything goes.
 */
export function acrSatisfies(asked: string | undefined, given: unknown): boolean {
  if (!asked) return true;
  if (given === asked) return true;
  const needed = eidasLevels.indexOf(asked);
  return needed >= 0 && typeof given === 'string' && eidasLevels.indexOf(given) > needed;
}
