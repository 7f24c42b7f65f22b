import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import * as apps from '../applications/applications.service';
import { courseSessions, registrationPeriods } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';

describe('selection screen', () => {
  let t: TestApp;
  const url = '/personnel/sessions/SELR/selection';
  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [{ code: 'SELR', weekday: 4, startsAt: '18:30', endsAt: '20:30' }]);
    await t.db.update(courseSessions).set({ capacity: 2 }).where(eq(courseSessions.code, 'SELR'));
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    for (let i = 0; i < 5; i++) {
      const learner = await buildLearner(t.db, t.clock, { record: { lastName: `Candidat${i}`, firstName: 'Test' } });
      const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'SELR' });
      assert.ok(pre.ok);
      await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
      await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId });
    }
  });
  after(() => t.close());

  const coordinator = async (schools: string[]) => {
    const staff = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: staff.userId, schools });
    const browser = new Client(t.app);
    await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    return browser;
  };

  it('SEL-1 before the window closes, the screen says so and offers no decision', async () => {
    const browser = await coordinator(['E-11-T']);
    const page = await browser.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /la sélection se fait après sa clôture/);
    assert.ok(!page.body.includes(`action="${url}"`));
  });

  it('SEL-2 SEL-3 SEL-6 a coordinator sees the ranked proposal with the published draw, then decides within the capacity', async () => {
    await t.db.update(registrationPeriods).set({ applicationsCloseAt: new Date(t.clock.now().getTime() - 60_000) }).where(eq(registrationPeriods.code, 'open'));
    const browser = await coordinator(['E-11-T']);
    const page = await browser.get(url);
    assert.match(page.body, /5 candidatures à départager/);
    assert.match(page.body, /Tirage engagé le .* \(empreinte [0-9a-f]{64}\)/, 'SEL-2: the commitment, not the seed, before the decision');
    assert.match(page.body, /La graine sera révélée/);
    assert.equal((page.body.match(/<td>Acceptée<\/td>/g) ?? []).length, 2);
    assert.equal((page.body.match(/<td>Liste d’attente<\/td>/g) ?? []).length, 3);
    assert.match(page.body, /CANDIDAT\d Test/);
    const decided = await browser.submit(url, url, {});
    assert.equal(decided.headers.location, `${url}?acceptees=2&attente=3`);
    const after = (await browser.get(decided.headers.location as string)).body;
    assert.match(after, /Décision enregistrée : 2 acceptée\(s\), 3 en liste d’attente/);
    assert.match(after, /Graine révélée le .* : [0-9a-f]{32}\./, 'SEL-2: revealed at the decision');
    const again = await browser.post(url, { _csrf: /name="_csrf" value="([^"]+)"/.exec((await browser.get('/personnel')).body)![1] });
    assert.equal(again.headers.location, `${url}?acceptees=0&attente=0`, 'a second decision changes nothing');
  });

  it('out of scope: 403; school heads and learners: 403; visitors: the login page', async () => {
    assert.equal((await (await coordinator(['E-99-X'].filter(() => false))).get(url)).statusCode, 403);
    const head = await buildStaff(t.db, t.clock, 'school_head');
    const headBrowser = new Client(t.app);
    await headBrowser.loginStaff(head.email, head.totpSecret, t.clock);
    assert.equal((await headBrowser.get(url)).statusCode, 403);
    const learner = await buildLearner(t.db, t.clock);
    const learnerBrowser = new Client(t.app);
    await learnerBrowser.login(learner.email);
    assert.equal((await learnerBrowser.get(url)).statusCode, 403);
    assert.equal((await new Client(t.app).get(url)).statusCode, 303);
    assert.equal((await (await coordinator(['E-11-T'])).get('/personnel/sessions/%3Cscript%3E/selection')).statusCode, 404);
  });
});
