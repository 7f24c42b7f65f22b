import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { users } from '../accounts/accounts.table';
import { confirmedApplicants } from '../../../test/applications';
import { enrolledLearners } from '../../../test/attendance';
import { buildCatalogue } from '../../../test/catalogue';
import { insertOutcome, issueCertificate, pastEnrolment } from '../../../test/history';
import { cancelApplication } from '../applications';

const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
const BASE = 'http://localhost:3000';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The page's text without its tags (for what a person reads). */
const textOf = (html: string) => decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

describe('the learner’s history page, /compte/historique (ACC-10)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let cancelled: { learnerId: string; email: string; applicationId: string };
  let past: { applicationId: string };
  const codes: Record<string, string> = {};
  const deps = () => ({ db: t.db, clock: t.clock, baseUrl: BASE, secret: TEST_SECRET, cashOffice: 'Régie CMA et AE' });
  const signing = () => ({ baseUrl: BASE, secret: TEST_SECRET, clock: t.clock });
  const as = async (email: string) => {
    const b = new Client(t.app);
    await b.login(email);
    return b;
  };

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'HR-RUN', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'HR-OLD', weekday: 2, startsAt: '18:00', endsAt: '20:00', period: 'closed' },
      { code: 'HR-X', weekday: 5, startsAt: '10:00', endsAt: '12:00' },
    ]);
    const [x] = await confirmedApplicants(deps(), 'HR-X', 1);
    await cancelApplication(deps(), { learnerId: x.learnerId, applicationId: x.applicationId });
    cancelled = x;
    made = await enrolledLearners(deps(), { 'HR-RUN': 1 });
    const [a] = made['HR-RUN'].learners;
    past = await pastEnrolment(t.db, t.clock, { learnerId: a.learnerId, sessionCode: 'HR-OLD', firstMeeting: '2025-09-02', lastMeeting: '2026-06-02' });
    const attendanceDoc = await issueCertificate(t.db, signing(), past.applicationId, 'attendance_certificate');
    const certificateDoc = await issueCertificate(t.db, signing(), past.applicationId, 'certificate');
    codes.attendance = attendanceDoc.displayCode;
    codes.certificate = certificateDoc.displayCode;
    await insertOutcome(t.db, t.clock, past.applicationId, {
      attendedMinutes: 4_620,
      plannedMinutes: 6_000,
      certified: true,
      attendanceDocumentId: attendanceDoc.id,
      outcome: 'passed',
      certificateDocumentId: certificateDoc.id,
      certificateIssuedAt: t.clock.now(),
    });
  });
  after(() => t.close());

  it('ACC-10 the history is the learner’s: anonymous goes to the login, staff are refused', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/compte/historique' });
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, `/connexion?retour=${encodeURIComponent('/compte/historique')}`);
    const staff = await buildStaff(t.db, t.clock, 'coordinator');
    const s = new Client(t.app);
    await s.loginStaff(staff.email, staff.totpSecret, t.clock);
    assert.equal((await s.get('/compte/historique')).statusCode, 403);
  });

  it('ACC-10 the account page links to the history and to the calendar', async () => {
    const b = await as(made['HR-RUN'].learners[0].email);
    const html = (await b.get('/compte')).body;
    assert.ok(html.includes('href="/compte/historique"'));
    assert.ok(html.includes('href="/compte/calendrier"'));
  });

  it('ACC-10 an enrolment with attendance and certificates shows them: the percentage, the outcome, the codes and the PDFs; the current one comes first', async () => {
    const [a] = made['HR-RUN'].learners;
    const b = await as(a.email);
    // The card, downloaded once, is a document issued for the current enrolment.
    assert.equal((await b.get(`/candidatures/${a.applicationId}/carte.pdf`)).statusCode, 200);
    const response = await b.get('/compte/historique');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['cache-control']), /no-store/);
    const html = response.body;
    const text = textOf(html);
    assert.ok(text.includes('Mon parcours'));
    assert.ok(html.indexOf(`id="parcours-${a.applicationId}"`) < html.indexOf(`id="parcours-${past.applicationId}"`), 'newest first');
    assert.ok(text.includes('77 % des heures du cours'), text);
    assert.ok(text.includes('Réussie'));
    assert.ok(text.includes(`Attestation d’assiduité : code ${codes.attendance}`), text);
    assert.ok(text.includes(`code ${codes.certificate}`));
    assert.ok(html.includes(`href="/candidatures/${past.applicationId}/attestation-assiduite.pdf"`));
    assert.ok(html.includes(`href="/candidatures/${past.applicationId}/certificat.pdf"`));
    assert.ok(html.includes(`href="/verifier/${codes.certificate.replace(/-/g, '')}"`));
    assert.ok(html.includes(`href="/candidatures/${a.applicationId}/carte.pdf"`));
    assert.ok(text.includes('Inscrit·e'));
    assert.match(text, /\d+ % des heures tenues jusqu’ici ; au plus \d+ % possibles d’ici la fin/);
    assert.ok(text.includes('Période fermée') && text.includes('Période ouverte'));
    assert.ok(!text.includes('Cours C-HR-X'), 'nobody else’s application');
  });

  it('ACC-10 a closed application shows its outcome and why, in plain words', async () => {
    const b = await as(cancelled.email);
    const text = textOf((await b.get('/compte/historique')).body);
    assert.ok(text.includes('Cours C-HR-X'));
    assert.match(text, /Annulée \(le .+\)/);
    assert.ok(text.includes('vous y avez renoncé.'));
    assert.ok(!text.includes('Cours C-HR-RUN') && !text.includes('Cours C-HR-OLD'), 'only their own');
  });

  it('ACC-10 a learner without applications is told so, with a way to the catalogue', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const b = await as(learner.email);
    const html = (await b.get('/compte/historique')).body;
    assert.ok(textOf(html).includes('Vous n’avez encore envoyé aucune candidature.'));
    assert.ok(html.includes('href="/recherche"'));
  });

  it('ACC-10 the page reads in the learner’s language', async () => {
    await t.db.update(users).set({ locale: 'en' }).where(eq(users.id, cancelled.learnerId));
    const b = await as(cancelled.email);
    const text = textOf((await b.get('/compte/historique')).body);
    assert.ok(text.includes('My learning record'), text);
    assert.ok(text.includes('you gave it up.'));
  });
});
