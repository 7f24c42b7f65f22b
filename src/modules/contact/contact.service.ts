import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { Db, DbOrTx, Tx } from '../../db/database';
import type { ContactSubject, Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { checkFileContent, readStoredFile, storedFileInfo, storeFile, type StoredFile } from '../../platform/files';
import type { MessageKey, Params } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { getPolicies, uploadMaxBytes } from '../../platform/policies';
import { learnerNames, lockUser, parisDay, tellLearner } from '../accounts';
import { applicationById, applicationIdsOf, applicationsByIds } from '../applications';
import { sessionsForApplications, sessionsInScope, type SessionForApplication } from '../catalogue';
import { scopeOf } from '../scopes';
import { CONTACT_TEXT_MAX, formatReference, mayAnswerContact, mayHandle, mayWrite, routeFor, statusAfter, statusesOf, subjectNeedsSession, subjectTakesFile, type ContactStatus, type QueueFilter } from './contact.rules';
import { contactEntries, contactMessages } from './contact.table';

/**
 * SVC-1: the contact form. A learner writes to the service about a subject (and maybe one of
 * their applications); the message gets a reference (C-2026-00042), is routed by `routeFor`
 * (the session's school, or the central service) and is followed in their account, where they
 * read the answers and reply. Staff answer from a queue in their scope (`mayHandle`: the scope
 * is part of the queue's WHERE); the answer is told to the learner by `tellLearner` (SVC-7).
 *
 * Locks: the learner's row while a message or a reply is written (the same form sent twice
 * waits for the first and finds it), the message's row while an entry is added.
 */

export type ContactMessage = typeof contactMessages.$inferSelect;
export type ContactEntry = typeof contactEntries.$inferSelect;
export type FileInfo = Pick<StoredFile, 'mediaType' | 'size' | 'originalName'>;
export interface ContactDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
}
export interface Staff {
  id: string;
  role: Role;
}

/** What stored files of contact messages are for (`stored_files.purpose`). */
export const CONTACT_FILE_PURPOSE = 'contact_attachment';

export type ContactField = 'subject' | 'about' | 'text' | 'attachment' | 'formToken';
export type ContactFailure = { ok: false; code: 'not_found' | 'forbidden' | 'refused'; message: MessageKey; field?: ContactField; params?: Params };

const failure = (code: ContactFailure['code'], message: MessageKey, more: { field?: ContactField; params?: Params } = {}): ContactFailure => ({ ok: false, code, message, ...more });
const notFound = failure('not_found', 'error.notFound.message');
const forbidden = failure('forbidden', 'error.forbidden.message');

/** An attachment as sent by the form. */
export interface Attachment {
  name: string;
  data: Buffer;
}

/** The learner's applications the form offers ("what is it about?"), newest first. */
export interface AboutOption {
  applicationId: string;
  title: string;
  code: string;
  schoolName: string;
}

async function sessionsById(db: DbOrTx, ids: (number | null)[]): Promise<Map<number, SessionForApplication>> {
  const unique = [...new Set(ids.filter((id): id is number => id !== null))];
  return new Map((await sessionsForApplications(db, { ids: unique })).map((s) => [s.id, s]));
}

/** SVC-1: the form's choices of what the message is about: the learner's own applications. */
export async function aboutOptions(db: DbOrTx, learnerId: string): Promise<AboutOption[]> {
  const rows = await applicationsByIds(db, await applicationIdsOf(db, learnerId));
  const sessions = await sessionsById(db, rows.map((r) => r.sessionId));
  return rows
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((r) => {
      const s = sessions.get(r.sessionId)!;
      return { applicationId: r.id, title: s.title, code: s.code, schoolName: s.schoolName };
    });
}

/** The size policy of an attachment, in megabytes (the form's hint). */
export async function attachmentMaxMegabytes(db: DbOrTx): Promise<number> {
  return (await getPolicies(db)).uploadMaxMegabytes;
}

