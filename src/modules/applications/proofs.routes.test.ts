import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { multipartBody, samples, type Part } from '../../../test/multipart';
import { storedFiles } from '../../platform/platform.table';
import { courseSessions, schools } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { applications } from './applications.table';
import { rateProofs } from './proofs.table';

const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]);
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
const formHtmlOf = (html: string) => html.slice(html.indexOf('action="/connexion"'));
const checked = (html: string, name: string) => /<input type="radio" id="[^"]*" name="([^"]+)" value="([^"]+)" checked/.exec(html.slice(html.indexOf(`name="${name}"`) - 80))?.[2];

describe('half-rate proof pages (PAY-6)', () => {
  let t: TestApp;
  type Applicant = Awaited<ReturnType<typeof confirmedApplicants>>[number];
  let learners: Applicant[];
  let other: Applicant;
  const browsers: Record<string, Client> = {};

  const staffBrowser = async (role: 'school_head' | 'coordinator' | 'admin', schoolCodes: string[]) => {
    const staff = await buildStaff(t.db, t.clock, role);
    if (role !== 'admin') await assignScope(t.db, { userId: staff.userId, schools: schoolCodes });
    const browser = new Client(t.app);
    await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    return browser;
  };
  const learnerBrowser = async (a: { email: string }) => {
    const browser = new Client(t.app);
    await browser.login(a.email);
    return browser;
  };
  const page = (a: Applicant) => `/candidatures/${a.applicationId}/justificatif`;
  const good = (over: { proofDate?: string; allowance?: string; file?: Part | null } = {}): Part[] => [
    { name: 'allowance', value: over.allowance ?? 'rsa' },
    { name: 'proofDate', value: over.proofDate ?? '01/10/2026' },
    ...(over.file === null ? [] : [over.file ?? { name: 'file', filename: 'attestation-caf.png', type: 'image/png', data: samples.png }]),
  ];
  const proofRow = async (a: Applicant) => (await t.db.select().from(rateProofs).where(eq(rateProofs.applicationId, a.applicationId)))[0];

  before(async () => {
    // A 1 MB upload limit keeps the oversize case small.
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z'), policies: { uploadMaxMegabytes: 1 } });
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [
      { code: 'R1', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'R-OTHER', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    ]);
    const [school] = await t.db.insert(schools).values({ code: 'E-20-O', name: 'Autre école', arrondissement: 20, address: '2 rue Autre', postalCode: '75020', city: 'Paris' }).returning();
    await t.db.update(courseSessions).set({ schoolId: school.id }).where(eq(courseSessions.code, 'R-OTHER'));
    learners = await confirmedApplicants(deps, 'R1', 4, () => 'welfare_recipient');
    [other] = await confirmedApplicants(deps, 'R-OTHER', 1, () => 'welfare_recipient');
    browsers.head = await staffBrowser('school_head', ['E-11-T']);
    browsers.otherHead = await staffBrowser('school_head', ['E-20-O']);
    browsers.coordinator = await staffBrowser('coordinator', ['E-11-T']);
    browsers.admin = await staffBrowser('admin', []);
  });
  after(() => t.close());

  it('PAY-6 the learner finds the half-rate form from their applications, sends a proof and sees it wait for the school', async () => {
    const [a] = learners;
    const browser = await learnerBrowser(a);
    const list = (await browser.get('/candidatures')).body;
    assert.match(list, new RegExp(`href="${page(a)}">Demi-tarif \\(RSA, ASS, AAH\\) : envoyer votre justificatif`));
    const shown = (await browser.get(page(a))).body;
    assert.match(shown, /enctype="multipart\/form-data"/);
    assert.match(shown, /plein tarif 150,00\s€, demi-tarif 75,00\s€/);
    assert.match(shown, /la différence ne sera pas remboursée ensuite/, 'no later refund, said to the learner');
    assert.match(shown, /Les demandeurs d’emploi qui ne reçoivent pas l’une de ces allocations paient le plein tarif/);
    assert.match(shown, /entre le 24 août 2026 et le 23 novembre 2026/, 'the dates a proof may bear');
    const sent = await browser.submitMultipart(page(a), page(a), good());
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `${page(a)}?message=envoye`);
    const after = (await browser.get(sent.headers.location!)).body;
    assert.match(after, /Votre justificatif est envoyé/);
    assert.match(after, /Justificatif de demi-tarif envoyé le 23 novembre 2026 \(RSA, daté du 1er octobre 2026\) : en attente de vérification/);
    assert.match((await browser.get('/candidatures')).body, /en attente de vérification par l’établissement/);
    const file = await browser.get(`${page(a)}/fichier`);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'image/png');
    assert.match(String(file.headers['content-disposition']), /^attachment; filename="attestation-caf\.png"/);
    assert.ok(file.rawPayload.equals(samples.png));
  });

  it('PAY-6 a file that is not what it claims, too large, empty or missing: a clear message next to the file, what was typed kept, nothing stored', async () => {
    const [, b] = learners;
    const browser = await learnerBrowser(b);
    const cases: [string, Part | null, string][] = [
      ['a text renamed .pdf', { name: 'file', filename: 'attestation.pdf', type: 'application/pdf', data: samples.text }, 'Ce fichier n’est pas un PDF, une image JPEG ou une image PNG (c’est son contenu qui est vérifié, pas son nom).'],
      ['over the limit', { name: 'file', filename: 'scan.pdf', type: 'application/pdf', data: Buffer.concat([samples.pdf, Buffer.alloc(1024 * 1024, 0x20)]) }, 'Ce fichier est trop lourd : 1 Mo au maximum.'],
      ['empty', { name: 'file', filename: 'vide.pdf', type: 'application/pdf', data: Buffer.alloc(0) }, 'Ce fichier est vide : choisissez le bon fichier.'],
      ['no file chosen', { name: 'file', filename: '', data: Buffer.alloc(0) }, 'Choisissez un fichier.'],
      ['no file part', null, 'Choisissez un fichier.'],
    ];
    for (const [what, file, message] of cases) {
      const response = await browser.submitMultipart(page(b), page(b), good({ allowance: 'aah', proofDate: '02/10/2026', file }));
      assert.equal(response.statusCode, 400, what);
      const [[field, text]] = errorsOf(response.body);
      assert.equal(field, 'file', what);
      assert.ok(text.startsWith(message), `${what}: ${text}`);
      assert.match(response.body, /value="02\/10\/2026"/, `${what}: the date typed is kept`);
      assert.equal(checked(response.body, 'allowance'), 'aah', `${what}: the allowance chosen is kept`);
      assert.match(response.body, /choisissez-le à nouveau/, `${what}: the file is asked again`);
    }
    assert.equal(await proofRow(b), undefined);
    assert.equal((await t.db.select().from(storedFiles).where(eq(storedFiles.ownerId, b.learnerId))).length, 0, 'nothing stored');
  });

  it('PAY-6 a date outside the window or not a date is refused next to the date, with the dates that count', async () => {
    const [, b] = learners;
    const browser = await learnerBrowser(b);
    const old = await browser.submitMultipart(page(b), page(b), good({ proofDate: '23/08/2026' }));
    assert.equal(old.statusCode, 400);
    assert.deepEqual(errorsOf(old.body), [
      ['proofDate', 'Le justificatif doit dater de moins de 3 mois avant la validation de la candidature, et pas d’après : entre le 24 août 2026 et le 23 novembre 2026.'],
    ]);
    assert.match(old.body, /value="23\/08\/2026"/);
    const nonsense = await browser.submitMultipart(page(b), page(b), good({ proofDate: '31/02/2026', allowance: 'nope' }));
    assert.deepEqual(errorsOf(nonsense.body), [
      ['allowance', 'Choisissez l’allocation indiquée sur le justificatif.'],
      ['proofDate', 'Saisissez une date valide, par exemple 14/07/1985.'],
    ]);
  });

  it('PAY-6 a multipart form without a valid CSRF token is refused before anything is read or stored', async () => {
    const [, , c] = learners;
    const browser = await learnerBrowser(c);
    await browser.get(page(c));
    assert.equal((await browser.postMultipart(page(c), good())).statusCode, 403, 'no token');
    assert.equal((await browser.postMultipart(page(c), [{ name: '_csrf', value: 'forged' }, ...good()])).statusCode, 403, 'a forged token');
    const otherBrowser = await learnerBrowser(learners[0]);
    const theirs = csrfOf((await otherBrowser.get(page(learners[0]))).body);
    assert.equal((await browser.postMultipart(page(c), [{ name: '_csrf', value: theirs }, ...good()])).statusCode, 403, 'another session’s token');
    // A visitor's body is not even read: a valid token of a logged-out page is not found in it.
    const visitor = new Client(t.app);
    const anonymous = csrfOf(formHtmlOf((await visitor.get('/connexion')).body));
    assert.equal((await visitor.postMultipart(page(c), [{ name: '_csrf', value: anonymous }, ...good()])).statusCode, 403, 'a visitor');
    assert.equal(await proofRow(c), undefined);
    // Other forms stay urlencoded: a multipart body where no file is taken is refused (415 since the
    // multipart parser is registered only where files are taken: the validation page, nothing done).
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: csrfOf((await browser.get(`/candidatures/${c.applicationId}/annuler`)).body) }]);
    const elsewhere = await t.app.inject({ method: 'POST', url: `/candidatures/${c.applicationId}/annuler`, payload, headers: { 'content-type': contentType, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(elsewhere.statusCode, 415);
    assert.match(elsewhere.body, /<\/html>/);
    assert.equal((await t.db.select().from(applications).where(eq(applications.id, c.applicationId)))[0].status, 'confirmed');
  });

  it('PAY-6 another learner’s proof page, form and file are not found', async () => {
    const [a, , , d] = learners;
    const browser = await learnerBrowser(d);
    assert.equal((await browser.get(page(a))).statusCode, 404);
    assert.equal((await browser.get(`${page(a)}/fichier`)).statusCode, 404);
    const csrf = csrfOf((await browser.get(page(d))).body);
    assert.equal((await browser.postMultipart(page(a), [{ name: '_csrf', value: csrf }, ...good()])).statusCode, 404);
    assert.equal((await browser.get(`${page(d)}/fichier`)).statusCode, 404, 'no proof sent yet');
    assert.equal((await browser.get('/candidatures/not-a-uuid/justificatif')).statusCode, 404);
    assert.equal((await new Client(t.app).get(page(a))).statusCode, 303, 'a visitor is sent to log in');
  });

  it('PAY-6 the school head in scope opens the proof from the sheet, refuses it with a reason the learner reads, then accepts a new one', async () => {
    const [a] = learners;
    const sheet = `/personnel/candidatures/${a.applicationId}`;
    const proofPage = `${sheet}/justificatif`;
    const sheetHtml = (await browsers.head.get(sheet)).body;
    assert.match(sheetHtml, /Un justificatif \(RSA, daté du 1er octobre 2026\) attend la décision de l’établissement/);
    assert.match(sheetHtml, new RegExp(`href="${proofPage}">Voir le justificatif et décider`));
    const shown = (await browsers.head.get(proofPage)).body;
    assert.match(shown, /Bénéficiaire du RSA, de l’ASS ou de l’AAH/);
    assert.match(shown, /La date convient/);
    assert.match(shown, /Ouvrir le justificatif \(attestation-caf\.png, PNG, 1\s?ko\)/);
    const file = await browsers.head.get(`${proofPage}/fichier`);
    assert.equal(file.statusCode, 200);
    assert.ok(file.rawPayload.equals(samples.png));

    const noReason = await browsers.head.submit(proofPage, proofPage, { decision: 'refuse', reason: '' }, { keepForm: true });
    assert.equal(noReason.statusCode, 400);
    assert.deepEqual(errorsOf(noReason.body), [['reason', 'Dites pourquoi le justificatif est refusé : la personne le lira.']]);
    const refused = await browsers.head.submit(proofPage, proofPage, { decision: 'refuse', reason: 'Le document est illisible.' }, { keepForm: true });
    assert.equal(refused.statusCode, 303);
    assert.equal((await proofRow(a)).status, 'refused');
    const learner = await learnerBrowser(a);
    const list = (await learner.get('/candidatures')).body;
    assert.match(list, /Justificatif de demi-tarif refusé par l’établissement. Motif : Le document est illisible./);
    assert.match(list, /Vous pouvez envoyer un autre justificatif/);
    assert.equal((await learner.submitMultipart(page(a), page(a), good({ allowance: 'ass', file: { name: 'file', filename: 'scan.pdf', type: 'application/pdf', data: samples.pdf } }))).statusCode, 303);
    const accepted = await browsers.head.submit(proofPage, proofPage, { decision: 'accept' }, { keepForm: true });
    assert.equal(accepted.statusCode, 303);
    assert.match((await browsers.head.get(accepted.headers.location!)).body, /Décision enregistrée/);
    assert.match((await learner.get('/candidatures')).body, /Justificatif de demi-tarif accepté \(ASS, daté du 1er octobre 2026\) : vous paierez le demi-tarif/);
    const locked = (await learner.get(page(a))).body;
    assert.doesNotMatch(locked, /enctype="multipart\/form-data"/, 'an accepted proof is not replaced');
  });

  it('PAY-6 a decision made on a page that showed a proof since replaced is refused (409), nothing decided', async () => {
    const [, , , d] = learners;
    const learner = await learnerBrowser(d);
    await learner.submitMultipart(page(d), page(d), good());
    const proofPage = `/personnel/candidatures/${d.applicationId}/justificatif`;
    const shown = (await browsers.head.get(proofPage)).body;
    await learner.submitMultipart(page(d), page(d), good({ file: { name: 'file', filename: 'photo.jpg', type: 'image/jpeg', data: samples.jpeg } }));
    const proof = /name="proof" value="([^"]+)"/.exec(shown)![1];
    const stale = await browsers.head.post(proofPage, { _csrf: csrfOf(shown), proof, decision: 'accept' });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /a envoyé un nouveau justificatif entre-temps/);
    assert.equal((await proofRow(d)).status, 'pending');
  });

  it('PAY-6 a proof still waiting when the enrolment is validated is too late: the learner reads that the full rate applies', async () => {
    const [, , , d] = learners;
    await t.db.update(applications).set({ status: 'awaiting_payment' }).where(eq(applications.id, d.applicationId));
    const browser = await learnerBrowser(d);
    const list = (await browser.get('/candidatures')).body;
    assert.match(list, /n’avait pas été accepté quand l’établissement a validé votre inscription : le plein tarif s’applique/);
    const shown = (await browser.get(page(d))).body;
    assert.doesNotMatch(shown, /enctype="multipart\/form-data"/, 'no more proofs');
    assert.equal((await browser.submitMultipart(page(d), page(d), good()).catch(() => null)), null, 'the page has no form to post');
    const late = await browser.postMultipart(page(d), [{ name: '_csrf', value: csrfOf(list) }, ...good()]);
    assert.equal(late.statusCode, 409);
    assert.match(late.body, /ne prend plus de justificatif/);
    await t.db.update(applications).set({ status: 'confirmed' }).where(eq(applications.id, d.applicationId));
  });

  it('PAY-6 staff outside the scope get 403 (an unknown application 404); a coordinator, who does not decide, 403; a learner, 403', async () => {
    const learner = await learnerBrowser(other);
    await learner.submitMultipart(page(other), page(other), good());
    const proofPage = `/personnel/candidatures/${other.applicationId}/justificatif`;
    assert.equal((await browsers.head.get(proofPage)).statusCode, 403);
    assert.equal((await browsers.head.get(`${proofPage}/fichier`)).statusCode, 403);
    const csrf = csrfOf((await browsers.head.get(`/personnel/candidatures/${learners[0].applicationId}/justificatif`)).body);
    assert.equal((await browsers.head.post(proofPage, { _csrf: csrf, proof: randomUUID(), decision: 'accept' })).statusCode, 403);
    assert.equal((await browsers.head.get(`/personnel/candidatures/${randomUUID()}/justificatif`)).statusCode, 404);
    assert.equal((await browsers.head.get(`/personnel/candidatures/${randomUUID()}/justificatif/fichier`)).statusCode, 404);
    assert.equal((await browsers.otherHead.get(proofPage)).statusCode, 200, 'the school head of that school');
    assert.equal((await browsers.admin.get(`${proofPage}/fichier`)).statusCode, 200, 'the administrator');
    assert.equal((await browsers.coordinator.get(`/personnel/candidatures/${learners[0].applicationId}/justificatif`)).statusCode, 403);
    assert.equal((await browsers.coordinator.get(`/personnel/candidatures/${learners[0].applicationId}/justificatif/fichier`)).statusCode, 403);
    assert.doesNotMatch((await browsers.coordinator.get(`/personnel/candidatures/${learners[0].applicationId}`)).body, /Voir le justificatif et décider/);
    assert.equal((await learner.get(proofPage)).statusCode, 403);
    assert.equal((await proofRow(other)).status, 'pending', 'nothing decided');
  });

  it('PAY-6 the application form asks a welfare recipient which allowance; job seekers are told they pay the full rate', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = await learnerBrowser(learner);
    await browser.submit('/formations/C-R1', '/candidatures', { session: 'R1' });
    const [row] = await t.db.select().from(applications).where(eq(applications.learnerId, learner.id));
    const step = `/candidatures/${row.id}/situation`;
    const shown = (await browser.get(step)).body;
    assert.match(shown, /Si vous recevez le RSA, l’ASS ou l’AAH : laquelle \?/);
    assert.match(shown, /Les demandeurs d’emploi qui ne reçoivent pas l’une d’elles paient le plein tarif/);
    const missing = await browser.submit(step, step, { situation: 'welfare_recipient' });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(errorsOf(missing.body), [['allowance', 'Dites quelle allocation vous recevez, ou répondez « Aucune de ces allocations ».']]);
    assert.equal(checked(missing.body, 'situation'), 'welfare_recipient', 'the situation chosen is kept');
    const contradiction = await browser.submit(step, step, { situation: 'job_seeker', allowance: 'ass' });
    assert.equal(contradiction.statusCode, 400);
    assert.equal(errorsOf(contradiction.body)[0][0], 'allowance');
    assert.equal((await browser.submit(step, step, { situation: 'welfare_recipient', allowance: 'aah' })).statusCode, 303);
    assert.equal((await t.db.select().from(applications).where(eq(applications.id, row.id)))[0].allowance, 'aah');
    assert.equal(checked((await browser.get(step)).body, 'allowance'), 'aah', 'the answer is shown again');
    await browser.submit(step, step, { situation: 'employed', allowance: 'none' });
    assert.equal((await t.db.select().from(applications).where(eq(applications.id, row.id)))[0].allowance, null, 'another situation has none');
  });
});
