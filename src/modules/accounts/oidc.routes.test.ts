import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, GOOD_PASSWORD, buildLearner, buildStaff, emailsTo, linkIn, startTestApp, type TestApp } from '../../../test/app';
import { startTestProvider, testPeople, TEST_CLIENT, type IdentityProvider } from '../../../test/oidc';
import { userSessions, users } from './accounts.table';
import { hasLocalPassword, linkedProviders, reauthenticatedSince } from './identity.service';
import { identityLinks, oidcLogins } from './identity.table';
import { consents } from './consents.table';

const oidcSettings = (idp: IdentityProvider, extra: Record<string, string> = {}) => ({
  OIDC_PROVIDERS: 'franceconnect',
  OIDC_FRANCECONNECT_ISSUER: idp.issuer,
  OIDC_FRANCECONNECT_CLIENT_ID: TEST_CLIENT.client_id,
  OIDC_FRANCECONNECT_CLIENT_SECRET: TEST_CLIENT.client_secret,
  OIDC_TIMEOUT_SECONDS: '1',
  ...extra,
});

const valueOf = (html: string, name: string) => new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];
const selected = (html: string, name: string) => new RegExp(`<select[^>]*name="${name}"[\\s\\S]*?<option[^>]*value="([^"]*)"[^>]*selected`).exec(html)?.[1];

/** Clicks the FranceConnect button: the app's redirect to the provider. */
async function clickFranceConnect(browser: Client, page = '/connexion') {
  const response = await browser.submit(page, '/connexion/oidc/franceconnect', {});
  return response;
}

/** The whole round trip: the button, the provider's login page as `who`, back to the app's callback. */
async function signInWith(browser: Client, idp: IdentityProvider, who: { as: string } | { deny: true }, jar = new Map<string, string>()) {
  const start = await clickFranceConnect(browser);
  assert.equal(start.statusCode, 303, start.body);
  const back = await idp.signIn(start.headers.location as string, who, jar);
  return { start, back, response: await browser.get(back.pathname + back.search) };
}

