import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GOOD_PASSWORD, buildStaff } from '../test/app';
import { webhookMessages } from '../src/modules/webhooks/webhooks.table';
import { expectAccessible, logIn, startJourney } from './browser';

describe('SVC-8 webhooks journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
  });
  after(() => journey.close());

  it('SVC-8 an administrator adds an endpoint (an error first), sees its secret once, rotates it, replays a message; the DPO list; with axe', async () => {
    const admin = await buildStaff(journey.t.db, journey.t.clock, 'admin');
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: admin.email, password: GOOD_PASSWORD, totpSecret: admin.totpSecret });
    await page.goto(`${journey.baseUrl}/personnel/admin`);
    await page.getByRole('link', { name: /Webhooks/ }).click();
    await expectAccessible(page, 'webhooks');

    await page.getByLabel('Adresse (URL) du système qui reçoit').fill('https://10.0.0.7/hooks');
    await page.getByLabel(/Changement de statut d’une candidature/).check();
    await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
    await page.getByText('Cette adresse est celle d’un réseau interne').first().waitFor();
    assert.equal(await page.getByLabel('Adresse (URL) du système qui reçoit').inputValue(), 'https://10.0.0.7/hooks');
    await expectAccessible(page, 'endpoint form with errors');

    assert.ok(await page.getByLabel(/Changement de statut d’une candidature/).isChecked(), 'what was chosen is kept');
    await page.getByLabel('Adresse (URL) du système qui reçoit').fill('https://portail.paris.fr/hooks/cursus');
    await page.getByRole('button', { name: 'Enregistrer l’adresse' }).click();
    const secret = (await page.locator('[data-secret]').textContent())?.trim() ?? '';
    assert.match(secret, /^whsec_/);
    await expectAccessible(page, 'the secret shown once');
    await page.getByRole('link', { name: 'Voir cette adresse' }).click();
    assert.equal(await page.locator('[data-secret]').count(), 0, 'not shown again');

    await page.getByRole('button', { name: 'Remplacer le secret' }).click();
    const rotated = (await page.locator('[data-secret]').textContent())?.trim() ?? '';
    assert.match(rotated, /^whsec_/);
    assert.notEqual(rotated, secret);
    await page.getByText('L’ancien secret signe encore').waitFor();
    await expectAccessible(page, 'rotated secret');

    const endpointId = /webhooks\/([0-9a-f-]{36})/.exec(page.url())?.[1];
    assert.ok(endpointId);
    await journey.t.db.insert(webhookMessages).values({
      id: 'msg_e2ejourney',
      endpointId,
      eventType: 'application.status_changed',
      payload: { type: 'application.status_changed', timestamp: journey.t.clock.now().toISOString(), data: { application_id: 'a1', from: 'submitted', to: 'accepted' } },
      createdAt: journey.t.clock.now(),
      attempts: 10,
      failedAt: journey.t.clock.now(),
    });
    await page.goto(`${journey.baseUrl}/personnel/admin/webhooks/${endpointId}`);
    await page.getByRole('link', { name: 'msg_e2ejourney' }).click();
    await expectAccessible(page, 'a message and its attempts');
    await page.getByRole('button', { name: 'Renvoyer ce message' }).click();
    await page.getByText('Le message est renvoyé.').waitFor();

    await page.goto(`${journey.baseUrl}/personnel/registre-traitements/webhooks`);
    await page.getByRole('heading', { name: 'https://portail.paris.fr/hooks/cursus' }).waitFor();
    await expectAccessible(page, 'what each endpoint receives');
    await page.close();
  });
});
