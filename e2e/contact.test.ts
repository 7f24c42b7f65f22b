import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GOOD_PASSWORD, buildStaff, emailsTo } from '../test/app';
import { confirmedApplicants } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import { samples } from '../test/multipart';
import { assignScope } from '../src/modules/scopes';
import { expectAccessible, logIn, startJourney } from './browser';

describe('contact journey (SVC-1)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    await buildCatalogue(journey.t.db, journey.t.clock, [{ code: 'MSG', weekday: 4, startsAt: '18:30', endsAt: '20:30' }]);
  });
  after(() => journey.close());

  it('SVC-1 SVC-7 a learner sends a message with a proof, a coordinator of the central service answers it from the queue, and the learner reads the answer, with axe', async () => {
    const { db, clock } = journey.t;
    const [applicant] = await confirmedApplicants({ db, clock, baseUrl: journey.baseUrl }, 'MSG', 1);

    // The visitor sees the phone line and signs in.
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/contact`);
    await page.getByRole('heading', { level: 1, name: 'Contacter le service' }).waitFor();
    assert.match(await page.locator('main').innerText(), /3975/);
    await expectAccessible(page, 'contact page, signed out');
    await logIn(page, journey, { email: applicant.email, password: GOOD_PASSWORD });

    // From the account page to the form; a forbidden file first: said next to it, the text kept.
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Mes messages au service' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes messages' }).waitFor();
    await page.getByRole('link', { name: 'Écrire un nouveau message' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contacter le service' }).waitFor();
    await expectAccessible(page, 'contact form');
    await page.getByLabel('Un remboursement').check();
    await page.getByLabel('Le cours concerné').selectOption({ label: 'Cours C-MSG (MSG), École test' });
    await page.getByLabel('Votre message', { exact: true }).fill('J’ai été hospitalisée le 3 octobre : puis-je être remboursée ?');
    await page.getByLabel('Un justificatif').setInputFiles({ name: 'bulletin.pdf', mimeType: 'application/pdf', buffer: samples.text });
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.locator('#attachment-error').waitFor();
    assert.equal(await page.getByLabel('Votre message', { exact: true }).inputValue(), 'J’ai été hospitalisée le 3 octobre : puis-je être remboursée ?');
    await expectAccessible(page, 'contact form with an error');
    await page.getByLabel('Un justificatif').setInputFiles({ name: 'bulletin.pdf', mimeType: 'application/pdf', buffer: samples.pdf });
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByText(/Votre message est envoyé\. Sa référence : C-2026-\d{5}/).waitFor();
    const reference = /C-2026-\d{5}/.exec(await page.locator('main').innerText())![0];
    assert.match(await page.locator('main').innerText(), /Le service central des Cours d’Adultes vous répond\./);
    await expectAccessible(page, 'the message sent');

    // A coordinator of the central service answers from the queue.
    const coordinator = await buildStaff(db, clock, 'coordinator');
    await assignScope(db, { userId: coordinator.userId, schools: ['E-11-T'] });
    const staffPage = await (await journey.browser.newContext()).newPage();
    await logIn(staffPage, journey, { email: coordinator.email, password: GOOD_PASSWORD, totpSecret: coordinator.totpSecret });
    await staffPage.getByRole('link', { name: 'Messages des apprenants (formulaire de contact)' }).click();
    await staffPage.getByRole('heading', { level: 1, name: 'Messages des apprenants' }).waitFor();
    await expectAccessible(staffPage, 'staff queue');
    await staffPage.getByRole('link', { name: reference }).click();
    await staffPage.getByRole('heading', { level: 1, name: `Message ${reference}` }).waitFor();
    await expectAccessible(staffPage, 'staff conversation');
    await staffPage.getByLabel('Votre réponse').fill('Oui : faites la demande de remboursement depuis votre paiement, le bulletin joint suffit.');
    await staffPage.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await staffPage.getByText('La réponse est envoyée à l’apprenant.').waitFor();
    await expectAccessible(staffPage, 'staff queue after the answer');
    await staffPage.close();

    // The learner is told and reads the answer in their account.
    assert.equal((await emailsTo(db, applicant.email))[0].subject, `Réponse à votre message ${reference}`);
    await page.goto(`${journey.baseUrl}/compte/messages`);
    assert.match(await page.locator('main table').innerText(), new RegExp(`${reference}[\\s\\S]*Répondu`));
    await page.getByRole('link', { name: reference }).click();
    await page.getByText('Oui : faites la demande de remboursement depuis votre paiement, le bulletin joint suffit.').waitFor();
    await expectAccessible(page, 'the answer, read by the learner');
    await page.getByLabel('Votre réponse').fill('Merci beaucoup.');
    await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
    await page.getByText('Votre réponse est envoyée.').waitFor();
    await page.close();
  });
});
