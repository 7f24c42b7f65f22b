import { sql } from 'drizzle-orm';
import { bigserial, check, customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Policy settings (SPEC's numbers), one row per setting; defaults live in platform/policies. */
export const policySettings = pgTable('policy_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

/** Append-only record of who did what (DESIGN: every change writes an audit entry). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    subjectId: uuid('subject_id'),
    ip: text('ip'),
    data: jsonb('data').notNull().default({}),
  },
  (t) => [index('audit_log_subject_idx').on(t.subjectId, t.at), index('audit_log_actor_idx').on(t.actorId, t.at), index('audit_log_action_idx').on(t.action, t.at)],
);

/** Background work, claimed with FOR UPDATE SKIP LOCKED so any number of workers share it. */
export const jobs = pgTable(
  'jobs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').notNull().default({}),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(5),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('jobs_due_idx').on(t.runAt).where(sql`done_at is null and failed_at is null`)],
);

/** A file sent with an email (SVC-7: the convocation's calendar file): a text file, kept in the outbox row. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** The file's text (a calendar file is text). */
  content: string;
}

/** Transactional outbox: an email row is written in the same transaction as the change it announces. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    to: text('to_address').notNull(),
    subject: text('subject').notNull(),
    text: text('body_text').notNull(),
    html: text('body_html'),
    /** SVC-7: the files sent with it (a convocation's calendar file), their text kept as it goes. */
    attachments: jsonb('attachments').$type<EmailAttachment[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    transport: text('transport'),
    lastError: text('last_error'),
  },
  // ACC-11, ACC-14: a person's messages are found by their address (the download, the closure).
  (t) => [index('outbox_pending_idx').on(t.nextAttemptAt).where(sql`sent_at is null and failed_at is null`), index('outbox_to_idx').on(t.to)],
);

/**
 * The SMS outbox (a second notification channel): written in the transaction of the change it
 * announces, like the email outbox. `sending` means a send was started and its outcome is not
 * known (a timeout): the next attempt asks the provider about the reference before sending again,
 * so a message is never sent twice. Delivery reports update `state` (delivered, undelivered).
 */
export const smsOutbox = pgTable(
  'sms_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Our reference, given to the provider (its idempotency and report key). */
    reference: uuid('reference').notNull().unique().defaultRandom(),
    /** E.164 (+33612345678). */
    to: text('to_number').notNull(),
    body: text('body').notNull(),
    /** What it announces (the template's key), for the outbox page and the statistics. */
    purpose: text('purpose').notNull(),
    encoding: text('encoding').notNull(),
    segments: integer('segments').notNull(),
    state: text('state', { enum: ['pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed'] }).notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    provider: text('provider'),
    providerId: text('provider_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    reportedAt: timestamp('reported_at', { withTimezone: true }),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    index('sms_outbox_pending_idx').on(t.nextAttemptAt).where(sql`state in ('pending', 'sending')`),
    index('sms_outbox_provider_id_idx').on(t.provider, t.providerId),
    index('sms_outbox_to_idx').on(t.to),
  ],
);

/**
 * Counters for rate limits, shared by every app process. UNLOGGED (migration 0026, hand-written:
 * drizzle cannot say it): a hit does not wait for a WAL flush; after a crash they start from zero.
 */
export const rateLimitCounters = pgTable(
  'rate_limit_counters',
  {
    key: text('key').primaryKey(),
    count: integer('count').notNull(),
    resetAt: timestamp('reset_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limit_counters_reset_idx').on(t.resetAt)],
);

/** Bot-check challenges already used, so a solved challenge cannot be replayed. */
export const botcheckUsed = pgTable('botcheck_used', {
  nonce: text('nonce').primaryKey(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** The kinds of file people may upload, by their content (platform/files): PDF, JPEG, PNG. */
export const storedMediaTypes = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type StoredMediaType = (typeof storedMediaTypes)[number];

/**
 * Files people uploaded (a half-rate proof…): what they are, whose, and where their bytes are
 * (`storage`; in PostgreSQL, `stored_file_contents`, so every app process reads them). The
 * owner is an account id, without a foreign key: the platform knows no module's tables.
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What the file is for, named by the module that stored it (`rate_proof`). */
    purpose: text('purpose').notNull(),
    ownerId: uuid('owner_id').notNull(),
    /** Found from the content, never from the name or the browser's type. */
    mediaType: text('media_type', { enum: storedMediaTypes }).notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    /** The name the person's computer gave it, cleaned (no path, no control characters). */
    originalName: text('original_name').notNull(),
    storage: text('storage').notNull().default('postgres'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('stored_files_owner_idx').on(t.ownerId, t.purpose),
    check('stored_files_size', sql`${t.size} > 0`),
    check('stored_files_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
  ],
);

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** The bytes of the files kept in PostgreSQL (the default storage), apart from their description. */
export const storedFileContents = pgTable('stored_file_contents', {
  fileId: uuid('file_id')
    .primaryKey()
    .references(() => storedFiles.id, { onDelete: 'cascade' }),
  content: bytea('content').notNull(),
});
