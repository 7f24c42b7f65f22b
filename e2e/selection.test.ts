import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_LEARNER, DEMO_PASSWORD, demoStaff, seedEverything } from '../src/db/seed';
import { demoCandidateEmail } from '../src/modules/selection/selection.seed';
import { expectAccessible, logIn, startJourney, tabTo } from './browser';

describe('selection journey, on the demo data', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let sessions: string;
  before(async () => {
    journey = await startJourney();
    const said = await seedEverything(journey.t.db, journey.t.clock, { baseUrl: journey.baseUrl });
    sessions = said.join(' ');
  });
  after(() => journey.close());

  it('SEL-1 SEL-2 SEL-3 SEL-6 a coordinator runs the demo session’s selection; a candidate sees the outcome, with axe', async () => {
    const selection = /session (S\d{6}) awaits its selection/.exec(sessions)![1];
    const coordinator = demoStaff.find((s) => s.role === 'coordinator')!;
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: coordinator.email, password: DEMO_PASSWORD, totpSecret: coordinator.totpSecret });
    await page.goto(`${journey.baseUrl}/personnel?show=processing`);
    await expectAccessible(page, 'staff home, filtered');
    await page.getByRole('row', { name: new RegExp(selection) }).getByRole('link', { name: 'Sélection' }).click();
    await page.getByRole('heading', { level: 1, name: /^Sélection : / }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /15 places, dont 0 déjà prises ; 30 candidatures à départager/);
    assert.match(main, /npm run cli -- draw --seed [0-9a-f]{32}/);
    await expectAccessible(page, 'selection proposal');
    await tabTo(page, 'Enregistrer la décision', 'button', 200);
    await page.keyboard.press('Enter');
    await page.getByText('Décision enregistrée : 15 acceptée(s), 15 en liste d’attente.').waitFor();
    await expectAccessible(page, 'selection decided');
    await page.goto(`${journey.baseUrl}/personnel/sessions/${selection}`);
    await expectAccessible(page, 'session applications');
    await page.locator('main table a').first().click();
    await page.getByRole('heading', { level: 1, name: /^Candidature de / }).waitFor();
    await expectAccessible(page, 'applicant sheet');

    const learner = await (await journey.browser.newContext()).newPage();
    await logIn(learner, journey, { email: demoCandidateEmail(1), password: DEMO_PASSWORD });
    await learner.goto(`${journey.baseUrl}/candidatures`);
    assert.match(await learner.locator('main').innerText(), /Acceptée : en attente de paiement|Sur liste d’attente[\s\S]*Votre rang sur la liste d’attente : \d+/);
    await expectAccessible(learner, 'my applications after the selection');
    await page.close();
    await learner.close();
  });

  it('SEL-8 the demo learner accepts the place offered from the waiting list, by keyboard, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: DEMO_LEARNER, password: DEMO_PASSWORD });
    await page.goto(`${journey.baseUrl}/candidatures`);
    await page.getByRole('heading', { name: 'Une place vous est proposée' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Répondez avant le/);
    await expectAccessible(page, 'my applications with an offer');
    await tabTo(page, 'Accepter la place', 'button');
    await page.keyboard.press('Enter');
    await page.getByText('Place acceptée : votre inscription est en attente de paiement.').waitFor();
    const section = await page.getByRole('region', { name: 'En attente de paiement' }).innerText();
    assert.match(section, /Acceptée : en attente de paiement/);
    assert.equal(await page.getByRole('heading', { name: 'Une place vous est proposée' }).count(), 0);
    await expectAccessible(page, 'my applications, offer accepted');
    await page.close();
  });
});
