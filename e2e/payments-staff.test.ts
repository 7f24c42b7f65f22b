import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildStaff, GOOD_PASSWORD } from '../test/app';
import { buildCatalogue } from '../test/catalogue';
import { acceptedApplicants, livePaymentOf, statusOf } from '../test/payments';
import { parisInstant } from '../src/platform/clock';
import { courses, courseSessions } from '../src/modules/catalogue/catalogue.table';
import { assignScope } from '../src/modules/scopes';
import { expectAccessible, logIn, startJourney, tabTo } from './browser';

describe('payments journey, staff side (PAY-1, PAY-3)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let made: Awaited<ReturnType<typeof acceptedApplicants>>;
  let head: Awaited<ReturnType<typeof buildStaff>>;

  before(async () => {
    journey = await startJourney();
    const { t } = journey;
    await buildCatalogue(t.db, t.clock, [{ code: 'JOUR', weekday: 2, startsAt: '18:30', endsAt: '20:30' }]);
    // A course dearer than the cash limit (300 €): cash is refused, a cheque is taken.
    await t.db.update(courses).set({ fullRateCents: 35_000, halfRateCents: 17_500 }).where(eq(courses.code, 'C-JOUR'));
    made = await acceptedApplicants({ db: t.db, clock: t.clock, baseUrl: journey.baseUrl }, { JOUR: 2 });
    head = await buildStaff(t.db, t.clock, 'school_head');
    await assignScope(t.db, { userId: head.userId, schools: ['E-11-T'] });
    // The first meeting has taken place: the learners came (PAY-1).
    const [{ firstMeeting }] = await t.db.select({ firstMeeting: courseSessions.firstMeeting }).from(courseSessions).where(eq(courseSessions.code, 'JOUR'));
    t.clock.set(parisInstant(firstMeeting, '21:00'));
  });
  after(() => journey.close());

  it('PAY-1 PAY-3 a school head validates an enrolment, is refused cash over the limit, then records a cheque, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: head.email, password: GOOD_PASSWORD, totpSecret: head.totpSecret });
    await page.getByRole('link', { name: 'Inscriptions à valider' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inscriptions à valider' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Première séance passée/);
    await expectAccessible(page, 'enrolments to validate');

    await page.getByRole('button', { name: /^Valider l’inscription de / }).first().click();
    await page.getByText('Inscription validée : la personne a reçu par courriel le montant à régler et la date limite.').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Valider l’inscription de / }).count(), 1, 'one left to validate');
    await expectAccessible(page, 'enrolments to validate, one validated');
    const validated = (await Promise.all(made.JOUR.map(async (a) => ((await statusOf(journey.t.db, a.applicationId)) === 'awaiting_payment' ? a : null)))).find(Boolean)!;

    await page.getByRole('navigation', { name: 'Inscriptions et paiements' }).getByRole('link', { name: 'Paiements à encaisser' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paiements à encaisser' }).waitFor();
    assert.match(await page.locator('main table').innerText(), /350,00\s€ \(plein tarif\)/);
    await expectAccessible(page, 'payments to collect');
    await page.getByRole('link', { name: /^Encaisser le paiement de / }).click();
    await page.getByRole('heading', { level: 1, name: /^Encaisser : / }).waitFor();
    await expectAccessible(page, 'one payment to collect, its forms');

    // Cash over the limit: refused next to the field, what was typed kept.
    await page.getByLabel('Montant remis (en euros)').fill('350');
    await page.getByRole('button', { name: 'Enregistrer le paiement en espèces' }).click();
    await page.locator('#tendered-error').waitFor();
    assert.match(await page.locator('#tendered-error').innerText(), /Le paiement en espèces est limité à 300,00\s€\. Pour ce montant, réglez par chèque à l’ordre de « Régie CMA et AE »/);
    assert.equal(await page.getByLabel('Montant remis (en euros)').inputValue(), '350');
    assert.equal(await page.getByLabel('Montant remis (en euros)').getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'cash refused over the limit');
    assert.equal(await statusOf(journey.t.db, validated.applicationId), 'awaiting_payment');

    // A cheque: the payer's name is the learner's until changed; by keyboard to the button.
    await page.getByLabel('Numéro du chèque').fill('0123456');
    await page.getByLabel('Banque').fill('La Banque Postale');
    assert.notEqual(await page.locator('#chequePayer').inputValue(), '');
    await tabTo(page, 'Enregistrer le chèque', 'button');
    await page.keyboard.press('Enter');
    await page.getByText('Paiement enregistré : la personne est inscrite et en est informée par courriel.').waitFor();
    const receipt = page.getByRole('link', { name: 'Imprimer le reçu (PDF)' });
    const payment = await livePaymentOf(journey.t.db, validated.applicationId);
    assert.equal(await receipt.getAttribute('href'), `/personnel/paiements/${payment.id}/recu.pdf`);
    await expectAccessible(page, 'cheque recorded');
    assert.equal(await statusOf(journey.t.db, validated.applicationId), 'enrolled');
    assert.deepEqual([payment.status, payment.method, payment.chequeNumber, payment.chequeBank], ['paid', 'cheque', '0123456', 'La Banque Postale']);

    await page.getByRole('navigation', { name: 'Inscriptions et paiements' }).getByRole('link', { name: 'Paiements reçus' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paiements reçus' }).waitFor();
    assert.match(await page.locator('main').innerText(), /1 paiement\b/);
    await expectAccessible(page, 'payments received');
    await page.getByRole('textbox', { name: /^Du/ }).fill('31/02/2026');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('#du-error').waitFor();
    await expectAccessible(page, 'payments received, a bad date');
    await page.getByRole('navigation', { name: 'Inscriptions et paiements' }).getByRole('link', { name: 'Paiements en ligne à vérifier' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paiements en ligne à vérifier' }).waitFor();
    await expectAccessible(page, 'online payments to check');
    await page.close();
  });
});
