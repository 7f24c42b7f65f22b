import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_SECRET } from '../test/app';
import { DEMO_LEARNER, DEMO_PASSWORD, seedEverything } from '../src/demo/seed';
import { expectAccessible, logIn, startJourney } from './browser';

describe('credits journey (issue 18, the credits demo)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney({ config: async () => ({ CURSUS_PROFILE: 'credits' }) });
    await seedEverything(journey.t.db, journey.t.clock, { baseUrl: journey.baseUrl, secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' });
  });
  after(() => journey.close());

  it('CRED-1 a learner of the credits demo sees their progress toward the certificate they follow, reads a unit’s sheet and follows a diploma, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(journey.baseUrl);
    await page.getByRole('heading', { level: 2, name: 'Unités d’enseignement et crédits ECTS' }).waitFor();
    await expectAccessible(page, 'the credits home page');

    await logIn(page, journey, { email: DEMO_LEARNER, password: DEMO_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Mes cursus : mes crédits ECTS et ce qui me reste à valider' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes cursus' }).waitFor();
    const certificate = page.locator('section', { has: page.getByRole('heading', { name: /Certificat de compétence Programmeur d’applications/ }) });
    const text = await certificate.innerText();
    assert.match(text, /18 crédits ECTS sur 30/);
    assert.match(text, /Unités obligatoires à valider\s+NFA032/);
    assert.match(text, /Encore 1 unité\(s\) à choisir parmi/);
    assert.match(text, /NFE107 – Urbanisation/, 'the unit earned counts');
    await expectAccessible(page, 'my programmes');

    await certificate.getByRole('link', { name: /NFA032/ }).first().click();
    await page.getByText('6 crédits ECTS, acquis à vie une fois l’unité validée').waitFor();
    await expectAccessible(page, 'a unit’s sheet');

    await page.goto(`${journey.baseUrl}/compte/cursus`);
    const diploma = page.locator('li', { has: page.getByRole('heading', { name: /Licence professionnelle/ }) });
    await diploma.getByRole('button', { name: 'Suivre ce cursus' }).click();
    await page.getByText('Vous suivez maintenant « Licence professionnelle Métiers de l’informatique ».').waitFor();
    const followed = page.locator('section', { has: page.getByRole('heading', { name: /Licence professionnelle/ }) });
    assert.match(await followed.innerText(), /18 crédits ECTS sur 60/);
    await expectAccessible(page, 'my programmes, a diploma followed');
    await page.close();
  });
});
