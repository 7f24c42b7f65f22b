import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, count, eq, sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { Client, GOOD_PASSWORD, answerBotcheckQuestion, buildLearner, buildStaff, emailsTo, formHtml, linkIn, startTestApp, uniqueEmail, type TestApp } from '../../../test/app';
import { auditLog } from '../../platform/platform.table';
import { setPolicy } from '../../platform/policies';
import { userSessions } from './accounts.table';
import { findUserByEmail } from './users.service';

const long = 'x'.repeat(10_000);
const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]);
const valueOf = (html: string, name: string) => new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];
/** The learner-record form for a person, as a learner types it. */
const recordFields = (person: { lastName: string; firstName: string; birthDate: string }) => ({
  civility: 'M',
  ...person,
  birthCountry: 'FR',
  address: '3 rue Y',
  postalCode: '75012',
  city: 'Paris',
  mobilePhone: '0612345678',
  heardFrom: 'other',
});

describe('account pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  const signUpFields = (email: string) => ({ email, password: GOOD_PASSWORD, passwordConfirm: GOOD_PASSWORD, terms: 'on', mobilePhone: '' });

  it('ACC-1 ACC-2 ACC-3 sign-up → activation email → login → learner record', async () => {
    const browser = new Client(t.app);
    const email = uniqueEmail();
    const done = await browser.submit('/inscription', '/inscription', signUpFields(email));
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /C’est presque fini/);
    const [mail] = await emailsTo(t.db, email);
    // The link asks for the password chosen at sign-up (ACC-3), then logs in.
    const link = linkIn(mail.text, '/activation/');
    const activation = await browser.get(link);
    assert.equal(activation.statusCode, 200);
    assert.match(activation.body, /Activez votre compte/);
    const wrong = await browser.submit(link, link, { password: 'Autre-mot-2026' });
    assert.equal(wrong.statusCode, 400, 'another password activates nothing');
    const login = await browser.submit(link, link, { password: GOOD_PASSWORD });
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/compte/fiche', 'a learner without a record is led to it');
    const record = await browser.submit('/compte/fiche', '/compte/fiche', {
      civility: 'M',
      lastName: 'Diallo',
      firstName: 'Moussa',
      birthDate: '03/02/1992',
      birthCountry: 'SN',
      address: '10 rue de Belleville',
      postalCode: '75 020',
      city: 'Paris',
      country: 'FR',
      mobilePhone: '07 81 23 45 67',
      heardFrom: 'word_of_mouth',
    });
    assert.equal(record.statusCode, 303, errorsOf(record.body).join());
    const page = await browser.get('/compte');
    assert.match(page.body, /Diallo/);
    assert.match(page.body, /07 81 23 45 67/);
  });

  it('ACC-2 sign-up without a solved bot check is refused; the spelled-out question is an accessible fallback', async () => {
    const browser = new Client(t.app);
    const email = uniqueEmail();
    const refused = await browser.submit('/inscription', '/inscription', signUpFields(email), { solveBotcheck: false });
    assert.equal(refused.statusCode, 400);
    assert.deepEqual(errorsOf(refused.body), [['botcheckAnswer', 'La vérification anti-robot n’a pas abouti. Répondez à la question ou attendez la fin de la vérification automatique, puis validez.']]);
    assert.equal(valueOf(refused.body, 'email'), email, 'the email typed is kept');
    assert.ok(!refused.body.includes(GOOD_PASSWORD), 'the password is never sent back');
    const answerTheQuestion = (form: string) => ({ botcheckAnswer: answerBotcheckQuestion(form) });
    const accepted = await browser.submit('/inscription', '/inscription', signUpFields(email), { solveBotcheck: false, fromForm: answerTheQuestion });
    assert.equal(accepted.statusCode, 200, errorsOf(accepted.body).join());
    assert.equal((await emailsTo(t.db, email)).length, 1);
  });

  it('ACC-2 a wrong answer to the spelled-out question uses it up: the right one afterwards, for the same question, is refused', async () => {
    const browser = new Client(t.app);
    const email = uniqueEmail();
    const form = formHtml((await browser.get('/inscription')).body, '/inscription');
    const fields = {
      ...signUpFields(email),
      _csrf: /name="_csrf" value="([^"]+)"/.exec(form)![1],
      botcheckToken: /name="botcheckToken" value="([^"]+)"/.exec(form)![1],
    };
    const right = answerBotcheckQuestion(form);
    const wrong = await browser.post('/inscription', { ...fields, botcheckAnswer: String(Number(right) + 1) });
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(errorsOf(wrong.body).map(([field]) => field), ['botcheckAnswer']);
    const next = formHtml(wrong.body, '/inscription');
    assert.notEqual(/name="botcheckToken" value="([^"]+)"/.exec(next)![1], fields.botcheckToken, 'the form comes back with a new question');
    const retry = await browser.post('/inscription', { ...fields, botcheckAnswer: right });
    assert.equal(retry.statusCode, 400, 'the first question is used up');
    assert.equal((await emailsTo(t.db, email)).length, 0);
    // The new question, answered right the first time, goes through.
    const accepted = await browser.submit('/inscription', '/inscription', signUpFields(email), { solveBotcheck: false, fromForm: (f) => ({ botcheckAnswer: answerBotcheckQuestion(f) }) });
    assert.equal(accepted.statusCode, 200, errorsOf(accepted.body).join());
  });

  it('ACC-2 the spelled-out question varies: several kinds of question, in French and in English', async () => {
    const sentences = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const form = formHtml((await new Client(t.app).get('/inscription')).body, '/inscription');
      const label = /<label for="botcheckAnswer">([^<]*)<\/label>/.exec(form)![1];
      sentences.add(label.replace(/^(\S+ \S+).*$/, '$1'));
      assert.match(answerBotcheckQuestion(form), /^\d{1,2}$/);
    }
    assert.ok(sentences.size >= 4, `several wordings in 40 forms: ${[...sentences].join(' / ')}`);
    const english = new Client(t.app);
    english.cookies.set('cursus_lang', 'en');
    const form = formHtml((await english.get('/inscription')).body, '/inscription');
    assert.match(answerBotcheckQuestion(form, 'en'), /^\d{1,2}$/);
  });

  it('ACC-3 sign-up answers the same for a registered address', async () => {
    const existing = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    const fresh = await browser.submit('/inscription', '/inscription', signUpFields(uniqueEmail()));
    const again = await browser.submit('/inscription', '/inscription', signUpFields(existing.email));
    assert.equal(again.statusCode, fresh.statusCode);
    const strip = (html: string) => html.replace(/<main[\s\S]*?<h1>/, '').replace(/\S+@example\.org/g, '').replace(/value="[^"]*"/g, '');
    assert.equal(strip(again.body).replace(/\s+/g, ' ').slice(0, 600), strip(fresh.body).replace(/\s+/g, ' ').slice(0, 600));
  });

  it('ACC-1 bad sign-up input: every error next to its field, in a summary, input kept, never a 500', async () => {
    const browser = new Client(t.app);
    const empty = await browser.submit('/inscription', '/inscription', { email: '', password: '', passwordConfirm: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorsOf(empty.body).map(([f]) => f), ['email', 'password', 'passwordConfirm', 'terms']);
    assert.match(empty.body, /Le formulaire contient 4 erreurs/);
    assert.match(empty.body, /href="#email"/);
    assert.match(empty.body, /aria-invalid="true" aria-describedby="email-hint email-error"/);

    const bad = await browser.submit('/inscription', '/inscription', {
      email: 'pas-une-adresse',
      password: 'Tulipe7x',
      passwordConfirm: 'Tulipe7y',
      terms: 'on',
      mobilePhone: '01 44 55 66 77',
    });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.fromEntries(errorsOf(bad.body)), {
      email: 'Saisissez une adresse électronique valide, par exemple nom@exemple.fr.',
      passwordConfirm: 'Les deux mots de passe ne sont pas identiques.',
      mobilePhone: 'Ce numéro n’est pas un numéro de portable. Mettez-le dans « Téléphone fixe ».',
    });
    assert.equal(valueOf(bad.body, 'email'), 'pas-une-adresse');
    assert.equal(valueOf(bad.body, 'mobilePhone'), '01 44 55 66 77');

    const huge = await browser.submit('/inscription', '/inscription', { email: long, password: long, passwordConfirm: long, mobilePhone: long, terms: 'on' });
    assert.equal(huge.statusCode, 400);
    assert.equal(errorsOf(huge.body).find(([f]) => f === 'password')?.[1], 'Le mot de passe doit contenir 128 caractères au maximum.');

    const common = await browser.submit('/inscription', '/inscription', { ...signUpFields(uniqueEmail()), password: 'Password1', passwordConfirm: 'Password1' });
    assert.equal(errorsOf(common.body)[0]?.[0], 'password');
    assert.match(errorsOf(common.body)[0]?.[1], /trop courant/);
  });

  it('rejects a forged or missing CSRF token with a plain 403 page', async () => {
    const browser = new Client(t.app);
    await browser.get('/connexion');
    const forged = await browser.post('/connexion', { _csrf: 'forged-token', email: 'a@b.fr', password: 'x' });
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /Formulaire expiré/);
    assert.match(forged.body, /Référence de la demande : [0-9a-f]{8}/);
    const missing = await new Client(t.app).post('/inscription', { email: 'a@b.fr' });
    assert.equal(missing.statusCode, 403);
  });

  it('a tampered or unknown session cookie is simply logged out, never a 500', async () => {
    const browser = new Client(t.app);
    browser.cookies.set('cursus_sid', 'tampered<script>');
    const page = await browser.get('/compte');
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/connexion?retour=%2Fcompte');
    browser.cookies.set('cursus_sid', 'x'.repeat(5000));
    assert.equal((await browser.get('/')).statusCode, 200);
    browser.cookies.set('cursus_csrf', 'tampered');
    const post = await browser.post('/connexion', { _csrf: 'x', email: 'a@b.fr', password: 'x' });
    assert.equal(post.statusCode, 403);
  });

  it('ACC-1 login: same message for an unknown address and a wrong password; the email is kept', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    const wrong = await browser.login(user.email, 'Wrong-pass1');
    const unknown = await browser.login(uniqueEmail(), 'Wrong-pass1');
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(errorsOf(wrong.body), [['email', 'Adresse électronique ou mot de passe incorrect.']]);
    assert.deepEqual(errorsOf(unknown.body), errorsOf(wrong.body));
    assert.equal(valueOf(wrong.body, 'email'), user.email);
    const empty = await browser.submit('/connexion', '/connexion', { email: '', password: '' });
    assert.equal(empty.statusCode, 400);
    const huge = await browser.submit('/connexion', '/connexion', { email: long, password: long });
    assert.equal(huge.statusCode, 400);
  });

  it('anonymous visitors get no server session; login makes one, logout ends it', async () => {
    const countSessions = async () => (await t.db.select({ n: count() }).from(userSessions))[0].n;
    const before = await countSessions();
    const browser = new Client(t.app);
    await browser.get('/inscription');
    await browser.login(uniqueEmail(), 'Wrong-pass1');
    assert.equal(await countSessions(), before, 'no session row for visitors');
    const user = await buildLearner(t.db, t.clock);
    const login = await browser.login(user.email);
    assert.equal(login.headers.location, '/compte');
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('cursus_sid='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.equal(await countSessions(), before + 1);
    assert.equal((await browser.get('/compte')).statusCode, 200);
    const logout = await browser.submit('/compte', '/deconnexion', {});
    assert.equal(logout.statusCode, 303);
    assert.equal(await countSessions(), before);
    assert.equal((await browser.get('/compte')).statusCode, 303);
  });

  it('a learner sees their sessions and ends the others', async () => {
    const user = await buildLearner(t.db, t.clock);
    const phone = new Client(t.app, 'Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile');
    const laptop = new Client(t.app, 'Mozilla/5.0 (Windows NT 10.0) Firefox/120.0');
    await phone.login(user.email);
    await laptop.login(user.email);
    const page = (await laptop.get('/compte')).body;
    assert.match(page, /Chrome \(Android\)/);
    assert.match(page, /Firefox \(Windows\)/);
    const ended = await laptop.submit('/compte', '/compte/sessions/fermer-autres', {});
    assert.equal(ended.statusCode, 303);
    assert.equal((await phone.get('/compte')).statusCode, 303, 'the phone is logged out');
    assert.equal((await laptop.get('/compte')).statusCode, 200);
  });

  it('ACC-4 changing the password while logged in ends the other sessions and rotates the current one', async () => {
    const user = await buildLearner(t.db, t.clock);
    const phone = new Client(t.app, 'Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile');
    const laptop = new Client(t.app, 'Mozilla/5.0 (Windows NT 10.0) Firefox/120.0');
    await phone.login(user.email);
    await laptop.login(user.email);
    const oldCookie = laptop.cookies.get('cursus_sid')!;
    const changed = await laptop.submit('/compte', '/compte/mot-de-passe', { currentPassword: GOOD_PASSWORD, newPassword: 'Nouveau-mot-2026', newPasswordConfirm: 'Nouveau-mot-2026' });
    assert.equal(changed.statusCode, 303);
    assert.equal(changed.headers.location, '/compte?message=passwordChanged');
    assert.equal((await phone.get('/compte')).statusCode, 303, 'the other browser is logged out');
    const stale = new Client(t.app);
    stale.cookies.set('cursus_sid', oldCookie);
    assert.equal((await stale.get('/compte')).statusCode, 303, 'the old cookie of the current browser no longer works');
    assert.notEqual(laptop.cookies.get('cursus_sid'), oldCookie, 'a new session cookie');
    const page = await laptop.get('/compte?message=passwordChanged');
    assert.equal(page.statusCode, 200, 'the new cookie works');
    assert.match(page.body, /Firefox \(Windows\)/);
    assert.doesNotMatch(page.body, /Chrome \(Android\)/);
    assert.equal((await new Client(t.app).login(user.email, 'Nouveau-mot-2026')).statusCode, 303);
  });

  it('ACC-6 ACC-7 learner record: bad input explained next to each field, input kept', async () => {
    const user = await buildLearner(t.db, t.clock, { record: null });
    const browser = new Client(t.app);
    await browser.login(user.email);
    const fields = {
      civility: 'MME',
      lastName: '<b>Durand</b>',
      firstName: 'Léa',
      birthDate: '01/01/2030',
      birthCountry: 'FR',
      address: '1 rue X',
      postalCode: '7501',
      city: 'Paris',
      country: 'FR',
      heardFrom: 'internet',
    };
    const bad = await browser.submit('/compte/fiche', '/compte/fiche', fields);
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.fromEntries(errorsOf(bad.body)), {
      birthDate: 'La date de naissance ne peut pas être dans le futur.',
      postalCode: 'Saisissez un code postal français à 5 chiffres, par exemple 75011.',
      mobilePhone: 'Indiquez au moins un numéro de téléphone (de préférence un portable : les annulations de cours sont annoncées par SMS).',
    });
    assert.equal(valueOf(bad.body, 'lastName'), '&lt;b>Durand&lt;/b>', 'kept, and escaped');
    assert.ok(!bad.body.includes('<b>Durand</b>'));

    const young = await browser.submit('/compte/fiche', '/compte/fiche', { ...fields, birthDate: '02/09/2008', postalCode: '75011', mobilePhone: '0612345678' });
    assert.deepEqual(errorsOf(young.body), [['birthDate', 'Les cours sont ouverts aux personnes de 18 ans ou plus.']]);
    const invalid = await browser.submit('/compte/fiche', '/compte/fiche', { ...fields, birthDate: '31/02/1990', civility: 'X', birthCountry: 'ZZ', heardFrom: 'tv' });
    assert.deepEqual(errorsOf(invalid.body).map(([f]) => f).sort(), ['birthCountry', 'birthDate', 'civility', 'heardFrom', 'mobilePhone', 'postalCode']);
    const huge = await browser.submit('/compte/fiche', '/compte/fiche', Object.fromEntries(Object.keys(fields).map((k) => [k, long])));
    assert.equal(huge.statusCode, 400);
    const empty = await browser.submit('/compte/fiche', '/compte/fiche', {});
    assert.equal(empty.statusCode, 400);
    assert.ok(errorsOf(empty.body).length >= 8);
    const abroad = await browser.submit('/compte/fiche', '/compte/fiche', {
      ...fields,
      lastName: 'Durand',
      birthDate: '01/09/2008',
      postalCode: 'SW1A 1AA',
      country: 'GB',
      mobilePhone: '',
      landlinePhone: '+44 20 7946 0018',
    });
    assert.equal(abroad.statusCode, 303, errorsOf(abroad.body).join(' | '));
  });

  it('ACC-5 a second record for the same person is refused with a message pointing to help', async () => {
    const first = await buildLearner(t.db, t.clock, { record: { lastName: 'Martin', firstName: 'Hugo', birthDate: '1975-06-01' } });
    assert.ok(first);
    const second = await buildLearner(t.db, t.clock, { record: null });
    const browser = new Client(t.app);
    await browser.login(second.email);
    const refused = await browser.submit('/compte/fiche', '/compte/fiche', recordFields({ lastName: 'MARTIN', firstName: 'hugo', birthDate: '1/6/1975' }));
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Une fiche existe déjà[\s\S]*3975/);
    assert.equal(valueOf(refused.body, 'lastName'), 'MARTIN');
  });

  it('ACC-8 contact details change from the account page; bad input re-renders with the typed values', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(user.email);
    const bad = await browser.submit('/compte', '/compte/coordonnees', { address: '', postalCode: '123', city: 'Lyon', mobilePhone: 'abc', landlinePhone: '' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorsOf(bad.body).map(([f]) => f), ['address', 'postalCode', 'mobilePhone']);
    assert.equal(valueOf(bad.body, 'city'), 'Lyon');
    const ok = await browser.submit('/compte', '/compte/coordonnees', { address: '8 quai de Saône', postalCode: '69001', city: 'Lyon', country: 'FR', mobilePhone: '', landlinePhone: '04 78 00 00 00' });
    assert.equal(ok.headers.location, '/compte?message=contactSaved');
    const page = (await browser.get('/compte?message=contactSaved')).body;
    assert.match(page, /Vos coordonnées sont enregistrées/);
    assert.match(page, /8 quai de Saône/);
    const name = await browser.submit('/compte', '/compte/nom', { lastName: 'X', firstName: '', reason: long });
    assert.equal(name.statusCode, 400);
    assert.deepEqual(errorsOf(name.body).map(([f]) => f), ['firstName', 'reason']);
    const email = await browser.submit('/compte', '/compte/adresse', { newEmail: uniqueEmail(), currentPassword: 'Wrong-pass1' });
    assert.deepEqual(errorsOf(email.body), [['currentPassword', 'Le mot de passe actuel n’est pas le bon.']]);
    const password = await browser.submit('/compte', '/compte/mot-de-passe', { currentPassword: GOOD_PASSWORD, newPassword: 'abc', newPasswordConfirm: 'abd' });
    assert.deepEqual(errorsOf(password.body).map(([f]) => f), ['newPassword', 'newPasswordConfirm']);
  });

  it('ACC-8 a NUL byte in a name change request or an address is refused next to its field, never a 500', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(user.email);
    const nul = await browser.submit('/compte', '/compte/nom', { lastName: 'Du\u0000rand', firstName: 'Léa', reason: 'Mariage' });
    assert.equal(nul.statusCode, 400, 'a NUL byte is refused next to its field, not a 500');
    assert.deepEqual(errorsOf(nul.body), [['lastName', 'Ce texte contient un caractère invisible qui n’est pas accepté : retapez-le.']]);
    const nulAddress = await browser.submit('/compte', '/compte/coordonnees', { address: '8 quai\u0000', postalCode: '69001', city: 'Lyon', country: 'FR', mobilePhone: '0612345678' });
    assert.equal(nulAddress.statusCode, 400);
    assert.deepEqual(errorsOf(nulAddress.body).map(([f]) => f), ['address']);
    assert.equal(valueOf(nulAddress.body, 'city'), 'Lyon');
  });

  it('ACC-4 reset pages: expired or reused links get a clear page, bad passwords a clear message', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    const asked = await browser.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: user.email });
    const unknown = await browser.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: uniqueEmail() });
    assert.equal(asked.body.replace(/value="[^"]*"/g, ''), unknown.body.replace(/value="[^"]*"/g, ''), 'same answer either way');
    const link = linkIn((await emailsTo(t.db, user.email))[0].text, '/mot-de-passe/');
    const weak = await browser.submit(link, link, { password: 'abc', passwordConfirm: 'abc' });
    assert.equal(weak.statusCode, 400);
    assert.equal(errorsOf(weak.body)[0][0], 'password');
    const done = await browser.submit(link, link, { password: 'Nouveau-mot-2026', passwordConfirm: 'Nouveau-mot-2026' });
    assert.match(done.body, /Mot de passe modifié/);
    const reused = await browser.get(link);
    assert.equal(reused.statusCode, 410);
    assert.match(reused.body, /Ce lien ne fonctionne plus/);
    assert.equal((await browser.get('/mot-de-passe/' + 'a'.repeat(250))).statusCode, 410);
    assert.equal((await browser.get('/mot-de-passe/' + 'a'.repeat(400))).statusCode, 414, 'longer than any token: URI too long, not a 500');
    assert.equal((await browser.get('/activation/%3Cscript%3E')).statusCode, 410);
  });

  it('rate limits login per address, counted in the database', async () => {
    await setPolicy(t.db, 'loginAttemptsPerIpPer10Min', 3);
    await t.db.execute(sql`delete from rate_limit_counters where key like 'rl:%'`);
    await new Promise((r) => setTimeout(r, 5_100)); // the app reads policies at most every 5 s
    const browser = new Client(t.app);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await browser.login(uniqueEmail(), 'Wrong-pass1')).statusCode);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
    const limited = await browser.login(uniqueEmail(), 'Wrong-pass1');
    assert.match(limited.body, /Trop de tentatives/);
    await setPolicy(t.db, 'loginAttemptsPerIpPer10Min', 1000);
    await new Promise((r) => setTimeout(r, 5_100));
  });

  it('ACC-12 staff pages refuse learners (403) and visitors (to login)', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    assert.equal((await browser.get('/personnel')).statusCode, 303);
    await browser.login(learner.email);
    const page = await browser.get('/personnel');
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /Accès refusé/);
    const staff = await buildStaff(t.db, t.clock, 'coordinator');
    const staffBrowser = new Client(t.app);
    const step1 = await staffBrowser.login(staff.email);
    assert.equal(step1.headers.location, '/connexion/code');
    assert.equal((await staffBrowser.get('/personnel')).statusCode, 303, 'no access before the code');
    const wrong = await staffBrowser.submit('/connexion/code', '/connexion/code', { code: '12' });
    assert.equal(wrong.statusCode, 400);
    assert.equal((await new Client(t.app).get('/connexion/code')).headers.location, '/connexion');
  });

  it('ACC-12 the second-factor step works once, only in the browser that gave the password, and its cookie does not show the user id', async () => {
    const staff = await buildStaff(t.db, t.clock, 'school_head');
    const code = async () => generate({ secret: staff.totpSecret, epoch: Math.floor(t.clock.now().getTime() / 1000) });
    const tokenFrom = async (client: Client) => /name="_csrf" value="([^"]+)"/.exec((await client.get('/connexion')).body)![1];
    const browser = new Client(t.app);
    assert.equal((await browser.login(staff.email)).headers.location, '/connexion/code');
    const pending = browser.cookies.get('cursus_mfa')!;
    assert.ok(pending);
    assert.ok(!decodeURIComponent(pending).includes(staff.userId), 'the cookie does not show who is logging in');

    // Another browser with a copy of the pending cookie (and its own CSRF secret) gets nothing.
    const other = new Client(t.app);
    other.cookies.set('cursus_mfa', pending);
    assert.equal((await other.get('/connexion/code')).headers.location, '/connexion');
    const elsewhere = await other.post('/connexion/code', { _csrf: await tokenFrom(other), code: await code() });
    assert.equal(elsewhere.statusCode, 400);
    assert.match(elsewhere.body, /La connexion a pris trop de temps/);
    assert.equal(other.cookies.get('cursus_sid'), undefined);

    const done = await browser.submit('/connexion/code', '/connexion/code', { code: await code() });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/personnel');

    // Replayed after the login, with the same browser's cookies: the pending step is used up.
    t.clock.advance(30_000);
    const replay = new Client(t.app);
    replay.cookies.set('cursus_mfa', pending);
    replay.cookies.set('cursus_csrf', browser.cookies.get('cursus_csrf')!);
    assert.equal((await replay.get('/connexion/code')).headers.location, '/connexion');
    const replayed = await replay.post('/connexion/code', { _csrf: await tokenFrom(replay), code: await code() });
    assert.equal(replayed.statusCode, 400);
    assert.equal(replay.cookies.get('cursus_sid'), undefined, 'no second session from the same cookie');
    t.clock.advance(30_000);
  });

  it('ACC-1 a slowed-down login says how long to wait and that a new password lifts it', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    for (let i = 0; i < 5; i++) assert.equal((await browser.login(user.email, 'Wrong-pass1')).statusCode, 400);
    const slowed = await browser.login(user.email);
    assert.equal(slowed.statusCode, 429);
    assert.equal(slowed.headers['retry-after'], '1');
    assert.deepEqual(errorsOf(slowed.body), [['email', 'Trop de tentatives de connexion ont échoué. Réessayez dans 1 min, ou choisissez un nouveau mot de passe avec « Mot de passe oublié ? » : la connexion est alors possible tout de suite.']]);
    assert.equal(valueOf(slowed.body, 'email'), user.email);
    t.clock.advance(1_000);
    assert.equal((await browser.login(user.email)).statusCode, 303);
  });

  it('SVC-4 the language switch shows English and keeps the choice', async () => {
    const browser = new Client(t.app);
    const sw = await browser.get('/langue/en?retour=/inscription');
    assert.equal(sw.headers.location, '/inscription');
    const page = await browser.get('/inscription');
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /Create my account/);
    const errors = await browser.submit('/inscription', '/inscription', { email: 'nope' });
    assert.match(errors.body, /Enter a valid email address/);
    assert.equal((await browser.get('/langue/en?retour=//evil.example')).headers.location, '/');
    assert.equal((await browser.get('/langue/xx')).statusCode, 404);
  });

  it('pages carry a strict CSP, a skip link and lang; unknown pages are real 404s', async () => {
    const browser = new Client(t.app);
    const home = await browser.get('/');
    // Issue 19 point 8: no inline style but the stylesheet in the head, allowed by its one hash.
    assert.match(String(home.headers['content-security-policy']), /default-src 'self';script-src 'self';style-src 'self' 'sha256-[A-Za-z0-9+/]{43}=';/);
    assert.equal(home.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(home.body, /<html lang="fr">/);
    assert.match(home.body, /class="skip-link" href="#contenu"/);
    const missing = await browser.get('/nulle-part?q=<script>alert(1)</script>');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /Page introuvable/);
    assert.ok(!missing.body.includes('<script>alert(1)</script>'));
  });

  it('GET /healthz answers 200 (liveness: the process answers)', async () => {
    const response = await t.app.inject('/healthz');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok' });
  });

  it('the development mailbox shows emails with clickable links', async () => {
    const browser = new Client(t.app);
    const email = uniqueEmail();
    await browser.submit('/inscription', '/inscription', signUpFields(email));
    const box = await browser.get('/dev/courriels');
    assert.match(box.body, new RegExp(email.replace('.', '\\.')));
    const id = /href="\/dev\/courriels\/(\d+)"/.exec(box.body)![1];
    const mail = await browser.get(`/dev/courriels/${id}`);
    assert.match(mail.body, /<a href="http:\/\/localhost:3000\/activation\/[\w-]+">/);
    assert.equal((await browser.get('/dev/courriels/abc')).statusCode, 404);
    assert.equal((await browser.get('/dev/courriels/99999999999999999999')).statusCode, 404);
  });

  it('an email change confirmation link works from the account page flow', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(user.email);
    const newEmail = uniqueEmail('moved');
    const sent = await browser.submit('/compte', '/compte/adresse', { newEmail, currentPassword: GOOD_PASSWORD });
    assert.equal(sent.headers.location, '/compte?message=emailChangeSent');
    const confirm = await browser.get(linkIn((await emailsTo(t.db, newEmail))[0].text, '/compte/adresse/'));
    assert.match(confirm.body, /Adresse de connexion modifiée/);
    assert.equal((await findUserByEmail(t.db, newEmail))?.id, user.id);
  });

  it('ACC-1 ACC-3 ACC-4 login, sign-up and reset from one address count apart, one counter per route', async () => {
    await t.db.execute(sql`delete from rate_limit_counters where key like 'rl:%'`);
    const browser = new Client(t.app);
    await browser.login(uniqueEmail(), 'Wrong-pass1');
    await browser.submit('/inscription', '/inscription', signUpFields(uniqueEmail()));
    await browser.submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: uniqueEmail() });
    const keys = await t.db.execute<{ key: string; count: number }>(sql`select key, count from rate_limit_counters where key like 'rl:%' order by key`);
    assert.deepEqual(keys.rows, [
      { key: 'rl:POST:/connexion:127.0.0.1', count: 1 },
      { key: 'rl:POST:/inscription:127.0.0.1', count: 1 },
      { key: 'rl:POST:/mot-de-passe-oublie:127.0.0.1', count: 1 },
    ]);
  });

  it('ACC-8 email change requests are limited per account (each sends an email): the sixth in an hour gets the 429 page', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(user.email);
    const addresses = Array.from({ length: 6 }, () => uniqueEmail('moved'));
    const statuses: number[] = [];
    for (const newEmail of addresses) statuses.push((await browser.submit('/compte', '/compte/adresse', { newEmail, currentPassword: GOOD_PASSWORD })).statusCode);
    assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429]);
    const limited = await browser.submit('/compte', '/compte/adresse', { newEmail: uniqueEmail(), currentPassword: GOOD_PASSWORD });
    assert.match(limited.body, /Trop de tentatives/);
    const sent = await Promise.all(addresses.map((a) => emailsTo(t.db, a)));
    assert.deepEqual(sent.map((e) => e.length), [1, 1, 1, 1, 1, 0]);
    const other = await buildLearner(t.db, t.clock);
    const neighbour = new Client(t.app);
    await neighbour.login(other.email);
    const fine = await neighbour.submit('/compte', '/compte/adresse', { newEmail: uniqueEmail(), currentPassword: GOOD_PASSWORD });
    assert.equal(fine.statusCode, 303, 'another account from the same address is not held back');
  });

  it('ACC-4 guesses of the current password are limited per account: the eleventh try in an hour gets the 429 page', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(user.email);
    const change = (currentPassword: string) =>
      browser.submit('/compte', '/compte/mot-de-passe', { currentPassword, newPassword: 'Nouveau-mot-2026', newPasswordConfirm: 'Nouveau-mot-2026' });
    const statuses: number[] = [];
    // A minute between guesses: past the login back-off (decision 009), within the hour of this limit.
    for (let i = 0; i < 10; i++) {
      statuses.push((await change(`Guess-number-${i}`)).statusCode);
      t.clock.advance(60_000);
    }
    assert.deepEqual(statuses, Array(10).fill(400));
    const limited = await change(GOOD_PASSWORD);
    assert.equal(limited.statusCode, 429);
    assert.match(limited.body, /Trop de tentatives/);
    assert.equal((await new Client(t.app).login(user.email)).statusCode, 303, 'the password is unchanged and still logs in');
  });

  it('ACC-5 the learner-record form is limited per account, and each refusal of a second record is logged for staff', async () => {
    const person = { lastName: 'Lefèvre', firstName: 'Inès', birthDate: '1982-03-14' };
    const first = await buildLearner(t.db, t.clock, { record: person });
    const prober = await buildLearner(t.db, t.clock, { record: null });
    const browser = new Client(t.app);
    await browser.login(prober.email);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await browser.submit('/compte/fiche', '/compte/fiche', recordFields({ ...person, birthDate: '14/03/1982' }))).statusCode);
    assert.deepEqual(statuses, [...Array(10).fill(409), 429]);
    const logged = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'learner.record_duplicate_refused'), eq(auditLog.actorId, prober.id)));
    assert.equal(logged.length, 10);
    assert.deepEqual(
      logged.map((row) => [row.subjectId, row.ip]),
      Array(10).fill([first.id, '127.0.0.1']),
      'the row names the person asked about (no copy of the typed identity) and the address',
    );
    const other = await buildLearner(t.db, t.clock, { record: null });
    const neighbour = new Client(t.app);
    await neighbour.login(other.email);
    const own = await neighbour.submit('/compte/fiche', '/compte/fiche', recordFields({ lastName: 'Roussel', firstName: 'Noé', birthDate: '12/12/1988' }));
    assert.equal(own.statusCode, 303, 'another account from the same address is not held back');
  });
});

