import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildLearner, buildStaff, Client, startTestApp, type TestApp } from '../../../test/app';
import { buildUnitSessions } from '../../../test/credits';

describe('enrolment and price list routes (CRED-2, CRED-5)', () => {
  let t: TestApp;
  let learner: Client;
  let admin: Client;
  const page = '/unites/inscription?session=NFA031-A';

  before(async () => {
    t = await startTestApp({ now: new Date('2026-12-02T10:00:00Z'), config: { CURSUS_PROFILE: 'credits' } });
    await buildUnitSessions(t.db, t.clock, [
      { code: 'NFA031-A', unit: 'NFA031', credits: 6, weekday: 1 },
      { code: 'NFE107-A', unit: 'NFE107', credits: 4, weekday: 3 },
    ]);
    const user = await buildLearner(t.db, t.clock);
    learner = new Client(t.app);
    await learner.login(user.email);
    const staff = await buildStaff(t.db, t.clock, 'admin');
    admin = new Client(t.app);
    await admin.loginStaff(staff.email, staff.totpSecret, t.clock);
  });
  after(() => t.close());

  it('CRED-2 the unit’s sheet shows « S’inscrire » with each funding and its fee, not the municipal « Sauvegarder »', async () => {
    const sheet = await learner.get('/formations/NFA031');
    assert.equal(sheet.statusCode, 200);
    assert.match(sheet.body, /S’inscrire/);
    assert.match(sheet.body, /action="\/unites\/inscription"/);
    assert.match(sheet.body, /Compte personnel de formation \(CPF\) — 480,00/);
    assert.match(sheet.body, /Personnel \(je paie moi-même\) — 240,00/);
    assert.doesNotMatch(sheet.body, /Sauvegarder dans mes candidatures/);
    assert.match((await new Client(t.app).get('/formations/NFA031')).body, /Se connecter pour s’inscrire/);
  });

  it('CRED-5 an unknown source, a NUL byte or a missing one: 400, the message next to the field, nothing written', async () => {
    for (const financement of ['lottery', 'cpf\u0000', '']) {
      const response = await learner.submit(page, '/unites/inscription', { financement }, { keepForm: true });
      assert.equal(response.statusCode, 400, financement);
      assert.match(response.body, /id="financement-error"/);
      assert.match(response.body, /aria-invalid="true"/);
    }
    const sheetQuery = await learner.get(`${page}&financement=bitcoin`);
    assert.equal(sheetQuery.statusCode, 400);
    assert.match(sheetQuery.body, /Choisissez un financement parmi ceux de la liste/);
    const written = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from applications`);
    assert.equal(written.rows[0].n, 0);
  });

  it('CRED-2 odd sessions and ids are the 404 page, never a 500', async () => {
    assert.equal((await learner.get('/unites/inscription?session=NOPE')).statusCode, 404);
    assert.equal((await learner.get('/unites/inscription?session=%00')).statusCode, 400);
    assert.equal((await learner.get(`/unites/inscription?session=${'A'.repeat(300)}`)).statusCode, 400);
    assert.equal((await learner.submit(page, '/unites/inscription', { session: 'A\u0000', financement: 'cpf' })).statusCode, 404);
    assert.equal((await learner.submit(page, '/unites/inscription', { session: 'NOPE', financement: 'cpf' })).statusCode, 404);
    assert.equal((await learner.get('/inscriptions/not-a-uuid')).statusCode, 404);
    assert.equal((await learner.get('/inscriptions/00000000-0000-4000-8000-000000000000/attestation-financement.pdf')).statusCode, 404);
  });

  it('CRED-2 CRED-5 the learner enrols with a funder: the enrolment’s page, its attestation as a PDF; a personal one goes to pay', async () => {
    const done = await learner.submit(page, '/unites/inscription', { financement: 'region' }, { keepForm: true });
    assert.equal(done.statusCode, 303);
    const location = String(done.headers.location);
    assert.match(location, /^\/inscriptions\/[0-9a-f-]{36}\?inscrit=1$/);
    const mine = await learner.get(location);
    assert.match(mine.body, /Votre inscription est enregistrée/);
    assert.match(mine.body, /Région \(demandeurs d’emploi\)/);
    const id = location.slice('/inscriptions/'.length, location.indexOf('?'));
    const pdf = await learner.get(`/inscriptions/${id}/attestation-financement.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const personal = await learner.submit('/unites/inscription?session=NFE107-A', '/unites/inscription', { financement: 'personal' }, { keepForm: true });
    const next = await learner.get(String(personal.headers.location));
    assert.match(next.body, /href="\/candidatures\/[0-9a-f-]{36}\/paiement"/);
    // SEL-2's draw reference is a selection's: the units' enrolments had none, so « Mes candidatures » shows none, nor a link to a selection page.
    const list = await learner.get('/candidatures');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /NFE107|Unité|unit/i);
    assert.doesNotMatch(list.body, /class="draw-reference"|\/selection"/);
  });

  it('CRED-5 the price list is the administrator’s: a bad amount is shown next to its field with what was typed; a good one is saved', async () => {
    assert.equal((await learner.get('/personnel/admin/tarifs')).statusCode, 403);
    const bad = await admin.submit('/personnel/admin/tarifs', '/personnel/admin/tarifs', { source: 'cpf', 'cpf-basis': 'unit', 'cpf-amount': '12abc' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="cpf-amount-error"/);
    assert.match(bad.body, /value="12abc"/);
    const free = await admin.submit('/personnel/admin/tarifs', '/personnel/admin/tarifs', { source: 'personal', 'personal-basis': 'credit', 'personal-amount': '0' });
    assert.equal(free.statusCode, 400);
    assert.match(free.body, /Une inscription personnelle n’est jamais gratuite/);
    const nul = await admin.submit('/personnel/admin/tarifs', '/personnel/admin/tarifs', { source: 'cpf', 'cpf-basis': 'unit\u0000', 'cpf-amount': '10' });
    assert.equal(nul.statusCode, 400);
    assert.equal((await admin.submit('/personnel/admin/tarifs', '/personnel/admin/tarifs', { source: 'nope' })).statusCode, 400);
    const saved = await admin.submit('/personnel/admin/tarifs', '/personnel/admin/tarifs', { source: 'cpf', 'cpf-basis': 'unit', 'cpf-amount': '450,50' });
    assert.equal(saved.statusCode, 303);
    const list = await admin.get(String(saved.headers.location));
    assert.match(list.body, /Le tarif « Compte personnel de formation \(CPF\) » est enregistré/);
    assert.match(list.body, /value="450,50"/);
  });
});
