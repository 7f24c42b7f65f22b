import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { expectAccessible, startJourney, tabTo } from './browser';

describe('catalogue journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    await seedCatalogue(journey.t.db, journey.t.clock);
  });
  after(() => journey.close());

  it('CAT-3 CAT-4 CAT-5 CAT-6 home → domain → arrondissement then school → course sheet, by keyboard only, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(journey.baseUrl);
    // CAT-6: each period with its application window and the window in which answers are sent.
    const calendar = page.locator('section', { has: page.getByRole('heading', { name: 'Calendrier des inscriptions' }) });
    assert.deepEqual(await calendar.locator('thead th').allInnerTexts(), ['Période', 'Dépôt des candidatures', 'Envoi des réponses', 'État']);
    const periods = await calendar.locator('tbody tr').allInnerTexts();
    assert.equal(periods.length, 3);
    const range = String.raw`du \d{1,2}(er)? \S+ \d{4} au \d{1,2}(er)? \S+ \d{4}`;
    for (const row of periods) assert.match(row, new RegExp(`^.+\t${range}\t${range}\t.+$`), row);
    await expectAccessible(page, 'home with the calendar');

    await tabTo(page, 'Langues étrangères', 'link');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/recherche?domaine=langues-etrangeres');
    await expectAccessible(page, 'results of a domain');
    const allCount = await page.locator('#results-title').innerText();

    // The school list is empty until an arrondissement is chosen, then shows its schools.
    assert.equal(await page.locator('#etablissement option').count(), 1);
    await tabTo(page, 'Arrondissement');
    await page.keyboard.type('11e');
    assert.equal(await page.locator('#arrondissement').inputValue(), '11');
    await page.waitForFunction(() => (document.getElementById('etablissement') as HTMLSelectElement).options.length > 1);
    const schools = await page.locator('#etablissement option').allInnerTexts();
    assert.ok(schools.length > 1, 'the schools of the 11th arrondissement are shown');
    await tabTo(page, 'Établissement');
    await page.keyboard.press('ArrowDown');
    const school = await page.locator('#etablissement').inputValue();
    assert.match(school, /^E-11-/);
    await tabTo(page, 'Rechercher', 'button');
    await page.keyboard.press('Enter');
    await page.waitForURL(/arrondissement=11&etablissement=E-11-/);
    assert.match(page.url(), /domaine=langues-etrangeres/);
    assert.notEqual(await page.locator('#results-title').innerText(), allCount);
    await expectAccessible(page, 'results filtered by school');

    // First result → its course sheet.
    const title = await page.locator('.result h3 a').first().innerText();
    await tabTo(page, title, 'link');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
    assert.match(await page.locator('main').innerText(), /places libres sur/);
    await expectAccessible(page, 'course sheet');
    await page.close();
  });
});
