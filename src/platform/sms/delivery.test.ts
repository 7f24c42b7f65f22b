import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { startTestApp, testConfig, type TestApp } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { smsOutbox } from '../platform.table';
import { queueSms } from '../sms';
import { brevoProvider } from './brevo';
import { startBrevoSimulator, type BrevoSimulator } from './brevo-simulator';
import { createSmsProvider, deliverSms, SMS_LOOKUP_LAG_MS, SMS_MAX_ATTEMPTS } from './delivery';
import { mailboxSmsProvider, smsReportUrl } from './provider';
import { FixedClock } from '../clock';
import { createMailTransport } from '../outbox';
import { startWorker } from '../worker';

const SECRET = 'sms-report-secret-of-at-least-32-characters';
const BASE = 'http://localhost:3000';
const TEXT = 'Cours municipaux : vous étiez absent lundi 12 octobre. Répondez à ce message.';

/** The SMS outbox against a simulated Brevo (issue 13): sent once, a timeout never sends twice, reports. */
describe('SMS delivery with Brevo (simulated)', () => {
  let database: Database;
  let sim: BrevoSimulator;
  const provider = () =>
    brevoProvider({ apiKey: sim.apiKey, apiUrl: sim.url, sender: 'CursusParis', reportUrl: (ref) => smsReportUrl(BASE, SECRET, ref), timeoutMs: 300 });
  const row = async () => (await database.db.select().from(smsOutbox).orderBy(smsOutbox.id))[0];
  /** The retry is due now (its backoff elapsed). */
  const due = () => database.db.execute(sql`update sms_outbox set next_attempt_at = now()`);
  /** The retry is due now, and the send whose outcome is unknown is older than Brevo's events may lag. */
  const dueAndOld = () => database.db.execute(sql`update sms_outbox set next_attempt_at = now(), sent_at = sent_at - ${SMS_LOOKUP_LAG_MS / 1000 + 60} * interval '1 second'`);

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());
  beforeEach(async () => {
    sim = await startBrevoSimulator();
    await database.db.execute(sql`delete from sms_outbox`);
    await queueSms(database.db, { to: '+33612345678', text: TEXT, purpose: 'sms.test' });
  });
  afterEach(() => sim.close());

  it('is sent once, with our reference as its tag and its signed report address; the row has Brevo’s id and segment count', async () => {
    assert.equal((await row()).state, 'pending');
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 1);
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0, 'nothing left to send');
    assert.equal(sim.messages.length, 1);
    const [message] = sim.messages;
    const sms = await row();
    assert.deepEqual(
      { sender: message.sender, recipient: message.recipient, content: message.content, type: message.type, tag: message.tag, webUrl: message.webUrl, unicode: message.unicodeEnabled },
      { sender: 'CursusParis', recipient: '33612345678', content: sms.body, type: 'transactional', tag: sms.reference, webUrl: smsReportUrl(BASE, SECRET, sms.reference), unicode: false },
    );
    assert.equal(sms.state, 'sent');
    assert.equal(sms.provider, 'brevo');
    assert.equal(sms.providerId, String(message.messageId));
    assert.equal(sms.segments, message.smsCount);
    assert.equal(sms.attempts, 1);
    assert.ok(sms.sentAt);
  });

  it('a timeout leaves it `sending`; the retry asks Brevo, which has it: it is not sent again', async () => {
    sim.next.push('timeout');
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0);
    let sms = await row();
    assert.equal(sms.state, 'sending');
    assert.match(sms.lastError ?? '', /did not answer within 300 ms/);
    assert.ok(sms.nextAttemptAt > new Date(Date.now() + 30_000), 'retried after a backoff, not at once');
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0, 'not before its backoff');
    await due();
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 1);
    sms = await row();
    assert.equal(sim.messages.length, 1, 'Brevo received it once');
    assert.equal(sim.sendRequests, 1, 'the retry did not send it again');
    assert.equal(sim.lookups, 1);
    assert.equal(sms.state, 'sent');
    assert.equal(sms.providerId, String(sim.messages[0].messageId));
    assert.equal(sms.attempts, 2);
    assert.equal(sms.lastError, null);
  });

  it('a timeout, then Brevo’s events lag: the retry a minute later finds none and does not send; asked again once 10 minutes old, it is found, never sent twice', async () => {
    sim.next.push('timeout');
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0);
    const first = await row();
    assert.equal(first.state, 'sending');
    // Brevo took it, but its events are not there yet.
    const events = sim.messages[0].events;
    sim.messages[0].events = [];
    await due();
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0);
    assert.equal(sim.sendRequests, 1, 'not sent again: too soon to say Brevo never got it');
    assert.equal(sim.lookups, 1, 'asked');
    let sms = await row();
    assert.equal(sms.state, 'sending');
    assert.ok(first.sentAt, 'when Brevo may have got it');
    assert.equal(sms.attempts, 1, 'that look-up is not an attempt');
    assert.ok(sms.nextAttemptAt.getTime() >= first.sentAt!.getTime() + SMS_LOOKUP_LAG_MS, 'asked again once the send is 10 minutes old');
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0, 'not before');
    assert.equal(sim.lookups, 1);
    // Ten minutes on, Brevo's events are there.
    sim.messages[0].events = events;
    await dueAndOld();
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 1);
    sms = await row();
    assert.equal(sim.sendRequests, 1, 'never sent twice');
    assert.equal(sim.messages.length, 1);
    assert.equal(sim.lookups, 2);
    assert.equal(sms.state, 'sent');
    assert.equal(sms.providerId, String(sim.messages[0].messageId));
  });

  it('a request lost on the way (Brevo never got it) is sent again once 10 minutes old, once', async () => {
    sim.next.push('drop');
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0);
    assert.equal((await row()).state, 'sending');
    assert.equal(sim.messages.length, 0);
    await due();
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0, 'a minute later: no event yet proves nothing');
    assert.equal(sim.lookups, 1, 'asked first');
    assert.equal(sim.sendRequests, 1);
    await dueAndOld();
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 1);
    assert.equal(sim.lookups, 2, 'asked again');
    assert.equal(sim.messages.length, 1);
    assert.equal((await row()).state, 'sent');
    await due();
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 0);
    assert.equal(sim.messages.length, 1);
  });

  it(`fails after ${SMS_MAX_ATTEMPTS} attempts that all end in an error, never sent`, async () => {
    sim.next.push(...Array(SMS_MAX_ATTEMPTS + 2).fill('error'));
    for (let i = 0; i < SMS_MAX_ATTEMPTS + 2; i++) {
      await deliverSms({ db: database.db, provider: provider() });
      // A 500 may have been taken: each retry waits for Brevo's events to be there.
      await dueAndOld();
    }
    const sms = await row();
    assert.equal(sms.state, 'failed');
    assert.equal(sms.attempts, SMS_MAX_ATTEMPTS);
    assert.ok(sms.failedAt);
    assert.match(sms.lastError ?? '', /Brevo answered 500/);
    assert.equal(sim.messages.length, 0);
    assert.equal(sim.sendRequests, SMS_MAX_ATTEMPTS, 'each retry asked first, then sent (Brevo never had it)');
  });

  it('a number Brevo refuses (400) fails at once; a bad key (401) is retried later as pending', async () => {
    sim.next.push('refuse');
    await deliverSms({ db: database.db, provider: provider() });
    let sms = await row();
    assert.equal(sms.state, 'failed');
    assert.match(sms.lastError ?? '', /400: invalid_parameter Invalid recipient/);
    await database.db.execute(sql`delete from sms_outbox`);
    await queueSms(database.db, { to: '+33612345678', text: TEXT, purpose: 'sms.test' });
    await deliverSms({ db: database.db, provider: brevoProvider({ apiKey: 'xkeysib-wrong-key-0000000000', apiUrl: sim.url, sender: 'Cursus', reportUrl: () => BASE, timeoutMs: 300 }) });
    sms = await row();
    assert.equal(sms.state, 'pending');
    assert.match(sms.lastError ?? '', /401/);
    await due();
    assert.equal(await deliverSms({ db: database.db, provider: provider() }), 1);
    assert.equal(sim.lookups, 0, 'pending: Brevo refused it, nothing to ask');
  });

  it('two workers at once send it once (SKIP LOCKED and the lease)', async () => {
    const results = await Promise.all([deliverSms({ db: database.db, provider: provider() }), deliverSms({ db: database.db, provider: provider() })]);
    assert.equal(results[0] + results[1], 1);
    assert.equal(sim.messages.length, 1);
  });

  it('the worker sends it, beside the email outbox, with the provider the composition root gives', async () => {
    const worker = startWorker({ db: database.db, clock: new FixedClock(new Date()), transport: createMailTransport(undefined), from: 'x@example.org', sms: provider(), jobs: [], prune: [], intervalMs: 20 });
    try {
      for (let i = 0; i < 100 && (await row()).state !== 'sent'; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await worker.stop();
    }
    assert.equal((await row()).state, 'sent');
    assert.equal(sim.messages.length, 1);
  });

  it('the mailbox keeps it in the outbox, `sent`, with its own segment count', async () => {
    assert.equal(await deliverSms({ db: database.db, provider: mailboxSmsProvider }), 1);
    const sms = await row();
    assert.deepEqual([sms.state, sms.provider, sms.providerId, sms.segments, sms.encoding], ['sent', 'mailbox', null, 1, 'GSM-7']);
  });
});

