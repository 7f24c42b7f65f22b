import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TEST_SECRET } from '../test/app';
import { DEMO_LEARNER, DEMO_PASSWORD, demoStaff, seedEverything } from '../src/demo/seed';
import { expectAccessible, logIn, startJourney } from './browser';

/** The learning platform's export for the demo learner's first two weekly classes of GLG101 (3 h of the 6 h held). */
const lines = [
  'email,session,start,end',
  `${DEMO_LEARNER},GLG101-S1-2026,2026-10-20T18:30:00+02:00,2026-10-20T20:30:00+02:00`,
  'inconnu@example.org,GLG101-S1-2026,2026-10-20T18:30:00+02:00,2026-10-20T20:30:00+02:00',
  `${DEMO_LEARNER},GLG101-S1-2026,2026-10-27T18:30:00+01:00,2026-10-27T19:30:00+01:00`,
];
const csv = (rows: string[]) => ({ name: 'export-plateforme.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\n')}\n`) });

describe('remote attendance journey (issue 18, decision 030, the credits demo)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney({ config: async () => ({ CURSUS_PROFILE: 'credits' }) });
    await seedEverything(journey.t.db, journey.t.clock, { baseUrl: journey.baseUrl, secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' });
    // Three weekly classes of the semester held (20 and 27 October, 3 November).
    journey.t.clock.set(new Date('2026-11-04T08:00:00Z'));
  });
  after(() => journey.close());

  it('a school head uploads a file with an unknown learner: refused whole, the line report next to the field; fixed, it is imported; the learner sees their hours and rate, with axe on each page', async () => {
    const head = demoStaff.find((s) => s.role === 'school_head')!;
    const staff = await (await journey.browser.newContext()).newPage();
    await logIn(staff, journey, { email: head.email, password: DEMO_PASSWORD, totpSecret: head.totpSecret });
    await staff.getByRole('link', { name: 'Importer des heures de connexion (unités à distance)' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Heures de connexion à distance' }).waitFor();
    await expectAccessible(staff, 'the import page');

    await staff.getByLabel('Fichier CSV des connexions').setInputFiles(csv(lines));
    await staff.getByRole('button', { name: 'Importer les connexions' }).click();
    await staff.locator('#file-error').getByText(/Le fichier est refusé, rien n’a été enregistré/).waitFor();
    const report = await staff.locator('#connections-report').innerText();
    assert.match(report, /3\s+email\s+Aucun apprenant n’a cette adresse électronique\./);
    assert.doesNotMatch(report, /\n\s*2\s/, 'only the bad line is reported');
    await expectAccessible(staff, 'the import page with its line report');

    await staff.getByLabel('Fichier CSV des connexions').setInputFiles(csv(lines.filter((l) => !l.startsWith('inconnu'))));
    await staff.getByRole('button', { name: 'Importer les connexions' }).click();
    await staff.getByText('Connexions importées : 2 ajoutées, 0 déjà connues, 0 remplacées.').waitFor();
    assert.match(await staff.locator('#connections-imports').innerText(), /export-plateforme\.csv/);
    await expectAccessible(staff, 'the import page, imported');

    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: DEMO_LEARNER, password: DEMO_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Mes heures de connexion (unités à distance)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mes heures de connexion' }).waitFor();
    const glg = await page.locator('section', { has: page.getByRole('heading', { name: /GLG101/ }) }).innerText();
    assert.match(glg, /3 h 00 de connexion/);
    assert.match(glg, /Assiduité jusqu’ici : 50 % des heures prévues \(6 h 00\)/);
    assert.match(glg, /27 octobre 2026 à 18:30[\s\S]*1 h 00/);
    await expectAccessible(page, 'my connection hours');
    await page.close();
    await staff.close();
  });
});
