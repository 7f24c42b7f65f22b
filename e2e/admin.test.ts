import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GOOD_PASSWORD, buildStaff } from '../test/app';
import { buildCatalogue } from '../test/catalogue';
import { expectAccessible, logIn, startJourney } from './browser';

describe('administration journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    await buildCatalogue(journey.t.db, journey.t.clock, [{ code: 'ADMX', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
  });
  after(() => journey.close());

  it('an administrator edits a setting and a session, with errors shown next to the fields, with axe', async () => {
    const admin = await buildStaff(journey.t.db, journey.t.clock, 'admin');
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: admin.email, password: GOOD_PASSWORD, totpSecret: admin.totpSecret });
    await page.getByRole('link', { name: 'Administration' }).click();
    await expectAccessible(page, 'administration');
    await page.getByRole('link', { name: 'Réglages' }).click();
    await page.getByLabel(/Délai de réponse à une place proposée/).fill('0');
    await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
    await page.getByText('Indiquez un nombre entier entre 1 et 336.').first().waitFor();
    await expectAccessible(page, 'settings with an error');
    await page.goto(`${journey.baseUrl}/personnel/admin/comptes`);
    await expectAccessible(page, 'staff accounts');
    await page.goto(`${journey.baseUrl}/personnel/admin/catalogue`);
    await expectAccessible(page, 'catalogue');
    await page.getByLabel('Code à modifier').nth(3).fill('ADMX');
    await page.getByLabel('Code à modifier').nth(3).press('Enter');
    await page.getByLabel('Places').fill('0');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('au moins 1').first().waitFor();
    assert.equal(await page.getByLabel('Places').inputValue(), '0');
    await expectAccessible(page, 'session form with an error');
    await page.close();
  });
});
