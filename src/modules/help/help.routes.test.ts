import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildLearner, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';

describe('SVC-1 the help pages, /aide', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ policies: { helpSearchesPerIpPer10Min: 50 } });
  });
  after(() => t.close());
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  it('SVC-1 /aide shows the search box and every theme, public, with the help line and links to Aide and Contact in the footer', async () => {
    const res = await get('/aide');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<h1>Aide<\/h1>/);
    assert.match(res.body, /<label for="q">Rechercher dans l’aide<\/label>/);
    assert.match(res.body, /S’inscrire[\s\S]*Payer[\s\S]*Trouver de l’aide/);
    assert.match(res.body, /<footer[\s\S]*Besoin d’aide \? Appelez le <a href="tel:3975">3975<\/a> \(du lundi au vendredi, de 8 h 30 à 18 h\)[\s\S]*href="\/aide"[\s\S]*href="\/contact"/);
  });

  it('SVC-1 every page’s footer has the help line: the home page, an error page', async () => {
    for (const url of ['/', '/recherche', '/page-qui-n-existe-pas']) assert.match((await get(url)).body, /<footer[\s\S]*<a href="tel:3975">3975<\/a>[\s\S]*href="\/contact"/, url);
  });

  it('SVC-1 a search lists the articles that answer it: « demi tarif » finds the half rate', async () => {
    const res = await get('/aide?q=demi+tarif');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /répond(ent)? à « demi tarif »[\s\S]*<ol class="help-results"><li><a href="\/aide\/demi-tarif">Qui peut payer demi-tarif \?<\/a>/);
    assert.match(res.body, /value="demi tarif"/, 'the words typed stay in the box');
    const none = await get('/aide?q=zzzzqqq');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /Aucun article ne répond à « zzzzqqq »/);
  });

  it('SVC-1 an article, the same slug in both languages, with the help line of the settings', async () => {
    const fr = await get('/aide/qui-peut-m-aider');
    assert.equal(fr.statusCode, 200);
    assert.match(fr.body, /<h1 id="help-article-title">Qui peut m’aider \?<\/h1>/);
    assert.match(fr.body, /appelez le <a href="tel:3975">3975<\/a>, du lundi au vendredi, de 8 h 30 à 18 h\./);
    const en = await get('/aide/qui-peut-m-aider', { cookie: 'cursus_lang=en' });
    assert.match(en.body, /<h1 id="help-article-title">Who can help me\?<\/h1>/);
    assert.match(en.body, /call <a href="tel:3975">3975<\/a>, Monday to Friday, 8:30 am to 6 pm\./);
    assert.match(en.body, /href="\/langue\/fr\?retour=%2Faide%2Fqui-peut-m-aider"/, 'switching language keeps the article');
  });

  it('SVC-1 an unknown slug is the 404 page; odd slugs too, never a 500', async () => {
    for (const url of ['/aide/inconnu', '/aide/DEMI-TARIF', '/aide/%00', '/aide/..%2F..%2Fetc%2Fpasswd', `/aide/${'x'.repeat(250)}`, '/aide/constructor', '/aide/__proto__']) {
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(res.body, /Page introuvable/, url);
    }
  });

  it('SVC-1 odd searches give a page, never a 500: NUL bytes, a repeated q, brackets, a search too long (message next to the box, text kept)', async () => {
    for (const url of ['/aide?q=%00', '/aide?q=demi%00tarif', '/aide?q=payer&q=ch%C3%A8que', '/aide?q[]=x', '/aide?q=%E2%80%AE%F0%9F%98%80', '/aide?q=', '/aide?q=%25%25'])
      assert.equal((await get(url)).statusCode, 200, url);
    assert.match((await get('/aide?q=demi%00tarif')).body, /href="\/aide\/demi-tarif"/);
    const long = await get(`/aide?q=${'a'.repeat(5_000)}`);
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /<p class="error-message" id="q-error">Votre recherche est trop longue : 200 caractères au maximum/);
    assert.match(long.body, /aria-invalid="true"/);
    assert.ok(long.body.includes(`value="${'a'.repeat(5_000)}"`), 'what was typed is kept');
    assert.equal((await get('/aide?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).body.includes('<script>alert'), false, 'the words are escaped');
  });
});

