import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { GOOD_PASSWORD } from '../test/app';
import { enrolledLearners } from '../test/attendance';
import { buildCatalogue } from '../test/catalogue';
import { insertOutcome, issueCertificate, pastEnrolment } from '../test/history';
import { expectAccessible, logIn, startJourney } from './browser';

const phone = { width: 360, height: 740 };
const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** The page does not scroll sideways at this width (WCAG 1.4.10). */
async function expectNoSidewaysScroll(page: Page, label: string) {
  const { scrollWidth, width } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, width: document.documentElement.clientWidth }));
  assert.ok(scrollWidth <= width, `${label}: ${scrollWidth} px wide at ${width} px`);
}

describe('the learner’s history and calendar on a phone (ACC-10, CAT-8)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let learner: { email: string; learnerId: string; applicationId: string };
  before(async () => {
    journey = await startJourney();
    const { t } = journey;
    await buildCatalogue(t.db, t.clock, [
      { code: 'E-RUN', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'E-OLD', weekday: 2, startsAt: '18:00', endsAt: '20:00', period: 'closed' },
    ]);
    const deps = { db: t.db, clock: t.clock, baseUrl: journey.baseUrl, secret: TEST_SECRET, cashOffice: 'Régie CMA et AE' };
    learner = (await enrolledLearners(deps, { 'E-RUN': 1 }))['E-RUN'].learners[0];
    const past = await pastEnrolment(t.db, t.clock, { learnerId: learner.learnerId, sessionCode: 'E-OLD', firstMeeting: '2025-09-02', lastMeeting: '2026-06-02' });
    const signing = { baseUrl: journey.baseUrl, secret: TEST_SECRET, clock: t.clock };
    const attendance = await issueCertificate(t.db, signing, past.applicationId, 'attendance_certificate');
    await insertOutcome(t.db, t.clock, past.applicationId, { attendedMinutes: 5_000, plannedMinutes: 6_000, certified: true, attendanceDocumentId: attendance.id, outcome: 'passed', certificateDueOn: '2026-08-02' });
  });
  after(() => journey.close());

  it('ACC-10 CAT-8 at 360 px the history and the calendar page read without sideways scrolling, with axe; the feed’s link is made by keyboard', async () => {
    const page = await (await journey.browser.newContext({ viewport: phone })).newPage();
    await logIn(page, journey, { email: learner.email, password: GOOD_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Mon parcours' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mon parcours' }).waitFor();
    assert.ok(await page.getByText('83 % des heures du cours').isVisible());
    await expectNoSidewaysScroll(page, 'history');
    await expectAccessible(page, 'history at 360 px');

    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Mon calendrier des cours' }).click();
    await page.getByRole('button', { name: 'Créer mon lien de calendrier' }).focus();
    await page.keyboard.press('Enter');
    const url = await page.getByLabel('Adresse du calendrier, à copier').inputValue();
    assert.match(url, /\/calendrier\/[A-Za-z0-9_-]{43}\.ics$/);
    await expectNoSidewaysScroll(page, 'calendar');
    await expectAccessible(page, 'calendar at 360 px');
    const feed = await page.request.get(url);
    assert.equal(feed.status(), 200);
    assert.match(await feed.text(), /^BEGIN:VCALENDAR/);
    await page.close();
  });
});
