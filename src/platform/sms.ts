import { SegmentedMessage } from 'sms-segments-calculator';
import { sql } from 'drizzle-orm';
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

/** Issue 19, metrics: the SMS waiting or being sent, and those given up. */
export async function smsOutboxDepth(db: DbOrTx): Promise<{ pending: number; failed: number }> {
  const result = await db.execute<{ pending: string; failed: string }>(sql`
    select count(*) filter (where state in ('pending', 'sending')) as pending, count(*) filter (where state = 'failed') as failed from sms_outbox`);
  return { pending: Number(result.rows[0].pending), failed: Number(result.rows[0].failed) };
}

// ---- personal data (ACC-11, ACC-14) ----------------------------------------------------------

/** The states of a message whose sending is over (sent, reported, or given up). */
const FINISHED = sql.raw(`('sent', 'delivered', 'undelivered', 'failed')`);

/** The SMS written to these numbers (E.164), oldest first: the download of one's data. */
export async function smsSentTo(db: DbOrTx, input: { numbers: readonly string[] }) {
  const numbers = [...new Set(input.numbers.filter(Boolean))];
  if (numbers.length === 0) return [];
  const rows = await db.execute<{ to: string; body: string; purpose: string; state: string; created_at: Date; sent_at: Date | null }>(sql`
    select to_number as "to", body, purpose, state, created_at, sent_at from sms_outbox
    where to_number = any(${sql.param(numbers)}::text[]) order by created_at, id`);
  return rows.rows.map((r) => ({ to: r.to, text: r.body, purpose: r.purpose, state: r.state, createdAt: r.created_at, sentAt: r.sent_at }));
}

/** ACC-11: the SMS whose sending is over, to these numbers, are deleted (those still to send stay). */
export async function forgetSmsTo(db: DbOrTx, input: { numbers: readonly string[] }): Promise<number> {
  const numbers = [...new Set(input.numbers.filter(Boolean))];
  if (numbers.length === 0) return 0;
  const rows = await db.execute(sql`delete from sms_outbox where to_number = any(${sql.param(numbers)}::text[]) and state in ${FINISHED}`);
  return rows.rowCount ?? 0;
}

/** ACC-14: deletes at most `limit` SMS whose sending ended before `before`; returns how many. */
export async function pruneSentSms(db: DbOrTx, input: { before: Date; limit: number }): Promise<number> {
  const rows = await db.execute(sql`
    delete from sms_outbox where id in (
      select id from sms_outbox where state in ${FINISHED} and coalesce(reported_at, sent_at, failed_at, created_at) <= ${input.before}
      order by id limit ${input.limit})`);
  return rows.rowCount ?? 0;
}
