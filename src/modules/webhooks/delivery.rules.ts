import { HOUR, MINUTE } from '../../platform/clock';

/**
 * SVC-8: the delivery policy of webhooks, pure (the delivery service applies it).
 *
 * A message is tried at once, then again after each delay below (with jitter), ten attempts over
 * about three days (71 h 35 min before jitter) before it is given up (`failed_at`).
 */
export const retryDelaysMs: readonly number[] = [5_000, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 20 * HOUR];
/** Every attempt: the first one and each retry. */
export const maxAttempts = retryDelaysMs.length + 1;
/** Each delay is moved by up to this share either way, so that endpoints back from an outage are not hit by every retry at once. */
export const jitterShare = 0.2;
/** A `Retry-After` longer than this is not waited for longer than this. */
export const maxRetryAfterMs = 24 * HOUR;
/** An answer not complete after this is a failure ('timeout'). */
export const requestTimeoutMs = 10_000;
/** The answer's first bytes kept in the attempt's log. */
export const excerptBytes = 1024;
/** A message's body stays under this many bytes (lists of codes are split into several messages). */
export const maxBodyBytes = 20_000;
/** While an attempt is under way, its message is not tried by another job (longer than the timeout). */
export const claimMs = requestTimeoutMs + 50_000;
/** Attempts are kept this long in the log. */
export const attemptRetentionMs = 30 * 24 * HOUR;

/** What an answer (or its absence) means for the message. */
export type Outcome = 'delivered' | 'gone' | 'retry';

/** 2xx: delivered; 410 Gone: the endpoint asks not to be sent anything more; anything else (3xx included, and no answer): try again. */
export function outcomeOf(statusCode: number | null): Outcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return 'delivered';
  if (statusCode === 410) return 'gone';
  return 'retry';
}

/**
 * `Retry-After` (seconds, or an HTTP date) as milliseconds from `now`; null when absent or
 * unreadable; never negative.
 */
export function retryAfterMs(header: string | null | undefined, now: Date): number | null {
  if (header === null || header === undefined) return null;
  const value = header.trim();
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1000;
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(value)) return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * When to try again after the `attempts`-th failed attempt (1 for the first), or null when
 * that was the last one. `random` in [0, 1) gives the jitter; a `Retry-After` (429 and 503
 * only) is honoured when it asks for later than the schedule, up to `maxRetryAfterMs`.
 */
export function nextAttemptAt(input: { attempts: number; now: Date; random: number; statusCode?: number | null; retryAfter?: string | null }): Date | null {
  if (input.attempts >= maxAttempts) return null;
  const base = retryDelaysMs[Math.max(0, input.attempts - 1)];
  let delay = Math.round(base * (1 - jitterShare + 2 * jitterShare * input.random));
  if (input.statusCode === 429 || input.statusCode === 503) {
    const asked = retryAfterMs(input.retryAfter, input.now);
    if (asked !== null && asked > delay) delay = Math.min(asked, maxRetryAfterMs);
  }
  return new Date(input.now.getTime() + delay);
}
