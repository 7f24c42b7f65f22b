import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { GOOD_PASSWORD, TEST_SECRET, buildStaff } from '../test/app';
import { closeOpenPeriod, confirmedApplicants } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import { courses } from '../src/modules/catalogue/catalogue.table';
import { assignScope } from '../src/modules/scopes';
import * as actions from '../src/modules/selection/applicants.service';
import { expectAccessible, logIn, startJourney, tabTo } from './browser';

describe('SVC-7 the easy-read convocation, in a browser', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let applicants: Awaited<ReturnType<typeof confirmedApplicants>>;
  before(async () => {
    journey = await startJourney();
    const { t } = journey;
    const deps = { db: t.db, clock: t.clock, baseUrl: journey.baseUrl };
    await buildCatalogue(t.db, t.clock, [{ code: 'FALC1', course: 'C-FALC', weekday: 2, startsAt: '14:00', endsAt: '16:00' }]);
    await t.db.update(courses).set({ admissionTest: 'anticipated_test' }).where(eq(courses.code, 'C-FALC'));
    applicants = await confirmedApplicants(deps, 'FALC1', 1);
    await closeOpenPeriod(t.db, t.clock);
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: coordinator.userId, sessions: ['FALC1'] });
    const convoked = await actions.convokeSession({ ...deps, secret: TEST_SECRET }, { staff: { id: coordinator.userId, role: 'coordinator' }, sessionCode: 'FALC1', kind: 'test', day: '2027-01-12', time: '09:30', place: 'Salle 12, 1 rue Test', minutes: 90 });
    assert.deepEqual(convoked, { ok: true, convoked: 1 });
  });
  after(() => journey.close());

  it('SVC-7 a learner opens the easy-read version of the convocation from their page: large date, place and what to bring, with axe and the keyboard', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: applicants[0].email, password: GOOD_PASSWORD });
    await page.goto(`${journey.baseUrl}/candidatures`);
    await tabTo(page, 'Version facile à lire', 'link');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Votre rendez-vous pour un test' }).waitFor();
    assert.match(page.url(), /\/convocation\/[A-Za-z0-9_-]+\/facile$/);
    const text = await page.locator('main').innerText();
    assert.match(text, /mardi 12 janvier 2027 à 9 h 30/);
    assert.match(text, /Le rendez-vous dure environ 1 heure et 30 minutes\./);
    // The date, the place and what to bring: each a line of its own, in large type (≥ 1.5 rem = 24 px).
    const large = await page.locator('.falc-large').evaluateAll((els) => els.map((el) => ({ text: (el as HTMLElement).innerText, size: parseFloat(getComputedStyle(el).fontSize) })));
    assert.equal(large.length, 3);
    assert.match(large[0].text, /^Date :\s*mardi 12 janvier 2027/);
    assert.match(large[1].text, /^Adresse :\s*Salle 12, 1 rue Test/);
    assert.match(large[2].text, /^Apportez :\s*un papier officiel avec votre photo/);
    for (const line of large) assert.ok(line.size >= 24, `${line.text}: ${line.size}px`);
    await expectAccessible(page, 'the easy-read convocation');

    // Anyone with the link (no login), and the calendar file it offers.
    const visitor = await (await journey.browser.newContext()).newPage();
    await visitor.goto(page.url());
    await visitor.getByRole('heading', { level: 1, name: 'Votre rendez-vous pour un test' }).waitFor();
    const ics = await visitor.request.get(`${page.url().replace(/\/facile$/, '')}/agenda.ics`);
    assert.equal(ics.status(), 200);
    assert.match(await ics.text(), /DTSTART:20270112T083000Z/);
    await expectAccessible(visitor, 'the easy-read convocation, signed out');
    await visitor.close();
    await page.close();
  });

  it('SVC-7 the development mailbox lists the convocation email’s calendar file and downloads it', async () => {
    const page = await (await journey.browser.newContext()).newPage();
    await page.goto(`${journey.baseUrl}/dev/courriels`);
    await page.getByRole('link', { name: /^Convocation/ }).first().click();
    await page.getByRole('heading', { name: 'Pièces jointes' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'convocation.ics' }).click()]);
    assert.equal(download.suggestedFilename(), 'convocation.ics');
    await expectAccessible(page, 'an email with its attachment in the development mailbox');
    await page.close();
  });
});
