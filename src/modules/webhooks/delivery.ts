import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { enqueueJob } from '../../platform/jobs';
import { webhookMessages } from './webhooks.table';

/** The job that sends one message (its handler is the delivery service's). */
export const deliverJob = 'webhooks.deliver';

/**
 * Asks for a message to be sent at `at` (its first attempt, a retry, or a staff member's
 * replay): sets its next attempt and queues the delivery job, in the caller's transaction.
 */
export async function scheduleDelivery(db: DbOrTx, messageId: string, at: Date): Promise<void> {
  await db.update(webhookMessages).set({ nextAttemptAt: at }).where(eq(webhookMessages.id, messageId));
  await enqueueJob(db, { kind: deliverJob, payload: { messageId }, runAt: at, maxAttempts: 3 });
}
