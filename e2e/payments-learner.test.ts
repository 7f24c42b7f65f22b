import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { GOOD_PASSWORD, TEST_SECRET } from '../test/app';
import { buildCatalogue } from '../test/catalogue';
import { pdfText, squash } from '../test/pdf';
import { acceptedApplicants, awaitingPayment, livePaymentOf, statusOf } from '../test/payments';
import { translator } from '../src/platform/i18n';
import { learnerProfiles } from '../src/modules/accounts/accounts.table';
import { applicationEvents } from '../src/modules/applications/applications.table';
import { currentDocument } from '../src/modules/documents';
import { signingOf } from '../src/modules/payments';
import { paymentAttempts } from '../src/modules/payments/payments.table';
import { expectAccessible, logIn, startJourney } from './browser';

type Learner = { learnerId: string; email: string; applicationId: string };

describe('payments journey, learner side (PAY-1, PAY-2, PAY-4, PAY-10)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let awa: Learner;
  let basile: Learner;
  let dueText: string;

  before(async () => {
    journey = await startJourney();
    const { t } = journey;
    await buildCatalogue(t.db, t.clock, [{ code: 'JPAY', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    const deps = { db: t.db, clock: t.clock, baseUrl: journey.baseUrl };
    const made = await acceptedApplicants(deps, { JPAY: 2 });
    [awa, basile] = made.JPAY;
    await t.db.update(learnerProfiles).set({ lastName: 'Diallo', firstName: 'Awa' }).where(eq(learnerProfiles.userId, awa.learnerId));
    await t.db.update(learnerProfiles).set({ lastName: 'Martin', firstName: 'Basile' }).where(eq(learnerProfiles.userId, basile.learnerId));
    // The school head validated both enrolments once the session started (PAY-1).
    await awaitingPayment(deps, 'JPAY', made.JPAY);
    const { dueOn } = await livePaymentOf(t.db, awa.applicationId);
    dueText = translator('fr').date(new Date(`${dueOn}T12:00:00Z`), 'date');
  });
  after(() => journey.close());

  const enrolments = async (who: Learner) =>
    (await journey.t.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, who.applicationId), eq(applicationEvents.toStatus, 'enrolled')))).length;

  async function logInAs(who: Learner): Promise<Page> {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: who.email, password: GOOD_PASSWORD });
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    return page;
  }

  /** From "Mes candidatures" to the provider's page: the list, the payment page, "Régler". Returns the idOp. */
  async function goPay(page: Page, label: string): Promise<string> {
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes candidatures' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes candidatures et paiements' }).waitFor();
    await page.getByRole('link', { name: 'Régler', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Paiement : Cours C-JPAY' }).waitFor();
    await expectAccessible(page, `${label}: the payment page`);
    await page.getByRole('button', { name: /^Régler 150,00.€ par carte bancaire$/ }).click();
    await page.getByRole('heading', { level: 1, name: /^Payer 150,00.€$/ }).waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, '/simulateur-payfip/tpa/paiementws.web', 'the simulated PayFiP’s page');
    return url.searchParams.get('idop')!;
  }

  /** On the provider's page: the card, the ticket, back to the site. */
  async function payOnProvider(page: Page, card: 'Carte acceptée' | 'Carte refusée', label: string) {
    await page.getByRole('button', { name: card }).click();
    await page.getByRole('heading', { level: 1, name: card === 'Carte acceptée' ? 'Paiement accepté' : 'Paiement refusé' }).waitFor();
    await expectAccessible(page, `${label}: the provider’s ticket`);
    await page.getByRole('link', { name: 'Retourner sur le site du service' }).click();
    await page.getByRole('heading', { level: 1, name: 'Résultat du paiement' }).waitFor();
  }

  it('PAY-2 PAY-4 PAY-10 a learner pays online in the simulated PayFiP page, is enrolled, downloads the card and checks it on the public page, with axe', async () => {
    const page = await logInAs(awa);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Mes candidatures' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes candidatures et paiements' }).waitFor();
    const list = await page.locator('main').innerText();
    assert.match(list, /Inscription validée : à régler/);
    assert.ok(list.replace(/\s/g, ' ').includes(`150,00 € à régler avant le ${dueText}.`.replace(/\s/g, ' ')), list);
    await expectAccessible(page, 'my applications, awaiting payment');
    await page.getByRole('link', { name: 'Régler', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Paiement : Cours C-JPAY' }).waitFor();
    const main = (await page.locator('main').innerText()).replace(/\s/g, ' ');
    assert.match(main, /Montant à régler 150,00 € \(plein tarif\)/);
    assert.ok(main.includes(`À régler avant le ${dueText}`.replace(/\s/g, ' ')), main);
    assert.match(main, /par chèque à l’ordre de « Régie CMA et AE »/);
    await page.goBack();
    const idOp = await goPay(page, 'card accepted');
    assert.match(await page.locator('main').innerText(), /Montant\s+150,00\s€/);
    await expectAccessible(page, 'the simulated PayFiP’s page');

    // The notification and the browser's return may come in either order: the page says paid either way.
    await payOnProvider(page, 'Carte acceptée', 'card accepted');
    await page.getByText('Paiement accepté : vous êtes inscrit·e. Un courriel de confirmation vous a été envoyé.').waitFor();
    await expectAccessible(page, 'the return page, paid');
    assert.equal(await statusOf(journey.t.db, awa.applicationId), 'enrolled');
    const payment = await livePaymentOf(journey.t.db, awa.applicationId);
    assert.deepEqual([payment.status, payment.method], ['paid', 'online']);

    await page.getByRole('link', { name: 'Voir le paiement' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paiement : Cours C-JPAY' }).waitFor();
    assert.equal(await page.locator('main strong').first().innerText(), 'Inscrit·e');
    assert.match(await page.locator('main').innerText(), /Payé le .+ : vous êtes inscrit·e\./);
    assert.equal(await page.getByRole('button', { name: /^Régler/ }).count(), 0, 'nothing more to pay');
    await expectAccessible(page, 'the payment page, paid');
    await page.getByRole('link', { name: 'Retour à mes candidatures' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes candidatures et paiements' }).waitFor();
    assert.match(await page.locator(`#candidature-${awa.applicationId}`).innerText(), /Inscrit·e/);
    await expectAccessible(page, 'my applications, enrolled');

    // The card, as the browser downloads it (its cookies), read back with pdftotext.
    await page.getByRole('link', { name: 'Paiement et documents' }).click();
    const href = await page.getByRole('link', { name: 'Carte d’inscrit·e (PDF)' }).getAttribute('href');
    assert.equal(href, `/candidatures/${awa.applicationId}/carte.pdf`);
    const response = await page.context().request.get(`${journey.baseUrl}${href}`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    const card = pdfText(await response.body());
    const issued = (await currentDocument(journey.t.db, signingOf({ clock: journey.t.clock, baseUrl: journey.baseUrl, secret: TEST_SECRET }), 'enrollee_card', awa.applicationId))!;
    assert.ok(card.includes(squash(issued.displayCode)), `the card carries its code ${issued.displayCode}:\n${card}`);
    assert.ok(card.includes('DIALLOAwa'), 'the card names its holder');
    assert.equal(await enrolments(awa), 1, 'one enrolment, whichever came first');
    const [attempt] = await journey.t.db.select().from(paymentAttempts).where(eq(paymentAttempts.id, payment.attemptId!));
    assert.equal(attempt.idOp, idOp, 'paid by the attempt of the page the learner paid on');
    await page.close();

    // Anyone, logged out, checks the card's code on the public page: valid, initials only.
    const visitor = await (await journey.browser.newContext()).newPage();
    await visitor.goto(`${journey.baseUrl}/verifier/${issued.displayCode}`);
    await visitor.getByRole('heading', { level: 1, name: 'Document authentique et valable' }).waitFor();
    await visitor.getByText('D. A.', { exact: true }).waitFor();
    const shown = await visitor.locator('main').innerText();
    assert.doesNotMatch(shown, /Diallo|DIALLO|Awa\b/, 'initials only');
    assert.match(shown, /Cours C-JPAY/);
    await expectAccessible(visitor, 'the public page of the card');
    await visitor.close();
  });

  it('PAY-2 a refused card: the page shows the attempt and its outcome in words; the learner tries again with a new idOp and pays, with axe', async () => {
    const page = await logInAs(basile);
    const first = await goPay(page, 'card refused');
    await payOnProvider(page, 'Carte refusée', 'card refused');
    await page.getByText('Le paiement n’a pas abouti : carte refusée, rien n’a été payé. Vous pouvez réessayer.').waitFor();
    await expectAccessible(page, 'the return page, refused');
    await page.getByRole('link', { name: 'Voir le paiement' }).click();
    await page.getByRole('heading', { level: 2, name: 'Vos essais de paiement en ligne' }).waitFor();
    const attempts = page.getByRole('region', { name: 'Vos essais de paiement en ligne' }).getByRole('listitem');
    assert.equal(await attempts.count(), 1);
    assert.match(await attempts.first().innerText(), / : carte refusée, rien n’a été payé$/);
    assert.match(await page.locator('main strong').first().innerText(), /Inscription validée : à régler/);
    await expectAccessible(page, 'the payment page, one attempt refused');
    assert.equal(await statusOf(journey.t.db, basile.applicationId), 'awaiting_payment');

    await page.getByRole('button', { name: /^Régler 150,00.€ par carte bancaire$/ }).click();
    await page.getByRole('heading', { level: 1, name: /^Payer 150,00.€$/ }).waitFor();
    const second = new URL(page.url()).searchParams.get('idop');
    assert.ok(second && second !== first, 'a new idOp for the new attempt');
    await payOnProvider(page, 'Carte acceptée', 'second attempt');
    await page.getByText('Paiement accepté : vous êtes inscrit·e.', { exact: false }).waitFor();
    await page.getByRole('link', { name: 'Voir le paiement' }).click();
    await page.getByRole('heading', { level: 2, name: 'Vos essais de paiement en ligne' }).waitFor();
    const both = await page.getByRole('region', { name: 'Vos essais de paiement en ligne' }).getByRole('listitem').allInnerTexts();
    assert.equal(both.length, 2);
    assert.match(both[0], / : paiement accepté$/, 'newest first');
    assert.match(both[1], / : carte refusée, rien n’a été payé$/);
    await expectAccessible(page, 'the payment page, paid after a refusal');
    assert.equal(await statusOf(journey.t.db, basile.applicationId), 'enrolled');
    assert.equal(await enrolments(basile), 1);
    await page.close();
  });
});
