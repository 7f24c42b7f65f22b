import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, GOOD_PASSWORD, buildLearner, buildStaff, startTestApp, type TestApp } from '../test/app';
import { preselectedAndConfirmed } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import * as apps from './modules/applications/applications.service';
import { assignScope } from './modules/scopes';

/**
 * Route schemas: odd paths and query strings (a NUL byte, a line break, a list where one value
 * is expected, a number too large, a name of Object.prototype) get the 404 or 400 page, never
 * a 500 and never the handler.
 */
describe('route schemas: odd params and queries', () => {
  let t: TestApp;
  let admin: Client;
  let coordinator: Client;
  let learner: Client;
  let learnerEmail: string;
  let preselected: string;
  let confirmed: string;
  const NUL = '%00';
  const CRLF = '%0D%0ASet-Cookie:%20x=1';
  const HUGE = '9'.repeat(600);
  /** Paths are cut at 300 characters by the router (414): a number too large, short enough to reach the route. */
  const BIG = '9'.repeat(30);

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [
      { code: 'ODD1', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'ODD2', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    ]);
    const a = await buildStaff(t.db, t.clock, 'admin');
    admin = new Client(t.app);
    await admin.loginStaff(a.email, a.totpSecret, t.clock);
    const c = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: c.userId, schools: ['E-11-T'] });
    coordinator = new Client(t.app);
    await coordinator.loginStaff(c.email, c.totpSecret, t.clock);
    const l = await buildLearner(t.db, t.clock);
    learnerEmail = l.email;
    learner = new Client(t.app);
    await learner.login(l.email);
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    ({ preselected, confirmed } = await preselectedAndConfirmed(deps, l.id, { preselectedIn: 'ODD1', confirmedIn: 'ODD2' }));
  });
  after(() => t.close());

  async function expect(browser: Client, status: number, urls: string[]) {
    for (const url of urls) {
      const response = await browser.get(url);
      assert.equal(response.statusCode, status, url);
      assert.match(String(response.headers['content-type']), /text\/html/, url);
    }
  }

  const csrfOf = async (browser: Client, page: string) => /name="_csrf" value="([^"]+)"/.exec((await browser.get(page)).body)![1];

  it('the values the app itself writes in its links still work', async () => {
    assert.match((await admin.get('/personnel/admin/catalogue?enregistre=E-11-T')).body, /E-11-T/);
    assert.equal((await admin.get('/personnel/admin/reglages?message=saved')).statusCode, 200);
    assert.equal((await admin.get('/personnel/admin/comptes?enregistre=someone%40example.org')).statusCode, 200);
    assert.equal((await admin.get('/personnel/admin/catalogue/etablissements?code=E-11-T')).headers.location, '/personnel/admin/catalogue/etablissements/E-11-T');
    assert.equal((await admin.get('/personnel/admin/catalogue/etablissements/E-11-T')).statusCode, 200);
    assert.equal((await learner.get(`/candidatures/${preselected}/situation?retour=verification`)).statusCode, 200);
    assert.match((await coordinator.get('/personnel/sessions/ODD2?convoquees=3')).body, /3 convocation\(s\) envoyée\(s\)/);
    assert.equal((await coordinator.get('/personnel/sessions/ODD2/selection?acceptees=2&attente=3')).statusCode, 200);
    assert.equal((await coordinator.get(`/personnel/candidatures/${confirmed}?message=saved`)).statusCode, 200);
    const back = await learner.get('/langue/en?retour=%2Fcandidatures');
    assert.equal(back.headers.location, '/candidatures');
    assert.equal((await learner.get('/langue/fr?retour=//evil.example')).headers.location, '/', 'another site: home');
  });

  it('administration: flash parameters, catalogue kinds and codes', async () => {
    await expect(admin, 400, [
      `/personnel/admin/catalogue?enregistre=${NUL}`,
      '/personnel/admin/catalogue?enregistre=a&enregistre=b',
      `/personnel/admin/catalogue?enregistre=${'A'.repeat(61)}`,
      `/personnel/admin/reglages?message=${NUL}`,
      '/personnel/admin/reglages?message=saved&message=saved',
      `/personnel/admin/comptes?enregistre=${NUL}`,
      '/personnel/admin/comptes?enregistre=a&enregistre=b',
      `/personnel/admin/comptes?enregistre=${HUGE}`,
      `/personnel/admin/catalogue/etablissements?code=${NUL}`,
      '/personnel/admin/catalogue/etablissements?code=a&code=b',
    ]);
    await expect(admin, 404, [
      '/personnel/admin/catalogue/constructor/nouveau',
      '/personnel/admin/catalogue/__proto__/x',
      '/personnel/admin/catalogue/toString/E-11-T',
      '/personnel/admin/catalogue/constructor?code=x',
      `/personnel/admin/catalogue/${NUL}?code=x`,
      `/personnel/admin/catalogue/etablissements/a${NUL}b`,
    ]);
    const csrf = await csrfOf(admin, '/personnel/admin/catalogue');
    for (const kind of ['constructor', 'hasOwnProperty', `a${NUL}`]) assert.equal((await admin.post(`/personnel/admin/catalogue/${kind}`, { _csrf: csrf, code: 'X' })).statusCode, 404, kind);
  });

  it('language switch and return paths: control characters never reach a Location header', async () => {
    await expect(learner, 400, [`/langue/fr?retour=/${NUL}`, `/langue/fr?retour=/${CRLF}`, '/langue/fr?retour=/a&retour=/b', `/langue/fr?retour=/${HUGE}`]);
    await expect(learner, 404, ['/langue/constructor', `/langue/f${NUL}`]);
    // The login form keeps `retour` and sends the person there afterwards: a NUL is dropped, home instead.
    const visitor = new Client(t.app);
    const csrf = await csrfOf(visitor, `/connexion?retour=/compte${NUL}`);
    const done = await visitor.post(`/connexion?retour=/compte${NUL}`, { _csrf: csrf, email: learnerEmail, password: GOOD_PASSWORD });
    assert.equal(done.statusCode, 303);
    assert.doesNotMatch(String(done.headers.location), /[\u0000-\u001f]/);
  });

  it('application steps: the return flag and the id', async () => {
    await expect(learner, 400, [
      `/candidatures/${preselected}/situation?retour=${NUL}`,
      `/candidatures/${preselected}/objectif?retour=verification&retour=verification`,
      `/candidatures/${preselected}/motivations?retour=${HUGE}`,
    ]);
    await expect(learner, 404, [`/candidatures/${NUL}/situation`, `/candidatures/${BIG}/objectif`]);
    const csrf = await csrfOf(learner, `/candidatures/${preselected}/situation`);
    const posted = await learner.post(`/candidatures/${preselected}/situation?retour=a&retour=b`, { _csrf: csrf, situation: 'employed' });
    assert.equal(posted.statusCode, 400);
  });

  it('selection: counts in flash parameters, session codes and message keys', async () => {
    await expect(coordinator, 400, [
      `/personnel/sessions/ODD2?convoquees=${HUGE}`,
      `/personnel/sessions/ODD2?convoquees=${NUL}`,
      '/personnel/sessions/ODD2?convoquees=1&convoquees=2',
      '/personnel/sessions/ODD2?convoquees=-1',
      `/personnel/sessions/ODD2/selection?acceptees=${HUGE}&attente=1`,
      '/personnel/sessions/ODD2/selection?acceptees=1&acceptees=2&attente=1',
      `/personnel/sessions/ODD2/selection?acceptees=1&attente=${NUL}`,
      `/personnel/candidatures/${confirmed}?message=${NUL}`,
      `/personnel/candidatures/${confirmed}?message=saved&message=saved`,
    ]);
    await expect(coordinator, 404, [`/personnel/sessions/${NUL}`, `/personnel/sessions/a${NUL}/selection`, `/personnel/sessions/${BIG}`, '/personnel/sessions/constructor']);
  });

  it('development mailbox: an email id is a number', async () => {
    await expect(learner, 404, [`/dev/courriels/${NUL}`, '/dev/courriels/1e3', `/dev/courriels/${BIG}`, '/dev/courriels/-1']);
  });
});

describe('the composition root wires the modules together', () => {
  it('the catalogue’s and the applications’ questions are answered, and a released place is heard', async () => {
    await import('./app');
    const { placesHeld } = await import('./modules/catalogue/catalogue.service');
    const { selectionViews } = await import('./modules/applications/applications.service');
    const { placesHeld: selectionPlacesHeld, learnerSelectionViews } = { ...(await import('./modules/selection/places')), ...(await import('./modules/selection/learner-view')) };
    assert.equal(placesHeld.ask, selectionPlacesHeld);
    assert.equal(selectionViews.ask, learnerSelectionViews);
  });
});
