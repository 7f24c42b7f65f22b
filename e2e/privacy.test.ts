import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { buildLearner, GOOD_PASSWORD } from '../test/app';
import { expectAccessible, logIn, startJourney } from './browser';

describe('the learner downloads their data (ACC-11)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let learner: { email: string };
  before(async () => {
    journey = await startJourney();
    learner = await buildLearner(journey.t.db, journey.t.clock);
  });
  after(() => journey.close());

  it('ACC-11 from the account, the learner prepares their data, reads the printable page and downloads the JSON file, with axe; the closure page reads too', async () => {
    const page = await (await journey.browser.newContext({ acceptDownloads: true })).newPage();
    await logIn(page, journey, { email: learner.email, password: GOOD_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Télécharger mes données' }).click();
    await page.getByRole('heading', { level: 1, name: 'Télécharger mes données' }).waitFor();
    await expectAccessible(page, 'download my data, nothing asked yet');

    await page.getByRole('button', { name: 'Préparer mes données' }).click();
    const read = page.getByRole('link', { name: 'Lire mes données (page imprimable)' });
    await read.waitFor();
    await expectAccessible(page, 'download my data, ready');

    // The JSON file, as the browser saves it.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Télécharger le fichier JSON/ }).click()]);
    assert.match(download.suggestedFilename(), /^cursus-mes-donnees-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(await readFile((await download.path())!, 'utf8'));
    assert.equal(file.format, 'cursus-personal-data');
    assert.equal(file.formatVersion, 1);
    assert.ok(Array.isArray(file.sections) && file.sections.length > 0);

    // The readable page: a heading per section; printed, without the site's header and links.
    await read.click();
    await page.getByRole('heading', { level: 1, name: 'Mes données' }).waitFor();
    assert.ok(await page.getByRole('heading', { level: 2, name: 'Téléchargements de vos données' }).isVisible());
    await expectAccessible(page, 'my data, readable page');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.site-header').isVisible(), false, 'the header is not printed');
    assert.ok(await page.getByRole('heading', { level: 1, name: 'Mes données' }).isVisible());
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${journey.baseUrl}/compte/fermer`);
    await page.getByRole('heading', { level: 1, name: 'Fermer mon compte' }).waitFor();
    await expectAccessible(page, 'close my account');
    await page.close();
  });
});
