import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, integer, pgSequence, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { contactSubjects } from '../../domain/vocabulary';
import { storedFiles } from '../../platform/platform.table';
import { users } from '../accounts/accounts.table';
import { courseSessions, schools } from '../catalogue/catalogue.table';

const list = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

/** SVC-1: the numbers of the references (C-2026-00042), one series for every year. */
export const contactReferenceSeq = pgSequence('contact_reference_seq', { startWith: 1 });

/**
 * SVC-1: a learner's message to the service (a conversation): its subject, what it is about (an
 * application of theirs, its session and school), where it was routed (`school`: the school heads
 * of the session's school; `central`: the coordinators), its status (sent: waiting for the
 * service; answered; closed). Sent twice with the same form (`form_token`) it is one message.
 */
export const contactMessages = pgTable(
  'contact_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    reference: text('reference').notNull().unique(),
    learnerId: uuid('learner_id')
      .notNull()
      .references(() => users.id),
    subject: text('subject').notNull(),
    /** No foreign key: a draft application the learner deletes (APP-2) leaves the message whole; its session says what it was about. */
    applicationId: uuid('application_id'),
    sessionId: integer('session_id').references(() => courseSessions.id),
    schoolId: integer('school_id').references(() => schools.id),
    route: text('route').notNull(),
    status: text('status').notNull().default('sent'),
    formToken: uuid('form_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The last entry's time: the queue shows the oldest waiting first. */
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    unique('contact_messages_form_token').on(t.learnerId, t.formToken),
    check('contact_messages_subject', sql`${t.subject} in (${list(contactSubjects)})`),
    check('contact_messages_route', sql`${t.route} in ('school', 'central')`),
    check('contact_messages_status', sql`${t.status} in ('sent', 'answered', 'closed')`),
    check('contact_messages_reference', sql`${t.reference} ~ '^C-[0-9]{4}-[0-9]{5,}$'`),
    index('contact_messages_learner_idx').on(t.learnerId, t.createdAt),
    index('contact_messages_queue_idx').on(t.route, t.status, t.updatedAt),
  ],
);

/** SVC-1: one entry of a conversation: the learner's message or reply, or the staff's answer, with its attachment. */
export const contactEntries = pgTable(
  'contact_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => contactMessages.id),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    fromStaff: boolean('from_staff').notNull(),
    body: text('body').notNull(),
    fileId: uuid('file_id').references(() => storedFiles.id),
    /** The form that wrote it: a reply or an answer sent twice is written once. */
    formToken: uuid('form_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The order of writing (two entries of one instant keep it). */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    unique('contact_entries_form_token').on(t.messageId, t.formToken),
    check('contact_entries_body', sql`char_length(${t.body}) between 1 and 5000`),
    index('contact_entries_message_idx').on(t.messageId, t.createdAt),
  ],
);
