import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildLearner, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { eq } from 'drizzle-orm';
import { registrationPeriods } from '../catalogue/catalogue.table';

const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]);

describe('application pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [
      { code: 'S1', course: 'ANG', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'S2', course: 'ANG', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
      { code: 'S3', weekday: 1, startsAt: '19:00', endsAt: '21:00' },
      { code: 'S4', weekday: 5, startsAt: '14:00', endsAt: '16:00' },
      { code: 'OLD', weekday: 2, startsAt: '14:00', endsAt: '16:00', period: 'closed' },
    ]);
  });
  after(() => t.close());

  const loggedIn = async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    return { learner, browser };
  };
  const applicationId = (location: string | undefined, html: string) => /\/candidatures\/([0-9a-f-]{36})\/situation/.exec(html)?.[1] ?? location;

  it('APP-1 a visitor is led to log in and back to the sheet; a learner gets a save button per open session', async () => {
    const visitor = new Client(t.app);
    const sheet = await visitor.get('/formations/ANG');
    assert.match(sheet.body, /href="\/connexion\?retour=%2Fformations%2FANG%23S1"/);
    assert.ok(!sheet.body.includes('action="/candidatures"'));
    const learner = await buildLearner(t.db, t.clock);
    const login = await visitor.submit('/connexion?retour=%2Fformations%2FANG%23S1', '/connexion?retour=%2Fformations%2FANG%23S1', { email: learner.email, password: 'Bonjour-Paris-2026' });
    assert.equal(login.headers.location, '/formations/ANG#S1', 'back to the same sheet');
    const own = await visitor.get('/formations/ANG');
    assert.equal((own.body.match(/action="\/candidatures"/g) ?? []).length, 2);
    const closed = await visitor.get('/formations/C-OLD');
    assert.ok(!closed.body.includes('action="/candidatures"'), 'no button on a closed period');
  });

  it('APP-1 a visitor who signs up comes back to the same sheet after activation (which logs in) and record, nothing lost', async () => {
    const browser = new Client(t.app);
    const back = encodeURIComponent('/formations/ANG#S1');
    const login = (await browser.get(`/connexion?retour=${back}`)).body;
    assert.match(login, new RegExp(`href="/inscription\\?retour=${back.replace(/%/g, '%')}"`));
    const email = `retour.${Date.now()}@example.org`;
    await browser.submit(`/inscription?retour=${back}`, `/inscription?retour=${back}`, { email, password: 'Bonjour-Paris-2026', passwordConfirm: 'Bonjour-Paris-2026', terms: 'on' });
    const [mail] = await emailsTo(t.db, email);
    const link = /http:\/\/localhost:3000(\/activation\/\S+)/.exec(mail.text)![1];
    assert.ok(link.endsWith(`?retour=${back}`), link);
    // The activation page keeps the way back in its form, and activating logs in (ACC-3).
    const activation = await browser.get(link);
    assert.match(activation.body, new RegExp(`action="${link.replace(/[?]/g, '\\?')}"`));
    const loggedIn = await browser.submit(link, link, { password: 'Bonjour-Paris-2026' });
    assert.equal(loggedIn.headers.location, `/compte/fiche?retour=${back}`);
    const saved = await browser.submit(`/compte/fiche?retour=${back}`, `/compte/fiche?retour=${back}`, {
      civility: 'M', lastName: 'Retour', firstName: 'Victor', birthDate: '01/02/1980', birthCountry: 'FR', address: '2 rue X', postalCode: '75011', city: 'Paris', country: 'FR', mobilePhone: '0612345678', heardFrom: 'internet',
    });
    assert.equal(saved.headers.location, '/formations/ANG#S1');
    assert.equal((await browser.get('/formations/ANG')).body.match(/action="\/candidatures"/g)?.length, 2);
    assert.equal((await browser.get('/connexion?retour=https%3A%2F%2Fevil.example')).body.includes('evil'), false);
  });

  it('APP-1 APP-4 APP-6 APP-8 APP-9 save → answer step by step → check → validate → follow → cancel', async () => {
    const { learner, browser } = await loggedIn();
    const saved = await browser.submit('/formations/ANG', '/candidatures', { session: 'S1' });
    assert.equal(saved.headers.location, '/candidatures?message=preselected');
    let page = (await browser.get('/candidatures?message=preselected')).body;
    assert.match(page, /Formations présélectionnées<\/h2><ul class="applications"><li/);
    const id = applicationId(undefined, page)!;

    // Bad input on each step: a clear message, what was typed kept.
    const none = await browser.submit(`/candidatures/${id}/situation`, `/candidatures/${id}/situation`, {});
    assert.equal(none.statusCode, 400);
    assert.deepEqual(errorsOf(none.body), [['situation', 'Choisissez une des options proposées.']]);
    await browser.submit(`/candidatures/${id}/situation`, `/candidatures/${id}/situation`, { situation: 'job_seeker' });
    const forged = await browser.submit(`/candidatures/${id}/objectif`, `/candidatures/${id}/objectif`, { objective: 'world-domination' });
    assert.equal(forged.statusCode, 400);
    await browser.submit(`/candidatures/${id}/objectif`, `/candidatures/${id}/objectif`, { objective: 'professional' });
    const long = 'Je veux progresser. '.repeat(5_000);
    const tooLong = await browser.submit(`/candidatures/${id}/motivations`, `/candidatures/${id}/motivations`, { motivations: long });
    assert.equal(tooLong.statusCode, 400);
    assert.match(errorsOf(tooLong.body)[0][1], /trop longues \(5000 caractères au maximum\)/);
    assert.ok(tooLong.body.includes(long.trim().slice(0, 2000)), 'the text typed is kept');
    const next = await browser.submit(`/candidatures/${id}/motivations`, `/candidatures/${id}/motivations`, { motivations: 'Améliorer mon anglais <b>professionnel</b>.' });
    assert.equal(next.headers.location, `/candidatures/${id}/verification`);

    const check = await browser.get(`/candidatures/${id}/verification`);
    assert.match(check.body, /Demandeur ou demandeuse d’emploi/);
    assert.match(check.body, /Améliorer mon anglais &lt;b>professionnel&lt;\/b>\./);
    const noRules = await browser.submit(`/candidatures/${id}/verification`, `/candidatures/${id}/valider`, {});
    assert.equal(noRules.statusCode, 400);
    assert.deepEqual(errorsOf(noRules.body), [['rules', 'Vous devez accepter le règlement de l’établissement pour envoyer votre candidature.']]);
    const done = await browser.submit(`/candidatures/${id}/verification`, `/candidatures/${id}/valider`, { rules: 'on' });
    assert.equal(done.headers.location, '/candidatures?message=confirmed');
    const twice = await browser.post(`/candidatures/${id}/valider`, { _csrf: await csrfOf(browser, '/candidatures'), rules: 'on' });
    assert.equal(twice.headers.location, '/candidatures?message=confirmed', 'a double click validates once');
    page = (await browser.get('/candidatures')).body;
    assert.match(page, /Candidatures en cours de traitement<\/h2><ul class="applications"><li/);
    assert.match(page, /Envoyée : en attente de traitement/);
    assert.match(page, /Vous avez 1 candidature\(s\) en cours sur 3/);
    const [mail] = await emailsTo(t.db, learner.email);
    assert.match(mail.subject, /Votre candidature est enregistrée/);

    const confirmPage = await browser.get(`/candidatures/${id}/annuler`);
    assert.match(confirmPage.body, /Annuler votre candidature \?/);
    const cancelled = await browser.submit(`/candidatures/${id}/annuler`, `/candidatures/${id}/annuler`, {});
    assert.equal(cancelled.headers.location, '/candidatures?message=cancelled');
    page = (await browser.get('/candidatures')).body;
    assert.match(page, /Candidatures clôturées<\/h2><ul class="applications"><li[\s\S]*Annulée/);
  });

  it('APP-2 APP-3 refusals are shown on the sheet next to the session, naming the other application', async () => {
    const { browser } = await loggedIn();
    await browser.submit('/formations/ANG', '/candidatures', { session: 'S1' });
    const sameCourse = await browser.post('/candidatures', { _csrf: await csrfOf(browser, '/formations/ANG'), session: 'S2' });
    assert.equal(sameCourse.statusCode, 409);
    assert.match(sameCourse.body, /Vous avez déjà une candidature pour ce cours \(« Cours ANG »\)/);
    const sameSlot = await browser.post('/candidatures', { _csrf: await csrfOf(browser, '/formations/C-S3'), session: 'S3' });
    assert.equal(sameSlot.statusCode, 409);
    assert.match(sameSlot.body, /même jour, aux mêmes heures que « Cours ANG »/);
    const closed = await browser.post('/candidatures', { _csrf: await csrfOf(browser, '/formations/C-OLD'), session: 'OLD' });
    assert.equal(closed.statusCode, 409);
    assert.match(closed.body, /ne sont pas ouvertes en ce moment/);
  });

  it('forged ids, another learner’s application, stale pages and forged forms: 404, 403 or a clear message, never a 500', async () => {
    const { browser } = await loggedIn();
    await browser.submit('/formations/C-S4', '/candidatures', { session: 'S4' });
    const id = applicationId(undefined, (await browser.get('/candidatures')).body)!;
    const other = (await loggedIn()).browser;
    for (const url of [`/candidatures/${id}/situation`, `/candidatures/${id}/verification`, `/candidatures/${id}/annuler`, '/candidatures/not-a-uuid/situation', '/candidatures/00000000-0000-0000-0000-000000000000/objectif'])
      assert.equal((await other.get(url)).statusCode, 404, url);
    assert.equal((await other.post(`/candidatures/${id}/valider`, { _csrf: await csrfOf(other, '/candidatures'), rules: 'on' })).statusCode, 404);
    assert.equal((await browser.post(`/candidatures/${id}/valider`, { _csrf: 'forged', rules: 'on' })).statusCode, 403);
    assert.equal((await browser.post('/candidatures', { _csrf: await csrfOf(browser, '/candidatures'), session: '<script>' })).statusCode, 404);
    assert.equal((await browser.post('/candidatures', { _csrf: await csrfOf(browser, '/candidatures'), session: 'NOPE' })).statusCode, 404);

    // A stale page: the window closes between the answers and "validate".
    for (const [step, field, value] of [['situation', 'situation', 'retired'], ['objectif', 'objective', 'personal'], ['motivations', 'motivations', 'Apprendre.']])
      await browser.submit(`/candidatures/${id}/${step}`, `/candidatures/${id}/${step}`, { [field]: value });
    const csrf = await csrfOf(browser, `/candidatures/${id}/verification`);
    const [period] = await t.db.select().from(registrationPeriods).where(eq(registrationPeriods.code, 'open'));
    await t.db.update(registrationPeriods).set({ applicationsCloseAt: new Date(t.clock.now().getTime() - 60_000) }).where(eq(registrationPeriods.code, 'open'));
    const late = await browser.post(`/candidatures/${id}/valider`, { _csrf: csrf, rules: 'on' });
    await t.db.update(registrationPeriods).set({ applicationsCloseAt: period.applicationsCloseAt }).where(eq(registrationPeriods.code, 'open'));
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /ne sont pas ouvertes en ce moment/);
  });

  it('APP-9 visitors and staff cannot reach the applications pages', async () => {
    assert.equal((await new Client(t.app).get('/candidatures')).headers.location, '/connexion?retour=%2Fcandidatures');
  });
});

async function csrfOf(browser: Client, page: string): Promise<string> {
  const html = (await browser.get(page)).body;
  return /name="_csrf" value="([^"]+)"/.exec(html)![1];
}