/** The checks of a text that the schema already makes, for any other caller: the table's check never fails. */
function textRefusal(text: string): ContactFailure | null {
  const trimmed = text.trim();
  if (trimmed.length < 1) return failure('refused', 'contact.error.text', { field: 'text' });
  if (trimmed.length > CONTACT_TEXT_MAX) return failure('refused', 'contact.error.tooLong', { field: 'text', params: { max: CONTACT_TEXT_MAX, length: trimmed.length } });
  return null;
}

/** The file's content (PDF, JPEG, PNG within the size policy), before any lock. */
async function fileRefusal(db: DbOrTx, file: Attachment | null): Promise<ContactFailure | null> {
  if (!file) return null;
  const checked = await checkFileContent(file.data, uploadMaxBytes(await getPolicies(db)));
  return checked.ok ? null : failure('refused', checked.message, { field: 'attachment', ...(checked.params ? { params: checked.params } : {}) });
}

async function storeAttachment(tx: Tx, clock: Clock, learnerId: string, file: Attachment | null): Promise<string | null | ContactFailure> {
  if (!file) return null;
  const stored = await storeFile(tx, clock, { purpose: CONTACT_FILE_PURPOSE, ownerId: learnerId, name: file.name, data: file.data });
  if (!stored.ok) return failure('refused', stored.message, { field: 'attachment', ...(stored.params ? { params: stored.params } : {}) });
  return stored.file.id;
}

export interface NewMessage {
  subject: ContactSubject;
  /** One of the learner's applications, or null. */
  applicationId: string | null;
  text: string;
  /** The token of the form shown (a UUID): the same form sent twice is one message. */
  formToken: string;
  file?: Attachment | null;
}

/**
 * SVC-1, CERT-5: a learner sends a message. Refused, next to its field, with nothing stored: an
 * empty text or one over 5 000 characters, an application that is not theirs, the marks without
 * the course they are about, a file for a subject that takes none, or a file that is empty, too
 * large or not a PDF, JPEG or PNG by its content. The same form sent again (its `formToken`)
 * gives the message already written (`duplicate: true`), never a second one.
 */
export async function sendMessage(deps: ContactDeps, learnerId: string, input: NewMessage): Promise<{ ok: true; message: ContactMessage; duplicate: boolean } | ContactFailure> {
  if (!isUuid(input.formToken)) return failure('refused', 'contact.error.expired', { field: 'formToken' });
  const textNo = textRefusal(input.text);
  if (textNo) return textNo;
  let about: { applicationId: string; sessionId: number; schoolId: number } | null = null;
  if (input.applicationId) {
    const application = await applicationById(deps.db, input.applicationId);
    if (!application || application.learnerId !== learnerId) return failure('refused', 'field.invalidChoice', { field: 'about' });
    const session = (await sessionsById(deps.db, [application.sessionId])).get(application.sessionId)!;
    about = { applicationId: application.id, sessionId: session.id, schoolId: session.schoolId };
  }
  if (!about && subjectNeedsSession(input.subject)) return failure('refused', 'contact.error.marksAbout', { field: 'about' });
  const file = input.file ?? null;
  if (file && !subjectTakesFile(input.subject)) return failure('refused', 'contact.error.noFile', { field: 'attachment' });
  const fileNo = await fileRefusal(deps.db, file);
  if (fileNo) return fileNo;
  const routing = routeFor(input.subject, about);
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, learnerId);
    const [already] = await tx.select().from(contactMessages).where(and(eq(contactMessages.learnerId, learnerId), eq(contactMessages.formToken, input.formToken)));
    if (already) return { ok: true as const, message: already, duplicate: true };
    const now = deps.clock.now();
    // The file first: a refusal there (the policy changed since the check) must leave nothing written.
    const fileId = await storeAttachment(tx, deps.clock, learnerId, file);
    if (fileId && typeof fileId === 'object') return fileId;
    const { rows } = await tx.execute<{ n: string }>(sql`select nextval('contact_reference_seq')::text as n`);
    const n = rows[0].n;
    const reference = formatReference(Number(parisDay(now).slice(0, 4)), Number(n));
    const [message] = await tx
      .insert(contactMessages)
      .values({
        reference,
        learnerId,
        subject: input.subject,
        applicationId: about?.applicationId ?? null,
        sessionId: routing.sessionId,
        schoolId: routing.schoolId,
        route: routing.route,
        status: 'sent',
        formToken: input.formToken,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(contactEntries).values({ messageId: message.id, authorId: learnerId, fromStaff: false, body: input.text.trim(), fileId, formToken: input.formToken, createdAt: now });
    await audit(tx, deps.clock, { action: 'contact.sent', actorId: learnerId, subjectId: learnerId, data: { reference, subject: input.subject, route: routing.route } });
    return { ok: true as const, message, duplicate: false };
  });
}

