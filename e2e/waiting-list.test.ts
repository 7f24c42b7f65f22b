import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildStaff, GOOD_PASSWORD } from '../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../test/applications';
import { buildCatalogue } from '../test/catalogue';
import { workJobs } from '../src/platform/jobs';
import { cancelApplication } from '../src/modules/applications/applications.service';
import { applications } from '../src/modules/applications/applications.table';
import { decideSession } from '../src/modules/selection/selection.service';
import { waitingListJobs } from '../src/modules/selection/waiting-list.service';
import { expectAccessible, logIn, startJourney } from './browser';

describe('waiting list journey (SEL-11, SEL-12)', () => {
  let journey: Awaited<ReturnType<typeof startJourney>>;
  let deps: { db: Awaited<ReturnType<typeof startJourney>>['t']['db']; clock: Awaited<ReturnType<typeof startJourney>>['t']['clock']; baseUrl: string };
  before(async () => {
    journey = await startJourney();
    deps = { db: journey.t.db, clock: journey.t.clock, baseUrl: journey.baseUrl };
  });
  after(() => journey.close());

  const runJobs = async () => {
    while ((await workJobs({ db: deps.db, clock: deps.clock, handlers: waitingListJobs(deps) })) > 0);
  };

  it('SEL-11 a learner on a waiting list follows their rank as others decline, with axe', async () => {
    await buildCatalogue(deps.db, deps.clock, [{ code: 'WAIT1', course: 'C-WAIT', weekday: 2, startsAt: '18:30', endsAt: '20:30' }]);
    await setCapacity(deps.db, 'WAIT1', 1);
    const cohort = await confirmedApplicants(deps, 'WAIT1', 4);
    await closeOpenPeriod(deps.db, deps.clock);
    const admin = await buildStaff(deps.db, deps.clock, 'admin');
    assert.ok((await decideSession(deps, { staff: { id: admin.userId, role: 'admin' }, sessionCode: 'WAIT1' })).ok);
    const rows = await Promise.all(cohort.map(async (a) => ({ a, row: (await deps.db.select().from(applications).where(eq(applications.id, a.applicationId)))[0] })));
    const accepted = rows.find((r) => r.row.status === 'accepted')!.a;
    const [w1, , w3] = rows.filter((r) => r.row.status === 'waiting_list').sort((x, y) => x.row.waitingRank! - y.row.waitingRank!).map((r) => r.a);

    // The third on the list reads where they stand, the places, and what comes next.
    const page = await (await journey.browser.newContext()).newPage();
    await logIn(page, journey, { email: w3.email, password: GOOD_PASSWORD });
    await page.goto(`${journey.baseUrl}/candidatures`);
    const standing = page.getByRole('region', { name: 'Votre place sur la liste d’attente' });
    await standing.waitFor();
    let text = await standing.innerText();
    assert.match(text, /Votre place sur la liste d’attente aujourd’hui : 3\. Nombre de personnes avant vous : 2\./);
    assert.match(text, /Aucune place de cette liste n’a encore été proposée\./);
    assert.match(text, /Nombre de places dans ce groupe : 1\./);
    assert.match(text, /nous vous écrivons par courriel ou par SMS/);
    assert.match(text, /votre demande se ferme : manque de places/);
    // SEL-12: why, in plain words, by keyboard.
    await page.getByText('Pourquoi cette décision').click();
    const why = await page.locator('details.decision-explained').innerText();
    assert.match(why, /Votre rang : 4 sur 4 personnes\./);
    assert.match(why, /Places libres à la décision : 1\./);
    assert.match(why, /Un tirage au sort a décidé l’ordre\./);
    await expectAccessible(page, 'my applications, on a waiting list');

    // The accepted learner gives up: the place goes to number 1, who declines it on their page.
    assert.deepEqual(await cancelApplication(deps, { learnerId: accepted.learnerId, applicationId: accepted.applicationId }), { ok: true, status: 'withdrawn' });
    await runJobs();
    await page.reload();
    text = await standing.innerText();
    assert.match(text, /aujourd’hui : 3\./, 'number 1 is still before them until they answer');
    assert.match(text, /La dernière place proposée est allée au numéro 1\./);
    const first = await (await journey.browser.newContext()).newPage();
    await logIn(first, journey, { email: w1.email, password: GOOD_PASSWORD });
    await first.goto(`${journey.baseUrl}/candidatures`);
    await first.getByRole('button', { name: 'Refuser la place' }).click();
    await first.waitForURL(/message=declined/);
    await first.close();
    await runJobs();
    const offered = await deps.db.select().from(applications).where(and(eq(applications.sessionId, rows[0].row.sessionId), eq(applications.status, 'waiting_list')));
    assert.equal(offered.length, 2, 'numbers 2 and 3 still wait (2 with the offer)');

    // The page follows: one person fewer before them, the last number offered is 2.
    await page.reload();
    text = await standing.innerText();
    assert.match(text, /Votre place sur la liste d’attente aujourd’hui : 2\. Nombre de personnes avant vous : 1\./);
    assert.match(text, /La dernière place proposée est allée au numéro 2\./);
    await expectAccessible(page, 'my applications, the waiting list moved');
    await page.close();
  });
});
