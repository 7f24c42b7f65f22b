import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import * as apps from './applications.service';
import { applicationEvents, applications } from './applications.table';
import type { AssistingActor } from './lifecycle';

/**
 * SVC-5: an application a help desk's counsellor makes with the learner present: the counsellor
 * and the consent on every change they make, the application marked assisted, and both the
 * learner's and the staff's pages saying so.
 */
describe('assisted applications (SVC-5)', () => {
  let t: TestApp;
  let deps: apps.ApplicationDeps;
  let counsellor: AssistingActor;
  const answers = { situation: 'job_seeker', objective: 'professional', motivations: 'Trouver un emploi.' } as const;
  const eventsOf = (id: string) => t.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, id)).orderBy(asc(applicationEvents.id));
  const rowOf = async (id: string) => (await t.db.select().from(applications).where(eq(applications.id, id)))[0];

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [
      { code: 'A1', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'A2', weekday: 2, startsAt: '09:00', endsAt: '11:00' },
      { code: 'A3', weekday: 3, startsAt: '09:00', endsAt: '11:00' },
      { code: 'OLD', weekday: 4, startsAt: '09:00', endsAt: '11:00', period: 'closed' },
    ]);
    const desk = await buildStaff(t.db, t.clock, 'counsellor');
    counsellor = { id: desk.userId, role: 'counsellor', consent: true };
  });
  after(() => t.close());

  it('SVC-5 every change a counsellor makes records the counsellor and the consent given in person, answers included', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'A1', actor: counsellor });
    assert.ok(pre.ok);
    assert.deepEqual(await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers, actor: counsellor }), { ok: true });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId, actor: counsellor }), { ok: true });
    const events = await eventsOf(pre.applicationId);
    assert.deepEqual(
      events.map((e) => [e.fromStatus, e.toStatus, e.reason, e.actorId, e.details]),
      [
        [null, 'preselected', null, counsellor.id, { assisted: true, consent: 'in_person' }],
        ['preselected', 'preselected', 'answers', counsellor.id, { assisted: true, consent: 'in_person' }],
        ['preselected', 'confirmed', null, counsellor.id, { assisted: true, consent: 'in_person' }],
      ],
    );
    const row = await rowOf(pre.applicationId);
    assert.equal(row.assistedBy, counsellor.id);
    assert.equal(row.status, 'confirmed');
  });

  it('SVC-5 the learner’s own changes record the learner and no consent; what the learner began and a counsellor confirmed is assisted', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'A2' });
    assert.ok(pre.ok);
    assert.deepEqual(await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers }), { ok: true });
    assert.equal((await rowOf(pre.applicationId)).assistedBy, null, 'made alone: not assisted');
    assert.deepEqual((await eventsOf(pre.applicationId)).map((e) => [e.actorId, e.details]), [[learner.id, null]], 'the learner’s answers are not an event (as before)');
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId, actor: counsellor }), { ok: true });
    assert.equal((await rowOf(pre.applicationId)).assistedBy, counsellor.id);
    assert.deepEqual((await eventsOf(pre.applicationId)).map((e) => e.details), [null, { assisted: true, consent: 'in_person' }]);
  });

  it('SVC-5 a counsellor acts in the learner’s windows and on the learner’s own applications only', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const other = await buildLearner(t.db, t.clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'A3', actor: counsellor });
    assert.ok(pre.ok);
    assert.equal((await apps.saveAnswers(deps, { learnerId: other.id, applicationId: pre.applicationId, answers, actor: counsellor })).ok, false, 'not the other learner’s');
    assert.equal((await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: 'not-a-uuid', answers, actor: counsellor })).ok, false);
    assert.equal((await eventsOf(pre.applicationId)).length, 1, 'nothing recorded');
    assert.deepEqual(await apps.deletePreselection(deps, { learnerId: learner.id, applicationId: pre.applicationId, actor: counsellor }), { ok: true });
    assert.equal(await rowOf(pre.applicationId), undefined);
    const closed = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'OLD', actor: counsellor });
    assert.deepEqual(closed, { ok: false, code: 'closed_window', message: 'app.refused.closed' }, 'APP-7: the same window as the learner’s');
  });

  it('SVC-5 the learner’s page and the staff’s sheet say the application was made with a counsellor at the help desk', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'A2', actor: counsellor });
    assert.ok(pre.ok);
    await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers, actor: counsellor });
    assert.ok((await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId, actor: counsellor })).ok);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    const page = (await browser.get('/candidatures')).body;
    assert.match(page, /Inscription faite avec un conseiller de l’accueil, en votre présence et avec votre accord/);
    assert.match(page, / \(avec un conseiller de l’accueil, en votre présence et avec votre accord\)<\/li>/, 'the history says it of each change');
    const admin = await buildStaff(t.db, t.clock, 'admin');
    const staff = new Client(t.app);
    await staff.loginStaff(admin.email, admin.totpSecret, t.clock);
    const sheet = await staff.get(`/personnel/candidatures/${pre.applicationId}`);
    assert.equal(sheet.statusCode, 200);
    assert.match(sheet.body, /Inscription accompagnée/);
    assert.match(sheet.body, /Faite avec un conseiller de l’accueil \(Test counsellor\), la personne présente et d’accord/);
    assert.match(sheet.body, /par un conseiller de l’accueil, la personne présente et d’accord/);
  });
});
