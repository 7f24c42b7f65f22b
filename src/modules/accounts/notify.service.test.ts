import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { Client, buildLearner, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { createMailTransport } from '../../platform/outbox';
import { outbox, smsOutbox } from '../../platform/platform.table';
import { brevoProvider } from '../../platform/sms/brevo';
import { startBrevoSimulator } from '../../platform/sms/brevo-simulator';
import { SMS_LOOKUP_LAG_MS } from '../../platform/sms/delivery';
import { smsReportUrl } from '../../platform/sms/provider';
import { startWorker } from '../../platform/worker';
import { users } from './accounts.table';
import { notifySettings, setNotifyChoice, tellLearner, type LearnerMessage } from './notify.service';

const message = (extra: Partial<LearnerMessage> = {}): LearnerMessage => ({
  purpose: 'test.notify',
  compose: (t) => ({ subject: t.locale === 'fr' ? 'Votre candidature est acceptée' : 'Your application is accepted', text: 'Bonjour.', link: 'http://localhost:3000/candidatures' }),
  ...extra,
});

describe('SVC-7 tellLearner: by the channels the learner chose', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const smsTo = (to: string) => t.db.select().from(smsOutbox).where(eq(smsOutbox.to, to));
  /** A learner whose record's mobile is `mobile` (none: null). */
  const learnerWith = async (mobile: string | null) => {
    const learner = await buildLearner(t.db, t.clock, { record: { mobilePhone: mobile, landlinePhone: mobile ? null : '01 43 00 00 00' } });
    return learner;
  };

  it('SVC-7 email is the default: the email only, even with a mobile known', async () => {
    const learner = await learnerWith('06 11 22 33 01');
    assert.equal((await notifySettings(t.db, learner.id))?.choice, 'email');
    assert.deepEqual(await t.db.transaction((tx) => tellLearner(tx, learner.id, message())), { channels: ['email'] });
    assert.equal((await emailsTo(t.db, learner.email)).length, 1);
    assert.equal((await smsTo('+33611223301')).length, 0);
  });

  it('SVC-7 a learner who chose SMS gets the SMS only (sms.generic: the subject and the link)', async () => {
    const learner = await learnerWith('06 11 22 33 02');
    assert.deepEqual(await setNotifyChoice(t, { userId: learner.id, choice: 'sms' }), { ok: true });
    assert.deepEqual(await t.db.transaction((tx) => tellLearner(tx, learner.id, message())), { channels: ['sms'] });
    assert.equal((await emailsTo(t.db, learner.email)).length, 0);
    const [sms] = await smsTo('+33611223302');
    assert.equal(sms.purpose, 'test.notify');
    assert.equal(sms.body, "Cours municipaux d'adultes : Votre candidature est acceptée. Détails dans votre espace : http://localhost:3000/candidatures");
    assert.equal(sms.encoding, 'GSM-7');
  });

  it('SVC-7 a learner who chose both gets both; held messages (SEL-3) are held on both channels', async () => {
    const learner = await learnerWith('06 11 22 33 03');
    await setNotifyChoice(t, { userId: learner.id, choice: 'both' });
    const notBefore = new Date('2026-09-15T00:00:00Z');
    assert.deepEqual(await t.db.transaction((tx) => tellLearner(tx, learner.id, message({ notBefore }))), { channels: ['email', 'sms'] });
    const [email] = await emailsTo(t.db, learner.email);
    const [sms] = await smsTo('+33611223303');
    assert.equal(email.nextAttemptAt.toISOString(), notBefore.toISOString());
    assert.equal(sms.nextAttemptAt.toISOString(), notBefore.toISOString());
  });

  it('SVC-7 no mobile known: SMS cannot be chosen, and a choice of SMS made before the number went is told by email', async () => {
    const learner = await learnerWith(null);
    assert.deepEqual(await setNotifyChoice(t, { userId: learner.id, choice: 'sms' }), { ok: false, reason: 'no_mobile' });
    assert.deepEqual(await setNotifyChoice(t, { userId: learner.id, choice: 'both' }), { ok: false, reason: 'no_mobile' });
    assert.equal((await notifySettings(t.db, learner.id))?.choice, 'email', 'unchanged');
    // Chosen while a mobile was known, then the number removed from the record.
    await t.db.update(users).set({ notifyBy: 'sms' }).where(eq(users.id, learner.id));
    assert.deepEqual(await t.db.transaction((tx) => tellLearner(tx, learner.id, message())), { channels: ['email'] });
    assert.equal((await emailsTo(t.db, learner.email)).length, 1);
  });

  it('SVC-7 SVC-2 an urgent message goes by every known channel whatever the choice; a closed account is told nothing', async () => {
    const learner = await learnerWith('06 11 22 33 04');
    assert.deepEqual(await t.db.transaction((tx) => tellLearner(tx, learner.id, message({ urgent: true }))), { channels: ['email', 'sms'] });
    await t.db.update(users).set({ status: 'closed' }).where(eq(users.id, learner.id));
    assert.deepEqual(await t.db.transaction((tx) => tellLearner(tx, learner.id, message({ urgent: true }))), { channels: [] });
  });

  it('SVC-7 the choice is audited when it changes; saving the same choice again changes nothing', async () => {
    const learner = await learnerWith('06 11 22 33 05');
    await setNotifyChoice(t, { userId: learner.id, choice: 'both' });
    await setNotifyChoice(t, { userId: learner.id, choice: 'both' });
    const rows = await t.db.execute<{ data: unknown }>(sql`select data from audit_log where action = 'account.notify_changed' and subject_id = ${learner.id}`);
    assert.deepEqual(rows.rows.map((r) => r.data), [{ from: 'email', to: 'both' }]);
  });
});

