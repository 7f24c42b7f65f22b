import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, emailsTo, GOOD_PASSWORD, startTestApp, type TestApp } from '../../../test/app';
import { users } from '../accounts/accounts.table';
import { accountClosures } from './privacy.table';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const linkTo = (html: string, pattern: RegExp) => decode(pattern.exec(html)?.[1] ?? '');

describe('the pages of download my data and close my account (ACC-11)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ policies: { dataExportsPerAccountPerDay: 3, passwordChangesPerAccountPerHour: 3 } });
  });
  after(() => t.close());

  const loggedIn = async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    return { learner, browser };
  };

  it('ACC-11 from the account page, the learner asks for their data and gets the readable page and the JSON file; nobody else does', async () => {
    const { browser } = await loggedIn();
    const account = await browser.get('/compte');
    assert.match(account.body, /href="\/compte\/donnees"/);
    assert.match(account.body, /href="\/compte\/fermer"/);
    const page = await browser.get('/compte/donnees');
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['cache-control']), /no-store/);
    const asked = await browser.submit('/compte/donnees', '/compte/donnees', {});
    assert.equal(asked.statusCode, 303);
    const ready = await browser.get('/compte/donnees');
    assert.match(ready.body, /Vos données du .* sont prêtes/);
    const readable = linkTo(ready.body, /href="(\/compte\/donnees\/[0-9a-f-]{36})"/);
    const fileUrl = linkTo(ready.body, /href="(\/compte\/donnees\/[0-9a-f-]{36}\/fichier)"/);
    assert.ok(readable && fileUrl);

    const report = await browser.get(readable);
    assert.equal(report.statusCode, 200);
    assert.match(report.body, /<h1>Mes données<\/h1>/);
    assert.match(report.body, /Téléchargements de vos données/);
    const file = await browser.get(fileUrl);
    assert.equal(file.statusCode, 200);
    assert.match(String(file.headers['content-type']), /^application\/json/);
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="cursus-mes-donnees-2026-09-01\.json"$/);
    const json = JSON.parse(file.body);
    assert.equal(json.formatVersion, 1);

    // Another learner, a staff member, a visitor: the same addresses give them nothing.
    const { browser: other } = await loggedIn();
    assert.equal((await other.get(readable)).statusCode, 404);
    assert.equal((await other.get(fileUrl)).statusCode, 404);
    const staff = await buildStaff(t.db, t.clock, 'admin');
    const admin = new Client(t.app);
    await admin.loginStaff(staff.email, staff.totpSecret, t.clock);
    assert.equal((await admin.get(fileUrl)).statusCode, 403);
    const visitor = new Client(t.app);
    assert.equal((await visitor.get(fileUrl)).statusCode, 303, 'to the login page');
    assert.equal((await browser.get('/compte/donnees/not-an-id/fichier')).statusCode, 404);
  });

  it('ACC-11 asking for one’s data is limited per account and per day (the policy), never a 500', async () => {
    const { browser } = await loggedIn();
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await browser.submit('/compte/donnees', '/compte/donnees', {})).statusCode);
    assert.deepEqual(codes, [303, 303, 303, 429]);
  });

  it('ACC-11 the closure page lists what happens; a missing or wrong password is said next to the field; the right one closes, signs out and confirms; the former address is told', async () => {
    const { learner, browser } = await loggedIn();
    const page = await browser.get('/compte/fermer');
    assert.equal(page.statusCode, 200);
    for (const words of ['Ce qui est effacé', 'Ce que la loi oblige à conserver, rendu anonyme', 'conservées 10 ans', 'pendant 50 ans', 'Fermer définitivement mon compte'])
      assert.ok(decode(page.body).includes(words), words);

    const empty = await browser.submit('/compte/fermer', '/compte/fermer', { password: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /id="password-error"/);
    const wrong = await browser.submit('/compte/fermer', '/compte/fermer', { password: 'not-my-password' });
    assert.equal(wrong.statusCode, 400);
    assert.match(decode(wrong.body), /Le mot de passe actuel n’est pas le bon/);
    assert.equal((await t.db.select().from(accountClosures).where(eq(accountClosures.userId, learner.id))).length, 0);

    const done = await browser.submit('/compte/fermer', '/compte/fermer', { password: GOOD_PASSWORD });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/compte/ferme');
    const confirmation = await browser.get('/compte/ferme');
    assert.match(confirmation.body, /Votre compte est fermé/);
    assert.equal((await browser.get('/compte')).statusCode, 303, 'signed out: the account page sends to the login');
    assert.equal((await t.db.select().from(accountClosures).where(eq(accountClosures.userId, learner.id))).length, 1);
    assert.equal((await emailsTo(t.db, learner.email)).filter((m) => m.subject === 'Votre compte des cours municipaux d’adultes est fermé').length, 1);
  });

  it('ACC-11 ACC-13 an account without a password of its own is asked to sign in again with its provider, not for a password', async () => {
    const { learner, browser } = await loggedIn();
    await t.db.update(users).set({ passwordHash: '!none' }).where(eq(users.id, learner.id));
    const page = await browser.get('/compte/fermer');
    assert.doesNotMatch(page.body, /name="password"/);
    assert.ok(decode(page.body).includes('Votre compte n’a pas de mot de passe'));
    const refused = await browser.post('/compte/fermer', { _csrf: decode(/name="_csrf" value="([^"]+)"/.exec(page.body)![1]) });
    assert.equal(refused.statusCode, 400);
    assert.ok(decode(refused.body).includes('Identifiez-vous d’abord à nouveau'));
    assert.equal((await t.db.select().from(accountClosures).where(eq(accountClosures.userId, learner.id))).length, 0);
  });

  it('ACC-11 the closure form is limited per account like a password change; staff have no closure page', async () => {
    const { browser } = await loggedIn();
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await browser.submit('/compte/fermer', '/compte/fermer', { password: 'wrong' })).statusCode);
    assert.deepEqual(codes, [400, 400, 400, 429]);
    const staff = await buildStaff(t.db, t.clock, 'trainer');
    const trainer = new Client(t.app);
    await trainer.loginStaff(staff.email, staff.totpSecret, t.clock);
    assert.equal((await trainer.get('/compte/fermer')).statusCode, 403);
  });
});
