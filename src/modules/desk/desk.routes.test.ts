import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { desc, eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { smsOutbox } from '../../platform/platform.table';
import { assignScope } from '../scopes';
import { addHelpDesk } from './desk.service';
import { assignCounsellor } from './help-desks.service';

const errorsOf = (html: string) => Object.fromEntries([...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]));
const valueOf = (html: string, name: string) => new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];

let mobiles = 10;
/** The registration form as a counsellor fills it with the person (each with their own mobile). */
const person = (overrides: Record<string, string> = {}) => ({
  consent: 'on',
  email: '',
  accountLocale: 'fr',
  civility: 'MME',
  lastName: `Haddad-${Math.random().toString(36).slice(2, 8)}`,
  firstName: 'Nour',
  birthName: '',
  birthDate: '12/04/1991',
  birthCountry: 'SY',
  address: '3 rue de la Roquette',
  addressComplement1: '',
  addressComplement2: '',
  postalCode: '75011',
  city: 'Paris',
  country: 'FR',
  mobilePhone: `06 98 76 55 ${String(mobiles++).padStart(2, '0')}`,
  landlinePhone: '',
  heardFrom: 'other',
  ...overrides,
});

describe('SVC-5 help desk pages (/personnel/accueil)', () => {
  let t: TestApp;
  let counsellor: Client;
  let other: Client;
  let coordinator: Client;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z') });
    await buildCatalogue(t.db, t.clock, [
      { code: 'FLE-R1', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'FLE-R2', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
    ]);
    const desk = await addHelpDesk(t.db, t.clock, { code: 'ACC-R', name: 'Accueil test', address: '1 rue Test', hours: '9 h – 12 h' });
    const desk2 = await addHelpDesk(t.db, t.clock, { code: 'ACC-S', name: 'Autre accueil', address: '2 rue Test', hours: '14 h – 17 h' });
    const c = await buildStaff(t.db, t.clock, 'counsellor');
    const o = await buildStaff(t.db, t.clock, 'counsellor');
    const k = await buildStaff(t.db, t.clock, 'coordinator');
    await assignCounsellor(t.db, { deskId: desk.id, userId: c.userId });
    await assignCounsellor(t.db, { deskId: desk2.id, userId: o.userId });
    await assignScope(t.db, { userId: c.userId, sessions: ['FLE-R1'] });
    counsellor = new Client(t.app);
    await counsellor.loginStaff(c.email, c.totpSecret, t.clock);
    other = new Client(t.app);
    await other.loginStaff(o.email, o.totpSecret, t.clock);
    coordinator = new Client(t.app);
    await coordinator.loginStaff(k.email, k.totpSecret, t.clock);
  });
  after(() => t.close());

  const registerOne = async (overrides: Record<string, string> = {}) => {
    const done = await counsellor.submit('/personnel/accueil/inscrire', '/personnel/accueil/inscrire', person(overrides));
    assert.equal(done.statusCode, 303, done.body.slice(0, 400));
    const id = /\/personnel\/accueil\/apprenants\/([0-9a-f-]{36})/.exec(done.headers.location as string)?.[1];
    assert.ok(id);
    return id;
  };

  it('SVC-5 the desk’s pages are the counsellors’: a coordinator gets 403, a visitor the login page', async () => {
    assert.equal((await coordinator.get('/personnel/accueil')).statusCode, 403);
    assert.equal((await coordinator.get('/personnel/accueil/inscrire')).statusCode, 403);
    const visitor = await new Client(t.app).get('/personnel/accueil');
    assert.equal(visitor.statusCode, 303);
    assert.match(visitor.headers.location as string, /^\/connexion/);
    const home = await counsellor.get('/personnel/accueil');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /Accueil test/);
    assert.match((await counsellor.get('/personnel')).body, /href="\/personnel\/accueil"/, 'the staff home links to the desk');
  });

  it('SVC-5 a counsellor is no session staff: the sessions and applicant sheets of their scope are 403 to them', async () => {
    assert.equal((await counsellor.get('/personnel/sessions/FLE-R1')).statusCode, 403);
    assert.equal((await coordinator.get('/personnel/sessions/FLE-R1')).statusCode, 403, 'a coordinator without this session in scope: 403 too');
    assert.equal((await counsellor.get('/personnel/candidatures/00000000-0000-4000-8000-000000000000')).statusCode, 403);
  });

  it('SVC-5 a counsellor registers a person with a mobile only: redirected to their page, the code sent by SMS', async () => {
    const id = await registerOne({ mobilePhone: '06 98 76 54 01' });
    const page = await counsellor.get(`/personnel/accueil/apprenants/${id}?message=registered`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Le compte est créé/);
    assert.match(page.body, /06 98 76 54 01 \(pas d’adresse électronique\)/);
    const [sms] = await t.db.select().from(smsOutbox).where(eq(smsOutbox.to, '+33698765401')).orderBy(desc(smsOutbox.id)).limit(1);
    assert.match(sms.body, /\d{4} \d{4}/);
  });

  it('SVC-5 bad input: no consent, no identifier, a bad address or date: 400 with the errors next to the fields, what was typed kept', async () => {
    const bad = await counsellor.submit('/personnel/accueil/inscrire', '/personnel/accueil/inscrire', person({ consent: '', email: 'pas-une-adresse', birthDate: '31/02/1990', lastName: 'Haddad\u0000' }));
    assert.equal(bad.statusCode, 400);
    const errors = errorsOf(bad.body);
    assert.equal(errors.consent, 'Cochez cette case : la personne doit être présente et d’accord.');
    assert.ok(errors.email, 'the address');
    assert.ok(errors.birthDate, 'the date');
    assert.ok(errors.lastName, 'the NUL byte');
    assert.equal(valueOf(bad.body, 'email'), 'pas-une-adresse');
    assert.equal(valueOf(bad.body, 'firstName'), 'Nour');

    const none = await counsellor.submit('/personnel/accueil/inscrire', '/personnel/accueil/inscrire', person({ mobilePhone: '', landlinePhone: '01 44 55 66 77' }));
    assert.equal(none.statusCode, 409);
    assert.equal(errorsOf(none.body).email, 'Indiquez une adresse électronique ou un numéro de portable : il en faut un pour que la personne puisse se connecter.');

    const huge = await counsellor.submit('/personnel/accueil/inscrire', '/personnel/accueil/inscrire', person({ lastName: 'x'.repeat(100_000), accountLocale: 'xx' }));
    assert.equal(huge.statusCode, 400);
    assert.ok(errorsOf(huge.body).lastName);
    assert.ok(errorsOf(huge.body).accountLocale);
  });

  it('SVC-5 another desk’s counsellor gets 403 on every page and form of a learner; an unknown id 404, an odd one 404', async () => {
    const id = await registerOne();
    assert.equal((await other.get(`/personnel/accueil/apprenants/${id}`)).statusCode, 403);
    const page = `/personnel/accueil`;
    await other.get(page);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await other.get('/personnel/accueil/inscrire')).body)![1];
    for (const path of ['code', 'courriel', 'candidatures']) {
      const response = await other.post(`/personnel/accueil/apprenants/${id}/${path}`, { _csrf: csrf, consent: 'on', consentSend: 'on', session: 'FLE-R1' });
      assert.equal(response.statusCode, 403, path);
    }
    assert.equal((await counsellor.get('/personnel/accueil/apprenants/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await counsellor.get('/personnel/accueil/apprenants/..%2F..%2Fetc')).statusCode, 404);
    const alone = await buildLearner(t.db, t.clock);
    assert.equal((await counsellor.get(`/personnel/accueil/apprenants/${alone.id}`)).statusCode, 403, 'a learner who signed up alone');
  });

  it('SVC-5 the application: a session out of scope is 403, no choice is an error; filled and sent, it says so', async () => {
    const id = await registerOne();
    const learnerPage = `/personnel/accueil/apprenants/${id}`;
    assert.doesNotMatch((await counsellor.get(learnerPage)).body, /FLE-R2/, 'only the sessions of the scope are offered');
    const outside = await counsellor.submit(learnerPage, `${learnerPage}/candidatures`, { session: 'FLE-R2', consent: 'on' });
    assert.equal(outside.statusCode, 403);
    const empty = await counsellor.submit(learnerPage, `${learnerPage}/candidatures`, { session: '', consent: '' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(Object.keys(errorsOf(empty.body)).sort(), ['consent', 'session']);
    const chosen = await counsellor.submit(learnerPage, `${learnerPage}/candidatures`, { session: 'FLE-R1', consent: 'on' });
    assert.equal(chosen.statusCode, 303);
    const formPage = chosen.headers.location as string;
    assert.match(formPage, /\/candidatures\/[0-9a-f-]{36}$/);
    const tooLong = await counsellor.submit(formPage, formPage, { situation: 'employed', objective: 'personal', motivations: 'm'.repeat(100_000), consent: 'on' });
    assert.equal(tooLong.statusCode, 400);
    assert.ok(errorsOf(tooLong.body).motivations);
    assert.match(tooLong.body, /m{1000}/, 'what was typed is kept');
    const welfare = await counsellor.submit(formPage, formPage, { situation: 'welfare_recipient', objective: 'personal', motivations: 'Oui', consent: 'on' });
    assert.equal(welfare.statusCode, 400);
    assert.ok(errorsOf(welfare.body).allowance);
    const sent = await counsellor.submit(formPage, formPage, { situation: 'job_seeker', objective: 'professional', motivations: 'Travailler en France.', consent: 'on' });
    assert.equal(sent.statusCode, 303);
    const after = await counsellor.get(sent.headers.location as string);
    assert.match(after.body, /La candidature est envoyée/);
    assert.match(after.body, /Envoyée : en attente de traitement/);
    assert.equal((await other.get(formPage)).statusCode, 403);
    assert.equal((await counsellor.get(`${learnerPage}/candidatures/00000000-0000-4000-8000-000000000000`)).statusCode, 404);
  });

  it('SVC-5 a new code: the consent is asked; with it, sent and said', async () => {
    const id = await registerOne({ mobilePhone: '06 98 76 54 02' });
    const learnerPage = `/personnel/accueil/apprenants/${id}`;
    const noConsent = await counsellor.submit(learnerPage, `${learnerPage}/code`, { consentSend: '' });
    assert.equal(noConsent.statusCode, 400);
    assert.ok(errorsOf(noConsent.body).consentSend);
    const sent = await counsellor.submit(learnerPage, `${learnerPage}/code`, { consentSend: 'on' });
    assert.equal(sent.statusCode, 303);
    assert.match((await counsellor.get(sent.headers.location as string)).body, /Un code a été envoyé par SMS/);
  });

  it('SVC-5 /compte/reprendre: a guessed code answers clearly (400, never 500), the code field empty, the number kept; 5 wrong tries void the code', async () => {
    await registerOne({ mobilePhone: '06 98 76 54 03' });
    const [sms] = await t.db.select().from(smsOutbox).where(eq(smsOutbox.to, '+33698765403')).orderBy(desc(smsOutbox.id)).limit(1);
    const code = /(\d{4}) (\d{4})/.exec(sms.body)!;
    const right = code[1] + code[2];
    const wrong = right === '00000000' ? '11111111' : '00000000';
    const learner = new Client(t.app);
    const fields = (c: string) => ({ identifier: '06 98 76 54 03', code: c, password: 'Soleil-Belleville-2026', passwordConfirm: 'Soleil-Belleville-2026' });
    for (let i = 0; i < 5; i++) {
      const guess = await learner.submit('/compte/reprendre', '/compte/reprendre', fields(wrong));
      assert.equal(guess.statusCode, 400);
      assert.match(errorsOf(guess.body).code, /Ce code ne correspond pas, ou il n’est plus valable/);
      assert.equal(valueOf(guess.body, 'identifier'), '06 98 76 54 03');
    }
    const voided = await learner.submit('/compte/reprendre', '/compte/reprendre', fields(right));
    assert.equal(voided.statusCode, 400, 'the right code after five wrong ones: void');
    const shape = await learner.submit('/compte/reprendre', '/compte/reprendre', { ...fields('12ab'), identifier: 'nothing', passwordConfirm: 'x' });
    assert.equal(shape.statusCode, 400);
    assert.deepEqual(Object.keys(errorsOf(shape.body)).sort(), ['code', 'identifier', 'passwordConfirm']);
    const nul = await learner.submit('/compte/reprendre', '/compte/reprendre', { ...fields(right), identifier: '06\u0000' });
    assert.equal(nul.statusCode, 400);
  });

  it('SVC-5 /compte/reprendre is limited per account, whatever the address (429)', async () => {
    const learner = new Client(t.app);
    const fields = { identifier: '06 98 76 54 99', code: '12345678', password: 'Soleil-Belleville-2026', passwordConfirm: 'Soleil-Belleville-2026' };
    let last = 0;
    for (let i = 0; i < 12 && last !== 429; i++) last = (await learner.submit('/compte/reprendre', '/compte/reprendre', fields)).statusCode;
    assert.equal(last, 429, 'past the per-account limit (takeoverCodeTriesPerAccountPerHour: 10)');
  });
});

describe('SVC-5 the takeover’s per-account limit is its own policy', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z'), policies: { takeoverCodeTriesPerAccountPerHour: 3, passwordChangesPerAccountPerHour: 100 } });
  });
  after(() => t.close());

  it('SVC-5 /compte/reprendre counts against takeoverCodeTriesPerAccountPerHour, not the password changes’ limit', async () => {
    const fields = { identifier: '06 98 76 54 98', code: '12345678', password: 'Soleil-Belleville-2026', passwordConfirm: 'Soleil-Belleville-2026' };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await new Client(t.app).submit('/compte/reprendre', '/compte/reprendre', fields)).statusCode);
    assert.deepEqual(statuses, [400, 400, 400, 429]);
  });
});