describe('SVC-1 the help search is limited per address', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ policies: { helpSearchesPerIpPer10Min: 3 } });
  });
  after(() => t.close());

  it('SVC-1 past the policy’s searches in 10 minutes the address waits (429 page); the help pages themselves stay open', async () => {
    const browser = new Client(t.app);
    for (let i = 0; i < 3; i++) assert.equal((await browser.get(`/aide?q=payer${i}`)).statusCode, 200);
    const limited = await browser.get('/aide?q=payer');
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Trop de tentatives/);
    assert.equal((await browser.get('/aide')).statusCode, 200, 'the page without a search');
    assert.equal((await browser.get('/aide/payer')).statusCode, 200, 'an article');
  });
});

describe('SVC-1 the help line comes from the settings', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { HELP_LINE_PHONE: '01 42 76 40 40', HELP_LINE_HOURS: '1-6 09:00-17:30' } });
  });
  after(() => t.close());

  it('SVC-1 HELP_LINE_PHONE and HELP_LINE_HOURS show in the footer and in the article « Qui peut m’aider ? »', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    assert.match(home.body, /Appelez le <a href="tel:0142764040">01 42 76 40 40<\/a> \(du lundi au samedi, de 9 h à 17 h 30\)/);
    const article = await t.app.inject({ method: 'GET', url: '/aide/qui-peut-m-aider', headers: { cookie: 'cursus_lang=en' } });
    assert.match(article.body, /call <a href="tel:0142764040">01 42 76 40 40<\/a>, Monday to Saturday, 9 am to 5:30 pm\./);
  });
});

describe('SVC-1 help links where the question arises', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [{ code: 'S1', course: 'ANG', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
  });
  after(() => t.close());

  it('SVC-1 the situation step links to the half rate, the history to attendance, the data and closure pages to personal data', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    await browser.submit('/formations/ANG', '/candidatures', { session: 'S1' });
    const id = /\/candidatures\/([0-9a-f-]{36})\/situation/.exec((await browser.get('/candidatures')).body)![1];
    const links = {
      [`/candidatures/${id}/situation`]: ['demi-tarif', 'Aide : Qui peut payer demi-tarif ?'],
      '/compte/historique': ['assiduite', 'Aide : Qu’est-ce que l’attestation d’assiduité ? Que faire si je suis absent ?'],
      '/compte/donnees': ['donnees-personnelles', 'Aide : Mes données personnelles et la fermeture de mon compte'],
      '/compte/fermer': ['donnees-personnelles', 'Aide : Mes données personnelles et la fermeture de mon compte'],
    };
    for (const [url, [slug, text]] of Object.entries(links)) {
      const page = await browser.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.ok(page.body.includes(`<a href="/aide/${slug}" class="help-link-anchor">${text}</a>`), `${url} links to ${slug}`);
    }
  });
});

describe('issue 18 the help of the credits profile, /aide', () => {
  let municipal: TestApp;
  let credits: TestApp;
  before(async () => {
    [municipal, credits] = [await startTestApp(), await startTestApp({ config: { CURSUS_PROFILE: 'credits' } })];
  });
  after(async () => {
    await municipal.close();
    await credits.close();
  });

  it('issue 18 the exams, moving and connection hours articles: listed, found and shown in the credits help; in the municipal help the page is not found and neither list nor search has it', async () => {
    for (const slug of ['examens', 'demenagement', 'heures-de-connexion']) {
      assert.equal((await credits.app.inject({ method: 'GET', url: `/aide/${slug}` })).statusCode, 200, slug);
      assert.equal((await municipal.app.inject({ method: 'GET', url: `/aide/${slug}` })).statusCode, 404, slug);
    }
    assert.match((await credits.app.inject({ method: 'GET', url: '/aide' })).body, /href="\/aide\/examens"/);
    assert.doesNotMatch((await municipal.app.inject({ method: 'GET', url: '/aide' })).body, /href="\/aide\/(examens|demenagement|heures-de-connexion)"/);
    assert.match((await credits.app.inject({ method: 'GET', url: '/aide?q=examen' })).body, /<ol class="help-results">[\s\S]*href="\/aide\/examens"/);
    assert.doesNotMatch((await municipal.app.inject({ method: 'GET', url: '/aide?q=examen' })).body, /href="\/aide\/examens"/);
    // An article for everyone is in both.
    for (const t of [municipal, credits]) assert.equal((await t.app.inject({ method: 'GET', url: '/aide/qui-peut-m-aider' })).statusCode, 200);
  });
});