describe('SMS delivery reports: POST /sms/rapports/:reference/:signature', () => {
  let t: TestApp;
  let sim: BrevoSimulator;
  const config = () => ({ SMS_PROVIDER: 'brevo', BREVO_API_KEY: sim.apiKey, BREVO_API_URL: sim.url, SMS_SENDER: 'Cursus', SMS_REPORT_SECRET: SECRET });
  const viaApp = (url: string, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: new URL(url).pathname, payload: body });
  const rows = () => t.db.select().from(smsOutbox).orderBy(smsOutbox.id);

  before(async () => {
    sim = await startBrevoSimulator();
    t = await startTestApp({ config: config() });
  });
  after(async () => {
    await t.close();
    await sim.close();
  });

  const sendOne = async (to = '+33612345678') => {
    await queueSms(t.db, { to, text: TEXT, purpose: 'sms.test' });
    await deliverSms({ db: t.db, provider: createSmsProvider(testConfig(config()), { timeoutMs: 300 }) });
    return sim.messages.at(-1)!;
  };

  it('Brevo’s reports move it to delivered, or undelivered (a bounce); a later `sent` does not undo it', async () => {
    const delivered = await sendOne();
    const bounced = await sendOne('+33698765432');
    assert.equal((await sim.report(delivered.messageId, 'delivered', viaApp)).statusCode, 200);
    assert.equal((await sim.report(bounced.messageId, 'hard_bounce', viaApp)).statusCode, 200);
    assert.equal((await sim.report(delivered.messageId, 'sent', viaApp)).statusCode, 200, 'out of order: answered, ignored');
    const [a, b] = (await rows()).slice(-2);
    assert.equal(a.state, 'delivered');
    assert.ok(a.reportedAt);
    assert.equal(b.state, 'undelivered');
    assert.equal(b.lastError, 'hard_bounce');
  });

  it('a report for a message whose answer timed out finds it by our reference and marks it sent', async () => {
    sim.next.push('timeout');
    const message = await sendOne();
    const [sms] = await t.db.select().from(smsOutbox).where(eq(smsOutbox.reference, message.tag!));
    assert.equal(sms.state, 'sending');
    assert.equal((await sim.report(message.messageId, 'sent', viaApp)).statusCode, 200);
    const [after] = await t.db.select().from(smsOutbox).where(eq(smsOutbox.id, sms.id));
    assert.equal(after.state, 'sent');
    assert.equal(after.providerId, String(message.messageId));
  });

  it('without a provider (mailbox) the route does not exist', async () => {
    const mailbox = await startTestApp();
    try {
      const reference = '1b9c2c6e-2f1a-4c1e-9d5a-3f1f7f0d8a1b';
      const response = await mailbox.app.inject({ method: 'POST', url: new URL(smsReportUrl(BASE, SECRET, reference)).pathname, payload: { messageId: 1, msg_status: 'delivered' } });
      // Like any POST the app does not have: the CSRF check refuses it before routing finds nothing.
      assert.equal(response.statusCode, 403);
      assert.equal((await mailbox.app.inject({ method: 'GET', url: '/sms/rapports' })).statusCode, 404);
    } finally {
      await mailbox.close();
    }
  });

  it('a wrong signature or an unknown message is the 404 page, a body that is not a report the 400 page, never a 500', async () => {
    const message = await sendOne();
    const url = new URL(message.webUrl!).pathname;
    const good = { messageId: message.messageId, msg_status: 'delivered', to: message.recipient };
    const post = (path: string, payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      t.app.inject({ method: 'POST', url: path, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers });
    const other = '1b9c2c6e-2f1a-4c1e-9d5a-3f1f7f0d8a1b';
    const signature = url.split('/').at(-1)!;
    for (const path of [`/sms/rapports/${other}/${signature}`, `/sms/rapports/${message.tag}/${'A'.repeat(43)}`, `/sms/rapports/${message.tag}/short`, `/sms/rapports/not-a-uuid/${signature}`]) {
      const response = await post(path, good);
      assert.equal(response.statusCode, 404, path);
      assert.match(response.body, /Page introuvable/);
    }
    const unknown = new URL(smsReportUrl(BASE, SECRET, other)).pathname;
    assert.equal((await post(unknown, good)).statusCode, 404, 'signed, but no such message');
    for (const payload of ['{not json', '[]', '"x"', { msg_status: 'delivered' }, { messageId: message.messageId }, { messageId: { a: 1 }, msg_status: 'delivered' }, { messageId: message.messageId + 1, msg_status: 'delivered' }]) {
      const response = await post(url, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
    }
    assert.equal((await post(url, 'messageId=1&msg_status=delivered', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode, 400);
    assert.equal((await post(url, { ...good, msg_status: 'replied' })).statusCode, 200, 'an event that changes nothing');
    const [sms] = await t.db.select().from(smsOutbox).where(eq(smsOutbox.reference, message.tag!));
    assert.equal(sms.state, 'sent', 'none of these changed it');
    assert.equal((await t.app.inject({ method: 'GET', url })).statusCode, 404);
  });
});
