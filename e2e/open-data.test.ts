import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildCatalogue } from '../test/catalogue';
import { writeSnapshot } from '../src/modules/opendata';
import { expectAccessible, startJourney } from './browser';

describe('open data journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    const { t } = journey;
    await buildCatalogue(t.db, t.clock, [{ code: 'E2E-OD', weekday: 2, startsAt: '18:30', endsAt: '20:30' }]);
    await writeSnapshot({ db: t.db, clock: t.clock, baseUrl: journey.baseUrl });
  });
  after(() => journey.close());

  it('SVC-8 SVC-4 a reuser finds the open data from the footer, sees the files, licence and dictionary, downloads the sessions file, then reads the page in English, with axe', async () => {
    const page = await (await journey.browser.newContext({ acceptDownloads: true })).newPage();
    await page.goto(journey.baseUrl);
    await page.locator('footer').getByRole('link', { name: 'Données ouvertes' }).click();
    await page.getByRole('heading', { level: 1, name: 'Données ouvertes' }).waitFor();
    await expectAccessible(page, 'the open-data page');
    const main = await page.locator('main').innerText();
    assert.match(main, /Licence Ouverte \/ Open Licence version 2\.0/);
    assert.match(main, /Fichiers du jour/);
    assert.ok(await page.getByRole('table', { name: 'Colonnes de sessions.csv' }).isVisible());
    assert.ok(await page.getByRole('rowheader', { name: 'places_libres' }).first().isVisible());

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^Sessions et places libres/ }).first().click()]);
    assert.equal(download.suggestedFilename(), 'sessions-2026-09-01.csv');
    const response = await page.request.get(`${journey.baseUrl}/donnees-ouvertes/sessions.csv`);
    assert.match(await response.text(), /^\ufeff?code_session,/);
    assert.match(await response.text(), /\nE2E-OD,/);

    await page.getByRole('link', { name: 'Read this site in English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Open data' }).waitFor();
    assert.match(page.url(), /\/donnees-ouvertes$/);
    assert.match(await page.locator('main').innerText(), /Column dictionary/);
    await expectAccessible(page, 'the open-data page in English');
    await page.close();
  });
});
