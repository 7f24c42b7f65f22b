import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { GOOD_PASSWORD } from '../test/app';
import { buildFigures } from '../test/figures';
import { expectAccessible, logIn, startJourney } from './browser';

describe('the figures journey (SVC-6)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let made: Awaited<ReturnType<typeof buildFigures>>;

  before(async () => {
    journey = await startJourney();
    made = await buildFigures(journey.t.db, journey.t.clock);
  });
  after(() => journey.close());

  it('SVC-6 an administrator reads the figures as charts and tables, narrows them to a school and dates, corrects a bad date and downloads the workbook, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: made.staff.admin.email, password: GOOD_PASSWORD, totpSecret: made.staff.admin.totpSecret });
    await page.getByRole('link', { name: 'Chiffres : candidatures, places, paiements, assiduité' }).click();
    await page.getByRole('heading', { level: 1, name: 'Chiffres' }).waitFor();
    assert.equal(await page.getByRole('img').count(), 7, 'seven charts (refunds among them), each an image');
    const fill = page.getByRole('img', { name: 'Taux de remplissage par établissement' });
    assert.match((await fill.getAttribute('aria-labelledby')) ?? '', /desc/);
    const table = page.getByRole('table', { name: 'Données du diagramme : Taux de remplissage par établissement' });
    assert.equal(await table.getByRole('rowheader', { name: 'Autre école' }).count(), 1);
    assert.match(await table.innerText(), /Autre école\s+100 %[\s\S]*École test\s+20 %/);
    await expectAccessible(page, 'the figures of every school');

    // A bad date: the message next to the field, what was typed kept.
    await page.getByRole('combobox', { name: 'Établissement (facultatif)' }).selectOption({ label: 'École test' });
    await page.getByRole('textbox', { name: 'Du (facultatif)' }).fill('32/08/2026');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.locator('#du-error').waitFor();
    assert.match(await page.locator('#du-error').innerText(), /Saisissez une date sous la forme jour\/mois\/année/);
    assert.equal(await page.getByRole('textbox', { name: 'Du (facultatif)' }).inputValue(), '32/08/2026');
    assert.equal(await page.getByRole('textbox', { name: 'Du (facultatif)' }).getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'the figures, a bad date');

    await page.getByRole('textbox', { name: 'Du (facultatif)' }).fill('27/08/2026');
    await page.getByRole('textbox', { name: 'Au (facultatif)' }).fill('31/08/2026');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByRole('heading', { level: 2, name: /Période : Période ouverte — du 27 août 2026 au 31 août 2026 — 2 sessions/ }).waitFor();
    const payments = page.getByRole('table', { name: 'Données du diagramme : Paiements reçus par tarif (montant)' });
    assert.match(await payments.innerText(), /Demi-tarif\s+75,00\s€\s+1/i);
    await expectAccessible(page, 'the figures of one school over five days');

    // The workbook, as the browser downloads it (its cookies), read back with exceljs.
    const href = await page.getByRole('link', { name: 'classeur Excel (un onglet par tableau)' }).getAttribute('href');
    const response = await page.context().request.get(`${journey.baseUrl}${href}`);
    assert.equal(response.status(), 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.body()) as unknown as ArrayBuffer);
    const sessions = workbook.getWorksheet('Par session')!;
    assert.deepEqual(
      sessions.getColumn(1).values.slice(1),
      ['Session', 'FIG-A', 'FIG-C', 'Total'],
    );
  });

  it('SVC-6 on a phone-sized screen the charts fit the width and the tables scroll by themselves, with axe', async () => {
    const context = await journey.browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await logIn(page, journey, { email: made.staff.head.email, password: GOOD_PASSWORD, totpSecret: made.staff.head.totpSecret });
    await page.goto(`${journey.baseUrl}/personnel/chiffres`);
    await page.getByRole('heading', { level: 1, name: 'Chiffres' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page does not scroll sideways (${overflow} px)`);
    const box = await page.getByRole('img', { name: 'Taux de remplissage par établissement' }).boundingBox();
    assert.ok(box && box.width <= 360, `the chart fits (${box?.width} px)`);
    await expectAccessible(page, 'the figures of a school head, 360 px');
  });
});
