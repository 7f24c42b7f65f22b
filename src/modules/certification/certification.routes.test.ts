import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildStaff, startTestApp, TEST_SECRET, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { enrolledLearners } from '../../../test/attendance';
import { courseEnding, meetingRows, submitRegister } from '../../../test/certification';
import { pdfText } from '../../../test/pdf';
import { meetingsOf } from '../attendance';
import { assignScope } from '../scopes';
import { computeOutcomes } from '.';
import { resultFields } from './certification.service';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The message shown next to each field: [field, text]. */
const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m): [string, string] => [m[1], decode(m[2])]);
const valueOf = (html: string, name: string) => decode(new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1] ?? '');

describe('certification pages (CERT-1, CERT-2, ATT-4, CERT-4, CERT-5)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let trainer: Client;
  let otherTrainer: Client;
  let coordinator: Client;
  let learners: Client[];
  let sessionId: number;
  const evaluation = '/personnel/sessions/S-R/evaluation';

  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z') });
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: TEST_SECRET, cashOffice: 'Régie' };
    await buildCatalogue(t.db, t.clock, [
      { code: 'S-R', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-O', weekday: 2, startsAt: '18:00', endsAt: '20:00' },
    ]);
    made = await enrolledLearners(deps, { 'S-R': 2, 'S-O': 1 });
    sessionId = (await courseEnding(t.db, 'S-R', { lastMeeting: '2026-09-14', hasEvaluation: true, preparesDiploma: true })).id;
    t.clock.set(new Date('2026-09-15T08:00:00Z'));
    const login = async (who: { email: string; totpSecret: string }) => {
      const browser = new Client(t.app);
      await browser.loginStaff(who.email, who.totpSecret, t.clock);
      return browser;
    };
    trainer = await login(made['S-R'].trainer as unknown as { email: string; totpSecret: string });
    otherTrainer = await login(made['S-O'].trainer as unknown as { email: string; totpSecret: string });
    const c = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: c.userId, schools: ['E-11-T'] });
    coordinator = await login(c);
    learners = [];
    for (const l of made['S-R'].learners) {
      const browser = new Client(t.app);
      await browser.login(l.email);
      learners.push(browser);
    }
  });
  after(() => t.close());

  it('CERT-1 the evaluation page: the session’s trainer sees it; another trainer gets 403; an unknown session 404', async () => {
    const page = await trainer.get(evaluation);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /le test a lieu à la dernière séance/);
    assert.equal((await otherTrainer.get(evaluation)).statusCode, 403);
    assert.equal((await coordinator.get('/personnel/sessions/NOPE-1/evaluation')).statusCode, 404);
    assert.equal((await learners[0].get(evaluation)).statusCode, 403);
  });

  it('CERT-1 the coordinator fixes the date: a bad date or one past six weeks after the last meeting next to its field, typed kept; corrected while no result is entered', async () => {
    const bad = await coordinator.submit(evaluation, `${evaluation}/date`, { day: '2026-02-30', time: '25:00' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorsOf(bad.body), [
      ['day', 'Saisissez une date valide, par exemple 2027-06-14.'],
      ['time', 'Saisissez une heure au format HH:MM, par exemple 18:30.'],
    ]);
    assert.equal(valueOf(bad.body, 'day'), '2026-02-30');
    assert.equal(valueOf(bad.body, 'time'), '25:00');
    const done = await coordinator.submit(evaluation, `${evaluation}/date`, { day: '2026-09-14', time: '18:00' });
    assert.equal(done.statusCode, 303);
    const page = await coordinator.get(evaluation);
    assert.match(page.body, /Le test a lieu le 14 septembre 2026/);
    assert.match(page.body, /evaluation\/date/, 'no result yet: the date may be corrected');
    const typo = await coordinator.submit(evaluation, `${evaluation}/date`, { day: '2062-09-14', time: '18:00' });
    assert.equal(typo.statusCode, 400);
    assert.deepEqual(errorsOf(typo.body), [['day', 'Le test a lieu au plus tard 6 semaines après la dernière séance : vérifiez la date saisie.']]);
    assert.equal(valueOf(typo.body, 'day'), '2062-09-14');
    const again = await coordinator.submit(evaluation, `${evaluation}/date`, { day: '2026-09-14', time: '18:00' });
    assert.equal(again.statusCode, 303);
  });

  it('CERT-1 the trainer enters results: out of range or not a number next to the field, what was typed kept; then saved', async () => {
    const [a, b] = made['S-R'].learners.map((l) => l.applicationId);
    const fa = resultFields(a);
    const fb = resultFields(b);
    const bad = await trainer.submit(evaluation, `${evaluation}/resultats`, { [fa.outcome]: 'passed', [fa.score]: '25', [fb.outcome]: 'failed', [fb.score]: 'douze' });
    assert.equal(bad.statusCode, 400);
    // The rows follow the learners' names: compare in any order.
    assert.deepEqual(errorsOf(bad.body).sort(), [
      [fa.score, 'La note est un nombre entier de 0 à 20.'],
      [fb.score, 'La note est un nombre entier de 0 à 20.'],
    ].sort());
    assert.equal(valueOf(bad.body, fa.score), '25');
    assert.equal(valueOf(bad.body, fb.score), 'douze');
    const absentWithMark = await trainer.submit(evaluation, `${evaluation}/resultats`, { [fa.outcome]: 'absent', [fa.score]: '3' });
    assert.equal(absentWithMark.statusCode, 400);
    assert.deepEqual(errorsOf(absentWithMark.body), [[fa.score, 'Une personne absente au test n’a pas de note : laissez la note vide.']]);
    const forbidden = await otherTrainer.post(`${evaluation}/resultats`, { _csrf: decode(/name="_csrf" value="([^"]+)"/.exec((await otherTrainer.get('/personnel/sessions/S-O/evaluation')).body)![1]), [fa.outcome]: 'passed', [fa.score]: '12' });
    assert.equal(forbidden.statusCode, 403);
    const saved = await trainer.submit(evaluation, `${evaluation}/resultats`, { [fa.outcome]: 'passed', [fa.score]: '14', [fb.outcome]: 'failed', [fb.score]: '7' });
    assert.equal(saved.statusCode, 303);
    const page = await trainer.get(evaluation);
    assert.equal(valueOf(page.body, fa.score), '14');
    assert.equal(valueOf(page.body, fb.score), '7');
  });

  it('ATT-4 CERT-2 the learner downloads their own attendance certificate (404 for another’s, and for the certificate of skills before it is issued); the coordinator issues it with "Délivrer"', async () => {
    const [a, b] = made['S-R'].learners.map((l) => l.applicationId);
    await meetingsOf(t.db, [sessionId]);
    for (const meeting of await meetingRows(t.db, sessionId))
      await submitRegister(t.db, t.clock, meeting, made['S-R'].trainer.userId, [
        { applicationId: a, mark: 'present' },
        { applicationId: b, mark: 'absent' },
      ]);
    const computed = await computeOutcomes({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: TEST_SECRET }, sessionId);
    assert.deepEqual(computed, { ok: true, outcomes: 2, attendanceCertificates: 1 });

    const pdf = await learners[0].get(`/candidatures/${a}/attestation-assiduite.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const text = pdfText(pdf.rawPayload);
    assert.ok(text.includes('Attestationd’assiduité') && text.includes('6hsur6h'), text);
    assert.equal((await learners[1].get(`/candidatures/${a}/attestation-assiduite.pdf`)).statusCode, 404);
    assert.equal((await learners[1].get(`/candidatures/${b}/attestation-assiduite.pdf`)).statusCode, 404, 'below the threshold: none');
    assert.equal((await learners[0].get(`/candidatures/${a}/certificat.pdf`)).statusCode, 404);
    assert.equal((await learners[0].get('/candidatures/not-a-uuid/certificat.pdf')).statusCode, 404);

    const list = await coordinator.get('/personnel/certificats');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /À délivrer \(1\)/);
    assert.equal((await trainer.get('/personnel/certificats')).statusCode, 403);
    const issued = await coordinator.submit('/personnel/certificats', `/personnel/certificats/${a}/delivrer`, {});
    assert.equal(issued.statusCode, 303);
    const skills = await learners[0].get(`/candidatures/${a}/certificat.pdf`);
    assert.equal(skills.statusCode, 200);
    assert.ok(pdfText(skills.rawPayload).includes('note:14sur20'));
    // PAY-4: the card prints both stamps now.
    const card = await learners[0].get(`/candidatures/${a}/carte.pdf`);
    assert.equal(card.statusCode, 200);
    const cardText = pdfText(card.rawPayload);
    assert.ok(cardText.includes('ASSIDUITÉ') && cardText.includes('COMPÉTENCESACQUISES'), cardText);
    const notPassed = await coordinator.post(`/personnel/certificats/${b}/delivrer`, { _csrf: decode(/name="_csrf" value="([^"]+)"/.exec(list.body)![1]) });
    assert.equal(notPassed.statusCode, 409);
  });

  it('CERT-4 the learner declares a diploma (required, 200 characters at most), staff grant it with a reason; the learner sees it', async () => {
    const [a] = made['S-R'].learners.map((l) => l.applicationId);
    const page = `/candidatures/${a}/dispense`;
    assert.equal((await learners[1].get(page)).statusCode, 404);
    const empty = await learners[0].submit(page, page, { diplome: ' ' });
    assert.equal(empty.statusCode, 400);
    assert.equal(errorsOf(empty.body)[0][0], 'diplome');
    const long = await learners[0].submit(page, page, { diplome: 'x'.repeat(201) });
    assert.equal(long.statusCode, 400);
    assert.equal(valueOf(long.body, 'diplome'), 'x'.repeat(201));
    assert.equal((await learners[0].submit(page, page, { diplome: 'Licence de lettres, 2015' })).statusCode, 303);
    const list = await coordinator.get('/personnel/dispenses');
    assert.match(list.body, /Licence de lettres, 2015/);
    const noReason = await coordinator.submit('/personnel/dispenses', `/personnel/dispenses/${a}`, { decision: 'grant', motif: '' });
    assert.equal(noReason.statusCode, 400);
    assert.equal(errorsOf(noReason.body)[0][0], 'motif');
    assert.equal((await trainer.get('/personnel/dispenses')).statusCode, 403);
    assert.equal((await coordinator.submit('/personnel/dispenses', `/personnel/dispenses/${a}`, { decision: 'grant', motif: 'Licence vérifiée' })).statusCode, 303);
    const seen = await learners[0].get(page);
    assert.match(seen.body, /Dispense accordée/);
    assert.match(seen.body, /Licence vérifiée/);
  });

  it('CERT-5 the learner asks for marks (message optional, 2 000 characters at most); staff answer; the learner reads the answer', async () => {
    const [a] = made['S-R'].learners.map((l) => l.applicationId);
    const page = `/candidatures/${a}/notes`;
    assert.equal((await learners[1].get(page)).statusCode, 404);
    const long = await learners[0].submit(page, page, { message: 'é'.repeat(2001) });
    assert.equal(long.statusCode, 400);
    assert.equal(errorsOf(long.body)[0][0], 'message');
    assert.equal((await learners[0].submit(page, page, { message: '' })).statusCode, 303);
    const list = await coordinator.get('/personnel/notes');
    const action = /action="(\/personnel\/notes\/[0-9a-f-]+)"/.exec(list.body)![1];
    const empty = await coordinator.submit('/personnel/notes', action, { reponse: '' });
    assert.equal(empty.statusCode, 400);
    assert.equal((await coordinator.submit('/personnel/notes', action, { reponse: 'Écrit 14/20.' })).statusCode, 303);
    assert.equal((await coordinator.post('/personnel/notes/00000000-0000-4000-8000-000000000000', { _csrf: decode(/name="_csrf" value="([^"]+)"/.exec(list.body)![1]), reponse: 'x' })).statusCode, 404);
    assert.match((await learners[0].get(page)).body, /Écrit 14\/20\./);
  });
});
