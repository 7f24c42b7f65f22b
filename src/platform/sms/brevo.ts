import { smsSegments } from '../sms';
import { SmsSendError, type SmsKnown, type SmsProvider, type SmsReport } from './provider';

/**
 * Brevo's transactional SMS (https://developers.brevo.com/reference/sendtransacsms):
 *
 *   POST {apiUrl}/transactionalSMS/sms, header `api-key`, JSON
 *     { sender, recipient, content, type: 'transactional', tag, webUrl, unicodeEnabled }
 *   → 201 { reference, messageId, smsCount, usedCredits, remainingCredits }
 *
 * Our reference is the message's `tag`: after a timeout, `lookup` asks the unaggregated events
 * (GET {apiUrl}/transactionalSMS/statistics/events?tags=["<reference>"]) whether Brevo got it.
 * Brevo posts each event of the message (sent, delivered, soft_bounce, hard_bounce…) to `webUrl`
 * as JSON { id, to, sms_count, credits_used, messageId, remaining_credit, msg_status, date,
 * type, reference, tag } (https://developers.brevo.com/docs/transactional-webhooks).
 *
 * Brevo has announced POST /transactionalSMS/send as the successor of /transactionalSMS/sms (it
 * answers only { messageId }); /sms still works and gives the segment count. Moving to /send is
 * one line here: the segment count then comes from the delivery report's `sms_count`.
 */
export function brevoProvider(options: {
  apiKey: string;
  apiUrl: string;
  sender: string;
  /** The delivery reports' address of a message, by our reference. */
  reportUrl: (reference: string) => string;
  /** How long a request may take before its outcome is unknown (10 s). */
  timeoutMs?: number;
}): SmsProvider {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const headers = { 'api-key': options.apiKey, accept: 'application/json', 'content-type': 'application/json' };

  /** A request whose failure says whether Brevo may have acted on it. */
  async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const name = (error as { name?: string }).name;
      throw new SmsSendError(name === 'TimeoutError' ? `Brevo did not answer within ${timeoutMs} ms` : `Brevo unreachable: ${(error as Error).message}`, 'unknown');
    }
    let body: unknown = null;
    try {
      const text = await response.text();
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: response.status, body };
  }

  function failure(status: number, body: unknown): SmsSendError {
    const said = body && typeof body === 'object' ? `${(body as { code?: unknown }).code ?? ''} ${(body as { message?: unknown }).message ?? ''}`.trim() : '';
    const message = `Brevo answered ${status}${said ? `: ${said}` : ''}`;
    if (status >= 500) return new SmsSendError(message, 'unknown');
    if (status === 400 || status === 404 || status === 422) return new SmsSendError(message, 'refused');
    return new SmsSendError(message, 'not_sent');
  }

  return {
    name: 'brevo',
    async send(message) {
      const { status, body } = await call(`${options.apiUrl}/transactionalSMS/sms`, {
        method: 'POST',
        body: JSON.stringify({
          sender: options.sender,
          recipient: message.to.replace(/^\+/, ''),
          content: message.text,
          type: 'transactional',
          tag: message.reference,
          webUrl: options.reportUrl(message.reference),
          unicodeEnabled: smsSegments(message.text).encoding === 'UCS-2',
        }),
      });
      if (status < 200 || status >= 300) throw failure(status, body);
      const answer = (body ?? {}) as { messageId?: unknown; smsCount?: unknown };
      // Taken, but an answer we cannot read: what became of it is asked on the next attempt.
      if (typeof answer.messageId !== 'number' && typeof answer.messageId !== 'string') throw new SmsSendError(`Brevo answered ${status} without a messageId`, 'unknown');
      const segments = typeof answer.smsCount === 'number' && Number.isInteger(answer.smsCount) && answer.smsCount > 0 ? answer.smsCount : smsSegments(message.text).segments;
      return { providerId: String(answer.messageId), segments };
    },
    async lookup(message) {
      // "Number of days in the past including today": from the day the message was queued.
      const days = Math.min(90, Math.max(1, Math.ceil((Date.now() - message.since.getTime()) / 86_400_000) + 1));
      const query = new URLSearchParams({ tags: JSON.stringify([message.reference]), days: String(days), limit: '100', sort: 'asc' });
      const { status, body } = await call(`${options.apiUrl}/transactionalSMS/statistics/events?${query}`, { method: 'GET' });
      if (status < 200 || status >= 300) {
        const error = failure(status, body);
        // A look-up that fails decides nothing: the message stays `sending`.
        throw new SmsSendError(error.message, 'unknown');
      }
      const events = Array.isArray((body as { events?: unknown } | null)?.events) ? ((body as { events: unknown[] }).events as Array<Record<string, unknown>>) : [];
      const ours = events.filter((e) => e && typeof e === 'object' && e.tag === message.reference);
      if (!ours.length) return null;
      const id = ours.find((e) => e.messageId !== undefined && e.messageId !== null)?.messageId;
      const names = new Set(ours.map((e) => String(e.event)));
      const state: SmsKnown['state'] = names.has('delivered') ? 'delivered' : ['hardBounce', 'softBounce', 'rejected', 'skip'].some((n) => names.has(n)) ? 'undelivered' : 'sent';
      return { providerId: id === undefined ? null : String(id), segments: null, state };
    },
    parseReport(body) {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
      const report = body as Record<string, unknown>;
      const status = report.msg_status;
      const id = report.messageId;
      if (typeof status !== 'string' || status.length > 50 || (typeof id !== 'number' && typeof id !== 'string') || String(id).length > 50) return null;
      const states: Record<string, SmsReport['state']> = { sent: 'sent', accepted: 'sent', delivered: 'delivered', soft_bounce: 'undelivered', hard_bounce: 'undelivered', rejected: 'undelivered', skip: 'undelivered' };
      const count = report.sms_count;
      return {
        providerId: String(id),
        state: states[status] ?? 'other',
        segments: typeof count === 'number' && Number.isInteger(count) && count > 0 && count < 100 ? count : null,
        detail: status,
      };
    },
  };
}
