import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestProvider, TEST_CLIENT, type IdentityProvider } from '../test/oidc';
import { expectAccessible, startJourney } from './browser';

describe('ACC-13 journey: signing in with FranceConnect', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let idp: IdentityProvider | undefined;
  before(async () => {
    journey = await startJourney({
      config: async (baseUrl) => {
        // Asked again if the app's port was taken meanwhile: the provider made for the other port goes.
        await idp?.close();
        idp = await startTestProvider({
          clients: [{ ...TEST_CLIENT, redirect_uris: [`${baseUrl}/connexion/oidc/franceconnect/retour`], post_logout_redirect_uris: [`${baseUrl}/`] }],
        });
        return {
          OIDC_PROVIDERS: 'franceconnect',
          OIDC_FRANCECONNECT_ISSUER: idp.issuer,
          OIDC_FRANCECONNECT_CLIENT_ID: TEST_CLIENT.client_id,
          OIDC_FRANCECONNECT_CLIENT_SECRET: TEST_CLIENT.client_secret,
        };
      },
    });
  });
  after(async () => {
    await journey?.close();
    await idp?.close();
  });

  it('ACC-13 a person signs in with the test provider and lands on a learner record prefilled from it, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/connexion`);
    await expectAccessible(page, 'login page with the FranceConnect button');
    await page.getByRole('link', { name: 'Qu’est-ce que FranceConnect ?' }).waitFor();
    await page.getByRole('button', { name: 'S’identifier avec FranceConnect' }).click();
    // The provider's page: the test identities.
    await page.getByRole('button', { name: /Camille Marie Louise Dupont/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Votre première connexion avec FranceConnect' }).waitFor();
    await expectAccessible(page, 'first sign-in: create the account');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Vous devez accepter les conditions générales').first().waitFor();
    await page.getByLabel(/J’accepte les conditions générales/).check();
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.getByText('Ces informations viennent de FranceConnect').waitFor();
    await expectAccessible(page, 'learner record prefilled');
    assert.equal(await page.getByLabel('Prénom', { exact: false }).first().inputValue(), 'Camille Marie Louise');
    assert.equal(await page.locator('input[name="lastName"]').inputValue(), 'Martin');
    assert.equal(await page.locator('input[name="birthName"]').inputValue(), 'Dupont');
    assert.equal(await page.locator('input[name="birthDate"]').inputValue(), '12/04/1988');
    assert.equal(await page.locator('select[name="birthCountry"]').inputValue(), 'FR');
    assert.ok(await page.locator('input[name="civility"][value="MME"]').isChecked());
    await page.close();
  });
});
