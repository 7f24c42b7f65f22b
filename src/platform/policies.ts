import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db/database';
import { policySettings } from './platform.table';

/**
 * The policy settings: every number SPEC states, with its default, editable by an administrator
 * (one row per setting in `policy_settings`). Code reads them from here, never as literals.
 */
export const policySchema = z.object({
  /** APP-5 */
  maxActiveApplications: z.number().int().min(1).max(20).default(3),
  /** ACC-7 */
  minimumAge: z.number().int().min(0).max(120).default(18),
  /** PAY-3, in cents */
  cashPaymentLimitCents: z.number().int().min(0).default(30_000),
  /** ATT-4 */
  attendanceCertificatePercent: z.number().int().min(0).max(100).default(75),
  /** ATT-4: a justified absence counts as presence for the attendance certificate (1) or not (0, the FAQ's rule). */
  justifiedAbsenceCountsAsPresence: z.number().int().min(0).max(1).default(0),
  /** ATT-1: a late arrival or early leaving up to this many minutes costs no attended minutes. */
  lateGraceMinutes: z.number().int().min(0).max(60).default(10),
  /** ATT-2: unjustified absences in a row after which the service may remove the learner; beyond it, whatever the reason, the trainer may exclude them. */
  consecutiveAbsencesForRemoval: z.number().int().min(1).default(3),
  /** ATT-5 */
  absencesBeforeWarning: z.number().int().min(1).default(2),
  /** CERT-2: the certificate of skills is issued within this many months after the course ends. */
  certificateOfSkillsMonths: z.number().int().min(1).max(12).default(2),
  /** CERT-3: how many times a learner who failed may take the same course again. */
  repeatsAllowed: z.number().int().min(0).max(5).default(1),
  /** PAY-9 */
  refundWindowWeeks: z.number().int().min(0).default(4),
  /** PAY-6 */
  halfRateProofValidityMonths: z.number().int().min(0).default(3),
  /** PAY-6: the largest file a person may upload (a proof), in megabytes (MiB); every process holds one upload in memory. */
  uploadMaxMegabytes: z.number().int().min(1).max(20).default(5),
  /** SEL-9 */
  waitingListExpiryWeeks: z.number().int().min(0).default(3),
  /** SEL-3, SEL-4: a convocation is emailed when made; its date is at least this many days later. */
  convocationNoticeDays: z.number().int().min(0).max(60).default(3),
  /** SEL-7, SEL-8: how long a learner has to answer a place offered from a waiting list. */
  offerReplyHours: z.number().int().min(1).max(24 * 14).default(72),
  /** SEL-2: the criteria's points, published with each session's selection (the evaluation prevails over all of them). */
  pointsWelfareRecipient: z.number().int().min(0).max(20).default(3),
  pointsJobSeeker: z.number().int().min(0).max(20).default(2),
  pointsAssistedContract: z.number().int().min(0).max(20).default(2),
  pointsProfessionalObjective: z.number().int().min(0).max(20).default(1),
  pointsDiplomaObjective: z.number().int().min(0).max(20).default(1),
  pointsPreviousCertificate: z.number().int().min(0).max(20).default(2),
  pointsPreviousAttendance: z.number().int().min(0).max(20).default(1),
  /** SEL-2: the share of the previous level attended that earns `pointsPreviousAttendance`, in %. */
  previousAttendancePercentForPoints: z.number().int().min(0).max(100).default(75),
  /** SVC-5 */
  assistedPlacesPercent: z.number().int().min(0).max(100).default(0),
  /** ACC-3 */
  activationLinkHours: z.number().int().min(1).default(48),
  /** ACC-4 */
  passwordResetLinkMinutes: z.number().int().min(5).default(60),
  /** ACC-8 */
  emailChangeLinkHours: z.number().int().min(1).default(24),
  /** Sessions end after this idle time (ASVS 3.3.2) … */
  sessionIdleMinutes: z.number().int().min(1).default(30),
  /** … and after this much time whatever happens. */
  sessionMaxHours: z.number().int().min(1).default(12),
  /** ACC-1: failed logins of an account from every source, past which every source waits (a minute at most). */
  maxFailedLoginsPerHour: z.number().int().min(1).default(100),
  /** ACC-1: failed logins of an account from one source, past which that source waits (doubling, 15 minutes at most). */
  failedLoginsPerSourceBeforeWait: z.number().int().min(1).default(5),
  /** Per-address limits of the public forms, per 10 minutes. */
  loginAttemptsPerIpPer10Min: z.number().int().min(1).default(60),
  signupsPerIpPer10Min: z.number().int().min(1).default(20),
  resetRequestsPerIpPer10Min: z.number().int().min(1).default(20),
  activationResendsPerIpPer10Min: z.number().int().min(1).default(20),
  /** ACC-5: the learner-record form tells whether a person is registered; its limit per address, per 10 minutes. */
  recordSubmissionsPerIpPer10Min: z.number().int().min(1).default(60),
  /** PAY-10: lookups of the public document page (/verifier/CODE) per address, per 10 minutes. */
  documentLookupsPerIpPer10Min: z.number().int().min(1).default(200),
  /** SVC-1: searches of the help pages (/aide?q=) per address, per 10 minutes. */
  helpSearchesPerIpPer10Min: z.number().int().min(1).default(300),
  /** SVC-8: requests to the public API (/api/…) per address, per 10 minutes, all its addresses together. */
  apiRequestsPerIpPer10Min: z.number().int().min(1).default(3000),
  /** Per-account limits of the account forms, per hour: an email change sends emails, a password change guesses the current one. */
  emailChangesPerAccountPerHour: z.number().int().min(1).default(5),
  passwordChangesPerAccountPerHour: z.number().int().min(1).default(10),
  /** SVC-5: tries of a takeover code (/compte/reprendre) per account — the identifier typed — per hour, besides the five tries of each code. */
  takeoverCodeTriesPerAccountPerHour: z.number().int().min(1).default(10),
  /** ACC-14: a learner is told this many days before something of theirs is deleted or anonymised. */
  retentionNoticeDays: z.number().int().min(1).max(90).default(14),
  /** ACC-14: an account with no sign-in and no application for this long is closed (ACC-11's closure). */
  inactiveAccountMonths: z.number().int().min(6).max(120).default(36),
  /** ACC-14: proofs uploaded with an application (situation, half rate) are deleted this long after the application closes. */
  proofRetentionMonths: z.number().int().min(1).max(120).default(12),
  /**
   * ACC-14, issue 18 (decision 028): the proof sent with an exam request (another centre: a move,
   * a work trip) is deleted this long after the request is decided, sooner than the request itself
   * (kept with the account): the exam it was for is over by then, and so is any appeal.
   */
  examProofRetentionMonths: z.number().int().min(1).max(24).default(6),
  /** ACC-14: sign-ins, sessions and the staff's traces of who saw a file are kept this long. */
  connectionLogMonths: z.number().int().min(1).max(60).default(12),
  /** ACC-14: emails and SMS sent are kept this long in the outboxes (delivery questions), then deleted. */
  sentMessageMonths: z.number().int().min(1).max(60).default(6),
  /** ACC-11, ACC-14: payments and refunds are accounting records, kept (anonymised after a closure) this long. */
  paymentRetentionYears: z.number().int().min(1).max(30).default(10),
  /** ACC-11, ACC-14: attestations and certificates issued stay verifiable (anonymised after a closure) this long. */
  issuedDocumentRetentionYears: z.number().int().min(1).max(80).default(50),
  /** ACC-11: a prepared download of one's data stays available this long. */
  dataExportHours: z.number().int().min(1).max(24 * 14).default(72),
  /** ACC-11: downloads of one's data a learner may ask for, per day (each reads everything the service holds about them). */
  dataExportsPerAccountPerDay: z.number().int().min(1).max(100).default(5),
  /** ACC-5 */
  recordSubmissionsPerAccountPerHour: z.number().int().min(1).default(10),
});

