import { createHmac, timingSafeEqual } from 'node:crypto';
import { smsSegments } from '../sms';

/** One SMS of the outbox, as a provider is given it: `reference` is ours (the outbox row's). */
export interface SmsMessage {
  /** E.164, +33612345678. */
  to: string;
  text: string;
  reference: string;
}

/** What the provider says of a message it took: its id (none for the mailbox) and the segments it counted. */
export interface SmsAccepted {
  providerId: string | null;
  segments: number;
}

/** What the provider knows of a message sent with our reference (`lookup`). */
export interface SmsKnown {
  providerId: string | null;
  /** Its count when it gives one; else ours stays. */
  segments: number | null;
  state: 'sent' | 'delivered' | 'undelivered';
}

/** A delivery report, read from the provider's request; `other` is an event that changes nothing (a reply…). */
export interface SmsReport {
  providerId: string | null;
  state: 'sent' | 'delivered' | 'undelivered' | 'other';
  segments: number | null;
  detail: string | null;
}

/**
 * Why a send (or a look-up) did not succeed, and so what the outbox may do next:
 *   unknown   a timeout, a network error, a 5xx: the provider may have the message. It stays
 *             `sending`; the next attempt asks the provider (`lookup`) before sending again.
 *   not_sent  the provider refused it for now (429, no credits, a bad key): retried as `pending`.
 *   refused   the provider will never take it (a 400: a number it does not accept): `failed` at once.
 */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly outcome: 'unknown' | 'not_sent' | 'refused',
  ) {
    super(message);
  }
}

/**
 * An SMS provider. `send` gives the message to the provider; `lookup` asks what it knows of a
 * message sent with our reference (after a timeout, before sending again: null means it never
 * got it); `parseReport` reads a delivery report it posted (null: not a report of this provider).
 */
export interface SmsProvider {
  name: 'mailbox' | 'brevo';
  send(message: SmsMessage): Promise<SmsAccepted>;
  lookup(message: SmsMessage & { since: Date }): Promise<SmsKnown | null>;
  parseReport(body: unknown): SmsReport | null;
}

/** Development and no provider configured: the SMS stays in the outbox, `sent`, for the development page. */
export const mailboxSmsProvider: SmsProvider = {
  name: 'mailbox',
  send: async (message) => ({ providerId: null, segments: smsSegments(message.text).segments }),
  lookup: async () => null,
  parseReport: () => null,
};

/**
 * The delivery reports' address of one message: its reference and a signature of it by
 * SMS_REPORT_SECRET. Each message's address is its own; one seen in a log opens no other.
 */
export function smsReportSignature(secret: string, reference: string): string {
  return createHmac('sha256', secret).update(`sms-report:${reference}`).digest('base64url');
}

export const SMS_REPORT_PATH = '/sms/rapports';

export function smsReportUrl(baseUrl: string, secret: string, reference: string): string {
  return `${baseUrl}${SMS_REPORT_PATH}/${reference}/${smsReportSignature(secret, reference)}`;
}

export function isSmsReportSignature(secret: string, reference: string, signature: string): boolean {
  const expected = Buffer.from(smsReportSignature(secret, reference));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
