import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildLearner, GOOD_PASSWORD } from '../test/app';
import { buildCatalogue } from '../test/catalogue';
import { chainLevels, pastOutcome, pastSession } from '../test/levels';
import { registrationPeriods } from '../src/modules/catalogue/catalogue.table';
import { expectAccessible, logIn, startJourney } from './browser';

describe('next level journey', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  before(async () => {
    journey = await startJourney();
    const { db, clock } = journey.t;
    await buildCatalogue(db, clock, [
      { code: 'JA1-OLD', course: 'JA1', weekday: 1, startsAt: '18:30', endsAt: '20:30', period: 'closed' },
      { code: 'JA2', course: 'JA2', weekday: 3, startsAt: '18:30', endsAt: '20:30' },
    ]);
    await pastSession(db, clock, 'JA1-OLD');
    await chainLevels(db, 'JA1', 'JA2');
    // CERT-6: the priority window is open; the public window opens in two days.
    const now = clock.now().getTime();
    await db.update(registrationPeriods).set({ priorityOpensAt: new Date(now - 2 * 86_400_000), applicationsOpenAt: new Date(now + 2 * 86_400_000) }).where(eq(registrationPeriods.code, 'open'));
  });
  after(() => journey.close());

  it('CERT-6 a learner who passed a level sees the next level from their account and applies with the form prefilled, in the priority window, with axe', async () => {
    const learner = await buildLearner(journey.t.db, journey.t.clock);
    await pastOutcome(journey.t.db, journey.t.clock, {
      learnerId: learner.id,
      sessionCode: 'JA1-OLD',
      answers: { situation: 'employed', objective: 'professional', motivations: 'Progresser après le niveau 1 pour parler aux clients.' },
    });
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: learner.email, password: GOOD_PASSWORD });
    await page.goto(`${journey.baseUrl}/compte`);
    await page.getByRole('link', { name: 'Le niveau suivant de vos cours réussis' }).click();
    await page.getByRole('heading', { level: 1, name: 'Le niveau suivant' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Cours JA1/);
    assert.match(await page.locator('main').innerText(), /Fenêtre prioritaire/);
    await expectAccessible(page, 'the next level');

    await page.getByRole('button', { name: 'Candidater à cette session' }).click();
    await page.getByRole('heading', { name: 'Vérifiez vos réponses' }).waitFor();
    const main = await page.locator('main').innerText();
    assert.match(main, /Progresser après le niveau 1 pour parler aux clients\./, 'the motivations come from the previous application');
    assert.match(main, /Salarié·e/);
    await expectAccessible(page, 'check your answers, prefilled');
    await page.getByLabel('J’accepte le règlement de l’établissement').check();
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Votre candidature est envoyée.').waitFor();
    const processing = page.locator('section', { has: page.getByRole('heading', { name: 'Candidatures en cours de traitement' }) });
    assert.match(await processing.innerText(), /Cours JA2/);

    await page.goto(`${journey.baseUrl}/compte/niveau-suivant`);
    await page.getByText('Vous avez déjà une candidature à ce cours.').waitFor();
    await expectAccessible(page, 'the next level, applied');
    await page.close();
  });
});