describe('SVC-7 /compte/notifications', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const loggedIn = async (mobile: string | null) => {
    const learner = await buildLearner(t.db, t.clock, { record: { mobilePhone: mobile, landlinePhone: mobile ? null : '01 43 00 00 00' } });
    const browser = new Client(t.app);
    assert.equal((await browser.login(learner.email)).statusCode, 303);
    return { learner, browser };
  };

  it('SVC-7 linked from the account page; the three choices with where each goes; saved, said, and kept', async () => {
    const { learner, browser } = await loggedIn('06 11 22 33 10');
    assert.match((await browser.get('/compte')).body, /href="\/compte\/notifications"/);
    const page = await browser.get('/compte/notifications');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Comment être prévenu·e<\/h1>/);
    assert.match(page.body, /value="email" checked/);
    assert.match(page.body, /SMS, au 06 11 22 33 10/);
    assert.match(page.body, new RegExp(`Courriel, à l’adresse ${learner.email.replace(/\./g, '\\.')}`));
    assert.doesNotMatch(page.body, /disabled/);
    assert.match(page.body, /activation du compte, mot de passe oublié ou changé, changement d’adresse, code pour relier un ancien compte, fermeture du compte/, 'the account emails stay email-only');
    assert.match(page.body, /par courriel et par SMS, quel que soit votre choix/, 'SVC-2');
    const saved = await browser.submit('/compte/notifications', '/compte/notifications', { notifyBy: 'both' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/compte/notifications?message=saved');
    const after = await browser.get(saved.headers.location as string);
    assert.match(after.body, /Votre choix est enregistré/);
    assert.match(after.body, /value="both" checked/);
    assert.equal((await notifySettings(t.db, learner.id))?.choice, 'both');
  });

  it('SVC-7 no mobile known: SMS and both are disabled, with the reason and the way to add a number', async () => {
    const { browser } = await loggedIn(null);
    const page = await browser.get('/compte/notifications');
    assert.match(page.body, /value="sms"[^>]*disabled/);
    assert.match(page.body, /value="both"[^>]*disabled/);
    assert.doesNotMatch(page.body, /value="email"[^>]*disabled/);
    assert.match(page.body, /Le SMS n’est pas possible : aucun numéro de téléphone portable n’est connu/);
    assert.match(page.body, /href="\/compte#contact-title"/);
  });

  it('SVC-7 bad input: nothing chosen, an unknown value, a NUL byte, or SMS forced without a mobile gives the error next to the field, never a 500', async () => {
    const { learner, browser } = await loggedIn(null);
    for (const fields of [{} as Record<string, string>, { notifyBy: 'pigeon' }, { notifyBy: 'email\u0000' }, { notifyBy: 'x'.repeat(100_000) }]) {
      const response = await browser.submit('/compte/notifications', '/compte/notifications', fields);
      assert.equal(response.statusCode, 400, JSON.stringify(fields).slice(0, 40));
      assert.match(response.body, /id="notifyBy-error"/);
    }
    const forced = await browser.submit('/compte/notifications', '/compte/notifications', { notifyBy: 'sms' });
    assert.equal(forced.statusCode, 400);
    assert.match(forced.body, /Ajoutez d’abord un numéro de téléphone portable/);
    assert.equal((await notifySettings(t.db, learner.id))?.choice, 'email');
  });

  it('SVC-7 a visitor is sent to sign in; the learner record says the choice comes after it', async () => {
    const visitor = new Client(t.app);
    const page = await visitor.get('/compte/notifications');
    assert.equal(page.statusCode, 303);
    assert.match(String(page.headers.location), /^\/connexion/);
    const learner = await buildLearner(t.db, t.clock, { record: null });
    const browser = new Client(t.app);
    await browser.login(learner.email);
    assert.match((await browser.get('/compte/fiche')).body, /vous pourrez choisir le SMS/);
  });
});

