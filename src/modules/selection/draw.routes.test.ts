import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { closeOpenPeriod, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import * as apps from '../applications/applications.service';
import { sql } from 'drizzle-orm';
import { resetPolicy, setPolicy } from '../../platform/policies';
import { assignScope } from '../scopes';
import { commitmentOf, drawReference, verifyDraw } from './draw.rules';
import { decideSession } from './selection.service';

describe('public selection page', () => {
  let t: TestApp;
  const page = '/sessions/PUB/selection';
  const applicationIds: string[] = [];
  const learnerEmails: string[] = [];
  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [{ code: 'PUB', weekday: 4, startsAt: '18:30', endsAt: '20:30' }]);
    await setCapacity(t.db, 'PUB', 2);
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    for (let i = 0; i < 3; i++) {
      const learner = await buildLearner(t.db, t.clock, { record: { lastName: `Publicnom${i}`, firstName: 'Prenomtest' } });
      const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'PUB' });
      assert.ok(pre.ok);
      await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
      await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId });
      applicationIds.push(pre.applicationId);
      learnerEmails.push(learner.email);
    }
  });
  after(() => t.close());

  const noNames = (body: string) => {
    assert.doesNotMatch(body, /Publicnom|PUBLICNOM|Prenomtest/i, 'no name');
    for (const email of learnerEmails) assert.ok(!body.includes(email), 'no email');
    for (const id of applicationIds) assert.ok(!body.includes(id), 'no application id');
  };

  it('SEL-2 before selection: anyone sees the commitment, when it was made, and the points from the policies; never the seed', async () => {
    const visitor = new Client(t.app);
    const html = await visitor.get(page);
    assert.equal(html.statusCode, 200);
    assert.match(html.body, /Engagement \(empreinte SHA-256 de la graine\), publié le/);
    assert.match(html.body, /<code class="breakable" id="commitment">[0-9a-f]{64}<\/code>/);
    assert.match(html.body, /Demandeur ou demandeuse d’emploi : \d+ point/);
    assert.match(html.body, /La graine reste secrète jusqu’à la sélection/);
    assert.match(html.body, /La sélection n’a pas encore eu lieu/);
    assert.doesNotMatch(html.body, /id="seed"/);
    const json = await visitor.get(`${page}.json`);
    assert.equal(json.statusCode, 200);
    const data = JSON.parse(json.body);
    assert.equal(data.draw.seed, null);
    assert.deepEqual(data.draw.order, []);
    assert.equal(data.figures, null);
    assert.equal(typeof data.points.situation.job_seeker, 'number');
    noNames(html.body);
    noNames(json.body);
  });

  it('SEL-2 SEL-12 after selection: the seed, the order as references (each learner sees theirs), the anonymised figures; the JSON checks out', async () => {
    const visitor = new Client(t.app);
    const commitment = JSON.parse((await visitor.get(`${page}.json`)).body).draw.commitment;
    await closeOpenPeriod(t.db, t.clock);
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    assert.ok((await decideSession({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' }, { staff: { id: coordinator.userId, role: 'coordinator' }, sessionCode: 'PUB' })).ok);

    const data = JSON.parse((await visitor.get(`${page}.json`)).body);
    assert.equal(commitmentOf(data.draw.seed), commitment, 'the seed revealed matches the commitment published before');
    const check = verifyDraw({ seed: data.draw.seed, commitment, references: data.draw.order });
    assert.ok(check.ok);
    assert.deepEqual(check.order, data.draw.order);
    assert.deepEqual([...data.draw.order].sort(), applicationIds.map(drawReference).sort());
    assert.deepEqual(data.figures, { applications: 3, places: 2, accepted: 2, waiting: 1, refused: 0, lastRankAdmitted: 2, offeredFromWaitingList: 0 });

    const html = (await visitor.get(page)).body;
    assert.match(html, new RegExp(`<code id="seed">${data.draw.seed}</code>`));
    for (const reference of data.draw.order) assert.ok(html.includes(`<code>${reference}</code>`));
    assert.match(html, /Rang du dernier admis à la sélection<\/dt><dd>2<\/dd>/);
    noNames(html);
    noNames(JSON.stringify(data));

    // The learner sees their own reference on their application, with the page's link.
    const learner = new Client(t.app);
    await learner.login(learnerEmails[0]);
    const mine = (await learner.get('/candidatures')).body;
    assert.ok(mine.includes(drawReference(applicationIds[0])), 'their reference');
    assert.ok(mine.includes('href="/sessions/PUB/selection"'));
  });

  it('SEL-2 the course sheet links each session to its public selection page', async () => {
    const sheet = await new Client(t.app).get('/formations/C-PUB');
    assert.equal(sheet.statusCode, 200);
    assert.ok(sheet.body.includes('href="/sessions/PUB/selection"'));
  });

  it('SEL-2 SEL-12 after selection the page shows the points the decision counted, not settings changed since', async () => {
    await setPolicy(t.db, 'pointsJobSeeker', 7);
    try {
      const visitor = new Client(t.app);
      const data = JSON.parse((await visitor.get(`${page}.json`)).body);
      assert.equal(data.points.situation.job_seeker, 2, 'the value the ranking used');
      const html = (await visitor.get(page)).body;
      assert.match(html, /Voici les points comptés lors de la sélection de cette session/);
      assert.match(html, /Demandeur ou demandeuse d’emploi : 2 point/);
    } finally {
      await resetPolicy(t.db, 'pointsJobSeeker');
    }
  });

  it('SEL-2 a session decided before draws were published says plainly that its order and points were not published (no empty order)', async () => {
    // As 0023 left such a session: its seed revealed at its first decision, no references, no points kept.
    await t.db.execute(sql`update selection_draws set drawn_references = '{}', points = null where session_id = (select id from course_sessions where code = 'PUB')`);
    const visitor = new Client(t.app);
    const html = (await visitor.get(page)).body;
    assert.match(html, /L’ordre du tirage n’a pas été publié pour cette session/);
    assert.doesNotMatch(html, /Aucune candidature n’a été départagée/);
    assert.match(html, /ils ne sont pas publiés pour elle/);
    const data = JSON.parse((await visitor.get(`${page}.json`)).body);
    assert.equal(data.draw.orderUnpublished, true);
    assert.equal(data.points, null);
  });

  it('an unknown code, an odd code or a NUL byte: the 404 page, never a 500', async () => {
    const visitor = new Client(t.app);
    for (const path of ['/sessions/NOPE/selection', '/sessions/NOPE/selection.json', '/sessions/%00/selection', '/sessions/a%00b/selection.json', '/sessions/%3Cscript%3E/selection', `/sessions/${'X'.repeat(300)}/selection`])
      assert.equal((await visitor.get(path)).statusCode, 404, path);
  });
});

describe('public selection page: limits', () => {
  it('the page is limited per address like the other public lookups (429 past the limit)', async () => {
    const t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z'), policies: { documentLookupsPerIpPer10Min: 2 } });
    try {
      await buildCatalogue(t.db, t.clock, [{ code: 'LIM', weekday: 4, startsAt: '18:30', endsAt: '20:30' }]);
      const visitor = new Client(t.app);
      assert.equal((await visitor.get('/sessions/LIM/selection')).statusCode, 200);
      assert.equal((await visitor.get('/sessions/LIM/selection')).statusCode, 200);
      assert.equal((await visitor.get('/sessions/LIM/selection')).statusCode, 429);
    } finally {
      await t.close();
    }
  });
});
