import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { buildLearner, buildStaff, emailsTo } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { samples } from '../../../test/multipart';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { storedFiles } from '../../platform/platform.table';
import { courseSessions } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { contactDataSet } from './contact.personal';
import {
  answerMessage,
  attachmentForLearner,
  attachmentForStaff,
  learnerConversation,
  learnerMessages,
  replyToMessage,
  sendMessage,
  staffConversation,
  staffQueue,
  type ContactDeps,
  type NewMessage,
  type QueueRow,
} from './contact.service';
import { contactEntries, contactMessages } from './contact.table';

describe('contact messages (SVC-1)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: ContactDeps;
  let learner: { learnerId: string; email: string; applicationId: string };
  let other: { learnerId: string; email: string; applicationId: string };
  let admin: { id: string; role: 'admin' };
  let head: { id: string; role: 'school_head' };
  let headOutside: { id: string; role: 'school_head' };
  let coordinator: { id: string; role: 'coordinator' };
  let coordinatorOther: { id: string; role: 'coordinator' };
  let trainer: { id: string; role: 'trainer' };
  let sessionId: number;

  const send = (who: { learnerId: string }, input: Partial<NewMessage> = {}) =>
    sendMessage(deps, who.learnerId, { subject: 'other', applicationId: null, text: 'Bonjour, une question.', formToken: randomUUID(), ...input });
  const references = (rows: QueueRow[]) => rows.map((r) => r.message.reference);
  const queueOf = async (staff: Parameters<typeof staffQueue>[1], filter: Parameters<typeof staffQueue>[2] = 'all') => {
    const rows = await staffQueue(database.db, staff, filter);
    assert.ok(Array.isArray(rows), JSON.stringify(rows));
    return references(rows);
  };

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      { code: 'CT1', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'CT2', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    ]);
    sessionId = (await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'CT1')))[0].id;
    const appDeps = { ...deps, secret: 'test-secret-that-is-at-least-32-characters-long', clock };
    [learner, other] = await confirmedApplicants(appDeps, 'CT1', 2);
    const make = async <R extends 'admin' | 'school_head' | 'coordinator' | 'trainer'>(role: R) => ({ id: (await buildStaff(database.db, clock, role)).userId, role });
    admin = await make('admin');
    head = await make('school_head');
    headOutside = await make('school_head');
    coordinator = await make('coordinator');
    coordinatorOther = await make('coordinator');
    trainer = await make('trainer');
    assert.deepEqual(await assignScope(database.db, { userId: head.id, schools: ['E-11-T'] }), { ok: true });
    assert.deepEqual(await assignScope(database.db, { userId: coordinator.id, sessions: ['CT1'] }), { ok: true });
    assert.deepEqual(await assignScope(database.db, { userId: coordinatorOther.id, sessions: ['CT2'] }), { ok: true });
    assert.deepEqual(await assignScope(database.db, { userId: trainer.id, sessions: ['CT1'] }), { ok: true });
  });
  after(() => database.close());

  it('SVC-1 CERT-5 a message about the marks of a course goes to its school, with a human reference, and the school head in scope sees it', async () => {
    const sent = await send(learner, { subject: 'marks', applicationId: learner.applicationId, text: 'Puis-je avoir mes notes ?' });
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.match(sent.message.reference, /^C-2026-\d{5}$/);
    assert.equal(sent.message.route, 'school');
    assert.equal(sent.message.sessionId, sessionId);
    assert.equal(sent.message.status, 'sent');
    const ref = sent.message.reference;
    assert.ok((await queueOf(head)).includes(ref), 'the school head of the school');
    assert.ok((await queueOf(admin)).includes(ref), 'an administrator');
    assert.ok(!(await queueOf(coordinator)).includes(ref), 'not the central service');
    assert.ok(!(await queueOf(headOutside)).includes(ref), 'not a school head of another scope');
    // The next message has the next number: references are unique.
    const next = await send(learner);
    assert.ok(next.ok);
    assert.notEqual(next.message.reference, ref);
    assert.equal(Number(next.message.reference.slice(7)), Number(ref.slice(7)) + 1);
  });

  it('SVC-1 a refund goes to the central service with its proof; the coordinator whose scope holds the session sees it, the other does not (403)', async () => {
    const sent = await send(learner, { subject: 'refund', applicationId: learner.applicationId, text: 'Hospitalisée, je demande le remboursement.', file: { name: 'bulletin.pdf', data: samples.pdf } });
    assert.ok(sent.ok, JSON.stringify(sent));
    assert.equal(sent.message.route, 'central');
    const ref = sent.message.reference;
    assert.ok((await queueOf(coordinator)).includes(ref));
    assert.ok(!(await queueOf(coordinatorOther)).includes(ref));
    assert.ok(!(await queueOf(head)).includes(ref), 'a refund is not the school’s');
    assert.equal((await staffConversation(database.db, coordinatorOther, sent.message.id)).ok, false);
    assert.deepEqual(await staffConversation(database.db, coordinatorOther, sent.message.id), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    // The proof: its learner and the staff who handle it read it; another learner does not.
    const [entry] = await database.db.select().from(contactEntries).where(eq(contactEntries.messageId, sent.message.id));
    assert.ok(entry.fileId);
    const own = await attachmentForLearner(database.db, learner.learnerId, sent.message.id, entry.id);
    assert.equal(own?.file.mediaType, 'application/pdf');
    assert.equal(await attachmentForLearner(database.db, other.learnerId, sent.message.id, entry.id), null);
    const forStaff = await attachmentForStaff(deps, coordinator, sent.message.id, entry.id);
    assert.ok(forStaff.ok && forStaff.found.data.equals(samples.pdf));
    assert.equal((await attachmentForStaff(deps, coordinatorOther, sent.message.id, entry.id)).ok, false);
    // A message about no session is every coordinator's (the central service).
    const none = await send(learner, { subject: 'other', text: 'Une question générale.' });
    assert.ok(none.ok);
    assert.ok((await queueOf(coordinatorOther)).includes(none.message.reference));
  });

  it('SVC-1 bad input is refused next to its field, with nothing stored: 100 000 characters, a forbidden file, a file for a subject without proof, the marks without their course, another learner’s application, an odd form token', async () => {
    const before = await database.db.select().from(contactMessages);
    const filesBefore = await database.db.select().from(storedFiles);
    const cases: [Partial<NewMessage>, string, string][] = [
      [{ text: 'a'.repeat(100_000) }, 'text', 'contact.error.tooLong'],
      [{ text: '   ' }, 'text', 'contact.error.text'],
      [{ subject: 'refund', file: { name: 'rsa.pdf', data: samples.text } }, 'attachment', 'upload.type'],
      [{ subject: 'refund', file: { name: 'vide.pdf', data: Buffer.alloc(0) } }, 'attachment', 'upload.empty'],
      [{ subject: 'other', file: { name: 'photo.png', data: samples.png } }, 'attachment', 'contact.error.noFile'],
      [{ subject: 'marks' }, 'about', 'contact.error.marksAbout'],
      [{ applicationId: other.applicationId }, 'about', 'field.invalidChoice'],
      [{ applicationId: randomUUID() }, 'about', 'field.invalidChoice'],
      [{ applicationId: 'not-a-uuid' }, 'about', 'field.invalidChoice'],
      [{ formToken: 'abc' }, 'formToken', 'contact.error.expired'],
    ];
    for (const [input, field, message] of cases) {
      const result = await send(learner, input);
      assert.equal(result.ok, false, JSON.stringify(input).slice(0, 80));
      assert.equal(!result.ok && result.field, field, message);
      assert.equal(!result.ok && result.message, message);
    }
    assert.equal((await database.db.select().from(contactMessages)).length, before.length);
    assert.equal((await database.db.select().from(storedFiles)).length, filesBefore.length);
  });

  it('SVC-1 the same form sent twice, one after the other or at the same time, is one message', async () => {
    const formToken = randomUUID();
    const first = await send(other, { formToken, text: 'Envoyé deux fois.' });
    const again = await send(other, { formToken, text: 'Envoyé deux fois.' });
    assert.ok(first.ok && again.ok);
    assert.equal(again.message.id, first.message.id);
    assert.equal(again.duplicate, true);
    const racing = randomUUID();
    const both = await Promise.all([send(other, { formToken: racing }), send(other, { formToken: racing })]);
    assert.ok(both.every((r) => r.ok));
    assert.equal(new Set(both.map((r) => r.ok && r.message.id)).size, 1);
    const rows = await database.db.select().from(contactMessages).where(inArray(contactMessages.formToken, [formToken, racing]));
    assert.equal(rows.length, 2);
    assert.equal((await database.db.select().from(contactEntries).where(inArray(contactEntries.messageId, rows.map((r) => r.id)))).length, 2);
  });

  it('SVC-1 SVC-7 staff answer: the learner is told with the answer and the link, reads it in the account, replies; the same answer twice is one; closed takes nothing more', async () => {
    const sent = await send(learner, { subject: 'payment', applicationId: learner.applicationId, text: 'Ai-je bien payé ?' });
    assert.ok(sent.ok);
    const id = sent.message.id;
    const emailsBefore = (await emailsTo(database.db, learner.email)).length;
    const formToken = randomUUID();
    clock.advance(60_000);
    const answered = await answerMessage(deps, head, id, { text: 'Oui, votre paiement est reçu.', formToken, close: false });
    assert.deepEqual(answered, { ok: true, duplicate: false, status: 'answered' });
    assert.deepEqual(await answerMessage(deps, head, id, { text: 'Oui, votre paiement est reçu.', formToken, close: false }), { ok: true, duplicate: true, status: 'answered' });
    const emails = await emailsTo(database.db, learner.email);
    assert.equal(emails.length, emailsBefore + 1, 'one email for one answer');
    assert.equal(emails[0].subject, `Réponse à votre message ${sent.message.reference}`);
    assert.match(emails[0].text, /Oui, votre paiement est reçu\./);
    assert.match(emails[0].text, new RegExp(`/compte/messages/${id}`));
    const conversation = await learnerConversation(database.db, learner.learnerId, id);
    assert.equal(conversation?.message.status, 'answered');
    assert.deepEqual(
      conversation?.entries.map((e) => [e.fromStaff, e.body]),
      [
        [false, 'Ai-je bien payé ?'],
        [true, 'Oui, votre paiement est reçu.'],
      ],
    );
    assert.ok((await queueOf(head, 'answered')).includes(sent.message.reference));
    assert.ok(!(await queueOf(head, 'open')).includes(sent.message.reference));
    // The learner replies: it waits for the service again.
    assert.deepEqual(await replyToMessage(deps, learner.learnerId, id, { text: 'Merci ! Et le reçu ?', formToken: randomUUID() }), { ok: true, duplicate: false });
    assert.ok((await queueOf(head, 'open')).includes(sent.message.reference));
    // Another learner's message is not found; an answer that closes it ends the conversation.
    assert.equal((await replyToMessage(deps, other.learnerId, id, { text: 'Intrus', formToken: randomUUID() })).ok, false);
    assert.equal(await learnerConversation(database.db, other.learnerId, id), null);
    assert.deepEqual(await answerMessage(deps, admin, id, { text: 'Le reçu est dans votre compte.', formToken: randomUUID(), close: true }), { ok: true, duplicate: false, status: 'closed' });
    const closed = await replyToMessage(deps, learner.learnerId, id, { text: 'Encore une chose', formToken: randomUUID() });
    assert.deepEqual(closed, { ok: false, code: 'refused', message: 'contact.error.closed' });
    assert.equal((await answerMessage(deps, head, id, { text: 'Encore', formToken: randomUUID(), close: false })).ok, false);
    assert.ok((await learnerMessages(database.db, learner.learnerId)).some((m) => m.message.id === id && m.message.status === 'closed'));
  });

  it('SVC-1 staff out of scope get 403, a message that does not exist or an odd id 404; trainers answer nothing', async () => {
    const sent = await send(learner, { subject: 'other', applicationId: learner.applicationId, text: 'Pour l’école.' });
    assert.ok(sent.ok);
    const forbidden = { ok: false, code: 'forbidden', message: 'error.forbidden.message' };
    assert.deepEqual(await staffConversation(database.db, headOutside, sent.message.id), forbidden);
    assert.deepEqual(await answerMessage(deps, headOutside, sent.message.id, { text: 'Non', formToken: randomUUID(), close: false }), forbidden);
    assert.deepEqual(await staffConversation(database.db, trainer, sent.message.id), forbidden);
    assert.deepEqual(await staffQueue(database.db, trainer, 'open'), forbidden);
    assert.equal((await staffConversation(database.db, head, randomUUID())).ok, false);
    assert.deepEqual(await staffConversation(database.db, head, randomUUID()), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    assert.deepEqual(await staffConversation(database.db, head, "1' or '1'='1"), { ok: false, code: 'not_found', message: 'error.notFound.message' });
    assert.equal(await learnerConversation(database.db, learner.learnerId, 'abc'), null);
    assert.ok((await staffConversation(database.db, head, sent.message.id)).ok);
  });

  it('ACC-11 SVC-1 the learner’s messages are in their download, and the closure deletes them with their files', async () => {
    const learnerC = await buildLearner(database.db, clock);
    const sent = await send({ learnerId: learnerC.id }, { subject: 'name_change', text: 'Je me suis mariée.', file: { name: 'acte.png', data: samples.png } });
    assert.ok(sent.ok);
    assert.deepEqual(await answerMessage(deps, coordinator, sent.message.id, { text: 'Envoyez la demande depuis votre compte.', formToken: randomUUID(), close: false }), { ok: true, duplicate: false, status: 'answered' });
    const [messages, entries] = await contactDataSet.exportOf(database.db, learnerC.id);
    assert.deepEqual([messages.key, messages.rows.length], ['contactMessages', 1]);
    assert.deepEqual(
      entries.rows.map((r) => [r.reference, r.from, r.text]),
      [
        [sent.message.reference, 'learner', 'Je me suis mariée.'],
        [sent.message.reference, 'service', 'Envoyez la demande depuis votre compte.'],
      ],
    );
    const [entry] = await database.db.select().from(contactEntries).where(eq(contactEntries.messageId, sent.message.id));
    await database.db.transaction((tx) => contactDataSet.forget(tx, learnerC.id, clock));
    await database.db.transaction((tx) => contactDataSet.forget(tx, learnerC.id, clock));
    assert.equal((await database.db.select().from(contactMessages).where(eq(contactMessages.learnerId, learnerC.id))).length, 0);
    assert.equal((await database.db.select().from(storedFiles).where(eq(storedFiles.id, entry.fileId!))).length, 0);
    assert.equal((await learnerMessages(database.db, learner.learnerId)).length > 0, true, 'the others’ messages stay');
  });
});