describe('ACC-13 signing in with FranceConnect (OpenID Connect)', () => {
  let t: TestApp;
  let idp: IdentityProvider;
  before(async () => {
    idp = await startTestProvider();
    t = await startTestApp({ config: oidcSettings(idp) });
  });
  after(async () => {
    await t.close();
    await idp.close();
  });
  beforeEach(async () => {
    idp.resetFaults();
  });

  it('ACC-13 the login and sign-up pages show the FranceConnect button first, the OU separator and the link “Qu’est-ce que FranceConnect ?”', async () => {
    for (const page of ['/connexion', '/inscription']) {
      const html = (await new Client(t.app).get(page)).body;
      const button = html.indexOf('class="fr-connect"');
      assert.ok(button > 0, page);
      assert.ok(button < html.indexOf('name="email"'), `${page}: the button comes before the local form`);
      assert.match(html, /S’identifier avec<\/span> <span class="fr-connect__brand">FranceConnect/);
      assert.match(html, /<a href="https:\/\/franceconnect.gouv.fr\/" target="_blank" rel="noopener" title="Qu’est-ce que FranceConnect \? - nouvelle fenêtre">Qu’est-ce que FranceConnect \?<\/a>/);
      assert.match(html, /class="oidc-separator" role="separator">ou</);
    }
  });

  it('ACC-13 the redirect asks eidas1, a state and a nonce of at least 22 characters, PKCE S256; they are kept on the server', async () => {
    const browser = new Client(t.app);
    const start = await clickFranceConnect(browser);
    const url = new URL(start.headers.location as string);
    assert.equal(url.origin, new URL(idp.issuer).origin);
    assert.equal(url.searchParams.get('acr_values'), 'eidas1');
    assert.equal(url.searchParams.get('response_type'), 'code');
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(url.searchParams.get('state')!.length >= 22);
    assert.ok(url.searchParams.get('nonce')!.length >= 22);
    assert.match(url.searchParams.get('scope')!, /^openid .*birthcountry.*email/);
    const [row] = await t.db.select().from(oidcLogins).where(eq(oidcLogins.state, url.searchParams.get('state')!));
    assert.equal(row.nonce, url.searchParams.get('nonce'));
    assert.equal(row.stage, 'started');
    assert.ok(!JSON.stringify(browser.cookies).includes(row.state!), 'the state is not in a cookie');
  });

  it('ACC-13 a first sign-in with a new verified email creates a learner account without a local password, then the record is prefilled (ACC-6)', async () => {
    const browser = new Client(t.app);
    const { response } = await signInWith(browser, idp, { as: testPeople.camille.sub });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/connexion/oidc/suite');
    const step = await browser.get('/connexion/oidc/suite');
    assert.match(step.body, /Aucun compte n’existe avec l’adresse camille.dupont@example.org/);
    const refused = await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/creer', {});
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /accepter les conditions/);
    const created = await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/creer', { terms: 'on' });
    assert.equal(created.statusCode, 303);
    assert.equal(created.headers.location, '/compte/fiche');
    const user = (await t.db.select().from(users).where(eq(users.email, testPeople.camille.email)))[0];
    assert.equal(user.status, 'active');
    assert.equal(user.role, 'learner');
    assert.deepEqual((await t.db.select().from(consents).where(eq(consents.userId, user.id))).map((c) => [c.kind, c.givenHow]), [['terms', 'provider_sign_in']]);
    assert.equal(await hasLocalPassword(t.db, user.id), false);
    assert.deepEqual(await linkedProviders(t.db, user.id), ['franceconnect']);
    const record = await browser.get('/compte/fiche');
    assert.match(record.body, /Ces informations viennent de FranceConnect/);
    assert.equal(valueOf(record.body, 'firstName'), 'Camille Marie Louise');
    assert.equal(valueOf(record.body, 'lastName'), 'Martin');
    assert.equal(valueOf(record.body, 'birthName'), 'Dupont');
    assert.equal(valueOf(record.body, 'birthDate'), '12/04/1988');
    assert.equal(selected(record.body, 'birthCountry'), 'FR');
    assert.match(record.body, /name="civility" value="MME"[^>]*checked|value="MME"[^>]* checked/);

    // The next sign-in finds the link: straight in.
    const again = await signInWith(new Client(t.app), idp, { as: testPeople.camille.sub });
    assert.equal(again.response.statusCode, 303);
    assert.equal(again.response.headers.location, '/compte/fiche');
  });

  it('ACC-13 an approximate birth date (1st of January) and a birth country abroad: prefilled, the learner asked to check the date', async () => {
    const browser = new Client(t.app);
    await signInWith(browser, idp, { as: testPeople.youssef.sub });
    await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/creer', { terms: 'on' });
    const record = await browser.get('/compte/fiche');
    assert.equal(valueOf(record.body, 'birthDate'), '01/01/1975');
    assert.equal(selected(record.body, 'birthCountry'), 'MA');
    assert.match(record.body, /peut-être approximative/);
  });

  it('ACC-13 an existing account with the same verified email is linked only after its password is given — never silently', async () => {
    const person = { ...testPeople.camille, sub: 'fc-link-password', email: 'link.password@example.org' };
    idp.people.push(person);
    const owner = await buildLearner(t.db, t.clock, { email: person.email });
    const browser = new Client(t.app);
    const { response } = await signInWith(browser, idp, { as: person.sub });
    assert.equal(response.headers.location, '/connexion/oidc/suite');
    assert.ok(!browser.cookies.has('cursus_sid'), 'not signed in');
    assert.deepEqual(await linkedProviders(t.db, owner.id), []);
    const step = await browser.get('/connexion/oidc/suite');
    assert.match(step.body, /Un compte existe déjà avec l’adresse link.password@example.org/);
    const wrong = await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/mot-de-passe', { password: 'not-the-password' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /Ce mot de passe n’est pas celui du compte/);
    assert.deepEqual(await linkedProviders(t.db, owner.id), []);
    const right = await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/mot-de-passe', { password: GOOD_PASSWORD });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, '/compte');
    assert.deepEqual(await linkedProviders(t.db, owner.id), ['franceconnect']);
    assert.equal(await hasLocalPassword(t.db, owner.id), true);
    const [session] = await t.db.select().from(userSessions).where(eq(userSessions.userId, owner.id));
    assert.equal(session.identityProvider, 'franceconnect', 'the session keeps its provider (the logout goes through it)');
  });

  it('ACC-13 or by a single-use link mailed to that address, opened in the browser that signed in', async () => {
    const person = { ...testPeople.camille, sub: 'fc-link-email', email: 'link.email@example.org' };
    idp.people.push(person);
    const owner = await buildLearner(t.db, t.clock, { email: person.email });
    const browser = new Client(t.app);
    await signInWith(browser, idp, { as: person.sub });
    const sent = await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/lien', {});
    assert.equal(sent.statusCode, 303);
    assert.match((await browser.get('/connexion/oidc/suite')).body, /un lien vient d’être envoyé à link.email@example.org/);
    const [email] = await emailsTo(t.db, person.email);
    assert.match(email.subject, /Relier votre compte à FranceConnect/);
    const link = linkIn(email.text, '/connexion/oidc/lien/');
    const elsewhere = await new Client(t.app).get(link);
    assert.equal(elsewhere.statusCode, 400);
    assert.match(elsewhere.body, /doit être ouvert dans le navigateur/);
    assert.deepEqual(await linkedProviders(t.db, owner.id), []);
    const opened = await browser.get(link);
    assert.equal(opened.statusCode, 303);
    assert.deepEqual(await linkedProviders(t.db, owner.id), ['franceconnect']);
    assert.equal((await browser.get(link)).statusCode, 410, 'single use');
  });

  it('ACC-13 a provider email that is not verified is matched with no account; another address is proved by an emailed link', async () => {
    const owner = await buildLearner(t.db, t.clock, { email: testPeople.unverified.email });
    const browser = new Client(t.app);
    await signInWith(browser, idp, { as: testPeople.unverified.sub });
    const step = await browser.get('/connexion/oidc/suite');
    assert.match(step.body, /ne nous a pas transmis d’adresse électronique vérifiée/);
    assert.doesNotMatch(step.body, /Un compte existe déjà/);
    assert.match(step.body, /href="\/inscription"/);
    assert.deepEqual(await linkedProviders(t.db, owner.id), []);
    const missing = await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/lien', { email: '', terms: 'on' });
    assert.equal(missing.statusCode, 400);
    await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/lien', { email: 'jeanne.other@example.org', terms: 'on' });
    const [email] = await emailsTo(t.db, 'jeanne.other@example.org');
    assert.match(email.subject, /Créer votre compte avec FranceConnect/);
    const opened = await browser.get(linkIn(email.text, '/connexion/oidc/lien/'));
    assert.equal(opened.headers.location, '/compte/fiche');
    const [created] = await t.db.select().from(users).where(eq(users.email, 'jeanne.other@example.org'));
    assert.deepEqual(await linkedProviders(t.db, created.id), ['franceconnect']);
  });

  it('ACC-13 ACC-12 a staff member’s address never signs in with the provider', async () => {
    const staff = await buildStaff(t.db, t.clock, 'school_head');
    const person = { ...testPeople.camille, sub: 'fc-staff', email: staff.email };
    idp.people.push(person);
    const browser = new Client(t.app);
    await signInWith(browser, idp, { as: person.sub });
    const step = await browser.get('/connexion/oidc/suite');
    assert.match(step.body, /comptes du personnel se connectent avec leur mot de passe/);
    assert.doesNotMatch(step.body, /mot-de-passe"|suite\/lien|suite\/creer/);
    assert.equal((await browser.submit('/connexion', '/connexion', { email: staff.email, password: GOOD_PASSWORD })).headers.location, '/connexion/code');
  });

  it('ACC-13 the provider’s error comes back in plain words (cancelled), never a 500', async () => {
    const browser = new Client(t.app);
    const { response } = await signInWith(browser, idp, { deny: true });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Vous avez annulé la connexion avec FranceConnect/);
    idp.faults.authorizationError = 'login_required';
    const other = await signInWith(new Client(t.app), idp, { as: testPeople.camille.sub });
    assert.equal(other.response.statusCode, 400);
    assert.match(other.response.body, /FranceConnect n’a pas pu vous identifier/);
    assert.match(other.response.body, /Message de FranceConnect : « Erreur simulée/);
  });

  it('ACC-13 a tampered state, a replayed callback, a callback in another browser are refused', async () => {
    const browser = new Client(t.app);
    const start = await clickFranceConnect(browser);
    const back = await idp.signIn(start.headers.location as string, { as: testPeople.camille.sub });
    const tampered = new URL(back);
    tampered.searchParams.set('state', 'x'.repeat(43));
    const refused = await browser.get(tampered.pathname + tampered.search);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /La réponse de FranceConnect n’a pas pu être vérifiée/);
    const replay = await browser.get(back.pathname + back.search);
    assert.equal(replay.statusCode, 400, 'the sign-in was used up by the first try');
    assert.match(replay.body, /a expiré, a déjà été utilisée/);

    const first = new Client(t.app);
    const ok = await signInWith(first, idp, { as: testPeople.camille.sub });
    assert.equal(ok.response.statusCode, 303);
    const again = await first.get(ok.back.pathname + ok.back.search);
    assert.equal(again.statusCode, 400, 'a replayed code is refused');

    const start2 = await clickFranceConnect(new Client(t.app));
    const back2 = await idp.signIn(start2.headers.location as string, { as: testPeople.camille.sub });
    const thief = await new Client(t.app).get(back2.pathname + back2.search);
    assert.equal(thief.statusCode, 400);
  });

  for (const fault of ['other-client', 'unknown-key', 'wrong-nonce', 'wrong-issuer', 'expired'] as const)
    it(`ACC-13 an ID token ${fault} is refused`, async () => {
      idp.faults.idToken = fault;
      const { response } = await signInWith(new Client(t.app), idp, { as: testPeople.camille.sub });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /n’a pas pu être vérifiée/);
    });

  for (const fault of ['unknown-key', 'unsigned'] as const)
    it(`ACC-13 a UserInfo answer ${fault} is refused (it must be a JWT signed by the provider)`, async () => {
      idp.faults.userinfo = fault;
      const { response } = await signInWith(new Client(t.app), idp, { as: testPeople.camille.sub });
      assert.equal(response.statusCode, 400);
      assert.match(response.body, /n’a pas pu être vérifiée/);
    });

  it('ACC-13 a provider down or slow: a clear message, and the local login still works', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    const start = await clickFranceConnect(browser);
    const back = await idp.signIn(start.headers.location as string, { as: testPeople.camille.sub });
    idp.faults.down = true;
    const down = await browser.get(back.pathname + back.search);
    assert.equal(down.statusCode, 503);
    assert.match(down.body, /FranceConnect ne répond pas pour le moment/);
    idp.resetFaults();
    const slowBrowser = new Client(t.app);
    const slowStart = await clickFranceConnect(slowBrowser);
    const slowBack = await idp.signIn(slowStart.headers.location as string, { as: testPeople.camille.sub });
    idp.faults.delayMs = 1500;
    const slow = await slowBrowser.get(slowBack.pathname + slowBack.search);
    assert.equal(slow.statusCode, 503);
    assert.match(slow.body, /FranceConnect ne répond pas/);
    const local = await browser.submit('/connexion', '/connexion', { email: learner.email, password: GOOD_PASSWORD });
    assert.equal(local.statusCode, 303);
  });

  it('ACC-13 logout goes through the provider’s end-session endpoint with id_token_hint, back to Cursus', async () => {
    const browser = new Client(t.app);
    const jar = new Map<string, string>();
    const { response } = await signInWith(browser, idp, { as: testPeople.camille.sub }, jar);
    assert.equal(response.statusCode, 303);
    const [session] = await t.db.select().from(userSessions).where(eq(userSessions.identityProvider, 'franceconnect')).limit(1);
    assert.ok(session.idToken);
    const out = await browser.submit('/compte/fiche', '/deconnexion', {});
    assert.equal(out.statusCode, 303);
    const url = new URL(out.headers.location as string);
    assert.equal(url.origin, new URL(idp.issuer).origin);
    assert.ok(url.searchParams.get('id_token_hint'));
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), 'http://localhost:3000/');
    const home = await idp.signOut(url, jar);
    assert.equal(home.origin + home.pathname, 'http://localhost:3000/');
    assert.ok(!browser.cookies.has('cursus_sid'));
  });

  it('ACC-11 ACC-13 a linked learner re-authenticates with the provider (the closure asks it)', async () => {
    const browser = new Client(t.app);
    await signInWith(browser, idp, { as: testPeople.camille.sub });
    const [link] = await t.db.select().from(identityLinks).where(eq(identityLinks.subject, testPeople.camille.sub));
    const since = t.clock.now();
    const html = (await browser.get('/compte/fiche')).body;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const started = await browser.post('/connexion/oidc/franceconnect?retour=/compte', { _csrf: csrf, reauth: '1' });
    assert.equal(started.statusCode, 303);
    const url = new URL(started.headers.location as string);
    assert.equal(url.searchParams.get('prompt'), 'login');
    const back = await idp.signIn(url, { as: testPeople.camille.sub });
    const done = await browser.get(back.pathname + back.search);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/compte');
    const sessionId = createHash('sha256').update(decodeURIComponent(browser.cookies.get('cursus_sid')!)).digest('hex');
    assert.ok(await reauthenticatedSince(t.db, { sessionId, since }));
    assert.equal(await reauthenticatedSince(t.db, { sessionId, since: new Date(since.getTime() + 1) }), false);
    // Someone else's identity does not re-authenticate this account.
    const other = await browser.post('/connexion/oidc/franceconnect', { _csrf: /name="_csrf" value="([^"]+)"/.exec((await browser.get('/compte/fiche')).body)![1], reauth: '1' });
    const otherBack = await idp.signIn(other.headers.location as string, { as: testPeople.youssef.sub });
    assert.equal((await browser.get(otherBack.pathname + otherBack.search)).statusCode, 403);
    assert.ok(link);
  });
  it('ACC-11 ACC-13 the closure of an account without a password offers the re-authentication with the provider’s label', async () => {
    const person = { ...testPeople.camille, sub: 'fc-closure-label', email: 'closure.label@example.org' };
    idp.people.push(person);
    const browser = new Client(t.app);
    await signInWith(browser, idp, { as: person.sub });
    await browser.submit('/connexion/oidc/suite', '/connexion/oidc/suite/creer', { terms: 'on' });
    const page = await browser.get('/compte/fermer');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /action="\/connexion\/oidc\/franceconnect\?retour=%2Fcompte%2Ffermer"/);
    assert.match(page.body, /Confirmer avec FranceConnect/);
    assert.doesNotMatch(page.body, /Confirmer avec franceconnect/);
  });

  for (const fault of ['old-auth-time', 'no-auth-time'] as const)
    it(`ACC-11 ACC-13 a re-authentication whose ID token has ${fault === 'old-auth-time' ? 'an auth_time from before it started' : 'no auth_time'} is refused (max_age=0 asked)`, async () => {
      const browser = new Client(t.app);
      await signInWith(browser, idp, { as: testPeople.camille.sub });
      const since = t.clock.now();
      const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/compte/fiche')).body)![1];
      const started = await browser.post('/connexion/oidc/franceconnect?retour=/compte', { _csrf: csrf, reauth: '1' });
      const url = new URL(started.headers.location as string);
      assert.equal(url.searchParams.get('max_age'), '0');
      idp.faults.idToken = fault;
      const back = await idp.signIn(url, { as: testPeople.camille.sub });
      const done = await browser.get(back.pathname + back.search);
      assert.equal(done.statusCode, 400);
      assert.match(done.body, /n’a pas pu être vérifiée/);
      const sessionId = createHash('sha256').update(decodeURIComponent(browser.cookies.get('cursus_sid')!)).digest('hex');
      assert.equal(await reauthenticatedSince(t.db, { sessionId, since }), false);
    });
});