/** A conversation as its pages show it. */
export interface Conversation {
  message: ContactMessage;
  entries: ContactEntry[];
  files: Map<string, FileInfo>;
  session: SessionForApplication | null;
  /** The learner's name, for staff. */
  learnerName: string;
}

async function conversationOf(db: DbOrTx, message: ContactMessage): Promise<Conversation> {
  const entries = await db.select().from(contactEntries).where(eq(contactEntries.messageId, message.id)).orderBy(asc(contactEntries.seq));
  const files = await storedFileInfo(db, entries.flatMap((e) => (e.fileId ? [e.fileId] : [])));
  const session = message.sessionId !== null ? ((await sessionsById(db, [message.sessionId])).get(message.sessionId) ?? null) : null;
  const names = await learnerNames(db, [message.learnerId]);
  return {
    message,
    entries,
    files: new Map([...files].map(([id, f]) => [id, { mediaType: f.mediaType, size: f.size, originalName: f.originalName }])),
    session,
    learnerName: names.get(message.learnerId) ?? '',
  };
}

async function messageById(db: DbOrTx, id: string, options: { lock?: boolean } = {}): Promise<ContactMessage | null> {
  if (!isUuid(id)) return null;
  const query = db.select().from(contactMessages).where(eq(contactMessages.id, id));
  const [row] = options.lock ? await query.for('update') : await query;
  return row ?? null;
}

/** The learner's messages, newest first, with the session each is about. */
export async function learnerMessages(db: DbOrTx, learnerId: string): Promise<{ message: ContactMessage; session: SessionForApplication | null }[]> {
  const rows = await db.select().from(contactMessages).where(eq(contactMessages.learnerId, learnerId)).orderBy(desc(contactMessages.createdAt), desc(contactMessages.reference));
  const sessions = await sessionsById(db, rows.map((r) => r.sessionId));
  return rows.map((message) => ({ message, session: message.sessionId !== null ? (sessions.get(message.sessionId) ?? null) : null }));
}

/** SVC-1: one of the learner's conversations; another's (or none) is null, the 404 page. */
export async function learnerConversation(db: DbOrTx, learnerId: string, id: string): Promise<Conversation | null> {
  const message = await messageById(db, id);
  if (!message || message.learnerId !== learnerId) return null;
  return conversationOf(db, message);
}

/**
 * SVC-1: the learner replies (a question answered asks for more, a proof to add): the message
 * waits for the service again. Refused: a closed conversation, the checks of `sendMessage` on
 * the text and the file. Another learner's message is "not found". The same form twice is one reply.
 */
