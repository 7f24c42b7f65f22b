import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { TEST_SECRET } from '../test/app';
import { DEMO_LEARNER, DEMO_PASSWORD, seedEverything } from '../src/demo/seed';
import { expectAccessible, logIn, startJourney } from './browser';

/** Issue 18's journey in the credits demo: a learner enrols in units all year, with their funding. */
describe('CRED-2 CRED-5 enrolling in a unit, in a browser (the credits demo)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let page: Page;
  const folder = mkdtempSync(join(tmpdir(), 'cursus-credits-enrol-'));
  before(async () => {
    journey = await startJourney({ config: async () => ({ CURSUS_PROFILE: 'credits' }) });
    await seedEverything(journey.t.db, journey.t.clock, { baseUrl: journey.baseUrl, secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' });
    page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: DEMO_LEARNER, password: DEMO_PASSWORD });
  });
  after(async () => {
    rmSync(folder, { recursive: true, force: true });
    await journey.close();
  });

  /** From the unit's sheet: the first session's « S'inscrire » with this funding, to the confirmation page. */
  async function chooseOnSheet(code: string, source: RegExp) {
    await page.goto(`${journey.baseUrl}/formations/${code}`);
    const form = page.locator('form.unit-enrol').first();
    await form.getByRole('radio', { name: source }).check();
    await form.getByRole('button', { name: /^S’inscrire/ }).click();
    await page.getByRole('heading', { level: 1, name: `S’inscrire à l’unité ${code}` }).waitFor();
  }

  it('CRED-2 CRED-5 a learner enrols in a unit paying it themselves: the fee of the price list, then PayFiP (simulated), with axe', async () => {
    await chooseOnSheet('RSX101', /^Personnel/);
    await expectAccessible(page, 'the enrolment’s confirmation page');
    // The price list's personal fee: 45 € a credit × 6 credits.
    assert.match(await page.locator('main').innerText(), /270,00.€ à votre charge/);
    await page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon inscription' }).waitFor();
    await page.getByText('Votre inscription est enregistrée.').waitFor();
    const summary = await page.locator('dl.summary').innerText();
    assert.match(summary, /RSX101/);
    assert.match(summary, /Personnel \(je paie moi-même\)/);
    await expectAccessible(page, 'my enrolment, to pay');

    await page.getByRole('link', { name: 'Régler mon inscription' }).click();
    await page.getByRole('button', { name: /^Régler 270,00.€ par carte bancaire$/ }).click();
    await page.getByRole('heading', { level: 1, name: /^Payer 270,00.€$/ }).waitFor();
    await page.getByRole('button', { name: 'Carte acceptée' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paiement accepté' }).waitFor();
    await page.getByRole('link', { name: 'Retourner sur le site du service' }).click();
    await page.getByRole('heading', { level: 1, name: 'Résultat du paiement' }).waitFor();
    await expectAccessible(page, 'the payment’s result');
    // Paid: the enrolment is done (PAY-2), shown on the learner's list.
    await page.goto(`${journey.baseUrl}/candidatures`);
    assert.match(await page.locator('main').innerText(), /Réseaux et protocoles pour l’internet\s+[^\n]*\s+Inscrit·e/);
  });

  it('CRED-5 with the CPF the learner pays nothing, is enrolled at once and downloads the funder’s attestation (a real PDF, verifiable)', async () => {
    await chooseOnSheet('DRS101', /^Compte personnel de formation/);
    assert.match(await page.locator('main').innerText(), /720,00.€ facturés à l’organisme, 0,00.€ pour vous/);
    await page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon inscription' }).waitFor();
    assert.match(await page.locator('dl.summary').innerText(), /Inscrit/);
    assert.equal(await page.getByRole('link', { name: 'Régler mon inscription' }).count(), 0, 'nothing to pay');
    await expectAccessible(page, 'my enrolment, funded');

    const href = await page.getByRole('link', { name: 'Télécharger l’attestation pour l’organisme financeur (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(`${journey.baseUrl}${href}`);
    assert.equal(pdf.status(), 200);
    const bytes = await pdf.body();
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const file = join(folder, 'attestation.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    assert.match(text, /Attestation d’inscription/);
    assert.match(text, /DRS101/);
    assert.match(text, /Compte personnel de formation/);
    const code = /\b([A-Z0-9]{4}-[A-Z0-9]{4}(?:-[A-Z0-9]{4})*)\b/.exec(text)?.[1];
    assert.ok(code, `a verification code in the PDF:\n${text}`);
    const visitor = await (await journey.browser.newContext()).newPage();
    await visitor.goto(`${journey.baseUrl}/verifier/${code}`);
    await visitor.getByRole('heading', { level: 1, name: 'Document authentique et valable' }).waitFor();
    await visitor.close();
  });

  it('APP-3 a unit meeting at the same time as one already followed is refused before anything is written, naming the other unit', async () => {
    // GLG101 and GRH101 meet on Thursday evening (the demo's four evenings).
    await chooseOnSheet('GRH101', /^Personnel/);
    await page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await page.getByText(/aux mêmes heures que « Génie logiciel : méthodes et outils »/).waitFor();
    assert.doesNotMatch(await page.locator('main').innerText(), /\{title\}/);
    await expectAccessible(page, 'the refusal next to the form');
  });

  it('CRED-2 beyond 3 units in the semester the FAQ’s advice is shown, as advice: the learner may still enrol', async () => {
    // GLG101 (the demo's remote unit), RSX101 and DRS101: a fourth unit of the first semester.
    await chooseOnSheet('NFA035', /^Région/);
    const advice = await page.locator('main').innerText();
    assert.match(advice, /Conseil :/);
    assert.match(advice, /vous suivriez 4 unités ce semestre/);
    await expectAccessible(page, 'the confirmation page with the advice');
    await page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon inscription' }).waitFor();
  });
});