describe('SVC-7 the SMS provider down: the SMS stays queued and is retried, the email still goes (the worker)', () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('SVC-7 a learner told by both: the worker sends the email, the SMS stays in its outbox while Brevo fails, then goes once', async () => {
    const clock = new FixedClock(new Date());
    const sim = await startBrevoSimulator();
    try {
      const learner = await buildLearner(database.db, clock, { record: { mobilePhone: '06 11 22 33 20' } });
      await setNotifyChoice({ db: database.db, clock }, { userId: learner.id, choice: 'both' });
      await database.db.transaction((tx) => tellLearner(tx, learner.id, message()));
      // Brevo answers 500 to every send: the provider is down.
      sim.next.push(...Array<'error'>(20).fill('error'));
      const sent: string[] = [];
      const transport = { name: 'smtp' as const, send: async (email: { to: string }) => void sent.push(email.to), close: () => {} };
      const provider = brevoProvider({ apiKey: sim.apiKey, apiUrl: sim.url, sender: 'Cursus', reportUrl: (ref) => smsReportUrl('http://localhost:3000', 'sms-report-secret-of-at-least-32-characters', ref), timeoutMs: 300 });
      const sms = async () => (await database.db.select().from(smsOutbox).where(eq(smsOutbox.to, '+33611223320')))[0];
      const run = async (until: () => Promise<boolean>) => {
        const worker = startWorker({ db: database.db, clock, transport, from: 'cursus@example.org', sms: provider, jobs: [], prune: [], intervalMs: 20 });
        try {
          for (let i = 0; i < 150 && !(await until()); i++) await new Promise((r) => setTimeout(r, 20));
        } finally {
          await worker.stop();
        }
      };
      await run(async () => sent.length > 0 && (await sms()).attempts > 0);
      assert.deepEqual(sent, [learner.email], 'the email went');
      const [email] = await database.db.select().from(outbox).where(eq(outbox.to, learner.email));
      assert.ok(email.sentAt, 'and is marked sent');
      let row = await sms();
      assert.equal(row.state, 'sending', 'the outcome of a 500 is unknown: kept, to be retried (docs/sms.md)');
      assert.match(row.lastError ?? '', /500/);
      assert.ok(row.nextAttemptAt > new Date(), 'after a backoff');
      assert.equal(sim.messages.length, 0);
      // Brevo is back; the retry is due and the failed send older than Brevo's events may lag.
      sim.next.length = 0;
      await database.db.execute(sql`update sms_outbox set next_attempt_at = now(), sent_at = sent_at - ${SMS_LOOKUP_LAG_MS / 1000 + 60} * interval '1 second'`);
      await run(async () => (await sms()).state === 'sent');
      row = await sms();
      assert.equal(row.state, 'sent');
      assert.equal(sim.messages.length, 1, 'sent once');
      assert.equal(sent.length, 1, 'the email was not sent again');
    } finally {
      await sim.close();
    }
  });
});

