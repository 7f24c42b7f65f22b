import { sql } from 'drizzle-orm';
import type { Config } from '../../config';
import type { Db } from '../../db/database';
import { brevoProvider } from './brevo';
import { mailboxSmsProvider, SmsSendError, smsReportUrl, type SmsProvider } from './provider';

/** The configured provider: the composition root gives it to the worker (src/main.ts). */
export function createSmsProvider(config: Pick<Config, 'sms' | 'baseUrl'>, options: { timeoutMs?: number } = {}): SmsProvider {
  const sms = config.sms;
  if (sms.provider === 'mailbox') return mailboxSmsProvider;
  return brevoProvider({
    apiKey: sms.apiKey,
    apiUrl: sms.apiUrl,
    sender: sms.sender,
    reportUrl: (reference) => smsReportUrl(config.baseUrl, sms.reportSecret, reference),
    timeoutMs: options.timeoutMs,
  });
}

type ClaimedSms = {
  id: number;
  reference: string;
  to_number: string;
  body: string;
  attempts: number;
  created_at: Date | string;
  /** The state before this claim: `sending` means an earlier attempt's outcome is unknown. */
  previous_state: 'pending' | 'sending';
  /** The latest send whose outcome is unknown is SMS_LOOKUP_LAG_MS old: a look-up that finds nothing may conclude. */
  settled: boolean;
};

/**
 * How long Brevo's events of a message may lag behind its send: a look-up that finds no event of
 * a message sent (maybe) less than this ago concludes nothing; the message stays `sending` and is
 * asked about again then. The retry after a timeout comes about 60 s later: too soon to resend.
 */
export const SMS_LOOKUP_LAG_MS = 10 * 60_000;

/** Attempts before a message is `failed` (the last waits about 16 minutes: 30 s × 2^attempts). */
export const SMS_MAX_ATTEMPTS = 6;

/**
 * Sends the SMS outbox, like deliverOutbox the emails: rows claimed with FOR UPDATE SKIP LOCKED
 * and a lease, so several workers share it. The claim sets `sending` before the provider is
 * called; the answer sets `sent` with the provider's id and segment count. A timeout or a
 * network error leaves `sending`, with `sent_at` the time of that send (the provider may have
 * it since then): the next attempt first asks the provider (`lookup`, by our reference). Found:
 * recorded, not sent again. Not found: sent again only once that send is SMS_LOOKUP_LAG_MS old
 * (the provider's events may lag); before that the message stays `sending`, asked again then
 * (that early look-up is not counted as an attempt). So a message is never sent twice. A
 * refusal for now goes back to `pending`; after SMS_MAX_ATTEMPTS, or a definitive refusal,
 * `failed`. A delivery report may arrive before the answer: a state it set is not undone.
 * Timed by the database's clock. Returns the number of messages now with the provider.
 */
export async function deliverSms(options: { db: Db; provider: SmsProvider; limit?: number; stopping?: () => boolean }): Promise<number> {
  const { db, provider } = options;
  const claimed = await db.execute<ClaimedSms>(sql`
    with due as (
      select id, state from sms_outbox
      where state in ('pending', 'sending') and next_attempt_at <= now()
        and (locked_until is null or locked_until < now())
      order by id
      limit ${options.limit ?? 20}
      for update skip locked
    )
    update sms_outbox s set state = 'sending', attempts = s.attempts + 1,
      locked_until = now() + interval '2 minutes', provider = ${provider.name}
    from due where s.id = due.id
    returning s.id, s.reference, s.to_number, s.body, s.attempts, s.created_at, due.state as previous_state,
      coalesce(s.sent_at <= now() - ${SMS_LOOKUP_LAG_MS / 1000} * interval '1 second', false) as settled`);
  let sent = 0;
  for (const [index, row] of claimed.rows.entries()) {
    // The process is stopping: the messages not tried yet go back as they were, free to be claimed at once.
    if (options.stopping?.()) {
      for (const rest of claimed.rows.slice(index))
        await db.execute(sql`
          update sms_outbox set state = ${rest.previous_state}, attempts = greatest(attempts - 1, 0), locked_until = null
          where id = ${rest.id} and state = 'sending'`);
      break;
    }
    const message = { to: row.to_number, text: row.body, reference: row.reference };
    /** The provider was given the message by this attempt (an error now leaves its outcome unknown). */
    let handedOver = false;
    try {
      const known = row.previous_state === 'sending' ? await provider.lookup({ ...message, since: new Date(row.created_at) }) : null;
      if (!known && row.previous_state === 'sending' && !row.settled) {
        // Too soon to say the provider never got it: asked again once the send is old enough.
        await db.execute(sql`
          update sms_outbox set attempts = greatest(attempts - 1, 0), locked_until = null,
            sent_at = coalesce(sent_at, now()),
            next_attempt_at = greatest(now(), coalesce(sent_at, now()) + ${SMS_LOOKUP_LAG_MS / 1000} * interval '1 second')
          where id = ${row.id} and state = 'sending'`);
        continue;
      }
      handedOver = !known;
      const result = known ?? { ...(await provider.send(message)), state: 'sent' as const };
      await db.execute(sql`
        update sms_outbox set
          state = case when state in ('delivered', 'undelivered') then state else ${result.state} end,
          provider_id = coalesce(${result.providerId}, provider_id),
          segments = coalesce(${result.segments}, segments),
          sent_at = coalesce(sent_at, now()),
          reported_at = case when ${result.state} in ('delivered', 'undelivered') then coalesce(reported_at, now()) else reported_at end,
          locked_until = null, last_error = null, failed_at = null
        where id = ${row.id}`);
      sent++;
    } catch (error) {
      const outcome = error instanceof SmsSendError ? error.outcome : 'unknown';
      const message = error instanceof Error ? error.message : String(error);
      const last = outcome === 'refused' || row.attempts >= SMS_MAX_ATTEMPTS;
      const state = last ? 'failed' : outcome === 'not_sent' ? 'pending' : 'sending';
      // Only if still `sending`: a delivery report that came meanwhile knows better.
      await db.execute(sql`
        update sms_outbox set state = ${state}, last_error = ${message.slice(0, 2000)}, locked_until = null,
          next_attempt_at = now() + ${2 ** row.attempts * 30} * interval '1 second',
          sent_at = case when ${handedOver && outcome === 'unknown'} then now() when ${state === 'pending'} then null else sent_at end,
          failed_at = case when ${last} then now() end
        where id = ${row.id} and state = 'sending'`);
    }
  }
  return sent;
}
