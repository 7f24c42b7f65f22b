import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DbOrTx } from '../../db/database';
import { anonymiseAuditOf, auditOf, pruneAudit } from '../../platform/audit';
import { pruneFinishedJobs } from '../../platform/jobs';
import { forgetMessagesTo, messagesTo, pruneSentEmails } from '../../platform/outbox';
import { cutoffOf } from '../../platform/periods';
import { personalColumn, type PersonalDataSet, type RetentionRule } from '../../platform/personal-data';
import { forgetSmsTo, pruneSentSms, smsSentTo } from '../../platform/sms';
import { formerAddressesOf, getLearnerProfile, getUser, getUsers, untilInactive } from '../accounts';

/**
 * The platform's personal data (ACC-11, ACC-14), declared here since the platform knows no
 * person: the emails and SMS sent (found by the learner's address and mobiles, which the
 * accounts facade gives), the audit log, the files uploaded, the background jobs, and the
 * technical tables.
 *
 * These sets come first in `personalDataSets`: they find the learner's messages by the address
 * and phones the accounts set forgets last. The files are deleted by the modules that stored them
 * (the proofs by applications, the refund proofs by payments): a row of theirs points at the file.
 *
 * The audit log: the connection traces (sign-ins, sessions, the staff's views of a file) go after
 * `connectionLogMonths`; the rows of changes — what the learner, the staff or the service did on
 * the file — are the evidence of the processing and stay with the account, losing their IP after
 * that same period; at the closure they lose their IP and data, and their ids point at a tombstone.
 */

const sentRule: RetentionRule = { policy: 'sentMessageMonths', unit: 'months', from: 'privacy.from.messageSent' };
const connectionRule: RetentionRule = { policy: 'connectionLogMonths', unit: 'months', from: 'privacy.from.recordedAction' };
const evidenceRule = untilInactive;
const jobRule: RetentionRule = { policy: 'connectionLogMonths', unit: 'months', from: 'privacy.from.jobDone' };
const fileRule: RetentionRule = { policy: 'proofRetentionMonths', unit: 'months', from: 'privacy.from.applicationClosed' };

const column = personalColumn;

/**
 * The learner's address, their former ones (until they changed it: an email change) and mobile
 * numbers (E.164), while the account still has them.
 */
async function addressesOf(db: DbOrTx, userId: string): Promise<{ email: string | null; former: { email: string; until: Date }[]; numbers: string[] }> {
  const user = await getUser(db, userId);
  if (!user || user.status === 'closed') return { email: null, former: [], numbers: [] };
  const profile = await getLearnerProfile(db, userId);
  const numbers = [user.mobilePhone, profile?.mobilePhone]
    .map((phone) => (phone ? parsePhoneNumberFromString(phone, 'FR') : undefined))
    .filter((parsed) => parsed?.isValid())
    .map((parsed) => parsed!.number as string);
  return { email: user.email, former: await formerAddressesOf(db, userId), numbers: [...new Set(numbers)] };
}

export const messagesDataSet: PersonalDataSet = {
  name: 'platform.messages',
  tables: [
    {
      table: 'outbox',
      personal: {
        to_address: column('contact', 'privacy.purpose.sentMessages', sentRule),
        subject: column('message', 'privacy.purpose.sentMessages', sentRule),
        body_text: column('message', 'privacy.purpose.sentMessages', sentRule),
        body_html: column('message', 'privacy.purpose.sentMessages', sentRule),
        // SVC-7: the files sent with it (a convocation's calendar file: its date and place).
        attachments: column('message', 'privacy.purpose.sentMessages', sentRule),
        // A delivery error may quote the address.
        last_error: column('message', 'privacy.purpose.sentMessages', sentRule),
      },
      other: ['id', 'created_at', 'next_attempt_at', 'attempts', 'locked_until', 'sent_at', 'failed_at', 'transport'],
    },
    {
      table: 'sms_outbox',
      personal: {
        to_number: column('contact', 'privacy.purpose.sentMessages', sentRule),
        body: column('message', 'privacy.purpose.sentMessages', sentRule),
        last_error: column('message', 'privacy.purpose.sentMessages', sentRule),
      },
      other: [
        'id',
        'reference',
        'purpose',
        'encoding',
        'segments',
        'state',
        'created_at',
        'next_attempt_at',
        'attempts',
        'locked_until',
        'provider',
        'provider_id',
        'sent_at',
        'reported_at',
        'failed_at',
      ],
    },
  ],
  async exportOf(db, userId) {
    const { email, former, numbers } = await addressesOf(db, userId);
    return [
      { key: 'emails', title: 'privacy.section.emails', rows: await messagesTo(db, { emails: email ? [email] : [], former }) },
      { key: 'sms', title: 'privacy.section.sms', rows: await smsSentTo(db, { numbers }) },
    ];
  },
  async forget(tx, userId) {
    const { email, former, numbers } = await addressesOf(tx, userId);
    await forgetMessagesTo(tx, { emails: email ? [email] : [], former });
    await forgetSmsTo(tx, { numbers });
  },
  retention: {
    notice: false,
    async sweep(db, { at, policies, limit }) {
      const before = cutoffOf(sentRule, policies, at);
      const emails = await pruneSentEmails(db, { before, limit });
      return emails + (emails < limit ? await pruneSentSms(db, { before, limit: limit - emails }) : 0);
    },
  },
};

