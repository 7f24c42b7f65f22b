import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { buildLearner, buildStaff, GOOD_PASSWORD } from '../test/app';
import { expectAccessible, logIn, startJourney } from './browser';

/** 320 CSS px wide: a 1280 px window zoomed to 400 %, or a small phone (WCAG 1.4.10). */
const narrow = { width: 320, height: 640 };

/**
 * Fails when the page scrolls sideways, naming the elements that stick out past the right edge
 * (those inside a container that scrolls on its own, like a wide table's, do not count).
 */
async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  const found = await page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect();
      if (box.right <= width + 0.5) continue;
      let inScroller = false;
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX)) inScroller = true;
      }
      if (inScroller || offenders.length >= 6) continue;
      const classes = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      offenders.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${classes} (right edge ${Math.round(box.right)} px)`);
    }
    return { scrollWidth: root.scrollWidth, width, offenders };
  });
  assert.equal(found.width, narrow.width, `${label}: the window is ${narrow.width} CSS px wide`);
  assert.ok(found.scrollWidth <= found.width, `${label}: the page is ${found.scrollWidth} px wide at ${found.width} px; sticking out: ${found.offenders.join(', ')}`);
}

describe('reflow journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    await seedCatalogue(journey.t.db, journey.t.clock);
  });
  after(() => journey.close());

  it('WCAG 1.4.10 at 320 CSS px no page scrolls sideways (home, search results, course sheet, account, staff list, administration); wide tables scroll in their own region, with axe', async () => {
    const visitor = await (await journey.browser.newContext({ viewport: narrow })).newPage();
    for (const [path, label] of [
      ['/', 'home'],
      ['/recherche?q=anglais', 'search results'],
      ['/connexion', 'login'],
      ['/inscription', 'sign-up'],
    ] as const) {
      await visitor.goto(`${journey.baseUrl}${path}`);
      await expectNoSidewaysScroll(visitor, label);
      await expectAccessible(visitor, `${label} at 320 px`);
    }
    await visitor.goto(`${journey.baseUrl}/recherche?q=anglais`);
    await visitor.locator('.result h3 a').first().click();
    await visitor.locator('h1').waitFor();
    await expectNoSidewaysScroll(visitor, 'course sheet');
    await visitor.close();

    // The learner's account page: record, contact form, sessions table; the email is long.
    const learner = await buildLearner(journey.t.db, journey.t.clock, {
      email: `marie-claire.de-la-fontaine-saint-hilaire.${Date.now()}@universite-populaire-paris-centre.example.org`,
    });
    const learnerPage = await (await journey.browser.newContext({ viewport: narrow })).newPage();
    await logIn(learnerPage, journey, { email: learner.email, password: GOOD_PASSWORD });
    await learnerPage.goto(`${journey.baseUrl}/compte`);
    await learnerPage.getByRole('heading', { level: 1, name: 'Mon compte' }).waitFor();
    await expectNoSidewaysScroll(learnerPage, 'account');
    await expectAccessible(learnerPage, 'account at 320 px');
    await learnerPage.close();

    // Staff: the list of sessions (every session of the city for an administrator) and the staff accounts.
    const admin = await buildStaff(journey.t.db, journey.t.clock, 'admin');
    const staffPage = await (await journey.browser.newContext({ viewport: narrow })).newPage();
    await logIn(staffPage, journey, { email: admin.email, password: GOOD_PASSWORD, totpSecret: admin.totpSecret });
    await staffPage.goto(`${journey.baseUrl}/personnel`);
    await expectNoSidewaysScroll(staffPage, 'staff list, every session');
    for (const [path, label] of [
      // axe takes long on 400 rows: the same table, filtered, is checked instead.
      ['/personnel?q=anglais', 'staff list'],
      ['/personnel/admin', 'administration'],
      ['/personnel/admin/comptes', 'staff accounts'],
      ['/personnel/admin/catalogue/cours/nouveau', 'new course form'],
    ] as const) {
      await staffPage.goto(`${journey.baseUrl}${path}`);
      await expectNoSidewaysScroll(staffPage, label);
      await expectAccessible(staffPage, `${label} at 320 px`);
    }
    // The wide table scrolls inside its own region, which the keyboard can reach.
    await staffPage.goto(`${journey.baseUrl}/personnel`);
    const region = staffPage.getByRole('region', { name: 'Les sessions de votre périmètre' });
    const sizes = await region.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, tabIndex: (el as HTMLElement).tabIndex }));
    assert.ok(sizes.scroll > sizes.client, 'the staff table is wider than the screen and scrolls in its region');
    assert.equal(sizes.tabIndex, 0, 'the scrolling region takes the keyboard focus');
    await staffPage.close();
  });
});
