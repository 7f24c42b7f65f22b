import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table';

/**
 * SVC-8: an endpoint another system registered with the central service (an administrator
 * adds it): where to send (HTTPS), which event types, whether it is granted personal data
 * (by default a payload names an application by its pseudonymous id only). Disabled by an
 * administrator, or by the endpoint itself answering 410 Gone (`disabled_reason`).
 */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** Event types it receives (events.ts `webhookEventTypes`). */
    eventTypes: text('event_types').array().notNull(),
    /** Granted personal data beyond the pseudonymous application id (listed for the DPO). */
    personalData: boolean('personal_data').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    /** 'staff' (an administrator), 'gone' (the endpoint answered 410). */
    disabledReason: text('disabled_reason'),
  },
  (t) => [check('webhook_endpoints_disabled', sql`(${t.disabledAt} is null) = (${t.disabledReason} is null)`)],
);

/**
 * An endpoint's signing secrets (`whsec_` + base64 of 24–64 random bytes). Normally one; during a
 * rotation the previous one stays until `expires_at`, and deliveries carry both signatures.
 */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Null: current. Set at rotation: the old secret signs too until then. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [index('webhook_secrets_endpoint_idx').on(t.endpointId)],
);

/**
 * One message for one endpoint, written in the transaction of the change it announces. Its id
 * (`msg_…`) is the `webhook-id` header, the same on every attempt. `payload` is the whole JSON
 * body as sent (thin: ids and what changed, under 20 kB). The delivery job tries it at
 * `next_attempt_at` until it is delivered (2xx), gives up (`failed_at`, after about three days)
 * or its endpoint is disabled.
 */
export const webhookMessages = pgTable(
  'webhook_messages',
  {
    id: text('id').primaryKey(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    /** A staff member asked for it again (replay): who and when, for the log. */
    replayedBy: uuid('replayed_by').references(() => users.id),
    replayedAt: timestamp('replayed_at', { withTimezone: true }),
  },
  (t) => [
    index('webhook_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    index('webhook_messages_endpoint_idx').on(t.endpointId, t.createdAt),
  ],
);

/** Each attempt to deliver a message, kept 30 days (pruned): for staff and the endpoint's owner. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: text('message_id')
      .notNull()
      .references(() => webhookMessages.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** HTTP status, null when no answer came (timeout, refused, address forbidden). */
    statusCode: integer('status_code'),
    /** What went wrong, in a few words ('timeout', 'redirect', 'forbidden address 10.0.0.1'…). */
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    /** The first bytes of the answer (at most 1 kB), for the log. */
    responseExcerpt: text('response_excerpt'),
  },
  (t) => [index('webhook_attempts_message_idx').on(t.messageId, t.at), index('webhook_attempts_at_idx').on(t.at)],
);

/**
 * SVC-8 against server-side request forgery: a host an administrator allowed although it
 * resolves to a loopback, private or link-local address (an internal system; the tests' receiver).
 */
export const webhookAllowedHosts = pgTable('webhook_allowed_hosts', {
  host: text('host').primaryKey(),
  reason: text('reason').notNull(),
  allowedBy: uuid('allowed_by').references(() => users.id),
  allowedAt: timestamp('allowed_at', { withTimezone: true }).notNull(),
});
