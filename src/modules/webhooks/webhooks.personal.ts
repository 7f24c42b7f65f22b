import { asc, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { cutoffOf } from '../../platform/periods';
import { personalColumn, type PersonalDataSet, type RetentionRule } from '../../platform/personal-data';
import { applicationIdsOf } from '../applications';
import { webhookEndpoints, webhookMessages } from './webhooks.table';

/**
 * SVC-8, ACC-11, ACC-14: what the webhooks hold about a learner. A message's body names an
 * application by its id (pseudonymous) and, for an endpoint granted personal data, carries the
 * learner's fields `payloadFields` marks personal: the body is the personal column. A message
 * delivered or given up is deleted 30 days later with its attempts (the delivery's prune task);
 * one still waiting (its endpoint disabled) is kept at most like the emails and SMS sent
 * (`sentMessageMonths` from its writing); they are in the learner's download (which system was told what, when) and
 * deleted at the closure. Endpoints, secrets, attempts (the receiver's answers, 30 days) and
 * allowed hosts are the service's own configuration and logs: staff ids are work records.
 */
const sentRule: RetentionRule = { policy: 'sentMessageMonths', unit: 'months', from: 'privacy.from.messageSent' };

/** The application ids a message body names (`data.application_id`). */
const applicationOfPayload = sql<string | null>`${webhookMessages.payload} -> 'data' ->> 'application_id'`;

async function messagesAbout(db: DbOrTx, userId: string) {
  const applications = await applicationIdsOf(db, userId);
  if (applications.length === 0) return [];
  return db
    .select({ id: webhookMessages.id, endpointId: webhookMessages.endpointId, eventType: webhookMessages.eventType, payload: webhookMessages.payload, createdAt: webhookMessages.createdAt, deliveredAt: webhookMessages.deliveredAt })
    .from(webhookMessages)
    .where(inArray(applicationOfPayload, applications))
    .orderBy(asc(webhookMessages.createdAt), asc(webhookMessages.id));
}

export const webhooksDataSet: PersonalDataSet = {
  name: 'webhooks',
  tables: [
    { table: 'webhook_endpoints', personal: {}, other: ['id', 'url', 'description', 'event_types', 'personal_data', 'created_at', 'created_by', 'updated_at', 'disabled_at', 'disabled_reason'] },
    { table: 'webhook_secrets', personal: {}, other: ['id', 'endpoint_id', 'secret', 'created_at', 'expires_at'] },
    {
      table: 'webhook_messages',
      personal: { payload: personalColumn('application', 'privacy.purpose.webhooks.payload', sentRule) },
      other: ['id', 'endpoint_id', 'event_type', 'created_at', 'attempts', 'next_attempt_at', 'delivered_at', 'failed_at', 'replayed_by', 'replayed_at'],
    },
    { table: 'webhook_attempts', personal: {}, other: ['id', 'message_id', 'at', 'status_code', 'error', 'duration_ms', 'response_excerpt'] },
    { table: 'webhook_allowed_hosts', personal: {}, other: ['host', 'reason', 'allowed_by', 'allowed_at'] },
  ],
  async exportOf(db, userId) {
    const messages = await messagesAbout(db, userId);
    if (messages.length === 0) return [];
    const urls = new Map((await db.select({ id: webhookEndpoints.id, url: webhookEndpoints.url }).from(webhookEndpoints).where(inArray(webhookEndpoints.id, [...new Set(messages.map((m) => m.endpointId))]))).map((e) => [e.id, e.url]));
    return [
      {
        key: 'webhooks',
        title: 'privacy.section.webhooks',
        rows: messages.map((m) => ({ id: m.id, to: urls.get(m.endpointId), type: m.eventType, createdAt: m.createdAt, deliveredAt: m.deliveredAt, payload: m.payload })),
      },
    ];
  },
  async forget(tx, userId) {
    const messages = await messagesAbout(tx, userId);
    if (messages.length) await tx.delete(webhookMessages).where(inArray(webhookMessages.id, messages.map((m) => m.id)));
  },
  retention: {
    notice: false,
    async sweep(db, { at, policies, limit }) {
      const before = cutoffOf(sentRule, policies, at);
      const due = db.select({ id: webhookMessages.id }).from(webhookMessages).where(lt(webhookMessages.createdAt, before)).limit(limit);
      const deleted = await db.delete(webhookMessages).where(inArray(webhookMessages.id, due)).returning({ id: webhookMessages.id });
      return deleted.length;
    },
  },
};
