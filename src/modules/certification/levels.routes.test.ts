import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildLearner, buildStaff, Client, formHtml, startTestApp, type TestApp } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { chainLevels, pastOutcome, pastSession } from '../../../test/levels';
import { applications } from '../applications/applications.table';
import { registrationPeriods } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';

const day = 86_400_000;
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');

describe('levels routes (CERT-6, CERT-3, SEL-1)', () => {
  let t: TestApp;
  let passed: { id: string; email: string };
  let twiceFailed: { id: string; email: string };
  let learner: Client;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [
      { code: 'NA1-OLD', course: 'NA1', weekday: 1, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'NA2', course: 'NA2', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
      { code: 'NR-OLD', course: 'NR', weekday: 3, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
      { code: 'NR-OLDER', course: 'NR', weekday: 3, startsAt: '14:00', endsAt: '16:00', period: 'closed' },
      { code: 'NR', course: 'NR', weekday: 4, startsAt: '09:00', endsAt: '11:00' },
    ]);
    for (const code of ['NA1-OLD', 'NR-OLD', 'NR-OLDER']) await pastSession(t.db, t.clock, code);
    await chainLevels(t.db, 'NA1', 'NA2');
    // CERT-6: the open period has a priority window, open now; the public one opens in two days.
    const now = t.clock.now().getTime();
    await t.db.update(registrationPeriods).set({ priorityOpensAt: new Date(now - 2 * day), applicationsOpenAt: new Date(now + 2 * day) }).where(eq(registrationPeriods.code, 'open'));
    passed = await buildLearner(t.db, t.clock);
    await pastOutcome(t.db, t.clock, { learnerId: passed.id, sessionCode: 'NA1-OLD', answers: { situation: 'job_seeker', objective: 'professional', motivations: 'Continuer en niveau 2 pour mon travail.' } });
    twiceFailed = await buildLearner(t.db, t.clock);
    await pastOutcome(t.db, t.clock, { learnerId: twiceFailed.id, sessionCode: 'NR-OLDER', outcome: 'failed', daysAgo: 400 });
    await pastOutcome(t.db, t.clock, { learnerId: twiceFailed.id, sessionCode: 'NR-OLD', outcome: 'failed' });
    learner = new Client(t.app);
    await learner.login(passed.email);
  });
  after(() => t.close());

  it('CERT-6 the home page’s calendar shows the priority window', async () => {
    assert.match((await new Client(t.app).get('/')).body, /dès le 21 novembre 2026 pour qui a réussi le niveau précédent/);
  });

  it('CERT-6 the page needs a learner’s login', async () => {
    const anonymous = await new Client(t.app).get('/compte/niveau-suivant');
    assert.ok([302, 303].includes(anonymous.statusCode), String(anonymous.statusCode));
  });

  it('CERT-6 the account page links to the next level; the page lists the next level’s sessions in the priority window', async () => {
    assert.match((await learner.get('/compte')).body, /href="\/compte\/niveau-suivant"/);
    const page = await learner.get('/compte/niveau-suivant');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Cours NA1/);
    assert.match(page.body, /Cours NA2/);
    assert.match(page.body, /Fenêtre prioritaire/);
    assert.match(page.body, /Candidater à cette session/);
  });

  it('CERT-6 applying opens the check page with the previous answers; applying twice says there is already one', async () => {
    const done = await learner.submit('/compte/niveau-suivant', '/compte/niveau-suivant', { session: 'NA2' });
    assert.equal(done.statusCode, 303);
    const location = String(done.headers.location);
    assert.match(location, /^\/candidatures\/[0-9a-f-]{36}\/verification$/);
    const check = await learner.get(location);
    assert.equal(check.statusCode, 200);
    assert.match(check.body, /Continuer en niveau 2 pour mon travail\./);
    const confirmed = await learner.submit(location, location.replace('/verification', '/valider'), { rules: 'on' });
    assert.equal(confirmed.statusCode, 303, confirmed.body.slice(0, 300));
    const id = location.split('/')[2];
    const [row] = await t.db.select().from(applications).where(eq(applications.id, id));
    assert.equal(row.status, 'confirmed', 'confirmed in the priority window');
    const again = await learner.get('/compte/niveau-suivant');
    assert.match(again.body, /Vous avez déjà une candidature à ce cours/);
    const forged = await learner.post('/compte/niveau-suivant', { _csrf: csrfOf(again.body), session: 'NA2' });
    assert.equal(forged.statusCode, 409);
    assert.match(forged.body, /Vous avez déjà une candidature pour ce cours/);
  });

  it('CERT-6 a session that is not a next level of the learner, or a bad code, is not found; another learner sees none', async () => {
    const page = await learner.get('/compte/niveau-suivant');
    assert.equal((await learner.post('/compte/niveau-suivant', { _csrf: csrfOf(page.body), session: 'NR' })).statusCode, 404);
    assert.equal((await learner.post('/compte/niveau-suivant', { _csrf: csrfOf(page.body), session: '../x' })).statusCode, 404);
    const other = new Client(t.app);
    const stranger = await buildLearner(t.db, t.clock);
    await other.login(stranger.email);
    const none = await other.get('/compte/niveau-suivant');
    assert.equal(none.statusCode, 200);
    assert.match(none.body, /les sessions du niveau suivant apparaîtront ici/);
    assert.doesNotMatch(none.body, /Candidater à cette session/);
  });

  it('CERT-3 a third attempt at a course is refused on the course sheet with the FAQ’s reason', async () => {
    await t.db.update(registrationPeriods).set({ priorityOpensAt: null, applicationsOpenAt: new Date(t.clock.now().getTime() - day) }).where(eq(registrationPeriods.code, 'open'));
    const browser = new Client(t.app);
    await browser.login(twiceFailed.email);
    const refused = await browser.submit('/formations/NR', '/candidatures', { session: 'NR' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /un seul redoublement est possible/);
  });

  it('SEL-1 the applicant’s sheet shows the automatic check; an override without a reason is refused next to the field', async () => {
    const [applicant] = await confirmedApplicants({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' }, 'NA2', 1);
    await closeOpenPeriod(t.db, t.clock);
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    const staff = new Client(t.app);
    await staff.loginStaff(coordinator.email, coordinator.totpSecret, t.clock);
    const sheet = `/personnel/candidatures/${applicant.applicationId}`;
    const shown = await staff.get(sheet);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Vérification automatique : le certificat de compétences du niveau précédent manque/);
    assert.match(shown.body, /Niveau précédent « Cours NA1 » : pas de certificat de compétences, assiduité inconnue/);
    const refused = await staff.submit(sheet, `${sheet}/prerequis`, { met: 'yes', reason: '' });
    assert.equal(refused.statusCode, 409);
    const form = formHtml(refused.body, `${sheet}/prerequis`);
    assert.match(form, /aria-invalid="true"/);
    assert.match(form, /Indiquez pourquoi les prérequis sont remplis/);
    const saved = await staff.submit(sheet, `${sheet}/prerequis`, { met: 'yes', reason: 'Test de positionnement réussi' });
    assert.equal(saved.statusCode, 303);
    assert.match((await staff.get(sheet)).body, /Prérequis déclarés remplis malgré la vérification automatique : Test de positionnement réussi/);
    // SEL-2: the selection screen shows the previous level's real attendance and certificate.
    await pastOutcome(t.db, t.clock, { learnerId: applicant.learnerId, sessionCode: 'NA1-OLD', outcome: 'failed', attendedMinutes: 4800, plannedMinutes: 6000 });
    assert.match((await staff.get('/personnel/sessions/NA2/selection')).body, /assiduité 80 %, pas de certificat de compétences/);
  });

  it('SEL-1 the decision’s own refusal shows as automatic on the applicant’s sheet, with its reason', async () => {
    const close = { applicationsCloseAt: new Date(t.clock.now().getTime() + day) };
    await t.db.update(registrationPeriods).set(close).where(eq(registrationPeriods.code, 'open'));
    const [applicant] = await confirmedApplicants({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' }, 'NA2', 1);
    await closeOpenPeriod(t.db, t.clock);
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    const staff = new Client(t.app);
    await staff.loginStaff(coordinator.email, coordinator.totpSecret, t.clock);
    assert.equal((await staff.submit('/personnel/sessions/NA2/selection', '/personnel/sessions/NA2/selection', {})).statusCode, 303);
    const [row] = await t.db.select().from(applications).where(eq(applications.id, applicant.applicationId));
    assert.equal(row.status, 'refused');
    const sheet = (await staff.get(`/personnel/candidatures/${applicant.applicationId}`)).body;
    assert.match(sheet, /Motif du refus/);
    assert.match(sheet, /le certificat de compétences du niveau précédent \(« Cours NA1 »\).*\(refus automatique de la décision, pas d’un coordinateur\)/s);
  });
});
