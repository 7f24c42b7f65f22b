import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { uniqueEmail } from '../test/app';
import { expectAccessible, startJourney, tabTo } from './browser';

describe('learner journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
  });
  after(() => journey.close());

  it('ACC-1 ACC-2 ACC-3 ACC-4 ACC-6 sign-up → activation email → learner record → logout → reset, by keyboard, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    const email = uniqueEmail('parcours');
    const password = 'Cours du soir 2026';
    await page.goto(journey.baseUrl);
    await expectAccessible(page, 'home');

    // The skip link is the first stop of the keyboard.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Aller au contenu');
    await tabTo(page, 'Créer mon compte', 'link');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/inscription');
    await expectAccessible(page, 'sign-up form');

    // Errors first: an empty form shows the summary, focused, with links to the fields.
    await tabTo(page, 'Je crée mon compte', 'button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error-summary');
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('error-summary')), true);
    await expectAccessible(page, 'sign-up form with errors');

    await tabTo(page, 'Adresse électronique');
    await page.keyboard.type(email);
    await tabTo(page, /^Mot de passe/);
    await page.keyboard.type(password);
    await tabTo(page, 'Confirmez le mot de passe');
    await page.keyboard.type(password);
    await tabTo(page, 'J’accepte les conditions générales');
    await page.keyboard.press('Space');
    // ACC-2: the proof-of-work solves itself; the person has nothing to type.
    await page.getByRole('status').filter({ hasText: 'Vérification automatique réussie' }).waitFor();
    await tabTo(page, 'Je crée mon compte', 'button');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'C’est presque fini !' }).waitFor();
    await expectAccessible(page, 'sign-up done');

    // The activation email, read from the development mailbox.
    await page.goto(`${journey.baseUrl}/dev/courriels`);
    await expectAccessible(page, 'mailbox');
    await page.getByRole('row', { name: new RegExp(email) }).getByRole('link', { name: /Activez votre compte/ }).click();
    await page.getByRole('link', { name: /\/activation\// }).click();
    // ACC-3: the link asks for the password chosen at sign-up, then logs in.
    await page.getByRole('heading', { name: 'Activez votre compte' }).waitFor();
    await expectAccessible(page, 'activation');
    await page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await page.getByLabel('Mot de passe', { exact: true }).press('Enter');
    await page.getByRole('heading', { name: 'Ma fiche' }).waitFor();
    await expectAccessible(page, 'learner record form');

    // The learner record, with one mistake first (under 18).
    await page.getByLabel('Madame').check();
    await page.getByLabel('Nom', { exact: true }).fill('Nguyen');
    await page.getByLabel('Prénom').fill('Thi Lan');
    await page.getByLabel('Date de naissance').fill('15/03/2012');
    await page.getByLabel('Pays de naissance').selectOption('VN');
    await page.getByLabel('Numéro et rue').fill('24 rue du Faubourg du Temple');
    await page.getByLabel('Code postal').fill('75010');
    await page.getByLabel('Ville').fill('Paris');
    await page.getByLabel('Téléphone portable').fill('06 11 22 33 44');
    await page.getByLabel('Réseaux sociaux').check();
    await page.getByRole('button', { name: 'Enregistrer ma fiche' }).click();
    await page.getByText('Les cours sont ouverts aux personnes de 18 ans ou plus.').first().waitFor();
    assert.equal(await page.getByLabel('Nom', { exact: true }).inputValue(), 'Nguyen', 'what was typed is kept');
    await expectAccessible(page, 'learner record with an error');
    await page.getByRole('link', { name: /Date de naissance/ }).click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('15/03/1992');
    await page.getByRole('button', { name: 'Enregistrer ma fiche' }).click();
    await page.getByText('Votre fiche est enregistrée.').waitFor();
    await expectAccessible(page, 'account page');

    // Log out, forget the password, reset it.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await expectAccessible(page, 'forgotten password');
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
    await page.getByRole('heading', { name: 'Regardez vos courriels' }).waitFor();
    await page.goto(`${journey.baseUrl}/dev/courriels`);
    await page.getByRole('row', { name: new RegExp(email) }).getByRole('link', { name: 'Choisissez un nouveau mot de passe' }).click();
    await page.getByRole('link', { name: /\/mot-de-passe\// }).click();
    await expectAccessible(page, 'reset form');
    const newPassword = 'Nouveau départ 2027';
    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(newPassword);
    await page.getByLabel('Confirmez le nouveau mot de passe').fill(newPassword);
    await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
    await page.getByRole('heading', { name: 'Mot de passe modifié' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Mon compte' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Nguyen/);
    await page.close();
  });

  it('SVC-4 the whole sign-up page reads in English after the switch, and errors too', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/inscription`);
    await page.getByRole('link', { name: 'Read this site in English' }).click();
    await page.getByRole('heading', { name: 'Create my account' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByLabel('Email address').fill('not-an-email');
    await page.getByRole('button', { name: 'Create my account' }).click();
    await page.getByText('Enter a valid email address, like name@example.com.').first().waitFor();
    await expectAccessible(page, 'English sign-up with errors');
    await page.close();
  });
});
