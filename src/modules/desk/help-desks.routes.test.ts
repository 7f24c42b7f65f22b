import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { desksOf } from './desk.service';

const errorsOf = (html: string) => Object.fromEntries([...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]));
const valueOf = (html: string, name: string) => new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1];
const LIST = '/personnel/admin/accueils';

describe('SVC-5 the administrator’s help desks (/personnel/admin/accueils)', () => {
  let t: TestApp;
  let admin: Client;
  let counsellor: Client;
  let coordinator: Client;
  let counsellorId: string;
  let trainerId: string;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z') });
    await buildCatalogue(t.db, t.clock, [{ code: 'FLE-HR1', weekday: 1, startsAt: '09:00', endsAt: '11:00' }]);
    const [a, c, k, tr] = await Promise.all([buildStaff(t.db, t.clock, 'admin'), buildStaff(t.db, t.clock, 'counsellor'), buildStaff(t.db, t.clock, 'coordinator'), buildStaff(t.db, t.clock, 'trainer')]);
    counsellorId = c.userId;
    trainerId = tr.userId;
    admin = new Client(t.app);
    await admin.loginStaff(a.email, a.totpSecret, t.clock);
    counsellor = new Client(t.app);
    await counsellor.loginStaff(c.email, c.totpSecret, t.clock);
    coordinator = new Client(t.app);
    await coordinator.loginStaff(k.email, k.totpSecret, t.clock);
  });
  after(() => t.close());

  const addDesk = async (fields: Record<string, string> = {}) => {
    const done = await admin.submit(LIST, LIST, { name: 'Accueil Paris 11e', address: '12 place Léon-Blum, 75011 Paris', hours: '9 h – 12 h 30', schools: '', arrondissements: '11', ...fields });
    assert.equal(done.statusCode, 303, done.body.slice(0, 300));
    const page = done.headers.location as string;
    assert.match(page, /^\/personnel\/admin\/accueils\/\d+\?message=created$/);
    return page.replace(/\?.*$/, '');
  };

  it('SVC-5 the pages are the administrator’s: a counsellor or a coordinator gets 403, a visitor the login page; the admin hub links to them', async () => {
    for (const client of [counsellor, coordinator]) {
      assert.equal((await client.get(LIST)).statusCode, 403);
      assert.equal((await client.get(`${LIST}/1`)).statusCode, 403);
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await counsellor.get('/personnel/accueil')).body)?.[1] ?? '';
    const posted = await counsellor.post(LIST, { _csrf: csrf, name: 'Pirate', address: 'x', arrondissements: '11' });
    assert.equal(posted.statusCode, 403);
    const visitor = await new Client(t.app).get(LIST);
    assert.equal(visitor.statusCode, 303);
    assert.match(visitor.headers.location as string, /^\/connexion/);
    assert.match((await admin.get('/personnel/admin')).body, /href="\/personnel\/admin\/accueils"/);
    assert.equal((await admin.get(LIST)).statusCode, 200);
  });

  it('SVC-5 bad input: messages next to the fields, what was typed kept, 400 (no name, arrondissement 25, unknown school, a NUL byte, 100 000 characters)', async () => {
    const bad = await admin.submit(LIST, LIST, { name: '', address: '1 rue Test', hours: '', schools: 'NOPE-9', arrondissements: '25, 11' });
    assert.equal(bad.statusCode, 400);
    const errors = errorsOf(bad.body);
    assert.equal(errors.name, 'Ce champ est obligatoire.');
    assert.equal(errors.arrondissements, 'Indiquez des arrondissements de 1 à 20, séparés par des virgules.');
    assert.equal(valueOf(bad.body, 'arrondissements'), '25, 11');
    assert.equal(valueOf(bad.body, 'schools'), 'NOPE-9');

    const unknown = await admin.submit(LIST, LIST, { name: 'Accueil inconnu', address: '1 rue Test', hours: '', schools: 'NOPE-9', arrondissements: '' });
    assert.equal(unknown.statusCode, 400);
    assert.equal(errorsOf(unknown.body).schools, 'Écoles inconnues : NOPE-9');
    assert.equal(valueOf(unknown.body, 'name'), 'Accueil inconnu');

    const none = await admin.submit(LIST, LIST, { name: 'Accueil vide', address: '1 rue Test', hours: '', schools: '', arrondissements: '' });
    assert.equal(none.statusCode, 400);
    assert.equal(errorsOf(none.body).schools, 'Indiquez au moins une école ou un arrondissement.');

    const nul = await admin.submit(LIST, LIST, { name: 'Accueil\u0000', address: 'x'.repeat(100_000), hours: '', schools: '', arrondissements: '11' });
    assert.equal(nul.statusCode, 400);
    assert.ok(errorsOf(nul.body).name, 'the NUL byte');
    assert.ok(errorsOf(nul.body).address, 'too long');
    assert.doesNotMatch((await admin.get(LIST)).body, /Accueil inconnu|Accueil vide/, 'nothing was made');
  });

  it('SVC-5 odd ids are 404, never 500: unknown, huge, not a number, a NUL byte; on the forms too', async () => {
    for (const id of ['999999', '99999999999999999999', '2147483648', '0', 'abc', '1%00', '-1', '1.5'])
      assert.equal((await admin.get(`${LIST}/${id}`)).statusCode, 404, id);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get(LIST)).body)![1];
    for (const path of ['', '/fermer', '/conseillers', '/conseillers/retirer']) {
      assert.equal((await admin.post(`${LIST}/999999${path}`, { _csrf: csrf, name: 'x', address: 'x', arrondissements: '11', closed: 'yes', counsellor: counsellorId })).statusCode, 404, path);
      assert.equal((await admin.post(`${LIST}/99999999999999999999${path}`, { _csrf: csrf, closed: 'yes' })).statusCode, 404, path);
    }
  });

  it('SVC-5 the administrator adds a desk, renames it, assigns and removes a counsellor, closes and reopens it', async () => {
    const page = await addDesk();
    const shown = await admin.get(`${page}?message=created`);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /L’accueil est ajouté/);
    assert.equal(valueOf(shown.body, 'arrondissements'), '11');

    const renamed = await admin.submit(page, page, { name: 'Accueil Mairie du 11e', address: '12 place Léon-Blum', hours: '', schools: 'E-11-T', arrondissements: '' });
    assert.equal(renamed.statusCode, 303);
    assert.match((await admin.get(LIST)).body, /Accueil Mairie du 11e<\/a>/);
    const badRename = await admin.submit(page, page, { name: 'Accueil Mairie du 11e', address: '', hours: '', schools: 'E-11-T', arrondissements: '' });
    assert.equal(badRename.statusCode, 400);
    assert.ok(errorsOf(badRename.body).address);

    const trainer = await admin.submit(page, `${page}/conseillers`, { counsellor: trainerId });
    assert.equal(trainer.statusCode, 400);
    assert.equal(errorsOf(trainer.body).counsellor, 'Ce compte n’a pas le rôle conseiller : changez son rôle dans « Comptes du personnel ».');
    const garbage = await admin.submit(page, `${page}/conseillers`, { counsellor: '../etc' });
    assert.equal(garbage.statusCode, 400);
    assert.equal(errorsOf(garbage.body).counsellor, 'Choisissez un conseiller dans la liste.');
    const nul = await admin.submit(page, `${page}/conseillers`, { counsellor: `${counsellorId}\u0000` });
    assert.equal(nul.statusCode, 400);
    assert.match(errorsOf(nul.body).counsellor, /caractère invisible/);

    const assigned = await admin.submit(page, `${page}/conseillers`, { counsellor: counsellorId });
    assert.equal(assigned.statusCode, 303);
    assert.equal((await desksOf(t.db, counsellorId)).length, 1);
    assert.match((await counsellor.get('/personnel/accueil')).body, /Accueil Mairie du 11e/, 'the counsellor works there now');
    const removed = await admin.submit(page, `${page}/conseillers/retirer`, { counsellor: counsellorId });
    assert.equal(removed.statusCode, 303);
    assert.equal((await desksOf(t.db, counsellorId)).length, 0);
    await admin.submit(page, `${page}/conseillers`, { counsellor: counsellorId });

    const badClose = await admin.submit(page, `${page}/fermer`, { closed: 'maybe' });
    assert.equal(badClose.statusCode, 400);
    const closed = await admin.submit(page, `${page}/fermer`, { closed: 'yes' });
    assert.equal(closed.statusCode, 303);
    assert.match((await admin.get(closed.headers.location as string)).body, /L’accueil est fermé/);
    assert.match((await counsellor.get('/personnel/accueil')).body, /Vous n’êtes rattaché·e à aucun accueil/, 'a closed desk is nobody’s');
    const reopened = await admin.submit(page, `${page}/fermer`, { closed: 'no' });
    assert.equal(reopened.statusCode, 303);
    assert.match((await counsellor.get('/personnel/accueil')).body, /Accueil Mairie du 11e/);
  });

  it('SVC-5 the forms are limited per administrator (429 past the limit, never a 500)', async () => {
    const page = await addDesk({ name: 'Accueil limité' });
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get(page)).body)![1].replaceAll('&amp;', '&');
    let last = 0;
    for (let i = 0; i < 125 && last !== 429; i++) last = (await admin.post(`${page}/fermer`, { _csrf: csrf, closed: 'maybe' })).statusCode;
    assert.equal(last, 429);
  });
});
