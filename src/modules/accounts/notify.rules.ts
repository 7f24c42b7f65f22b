import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { NotifyChannel } from '../../domain/vocabulary';
import type { Translator } from '../../platform/i18n';
import { smsSegments, toGsm7 } from '../../platform/sms';

/** A mobile number in E.164 (+33612345678), or null when there is none that parses as one. */
export function mobileE164(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const parsed = parsePhoneNumberFromString(phone, 'FR');
  return parsed && parsed.isValid() && (parsed.getType() === undefined || parsed.getType() === 'MOBILE' || parsed.getType() === 'FIXED_LINE_OR_MOBILE') ? parsed.number : null;
}

/**
 * SVC-7: the channels a message goes by, from the learner's choice and what is known of them.
 * SMS only where a mobile is known; email only where an address is; a choice that cannot be
 * honoured falls back on the other channel, so that nobody is left untold.
 */
export function channelsFor(choice: NotifyChannel, known: { email: boolean; mobile: boolean }): ('email' | 'sms')[] {
  const wanted: ('email' | 'sms')[] = choice === 'both' ? ['email', 'sms'] : [choice];
  const possible = wanted.filter((c) => (c === 'email' ? known.email : known.mobile));
  if (possible.length) return possible;
  if (known.email) return ['email'];
  if (known.mobile) return ['sms'];
  return [];
}

/**
 * SVC-7: the text of a message's SMS: its own (`sms`), or `sms.generic` (the email's subject and
 * where to read more). queueSms then writes it in the GSM 7-bit alphabet.
 */
export function smsTextOf(t: Translator, composed: { subject: string; sms?: string; link?: string }): string {
  if (composed.sms !== undefined) return composed.sms;
  // At most 2 segments: a subject too long for that (a long course title) is shortened; the email has it whole.
  return fitSms((subject) => t('sms.generic', { subject, link: composed.link ?? '' }), composed.subject, 20);
}

/**
 * SVC-7: an SMS of at most `SMS_MAX_SEGMENTS` (GSM-7, as `queueSms` writes it): `render(long)`,
 * or, when that is too long, `render` of `long` (a course title, a subject) shortened ten
 * characters at a time and ending "...", down to `min` characters. The email has it whole.
 */
export function fitSms(render: (text: string) => string, long: string, min = 10): string {
  let short = long;
  let text = render(short);
  while (smsSegments(toGsm7(text)).segments > SMS_MAX_SEGMENTS && [...short].length > min) {
    short = `${[...short].slice(0, Math.max(min, [...short].length - 10)).join('').replace(/\.\.\.$/, '').trimEnd()}...`;
    text = render(short);
  }
  return text;
}

/**
 * SVC-2, SVC-7: where an SMS says the details are: by email and in the account when the message
 * goes by email too; else (a mobile-only learner, decision 015, or one told by SMS alone) in the
 * account only — never "by email" to someone who gets none.
 */
export function smsDetails(t: Translator, reach: Reach, link: string): string {
  return t(reach.email ? 'sms.details.email' : 'sms.details.account', { link });
}

/** SVC-7: how a message reaches the learner, for its texts to say so: `email`, it goes by email too. */
export interface Reach {
  email: boolean;
}

/** SVC-7: what an SMS may take at most (2 × 153 characters in GSM-7). */
export const SMS_MAX_SEGMENTS = 2;
