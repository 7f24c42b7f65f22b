import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { currentTerms } from './consents.rules';
import { consentsOf } from './consents.service';
import { consents } from './consents.table';
import { signInsOf } from './sign-ins.service';

describe('consents and sign-ins pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-12-02T08:00:00Z') });
  });
  after(() => t.close());

  const loggedIn = async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    assert.equal((await browser.login(learner.email)).statusCode, 303);
    return { learner, browser };
  };

  it('ACC-11 the consents page lists each consent with its version and date; the news opt-in is given and withdrawn there, the withdrawal kept', async () => {
    const { learner, browser } = await loggedIn();
    const account = await browser.get('/compte');
    assert.match(account.body, /href="\/compte\/consentements"/, 'linked from the account page');
    let page = await browser.get('/compte/consentements');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Conditions générales d’utilisation<\/th><td>2<\/td><td>2 décembre 2026 à 09:00 \(compte créé par le service\)<\/td><td>—<\/td>/);
    assert.match(page.body, /Vous ne recevez pas d’informations sur les cours/);
    assert.match(page.body, /href="\/compte\/fermer"/, 'the terms end only with the account');

    const given = await browser.submit('/compte/consentements', '/compte/consentements/informations', {}, { keepForm: true });
    assert.equal(given.headers.location, '/compte/consentements?message=newsGiven');
    page = await browser.get(given.headers.location as string);
    assert.match(page.body, /C’est noté : vous recevrez les informations/);
    assert.match(page.body, /Vous acceptez de recevoir des informations/);

    t.clock.advance(60_000);
    const withdrawn = await browser.submit('/compte/consentements', '/compte/consentements/informations', {}, { keepForm: true });
    assert.equal(withdrawn.headers.location, '/compte/consentements?message=newsWithdrawn');
    const news = (await consentsOf(t.db, learner.id)).filter((c) => c.kind === 'news');
    assert.equal(news.length, 1);
    assert.ok(news[0].withdrawnAt, 'withdrawn, not deleted');
    page = await browser.get('/compte/consentements');
    assert.match(page.body, /Informations sur les cours<\/th><td>1<\/td><td>2 décembre 2026 à 09:00 \(page « Mes consentements »\)<\/td><td>2 décembre 2026 à 09:01 \(page « Mes consentements »\)<\/td>/);
  });

  it('ACC-11 a tampered news form is refused with the page again, never a 500', async () => {
    const { browser } = await loggedIn();
    for (const choice of ['', 'maybe', 'x'.repeat(10_000)]) {
      const response = await browser.submit('/compte/consentements', '/compte/consentements/informations', { choice });
      assert.equal(response.statusCode, 400, choice.slice(0, 10));
      assert.match(response.body, /Mes consentements/);
    }
    const anonymous = new Client(t.app);
    assert.equal((await anonymous.get('/compte/consentements')).headers.location, '/connexion?retour=%2Fcompte%2Fconsentements');
  });

  it('ACC-1 a new version of the terms: a learner signing in is asked to accept it before going on; refusing leads to closing the account', async () => {
    const learner = await buildLearner(t.db, t.clock);
    await t.db.update(consents).set({ version: '1' }).where(eq(consents.userId, learner.id));
    const browser = new Client(t.app);
    const login = await browser.login(learner.email);
    assert.equal(login.headers.location, '/compte');
    for (const path of ['/compte', '/candidatures', '/compte/historique']) {
      const stopped = await browser.get(path);
      assert.equal(stopped.statusCode, 303, path);
      assert.equal(stopped.headers.location, `/compte/conditions?retour=${encodeURIComponent(path)}`);
    }
    const asked = await browser.get('/compte/conditions?retour=%2Fcandidatures');
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /Les conditions générales d’utilisation ont changé/);
    assert.match(asked.body, new RegExp(`version ${currentTerms.version}`));
    assert.match(asked.body, /Ce qui change/);
    assert.match(asked.body, /href="\/compte\/fermer"/, 'whoever refuses is shown the closure');
    assert.equal((await browser.get('/conditions')).statusCode, 200, 'the terms can be read meanwhile');
    const accepted = await browser.submit('/compte/conditions?retour=%2Fcandidatures', '/compte/conditions?retour=%2Fcandidatures', {});
    assert.equal(accepted.statusCode, 303);
    assert.equal(accepted.headers.location, '/candidatures', 'back where they were going');
    assert.equal((await browser.get('/compte')).statusCode, 200);
    assert.equal((await browser.get('/compte/conditions')).headers.location, '/compte', 'nothing more to accept');
    const terms = (await consentsOf(t.db, learner.id)).filter((c) => c.kind === 'terms');
    assert.deepEqual(terms.map((c) => [c.version, c.givenHow]).sort(), [['1', 'created'], [currentTerms.version, 'sign_in']].sort());
  });

  it('ACC-1 a learner asked to accept new terms still gets the static files (styles, the FranceConnect logo, the ALTCHA script)', async () => {
    const learner = await buildLearner(t.db, t.clock);
    await t.db.update(consents).set({ version: '1' }).where(eq(consents.userId, learner.id));
    const browser = new Client(t.app);
    await browser.login(learner.email);
    assert.equal((await browser.get('/compte')).statusCode, 303, 'the gate holds');
    for (const path of ['/static/app.css', '/static/franceconnect-logo.svg', '/vendor/altcha/index.js']) {
      const response = await browser.get(path);
      assert.notEqual(response.statusCode, 303, path);
    }
    assert.equal((await browser.get('/static/app.css')).statusCode, 200);
  });

  it('ACC-11 the terms page shows the version and the date it took effect', async () => {
    const page = await new Client(t.app).get('/conditions');
    assert.match(page.body, new RegExp(`Version ${currentTerms.version}, en vigueur depuis le 1er décembre 2026`));
  });

  it('ACC-11 my sign-ins, linked from the sessions of the account page: when, how, the device and the IP address', async () => {
    const { browser } = await loggedIn();
    assert.match((await browser.get('/compte')).body, /<a href="\/compte\/connexions">Mes connexions<\/a>/);
    const page = await browser.get('/compte/connexions');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Mes connexions<\/h1>/);
    assert.match(page.body, /<td>2 décembre 2026 à \d\d:\d\d<\/td><td>Mot de passe<\/td><td>Chrome \(Linux\)<\/td><td>127\.0\.0\.1<\/td>/);
  });

  it('ACC-11 ACC-12 a staff member’s sign-in is logged as password and code; staff are not asked for the terms', async () => {
    const staff = await buildStaff(t.db, t.clock, 'coordinator');
    const browser = new Client(t.app);
    const done = await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    assert.equal(done.headers.location, '/personnel');
    assert.equal((await browser.get('/personnel')).statusCode, 200);
    assert.deepEqual((await signInsOf(t.db, staff.userId)).map((s) => s.method), ['password_totp']);
  });
});
