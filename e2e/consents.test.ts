import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { GOOD_PASSWORD, buildLearner } from '../test/app';
import { consents } from '../src/modules/accounts/consents.table';
import { expectAccessible, startJourney } from './browser';

describe('consents journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
  });
  after(() => journey.close());

  it('ACC-1 ACC-11 new terms asked at sign-in, then the consents and the sign-ins in the account, with axe', async () => {
    const { t } = journey;
    const learner = await buildLearner(t.db, t.clock);
    await t.db.update(consents).set({ version: '1' }).where(eq(consents.userId, learner.id)); // accepted before the current version
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/connexion`);
    await page.getByLabel('Adresse électronique').fill(learner.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();

    // ACC-1: the new version before anything else.
    await page.getByRole('heading', { name: 'Les conditions générales d’utilisation ont changé' }).waitFor();
    await expectAccessible(page, 'new terms');
    assert.ok(await page.getByRole('link', { name: 'Fermer mon compte' }).isVisible(), 'whoever refuses can close the account');
    await page.getByRole('button', { name: 'J’accepte ces conditions' }).click();
    await page.getByRole('heading', { name: 'Mon compte' }).waitFor();

    // ACC-11: the consents, the news opt-in given then withdrawn.
    await page.getByRole('link', { name: 'Mes consentements' }).click();
    await page.getByRole('heading', { name: 'Mes consentements', level: 1 }).waitFor();
    await expectAccessible(page, 'consents');
    await page.getByRole('button', { name: 'Recevoir les informations sur les cours' }).click();
    await page.getByText('C’est noté : vous recevrez les informations sur les cours.').waitFor();
    await page.getByRole('button', { name: 'Ne plus recevoir les informations' }).click();
    await page.getByText('C’est noté : vous ne recevrez plus d’informations sur les cours.').waitFor();
    await expectAccessible(page, 'consents after a withdrawal');

    // ACC-11: my sign-ins.
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Mes connexions' }).click();
    await page.getByRole('heading', { name: 'Mes connexions' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Mot de passe/);
    await expectAccessible(page, 'sign-ins');
    await page.close();
  });
});
