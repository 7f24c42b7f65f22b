import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { courseEquivalences } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';

describe('equivalent courses: the form (SEL-7)', () => {
  let t: TestApp;
  let admin: Client;
  let coordinator: Client;
  const page = '/personnel/admin/catalogue/equivalences';
  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    await buildCatalogue(t.db, t.clock, [
      { code: 'F1', course: 'FA', weekday: 1, startsAt: '10:00', endsAt: '12:00' },
      { code: 'F2', course: 'FB', weekday: 2, startsAt: '10:00', endsAt: '12:00' },
      { code: 'F3', course: 'FC', weekday: 3, startsAt: '10:00', endsAt: '12:00' },
    ]);
    const a = await buildStaff(t.db, t.clock, 'admin');
    admin = new Client(t.app);
    await admin.loginStaff(a.email, a.totpSecret, t.clock);
    const c = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: c.userId, sessions: ['F1', 'F2'] });
    coordinator = new Client(t.app);
    await coordinator.loginStaff(c.email, c.totpSecret, t.clock);
  });
  after(() => t.close());

  it('SEL-7 an administrator declares a pair; the course sheets then link each other', async () => {
    const done = await admin.submit(page, page, { course: 'FA', equivalent_course: 'FB' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${page}?message=declared`);
    const list = await admin.get(`${page}?message=declared`);
    assert.match(list.body, /Équivalence enregistrée/);
    assert.match(list.body, /Cours FA \(FA\) ⇄ Cours FB \(FB\)/);
    const sheet = await admin.get('/formations/FB');
    assert.match(sheet.body, /Cours équivalents/);
    assert.match(sheet.body, /href="\/formations\/FA"/);
  });

  it('SEL-7 a bad pair is refused with 400 next to its field, what was typed kept; odd input is never a 500', async () => {
    const twice = await admin.submit(page, page, { course: 'FB', equivalent_course: 'FA' });
    assert.equal(twice.statusCode, 400);
    assert.match(twice.body, /déjà déclarés équivalents/);
    assert.match(twice.body, /value="FB"/);
    const self = await admin.submit(page, page, { course: 'FC', equivalent_course: 'FC' });
    assert.equal(self.statusCode, 400);
    assert.match(self.body, /ne peut pas être équivalent à lui-même/);
    const odd = await admin.submit(page, page, { course: 'F\u0000A', equivalent_course: 'x'.repeat(5000) });
    assert.equal(odd.statusCode, 400);
    assert.equal((await t.db.select().from(courseEquivalences)).length, 1);
  });

  it('SEL-7 a coordinator declares pairs within their scope only; other staff and learners are refused', async () => {
    const outside = await coordinator.submit(page, page, { course: 'FA', equivalent_course: 'FC' });
    assert.equal(outside.statusCode, 400);
    assert.match(outside.body, /pas dans votre périmètre/);
    const trainer = await buildStaff(t.db, t.clock, 'trainer');
    const other = new Client(t.app);
    await other.loginStaff(trainer.email, trainer.totpSecret, t.clock);
    assert.equal((await other.get(page)).statusCode, 403);
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    assert.equal((await browser.get(page)).statusCode, 403);
    // Their page lists FA–FB (both theirs), and they may remove it.
    const [pair] = await t.db.select().from(courseEquivalences);
    const removed = await coordinator.submit(page, `${page}/${pair.id}/retrait`, {});
    assert.equal(removed.statusCode, 303);
    assert.equal((await t.db.select().from(courseEquivalences)).length, 0);
  });
});