describe('account forms: limits per address, current-password failures as failed logins', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ policies: { recordSubmissionsPerIpPer10Min: 3, maxFailedLoginsPerHour: 3 } });
  });
  after(() => t.close());

  it('ACC-5 the learner-record form is limited per address too: many accounts from one address cannot probe without end', async () => {
    const person = { lastName: 'Garnier', firstName: 'Yanis', birthDate: '1969-07-21' };
    await buildLearner(t.db, t.clock, { record: person });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const prober = await buildLearner(t.db, t.clock, { record: null });
      const browser = new Client(t.app);
      await browser.login(prober.email);
      statuses.push((await browser.submit('/compte/fiche', '/compte/fiche', recordFields({ ...person, birthDate: '21/07/1969' }))).statusCode);
    }
    assert.deepEqual(statuses, [409, 409, 409, 429]);
  });

  it('ACC-1 ACC-4 a wrong current password counts as a failed login: past the policy, login is throttled too', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(user.email);
    const change = (currentPassword: string) =>
      browser.submit('/compte', '/compte/mot-de-passe', { currentPassword, newPassword: 'Nouveau-mot-2026', newPasswordConfirm: 'Nouveau-mot-2026' });
    for (let i = 0; i < 3; i++) assert.equal((await change(`Guess-number-${i}`)).statusCode, 400);
    const throttled = await change(GOOD_PASSWORD);
    assert.equal(throttled.statusCode, 429);
    assert.deepEqual(errorsOf(throttled.body).map(([field]) => field), ['currentPassword']);
    const login = await new Client(t.app).login(user.email);
    assert.equal(login.statusCode, 429, 'the guesses made from the account page count toward the login throttle');
    // The wait is said in minutes, with Retry-After, as at the login.
    assert.doesNotMatch(throttled.body, /\{minutes\}/);
    assert.match(throttled.body, /Réessayez dans \d+ min/);
    assert.ok(Number(throttled.headers['retry-after']) > 0);
  });

  it('ACC-1 ACC-8 a wrong current password when changing the login address counts as a failed login too', async () => {
    const user = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(user.email);
    const ask = (currentPassword: string) => browser.submit('/compte', '/compte/adresse', { newEmail: uniqueEmail(), currentPassword });
    for (let i = 0; i < 3; i++) assert.equal((await ask(`Guess-number-${i}`)).statusCode, 400);
    const failed = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'login.failed'), eq(auditLog.subjectId, user.id)));
    assert.equal(failed.length, 3, 'each guess is a failed login');
    const throttled = await ask(GOOD_PASSWORD);
    assert.equal(throttled.statusCode, 429);
    assert.doesNotMatch(throttled.body, /\{minutes\}/);
    assert.ok(Number(throttled.headers['retry-after']) > 0);
  });
});

