import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLearner, buildStaff, Client, startTestApp, type TestApp } from '../../../test/app';
import { buildUnits } from '../../../test/units';
import { catalogueIds } from '../catalogue';
import { recordEarnedUnit } from '../certification';

describe('programmes routes (CRED-1)', () => {
  let t: TestApp;
  let admin: Client;
  let learner: Client;
  let learnerId: string;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-12-02T10:00:00Z'), config: { CURSUS_PROFILE: 'credits' } });
    await buildUnits(t.db, [
      { code: 'NFA031', credits: 6, title: 'Programmation Java' },
      { code: 'NFA032', credits: 6, semester: 2, title: 'Programmation objet' },
      { code: 'NFE107', credits: 6 },
      { code: 'NFE114', credits: 12, semester: 2 },
    ]);
    const staff = await buildStaff(t.db, t.clock, 'admin');
    admin = new Client(t.app);
    await admin.loginStaff(staff.email, staff.totpSecret, t.clock);
    const user = await buildLearner(t.db, t.clock);
    learnerId = user.id;
    learner = new Client(t.app);
    await learner.login(user.email);
  });
  after(() => t.close());

  it('CRED-1 the programmes’ pages are an administrator’s: a learner gets 403, a stranger the login page', async () => {
    assert.equal((await learner.get('/personnel/admin/cursus')).statusCode, 403);
    assert.equal((await learner.get('/personnel/admin/cursus/nouveau')).statusCode, 403);
    const anonymous = await new Client(t.app).get('/personnel/admin/cursus');
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/connexion/);
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    const staff = new Client(t.app);
    await staff.loginStaff(coordinator.email, coordinator.totpSecret, t.clock);
    assert.equal((await staff.get('/personnel/admin/cursus')).statusCode, 403);
  });

  it('CRED-1 an unknown programme, or an odd code, is the 404 page', async () => {
    assert.equal((await admin.get('/personnel/admin/cursus/INCONNU')).statusCode, 404);
    assert.equal((await admin.get('/personnel/admin/cursus/%00')).statusCode, 404);
    assert.equal((await admin.get(`/personnel/admin/cursus/${'A'.repeat(80)}`)).statusCode, 404);
  });

  it('CRED-1 a rule the catalogue cannot meet: 400, each problem next to its field, what was typed kept', async () => {
    const page = await admin.submit('/personnel/admin/cursus/nouveau', '/personnel/admin/cursus', {
      nouveau: '1',
      code: 'CC13',
      title: 'Certificat <Programmeur>',
      kind: 'certificate',
      required_credits: '90',
      mandatory: 'NFA031, NOPE01',
      choose_1: '3',
      units_1: 'NFE107, NFE114',
    });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /id="mandatory-error"[^>]*>[\s\S]*?Ces unités n’existent pas au catalogue : NOPE01/);
    assert.match(page.body, /id="choose_1-error"[^>]*>[\s\S]*?La liste propose 2 unité\(s\) : on ne peut pas en choisir 3/);
    assert.match(page.body, /id="required_credits-error"/);
    assert.match(page.body, /value="Certificat &lt;Programmeur>"/, 'what was typed is kept, escaped');
    const nul = await admin.submit('/personnel/admin/cursus/nouveau', '/personnel/admin/cursus', { nouveau: '1', code: 'CC13', title: 'A\u0000B', kind: 'certificate', required_credits: '12', mandatory: 'NFA031' });
    assert.equal(nul.statusCode, 400);
    const huge = await admin.submit('/personnel/admin/cursus/nouveau', '/personnel/admin/cursus', { nouveau: '1', code: 'CC13', title: 'T', kind: 'certificate', required_credits: '99999999999999999999', mandatory: 'NFA031' });
    assert.equal(huge.statusCode, 400);
    assert.match(huge.body, /id="required_credits-error"/);
  });

  it('CRED-1 a programme saved (303), listed, then followed by the learner, who sees their progress and the next semester', async () => {
    const saved = await admin.submit('/personnel/admin/cursus/nouveau', '/personnel/admin/cursus', {
      nouveau: '1', code: 'CC13', title: 'Certificat Programmeur', kind: 'certificate', required_credits: '18', mandatory: 'NFA031, NFA032', choose_1: '1', units_1: 'NFE107, NFE114',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/personnel/admin/cursus?enregistre=CC13');
    assert.match((await admin.get('/personnel/admin/cursus?enregistre=CC13')).body, /Le cursus CC13 est enregistré/);
    assert.match((await admin.get('/personnel/admin/cursus/CC13')).body, /NFA031, NFA032/);

    const ids = (await catalogueIds(t.db, { courses: ['NFA031'] })).courses;
    await t.db.transaction((tx) => recordEarnedUnit(tx, t.clock, { learnerId, courseId: ids.get('NFA031')!, earnedOn: '2026-01-20' }));
    const before = await learner.get('/compte/cursus');
    assert.equal(before.statusCode, 200);
    assert.match(before.body, /Suivre ce cursus/);
    assert.equal((await learner.submit('/compte/cursus', '/compte/cursus/NOPE/suivre', {}).catch(() => ({ statusCode: 0 }))).statusCode, 0, 'no form for a programme that does not exist');
    assert.equal((await learner.post('/compte/cursus/NOPE/suivre', {})).statusCode, 403, 'no CSRF token: refused');
    const followed = await learner.submit('/compte/cursus', '/compte/cursus/CC13/suivre', {});
    assert.equal(followed.statusCode, 303);
    const page = (await learner.get(String(followed.headers.location))).body;
    assert.match(page, /Vous suivez maintenant « Certificat Programmeur »/);
    assert.match(page, /6 crédits ECTS sur 18/);
    assert.match(page, /Unités obligatoires à valider[\s\S]*NFA032/);
    assert.match(page, /Au prochain semestre \(à partir du 15 février 2027\)[\s\S]*NFA032/);
    // The staff may not follow; a programme that does not exist is 404 even with a token.
    assert.equal((await admin.get('/compte/cursus')).statusCode, 403);
  });

  it('CRED-1 the credits profile speaks of units and semesters; the account page links to the programmes', async () => {
    assert.match((await new Client(t.app).get('/')).body, /Unités d’enseignement et crédits ECTS/);
    assert.match((await new Client(t.app).get('/recherche')).body, /Semestre/);
    assert.match((await learner.get('/compte')).body, /href="\/compte\/cursus"/);
  });
});

describe('the municipal profile keeps its words (issue 18)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('CRED-1 without CURSUS_PROFILE the home page is the city’s, with no word of units', async () => {
    const home = (await new Client(t.app).get('/')).body;
    assert.match(home, /Inscriptions aux cours municipaux d’adultes/);
    assert.doesNotMatch(home, /crédits ECTS/);
  });
});
