import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { buildStaff, GOOD_PASSWORD } from '../test/app';
import { enrolledLearners } from '../test/attendance';
import { buildCatalogue } from '../test/catalogue';
import { attendanceEntries } from '../src/modules/attendance/attendance.table';
import { meetingsOf } from '../src/modules/attendance';
import { courseSessions } from '../src/modules/catalogue/catalogue.table';
import { assignScope } from '../src/modules/scopes';
import { expectAccessible, logIn, startJourney, tabTo } from './browser';

/** A small phone. */
const phone = { width: 360, height: 740 };

/** Fails when the page scrolls sideways (what sticks out inside a scrolling region does not count). */
async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
  const found = await page.evaluate(() => {
    const root = document.documentElement;
    const offenders: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el.getBoundingClientRect().right <= root.clientWidth + 0.5) continue;
      let inScroller = false;
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX)) inScroller = true;
      if (!inScroller && offenders.length < 6) offenders.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}`);
    }
    return { scrollWidth: root.scrollWidth, width: root.clientWidth, offenders };
  });
  assert.equal(found.width, phone.width);
  assert.ok(found.scrollWidth <= found.width, `${label}: ${found.scrollWidth} px wide at ${found.width} px; sticking out: ${found.offenders.join(', ')}`);
}

/** What has the keyboard focus: its kind, its label, the fieldset (learner) it is in, and whether the focus is visible. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    const style = el ? getComputedStyle(el) : null;
    return {
      type: el?.getAttribute('type') ?? el?.tagName.toLowerCase() ?? '',
      value: el?.value ?? '',
      label: el?.labels?.[0]?.textContent?.trim() ?? el?.textContent?.trim() ?? '',
      learner: el?.closest('fieldset')?.querySelector('legend')?.textContent?.trim() ?? null,
      visible: Boolean(style && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2),
    };
  });

/** Tabs to the radio group of this learner (it holds one tab stop: the radio checked). */
async function tabToLearner(page: Page, name: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.type === 'radio' && f.learner === name) {
      assert.ok(f.visible, `the focus on ${name}'s marks is visible`);
      return;
    }
  }
  throw new Error(`could not reach ${name}'s marks with the Tab key`);
}

