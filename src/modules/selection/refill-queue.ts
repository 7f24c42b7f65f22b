import type { DbOrTx } from '../../db/database';
import { enqueueJob, jobPending } from '../../platform/jobs';

/**
 * SEL-8: the refill job's queue, apart from the refill itself (waiting-list.service.ts) so that
 * what gives places up (the responder, the decisions) can ask for a refill without importing it.
 */

export const REFILL_JOB = 'selection.refill';

/**
 * SEL-8: a place may have freed up in this session: the refill job offers it to the next. One
 * refill job not yet started covers every place freed before it runs (it counts free places
 * when it runs), so a second one is not queued; a job already running may have counted before
 * this change, so then a new one is.
 */
export async function placeFreed(tx: DbOrTx, now: Date, sessionId: number): Promise<void> {
  if (!(await jobPending(tx, { kind: REFILL_JOB, payload: { sessionId }, notStarted: true })))
    await enqueueJob(tx, { kind: REFILL_JOB, payload: { sessionId }, runAt: now });
}

/** SEL-7, SEL-8: how soon a refill that stopped at a learner another transaction held tries again. */
const REFILL_RETRY_MS = 5_000;

export async function refillAgainSoon(tx: DbOrTx, now: Date, sessionId: number) {
  if (!(await jobPending(tx, { kind: REFILL_JOB, payload: { sessionId }, notStarted: true })))
    await enqueueJob(tx, { kind: REFILL_JOB, payload: { sessionId }, runAt: new Date(now.getTime() + REFILL_RETRY_MS) });
}
