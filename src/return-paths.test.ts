import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, GOOD_PASSWORD, buildLearner, emailsTo, startTestApp, uniqueEmail, type TestApp } from '../test/app';

/**
 * `?retour=` as an attacker crafts it (issue 11, point 5): a tab browsers drop, an encoded slash
 * or backslash, text a Location header cannot hold. The language switch, the login and the
 * sign-up (whose activation email carries it) send a person home instead, never to another site.
 */

const unescape = (s: string) => s.replace(/&amp;/g, '&');
/** The action of the first form on a page posting to `path` (with its query string, if any). */
const actionOf = (html: string, path: string) => unescape(new RegExp(`<form[^>]*action="(${path}(?:\\?[^"]*)?)"`).exec(html)![1]);

describe('issue 11 #5 return paths: the language switch, the login and the sign-up send a person to this site only', () => {
  let t: TestApp;
  /** `?retour=` values a query string decodes to: each goes home, and never into a page, a Location header or an email. */
  const crafted = ['/\t/evil.example', '/%09/evil.example', '/%2509/evil.example', '/%2F/evil.example', '/%5Cevil.example', '/\\/evil.example', '/.//evil.example', '/€', '/caf\u00e9', '/compte%0D%0ASet-Cookie:%20x=1', '/compte%00'];
  const q = (value: string) => `retour=${encodeURIComponent(value)}`;

  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('the language switch goes home for an encoded tab, slash or backslash, and for text a Location header cannot hold', async () => {
    const browser = new Client(t.app);
    for (const value of crafted.filter((v) => !/[\u0000-\u001f]/.test(v))) {
      const response = await browser.get(`/langue/en?${q(value)}`);
      assert.equal(response.statusCode, 303, value);
      assert.equal(response.headers.location, '/', value);
    }
    for (const own of ['/candidatures', '/formations/ANG#S1', '/personnel/apprenants?q=Cl%C3%A9ment']) assert.equal((await browser.get(`/langue/fr?${q(own)}`)).headers.location, own);
  });

  it('the login page and the login itself drop a crafted retour: a learner lands on their account', async () => {
    const learner = await buildLearner(t.db, t.clock);
    for (const value of crafted) {
      const browser = new Client(t.app);
      const page = await browser.get(`/connexion?${q(value)}`);
      assert.equal(page.statusCode, 200, value);
      assert.equal(actionOf(page.body, '/connexion'), '/connexion', `${value}: the form does not carry it`);
      assert.doesNotMatch(page.body, /evil|\/connexion\?retour=|\/inscription\?retour=/, value);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
      const login = await browser.post(`/connexion?${q(value)}`, { _csrf: csrf, email: learner.email, password: GOOD_PASSWORD });
      assert.equal(login.statusCode, 303, value);
      assert.equal(login.headers.location, '/compte', value);
    }
  });

  it('the sign-up drops a crafted retour: the activation email from the city links to this site only', async () => {
    for (const value of [...crafted, '/formations/ANG']) {
      const browser = new Client(t.app);
      const page = `/inscription?${q(value)}`;
      const action = actionOf((await browser.get(page)).body, '/inscription');
      const email = uniqueEmail('retour');
      const done = await browser.submit(page, action, { email, password: GOOD_PASSWORD, passwordConfirm: GOOD_PASSWORD, terms: 'on' });
      assert.equal(done.statusCode, 200, value);
      const [sent] = await emailsTo(t.db, email);
      const link = /https?:\/\/\S+\/activation\/\S+/.exec(sent.text)![0];
      if (value === '/formations/ANG') {
        assert.ok(link.endsWith('?retour=%2Fformations%2FANG'), link);
        continue;
      }
      assert.doesNotMatch(link, /retour|evil/, `${value}: ${link}`);
      const activated = await browser.get(new URL(link).pathname + new URL(link).search);
      assert.match(activated.body, /href="\/connexion"/, value);
    }
  });
});
