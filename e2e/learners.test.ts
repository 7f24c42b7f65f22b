import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GOOD_PASSWORD, buildLearner, buildStaff, emailsTo } from '../test/app';
import { confirmedApplicants } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import { getLearnerProfile } from '../src/modules/accounts';
import { assignScope } from '../src/modules/scopes';
import { expectAccessible, logIn, startJourney } from './browser';

describe('learner search journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    await buildCatalogue(journey.t.db, journey.t.clock, [{ code: 'NOMX', weekday: 3, startsAt: '18:30', endsAt: '20:30' }]);
  });
  after(() => journey.close());

  it('ACC-8 a coordinator finds a learner, sees a bad date explained next to its field, and applies the name change asked for, with axe', async () => {
    const { db, clock } = journey.t;
    const deps = { db, clock, baseUrl: journey.baseUrl };
    const [applicant] = await confirmedApplicants(deps, 'NOMX', 1);
    const learner = await getLearnerProfile(db, applicant.learnerId);
    const learnerPage = await (await journey.browser.newContext()).newPage();
    await logIn(learnerPage, journey, { email: applicant.email, password: GOOD_PASSWORD });
    await learnerPage.goto(`${journey.baseUrl}/compte`);
    await learnerPage.getByLabel('Nom', { exact: true }).fill('Garnier');
    await learnerPage.getByLabel('Prénom', { exact: true }).fill(learner!.firstName);
    await learnerPage.getByLabel('Raison de la demande').fill('Mariage');
    await learnerPage.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await learnerPage.getByText('Votre demande de correction est enregistrée').waitFor();
    await learnerPage.close();
    await buildLearner(db, clock); // someone out of the coordinator's scope

    const coordinator = await buildStaff(db, clock, 'coordinator');
    await assignScope(db, { userId: coordinator.userId, sessions: ['NOMX'] });
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: coordinator.email, password: GOOD_PASSWORD, totpSecret: coordinator.totpSecret });
    await page.getByRole('link', { name: /Rechercher un apprenant/ }).click();
    await page.getByRole('heading', { name: 'Demandes de changement de nom en attente (1)' }).waitFor();
    await expectAccessible(page, 'learner search');
    await page.getByLabel('Date de naissance').fill('31/02/1990');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByText('Saisissez une date valide, par exemple 14/07/1985.').first().waitFor();
    assert.equal(await page.getByLabel('Date de naissance').inputValue(), '31/02/1990');
    await expectAccessible(page, 'learner search with an error');
    await page.getByLabel('Date de naissance').fill('');
    await page.getByLabel('Nom, prénom ou adresse électronique').fill(learner!.lastName.toLowerCase());
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('heading', { name: 'Résultats (1)' }).waitFor();
    await expectAccessible(page, 'learner search results');
    await page.getByRole('link', { name: `${learner!.lastName.toUpperCase()} ${learner!.firstName}` }).first().click();
    await page.getByRole('heading', { name: 'Demande de changement de nom' }).waitFor();
    await expectAccessible(page, 'learner page');
    await page.getByRole('button', { name: 'Appliquer le changement' }).click();
    await page.getByText('Le changement de nom est appliqué').waitFor();
    await page.getByRole('heading', { name: `GARNIER ${learner!.firstName}` }).waitFor();
    await expectAccessible(page, 'learner page after the change');
    assert.equal((await getLearnerProfile(db, applicant.learnerId))!.lastName, 'Garnier');
    assert.match((await emailsTo(db, applicant.email))[0].subject, /Votre nom a été corrigé/);
    await page.close();
  });
});
