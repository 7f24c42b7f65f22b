import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GOOD_PASSWORD, buildStaff } from '../test/app';
import { buildCatalogue } from '../test/catalogue';
import { addHelpDesk, assignCounsellor } from '../src/modules/desk';
import { assignScope } from '../src/modules/scopes';
import { expectAccessible, logIn, startJourney } from './browser';

describe('SVC-5 help desk journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
  });
  after(() => journey.close());

  it('SVC-5 a counsellor registers a learner who then takes the account over by SMS code, with axe', async () => {
    const { db, clock } = journey.t;
    await buildCatalogue(db, clock, [{ code: 'FLE-E2E', weekday: 3, startsAt: '09:00', endsAt: '11:00' }]);
    const desk = await addHelpDesk(db, clock, { code: 'ACC-E2E', name: 'Accueil Paris 11e', address: '12 place Léon-Blum', hours: '9 h – 12 h 30' });
    const counsellor = await buildStaff(db, clock, 'counsellor');
    await assignCounsellor(db, { deskId: desk.id, userId: counsellor.userId });
    await assignScope(db, { userId: counsellor.userId, sessions: ['FLE-E2E'] });

    // The counsellor, signed in with their password and TOTP code like all staff.
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: counsellor.email, password: GOOD_PASSWORD, totpSecret: counsellor.totpSecret });
    await page.getByRole('link', { name: 'Accueil : inscrire une personne présente' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accueil : inscription accompagnée' }).waitFor();
    await expectAccessible(page, 'desk home');
    await page.getByRole('link', { name: 'Inscrire une personne' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inscrire une personne présente' }).waitFor();
    await expectAccessible(page, 'registration form');

    // Sent empty: the errors, the consent first.
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByText('Cochez cette case : la personne doit être présente et d’accord.').first().waitFor();
    await expectAccessible(page, 'registration form with errors');

    // Filled with the person: no email address, a mobile, the account in English.
    await page.getByLabel('La personne est présente et elle est d’accord').check();
    await page.getByRole('radio', { name: 'Anglais (English)' }).check();
    await page.getByRole('radio', { name: 'Madame' }).check();
    await page.getByLabel('Nom', { exact: true }).fill('Haddad');
    await page.getByLabel('Prénom').fill('Nour');
    await page.getByLabel('Date de naissance').fill('12/04/1991');
    await page.getByLabel('Pays de naissance').selectOption('SY');
    await page.getByLabel('Numéro et rue').fill('3 rue de la Roquette');
    await page.getByLabel('Code postal').fill('75011');
    await page.getByLabel('Ville').fill('Paris');
    await page.getByLabel('Téléphone portable').fill('06 98 76 00 01');
    await page.getByRole('radio', { name: 'Autre' }).check();
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByText('Le compte est créé.').waitFor();
    assert.match(await page.locator('main').innerText(), /06 98 76 00 01 \(pas d’adresse électronique\)/);
    await expectAccessible(page, 'the learner at the desk');

    // The application: a session of the counsellor's scope, filled with the person and sent.
    await page.getByLabel('Session').selectOption('FLE-E2E');
    await page.locator('#consent').check();
    await page.getByRole('button', { name: 'Présélectionner cette session' }).click();
    await page.getByRole('heading', { level: 1, name: /Candidature de HADDAD Nour/ }).waitFor();
    await expectAccessible(page, 'the application form at the desk');
    await page.getByRole('radio', { name: 'Demandeur ou demandeuse d’emploi' }).check();
    await page.getByRole('radio', { name: 'Pour mon évolution professionnelle' }).check();
    await page.getByLabel('Ses motivations, avec ses mots').fill('Trouver un travail et parler avec les voisins.');
    await page.getByLabel('La personne est présente et elle est d’accord').check();
    await page.getByRole('button', { name: 'Envoyer la candidature' }).click();
    await page.getByText('La candidature est envoyée.').waitFor();
    assert.match(await page.locator('main').innerText(), /Envoyée : en attente de traitement/);

    // The code, read from the development SMS outbox.
    await page.goto(`${journey.baseUrl}/dev/courriels`);
    // The newest row to this number is the application's confirmation (the learner has no email: SVC-7 tells them by SMS).
    const sms = await page.getByRole('row', { name: /\+33698760001/ }).filter({ hasText: /take your account over|reprendre votre compte/ }).first().innerText();
    const code = /(\d{4}) (\d{4})/.exec(sms);
    assert.ok(code, sms);
    await page.close();

    // The learner, on their own: a wrong code first, then the right one and their password.
    const learner = await (await journey.browser.newContext()).newPage();
    await learner.goto(`${journey.baseUrl}/connexion`);
    await learner.getByRole('link', { name: 'J’ai reçu un code par SMS pour reprendre mon compte' }).click();
    await learner.getByRole('heading', { level: 1, name: 'Reprendre mon compte' }).waitFor();
    await expectAccessible(learner, 'takeover form');
    const wrong = code[1] === '0000' ? '1111 1111' : '0000 0000';
    await learner.getByLabel('Numéro de portable ou adresse électronique').fill('06 98 76 00 01');
    await learner.getByLabel('Code reçu par SMS').fill(wrong);
    await learner.getByLabel('Nouveau mot de passe', { exact: true }).fill('Soleil de Belleville 2026');
    await learner.getByLabel('Confirmez le nouveau mot de passe').fill('Soleil de Belleville 2026');
    await learner.getByRole('button', { name: 'Reprendre mon compte' }).click();
    await learner.getByText('Ce code ne correspond pas, ou il n’est plus valable').first().waitFor();
    await expectAccessible(learner, 'takeover form with a wrong code');
    assert.equal(await learner.getByLabel('Numéro de portable ou adresse électronique').inputValue(), '06 98 76 00 01', 'the number is kept');
    await learner.getByLabel('Code reçu par SMS').fill(`${code[1]} ${code[2]}`);
    await learner.getByLabel('Nouveau mot de passe', { exact: true }).fill('Soleil de Belleville 2026');
    await learner.getByLabel('Confirmez le nouveau mot de passe').fill('Soleil de Belleville 2026');
    await learner.getByRole('button', { name: 'Reprendre mon compte' }).click();
    // Signed in, in the language the counsellor chose for the account.
    await learner.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
    assert.match(await learner.locator('main').innerText(), /Your mobile number 06 98 76 00 01 \(no email address/);
    await expectAccessible(learner, 'the account taken over');

    // Later, the mobile number and the password sign in.
    await learner.getByRole('button', { name: 'Log out' }).click();
    await learner.goto(`${journey.baseUrl}/connexion`);
    await learner.getByLabel('Email address or mobile number').fill('06 98 76 00 01');
    await learner.getByLabel('Password', { exact: true }).fill('Soleil de Belleville 2026');
    await learner.getByRole('button', { name: 'Log in' }).click();
    await learner.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
    await learner.close();
  });

  it('SVC-5 the administrator adds a help desk, gives it a counsellor and closes it, with axe', async () => {
    const { db, clock } = journey.t;
    const admin = await buildStaff(db, clock, 'admin');
    const counsellor = await buildStaff(db, clock, 'counsellor');
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: admin.email, password: GOOD_PASSWORD, totpSecret: admin.totpSecret });
    await page.goto(`${journey.baseUrl}/personnel/admin`);
    await page.getByRole('link', { name: 'Accueils et conseillers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Accueils' }).waitFor();
    await expectAccessible(page, 'help desks');

    // Sent with an arrondissement out of range: the message next to the field, what was typed kept.
    await page.getByLabel('Nom de l’accueil').fill('Accueil Mairie du 18e');
    await page.getByLabel('Adresse', { exact: true }).fill('1 place Jules-Joffrin, 75018 Paris');
    await page.getByLabel(/Arrondissements de Paris/).fill('18, 25');
    await page.getByRole('button', { name: 'Ajouter l’accueil' }).click();
    await page.getByText('Indiquez des arrondissements de 1 à 20, séparés par des virgules.').first().waitFor();
    assert.equal(await page.getByLabel('Nom de l’accueil').inputValue(), 'Accueil Mairie du 18e');
    await expectAccessible(page, 'help desk form with errors');
    await page.getByLabel(/Arrondissements de Paris/).fill('18');
    await page.getByRole('button', { name: 'Ajouter l’accueil' }).click();
    await page.getByText('L’accueil est ajouté.').waitFor();
    await expectAccessible(page, 'one help desk');

    await page.getByLabel('Conseiller à ajouter').selectOption({ label: `Test counsellor (${counsellor.email})` });
    await page.getByRole('button', { name: 'Ajouter ce conseiller' }).click();
    await page.getByText('Le conseiller est ajouté.').waitFor();
    await page.getByRole('button', { name: 'Retirer Test counsellor' }).waitFor();
    await page.getByRole('button', { name: 'Fermer cet accueil' }).click();
    await page.getByText('L’accueil est fermé.').waitFor();
    await expectAccessible(page, 'a closed help desk');
    await page.close();
  });
});
