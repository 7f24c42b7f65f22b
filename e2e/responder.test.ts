import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLearner, buildStaff, GOOD_PASSWORD } from '../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import { workJobs } from '../src/platform/jobs';
import * as apps from '../src/modules/applications/applications.service';
import { waitingListJobs } from '../src/modules/selection';
import { decideSession } from '../src/modules/selection/selection.service';
import { expectAccessible, logIn, startJourney } from './browser';

describe('SEL-13 the preference responder, in the browser', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let learner: { id: string; email: string };
  let holder: { learnerId: string; applicationId: string };
  let deps: apps.ApplicationDeps;

  before(async () => {
    journey = await startJourney();
    const { db, clock } = journey.t;
    deps = { db, clock, baseUrl: journey.baseUrl };
    await buildCatalogue(db, clock, [
      { code: 'XA', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'XB', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
    ]);
    await setCapacity(db, 'XA', 1);
    [holder] = await confirmedApplicants({ ...deps, clock }, 'XA', 1, () => 'welfare_recipient');
    learner = await buildLearner(db, clock);
    for (const code of ['XA', 'XB']) {
      const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: code });
      assert.ok(pre.ok);
      await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
      assert.ok((await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId })).ok);
    }
    await closeOpenPeriod(db, clock);
    const admin = await buildStaff(db, clock, 'admin');
    for (const code of ['XA', 'XB']) assert.ok((await decideSession(deps, { staff: { id: admin.userId, role: 'admin' }, sessionCode: code })).ok);
  });
  after(() => journey.close());

  it('SEL-13 a learner orders preferences and sees the responder accept a better place, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: learner.email, password: GOOD_PASSWORD });
    await page.goto(`${journey.baseUrl}/candidatures`);
    await page.getByRole('link', { name: 'Mes préférences et le répondeur automatique' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes préférences et le répondeur automatique' }).waitFor();
    // XA (waiting, the one wanted most) first; XB (accepted) second; the responder on.
    await page.getByLabel('Rang de « Cours C-XA »').selectOption({ label: 'n° 1' });
    await page.getByLabel('Rang de « Cours C-XB »').selectOption({ label: 'n° 2' });
    await page.getByLabel(/Activer le répondeur automatique/).check();
    await expectAccessible(page, 'the preference page');
    await page.getByRole('button', { name: 'Enregistrer mes préférences' }).click();
    await page.getByText('Le répondeur automatique est activé').waitFor();
    // The buttons say which application they move, for a screen reader.
    assert.equal(await page.getByRole('button', { name: 'Descendre « Cours C-XA »' }).count(), 1);
    await expectAccessible(page, 'the preference page, saved');

    // XA's holder gives up: the refill offers the place, the responder accepts it and gives up XB.
    assert.ok((await apps.cancelApplication(deps, { learnerId: holder.learnerId, applicationId: holder.applicationId })).ok);
    for (let ran; (ran = await workJobs({ db: journey.t.db, clock: journey.t.clock, handlers: waitingListJobs(deps) })) > 0; );

    await page.goto(`${journey.baseUrl}/candidatures`);
    const xa = page.locator('li.application', { hasText: 'Cours C-XA' });
    const xb = page.locator('li.application', { hasText: 'Cours C-XB' });
    assert.match(await xa.innerText(), /Acceptée/);
    assert.match(await xb.innerText(), /Désistement|Abandon|withdrawn/i);
    await xa.getByText('Historique').click();
    assert.match(await xa.innerText(), /acceptée par votre répondeur automatique/);
    await xb.getByText('Historique').click();
    assert.match(await xb.innerText(), /abandonnée par votre répondeur automatique : vous avez une place dans une candidature que vous préférez/);
    await expectAccessible(page, 'the applications page after the responder');
    await page.close();
  });
});
