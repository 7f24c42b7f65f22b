import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { samples, type Part } from '../../../test/multipart';
import { storedFiles } from '../../platform/platform.table';
import { translator } from '../../platform/i18n';
import { money } from '../../ui/format';
import { applications } from '../applications/applications.table';
import { assignScope } from '../scopes';
import { decideSession } from '../selection/selection.service';
import { recordSchoolPayment, validateEnrolment, type SchoolDeps, type PaymentProvider } from '.';
import { refunds } from './payments.table';
import { settleCancelledApplication } from './refunds.service';


const fr = translator('fr');
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The message shown next to each field: [field, text]. */
const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m): [string, string] => [m[1], decode(m[2])]);
const valueOf = (html: string, name: string) => decode(new RegExp(`name="${name}" [^>]*value="([^"]*)"`).exec(html)?.[1] ?? '');
const textareaOf = (html: string, name: string) => decode(new RegExp(`name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? '');

describe('refund pages (PAY-9)', () => {
  let t: TestApp;
  let deps: SchoolDeps;
  const paid: { learnerId: string; email: string; applicationId: string; browser: Client }[] = [];
  let coordinator: Client;
  let schoolHead: Client;

  before(async () => {
    // A 1 MB upload limit keeps the oversize case small.
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z'), policies: { uploadMaxMegabytes: 1 } });
    deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' };
    await buildCatalogue(t.db, t.clock, [{ code: 'RR', weekday: 3, startsAt: '18:30', endsAt: '20:30' }]);
    const applicants = await confirmedApplicants({ ...deps, clock: t.clock }, 'RR', 5);
    await closeOpenPeriod(t.db, t.clock);
    const admin = await buildStaff(t.db, t.clock, 'admin');
    const staff = { id: admin.userId, role: 'admin' as const };
    assert.ok((await decideSession(deps, { staff, sessionCode: 'RR' })).ok);
    // The first meeting (11 October) has taken place: validated, paid by cheque on the 12th.
    t.clock.set(new Date('2026-10-12T09:00:00Z'));
    for (const a of applicants) {
      assert.ok((await validateEnrolment(deps, staff, a.applicationId)).ok);
      assert.ok((await recordSchoolPayment(deps, staff, a.applicationId, { method: 'cheque', chequeNumber: '0012345', bank: 'Banque test', payerName: 'Léa Durand' })).ok);
    }
    t.clock.set(new Date('2026-10-20T09:00:00Z'));
    for (const a of applicants) {
      const browser = new Client(t.app);
      await browser.login(a.email);
      paid.push({ ...a, browser });
    }
    const c = await buildStaff(t.db, t.clock, 'coordinator');
    await assignScope(t.db, { userId: c.userId, schools: ['E-11-T'] });
    coordinator = new Client(t.app);
    await coordinator.loginStaff(c.email, c.totpSecret, t.clock);
    const h = await buildStaff(t.db, t.clock, 'school_head');
    await assignScope(t.db, { userId: h.userId, schools: ['E-11-T'] });
    schoolHead = new Client(t.app);
    await schoolHead.loginStaff(h.email, h.totpSecret, t.clock);
  });
  after(() => t.close());

  const page = (a: (typeof paid)[number]) => `/candidatures/${a.applicationId}/remboursement`;
  const refundCount = async () => (await t.db.select().from(refunds)).length;

  it('PAY-9 the learner’s page shows the payment, the FAQ’s conditions and the request form, every reason a choice', async () => {
    const response = await paid[0].browser.get(page(paid[0]));
    assert.equal(response.statusCode, 200);
    const html = decode(response.body);
    assert.match(html, /Vous avez payé 150,00\s€ le 12 octobre 2026\./);
    assert.ok(html.includes(fr('refund.page.rules', { weeks: 4 })));
    assert.ok(html.includes(fr('refund.page.payout')), 'a refund is paid by the service, not back to the card');
    assert.ok(html.includes(`href="/candidatures/${paid[0].applicationId}/paiement"`), 'back to the payment page');
    for (const reason of ['bodily_accident', 'hospitalisation', 'professional_change', 'session_not_opened', 'enrolment_error', 'late_entry', 'early_leaving', 'cancelled_meeting'])
      assert.ok(html.includes(`value="${reason}"`), reason);
    assert.ok(html.includes('name="_csrf"'));
  });

  it('PAY-9 late entry, early leaving, a cancelled meeting: refused at once with the FAQ’s answer next to the reason, what was typed kept, nothing stored', async () => {
    const before = await refundCount();
    for (const reason of ['late_entry', 'early_leaving', 'cancelled_meeting'] as const) {
      const response = await paid[0].browser.submit(page(paid[0]), page(paid[0]), { reason, eventOn: '', explanation: 'Je suis arrivée en janvier.' });
      assert.equal(response.statusCode, 400);
      const errors = new Map(errorsOf(response.body));
      assert.equal(errors.get('reason'), fr(`refund.nonRefundable.${reason}`));
      assert.ok(response.body.includes(`value="${reason}" checked`), 'the choice kept');
      assert.equal(textareaOf(response.body, 'explanation'), 'Je suis arrivée en janvier.');
    }
    assert.equal(await refundCount(), before);
  });

  it('PAY-9 bad input gives its message next to the field, what was typed kept: a NUL byte, a date that does not exist, a date to come, no proof', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{ reason: 'hospitalisation', eventOn: '13/10/2026', explanation: 'Opérée\u0000', proof: 'on' }, 'explanation', fr('field.invalidCharacters')],
      [{ reason: 'hospitalisation', eventOn: '31/02/2026', explanation: 'Opérée', proof: 'on' }, 'eventOn', fr('refund.error.date')],
      [{ reason: 'hospitalisation', eventOn: '21/10/2026', explanation: 'Opérée', proof: 'on' }, 'eventOn', fr('refund.error.event_in_future')],
      [{ reason: 'hospitalisation', eventOn: '13/10/2026', explanation: 'Opérée' }, 'proof', fr('refund.error.proof')],
      [{ reason: 'bogus', eventOn: '13/10/2026', explanation: 'Opérée' }, 'reason', fr('refund.error.reason')],
      [{ reason: 'session_not_opened', eventOn: '01/09/2026', explanation: 'Cours annulé' }, 'eventOn', fr('refund.error.request_too_late', { weeks: 4, last: '29 septembre 2026' })],
    ];
    const before = await refundCount();
    for (const [fields, field, message] of cases) {
      const response = await paid[0].browser.submit(page(paid[0]), page(paid[0]), fields);
      assert.equal(response.statusCode, 400, `${field}: ${message}`);
      assert.equal(new Map(errorsOf(response.body)).get(field), message);
      assert.equal(valueOf(response.body, 'eventOn'), fields.eventOn, 'what was typed, kept');
      assert.ok(response.body.includes('class="error-summary"'));
    }
    // A crafted body: arrays and a huge field never give a 500.
    const crafted = await paid[0].browser.submit(page(paid[0]), page(paid[0]), { reason: 'hospitalisation', eventOn: '1'.repeat(5000), explanation: 'x'.repeat(3000), proof: 'yes' });
    assert.equal(crafted.statusCode, 400);
    assert.equal(await refundCount(), before);
  });

  it('PAY-9 a request in the window is recorded, the page then shows it; a second one is told one is open', async () => {
    const sent = await paid[0].browser.submit(page(paid[0]), page(paid[0]), { reason: 'hospitalisation', eventOn: '13/10/2026', explanation: 'Opérée le 13.', proof: 'on' });
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, `${page(paid[0])}?message=requested`);
    const shown = decode((await paid[0].browser.get(sent.headers.location as string)).body);
    assert.ok(shown.includes(fr('refund.flash.requested')));
    assert.ok(shown.includes(fr('refund.status.requested')));
    assert.ok(shown.includes(fr('refund.error.open')), 'no form, and why');
    assert.ok(!shown.includes(`action="${page(paid[0])}"`));
    const [row] = await t.db.select().from(refunds);
    assert.deepEqual([row.reason, row.eventOn, row.proofFileId], ['hospitalisation', '2026-10-13', null]);
    // A second request (a page kept open in another tab) is told why, nothing stored.
    const again = await paid[0].browser.post(page(paid[0]), { _csrf: 'stale', reason: 'enrolment_error', eventOn: '13/10/2026', explanation: 'x' });
    assert.equal(again.statusCode, 403, 'no CSRF token: refused before anything');
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await paid[1].browser.get(page(paid[1]))).body)![1];
    const other = await paid[0].browser.post(page(paid[0]), { _csrf: decode(csrf), reason: 'enrolment_error', eventOn: '13/10/2026', explanation: 'x' });
    assert.equal(other.statusCode, 403, 'another session’s token is refused');
    assert.equal(await refundCount(), 1);
  });

  it('PAY-9 a second request while one is open gives a clear message (409)', async () => {
    // paid[0]'s form is gone; a form rendered before the first request still posts.
    const form = await paid[1].browser.get(page(paid[1]));
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec(form.body)![1]);
    const first = await paid[1].browser.post(page(paid[1]), { _csrf: csrf, reason: 'enrolment_error', eventOn: '19/10/2026', explanation: 'Inscrit au mauvais niveau.' });
    assert.equal(first.statusCode, 303);
    const second = await paid[1].browser.post(page(paid[1]), { _csrf: csrf, reason: 'enrolment_error', eventOn: '19/10/2026', explanation: 'Encore.' });
    assert.equal(second.statusCode, 409);
    assert.ok(decode(second.body).includes(fr('refund.error.open')));
  });

  it('PAY-9 another learner’s enrolment, an odd id, no login: the 404 page or the login', async () => {
    const stranger = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(stranger.email);
    assert.equal((await browser.get(page(paid[2]))).statusCode, 404);
    const own = decode((await paid[3].browser.get(page(paid[3]))).body);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(own)![1];
    assert.equal((await paid[3].browser.post(page(paid[2]), { _csrf: csrf, reason: 'enrolment_error', eventOn: '19/10/2026', explanation: 'x' })).statusCode, 404);
    for (const url of ['/candidatures/abc/remboursement', '/candidatures/00000000-0000-0000-0000-000000000000/remboursement', '/candidatures/%00/remboursement'])
      assert.equal((await paid[3].browser.get(url)).statusCode, 404, url);
    assert.equal((await paid[3].browser.get(`${page(paid[3])}?message=%00`)).statusCode, 400);
    const anonymous = await new Client(t.app).get(page(paid[3]));
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location as string, /^\/connexion\?retour=/);
    assert.equal((await coordinator.get(page(paid[3]))).statusCode, 403, 'staff have their own pages');
  });

  it('PAY-9 staff: the list in scope, open first; the page says PayFiP has no refund call; only coordinators and administrators', async () => {
    const list = await coordinator.get('/personnel/remboursements');
    assert.equal(list.statusCode, 200);
    const html = decode(list.body);
    const [open] = await t.db.select().from(refunds).where(eq(refunds.reason, 'hospitalisation'));
    assert.ok(html.includes(`/personnel/remboursements/${open.id}`));
    assert.ok(html.includes(fr('refund.staff.noProvider')));
    const detail = decode((await coordinator.get(`/personnel/remboursements/${open.id}`)).body);
    assert.ok(detail.includes(fr('refund.staff.noProvider')));
    assert.ok(detail.includes(fr('refund.staff.endsEnrolment')));
    assert.ok(detail.includes('Opérée le 13.'));
    assert.ok(detail.includes(fr('refund.staff.proofPromised')));
    assert.equal(valueOf(detail, 'amount'), '150,00', 'the amount paid, to start from');
    assert.equal((await schoolHead.get('/personnel/remboursements')).statusCode, 403);
    assert.equal((await schoolHead.get(`/personnel/remboursements/${open.id}`)).statusCode, 403);
    assert.equal((await paid[0].browser.get('/personnel/remboursements')).statusCode, 403);
    assert.equal((await coordinator.get('/personnel/remboursements/abc')).statusCode, 404);
    assert.equal((await coordinator.get('/personnel/remboursements/00000000-0000-0000-0000-000000000000')).statusCode, 404);
    assert.equal((await coordinator.get('/personnel/remboursements?message=nope')).statusCode, 400);
    const outsider = await buildStaff(t.db, t.clock, 'coordinator');
    const browser = new Client(t.app);
    await browser.loginStaff(outsider.email, outsider.totpSecret, t.clock);
    assert.ok(decode((await browser.get('/personnel/remboursements')).body).includes(fr('refund.staff.none')));
    assert.equal((await browser.get(`/personnel/remboursements/${open.id}`)).statusCode, 404, 'out of scope: unknown');
  });

  it('PAY-9 the grant form: bad amounts, dates and references give their message next to the field, what was typed kept, nothing changes', async () => {
    const [open] = await t.db.select().from(refunds).where(eq(refunds.reason, 'hospitalisation'));
    const detail = `/personnel/remboursements/${open.id}`;
    const action = `${detail}/accorder`;
    const cases: [Record<string, string>, string, string][] = [
      [{ amount: 'abc' }, 'amount', fr('refund.error.amount')],
      [{ amount: '12,505' }, 'amount', fr('refund.error.amount')],
      [{ amount: '-5' }, 'amount', fr('refund.error.amount')],
      [{ amount: '1e3' }, 'amount', fr('refund.error.amount')],
      [{ amount: '0' }, 'amount', fr('refund.error.amount_zero')],
      [{ amount: '150,01' }, 'amount', fr('refund.error.amount_over_paid', { paid: money(fr, 15_000) })],
      [{ amount: '99999999999999999999999' }, 'amount', fr('refund.error.amount_over_paid', { paid: money(fr, 15_000) })],
      [{ amount: '12\u000050' }, 'amount', fr('field.invalidCharacters')],
      [{ refundedOn: '21/10/2026' }, 'refundedOn', fr('refund.error.refund_in_future')],
      [{ refundedOn: '11/10/2026' }, 'refundedOn', fr('refund.error.refund_before_payment', { paidOn: '12 octobre 2026' })],
      [{ refundedOn: '2026-13-01' }, 'refundedOn', fr('refund.error.date')],
      [{ method: 'bitcoin' }, 'method', fr('refund.error.method')],
      [{ reference: '' }, 'reference', fr('refund.error.reference')],
      [{ reference: 'VIR\u0000' }, 'reference', fr('field.invalidCharacters')],
      [{ reference: 'x'.repeat(101) }, 'reference', fr('field.tooLong', { max: 100 })],
    ];
    for (const [fields, field, message] of cases) {
      const response = await coordinator.submit(detail, action, { amount: '150,00', refundedOn: '20/10/2026', method: 'transfer', reference: 'VIR-1', ...fields });
      assert.equal(response.statusCode, 400, `${JSON.stringify(fields)}`);
      assert.equal(new Map(errorsOf(response.body)).get(field), message, JSON.stringify(fields));
      if (field === 'amount' && !fields.amount.includes('\u0000')) assert.equal(valueOf(response.body, 'amount'), fields.amount, 'what was typed, kept');
    }
    const [still] = await t.db.select().from(refunds).where(eq(refunds.id, open.id));
    assert.equal(still.status, 'requested');
  });

  it('PAY-9 APP-8 granting "12,50" by transfer records 1250 cents, ends the enrolment and emails the learner; a second decision is told it was made', async () => {
    const [open] = await t.db.select().from(refunds).where(eq(refunds.reason, 'hospitalisation'));
    const detail = `/personnel/remboursements/${open.id}`;
    const done = await coordinator.submit(detail, `${detail}/accorder`, { amount: '12,50', refundedOn: '20/10/2026', method: 'transfer', reference: 'VIR-1' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/personnel/remboursements?message=granted');
    assert.ok(decode((await coordinator.get(done.headers.location as string)).body).includes(fr('refund.flash.granted')));
    const [row] = await t.db.select().from(refunds).where(eq(refunds.id, open.id));
    assert.deepEqual([row.status, row.amountCents, row.refundedOn, row.method, row.refundReference], ['granted', 1250, '2026-10-20', 'transfer', 'VIR-1']);
    const [application] = await t.db.select().from(applications).where(eq(applications.id, paid[0].applicationId));
    assert.equal(application.status, 'withdrawn');
    const [email] = await emailsTo(t.db, paid[0].email);
    assert.match(email.text, /12,50\s€ vous ont été remboursés le 20 octobre 2026 par virement/);
    const shown = decode((await coordinator.get(detail)).body);
    assert.ok(!shown.includes(`${detail}/accorder`), 'decided: no more forms');
    assert.match(shown, /Décidé le 20 octobre 2026/);
    const learnerPage = decode((await paid[0].browser.get(page(paid[0]))).body);
    assert.ok(learnerPage.includes('Accordé : 12,50'));
    // A page kept open: the decision was made; said, nothing changed.
    const html = (await coordinator.get(`/personnel/remboursements/${(await t.db.select().from(refunds).where(eq(refunds.reason, 'enrolment_error')))[0].id}`)).body;
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec(html)![1]);
    const late = await coordinator.post(`${detail}/refuser`, { _csrf: csrf, note: 'Non.' });
    assert.equal(late.statusCode, 409);
    assert.ok(decode(late.body).includes(fr('refund.error.decided')));
  });

  it('PAY-9 refusing needs a reason; refused, the enrolment stays and the learner reads why', async () => {
    const [open] = await t.db.select().from(refunds).where(eq(refunds.reason, 'enrolment_error'));
    const detail = `/personnel/remboursements/${open.id}`;
    const empty = await coordinator.submit(detail, `${detail}/refuser`, { note: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.equal(new Map(errorsOf(empty.body)).get('note'), fr('refund.error.note'));
    const done = await coordinator.submit(detail, `${detail}/refuser`, { note: 'Le niveau choisi est celui de votre test.' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/personnel/remboursements?message=refused');
    const [application] = await t.db.select().from(applications).where(eq(applications.id, paid[1].applicationId));
    assert.equal(application.status, 'enrolled');
    const [email] = await emailsTo(t.db, paid[1].email);
    assert.match(email.subject, /^Demande de remboursement refusée/);
    assert.match(email.text, /Le niveau choisi est celui de votre test\./);
    const learnerPage = decode((await paid[1].browser.get(page(paid[1]))).body);
    assert.ok(learnerPage.includes('Refusé : Le niveau choisi est celui de votre test.'));
    assert.ok(learnerPage.includes(`action="${page(paid[1])}"`), 'refused: a new request may be made');
  });
  const filesOf = async (learnerId: string) => t.db.select().from(storedFiles).where(eq(storedFiles.ownerId, learnerId));
  const requestParts = (fields: Record<string, string>, file?: Part): Part[] => [...Object.entries(fields).map(([name, value]) => ({ name, value })), ...(file ? [file] : [])];
  const png: Part = { name: 'proofFile', filename: 'certificat.png', type: 'image/png', data: samples.png };

  it('PAY-9 the request form is multipart: a proof sent as a PNG, without the box, is recorded with the request; the learner opens it from their refund page', async () => {
    const a = paid[2];
    const shown = (await a.browser.get(page(a))).body;
    assert.match(shown, /enctype="multipart\/form-data"/);
    assert.match(shown, /type="file"[^>]*name="proofFile"|name="proofFile"[^>]*type="file"/);
    const sent = await a.browser.submitMultipart(page(a), page(a), requestParts({ reason: 'bodily_accident', eventOn: '14/10/2026', explanation: 'Chute dans l’escalier.' }, png));
    assert.equal(sent.statusCode, 303);
    const [row] = await t.db.select().from(refunds).where(eq(refunds.explanation, 'Chute dans l’escalier.'));
    assert.ok(row.proofFileId);
    const [file] = await filesOf(a.learnerId);
    assert.deepEqual([file.id, file.purpose, file.mediaType], [row.proofFileId, 'refund_proof', 'image/png']);
    const after = decode((await a.browser.get(page(a))).body);
    const link = `/candidatures/${a.applicationId}/remboursement/${row.id}/justificatif`;
    assert.ok(after.includes(`href="${link}"`), 'a link to the file sent');
    assert.match(after, /Voir le justificatif envoyé \(certificat\.png, PNG, 1\s?ko\)/);
    const opened = await a.browser.get(link);
    assert.equal(opened.statusCode, 200);
    assert.equal(opened.headers['content-type'], 'image/png');
    assert.match(String(opened.headers['content-disposition']), /^attachment; filename="certificat\.png"/);
    assert.ok(opened.rawPayload.equals(samples.png));
  });

  it('PAY-9 a text renamed .pdf, an empty or too large file: the message next to the file, the other answers kept, nothing stored; no CSRF token, 403', async () => {
    const a = paid[3];
    const fields = { reason: 'hospitalisation', eventOn: '15/10/2026', explanation: 'Opéré le 15 octobre.' };
    const cases: [string, Part, string][] = [
      ['a text renamed .pdf', { name: 'proofFile', filename: 'bulletin.pdf', type: 'application/pdf', data: samples.text }, fr('upload.type')],
      ['empty', { name: 'proofFile', filename: 'vide.pdf', type: 'application/pdf', data: Buffer.alloc(0) }, fr('upload.empty')],
      ['over the limit', { name: 'proofFile', filename: 'scan.pdf', type: 'application/pdf', data: Buffer.concat([samples.pdf, Buffer.alloc(1024 * 1024, 0x20)]) }, fr('upload.tooLarge', { max: 1 })],
    ];
    for (const [what, file, message] of cases) {
      const response = await a.browser.submitMultipart(page(a), page(a), requestParts(fields, file));
      assert.equal(response.statusCode, 400, what);
      assert.deepEqual(errorsOf(response.body), [['proofFile', message]], what);
      assert.equal(valueOf(response.body, 'eventOn'), '15/10/2026', `${what}: the date kept`);
      assert.ok(response.body.includes('value="hospitalisation" checked'), `${what}: the reason kept`);
      assert.equal(textareaOf(response.body, 'explanation'), 'Opéré le 15 octobre.', `${what}: the explanation kept`);
      assert.ok(decode(response.body).includes(fr('upload.chooseAgain')), `${what}: the file is asked again`);
    }
    // A long explanation with accents (2 000 characters, 4 000 bytes) is read whole; one character more is said in characters.
    const long = await a.browser.submitMultipart(page(a), page(a), requestParts({ ...fields, explanation: 'é'.repeat(2_000) }, cases[0][1]));
    assert.deepEqual(errorsOf(long.body), [['proofFile', fr('upload.type')]]);
    assert.equal(textareaOf(long.body, 'explanation'), 'é'.repeat(2_000));
    const tooLong = await a.browser.submitMultipart(page(a), page(a), requestParts({ ...fields, explanation: 'é'.repeat(5_000) }, png));
    assert.deepEqual(errorsOf(tooLong.body), [['explanation', fr('field.tooLong', { max: 2_000 })]]);
    // Without a file and without the box: the proof is asked, next to the box.
    const none = await a.browser.submitMultipart(page(a), page(a), requestParts(fields, { name: 'proofFile', filename: '', data: Buffer.alloc(0) }));
    assert.deepEqual(errorsOf(none.body), [['proof', fr('refund.error.proof')]]);
    // No token, or a forged one: refused before anything is read or stored.
    assert.equal((await a.browser.postMultipart(page(a), requestParts(fields, png))).statusCode, 403);
    assert.equal((await a.browser.postMultipart(page(a), requestParts({ _csrf: 'forged', ...fields }, png))).statusCode, 403);
    assert.deepEqual(await filesOf(a.learnerId), [], 'nothing stored');
    assert.equal((await t.db.select().from(refunds).where(eq(refunds.explanation, fields.explanation))).length, 0);
    // Only paper: the box ticked and no file chosen (the browser sends an empty file part) is a request.
    const paper = await a.browser.submitMultipart(page(a), page(a), requestParts({ ...fields, proof: 'on' }, { name: 'proofFile', filename: '', data: Buffer.alloc(0) }));
    assert.equal(paper.statusCode, 303);
    const [row] = await t.db.select().from(refunds).where(eq(refunds.explanation, fields.explanation));
    assert.equal(row.proofFileId, null);
  });

  it('PAY-9 staff in scope open the proof from the refund page, as an attachment; out of scope, no file or another learner: 404', async () => {
    const [row] = await t.db.select().from(refunds).where(eq(refunds.explanation, 'Chute dans l’escalier.'));
    const detail = `/personnel/remboursements/${row.id}`;
    const file = `${detail}/justificatif`;
    const shown = decode((await coordinator.get(detail)).body);
    assert.ok(shown.includes(`href="${file}"`));
    assert.match(shown, /Ouvrir le justificatif \(certificat\.png, PNG, 1\s?ko\)/);
    const opened = await coordinator.get(file);
    assert.equal(opened.statusCode, 200);
    assert.equal(opened.headers['content-type'], 'image/png');
    assert.match(String(opened.headers['content-disposition']), /^attachment; filename="certificat\.png"/);
    assert.equal(opened.headers['cache-control'], 'private, no-store');
    assert.ok(opened.rawPayload.equals(samples.png));
    const admin = await buildStaff(t.db, t.clock, 'admin');
    const adminBrowser = new Client(t.app);
    await adminBrowser.loginStaff(admin.email, admin.totpSecret, t.clock);
    assert.equal((await adminBrowser.get(file)).statusCode, 200, 'the administrator');
    const outsider = await buildStaff(t.db, t.clock, 'coordinator');
    const browser = new Client(t.app);
    await browser.loginStaff(outsider.email, outsider.totpSecret, t.clock);
    assert.equal((await browser.get(file)).statusCode, 404, 'out of scope');
    assert.equal((await schoolHead.get(file)).statusCode, 403, 'the school head does not decide refunds, as on the refund page');
    const [paper] = await t.db.select().from(refunds).where(eq(refunds.explanation, 'Opéré le 15 octobre.'));
    assert.equal((await coordinator.get(`/personnel/remboursements/${paper.id}/justificatif`)).statusCode, 404, 'no file sent');
    assert.ok(decode((await coordinator.get(`/personnel/remboursements/${paper.id}`)).body).includes(fr('refund.staff.proofPromised')));
    for (const url of ['/personnel/remboursements/abc/justificatif', '/personnel/remboursements/00000000-0000-0000-0000-000000000000/justificatif'])
      assert.equal((await coordinator.get(url)).statusCode, 404, url);
    // Another learner: neither through the owner's enrolment nor through their own.
    const learnerLink = `/candidatures/${paid[2].applicationId}/remboursement/${row.id}/justificatif`;
    assert.equal((await paid[3].browser.get(learnerLink)).statusCode, 404);
    assert.equal((await paid[3].browser.get(`/candidatures/${paid[3].applicationId}/remboursement/${row.id}/justificatif`)).statusCode, 404);
    assert.equal((await paid[2].browser.get(`/candidatures/${paid[2].applicationId}/remboursement/abc/justificatif`)).statusCode, 404);
    assert.equal((await new Client(t.app).get(learnerLink)).statusCode, 303, 'a visitor is sent to log in');
  });
  it('SVC-2 PAY-9 a refund granted at a session’s cancellation is “granted, to be paid” for the learner; staff record the refund made (day, method, reference), bad input next to its field, twice is told', async () => {
    const learner = paid[4];
    const adminId = (await buildStaff(t.db, t.clock, 'admin')).userId;
    await t.db.transaction((tx) => settleCancelledApplication(tx, t.clock, { applicationId: learner.applicationId, staffId: adminId, method: 'transfer', explanation: 'La session n’ouvre pas.' }));
    const [granted] = await t.db.select().from(refunds).where(eq(refunds.requestedBy, adminId));
    assert.deepEqual([granted.status, granted.refundedOn, granted.method], ['granted', null, 'transfer']);
    const mine = decode((await learner.browser.get(page(learner))).body);
    assert.ok(mine.includes('Remboursement accordé, à verser : 150,00'), 'granted, to be paid');
    assert.ok(!mine.includes('remboursés le'), 'not "refunded"');
    const detail = `/personnel/remboursements/${granted.id}`;
    const list = decode((await coordinator.get('/personnel/remboursements')).body);
    assert.ok(list.includes('Accordé, à rembourser'));
    const shown = decode((await coordinator.get(detail)).body);
    assert.ok(shown.includes(`${detail}/verse`), 'the form to record the refund made');
    assert.ok(!shown.includes(`${detail}/accorder`), 'decided: no decision form');
    assert.equal(valueOf(shown, 'refundedOn'), '');
    // A school head does not decide refunds: 403.
    assert.equal((await schoolHead.get(detail)).statusCode, 403);
    const bad = await coordinator.submit(detail, `${detail}/verse`, { refundedOn: '31/02/2026', method: 'cheque', reference: '' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(errorsOf(bad.body).map(([field]) => field).sort(), ['reference', 'refundedOn']);
    assert.equal(valueOf(bad.body, 'refundedOn'), '31/02/2026');
    const future = await coordinator.submit(detail, `${detail}/verse`, { refundedOn: '25/10/2026', method: 'transfer', reference: 'VIR-9' });
    assert.equal(future.statusCode, 400);
    assert.deepEqual(errorsOf(future.body), [['refundedOn', fr('refund.error.refund_in_future')]]);
    assert.equal((await t.db.select().from(refunds).where(eq(refunds.id, granted.id)))[0].refundedOn, null, 'nothing changed');
    const done = await coordinator.submit(detail, `${detail}/verse`, { refundedOn: '20/10/2026', method: 'cheque', reference: '0004567' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/personnel/remboursements?message=paid');
    const [row] = await t.db.select().from(refunds).where(eq(refunds.id, granted.id));
    assert.deepEqual([row.refundedOn, row.method, row.refundReference, row.amountCents], ['2026-10-20', 'cheque', '0004567', 15_000]);
    const [email] = await emailsTo(t.db, learner.email);
    assert.match(email.text, /150,00\s€ vous ont été remboursés le 20 octobre 2026 par chèque\. Référence : 0004567\./);
    assert.ok(decode((await learner.browser.get(page(learner))).body).includes('Accordé : 150,00'));
    const after = decode((await coordinator.get(detail)).body);
    assert.ok(!after.includes(`${detail}/verse`), 'refunded: no more form');
    // A page kept open: the refund is already recorded; said (409), nothing changed.
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec(shown)![1]);
    const again = await coordinator.post(`${detail}/verse`, { _csrf: csrf, refundedOn: '19/10/2026', method: 'transfer', reference: 'VIR-2' });
    assert.equal(again.statusCode, 409);
    assert.ok(decode(again.body).includes(fr('refund.error.alreadyPaid')));
  });
});
