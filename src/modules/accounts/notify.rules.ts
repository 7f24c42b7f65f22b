import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { NotifyChannel } from '../../domain/vocabulary';

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
