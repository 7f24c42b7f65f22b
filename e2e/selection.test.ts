import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_LEARNER, DEMO_PASSWORD, demoStaff, seedEverything } from '../src/demo/seed';
import { demoCandidateEmail } from '../src/demo/selection';
import { eq } from 'drizzle-orm';
import { GOOD_PASSWORD, TEST_SECRET } from '../test/app';
import { confirmedApplicants } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import { findUserByEmail } from '../src/modules/accounts';
import { courses, registrationPeriods } from '../src/modules/catalogue/catalogue.table';
import { assignScope } from '../src/modules/scopes';
import { expectAccessible, logIn, startJourney, tabTo } from './browser';

describe('selection journey, on the demo data', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let sessions: string;
  /** The proposal read by the first journey, checked against the draw once revealed by the second. */
  let proposal: { rank: number; situation: string; objective: string; points: number; id: string; reference: string }[] = [];
  before(async () => {
    journey = await startJourney();
    const said = await seedEverything(journey.t.db, journey.t.clock, { baseUrl: journey.baseUrl, secret: TEST_SECRET, cashOffice: 'Régie CMA et AE' });
    sessions = said.join(' ');
  });
  after(() => journey.close());

  it('SEL-2 a coordinator opens the demo session’s selection screen from the staff home: ranked on the criteria, ties by the published draw, with axe', async () => {
    const selection = /session (S\d{6}) awaits its selection/.exec(sessions)![1];
    const coordinator = demoStaff.find((s) => s.role === 'coordinator')!;
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: coordinator.email, password: DEMO_PASSWORD, totpSecret: coordinator.totpSecret });
    await page.goto(`${journey.baseUrl}/personnel?show=processing`);
    await page.getByRole('row', { name: new RegExp(selection) }).getByRole('link', { name: 'Sélection' }).click();
    await page.getByRole('heading', { level: 1, name: /^Sélection : / }).waitFor();
    const main = await page.locator('main').innerText();
    // SEL-2: the draw was committed before the window opened; its seed stays secret until the decision.
    assert.match(main, /Tirage engagé le .* \(empreinte [0-9a-f]{64}\)/, 'the commitment is shown');
    assert.doesNotMatch(main, /graine [0-9a-f]{32}/, 'the seed is not shown before the decision');

    // The proposal as the page shows it, read by its column headers.
    const headers = (await page.locator('main table thead th').allInnerTexts()).map((h) => h.trim());
    const column = (name: string) => {
      const i = headers.indexOf(name);
      assert.ok(i >= 0, `column ${name} in ${headers.join(' | ')}`);
      return i;
    };
    const cells = await page.locator('main table tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.innerText.trim())));
    const rows = cells.map((c) => ({
      rank: Number(c[column('Rang')]),
      situation: c[column('Situation')],
      objective: c[column('Objectif')],
      points: Number(c[column('Points (critères)')]),
      id: c[column('Numéro de candidature')],
      reference: c[column('Référence du tirage')],
    }));
    assert.equal(rows.length, 30, 'the 30 demo applicants');
    assert.deepEqual(rows.map((r) => r.rank), rows.map((_, i) => i + 1));

    // SEL-2's criteria: points never go up down the list; the same situation and objective give the same points;
    // at the same objective, every welfare recipient, job seeker or assisted contract comes before everyone else.
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].points >= rows[i].points, `rank ${i} has ${rows[i - 1].points} points, rank ${i + 1} ${rows[i].points}`);
    const social = new Set(['Bénéficiaire du RSA, de l’ASS ou de l’AAH', 'Demandeur ou demandeuse d’emploi', 'En contrat aidé']);
    assert.ok(rows.some((r) => social.has(r.situation)) && rows.some((r) => !social.has(r.situation)), 'the demo has both');
    for (const a of rows)
      for (const b of rows) {
        if (a.situation === b.situation && a.objective === b.objective) assert.equal(a.points, b.points, `${a.situation}, ${a.objective}`);
        if (a.objective === b.objective && social.has(a.situation) && !social.has(b.situation)) assert.ok(a.rank < b.rank, `${a.situation} (rank ${a.rank}) before ${b.situation} (rank ${b.rank})`);
      }

    proposal = rows;
    await expectAccessible(page, 'selection proposal with its ranking');
    await page.close();
  });

  it('SEL-1 SEL-2 SEL-3 SEL-6 a coordinator runs the demo session’s selection; a candidate sees the outcome, with axe', async () => {
    const selection = /session (S\d{6}) awaits its selection/.exec(sessions)![1];
    const coordinator = demoStaff.find((s) => s.role === 'coordinator')!;
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: coordinator.email, password: DEMO_PASSWORD, totpSecret: coordinator.totpSecret });
    await page.goto(`${journey.baseUrl}/personnel?show=processing`);
    await expectAccessible(page, 'staff home, filtered');
    await page.getByRole('row', { name: new RegExp(selection) }).getByRole('link', { name: 'Sélection' }).click();
    await page.getByRole('heading', { level: 1, name: /^Sélection : / }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /15 places, dont 0 déjà prises ; 30 candidatures à départager/);
    await expectAccessible(page, 'selection proposal');
    await tabTo(page, 'Enregistrer la décision', 'button', 200);
    await page.keyboard.press('Enter');
    await page.getByText('Décision enregistrée : 15 acceptée(s), 15 en liste d’attente.').waitFor();
    await expectAccessible(page, 'selection decided');
    // SEL-2: the decision revealed the seed; anyone re-runs the draw from the public page's JSON and
    // checks the commitment and the order; the ties of the proposal were in that order.
    const published = await (await fetch(`${journey.baseUrl}/sessions/${selection}/selection.json`)).text();
    const file = join(mkdtempSync(join(tmpdir(), 'cursus-draw-')), 'selection.json');
    writeFileSync(file, published);
    const rerun = execFileSync('npm', ['run', '--silent', 'cli', '--', 'draw', '--file', file], { encoding: 'utf8' });
    assert.match(rerun, /The seed matches the commitment [0-9a-f]{64}\./);
    assert.match(rerun, /The order published is the order this seed gives\./);
    const drawn = [...rerun.matchAll(/^\d+\. (\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual([...drawn].sort(), proposal.map((r) => r.reference).sort());
    const tied = [...new Set(proposal.map((r) => r.points))].filter((p) => proposal.filter((r) => r.points === p).length > 1);
    assert.ok(tied.length > 0, 'the demo has ties');
    for (const points of tied)
      assert.deepEqual(
        proposal.filter((r) => r.points === points).map((r) => r.reference),
        drawn.filter((ref) => proposal.find((r) => r.reference === ref)!.points === points),
        `the applicants with ${points} points, in the draw's order`,
      );
    await page.goto(`${journey.baseUrl}/personnel/sessions/${selection}`);
    await expectAccessible(page, 'session applications');
    await page.locator('main table a').first().click();
    await page.getByRole('heading', { level: 1, name: /^Candidature de / }).waitFor();
    await expectAccessible(page, 'applicant sheet');

    const learner = await (await journey.browser.newContext()).newPage();
    await logIn(learner, journey, { email: demoCandidateEmail(1), password: DEMO_PASSWORD });
    await learner.goto(`${journey.baseUrl}/candidatures`);
    assert.match(await learner.locator('main').innerText(), /Acceptée : inscription à valider par l’établissement, puis à régler|Sur liste d’attente[\s\S]*(Votre place sur la liste d’attente aujourd’hui : \d+|Vous êtes la première personne sur la liste d’attente)/);
    await expectAccessible(learner, 'my applications after the selection');
    await page.close();
    await learner.close();
  });

  it('SEL-8 the demo learner accepts the place offered from the waiting list, by keyboard, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: DEMO_LEARNER, password: DEMO_PASSWORD });
    await page.goto(`${journey.baseUrl}/candidatures`);
    await page.getByRole('heading', { name: 'Une place vous est proposée' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Répondez avant le/);
    await expectAccessible(page, 'my applications with an offer');
    await tabTo(page, 'Accepter la place', 'button');
    await page.keyboard.press('Enter');
    await page.getByText('Place acceptée. L’établissement validera votre inscription à la première séance, puis vous réglerez.').waitFor();
    const section = await page.getByRole('region', { name: 'En attente de paiement' }).innerText();
    assert.match(section, /Acceptée : inscription à valider par l’établissement, puis à régler/);
    assert.equal(await page.getByRole('heading', { name: 'Une place vous est proposée' }).count(), 0);
    await expectAccessible(page, 'my applications, offer accepted');
    await page.close();
  });

  it('SEL-3 SEL-2 a coordinator convokes to a test and reads an applicant’s forms; errors next to the fields, with axe', async () => {
    const { t } = journey;
    await buildCatalogue(t.db, t.clock, [{ code: 'EVAL1', course: 'C-EVAL', weekday: 6, startsAt: '10:00', endsAt: '12:00' }]);
    await t.db.update(courses).set({ admissionTest: 'anticipated_test' }).where(eq(courses.code, 'C-EVAL'));
    const applicants = await confirmedApplicants({ db: t.db, clock: t.clock, baseUrl: journey.baseUrl }, 'EVAL1', 3);
    await t.db.update(registrationPeriods).set({ applicationsCloseAt: new Date(t.clock.now().getTime() - 60_000) }).where(eq(registrationPeriods.code, 'open'));
    const coordinator = demoStaff.find((s) => s.role === 'coordinator')!;
    const user = (await findUserByEmail(t.db, coordinator.email))!;
    await assignScope(t.db, { userId: user.id, sessions: ['EVAL1'] });
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: coordinator.email, password: DEMO_PASSWORD, totpSecret: coordinator.totpSecret });
    await page.goto(`${journey.baseUrl}/personnel/sessions/EVAL1`);
    await page.getByRole('heading', { name: 'Convoquer à un test ou un entretien' }).waitFor();
    await expectAccessible(page, 'session page with the convocation form');
    await page.getByLabel('Date', { exact: true }).fill('30/02/2027');
    await page.getByLabel('Heure').fill('9h30');
    await page.getByLabel('Lieu').fill('Salle 3');
    await page.getByRole('button', { name: 'Envoyer les convocations' }).click();
    await page.getByText('Indiquez une date réelle, par exemple 12/01/2027.').first().waitFor();
    assert.equal(await page.getByLabel('Lieu').inputValue(), 'Salle 3');
    await expectAccessible(page, 'convocation form with an error');
    await page.getByLabel('Date', { exact: true }).fill('12/01/2027');
    await page.getByRole('button', { name: 'Envoyer les convocations' }).click();
    await page.getByText('3 convocation(s) envoyée(s).').waitFor();
    await page.goto(`${journey.baseUrl}/personnel/candidatures/${applicants[0].applicationId}`);
    await page.getByRole('textbox', { name: 'Évaluation pédagogique (sur 20)' }).fill('21');
    await page.getByRole('button', { name: 'Enregistrer la note' }).click();
    await page.getByText('Indiquez une note entre 0 et 20').first().waitFor();
    await expectAccessible(page, 'applicant page with its forms and an error');
    await page.close();

    const learner = await (await journey.browser.newContext()).newPage();
    await logIn(learner, journey, { email: applicants[0].email, password: GOOD_PASSWORD });
    await learner.goto(`${journey.baseUrl}/candidatures`);
    await learner.getByRole('link', { name: 'Télécharger ma convocation (PDF)' }).waitFor();
    await expectAccessible(learner, 'my applications with a convocation');
    await learner.close();
  });
});