describe('error pages', () => {
  it('a failure shows a 500 page with the request id, never a stack trace; without the database pages and /readyz say 503 (/healthz, liveness, still 200)', async () => {
    const t = await startTestApp();
    const { buildApp } = await import('../../app');
    const { connect } = await import('../../db/database');
    const { testConfig, TEST_SECRET } = await import('../../../test/app');
    const dead = connect('postgres://nobody:x@127.0.0.1:1/none', { max: 1 });
    const app = await buildApp({ config: testConfig(), db: dead.db, clock: t.clock, secret: TEST_SECRET, logger: false });
    app.get('/boom', async () => {
      throw new Error('secret internals at /work/main/src');
    });
    assert.equal((await app.inject('/readyz')).statusCode, 503);
    assert.equal((await app.inject('/healthz')).statusCode, 200);
    const boom = await app.inject('/boom');
    assert.equal(boom.statusCode, 500);
    assert.match(boom.body, /Erreur du service/);
    assert.match(boom.body, /Référence de la demande : [0-9a-f]{8}/);
    assert.ok(!boom.body.includes('secret internals'));
    const page = await app.inject({ url: '/', headers: { cookie: 'cursus_sid=abc' } });
    // Issue 19 point 4: a database that cannot be reached is "try again soon" (503, Retry-After), not the service's fault page.
    assert.equal(page.statusCode, 503, 'database down: the plain "unavailable" page');
    assert.equal(page.headers['retry-after'], '5');
    assert.ok(!page.body.includes('ECONNREFUSED'));
    await app.close();
    await dead.close();
    await t.close();
  });
});