export const auditDataSet: PersonalDataSet = {
  name: 'platform.audit',
  tables: [
    {
      table: 'audit_log',
      personal: {
        ip: column('connection', 'privacy.purpose.connectionTrace', connectionRule),
        data: column('staff_trace', 'privacy.purpose.auditTrail', evidenceRule, 'anonymise'),
      },
      // The ids point at accounts (a tombstone after the closure); the action is a code.
      other: ['id', 'at', 'actor_id', 'action', 'subject_id'],
    },
  ],
  async exportOf(db, userId) {
    const { email } = await addressesOf(db, userId);
    const rows = await auditOf(db, { userId, email });
    // Who did it: the learner, a staff member by name (ACC-11: who on the staff saw or changed the file) or else by role, or the service.
    const actors = await getUsers(db, [...new Set(rows.map((r) => r.actorId).filter((id): id is string => id !== null && id !== userId))]);
    return [
      {
        key: 'audit',
        title: 'privacy.section.audit',
        rows: rows.map((r) => {
          const actor = r.actorId ? actors.get(r.actorId) : undefined;
          return {
            at: r.at,
            action: r.action,
            // A staff member's address is theirs, not the learner's: without a display name, the role.
            by:
              r.actorId === null
                ? 'system'
                : r.actorId === userId
                  ? 'learner'
                  : actor && actor.status !== 'closed'
                    ? actor.displayName
                      ? `${actor.displayName} (${actor.role})`
                      : actor.role
                    : 'staff',
            ip: r.ip,
            data: r.data,
          };
        }),
      },
    ];
  },
  async forget(tx, userId) {
    const { email } = await addressesOf(tx, userId);
    await anonymiseAuditOf(tx, { userId, email });
  },
  retention: {
    notice: false,
    async sweep(db, { at, policies, limit }) {
      return pruneAudit(db, { before: cutoffOf(connectionRule, policies, at), limit });
    },
  },
};

export const filesDataSet: PersonalDataSet = {
  name: 'platform.files',
  tables: [
    {
      table: 'stored_files',
      personal: {
        original_name: column('situation', 'privacy.purpose.uploadedFiles', fileRule),
        sha256: column('situation', 'privacy.purpose.uploadedFiles', fileRule),
      },
      other: ['id', 'purpose', 'owner_id', 'media_type', 'size', 'storage', 'created_at'],
    },
    {
      table: 'stored_file_contents',
      personal: { content: column('situation', 'privacy.purpose.uploadedFiles', fileRule) },
      other: ['file_id'],
    },
  ],
  // Each file is exported, deleted and expired by the module that stored it (with its row).
  exportOf: async () => [],
  forget: async () => {},
};

export const technicalDataSet: PersonalDataSet = {
  name: 'platform.technical',
  tables: [
    {
      table: 'jobs',
      // The payload names only the ids of the service's records (a payment, an export, a session…:
      // background.unit.test.ts checks every kind queued), each declared and forgotten by its owner;
      // an error's text may quote anything, and goes with the finished job after its period.
      personal: { last_error: column('account', 'privacy.purpose.backgroundWork', jobRule) },
      other: ['id', 'kind', 'payload', 'run_at', 'attempts', 'max_attempts', 'locked_until', 'done_at', 'failed_at', 'created_at'],
    },
    // The rate limits' keys name an address or an IP; they last minutes (deleted by the worker once reset).
    {
      table: 'rate_limit_counters',
      personal: { key: column('connection', 'privacy.purpose.rateLimits', { policy: 'connectionLogMonths', unit: 'months', from: 'privacy.from.loginAttempt' }) },
      other: ['count', 'reset_at'],
    },
    { table: 'botcheck_used', personal: {}, other: ['nonce', 'expires_at'] },
    // Who changed a policy: a staff account's id.
    { table: 'policy_settings', personal: {}, other: ['key', 'value', 'updated_at', 'updated_by'] },
  ],
  // A job's payload names ids, for the service's work: nothing to show or forget per learner; the sweep deletes finished jobs.
  exportOf: async () => [],
  forget: async () => {},
  retention: {
    notice: false,
    async sweep(db, { at, policies, limit }) {
      return pruneFinishedJobs(db, { before: cutoffOf(jobRule, policies, at), limit });
    },
  },
};

/** The platform's sets, first in `personalDataSets` (they read the account the accounts set forgets). */
export const platformDataSets: readonly PersonalDataSet[] = [messagesDataSet, auditDataSet, filesDataSet, technicalDataSet];
