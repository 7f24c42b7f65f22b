import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { TEST_SECRET } from '../test/app';
import { pdfText, squash } from '../test/pdf';
import { DEMO_GRADUATE } from '../src/demo/credits-documents';
import { DEMO_LEARNER, DEMO_PASSWORD, demoStaff, seedEverything } from '../src/demo/seed';
import { expectAccessible, logIn, startJourney } from './browser';

describe('credits documents journey (issue 18, CRED-4, the credits demo)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney({ config: async () => ({ CURSUS_PROFILE: 'credits' }) });
    await seedEverything(journey.t.db, journey.t.clock, { baseUrl: journey.baseUrl, secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' });
  });
  after(() => journey.close());

  /** The PDF behind a link of the page, as the browser downloads it (its cookies), read back with pdftotext. */
  async function pdfBehind(page: Page, link: string | RegExp): Promise<string> {
    const href = await page.getByRole('link', { name: link }).first().getAttribute('href');
    assert.ok(href, `a link ${link}`);
    const response = await page.context().request.get(`${journey.baseUrl}${href}`);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    const body = await response.body();
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-');
    return pdfText(body);
  }
  /** The short code of the latest document of a kind in the register, as printed (XXXX-XXXX-…). */
  async function latestCode(kind: string): Promise<string> {
    const [row] = (await journey.t.db.execute<{ code: string }>(sql`select code from documents where kind = ${kind} order by issued_at desc, id desc limit 1`)).rows;
    return row.code.match(/.{1,4}/g)!.join('-');
  }
  /** Anyone, logged out, follows the code to the public page: genuine and valid, initials only. */
  async function verify(code: string, label: string, mustNotShow: RegExp) {
    const visitor = await (await journey.browser.newContext()).newPage();
    await visitor.goto(`${journey.baseUrl}/verifier/${code}`);
    await visitor.getByRole('heading', { level: 1, name: 'Document authentique et valable' }).waitFor();
    assert.doesNotMatch(await visitor.locator('main').innerText(), mustNotShow, 'initials only');
    await expectAccessible(visitor, `the public page of ${label}`);
    await visitor.close();
  }

  it('CRED-4 a learner sees their progress on « Mes cursus », downloads a unit’s attestation of success and the transcript, both verifiable; the diploma page says what is missing, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: DEMO_LEARNER, password: DEMO_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte/cursus`);
    await page.getByRole('heading', { level: 1, name: 'Mes cursus' }).waitFor();
    const certificate = page.locator('section', { has: page.getByRole('heading', { name: /Certificat de compétence Programmeur d’applications/ }) });
    assert.match(await certificate.innerText(), /18 crédits ECTS sur 30/);
    await page.getByRole('heading', { level: 2, name: 'Mes attestations et mon relevé' }).waitFor();
    await expectAccessible(page, 'my programmes, with my documents');

    const attestation = await pdfBehind(page, /Attestation de réussite de NFA031/);
    const attestationCode = await latestCode('unit_attestation');
    for (const expected of ['Attestation de réussite', 'NFA031', 'Programmation Java : initiation', '6 crédits ECTS', attestationCode])
      assert.ok(attestation.includes(squash(expected)), `${expected} in the attestation:\n${attestation}`);
    await verify(attestationCode, 'an attestation of success', /Martin|Camille/);

    const transcript = await pdfBehind(page, 'Télécharger mon relevé de notes et de crédits (PDF)');
    const transcriptCode = await latestCode('transcript');
    for (const expected of ['Relevé de notes et de crédits', 'NFA031', 'NFA035', 'NFE107', '18', transcriptCode]) assert.ok(transcript.includes(squash(expected)), `${expected} in the transcript:\n${transcript}`);
    await verify(transcriptCode, 'a transcript', /Martin|Camille/);

    // Not complete: the check says what is missing and there is nothing to ask for.
    await certificate.getByRole('link', { name: 'Mon diplôme : vérifier et demander' }).click();
    await page.getByRole('heading', { level: 2, name: 'Vérification : pouvez-vous demander ce diplôme ?' }).waitFor();
    const check = await page.locator('main').innerText();
    assert.match(check, /Ce cursus n’est pas encore complet. Il vous manque :/);
    assert.match(check, /12 crédits ECTS/);
    assert.match(check, /les unités obligatoires NFA032/);
    assert.match(check, /1 unité\(s\) à choisir parmi/);
    assert.equal(await page.getByRole('button', { name: 'Demander mon diplôme' }).count(), 0, 'no request before completion');
    await expectAccessible(page, 'the diploma page, not complete');
    await page.close();
  });

  it('CRED-4 the learner with the licence complete asks for the diploma (the check shown), the administrator grants it, the learner downloads it and anyone checks it, with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: DEMO_GRADUATE, password: DEMO_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte/cursus`);
    const licence = page.locator('section', { has: page.getByRole('heading', { name: /Licence professionnelle Métiers de l’informatique/ }) });
    assert.match(await licence.innerText(), /64 crédits ECTS sur 60/);
    await expectAccessible(page, 'my programmes, a licence complete');
    await licence.getByRole('link', { name: 'Mon diplôme : vérifier et demander' }).click();
    await page.getByText('Toutes les conditions sont remplies : vous pouvez demander votre diplôme.').waitFor();
    await expectAccessible(page, 'the diploma page, complete');
    await page.getByRole('button', { name: 'Demander mon diplôme' }).click();
    await page.getByText('Votre demande de diplôme est enregistrée : vous recevrez un courriel dès qu’elle sera décidée.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Demander mon diplôme' }).count(), 0, 'asked once');
    assert.match(await page.getByRole('region', { name: 'Mes demandes' }).innerText(), /Demande de diplôme du .+ : /);
    await expectAccessible(page, 'the diploma page, asked for');

    const admin = demoStaff.find((s) => s.role === 'admin')!;
    const staff = await (await journey.browser.newContext()).newPage();
    await logIn(staff, journey, { email: admin.email, password: DEMO_PASSWORD, totpSecret: admin.totpSecret });
    await staff.goto(`${journey.baseUrl}/personnel/diplomes`);
    await staff.getByRole('heading', { level: 1, name: 'Demandes de diplômes et de duplicatas' }).waitFor();
    assert.equal(await staff.getByRole('link', { name: /diplôme « CC13/ }).count(), 1, 'the demo’s pending request is listed too');
    await expectAccessible(staff, 'the diploma requests');
    await staff.getByRole('link', { name: /diplôme « LP-INFO/ }).click();
    await staff.getByRole('heading', { level: 2, name: 'Décision' }).waitFor();
    await expectAccessible(staff, 'a diploma request');
    await staff.locator('input[name="decision"][value="grant"]').check();
    await staff.getByRole('button', { name: 'Enregistrer la décision' }).click();
    await staff.getByText('La décision est enregistrée ; l’apprenant en est informé par courriel.').waitFor();
    await expectAccessible(staff, 'a diploma request, decided');
    await staff.close();

    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Mon diplôme' }).waitFor();
    await expectAccessible(page, 'the diploma page, granted');
    const diploma = await pdfBehind(page, 'Télécharger mon diplôme (PDF)');
    const code = await latestCode('diploma');
    for (const expected of ['Licence professionnelle', 'LP-INFO', '64 crédits ECTS', code]) assert.ok(diploma.includes(squash(expected)), `${expected} in the diploma:\n${diploma}`);
    assert.ok(!diploma.includes('DUPLICATA'));
    await page.close();
    await verify(code, 'a diploma', /Benali|Karim/);
  });
});
