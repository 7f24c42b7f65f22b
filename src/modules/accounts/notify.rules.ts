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
  const generic = (subject: string) => t('sms.generic', { subject, link: composed.link ?? '' });
  // At most 2 segments: a subject too long for that (a long course title) is shortened; the email has it whole.
  let subject = composed.subject;
  let text = generic(subject);
  while (smsSegments(toGsm7(text)).segments > SMS_MAX_SEGMENTS && [...subject].length > 20) {
    subject = `${[...subject].slice(0, [...subject].length - 10).join('').replace(/\.\.\.$/, '').trimEnd()}...`;
    text = generic(subject);
  }
  return text;
}

/** SVC-7: what an SMS may take at most (2 × 153 characters in GSM-7). */
export const SMS_MAX_SEGMENTS = 2;
