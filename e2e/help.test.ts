import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { expectAccessible, startJourney, tabTo } from './browser';

describe('help pages journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
  });
  after(() => journey.close());

  it('SVC-1 SVC-4 a visitor finds the half rate from the footer’s Aide link by searching « demi tarif », reads it in French then English, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(journey.baseUrl);
    const footer = page.locator('footer');
    assert.match(await footer.innerText(), /Besoin d’aide \? Appelez le 3975 \(du lundi au vendredi, de 8 h 30 à 18 h\)/);
    await footer.getByRole('link', { name: 'Aide' }).click();
    await page.getByRole('heading', { level: 1, name: 'Aide' }).waitFor();
    await expectAccessible(page, 'the help page');

    // By keyboard: the search box, two words, Enter.
    await tabTo(page, 'Rechercher dans l’aide');
    await page.keyboard.type('demi tarif');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/aide?q=demi+tarif');
    const results = page.getByRole('heading', { level: 2, name: /répond(ent)? à « demi tarif »/ });
    await results.waitFor();
    assert.equal(await page.locator('#q').inputValue(), 'demi tarif', 'the words stay in the box');
    assert.equal(await page.locator('.help-results a').first().innerText(), 'Qui peut payer demi-tarif ?');
    await expectAccessible(page, 'search results');

    await tabTo(page, 'Qui peut payer demi-tarif ?', 'link');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Qui peut payer demi-tarif ?' }).waitFor();
    assert.match(await page.locator('main').innerText(), /RSA, l’ASS ou l’AAH/);
    await expectAccessible(page, 'an article');

    // The same article in English: the same address.
    await page.getByRole('link', { name: 'Read this site in English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Who can pay the half rate?' }).waitFor();
    assert.match(page.url(), /\/aide\/demi-tarif$/);
    assert.match(await page.locator('footer').innerText(), /Need help\? Call 3975 \(Monday to Friday, 8:30 am to 6 pm\)/);
    await expectAccessible(page, 'an article in English');
    await page.close();
  });

  it('SVC-1 a search that finds nothing, and one too long, say so next to the box, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/aide?q=zzzzqqq`);
    await page.getByRole('heading', { level: 2, name: 'Aucun article ne répond à « zzzzqqq ». Essayez avec d’autres mots, ou regardez les thèmes ci-dessous.' }).waitFor();
    await expectAccessible(page, 'nothing found');

    const response = await page.goto(`${journey.baseUrl}/aide?q=${'long '.repeat(60)}`);
    assert.equal(response?.status(), 400);
    assert.match(await page.locator('#q-error').innerText(), /Votre recherche est trop longue : 200 caractères au maximum/);
    assert.equal(await page.locator('#q').getAttribute('aria-invalid'), 'true');
    await expectAccessible(page, 'a search too long');
    await page.close();
  });
});
