import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from 'otplib';
import { GOOD_PASSWORD, buildStaff } from '../test/app';
import { buildCatalogue } from '../test/catalogue';
import { assignScope } from '../src/modules/scopes';
import { expectAccessible, logIn, startJourney, tabTo } from './browser';

describe('staff journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
  });
  after(() => journey.close());

  it('ACC-12 a school head logs in with a password and a TOTP code, by keyboard', async () => {
    const staff = await buildStaff(journey.t.db, journey.t.clock, 'school_head');
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/connexion`);
    await expectAccessible(page, 'login');
    await tabTo(page, 'Adresse électronique');
    await page.keyboard.type(staff.email);
    await tabTo(page, 'Mot de passe');
    await page.keyboard.type(GOOD_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Code de vérification' }).waitFor();
    await expectAccessible(page, 'TOTP form');

    await tabTo(page, 'Code à 6 chiffres');
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    await page.getByText('Ce code n’est pas valable').first().waitFor();
    await expectAccessible(page, 'TOTP form with an error');

    const code = await generate({ secret: staff.totpSecret, epoch: Math.floor(journey.t.clock.now().getTime() / 1000) });
    await page.getByLabel('Code à 6 chiffres').fill(code);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Espace personnel' }).waitFor();
    assert.match(await page.locator('main').innerText(), /directeur ou directrice d’établissement/);
    await expectAccessible(page, 'staff home');
    await page.close();
  });

  it('a coordinator opens a session’s selection screen from the staff home; with no applicant it says so, with axe (SEL-2’s ranking: e2e/selection.test.ts)', async () => {
    await buildCatalogue(journey.t.db, journey.t.clock, [{ code: 'AXE1', weekday: 2, startsAt: '18:30', endsAt: '20:30', period: 'closed' }]);
    const staff = await buildStaff(journey.t.db, journey.t.clock, 'coordinator');
    await assignScope(journey.t.db, { userId: staff.userId, schools: ['E-11-T'] });
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: staff.email, password: GOOD_PASSWORD, totpSecret: staff.totpSecret });
    await page.getByRole('link', { name: 'Sélection' }).first().click();
    await page.getByRole('heading', { level: 1, name: /Sélection : Cours C-AXE1/ }).waitFor();
    assert.match(await page.locator('main').innerText(), /Aucune candidature en attente de décision/);
    await expectAccessible(page, 'selection screen');
    await page.close();
  });
});