describe('register journey (ATT-1)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let trainer: Awaited<ReturnType<typeof buildStaff>>;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let meetingId: number;

  before(async () => {
    journey = await startJourney();
    const { t } = journey;
    // Mondays 18:30–20:30; the session started yesterday (Monday 31 August): its first meeting is held.
    await buildCatalogue(t.db, t.clock, [{ code: 'JREG', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    made = await enrolledLearners({ db: t.db, clock: t.clock, baseUrl: journey.baseUrl, secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { JREG: 4 });
    trainer = await buildStaff(t.db, t.clock, 'trainer');
    await assignScope(t.db, { userId: trainer.userId, sessions: ['JREG'] });
    const [session] = await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'JREG'));
    meetingId = (await meetingsOf(t.db, [session.id])).get(session.id)![0].id;
  });
  after(() => journey.close());

  it('ATT-1 a trainer fills a register by keyboard alone on a 360 px wide screen: everyone present, then the exceptions, with axe', async () => {
    const page = await (await journey.browser.newContext({ viewport: phone })).newPage();
    await logIn(page, journey, { email: trainer.email, password: GOOD_PASSWORD, totpSecret: trainer.totpSecret });

    // The staff home → the session's meetings → the held meeting, by keyboard.
    await tabTo(page, 'Registres', 'link');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /^Registres : / }).waitFor();
    assert.match(await page.locator('main').innerText(), /Tenue, registre manquant/);
    await expectAccessible(page, 'the meetings');
    await expectNoSidewaysScroll(page, 'the meetings');
    await tabTo(page, '31 août 2026', 'link');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Appel du 31 août 2026' }).waitFor();
    await expectAccessible(page, 'the register, empty');
    await expectNoSidewaysScroll(page, 'the register, empty');

    // "Everyone present" is the first button: it ticks "present" for everyone.
    await tabTo(page, 'Tout le monde présent', 'button');
    assert.ok((await focused(page)).visible, 'the focus on the button is visible');
    await page.keyboard.press('Enter');
    await page.waitForURL(/tous=presents/);
    const names = (await page.locator('fieldset legend').allInnerTexts()).map((n) => n.trim());
    assert.equal(names.length, 4);
    for (const name of names) assert.equal(await page.getByRole('group', { name }).getByLabel('Présent·e').isChecked(), true, name);

    // The exceptions: the second learner came 25 minutes late, the third was absent.
    await tabToLearner(page, names[1]);
    await page.keyboard.press('ArrowRight'); // present → late
    assert.equal((await focused(page)).value, 'late');
    await page.keyboard.press('Tab');
    assert.match((await focused(page)).label, /^Minutes manquées/);
    await page.keyboard.type('25');
    await tabToLearner(page, names[2]);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight'); // → late → left early → absent
    assert.equal((await focused(page)).value, 'absent');
    await tabTo(page, 'Enregistrer l’appel', 'button');
    await page.keyboard.press('Enter');
    await page.getByText('L’appel est enregistré.').waitFor();
    assert.equal(await page.getByRole('group', { name: names[1] }).getByLabel('En retard').isChecked(), true);
    assert.equal(await page.getByRole('group', { name: names[1] }).getByLabel(/^Minutes manquées/).inputValue(), '25');
    assert.equal(await page.getByRole('group', { name: names[2] }).getByLabel('Absent·e').isChecked(), true);
    assert.match(await page.locator('main').innerText(), /Dernier enregistrement par Test trainer/);
    await expectAccessible(page, 'the register, saved');
    await expectNoSidewaysScroll(page, 'the register, saved');

    const entries = await journey.t.db.select().from(attendanceEntries).where(eq(attendanceEntries.meetingId, meetingId)).orderBy(asc(attendanceEntries.id));
    assert.equal(entries.length, 4);
    const byMark = Object.fromEntries(entries.map((e) => [e.mark, e.minutesAttended]));
    assert.deepEqual(byMark, { present: 120, late: 105, absent: 0 }, 'late by 25 minutes, 10 of grace: 105 of 120 minutes');
    assert.deepEqual(new Set(entries.map((e) => e.applicationId)), new Set(made.JREG.learners.map((l) => l.applicationId)));

    // Minutes out of range: the message next to the field, what was typed kept, still accessible at 360 px.
    await tabToLearner(page, names[1]);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('500');
    await tabTo(page, 'Enregistrer l’appel', 'button');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Le formulaire contient/ }).waitFor();
    const field = page.getByRole('group', { name: names[1] }).getByLabel(/^Minutes manquées/);
    assert.equal(await field.inputValue(), '500');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await page.getByRole('group', { name: names[1] }).innerText(), /Entrez un nombre de minutes, de 0 à 120\./);
    await expectAccessible(page, 'the register, minutes out of range');
    await expectNoSidewaysScroll(page, 'the register, minutes out of range');
    assert.equal((await journey.t.db.select().from(attendanceEntries).where(eq(attendanceEntries.meetingId, meetingId))).length, 4, 'nothing saved');
  });

  it('ATT-1 two tabs: the register saved from the older one does not overwrite the newer marks; the conflict page names them, accessible at 360 px', async () => {
    const context = await journey.browser.newContext({ viewport: phone });
    const older = await context.newPage();
    await logIn(older, journey, { email: trainer.email, password: GOOD_PASSWORD, totpSecret: trainer.totpSecret });
    const url = `${journey.baseUrl}/personnel/sessions/JREG/registres/${meetingId}`;
    await older.goto(url);
    const names = (await older.locator('fieldset legend').allInnerTexts()).map((n) => n.trim());
    // The newer tab: the first learner's absence is justified, saved.
    const newer = await context.newPage();
    await newer.goto(url);
    await newer.getByRole('group', { name: names[0] }).getByLabel('Absence justifiée').check();
    await newer.getByRole('button', { name: 'Enregistrer l’appel' }).click();
    await newer.getByText('L’appel est enregistré.').waitFor();
    // The older tab, still showing "present": the fourth learner marked absent, saved.
    await older.getByRole('group', { name: names[3] }).getByLabel('Absent·e').check();
    await older.getByRole('button', { name: 'Enregistrer l’appel' }).click();
    await older.getByText(/^Pendant que vous faisiez l’appel/).waitFor();
    assert.match(await older.getByRole('group', { name: names[0] }).innerText(), /Noté « Absence justifiée » par Test trainer, le .+ : vérifiez et enregistrez de nouveau\./);
    assert.equal(await older.getByRole('group', { name: names[3] }).getByLabel('Absent·e').isChecked(), true, 'what was typed is kept');
    await expectAccessible(older, 'the register, a conflict');
    await expectNoSidewaysScroll(older, 'the register, a conflict');
    const latest = async () => {
      const rows = await journey.t.db.select().from(attendanceEntries).where(eq(attendanceEntries.meetingId, meetingId)).orderBy(asc(attendanceEntries.id));
      return new Map(rows.map((r) => [r.applicationId, r.mark]));
    };
    const marks = await latest();
    assert.equal([...marks.values()].filter((m) => m === 'justified').length, 1, 'the justified absence kept');
    assert.equal([...marks.values()].filter((m) => m === 'absent').length, 2, 'the older tab’s other change saved');
    // Checked and saved again: the older tab's marks are now written.
    await older.getByRole('button', { name: 'Enregistrer l’appel' }).click();
    await older.getByText('L’appel est enregistré.').waitFor();
    assert.equal([...(await latest()).values()].filter((m) => m === 'justified').length, 0, 'confirmed: the older tab’s mark');
    await context.close();
  });
});
