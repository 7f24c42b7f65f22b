import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GOOD_PASSWORD, TEST_SECRET, buildStaff } from '../test/app';
import { issueDocument, type IssuedDocument } from '../src/modules/documents';
import { expectAccessible, logIn, startJourney } from './browser';

describe('PAY-10 checking a document on the public page', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let document: IssuedDocument;
  before(async () => {
    journey = await startJourney();
    const { db, clock } = journey.t;
    document = await issueDocument(db, { baseUrl: journey.baseUrl, secret: TEST_SECRET, clock }, {
      kind: 'enrollee_card',
      subjectId: 'e2e-card',
      holderName: 'DURAND Léa',
      title: 'Français langue étrangère A1',
      issuerName: 'École Oberkampf',
      validUntil: '2027-06-30',
      details: { 'doc.detail.place': 'Salle 12' },
    });
  });
  after(() => journey.close());

  it('PAY-10 a visitor types a code, mistyped then right, and reads that the document is genuine; an administrator sees the fuller view; with axe', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/verifier`);
    await page.getByRole('heading', { level: 1, name: 'Vérifier un document' }).waitFor();
    await expectAccessible(page, 'the verification form');
    await page.getByLabel('Code du document').fill('ABCD-0O1');
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByText('Ce code n’a pas la forme d’un code de document').first().waitFor();
    assert.equal(await page.getByLabel('Code du document').inputValue(), 'ABCD-0O1');
    await expectAccessible(page, 'the verification form with an error');
    await page.getByLabel('Code du document').fill(document.displayCode.toLowerCase().replaceAll('-', ' '));
    await page.getByRole('button', { name: 'Vérifier' }).click();
    await page.getByRole('heading', { level: 1, name: 'Document authentique et valable' }).waitFor();
    await page.getByText('D. L.', { exact: true }).waitFor();
    await expectAccessible(page, 'a valid document');
    await page.goto(document.verifyUrl);
    await page.getByText('La signature du code QR est authentique').waitFor();
    await page.goto(`${journey.baseUrl}/verifier/ZZZZ-ZZZZ-ZZZZ`);
    await page.getByRole('heading', { level: 1, name: 'Aucun document ne porte ce code' }).waitFor();
    await expectAccessible(page, 'no such document');
    await page.close();

    const admin = await buildStaff(journey.t.db, journey.t.clock, 'admin');
    const staffPage = await (await journey.browser.newContext()).newPage();
    await logIn(staffPage, journey, { email: admin.email, password: GOOD_PASSWORD, totpSecret: admin.totpSecret });
    await staffPage.goto(document.verifyUrl);
    await staffPage.getByRole('heading', { level: 2, name: 'Pour le personnel' }).waitFor();
    await staffPage.getByText('DURAND Léa').waitFor();
    await expectAccessible(staffPage, 'the fuller view of staff');
    await staffPage.close();
  });
});
