import type { Config } from './config';
import type { Db } from './db/database';
import { accountsPruneTasks } from './modules/accounts';
import { attendanceJobs } from './modules/attendance';
import { paymentJobs, paymentProvider, paymentSweep } from './modules/payments';
import { certificationJobs, certificationSweep } from './modules/certification';
import { drawCommitTask, drawJobs, waitingListJobs } from './modules/selection';
import { privacyJobs, pruneExpiredExports, retentionTask } from './modules/privacy';
import { webhookJobs, webhooksPruneTasks } from './modules/webhooks';
import { snapshotJobs, snapshotTask } from './modules/opendata';
import type { Clock } from './platform/clock';
import type { JobHandlers } from './platform/jobs';
import type { PruneTask } from './platform/worker';

/**
 * The modules' background work, for the worker (part of the composition root, beside app.ts):
 * their job handlers — every kind a module queues must be handled here, or the job fails until
 * it gives up — and their periodic tasks.
 */
export function backgroundWork(input: { config: Config; db: Db; clock: Clock; secret: string }): { jobs: JobHandlers[]; prune: PruneTask[] } {
  const { config, db, clock, secret } = input;
  // PAY-1, PAY-2: the reminders, the check of an attempt at its idOp's expiry, the sweep of open attempts.
  const payments = { db, clock, baseUrl: config.baseUrl, secret, cashOffice: config.cashOffice, provider: paymentProvider(config) };
  // ATT-4, CERT-2: the end-of-course outcomes and certificates, the certificates of skills at their due date.
  const certification = { db, clock, baseUrl: config.baseUrl, secret };
  // ACC-11: the large downloads of one's data (job `privacy.export`), and the expired ones deleted.
  // SVC-8: the webhooks' deliveries (job `webhooks.deliver`), their 30 days' log pruned, stalled messages queued again.
  return {
    jobs: [waitingListJobs({ db, clock, baseUrl: config.baseUrl }), drawJobs({ db, clock }), paymentJobs(payments), attendanceJobs({ db, clock, baseUrl: config.baseUrl }), certificationJobs(certification), privacyJobs({ db, clock }), webhookJobs({ db, clock }), snapshotJobs({ db, clock, baseUrl: config.baseUrl })],
    // ACC-14: the retention job, at most once per day on Paris's clocks (privacy/retention.service).
    // SEL-2: the draws' commitment job is kept queued (it commits each session's draw before its window opens).
    // SVC-8: the open-data snapshot job is kept queued (it writes each day's files, then queues the next day).
    prune: [...accountsPruneTasks, drawCommitTask, snapshotTask, paymentSweep(payments), certificationSweep(certification), pruneExpiredExports, retentionTask({ baseUrl: config.baseUrl }), ...webhooksPruneTasks],
  };
}
