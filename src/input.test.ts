import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, GOOD_PASSWORD, buildLearner, buildStaff, startTestApp, uniqueEmail, type TestApp } from '../test/app';
import { preselectedAndConfirmed } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import * as apps from './modules/applications/applications.service';
import { courses, registrationPeriods } from './modules/catalogue/catalogue.table';

/**
 * Crafted input, as an attacker of a municipal service types it (issue 11, point 6): NUL bytes
 * and control characters in every form, ids that look like UUIDs and are not, names of
 * Object.prototype as keys. None gets a 500: a message next to the field, or the 404 page.
 */

const INVALID = 'Ce texte contient un caractère invisible qui n’est pas accepté : retapez-le.';
const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]);
const valueOf = (html: string, name: string) => new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];
const textOf = (html: string, name: string) => new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
const csrfOf = async (browser: Client, page: string) => /name="_csrf" value="([^"]+)"/.exec((await browser.get(page)).body)![1];

const DASHES = '-'.repeat(36);
const ZERO = '00000000-0000-0000-0000-000000000000';

describe('issue 11 #6 crafted input: every form, every id, every key', () => {
  let t: TestApp;
  let deps: apps.ApplicationDeps;
  let admin: Client;
  let learner: Client;
  let learnerId: string;
  /** The learner's application still being filled in, and one confirmed (in session INP2). */
  let preselected: string;
  let confirmed: string;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [
      { code: 'INP1', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'INP2', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    ]);
    const a = await buildStaff(t.db, t.clock, 'admin');
    admin = new Client(t.app);
    await admin.loginStaff(a.email, a.totpSecret, t.clock);
    const l = await buildLearner(t.db, t.clock);
    learnerId = l.id;
    learner = new Client(t.app);
    await learner.login(l.email);
    ({ preselected, confirmed } = await preselectedAndConfirmed(deps, l.id, { preselectedIn: 'INP1', confirmedIn: 'INP2' }));
  });
  after(() => t.close());

  /** Posts `fields` to a form on `page`; the answer is the page again (400) with INVALID next to `field` only, what was typed kept. */
  async function refused(browser: Client, page: string, action: string, fields: Record<string, string>, field: string, kept?: [string, string]) {
    const response = await browser.submit(page, action, fields, { keepForm: true });
    assert.equal(response.statusCode, 400, `${action} ${field}: ${response.statusCode}`);
    assert.deepEqual(errorsOf(response.body), [[field, INVALID]], action);
    if (kept) assert.equal(valueOf(response.body, kept[0]) ?? textOf(response.body, kept[0]), kept[1], `${action}: ${kept[0]} kept`);
    return response;
  }

  describe('(a) NUL and control characters are refused next to their field, in one place for every form', () => {
    it('ACC-8 the name change: NUL, a control character or a line break in a name; the reason is multi-line', async () => {
      await refused(learner, '/compte', '/compte/nom', { lastName: 'Du\u0000rand', firstName: 'Léa', reason: 'Mariage' }, 'lastName', ['firstName', 'Léa']);
      await refused(learner, '/compte', '/compte/nom', { lastName: 'Durand', firstName: 'Léa\u0001', reason: 'Mariage' }, 'firstName', ['lastName', 'Durand']);
      await refused(learner, '/compte', '/compte/nom', { lastName: 'Du\nrand', firstName: 'Léa', reason: 'Mariage' }, 'lastName');
      await refused(learner, '/compte', '/compte/nom', { lastName: 'Durand', firstName: 'Léa', reason: 'Mariage\u0007' }, 'reason', ['lastName', 'Durand']);
      const multiline = await learner.submit('/compte', '/compte/nom', { lastName: 'Durand', firstName: 'Léa', reason: 'Mariage\r\nle 3 mai\tà Paris' });
      assert.equal(multiline.headers.location, '/compte?message=nameChangeSent', 'line breaks and tabs in a text area are text');
    });

    it('ACC-8 the contact details: NUL in a foreign postal code, a phone, an address line', async () => {
      const fields = { address: '8 rue Neuve', addressComplement1: '', addressComplement2: '', postalCode: '1000', city: 'Bruxelles', country: 'BE', mobilePhone: '+32470123456', landlinePhone: '' };
      await refused(learner, '/compte', '/compte/coordonnees', { ...fields, postalCode: '1000\u0000' }, 'postalCode', ['city', 'Bruxelles']);
      await refused(learner, '/compte', '/compte/coordonnees', { ...fields, mobilePhone: '+32470\u0000123456' }, 'mobilePhone', ['city', 'Bruxelles']);
      await refused(learner, '/compte', '/compte/coordonnees', { ...fields, addressComplement2: 'Bât. B\u001b' }, 'addressComplement2', ['city', 'Bruxelles']);
      await refused(learner, '/compte', '/compte/coordonnees', { ...fields, city: 'Bruxelles\u0085' }, 'city');
      assert.equal((await learner.submit('/compte', '/compte/coordonnees', fields)).headers.location, '/compte?message=contactSaved');
    });

    it('ACC-6 the learner record, the email change and the password change', async () => {
      const fresh = await buildLearner(t.db, t.clock, { record: null });
      const browser = new Client(t.app);
      await browser.login(fresh.email);
      const record = {
        civility: 'MME', lastName: 'Martin', birthName: '', firstName: 'Inès', birthDate: '17/05/1990', birthCountry: 'FR',
        address: '5 rue Oberkampf', addressComplement1: '', addressComplement2: '', postalCode: '75011', city: 'Paris', country: 'FR',
        mobilePhone: '0612345678', landlinePhone: '', heardFrom: 'internet',
      };
      await refused(browser, '/compte/fiche', '/compte/fiche', { ...record, birthName: 'Ndiaye\u0000' }, 'birthName', ['lastName', 'Martin']);
      await refused(browser, '/compte/fiche', '/compte/fiche', { ...record, birthDate: '17/05/1990\u0000' }, 'birthDate', ['lastName', 'Martin']);
      await refused(learner, '/compte', '/compte/adresse', { newEmail: 'lea\u0000@example.org', currentPassword: GOOD_PASSWORD }, 'newEmail');
      const password = await learner.submit('/compte', '/compte/mot-de-passe', { currentPassword: GOOD_PASSWORD, newPassword: 'Nouveau\u0000mot-2026', newPasswordConfirm: 'Nouveau\u0000mot-2026' });
      assert.equal(password.statusCode, 400);
      assert.deepEqual(errorsOf(password.body), [['newPassword', INVALID], ['newPasswordConfirm', INVALID]]);
    });

    it('the public forms: login, sign-up, reset request, activation resend', async () => {
      const visitor = new Client(t.app);
      await refused(visitor, '/connexion', '/connexion', { email: 'lea\u0000@example.org', password: GOOD_PASSWORD }, 'email');
      await refused(visitor, '/inscription', '/inscription', { email: uniqueEmail(), password: GOOD_PASSWORD, passwordConfirm: GOOD_PASSWORD, mobilePhone: '06\u000012345678', terms: 'on' }, 'mobilePhone');
      await refused(visitor, '/mot-de-passe-oublie', '/mot-de-passe-oublie', { email: 'lea@example.org\u0000' }, 'email');
      await refused(visitor, '/activation/renvoyer', '/activation/renvoyer', { email: 'lea@example.org\u0000' }, 'email');
    });

    it('APP-4 the motivations: a text area, so line breaks and tabs are kept and NUL is refused', async () => {
      const page = `/candidatures/${preselected}/motivations`;
      await refused(learner, page, page, { motivations: 'J’aime\u0000 les langues.' }, 'motivations');
      await refused(learner, page, page, { motivations: 'J’aime\u000b les langues.' }, 'motivations');
      const saved = await learner.submit(page, page, { motivations: 'J’aime les langues.\r\n\tSurtout l’anglais.' });
      assert.equal(saved.statusCode, 303);
      assert.equal(textOf((await learner.get(page)).body, 'motivations'), 'J’aime les langues.\r\n\tSurtout l’anglais.');
    });

    it('the session-ending form: a NUL byte or a malformed session id is the 404 page, never a 500', async () => {
      const csrf = await csrfOf(learner, '/compte');
      for (const id of ['%00', 'a%00b', DASHES, ZERO, 'x'.repeat(64)]) {
        const response = await learner.post(`/compte/sessions/${id}/fermer`, { _csrf: csrf });
        assert.equal(response.statusCode, 404, id);
      }
      const unknown = await learner.post(`/compte/sessions/${'0'.repeat(64)}/fermer`, { _csrf: csrf });
      assert.equal(unknown.headers.location, '/compte?message=sessionsEnded', 'an unknown session is simply not there');
      assert.equal((await learner.get('/compte')).statusCode, 200, 'the learner is still logged in');
    });

    it('SEL-2 SEL-3 SEL-1 SEL-10 staff forms: a convocation, a ranking adjustment, prerequisites, a change request', async () => {
      // A convocation is for a course with an admission test, once applications are closed.
      await t.db.update(courses).set({ admissionTest: 'interview' }).where(eq(courses.code, 'C-INP2'));
      const [period] = await t.db.select().from(registrationPeriods).where(eq(registrationPeriods.code, 'open'));
      await t.db.update(registrationPeriods).set({ applicationsCloseAt: new Date(t.clock.now().getTime() - 60_000) }).where(eq(registrationPeriods.code, 'open'));
      await refused(admin, '/personnel/sessions/INP2', '/personnel/sessions/INP2/convocations', { kind: 'interview', date: '30/11/2026', time: '18:30', place: 'Salle\u0000 12' }, 'place', ['time', '18:30']);
      await t.db.update(registrationPeriods).set({ applicationsCloseAt: period.applicationsCloseAt }).where(eq(registrationPeriods.code, 'open'));
      const sheet = `/personnel/candidatures/${confirmed}`;
      await refused(admin, sheet, `${sheet}/ajustement`, { points: '2', publicReason: 'correction', reason: 'Dossier\u0000' }, 'reason', ['points', '2']);
      await refused(admin, sheet, `${sheet}/prerequis`, { met: 'no', reason: 'Niveau\u0000' }, 'reason');
      // The change request form shows once a place is held: posted anyway, it is refused before anything else.
      const note = await admin.post(`${sheet}/demande`, { _csrf: await csrfOf(admin, sheet), note: 'Le mardi\u0000' });
      assert.equal(note.statusCode, 400);
      const multiline = await admin.submit(sheet, `${sheet}/ajustement`, { points: '2', publicReason: 'correction', reason: 'Dossier complet.\r\nVu en entretien.' });
      assert.equal(multiline.headers.location, `${sheet}?message=saved`);
    });

    it('ACC-8 the staff learner pages: the search and the decline note', async () => {
      const search = await admin.get(`/personnel/apprenants?q=${encodeURIComponent('Dur\u0001and')}`);
      assert.equal(search.statusCode, 400);
      assert.deepEqual(errorsOf(search.body), [['q', INVALID]]);
      await learner.submit('/compte', '/compte/nom', { lastName: 'Lefèvre', firstName: 'Léa', birthName: '', reason: 'Mariage' });
      const page = `/personnel/apprenants/${learnerId}`;
      await refused(admin, page, `${page}/nom/refuser`, { motif: 'Pièce\u0000manquante' }, 'motif');
      await refused(admin, page, `${page}/nom/refuser`, { motif: 'Pièce\u007fmanquante' }, 'motif');
    });

    it('the administrator forms: a staff account, a catalogue record', async () => {
      const email = uniqueEmail('staff');
      await refused(admin, '/personnel/admin/comptes', '/personnel/admin/comptes', { email, displayName: 'Agent\u0000 test', role: 'trainer', schools: '', domains: '', sessions: '' }, 'displayName', ['email', email]);
      const course = '/personnel/admin/catalogue/cours/C-INP1';
      await refused(admin, course, '/personnel/admin/catalogue/cours', { title: 'Anglais\u0000' }, 'title', ['domain', 'Langue française']);
      await refused(admin, course, '/personnel/admin/catalogue/cours', { objectives: 'Parler\u0000' }, 'objectives', ['title', 'Cours C-INP1']);
      await refused(admin, course, '/personnel/admin/catalogue/cours', { title: 'Anglais\tB1' }, 'title');
      const saved = await admin.submit(course, '/personnel/admin/catalogue/cours', { objectives: 'Parler.\r\nÉcrire.' }, { keepForm: true });
      assert.equal(saved.statusCode, 303, 'a text area takes line breaks');
    });

    it('the search filters of the catalogue and of the staff list drop a control character, never a 500', async () => {
      for (const url of ['/recherche?q=%00', '/recherche?q=ab%01c', '/personnel?q=%00', '/personnel?q=a%0Db']) {
        const browser = url.startsWith('/personnel') ? admin : learner;
        assert.equal((await browser.get(url)).statusCode, 200, url);
      }
    });
  });

  describe('(b) ids in paths are real UUIDs: 36 dashes or zeros are the 404 page, never a 500', () => {
    const ids = [DASHES, ZERO, '0000000-00000-0000-0000-000000000000', `${ZERO.slice(0, 35)}g`];

    it('the learner’s application pages and actions', async () => {
      const csrf = await csrfOf(learner, '/candidatures');
      for (const id of ids) {
        for (const step of ['situation', 'objectif', 'motivations', 'verification', 'annuler', 'convocation.pdf'])
          assert.equal((await learner.get(`/candidatures/${id}/${step}`)).statusCode, 404, `GET ${id} ${step}`);
        const posts: [string, Record<string, string>][] = [
          ['situation', { situation: 'employed' }],
          ['objectif', { objective: 'personal' }],
          ['motivations', { motivations: 'Oui.' }],
          ['valider', { rules: 'on' }],
          ['annuler', {}],
          ['supprimer', {}],
          ['offre', { offre: id, reponse: 'accept' }],
        ];
        for (const [step, fields] of posts) assert.equal((await learner.post(`/candidatures/${id}/${step}`, { _csrf: csrf, ...fields })).statusCode, 404, `POST ${id} ${step}`);
      }
      // The offer's id is in the form, not the path: an offer id of dashes is unknown too.
      assert.equal((await learner.post(`/candidatures/${confirmed}/offre`, { _csrf: csrf, offre: DASHES, reponse: 'accept' })).statusCode, 404);
    });

    it('the staff’s applicant sheet, its forms, a learner’s page and a staff account', async () => {
      const csrf = await csrfOf(admin, '/personnel/admin/comptes');
      for (const id of ids) {
        for (const url of [`/personnel/candidatures/${id}`, `/personnel/apprenants/${id}`, `/personnel/admin/comptes/${id}`]) assert.equal((await admin.get(url)).statusCode, 404, url);
        const posts: [string, Record<string, string>][] = [
          [`/personnel/candidatures/${id}/presence`, { attendance: 'present' }],
          [`/personnel/candidatures/${id}/evaluation`, { mark: '12' }],
          [`/personnel/candidatures/${id}/ajustement`, { points: '2', publicReason: 'correction', reason: 'Oui' }],
          [`/personnel/candidatures/${id}/prerequis`, { met: 'yes' }],
          [`/personnel/candidatures/${id}/demande`, { note: 'Le mardi' }],
          [`/personnel/candidatures/${id}/demande/refuser`, {}],
          [`/personnel/candidatures/${id}/deplacer`, { session: 'INP1', motif: 'level' }],
          [`/personnel/apprenants/${id}/nom/appliquer`, { demande: ZERO }],
          [`/personnel/apprenants/${id}/nom/refuser`, { demande: ZERO, motif: '' }],
          [`/personnel/admin/comptes/${id}`, { displayName: 'X', role: 'trainer', active: 'yes' }],
        ];
        for (const [url, fields] of posts) assert.equal((await admin.post(url, { _csrf: csrf, ...fields })).statusCode, 404, url);
      }
    });

    it('link tokens in paths (activation, reset, email change, convocation QR code): odd ones are unknown links, never a 500', async () => {
      for (const token of ['%00', DASHES, ZERO, 'a%0D%0Ab', '%E2%82%AC']) {
        for (const url of [`/activation/${token}`, `/mot-de-passe/${token}`, `/compte/adresse/${token}`]) {
          const status = (await new Client(t.app).get(url)).statusCode;
          assert.ok(status < 500, `${url}: ${status}`);
        }
        assert.equal((await admin.get(`/personnel/convocations/${token}`)).statusCode, 404, token);
      }
    });

    it('ACC-8 a name change request id of dashes in the staff form is a stale request, not a 500', async () => {
      const page = `/personnel/apprenants/${learnerId}`;
      for (const demande of [DASHES, ZERO]) {
        const stale = await admin.submit(page, `${page}/nom/appliquer`, { demande });
        assert.equal(stale.statusCode, 409, demande);
        assert.match(stale.body, /déjà été traitée ou remplacée/);
      }
    });
  });

  describe('(c) names of Object.prototype as keys are unknown keys', () => {
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

    it('catalogue kinds, flash messages and list options', async () => {
      for (const name of names) {
        for (const url of [`/personnel/admin/catalogue/${name}/nouveau`, `/personnel/admin/catalogue/${name}?code=E-11-T`]) assert.equal((await admin.get(url)).statusCode, 404, url);
        const csrf = await csrfOf(admin, '/personnel/admin/catalogue');
        assert.equal((await admin.post(`/personnel/admin/catalogue/${name}`, { _csrf: csrf, code: 'X' })).statusCode, 404, name);
        for (const url of [`/compte?message=${name}`, `/candidatures?message=${name}`]) {
          const page = await learner.get(url);
          assert.equal(page.statusCode, 200, url);
          assert.doesNotMatch(page.body, /class="notice notice-success"|function|\[object/, url);
        }
        assert.equal((await admin.get(`/personnel/apprenants/${learnerId}?message=${name}`)).statusCode, 200);
        assert.equal((await admin.get(`/personnel/candidatures/${confirmed}?message=${name}`)).statusCode, 400);
        assert.equal((await admin.get(`/personnel?sort=${name}&dir=${name}&show=${name}&period=${name}`)).statusCode, 200);
        assert.equal((await learner.get(`/recherche?${name}=1&q=${name}&arrondissement=${name}`)).statusCode, 200);
      }
    });

    it('form fields named after Object.prototype are ignored', async () => {
      const extra = Object.fromEntries(names.map((n) => [n, 'x']));
      const saved = await learner.submit('/compte', '/compte/nom', { lastName: 'Durand', firstName: 'Léa', birthName: '', reason: 'Mariage', ...extra });
      assert.equal(saved.headers.location, '/compte?message=nameChangeSent');
      const wrong = await learner.submit('/compte', '/compte/nom', { lastName: '', firstName: 'Léa', reason: 'Mariage', ...extra });
      assert.equal(wrong.statusCode, 400);
      assert.deepEqual(errorsOf(wrong.body).map(([f]) => f), ['lastName']);
      const course = '/personnel/admin/catalogue/cours/C-INP1';
      assert.equal((await admin.submit(course, '/personnel/admin/catalogue/cours', extra, { keepForm: true })).statusCode, 303);
    });
  });

  describe('(d) what fastify itself cannot read', () => {
    it('a path with a bad percent-encoding is the 400 page in the visitor’s language, not fastify’s JSON', async () => {
      const response = await learner.get('/verifier/%ZZ');
      assert.equal(response.statusCode, 400);
      assert.match(String(response.headers['content-type']), /text\/html/);
      assert.doesNotMatch(response.body, /"statusCode"|FST_ERR/);
    });
  });
});