describe('ACC-13 a provider unreachable from the start', () => {
  it('ACC-13 the login page shows the button, the click says the provider is unavailable, local login works', async () => {
    const idp = await startTestProvider();
    const issuer = idp.issuer;
    await idp.close();
    const t = await startTestApp({ config: { OIDC_PROVIDERS: 'franceconnect', OIDC_FRANCECONNECT_ISSUER: issuer, OIDC_FRANCECONNECT_CLIENT_ID: 'x', OIDC_FRANCECONNECT_CLIENT_SECRET: 'y', OIDC_TIMEOUT_SECONDS: '1' } });
    try {
      const learner = await buildLearner(t.db, t.clock);
      const browser = new Client(t.app);
      const page = await browser.get('/connexion');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /fr-connect/);
      const click = await clickFranceConnect(browser);
      assert.equal(click.statusCode, 503);
      assert.match(click.body, /FranceConnect ne répond pas pour le moment/);
      assert.match(click.body, /name="password"/);
      const local = await browser.submit('/connexion', '/connexion', { email: learner.email, password: GOOD_PASSWORD });
      assert.equal(local.statusCode, 303);
    } finally {
      await t.close();
    }
  });

  it('ACC-13 without OIDC settings the pages show no provider button', async () => {
    const t = await startTestApp();
    try {
      assert.doesNotMatch((await new Client(t.app).get('/connexion')).body, /fr-connect|oidc-separator/);
      assert.equal((await new Client(t.app).post('/connexion/oidc/franceconnect', {})).statusCode >= 400, true);
    } finally {
      await t.close();
    }
  });
});
