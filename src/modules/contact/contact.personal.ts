import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { deleteStoredFile } from '../../platform/files';
import { personalColumn, type ExportSection, type PersonalDataSet, type TableDeclaration } from '../../platform/personal-data';
import { untilInactive } from '../accounts';
import { contactEntries, contactMessages } from './contact.table';

/**
 * ACC-11, ACC-14: what the contact module holds about a learner (SVC-1): their messages to the
 * service, the answers, and the proofs they attached. They are kept while the account lives
 * (closed after `inactiveAccountMonths` without activity) and deleted at the closure, files
 * included: a refund or a name change decided is recorded where it is decided (payments,
 * accounts), not here. Staff members' ids are the service's own work records.
 */
const message = personalColumn('message', 'privacy.purpose.contact.message', untilInactive);
const attachment = personalColumn('situation', 'privacy.purpose.contact.attachment', untilInactive);

const tables: readonly TableDeclaration[] = [
  {
    table: 'contact_messages',
    personal: { learner_id: message, subject: message },
    other: ['id', 'reference', 'application_id', 'session_id', 'school_id', 'route', 'status', 'form_token', 'created_at', 'updated_at', 'closed_at'],
  },
  {
    table: 'contact_entries',
    // The author is the learner or a staff member (their work record): the column is declared with the learner's use.
    personal: { body: message, author_id: message, file_id: attachment },
    other: ['id', 'message_id', 'from_staff', 'form_token', 'created_at', 'seq'],
  },
];

async function messagesOf(db: DbOrTx, userId: string) {
  return db.select().from(contactMessages).where(eq(contactMessages.learnerId, userId)).orderBy(asc(contactMessages.createdAt), asc(contactMessages.id));
}

async function exportOf(db: DbOrTx, userId: string): Promise<ExportSection[]> {
  const messages = await messagesOf(db, userId);
  const entries = messages.length
    ? await db.select().from(contactEntries).where(inArray(contactEntries.messageId, messages.map((m) => m.id))).orderBy(asc(contactEntries.seq))
    : [];
  const referenceOf = new Map(messages.map((m) => [m.id, m.reference]));
  return [
    {
      key: 'contactMessages',
      title: 'privacy.section.contact.messages',
      rows: messages.map((m) => ({ reference: m.reference, subject: m.subject, applicationId: m.applicationId, status: m.status, createdAt: m.createdAt, closedAt: m.closedAt })),
    },
    {
      key: 'contactEntries',
      title: 'privacy.section.contact.entries',
      // One row per message written, the learner's and the service's answers, under their reference.
      rows: entries.map((e) => ({ reference: referenceOf.get(e.messageId), from: e.fromStaff ? 'service' : 'learner', text: e.body, fileId: e.fileId, createdAt: e.createdAt })),
    },
  ];
}

/** ACC-11: deletes the learner's messages, their answers and the files attached (again: nothing left). */
async function forget(tx: Tx, userId: string): Promise<void> {
  const messages = await messagesOf(tx, userId);
  if (messages.length === 0) return;
  const ids = messages.map((m) => m.id);
  const entries = await tx.select({ fileId: contactEntries.fileId }).from(contactEntries).where(inArray(contactEntries.messageId, ids));
  await tx.delete(contactEntries).where(inArray(contactEntries.messageId, ids));
  for (const e of entries) if (e.fileId) await deleteStoredFile(tx, e.fileId);
  await tx.delete(contactMessages).where(inArray(contactMessages.id, ids));
}

/** The contact module's personal data (ACC-11, ACC-14). */
export const contactDataSet: PersonalDataSet = { name: 'contact', tables, exportOf, forget };
