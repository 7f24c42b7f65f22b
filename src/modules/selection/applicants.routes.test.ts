import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import QRCode from 'qrcode';
import { Client, TEST_SECRET, buildStaff, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants, setCapacity } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { auditLog } from '../../platform/platform.table';
import { applications } from '../applications/applications.table';
import { courses, courseSessions, schools } from '../catalogue/catalogue.table';
import { formatCode } from '../documents';
import { documents } from '../documents/documents.table';
import { assignScope } from '../scopes';
import * as actions from './applicants.service';
import { CONVOCATION_QR } from './convocation.pdf';
import { convocations, evaluations, prerequisiteRefusals, rankingAdjustments } from './selection.table';

/**
 * A PDF's text (pdftotext), and its first image (pdfimages), a QR code with one margin module
 * each side, read as `size` × `size` modules, dark or light.
 */
function readPdf(pdf: Buffer): { text: string; qr: (size: number) => boolean[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'cursus-pdf-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    const text = execFileSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
    execFileSync('pdfimages', [join(dir, 'doc.pdf'), join(dir, 'img')]);
    const image = readFileSync(join(dir, readdirSync(dir).filter((f) => f.startsWith('img-')).sort()[0]));
    // A binary PPM: "P6 width height 255", then RGB.
    const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(image.toString('latin1', 0, 40));
    assert.ok(header && header[1] === header[2], 'a square RGB image');
    const width = Number(header[1]);
    const pixels = image.subarray(header[0].length);
    const qr = (size: number) => {
      const step = width / (size + 2);
      const dark = (r: number, c: number) => pixels[(Math.floor((r + 1.5) * step) * width + Math.floor((c + 1.5) * step)) * 3] < 128;
      return Array.from({ length: size }, (_, r) => Array.from({ length: size }, (_, c) => dark(r, c)));
    };
    return { text, qr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The modules of the QR code of `text`, drawn as the convocation draws it. */
function qrModules(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: CONVOCATION_QR.errorCorrectionLevel });
  return Array.from({ length: modules.size }, (_, r) => Array.from({ length: modules.size }, (_, c) => Boolean(modules.get(r, c))));
}

describe('staff pages of applicants (SEL-2, SEL-3, SEL-4, SEL-5, SEL-10)', () => {
  let t: TestApp;
  type Applicant = Awaited<ReturnType<typeof confirmedApplicants>>[number];
  let evaluated: Applicant[];
  let other: Applicant[];
  let finalOnly: Applicant[];
  const browsers: Record<string, Client> = {};
  const staffOf: Record<string, { id: string; role: 'trainer' | 'school_head' | 'coordinator' | 'admin' }> = {};

  const staffBrowser = async (role: 'trainer' | 'school_head' | 'coordinator' | 'admin', scope: { schools?: string[]; sessions?: string[] }) => {
    const staff = await buildStaff(t.db, t.clock, role);
    if (role !== 'admin') await assignScope(t.db, { userId: staff.userId, ...scope });
    staffOf[role] = { id: staff.userId, role };
    const browser = new Client(t.app);
    await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    return browser;
  };
  const status = async (id: string) => (await t.db.select().from(applications).where(eq(applications.id, id)))[0].status;

  before(async () => {
    t = await startTestApp({ now: new Date('2026-11-23T10:00:00Z') });
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [
      { code: 'EV-A1', course: 'FLE-A1', weekday: 1, startsAt: '09:00', endsAt: '11:00' },
      { code: 'EV-A2', course: 'FLE-A2', weekday: 3, startsAt: '09:00', endsAt: '11:00' },
      { code: 'EV-A1B', course: 'FLE-A1', weekday: 5, startsAt: '09:00', endsAt: '11:00' },
      { code: 'OTHER', weekday: 2, startsAt: '14:00', endsAt: '16:00' },
      { code: 'FINAL', weekday: 4, startsAt: '18:00', endsAt: '20:00' },
    ]);
    // A second school for OTHER, the A1 → A2 family with an admission test, and FINAL's course
    // with only an end-of-course evaluation (certificate of skills).
    const [school] = await t.db
      .insert(schools)
      .values({ code: 'E-20-O', name: 'Autre école', arrondissement: 20, address: '2 rue Autre', postalCode: '75020', city: 'Paris' })
      .returning();
    await t.db.update(courseSessions).set({ schoolId: school.id }).where(eq(courseSessions.code, 'OTHER'));
    const [a1] = await t.db.update(courses).set({ admissionTest: 'anticipated_test' }).where(eq(courses.code, 'FLE-A1')).returning();
    await t.db.update(courses).set({ admissionTest: 'anticipated_test', previousCourseId: a1.id }).where(eq(courses.code, 'FLE-A2'));
    await t.db.update(courses).set({ hasEvaluation: true }).where(eq(courses.code, 'C-FINAL'));
    await setCapacity(t.db, 'EV-A1', 2);
    evaluated = await confirmedApplicants(deps, 'EV-A1', 4);
    other = await confirmedApplicants(deps, 'OTHER', 1);
    finalOnly = await confirmedApplicants(deps, 'FINAL', 2);
    await closeOpenPeriod(t.db, t.clock);
    browsers.coordinator = await staffBrowser('coordinator', { schools: ['E-11-T'] });
    browsers.head = await staffBrowser('school_head', { schools: ['E-11-T'] });
    browsers.trainer = await staffBrowser('trainer', { sessions: ['EV-A1'] });
    browsers.admin = await staffBrowser('admin', {});
  });
  after(() => t.close());

  it('every role: another school’s or session’s applications are refused (403) and never listed', async () => {
    for (const [role, browser] of Object.entries(browsers)) {
      if (role === 'admin') continue;
      assert.equal((await browser.get('/personnel/sessions/OTHER')).statusCode, 403, role);
      assert.equal((await browser.get(`/personnel/candidatures/${other[0].applicationId}`)).statusCode, 403, role);
      assert.doesNotMatch((await browser.get('/personnel')).body, /OTHER/, role);
      assert.equal((await browser.get('/personnel/sessions/NOPE')).statusCode, 404, role);
    }
    assert.equal((await browsers.trainer.get('/personnel/sessions/EV-A2')).statusCode, 403, 'a trainer sees their own sessions only');
    assert.equal((await browsers.admin.get('/personnel/sessions/OTHER')).statusCode, 200);
    const forged = await browsers.head.post(`/personnel/candidatures/${other[0].applicationId}/demande`, { _csrf: 'x', note: 'x' });
    assert.equal(forged.statusCode, 403);
  });

  it('SEL-2 only an admission test or interview is the pedagogical evaluation: a course with only an end-of-course evaluation has no convocation and no mark', async () => {
    const page = '/personnel/sessions/FINAL';
    const shown = await browsers.coordinator.get(page);
    assert.equal(shown.statusCode, 200);
    assert.doesNotMatch(shown.body, /\/convocations"/, 'no "Convoquer" form');
    assert.doesNotMatch(shown.body, /Évaluation \/20/, 'no mark column');
    const forged = await browsers.coordinator.post(`${page}/convocations`, { _csrf: csrfOf(shown.body), kind: 'test', date: '12/01/2027', time: '9:30', place: 'Salle 1' });
    assert.equal(forged.statusCode, 409);
    assert.match(forged.body, /n’a pas d’évaluation pédagogique/);
    const [a] = finalOnly;
    assert.equal((await t.db.select().from(convocations).where(eq(convocations.applicationId, a.applicationId))).length, 0, 'nobody convoked');
    assert.equal(await status(a.applicationId), 'confirmed');
    const sheet = `/personnel/candidatures/${a.applicationId}`;
    const sheetPage = await browsers.coordinator.get(sheet);
    assert.doesNotMatch(sheetPage.body, /\/evaluation"/, 'no mark form');
    const mark = await browsers.coordinator.post(`${sheet}/evaluation`, { _csrf: csrfOf(sheetPage.body), mark: '18' });
    assert.equal(mark.statusCode, 409);
    assert.match(mark.body, /n’a pas d’évaluation pédagogique/);
    assert.equal((await t.db.select().from(evaluations).where(eq(evaluations.applicationId, a.applicationId))).length, 0, 'no mark recorded');
  });

  it('SEL-2 SEL-3 SEL-4 SEL-10 each staff service refuses, in scope, a role the table does not list, whatever the route; nothing is written', async () => {
    const deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: TEST_SECRET };
    const [a] = evaluated;
    const applicationId = a.applicationId;
    const refusals = {
      'trainer convokes': () => actions.convokeSession(deps, { staff: staffOf.trainer, sessionCode: 'EV-A1', kind: 'test', day: '2027-01-12', time: '09:30', place: 'Salle 1' }),
      'school head marks': () => actions.recordEvaluation(deps, { staff: staffOf.school_head, applicationId, mark: 20 }),
      'trainer adjusts': () => actions.adjustRanking(deps, { staff: staffOf.trainer, applicationId, points: 5, reason: 'x', publicReason: 'correction' }),
      'school head finds prerequisites': () => actions.recordPrerequisites(deps, { staff: staffOf.school_head, applicationId, met: false, reason: 'x' }),
      'coordinator records attendance': () => actions.recordAttendance(deps, { staff: staffOf.coordinator, applicationId, present: false }),
      'coordinator records a change request': () => actions.recordChangeRequest(deps, { staff: staffOf.coordinator, applicationId, note: 'x' }),
      'school head declines a change request': () => actions.declineChangeRequest(deps, { staff: staffOf.school_head, applicationId }),
      'school head moves': () => actions.moveByStaff(deps, { staff: staffOf.school_head, applicationId, toCode: 'EV-A1B', reason: 'moved_day' }),
    };
    for (const [what, act] of Object.entries(refusals)) assert.deepEqual(await act(), { ok: false, code: 'forbidden', message: 'error.forbidden.message' }, what);
    assert.equal(await status(applicationId), 'confirmed');
    const [row] = await t.db.select().from(applications).where(eq(applications.id, applicationId));
    assert.equal(row.sessionId, (await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'EV-A1')))[0].id, 'not moved');
    for (const table of [convocations, evaluations, rankingAdjustments, prerequisiteRefusals])
      assert.equal((await t.db.select().from(table).where(eq(table.applicationId, applicationId))).length, 0, 'nothing written');
  });

  it('SEL-3 SEL-4 a convocation date too soon for the learner to be told in time is refused next to the date, what was typed kept', async () => {
    const page = '/personnel/sessions/EV-A1';
    // Now is Monday 23/11/2026: with the default notice of 3 days, the 26th is the first day possible.
    const soon = await browsers.coordinator.submit(page, `${page}/convocations`, { kind: 'test', date: '25/11/2026', time: '18:00', place: 'Salle 7, 1 rue Test' });
    assert.equal(soon.statusCode, 400);
    assert.match(soon.body, /au moins 3 jours avant : choisissez une date à partir du 26\/11\/2026/);
    assert.match(soon.body, /id="date-error"/, 'next to the date field');
    assert.match(soon.body, /value="25\/11\/2026"/);
    assert.match(soon.body, /value="Salle 7, 1 rue Test"/);
    assert.equal((await t.db.select().from(convocations).where(eq(convocations.applicationId, evaluated[0].applicationId))).length, 0, 'nobody convoked');
    assert.equal(await status(evaluated[0].applicationId), 'confirmed');
  });

  it('SEL-3 a coordinator convokes: bad input is shown next to the field and kept; then each learner is emailed and can print a PDF', async () => {
    const page = '/personnel/sessions/EV-A1';
    const action = `${page}/convocations`;
    const bad = await browsers.coordinator.submit(page, action, { kind: 'test', date: '31/02/2027', time: '25:00', place: 'Salle 12' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Indiquez une date réelle/);
    assert.match(bad.body, /Indiquez une heure/);
    assert.match(bad.body, /value="Salle 12"/);
    const past = await browsers.coordinator.submit(page, action, { kind: 'interview', date: '01/01/2020', time: '10:00', place: 'Salle 12' });
    assert.equal(past.statusCode, 400);
    assert.match(past.body, /date à venir/);
    assert.match(past.body, /value="01\/01\/2020"/);
    assert.doesNotMatch((await browsers.head.get(page)).body, /\/convocations"/, 'no convocation form for a school head');
    assert.equal((await browsers.head.post(action, { _csrf: 'x' })).statusCode, 403);
    const done = await browsers.coordinator.submit(page, action, { kind: 'test', date: '12/01/2027', time: '9h30', place: 'Salle 12, 1 rue Test' });
    assert.equal(done.statusCode, 303);
    assert.match((await browsers.coordinator.get(done.headers.location as string)).body, /4 convocation\(s\) envoyée\(s\)/);
    const [convocation] = await t.db.select().from(convocations).where(eq(convocations.applicationId, evaluated[0].applicationId));
    assert.equal(convocation.at.toISOString(), '2027-01-12T08:30:00.000Z', '9:30 in Paris in winter');
    const [mail] = await emailsTo(t.db, evaluated[0].email);
    assert.match(mail.subject, /Convocation/);
    assert.match(mail.text, /12 janvier 2027/);
    assert.match(mail.text, /pièce d’identité/);

    const learner = new Client(t.app);
    await learner.login(evaluated[0].email);
    const list = await learner.get('/candidatures');
    assert.match(list.body, /Convocation : un test de positionnement/);
    const pdf = await learner.get(`/candidatures/${evaluated[0].applicationId}/convocation.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.rawPayload.toString('latin1'), /\/Title/);
    assert.equal((await learner.get(`/candidatures/${evaluated[1].applicationId}/convocation.pdf`)).statusCode, 404, 'another learner’s convocation');
    // The QR code's link opens the sheet for staff in scope, nobody else.
    const qr = await browsers.head.get(`/personnel/convocations/${convocation.token}`);
    assert.equal(qr.headers.location, `/personnel/candidatures/${evaluated[0].applicationId}`);
    assert.equal((await learner.get(`/personnel/convocations/${convocation.token}`)).statusCode, 403);
  });

  it('SEL-3 PAY-10 the convocation is a document anyone can verify: its PDF prints the short code and its QR code carries the public, signed page, where staff in scope see their fuller view', async () => {
    const [row] = await t.db.select().from(documents).where(and(eq(documents.kind, 'convocation'), eq(documents.subjectId, evaluated[0].applicationId)));
    assert.ok(row, 'convoking issued a convocation document');
    assert.equal(row.validUntil, '2027-01-12', 'valid until the day of the convocation');
    assert.equal(row.issuerName, 'École test', 'issued by the school');
    const verifyUrl = `http://localhost:3000/verifier/${row.code}?s=${row.signature}`;

    const learner = new Client(t.app);
    await learner.login(evaluated[0].email);
    const pdf = (await learner.get(`/candidatures/${evaluated[0].applicationId}/convocation.pdf`)).rawPayload;
    const { text, qr } = readPdf(pdf);
    assert.match(text, new RegExp(`Code : ${formatCode(row.code)}`), 'the short code is printed');
    assert.match(text, /http:\/\/localhost:3000\/verifier/, 'where to type it');
    const expected = qrModules(verifyUrl);
    assert.deepEqual(qr(expected.length), expected, 'the QR code carries the public verification link, with its signature');
    const [{ token }] = await t.db.select().from(convocations).where(eq(convocations.applicationId, evaluated[0].applicationId));
    const staffOnly = qrModules(`http://localhost:3000/personnel/convocations/${token}`);
    assert.notDeepEqual(qr(staffOnly.length), staffOnly, 'not the staff-only link any more');
    const again = readPdf((await learner.get(`/candidatures/${evaluated[0].applicationId}/convocation.pdf`)).rawPayload);
    assert.deepEqual(again.qr(expected.length), expected, 'the same document at every download');
    assert.equal((await t.db.select().from(documents).where(eq(documents.subjectId, evaluated[0].applicationId))).length, 1);

    // Anyone, no login: genuine, valid, initials only.
    const path = verifyUrl.slice('http://localhost:3000'.length);
    const anyone = await new Client(t.app).get(path);
    assert.equal(anyone.statusCode, 200);
    assert.match(anyone.body, /Document authentique et valable/);
    assert.match(anyone.body, /La signature du code QR est authentique/);
    assert.match(anyone.body, /Cours C-EV-A1|Cours FLE-A1/);
    assert.doesNotMatch(anyone.body, new RegExp(row.holderName.split(' ')[0]), 'not the name');
    assert.doesNotMatch(anyone.body, /Salle 12/, 'not the details');
    assert.doesNotMatch(anyone.body, /personnel\/candidatures/, 'no link to the sheet');
    // The school head in scope: the fuller view, with the link to the applicant's sheet.
    const head = await browsers.head.get(path);
    assert.match(head.body, /Pour le personnel/);
    assert.match(head.body, /Salle 12, 1 rue Test/);
    assert.match(head.body, new RegExp(row.holderName));
    assert.match(head.body, new RegExp(`href="/personnel/candidatures/${evaluated[0].applicationId}"`));
    // Staff of another school: the public view only.
    const elsewhere = new Client(t.app);
    const stranger = await buildStaff(t.db, t.clock, 'school_head');
    await assignScope(t.db, { userId: stranger.userId, schools: ['E-20-O'] });
    await elsewhere.loginStaff(stranger.email, stranger.totpSecret, t.clock);
    const outside = await elsewhere.get(path);
    assert.match(outside.body, /Document authentique et valable/);
    assert.doesNotMatch(outside.body, /Pour le personnel|Salle 12|personnel\/candidatures\//);
  });

  it('SEL-3 SEL-4 a convocation is emailed when it is made, not held until the answer window (the test may come before it)', async () => {
    const [mail] = (await emailsTo(t.db, evaluated[1].email)).filter((m) => /Convocation/.test(m.subject));
    assert.ok(mail, 'a convocation email');
    // The outbox is timed by the database's clock: queued for now, not for the answer window's first day.
    assert.ok(Math.abs(mail.nextAttemptAt.getTime() - Date.now()) < 60_000, `queued for now, not for ${mail.nextAttemptAt.toISOString()}`);
  });

  it('SEL-4 the school head records attendance: absent means withdrawal, emailed; a stale page changes nothing', async () => {
    const sheet = `/personnel/candidatures/${evaluated[3].applicationId}`;
    const absent = await browsers.head.submit(sheet, `${sheet}/presence`, { attendance: 'absent' });
    assert.equal(absent.statusCode, 303);
    assert.equal(await status(evaluated[3].applicationId), 'withdrawn');
    assert.match((await emailsTo(t.db, evaluated[3].email))[0].text, /une absence vaut désistement/);
    const stale = await browsers.head.post(`${sheet}/presence`, { _csrf: csrfOf((await browsers.head.get('/personnel')).body), attendance: 'present' });
    assert.equal(stale.statusCode, 303, 'a second answer for the same convocation answers as the first');
    assert.equal(await status(evaluated[3].applicationId), 'withdrawn', 'still withdrawn');
    const empty = await browsers.head.submit(`/personnel/candidatures/${evaluated[0].applicationId}`, `/personnel/candidatures/${evaluated[0].applicationId}/presence`, {});
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Choisissez une des options/);
    for (const a of evaluated.slice(0, 3)) {
      const s = `/personnel/candidatures/${a.applicationId}`;
      assert.equal((await browsers.head.submit(s, `${s}/presence`, { attendance: 'present' })).statusCode, 303);
    }
  });

  it('SEL-4 PAY-10 the convocation of a learner withdrawn for absence reads cancelled on the public page', async () => {
    const [row] = await t.db.select().from(documents).where(and(eq(documents.kind, 'convocation'), eq(documents.subjectId, evaluated[3].applicationId)));
    assert.equal(row.status, 'revoked');
    const page = await new Client(t.app).get(`/verifier/${row.code}`);
    assert.match(page.body, /Document annulé/);
    assert.match((await browsers.head.get(`/verifier/${row.code}`)).body, /désistement ou absence à la convocation/, 'staff in scope read why');
    const [kept] = await t.db.select().from(documents).where(and(eq(documents.kind, 'convocation'), eq(documents.subjectId, evaluated[0].applicationId)));
    assert.equal(kept.status, 'valid', 'those present keep theirs');
  });

  it('SEL-2 the trainer enters marks 0–20 (12,5 accepted; 25 refused next to the field); a coordinator adjusts with a reason, audited', async () => {
    const [a, b, c] = evaluated;
    const sheet = (x: Applicant) => `/personnel/candidatures/${x.applicationId}`;
    const tooHigh = await browsers.trainer.submit(sheet(a), `${sheet(a)}/evaluation`, { mark: '25' });
    assert.equal(tooHigh.statusCode, 400);
    assert.match(tooHigh.body, /entre 0 et 20/);
    assert.match(tooHigh.body, /value="25"/);
    for (const [x, mark] of [[a, '12,5'], [b, '16'], [c, '9']] as const) assert.equal((await browsers.trainer.submit(sheet(x), `${sheet(x)}/evaluation`, { mark })).statusCode, 303);
    assert.equal((await browsers.trainer.post(`${sheet(a)}/ajustement`, { _csrf: 'x', points: '2', publicReason: 'correction', reason: 'x' })).statusCode, 403, 'trainers do not adjust');
    const noReason = await browsers.coordinator.submit(sheet(c), `${sheet(c)}/ajustement`, { points: '+2', reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Indiquez la raison/);
    // SEL-12: the reason the learner reads is chosen from the list (another value: 400, next to the field).
    assert.match(noReason.body, /Choisissez la raison montrée à la personne/);
    const oddReason = await browsers.coordinator.submit(sheet(c), `${sheet(c)}/ajustement`, { points: '+2', publicReason: 'friend', reason: 'x' });
    assert.equal(oddReason.statusCode, 400);
    assert.equal((await browsers.coordinator.submit(sheet(c), `${sheet(c)}/ajustement`, { points: '+2', publicReason: 'training_elsewhere', reason: 'Reprise d’études après un long arrêt' })).statusCode, 303);
    const logged = await t.db.select().from(auditLog).where(eq(auditLog.action, 'selection.adjustment'));
    assert.equal(logged.length, 1);
    assert.equal((logged[0].data as { reason: string }).reason, 'Reprise d’études après un long arrêt');
    assert.equal((logged[0].data as { publicReason: string }).publicReason, 'training_elsewhere');
    // SEL-12: the sheet shows both; the ranking screen's explanation gives only the public one.
    const adjusted = await browsers.coordinator.get(sheet(c));
    assert.match(adjusted.body, /Raison montrée à la personne : une formation suivie ailleurs/);
    // The evaluation prevails: 16 first, then 12.5, then 9 (whatever the points).
    const ranking = await browsers.coordinator.get('/personnel/sessions/EV-A1/selection');
    const order = [b, a, c].map((x) => ranking.body.indexOf(x.applicationId));
    assert.ok(order[0] < order[1] && order[1] < order[2], 'ranked by the evaluation');
    // SEL-12: each applicant's explanation on the ranking screen, as the learner will read it.
    assert.match(ranking.body, /Votre note au test ou à l’entretien : 16 sur 20\./);
    assert.match(ranking.body, /L’équipe a ajouté 2 points\. Pourquoi : une formation suivie ailleurs\./);
    assert.doesNotMatch(ranking.body, /Reprise d’études/, 'staff’s own reason stays in the log');
  });

  it('SEL-5 after the test, a coordinator moves an application to the next level, history kept', async () => {
    const [, b] = evaluated;
    const sheet = `/personnel/candidatures/${b.applicationId}`;
    const page = await browsers.coordinator.get(sheet);
    assert.match(page.body, /EV-A2 — Cours FLE-A2/);
    const bad = await browsers.coordinator.submit(sheet, `${sheet}/deplacer`, { motif: 'moved_level', session: 'OTHER' });
    assert.equal(bad.statusCode, 409);
    assert.match(bad.body, /Choisissez un des groupes proposés/);
    assert.equal((await browsers.coordinator.submit(sheet, `${sheet}/deplacer`, { motif: 'moved_level', session: 'EV-A2' })).statusCode, 303);
    const [row] = await t.db.select().from(applications).where(eq(applications.id, b.applicationId));
    const [a2] = await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'EV-A2'));
    assert.equal(row.sessionId, a2.id);
    assert.equal(row.status, 'convoked', 'it joins the other level’s selection');
    assert.match((await emailsTo(t.db, b.email))[0].text, /changement de niveau/);
  });

  it('SEL-1 SEL-3 a coordinator records prerequisites not met, with the reason; the decision refuses the application and says why', async () => {
    const c = evaluated[2];
    const sheet = `/personnel/candidatures/${c.applicationId}`;
    const noReason = await browsers.coordinator.submit(sheet, `${sheet}/prerequis`, { met: 'no', reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Indiquez ce qui manque/);
    assert.equal((await browsers.trainer.post(`${sheet}/prerequis`, { _csrf: 'x', met: 'no', reason: 'x' })).statusCode, 403);
    const reason = 'Attestation du niveau précédent manquante (A1 & <A2>)';
    assert.equal((await browsers.coordinator.submit(sheet, `${sheet}/prerequis`, { met: 'no', reason })).statusCode, 303);
    const ranking = await browsers.coordinator.get('/personnel/sessions/EV-A1/selection');
    assert.match(ranking.body, /1 candidature\(s\) seront refusées/);
    assert.ok(!ranking.body.includes(c.applicationId), 'not ranked');
    const decided = await browsers.coordinator.submit('/personnel/sessions/EV-A1/selection', '/personnel/sessions/EV-A1/selection', {});
    assert.equal(decided.statusCode, 303);
    assert.equal(await status(evaluated[0].applicationId), 'accepted');
    assert.equal(await status(c.applicationId), 'refused');
    const [mail] = await emailsTo(t.db, c.email);
    assert.match(mail.subject, /n’a pas été retenue/);
    assert.match(mail.text, /prérequis/);
    assert.ok(mail.text.includes(reason), `the email gives the reason recorded:\n${mail.text}`);
    const learner = new Client(t.app);
    await learner.login(c.email);
    const list = (await learner.get('/candidatures')).body;
    assert.ok(list.includes('Attestation du niveau précédent manquante (A1 &amp; &lt;A2'), 'the learner’s page gives the reason, escaped');
    assert.ok(!list.includes('<A2>'));
  });

  it('SEL-10 the school head records a change-of-day request; the coordinator moves the learner to a session with a free place', async () => {
    const [a] = evaluated;
    assert.equal(await status(a.applicationId), 'accepted', 'decided by the test before');
    const sheet = `/personnel/candidatures/${a.applicationId}`;
    assert.equal((await browsers.head.submit(sheet, `${sheet}/demande`, { note: 'Travaille le lundi, demande le vendredi.' })).statusCode, 303);
    const home = await browsers.coordinator.get('/personnel');
    assert.match(home.body, /Demandes de changement de jour en attente \(1\)/);
    assert.match(home.body, new RegExp(`/personnel/candidatures/${a.applicationId}`));
    assert.doesNotMatch((await browsers.trainer.get('/personnel')).body, /Demandes de changement/);
    const page = await browsers.coordinator.get(sheet);
    assert.match(page.body, /Travaille le lundi/);
    assert.match(page.body, /EV-A1B/);
    assert.equal((await browsers.coordinator.submit(sheet, `${sheet}/deplacer`, { motif: 'moved_day', session: 'EV-A1B' })).statusCode, 303);
    const [row] = await t.db.select().from(applications).where(eq(applications.id, a.applicationId));
    const [target] = await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'EV-A1B'));
    assert.equal(row.sessionId, target.id);
    assert.equal(row.status, 'accepted', 'the place goes with the learner');
    assert.doesNotMatch((await browsers.coordinator.get('/personnel')).body, /Demandes de changement/, 'the request is closed');
    const learner = new Client(t.app);
    await learner.login(a.email);
    assert.match((await learner.get('/candidatures')).body, /changement de jour accepté/);
  });
});

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
}
