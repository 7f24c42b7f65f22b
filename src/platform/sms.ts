import { SegmentedMessage } from 'sms-segments-calculator';
import type { DbOrTx } from '../db/database';
import { smsOutbox } from './platform.table';

/**
 * The SMS channel (the second one of notifications). `queueSms` writes a message to the SMS
 * outbox in the caller's transaction, like `queueEmail`: the message exists if and only if the
 * change it announces was committed. The text is first written in the GSM 7-bit alphabet where
 * it can be (`toGsm7`), so that one accented letter does not halve the length of a message.
 */
export interface Sms {
  /** E.164, +33612345678. */
  to: string;
  text: string;
  /** The template's key (what it announces). */
  purpose: string;
}

/** The message's encoding and number of segments, as operators count them. */
export function smsSegments(text: string): { encoding: 'GSM-7' | 'UCS-2'; segments: number } {
  const message = new SegmentedMessage(text);
  return { encoding: message.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2', segments: message.segmentsCount };
}

// The GSM 03.38 default alphabet and its extension table (each extension character takes two septets).
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const GSM = new Set([...GSM_BASIC, ...GSM_EXTENSION]);
const REPLACEMENTS: Record<string, string> = { '’': "'", '‘': "'", '“': '"', '”': '"', '«': '"', '»': '"', '–': '-', '—': '-', '…': '...', '\u00a0': ' ', '\u202f': ' ', 'œ': 'oe', 'Œ': 'OE', '·': '.', ç: 'c' };

/**
 * The text in the GSM 7-bit alphabet: typographic quotes, dashes and spaces become their plain
 * forms (guillemets without their inner spaces), and letters outside the alphabet lose their
 * accents (ê → e, ç → c); letters the alphabet has (é, è, à, ù…) stay. What still does not fit stays as it is (the message is then UCS-2).
 */
export function toGsm7(text: string): string {
  let out = '';
  // French guillemets hold their spaces inside (« ainsi »): plain quotes do not ("ainsi").
  for (const char of text.replace(/«[\s\u00a0\u202f]*/g, '«').replace(/[\s\u00a0\u202f]*»/g, '»')) {
    if (GSM.has(char)) out += char;
    else if (REPLACEMENTS[char] !== undefined) out += REPLACEMENTS[char];
    else {
      const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...bare].every((c) => GSM.has(c)) ? bare : char;
    }
  }
  return out;
}

export async function queueSms(db: DbOrTx, sms: Sms, options: { notBefore?: Date } = {}): Promise<void> {
  const body = toGsm7(sms.text);
  const { encoding, segments } = smsSegments(body);
  await db.insert(smsOutbox).values({ to: sms.to, body, purpose: sms.purpose, encoding, segments, ...(options.notBefore ? { nextAttemptAt: options.notBefore } : {}) });
}
