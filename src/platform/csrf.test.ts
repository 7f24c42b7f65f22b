import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildLearner, formHtml, startTestApp, type TestApp } from '../../test/app';

/** The `_csrf` value of the form posting to `action` on the page just received. */
const tokenIn = (html: string, action: string) => /name="_csrf" value="([^"]+)"/.exec(formHtml(html, action))![1];
const setCookies = (response: { headers: Record<string, unknown> }) => ([] as string[]).concat((response.headers['set-cookie'] as string[] | string | undefined) ?? []);

/**
 * Issue 11 #11: the CSRF token is bound to the login session (not only to the browser's secret
 * cookie), the secret is renewed at login and logout, and in production its cookie is `__Host-`.
 */
describe('CSRF tokens belong to one session of one browser', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('a token and CSRF cookie taken from visitor A are refused with visitor B’s session (cookie tossing)', async () => {
    const attacker = new Client(t.app);
    const tokenA = tokenIn((await attacker.get('/connexion')).body, '/connexion');
    const victim = new Client(t.app);
    await victim.login((await buildLearner(t.db, t.clock)).email);
    // With the victim's own secret cookie, A's token was always refused.
    const own = await victim.post('/compte/sessions/fermer-autres', { _csrf: tokenA });
    assert.equal(own.statusCode, 403);
    // A's secret cookie planted in B's browser (a sibling sub-domain, or left on a shared computer).
    victim.cookies.set('cursus_csrf', attacker.cookies.get('cursus_csrf')!);
    const tossed = await victim.post('/compte/sessions/fermer-autres', { _csrf: tokenA });
    assert.equal(tossed.statusCode, 403);
    assert.match(tossed.body, /Formulaire expiré/);
    // Nor does a logged-in A's token work with B's session.
    const other = new Client(t.app);
    await other.login((await buildLearner(t.db, t.clock)).email);
    const tokenOfASession = tokenIn((await other.get('/compte')).body, '/deconnexion');
    victim.cookies.set('cursus_csrf', other.cookies.get('cursus_csrf')!);
    const crossSession = await victim.post('/compte/sessions/fermer-autres', { _csrf: tokenOfASession });
    assert.equal(crossSession.statusCode, 403);
    assert.match(crossSession.body, /Formulaire expiré/);
  });

  it('on a shared computer, a token from before a login no longer works after it; the secret cookie is renewed', async () => {
    const computer = new Client(t.app);
    const before = tokenIn((await computer.get('/connexion')).body, '/connexion');
    const secretBefore = computer.cookies.get('cursus_csrf');
    const login = await computer.login((await buildLearner(t.db, t.clock)).email);
    assert.equal(login.statusCode, 303);
    assert.ok(setCookies(login).some((c) => c.startsWith('cursus_csrf=')), 'the login sets a fresh secret cookie');
    assert.notEqual(computer.cookies.get('cursus_csrf'), secretBefore);
    const stale = await computer.post('/compte/sessions/fermer-autres', { _csrf: before });
    assert.equal(stale.statusCode, 403);
    assert.match(stale.body, /Formulaire expiré/);
    // The pages after the login carry tokens that work.
    assert.equal((await computer.submit('/compte', '/deconnexion', {})).statusCode, 303);
  });

  it('on a shared computer, a token from before a logout no longer works after it; the secret cookie is renewed', async () => {
    const computer = new Client(t.app);
    await computer.login((await buildLearner(t.db, t.clock)).email);
    const page = (await computer.get('/compte')).body;
    const logoutToken = tokenIn(page, '/deconnexion');
    const secretBefore = computer.cookies.get('cursus_csrf');
    const logout = await computer.post('/deconnexion', { _csrf: logoutToken });
    assert.equal(logout.statusCode, 303);
    assert.ok(setCookies(logout).some((c) => c.startsWith('cursus_csrf=')), 'the logout sets a fresh secret cookie');
    assert.notEqual(computer.cookies.get('cursus_csrf'), secretBefore);
    // The next person at the computer is anonymous: the old page's token is refused (no login CSRF).
    const stale = await computer.post('/connexion', { _csrf: logoutToken, email: 'someone@example.org', password: 'x' });
    assert.equal(stale.statusCode, 403);
    assert.match(stale.body, /Formulaire expiré/);
    // Forms rendered after the logout work.
    assert.equal((await computer.submit('/connexion', '/connexion', { email: 'someone@example.org', password: 'Wrong-pass1' })).statusCode, 400);
  });

  it('a form posted after its session has ended asks to log in again, as before', async () => {
    const browser = new Client(t.app);
    const user = await buildLearner(t.db, t.clock);
    await browser.login(user.email);
    const page = (await browser.get('/compte')).body;
    const other = new Client(t.app);
    await other.login(user.email);
    await other.submit('/compte', '/compte/sessions/fermer-autres', {});
    const late = await browser.post('/compte/coordonnees', { _csrf: tokenIn(page, '/compte/coordonnees'), mobilePhone: '0612345678' });
    assert.equal(late.statusCode, 401);
    assert.match(late.body, /Connexion nécessaire/);
  });
});

describe('CSRF cookie in production', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { NODE_ENV: 'production', DATABASE_URL: 'postgres://unused/cursus', SESSION_SECRET: 'x'.repeat(32) } });
  });
  after(() => t.close());

  it('the secret cookie is named __Host-: Secure, Path=/, no Domain; forms still work', async () => {
    const browser = new Client(t.app);
    const page = await browser.get('/connexion');
    const cookie = setCookies(page).find((c) => /csrf/.test(c));
    assert.ok(cookie, 'a CSRF secret cookie is set');
    assert.match(cookie, /^__Host-cursus_csrf=/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; Path=\/(;|$)/);
    assert.match(cookie, /; HttpOnly/);
    assert.doesNotMatch(cookie, /Domain=/i);
    const user = await buildLearner(t.db, t.clock);
    const login = await browser.login(user.email);
    assert.equal(login.statusCode, 303);
    assert.ok(setCookies(login).some((c) => /^__Host-cursus_csrf=.*; Secure/.test(c)), 'the renewed secret keeps the prefix');
    assert.equal((await browser.submit('/compte', '/deconnexion', {})).statusCode, 303);
  });
});