export type Policies = z.output<typeof policySchema>;

/** The upload limit of the policies, in bytes. */
export const uploadMaxBytes = (policies: Pick<Policies, 'uploadMaxMegabytes'>): number => policies.uploadMaxMegabytes * 1024 * 1024;
export type PolicyKey = keyof Policies;

export const defaultPolicies: Policies = policySchema.parse({});

/** Stored values override the defaults; a stored value that no longer validates is ignored. */
export async function getPolicies(db: DbOrTx): Promise<Policies> {
  const rows = await db.select().from(policySettings);
  const merged: Record<string, unknown> = { ...defaultPolicies };
  for (const row of rows) {
    if (!(row.key in policySchema.shape)) continue;
    const field = policySchema.shape[row.key as PolicyKey];
    const parsed = field.safeParse(row.value);
    if (parsed.success) merged[row.key] = parsed.data;
  }
  return merged as Policies;
}

export async function setPolicy<K extends PolicyKey>(
  db: DbOrTx,
  key: K,
  value: Policies[K],
  updatedBy: string | null = null,
): Promise<void> {
  const parsed = policySchema.shape[key].parse(value);
  await db
    .insert(policySettings)
    .values({ key, value: parsed, updatedBy })
    .onConflictDoUpdate({ target: policySettings.key, set: { value: parsed, updatedBy, updatedAt: new Date() } });
}

export async function resetPolicy(db: DbOrTx, key: PolicyKey): Promise<void> {
  await db.delete(policySettings).where(eq(policySettings.key, key));
}

/**
 * The policies, read at most once per `ttlMs` per process: hot paths (every authenticated
 * request) need them, and a change by an administrator is seen within seconds everywhere.
 */
export function cachedPolicies(db: DbOrTx, ttlMs: number): () => Promise<Policies> {
  let value: Promise<Policies> | undefined;
  let readAt = 0;
  return () => {
    if (!value || Date.now() - readAt > ttlMs) {
      readAt = Date.now();
      value = getPolicies(db).catch((error) => {
        value = undefined;
        throw error;
      });
    }
    return value;
  };
}
