import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_SECRET } from '../test/app';
import { samples } from '../test/multipart';
import { DEMO_LEARNER, DEMO_PASSWORD, demoStaff, seedEverything } from '../src/demo/seed';
import { expectAccessible, logIn, startJourney } from './browser';

describe('exams journey (issue 18, CRED-3, the credits demo)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney({ config: async () => ({ CURSUS_PROFILE: 'credits' }) });
    await seedEverything(journey.t.db, journey.t.clock, { baseUrl: journey.baseUrl, secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' });
  });
  after(() => journey.close());

  it('CRED-3 the demo learner asks to sit an exam at another centre with a proof; a coordinator approves; the learner sits it there, with axe on each page', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: DEMO_LEARNER, password: DEMO_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Mes examens : sessions, résultats et demandes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes examens' }).waitFor();
    // Last year's results, published.
    assert.match(await page.locator('section', { has: page.getByRole('heading', { name: /NFA031/ }) }).first().innerText(), /Reçu\(e\) : 14,5\/20/);
    await expectAccessible(page, 'my exams');

    const rsx = page.locator('section', { has: page.getByRole('heading', { name: /RSX101/ }) });
    await rsx.getByRole('link', { name: 'Demander à passer l’examen dans un autre centre' }).click();
    await page.getByRole('heading', { level: 1, name: 'Passer l’examen dans un autre centre' }).waitFor();
    await expectAccessible(page, 'the request form');
    // Sent without its proof: the error next to the field.
    await page.getByLabel('Déménagement en cours d’année').check();
    await page.getByLabel('Centre d’examen souhaité').selectOption({ label: 'Centre de Lyon – cours du soir' });
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.locator('#file-error').getByText('Joignez un justificatif (PDF, JPEG ou PNG).').waitFor();
    await expectAccessible(page, 'the request form with an error');
    await page.getByLabel('Déménagement en cours d’année').check();
    await page.getByLabel('Centre d’examen souhaité').selectOption({ label: 'Centre de Lyon – cours du soir' });
    await page.getByLabel('Justificatif').setInputFiles({ name: 'bail-lyon.pdf', mimeType: 'application/pdf', buffer: samples.pdf });
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByText('Votre demande est envoyée : vous serez prévenu(e) de la décision.').waitFor();
    assert.match(await rsx.innerText(), /Passer l’examen dans un autre centre : en attente de la décision/);
    await expectAccessible(page, 'my exams, a request sent');

    const coordinator = demoStaff.find((s) => s.role === 'coordinator')!;
    const staff = await (await journey.browser.newContext()).newPage();
    await logIn(staff, journey, { email: coordinator.email, password: DEMO_PASSWORD, totpSecret: coordinator.totpSecret });
    await staff.goto(`${journey.baseUrl}/personnel/examens`);
    await staff.getByRole('heading', { level: 1, name: 'Examens' }).waitFor();
    await expectAccessible(staff, 'the exam sessions');
    await staff.getByRole('link', { name: /^NFA031/ }).first().click();
    await staff.getByRole('heading', { level: 1, name: /NFA031/ }).waitFor();
    await expectAccessible(staff, 'an exam session’s marks');
    await staff.goto(`${journey.baseUrl}/personnel/examens`);
    await staff.getByRole('link', { name: 'Demandes des apprenants (autre centre, aménagement d’épreuve)' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Demandes des apprenants pour les examens' }).waitFor();
    await expectAccessible(staff, 'the requests');
    await staff.getByRole('row', { name: /Passer l’examen dans un autre centre/ }).getByRole('link').click();
    await staff.getByRole('heading', { level: 1, name: /^Demande de/ }).waitFor();
    assert.match(await staff.locator('dl').innerText(), /Déménagement en cours d’année[\s\S]*Centre de Lyon/);
    await expectAccessible(staff, 'a request');
    await staff.getByLabel('Accepter').check();
    await staff.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await staff.getByText('La décision est enregistrée : l’apprenant est prévenu.').waitFor();
    await expectAccessible(staff, 'the requests, one decided');

    await page.goto(`${journey.baseUrl}/compte/examens`);
    const after = await page.locator('section', { has: page.getByRole('heading', { name: /RSX101/ }) }).innerText();
    assert.match(after, /Centre de Lyon/);
    assert.match(after, /Passer l’examen dans un autre centre : acceptée/);
    await page.close();
    await staff.close();
  });
});
