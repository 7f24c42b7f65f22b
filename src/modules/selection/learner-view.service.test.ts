import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { translator } from '../../platform/i18n';
import { defaultPolicies } from '../../platform/policies';
import { workJobs } from '../../platform/jobs';
import { lineText } from '../../ui/explanation';
import * as apps from '../applications/applications.service';
import { applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';
import './learner-view';
import { adjustRanking, recordPrerequisites } from './applicants.service';
import { decideSession } from './selection.service';
import { offers, selectionDecisions } from './selection.table';
import { answerOffer, waitingListEnd, waitingListJobs } from './waiting-list.service';

describe('SEL-11 SEL-12 the learner’s page explains the decision and follows the waiting list', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps & { clock: FixedClock };
  type Applicant = Awaited<ReturnType<typeof confirmedApplicants>>[number];
  let cohort: Applicant[];
  const fr = translator('fr');

  const view = async (a: Applicant) => (await apps.listApplications(database.db, clock, a.learnerId)).find((x) => x.id === a.applicationId)!;
  const waitingText = async (a: Applicant) => (await view(a)).explanation!.waiting.map((l) => lineText(fr, l));
  const decisionText = async (a: Applicant) => (await view(a)).explanation!.decision.map((l) => lineText(fr, l));
  const row = async (a: Applicant) => (await database.db.select().from(applications).where(eq(applications.id, a.applicationId)))[0];
  const byRank = async () => {
    const rows = await Promise.all(cohort.map(async (a) => ({ a, row: await row(a) })));
    return rows.filter((r) => r.row.status === 'waiting_list').sort((x, y) => x.row.waitingRank! - y.row.waitingRank!).map((r) => r.a);
  };
  const runJobs = async () => {
    while ((await workJobs({ db: database.db, clock, handlers: waitingListJobs(deps) })) > 0);
  };
  const openOffer = async (a: Applicant) => (await database.db.select().from(offers).where(and(eq(offers.applicationId, a.applicationId), eq(offers.status, 'open'))))[0];

  let staff: { id: string; role: 'admin' };
  let firstMeeting: string;
  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'WL', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    await setCapacity(database.db, 'WL', 2);
    // Seven applicants: one job seeker (3 points by default), the others employed (none).
    cohort = await confirmedApplicants(deps, 'WL', 7, (i) => (i === 0 ? 'job_seeker' : 'employed'));
    const admin = await buildStaff(database.db, clock, 'admin');
    staff = { id: admin.userId, role: 'admin' };
    await closeOpenPeriod(database.db, clock);
    // SEL-12: an adjustment with its public reason; a prerequisite missing with the coordinator's words.
    assert.deepEqual(await adjustRanking(deps, { staff, applicationId: cohort[1].applicationId, points: 5, reason: 'Vu en entretien : très motivée', publicReason: 'positioning_test' }), { ok: true });
    assert.deepEqual(await recordPrerequisites(deps, { staff, applicationId: cohort[6].applicationId, met: false, reason: 'L’attestation du niveau A1' }), { ok: true });
    assert.ok((await decideSession(deps, { staff, sessionCode: 'WL' })).ok);
    firstMeeting = (await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'WL')))[0].firstMeeting;
  });
  after(() => database.close());

  it('SEL-12 an accepted learner reads the criteria that applied, the public reason of an adjustment (never staff’s own), their rank and the places', async () => {
    const lines = await decisionText(cohort[1]);
    assert.ok(lines.includes('Votre situation : Salarié·e. Elle ne donne pas de points.'), lines.join('\n'));
    assert.ok(lines.includes('L’équipe a ajouté 5 points. Pourquoi : un test de niveau passé.'));
    assert.ok(lines.includes('Votre total : 5 points.'));
    assert.ok(lines.includes('Votre rang : 1 sur 6 personnes.'), 'the highest score: first of the six ranked');
    assert.ok(lines.includes('Places libres à la décision : 2.'));
    assert.ok(lines.includes('Votre rang entre dans les places. Vous avez une place.'));
    assert.ok(!lines.join(' ').includes('motivée'), 'staff’s own reason stays in the log');
    const seeker = await decisionText(cohort[0]);
    assert.ok(seeker.includes(`Votre situation : Demandeur ou demandeuse d’emploi. Points : ${defaultPolicies.pointsJobSeeker}.`));
    assert.ok(seeker.includes('Votre rang : 2 sur 6 personnes.'));
    assert.equal((await view(cohort[0])).explanation!.waiting.length, 0, 'no waiting lines for a place held');
  });

  it('SEL-12 SEL-2 those tied on points read that a draw decided their order; the kept decision does not change with the policies', async () => {
    const [first] = await byRank();
    const lines = await decisionText(first);
    assert.ok(lines.includes('D’autres personnes avaient les mêmes points. Un tirage au sort a décidé l’ordre.'));
    assert.ok(lines.includes('Les places sont allées aux personnes avant vous. Vous êtes sur la liste d’attente.'));
    assert.ok(lines.includes('Votre numéro sur la liste d’attente : 1.'));
    const [kept] = await database.db.select().from(selectionDecisions).where(eq(selectionDecisions.applicationId, cohort[0].applicationId));
    assert.equal(kept.points.situation.job_seeker, defaultPolicies.pointsJobSeeker, 'the points of that day are kept with the decision');
  });

  it('SEL-12 SEL-1 a refused learner reads what was missing and that they were not ranked', async () => {
    assert.deepEqual(await decisionText(cohort[6]), ['Ce cours demande quelque chose avant. Il manque : L’attestation du niveau A1', 'Votre demande n’a donc pas été classée.']);
  });

  it('SEL-11 a learner on a waiting list follows their place as others ahead decline, withdraw or take a place; the last number offered and the places follow', async () => {
    const list = await byRank();
    assert.equal(list.length, 4);
    const [w1, w2, w3, w4] = list;
    const end = waitingListEnd(firstMeeting, defaultPolicies.waitingListExpiryWeeks);
    const endText = `Sans place le ${fr.date(end, 'date')}, votre demande se ferme : manque de places.`;
    assert.deepEqual(await waitingText(w3), [
      'Votre place sur la liste d’attente aujourd’hui : 3. Nombre de personnes avant vous : 2.',
      'Votre numéro sur la liste : 3.',
      'Aucune place de cette liste n’a encore été proposée.',
      'Nombre de places dans ce groupe : 2.',
      'Si une place se libère, nous vous écrivons par courriel ou par SMS.',
      `Vous avez alors ${defaultPolicies.offerReplyHours} heures pour répondre.`,
      endText,
    ]);

    // An accepted learner gives up: the place is offered to number 1 (still on the list until they answer).
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: cohort[0].learnerId, applicationId: cohort[0].applicationId }), { ok: true, status: 'withdrawn' });
    await runJobs();
    assert.ok(await openOffer(w1));
    let lines = await waitingText(w3);
    assert.equal(lines[0], 'Votre place sur la liste d’attente aujourd’hui : 3. Nombre de personnes avant vous : 2.');
    assert.equal(lines[2], 'La dernière place proposée est allée au numéro 1.');

    // Number 1 declines: they leave the list, number 2 is offered the place.
    assert.deepEqual(await answerOffer(deps, { learnerId: w1.learnerId, offerId: (await openOffer(w1)).id, accept: false }), { ok: true, accepted: false });
    await runJobs();
    lines = await waitingText(w3);
    assert.equal(lines[0], 'Votre place sur la liste d’attente aujourd’hui : 2. Nombre de personnes avant vous : 1.');
    assert.equal(lines[2], 'La dernière place proposée est allée au numéro 2.');

    // Number 2 accepts: they hold a place now, and read that it came from the list.
    assert.deepEqual(await answerOffer(deps, { learnerId: w2.learnerId, offerId: (await openOffer(w2)).id, accept: true }), { ok: true, accepted: true });
    assert.deepEqual(await waitingText(w3), ['Vous êtes la première personne sur la liste d’attente.', 'Votre numéro sur la liste : 3.', 'La dernière place proposée est allée au numéro 2.', 'Nombre de places dans ce groupe : 2.', 'Si une place se libère, nous vous écrivons par courriel ou par SMS.', `Vous avez alors ${defaultPolicies.offerReplyHours} heures pour répondre.`, endText]);
    assert.ok((await decisionText(w2)).includes('Plus tard, une place s’est libérée. Elle vous a été proposée.'));
    assert.equal((await view(w2)).explanation!.waiting.length, 0);
    assert.equal((await waitingText(w4))[0], 'Votre place sur la liste d’attente aujourd’hui : 2. Nombre de personnes avant vous : 1.');

    // Number 3 withdraws from the list: number 4 is first.
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: w3.learnerId, applicationId: w3.applicationId }), { ok: true, status: 'withdrawn' });
    assert.equal((await waitingText(w4))[0], 'Vous êtes la première personne sur la liste d’attente.');
    assert.equal((await view(w3)).explanation!.waiting.length, 0, 'a learner who left reads no standing');
    // The session's places follow the catalogue.
    await setCapacity(database.db, 'WL', 3);
    assert.ok((await waitingText(w4)).includes('Nombre de places dans ce groupe : 3.'));
  });

  it('SEL-11 SEL-12 one call explains every application of a page at once, whatever its outcome', async () => {
    const ids = cohort.map((a) => a.applicationId);
    const { learnerSelectionViews } = await import('./learner-view');
    const views = await learnerSelectionViews(database.db, ids);
    assert.equal(views.size, ids.length);
    assert.ok([...views.values()].every((v) => v.explanation), 'every decided application is explained');
  });
});