export async function replyToMessage(deps: ContactDeps, learnerId: string, id: string, input: { text: string; formToken: string; file?: Attachment | null }): Promise<{ ok: true; duplicate: boolean } | ContactFailure> {
  const found = await messageById(deps.db, id);
  if (!found || found.learnerId !== learnerId) return notFound;
  if (!isUuid(input.formToken)) return failure('refused', 'contact.error.expired', { field: 'formToken' });
  const textNo = textRefusal(input.text);
  if (textNo) return textNo;
  const file = input.file ?? null;
  if (file && !subjectTakesFile(found.subject as ContactSubject)) return failure('refused', 'contact.error.noFile', { field: 'attachment' });
  const fileNo = await fileRefusal(deps.db, file);
  if (fileNo) return fileNo;
  return deps.db.transaction(async (tx) => {
    await lockUser(tx, learnerId);
    const message = (await messageById(tx, id, { lock: true }))!;
    if (await entryExists(tx, id, input.formToken)) return { ok: true as const, duplicate: true };
    const may = mayWrite(message.status as ContactStatus);
    if (!may.ok) return failure('refused', may.message);
    const now = deps.clock.now();
    const fileId = await storeAttachment(tx, deps.clock, learnerId, file);
    if (fileId && typeof fileId === 'object') return fileId;
    await tx.insert(contactEntries).values({ messageId: id, authorId: learnerId, fromStaff: false, body: input.text.trim(), fileId, formToken: input.formToken, createdAt: now });
    await tx.update(contactMessages).set({ status: statusAfter({ fromStaff: false }), updatedAt: now }).where(eq(contactMessages.id, id));
    return { ok: true as const, duplicate: false };
  });
}

async function entryExists(db: DbOrTx, messageId: string, formToken: string): Promise<boolean> {
  const [row] = await db.select({ id: contactEntries.id }).from(contactEntries).where(and(eq(contactEntries.messageId, messageId), eq(contactEntries.formToken, formToken)));
  return Boolean(row);
}

// ---- staff ----

/** The ids of the sessions in a staff member's scope (all: null). */
async function scopeSessionIds(db: DbOrTx, staff: Staff): Promise<number[] | null> {
  const scope = await scopeOf(db, staff);
  if (scope.all) return null;
  return (await sessionsInScope(db, scope)).map((s) => s.id);
}

/** SVC-1: `mayHandle` as the queue's WHERE, so that the list never holds a message out of scope. */
function visibleTo(staff: Staff, sessionIds: number[] | null): SQL {
  if (sessionIds === null) return sql`true`;
  const inScope = sessionIds.length ? inArray(contactMessages.sessionId, sessionIds) : sql`false`;
  if (staff.role === 'school_head') return and(eq(contactMessages.route, 'school'), inScope)!;
  if (staff.role === 'coordinator') return and(eq(contactMessages.route, 'central'), or(isNull(contactMessages.sessionId), inScope))!;
  return sql`false`;
}

export interface QueueRow {
  message: ContactMessage;
  learnerName: string;
  session: SessionForApplication | null;
}

/** SVC-1: the staff's queue, in their scope, by status (open: waiting for the service), the oldest waiting first. */
export async function staffQueue(db: DbOrTx, staff: Staff, filter: QueueFilter): Promise<QueueRow[] | ContactFailure> {
  if (!mayAnswerContact(staff.role)) return forbidden;
  const ids = await scopeSessionIds(db, staff);
  const rows = await db
    .select()
    .from(contactMessages)
    .where(and(visibleTo(staff, ids), inArray(contactMessages.status, statusesOf(filter))))
    .orderBy(asc(contactMessages.updatedAt), asc(contactMessages.reference))
    .limit(500);
  const [names, sessions] = await readTogether(db, [async () => learnerNames(db, [...new Set(rows.map((r) => r.learnerId))]), async () => sessionsById(db, rows.map((r) => r.sessionId))]);
  return rows.map((message) => ({ message, learnerName: names.get(message.learnerId) ?? '', session: message.sessionId !== null ? (sessions.get(message.sessionId) ?? null) : null }));
}

/** The message, if it exists and this staff member may handle it: 404 / 403 otherwise. */
async function handledMessage(db: DbOrTx, staff: Staff, id: string, options: { lock?: boolean } = {}): Promise<ContactMessage | ContactFailure> {
  if (!mayAnswerContact(staff.role)) return forbidden;
  const message = await messageById(db, id, options);
  if (!message) return notFound;
  const ids = message.sessionId !== null ? await scopeSessionIds(db, staff) : [];
  const inScope = ids === null || (message.sessionId !== null && ids.includes(message.sessionId));
  return mayHandle(staff.role, { route: message.route as 'school' | 'central', sessionId: message.sessionId }, inScope) ? message : forbidden;
}

