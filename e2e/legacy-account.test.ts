import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { buildLearner, GOOD_PASSWORD } from '../test/app';
import { buildCatalogue } from '../test/catalogue';
import { importLegacyFiles } from '../src/modules/legacy';
import { expectAccessible, logIn, startJourney } from './browser';

describe('linking the former account (ACC-9)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let email: string;
  before(async () => {
    journey = await startJourney();
    const { t } = journey;
    await buildCatalogue(t.db, t.clock, [{ code: 'E-ESP1', course: 'ESP1', weekday: 2, startsAt: '18:00', endsAt: '20:00', period: 'closed' }]);
    const accounts = `email;password_hash;civility;last_name;first_name;city\nines.old@old.example;${bcrypt.hashSync('Ancien-CMA-2016', 4).replace('$2b$', '$2y$')};MME;Moreau;Inès;Paris\n`;
    const enrolments = `email,course_code,school,period,started_on,ended_on,attendance_percent,attendance_certificate,outcome,certificate_on,certificate_number\nines.old@old.example,ESP1,École Keller (11e),2015-2016,2015-09-21,2016-06-13,88,oui,réussi,2016-07-04,CMA-2016-004512\n`;
    const report = await importLegacyFiles({ db: t.db, clock: t.clock }, [
      { name: 'accounts.csv', content: Buffer.from(accounts) },
      { name: 'enrolments.csv', content: Buffer.from(enrolments) },
    ]);
    assert.ok(report.ok);
    email = (await buildLearner(t.db, t.clock)).email;
  });
  after(() => journey.close());

  it('ACC-9 ACC-10 a learner links the former account with its old password from the account page, then sees the old course in the history, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email, password: GOOD_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: /Rattacher mon ancien compte/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon ancien compte' }).waitFor();
    await expectAccessible(page, 'the link page');

    // A wrong password first: the message next to the field, the address kept.
    await page.getByLabel('Adresse électronique de l’ancien compte').first().fill('ines.old@old.example');
    await page.getByLabel('Mot de passe de l’ancien compte', { exact: true }).fill('Ancien-CMA-2015');
    await page.getByRole('button', { name: 'Rattacher mon ancien compte' }).click();
    await page.getByText('Ancienne adresse ou ancien mot de passe incorrect', { exact: false }).first().waitFor();
    assert.equal(await page.getByLabel('Adresse électronique de l’ancien compte').first().inputValue(), 'ines.old@old.example');
    await expectAccessible(page, 'the link page with its error');

    await page.getByLabel('Mot de passe de l’ancien compte', { exact: true }).fill('Ancien-CMA-2016');
    await page.getByRole('button', { name: 'Rattacher mon ancien compte' }).click();
    await page.getByText('Votre ancien compte est rattaché : votre historique est dans Mon parcours.').waitFor();
    assert.ok(await page.getByRole('heading', { level: 2, name: 'Les informations de votre ancien compte' }).isVisible());
    await expectAccessible(page, 'the link done');

    await page.getByRole('link', { name: 'Voir mon parcours, avec mes anciens cours' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon parcours' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Dans l’ancien système' }).waitFor();
    assert.ok(await page.getByRole('heading', { level: 3, name: 'Cours ESP1 (ancien système)' }).isVisible());
    assert.ok(await page.getByText('88 % des heures du cours').isVisible());
    assert.ok(await page.getByText('N° CMA-2016-004512, délivré le 4 juillet 2016').isVisible());
    await expectAccessible(page, 'the history with the old course');
    await page.close();
  });
});
