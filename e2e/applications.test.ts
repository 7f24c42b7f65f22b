import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLearner, GOOD_PASSWORD } from '../test/app';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { expectAccessible, startJourney } from './browser';

describe('application journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    await seedCatalogue(journey.t.db, journey.t.clock);
  });
  after(() => journey.close());

  it('APP-1 APP-4 APP-6 APP-8 APP-9 search → sheet → save → log in → confirm step by step → processing → cancel, with axe', async () => {
    const learner = await buildLearner(journey.t.db, journey.t.clock);
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/recherche?q=anglais&ouvertes=1`);
    await page.locator('.result h3 a').first().click();
    const title = await page.locator('h1').innerText();
    await expectAccessible(page, 'course sheet, visitor');

    // Not logged in: the sheet leads to the login page and back.
    await page.getByRole('link', { name: 'Connectez-vous pour sauvegarder cette session dans vos candidatures' }).first().click();
    await page.getByLabel('Adresse électronique').fill(learner.email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    await expectAccessible(page, 'course sheet, learner');

    await page.getByRole('button', { name: /Sauvegarder dans mes candidatures/ }).first().click();
    await page.getByText('La session est dans vos formations présélectionnées').waitFor();
    await expectAccessible(page, 'my applications with a preselection');
    await page.getByRole('link', { name: 'Confirmer ma candidature' }).click();

    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByText('Choisissez une des options proposées.').first().waitFor();
    await expectAccessible(page, 'step 1 with an error');
    await page.getByLabel('Salarié·e').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel('Pour mon évolution professionnelle').check();
    await expectAccessible(page, 'step 2');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel('Vos motivations').fill('Parler anglais avec les clients de mon entreprise.');
    await expectAccessible(page, 'step 3');
    await page.getByRole('button', { name: 'Continuer' }).click();

    await page.getByRole('heading', { name: 'Vérifiez vos réponses' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Parler anglais avec les clients/);
    await expectAccessible(page, 'check your answers');
    await page.getByLabel('J’accepte le règlement de l’établissement').check();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Votre candidature est envoyée.').waitFor();
    const processing = page.locator('section', { has: page.getByRole('heading', { name: 'Candidatures en cours de traitement' }) });
    assert.match(await processing.innerText(), new RegExp(title.replace(/[–()]/g, '.')));
    await expectAccessible(page, 'my applications, processing');

    // The confirmation email, in the development mailbox.
    await page.goto(`${journey.baseUrl}/dev/courriels`);
    await page.getByRole('link', { name: `Votre candidature est enregistrée : ${title}` }).click();
    assert.match(await page.locator('main').innerText(), /l’ordre d’arrivée ne compte pas/);

    await page.goto(`${journey.baseUrl}/candidatures`);
    await page.getByRole('link', { name: 'Annuler ma candidature' }).click();
    await expectAccessible(page, 'cancel confirmation');
    await page.getByRole('button', { name: 'Oui, annuler ma candidature' }).click();
    await page.getByText('Votre candidature est annulée.').waitFor();
    const closed = page.locator('section', { has: page.getByRole('heading', { name: 'Candidatures clôturées' }) });
    assert.match(await closed.innerText(), /Annulée/);
    await page.close();
  });
});