/** SVC-1: a conversation for staff: not found (404), out of their scope (403), or the conversation. */
export async function staffConversation(db: DbOrTx, staff: Staff, id: string): Promise<{ ok: true; conversation: Conversation } | ContactFailure> {
  const message = await handledMessage(db, staff, id);
  if ('ok' in message) return message;
  return { ok: true, conversation: await conversationOf(db, message) };
}

/**
 * SVC-1, SVC-7: staff answer a message in their scope (403 out of it, 404 when it does not
 * exist); the learner is told by the channels they chose, with the answer and the link to the
 * conversation. `close` also closes it. Refused: an empty text or one over 5 000 characters, a
 * closed conversation. The same form twice is one answer (and one message to the learner).
 */
export async function answerMessage(deps: ContactDeps, staff: Staff, id: string, input: { text: string; formToken: string; close: boolean }): Promise<{ ok: true; duplicate: boolean; status: ContactStatus } | ContactFailure> {
  const found = await handledMessage(deps.db, staff, id);
  if ('ok' in found) return found;
  if (!isUuid(input.formToken)) return failure('refused', 'contact.error.expired', { field: 'formToken' });
  const textNo = textRefusal(input.text);
  if (textNo) return textNo;
  return deps.db.transaction(async (tx) => {
    const message = (await messageById(tx, id, { lock: true }))!;
    if (await entryExists(tx, id, input.formToken)) return { ok: true as const, duplicate: true, status: message.status as ContactStatus };
    const may = mayWrite(message.status as ContactStatus);
    if (!may.ok) return failure('refused', may.message);
    const now = deps.clock.now();
    const body = input.text.trim();
    const status = statusAfter({ fromStaff: true, close: input.close });
    await tx.insert(contactEntries).values({ messageId: id, authorId: staff.id, fromStaff: true, body, fileId: null, formToken: input.formToken, createdAt: now });
    await tx.update(contactMessages).set({ status, updatedAt: now, closedAt: status === 'closed' ? now : null }).where(eq(contactMessages.id, id));
    const link = `${deps.baseUrl}/compte/messages/${id}`;
    await tellLearner(tx, message.learnerId, {
      purpose: 'contact.email.answered',
      compose: (t) => ({
        subject: t('contact.email.answered.subject', { reference: message.reference }),
        text: t('contact.email.answered.body', { reference: message.reference, answer: body, link }),
        link,
      }),
    });
    await audit(tx, deps.clock, { action: 'contact.answered', actorId: staff.id, subjectId: message.learnerId, data: { reference: message.reference, status } });
    return { ok: true as const, duplicate: false, status };
  });
}

/** An attachment of the learner's own conversation, or null (the 404 page). */
export async function attachmentForLearner(db: DbOrTx, learnerId: string, messageId: string, entryId: string): Promise<{ file: StoredFile; data: Buffer } | null> {
  const message = await messageById(db, messageId);
  if (!message || message.learnerId !== learnerId) return null;
  return attachmentOf(db, messageId, entryId);
}

/** An attachment of a conversation the staff member handles: 404, 403, or the file. */
export async function attachmentForStaff(deps: Pick<ContactDeps, 'db' | 'clock'>, staff: Staff, messageId: string, entryId: string): Promise<{ ok: true; found: { file: StoredFile; data: Buffer } } | ContactFailure> {
  const message = await handledMessage(deps.db, staff, messageId);
  if ('ok' in message) return message;
  const found = await attachmentOf(deps.db, messageId, entryId);
  if (!found) return notFound;
  await audit(deps.db, deps.clock, { action: 'contact.file_viewed', actorId: staff.id, subjectId: message.learnerId, data: { reference: message.reference } });
  return { ok: true, found };
}

async function attachmentOf(db: DbOrTx, messageId: string, entryId: string) {
  if (!isUuid(entryId)) return null;
  const [entry] = await db.select().from(contactEntries).where(and(eq(contactEntries.id, entryId), eq(contactEntries.messageId, messageId)));
  if (!entry?.fileId) return null;
  return readStoredFile(db, entry.fileId);
}
