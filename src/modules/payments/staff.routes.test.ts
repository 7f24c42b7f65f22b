import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { acceptedApplicants, cameToConvocation, livePaymentOf, statusOf } from '../../../test/payments';
import { parisInstant } from '../../platform/clock';
import { courses, courseSessions, schools } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { addDays } from './payments.rules';
import { remindUnpaid } from './payments.service';
import { paymentAttempts } from './payments.table';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The text of a field's error message (`<name>-error`), or undefined. */
const errorOf = (html: string, name: string) => {
  const found = new RegExp(`<p class="error-message" id="${name}-error">([^<]*)</p>`).exec(html)?.[1];
  return found === undefined ? undefined : decode(found);
};
const valueOf = (html: string, name: string) => {
  const found = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0];
  return found ? decode(/value="([^"]*)"/.exec(found)?.[1] ?? '') : undefined;
};

describe('staff pages of enrolment and payment (PAY-1, PAY-2, PAY-3)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof acceptedApplicants>>;
  const browsers: Record<string, Client & { userId: string; relogin: () => Promise<unknown> }> = {};
  const id = (code: string, i: number) => made[code][i].applicationId;
  const deps = () => ({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' });

  const staffBrowser = async (role: 'trainer' | 'school_head' | 'coordinator' | 'admin', scope: { schools?: string[]; sessions?: string[] } | null) => {
    const staff = await buildStaff(t.db, t.clock, role);
    if (scope) await assignScope(t.db, { userId: staff.userId, ...scope });
    const browser = new Client(t.app);
    await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    return Object.assign(browser, { userId: staff.userId, relogin: () => browser.loginStaff(staff.email, staff.totpSecret, t.clock) });
  };
  /** Posts to `url` with the CSRF token of `page` (the token is the login session's, whatever the form). */
  const postFrom = async (browser: Client, page: string, url: string, fields: Record<string, string> = {}) => browser.post(url, { _csrf: csrfOf((await browser.get(page)).body), ...fields });

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'PAY-A', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
      { code: 'PAY-C', weekday: 4, startsAt: '18:30', endsAt: '20:30' },
      { code: 'PAY-O', weekday: 5, startsAt: '18:30', endsAt: '20:30' },
    ]);
    await t.db.update(courses).set({ fullRateCents: 35_000, halfRateCents: 17_500 }).where(eq(courses.code, 'C-PAY-C'));
    const [other] = await t.db.insert(schools).values({ code: 'E-20-O', name: 'Autre école', arrondissement: 20, address: '2 rue Autre', postalCode: '75020', city: 'Paris' }).returning();
    await t.db.update(courseSessions).set({ schoolId: other.id }).where(eq(courseSessions.code, 'PAY-O'));
    made = await acceptedApplicants({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' }, { 'PAY-A': 6, 'PAY-C': 1, 'PAY-O': 1 });
    browsers.head = await staffBrowser('school_head', { schools: ['E-11-T'] });
    browsers.otherHead = await staffBrowser('school_head', { schools: ['E-20-O'] });
    browsers.trainer = await staffBrowser('trainer', { sessions: ['PAY-A'] });
    browsers.coordinator = await staffBrowser('coordinator', { schools: ['E-11-T'] });
    browsers.admin = await staffBrowser('admin', null);
  });
  after(() => t.close());

  const validate = '/personnel/paiements/a-valider';
  const collect = '/personnel/paiements/a-encaisser';

  it('the staff home links to the payment pages each role may use (the lifecycle’s table)', async () => {
    const links = async (browser: Client) => [...(await browser.get('/personnel')).body.matchAll(/href="(\/personnel\/paiements[^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(await links(browsers.head), [validate, collect, '/personnel/paiements', '/personnel/paiements/a-verifier']);
    assert.deepEqual(await links(browsers.admin), [validate, collect, '/personnel/paiements', '/personnel/paiements/a-verifier']);
    assert.deepEqual(await links(browsers.trainer), [validate]);
    assert.deepEqual(await links(browsers.coordinator), ['/personnel/paiements', '/personnel/paiements/a-verifier']);
  });

  it('PAY-1 "to validate": the button only where the learner came; validating moves the row to "to collect"', async () => {
    await cameToConvocation(t.db, t.clock, id('PAY-A', 0), browsers.head.userId);
    const page = await browsers.head.get(validate);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`action="${validate}/${id('PAY-A', 0)}"`), 'the learner who came: a button');
    assert.ok(!page.body.includes(`action="${validate}/${id('PAY-A', 1)}"`), 'the others: none');
    assert.match(page.body, /Présente à la convocation/);
    assert.match(page.body, /Pas encore venue : première séance le/);
    assert.match(page.body, /L’inscription se valide quand la personne est venue/);
    assert.ok(page.body.includes(`action="${validate}/session/PAY-A"`) && /Valider la personne venue/.test(page.body));
    assert.ok(!page.body.includes('PAY-O'), 'another school’s session is not listed');

    const done = await browsers.head.submit(validate, `${validate}/${id('PAY-A', 0)}`, {});
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${validate}?message=validated`);
    assert.match((await browsers.head.get(done.headers.location!)).body, /Inscription validée : la personne a reçu par courriel/);
    assert.equal(await statusOf(t.db, id('PAY-A', 0)), 'awaiting_payment');
    const list = (await browsers.head.get(collect)).body;
    assert.ok(list.includes(`href="${collect}/${id('PAY-A', 0)}"`), 'now to collect');
    assert.match(list, /150,00\s€ \(plein tarif\)/);
    assert.match(list, /Dans les temps/);

    // A learner who has not come: refused with the reason, nothing written.
    const refused = await postFrom(browsers.head, validate, `${validate}/${id('PAY-A', 1)}`);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /notice-warning[^>]*>L’inscription se valide quand la personne est venue/);
    assert.equal(await statusOf(t.db, id('PAY-A', 1)), 'accepted');
  });

  it('PAY-1 "validate all those who came" validates every learner who came, in one go', async () => {
    for (const i of [1, 2]) await cameToConvocation(t.db, t.clock, id('PAY-A', i), browsers.head.userId);
    const page = await browsers.head.get(validate);
    assert.match(page.body, /Valider les 2 personnes venues/);
    const done = await browsers.head.submit(validate, `${validate}/session/PAY-A`, {});
    assert.equal(done.headers.location, `${validate}?validees=2`);
    assert.match((await browsers.head.get(done.headers.location!)).body, /2 inscriptions validées\./);
    for (const i of [1, 2]) assert.equal(await statusOf(t.db, id('PAY-A', i)), 'awaiting_payment');
  });

  it('PAY-3 cash over the limit is refused next to the amount, with the limit and the cash office, what was typed kept', async () => {
    await cameToConvocation(t.db, t.clock, id('PAY-C', 0), browsers.head.userId);
    await browsers.head.submit(validate, `${validate}/${id('PAY-C', 0)}`, {});
    const page = `${collect}/${id('PAY-C', 0)}`;
    const shown = await browsers.head.get(page);
    assert.equal(shown.statusCode, 200);
    assert.equal(valueOf(shown.body, 'cashPayer'), valueOf(shown.body, 'chequePayer'), 'the payer’s name is filled in with the learner’s');
    assert.match(shown.body, /Jusqu’à 300,00\s€, avec l’appoint/);
    const refused = await browsers.head.submit(page, `${page}/especes`, { tendered: '350', cashPayer: 'Awa Diallo' });
    assert.equal(refused.statusCode, 409);
    assert.match(errorOf(refused.body, 'tendered')!, /^Le paiement en espèces est limité à 300,00\s€\. Pour ce montant, réglez par chèque à l’ordre de « Régie CMA et AE »/);
    assert.match(refused.body, /<input[^>]*aria-invalid="true"[^>]*name="tendered"|<input[^>]*name="tendered"[^>]*aria-invalid="true"/);
    assert.equal(valueOf(refused.body, 'tendered'), '350');
    assert.equal(valueOf(refused.body, 'cashPayer'), 'Awa Diallo');
    assert.match(refused.body, /class="error-summary"/);
    assert.equal(await statusOf(t.db, id('PAY-C', 0)), 'awaiting_payment');
    assert.equal((await livePaymentOf(t.db, id('PAY-C', 0))).status, 'due');
  });

  it('PAY-3 bad amounts and cheque numbers are refused next to their field, never a 500', async () => {
    const page = `${collect}/${id('PAY-A', 1)}`;
    const cases: [Record<string, string>, number, string, RegExp][] = [
      [{ tendered: '1e9', cashPayer: 'A' }, 400, 'tendered', /Indiquez un montant en euros, par exemple 150 ou 150,50\./],
      [{ tendered: '99999999999999999999', cashPayer: 'A' }, 400, 'tendered', /Ce montant est trop élevé/],
      [{ tendered: '-150', cashPayer: 'A' }, 400, 'tendered', /Indiquez un montant en euros/],
      [{ tendered: '15\u0000', cashPayer: 'A' }, 400, 'tendered', /caractère invisible/],
      [{ tendered: '150', cashPayer: '' }, 400, 'cashPayer', /Ce champ est obligatoire/],
      [{ tendered: '12,50', cashPayer: 'A' }, 409, 'tendered', /avec l’appoint : le montant remis doit être exactement celui dû/],
    ];
    for (const [fields, status, field, message] of cases) {
      const response = await browsers.head.submit(page, `${page}/especes`, fields);
      assert.equal(response.statusCode, status, JSON.stringify(fields));
      assert.match(errorOf(response.body, field) ?? '', message, JSON.stringify(fields));
      assert.equal(valueOf(response.body, 'tendered'), fields.tendered, 'kept');
    }
    const cheque = await browsers.head.submit(page, `${page}/cheque`, { chequeNumber: 'AB12', bank: '', chequePayer: 'Awa' });
    assert.equal(cheque.statusCode, 400);
    assert.match(errorOf(cheque.body, 'chequeNumber')!, /en chiffres/);
    assert.match(errorOf(cheque.body, 'bank')!, /obligatoire/);
    assert.equal(valueOf(cheque.body, 'chequeNumber'), 'AB12');
    const array = await browsers.head.app.inject({
      method: 'POST',
      url: `${page}/cheque`,
      headers: { cookie: [...browsers.head.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(csrfOf((await browsers.head.get(page)).body))}&chequeNumber=1&chequeNumber=2&bank=B&chequePayer=P`,
    });
    assert.equal(array.statusCode, 400);
    assert.equal(await statusOf(t.db, id('PAY-A', 1)), 'awaiting_payment');
  });

  it('PAY-3 PAY-7 a cheque enrols the learner and gives the receipt’s link; the row leaves "to collect"', async () => {
    const page = `${collect}/${id('PAY-C', 0)}`;
    const done = await browsers.head.submit(page, `${page}/cheque`, { chequeNumber: '0123 456', bank: 'La Banque Postale', chequePayer: '=HYPERLINK("https://evil.example","CCAS")' });
    assert.equal(done.statusCode, 303);
    const paid = await livePaymentOf(t.db, id('PAY-C', 0));
    assert.equal(done.headers.location, `${collect}?paiement=${paid.id}`);
    assert.deepEqual([paid.status, paid.method, paid.chequeNumber], ['paid', 'cheque', '0123456']);
    assert.equal(await statusOf(t.db, id('PAY-C', 0)), 'enrolled');
    const list = (await browsers.head.get(done.headers.location!)).body;
    assert.match(list, /Paiement enregistré : la personne est inscrite/);
    assert.ok(list.includes(`href="/personnel/paiements/${paid.id}/recu.pdf"`), 'the receipt');
    assert.ok(!list.includes(`${collect}/${id('PAY-C', 0)}`), 'no longer to collect');
    // The success is said of a payment of one's scope recorded at the school, not of any id in a link.
    for (const [browser, url] of [
      [browsers.head, `${collect}?paiement=00000000-0000-4000-8000-000000000000`],
      [browsers.otherHead, done.headers.location!],
    ] as const) {
      const shown = (await browser.get(url)).body;
      assert.doesNotMatch(shown, /Paiement enregistré/, url);
      assert.ok(!shown.includes('/recu.pdf'), url);
    }
    const again = await browsers.head.get(page);
    assert.match(again.body, /Il n’y a rien à régler pour cette inscription en ce moment\./);
    assert.ok(!again.body.includes(`${page}/cheque`));
  });

  it('the payments received: filters, totals, receipts, and exports (CSV and Excel) with formulas neutralised', async () => {
    const cash = `${collect}/${id('PAY-A', 2)}`;
    assert.equal((await browsers.head.submit(cash, `${cash}/especes`, { tendered: '150,00', cashPayer: 'Awa Diallo' })).statusCode, 303);
    const query = '?du=01/01/2026&au=31/12/2027';
    const page = await browsers.head.get(`/personnel/paiements${query}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /2 paiements/);
    assert.match(page.body, /<th scope="row">Total<\/th><td>2<\/td><td>500,00\s€<\/td>/);
    assert.match(page.body, /<th scope="row">Chèque<\/th><td>1<\/td><td>350,00\s€<\/td>/);
    assert.match(page.body, /<th scope="row">Espèces<\/th><td>1<\/td><td>150,00\s€<\/td>/);
    assert.equal([...page.body.matchAll(/\/recu\.pdf"/g)].length, 2, 'a receipt per payment recorded');
    assert.ok(page.body.includes('href="/personnel/paiements.csv?du=2026-01-01&amp;au=2027-12-31"'));
    const cheques = await browsers.head.get(`/personnel/paiements${query}&mode=cheque`);
    assert.match(cheques.body, /1 paiement\b/);
    assert.equal((await browsers.otherHead.get(`/personnel/paiements${query}`)).body.match(/Aucun paiement reçu sur cette période/)?.length, 1, 'in scope only');

    const csv = await browsers.head.get(`/personnel/paiements.csv?du=2026-01-01&au=2027-12-31`);
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="paiements-2026-01-01-2027-12-31\.csv"/);
    const records: string[][] = parse(csv.body, { bom: true });
    assert.deepEqual(records[0], ['Payé le', 'Référence', 'Personne', 'Session', 'Cours', 'Établissement', 'Moyen de paiement', 'Payeur', 'Montant']);
    assert.equal(records.length, 4, 'header, two payments, total');
    const cheque = records.find((r) => r[6] === 'Chèque')!;
    assert.equal(cheque[7], `'=HYPERLINK("https://evil.example","CCAS")`, 'the payer’s formula is text');
    assert.match(cheque[8], /^350,00\s€$/);
    assert.equal(records[3][0], 'Total');
    assert.match(records[3][8], /^500,00\s€$/);

    const cookie = [...browsers.head.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const xlsx = await t.app.inject({ url: '/personnel/paiements.xlsx?du=2026-01-01&au=2027-12-31', headers: { cookie } });
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet.getRow(1).getCell(8).value, 'Payeur');
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((r, n) => n > 1 && rows.push(r));
    const chequeRow = rows.find((r) => r.getCell(7).value === 'Chèque')!;
    assert.equal(chequeRow.getCell(8).type, ExcelJS.ValueType.String, 'a text cell, not a formula');
    assert.equal(chequeRow.getCell(8).value, '=HYPERLINK("https://evil.example","CCAS")');
    assert.equal(chequeRow.getCell(9).value, 350, 'amounts are numbers (euros)');
    assert.equal(rows.at(-1)!.getCell(9).value, 500, 'the total');
  });

  it('the report’s bad filters are said next to their field, never a 500; the exports refuse them', async () => {
    const cases: [string, string, RegExp][] = [
      ['?du=31/02/2026', 'du', /Indiquez une date réelle/],
      ['?du=30/09/2026&au=01/09/2026', 'au', /avant la date de début/],
      ['?au=%00', 'au', /caractère invisible/],
      ['?ecole=1e9', 'ecole', /Choisissez une des options/],
      ['?ecole=99999999999999999999', 'ecole', /Choisissez une des options/],
      ['?mode=bitcoin', 'mode', /Choisissez une des options/],
      ['?du=1&du=2', 'du', /Indiquez une date réelle/],
    ];
    for (const [query, field, message] of cases) {
      const page = await browsers.head.get(`/personnel/paiements${query}`);
      assert.equal(page.statusCode, 400, query);
      assert.match(errorOf(page.body, field) ?? '', message, query);
      assert.equal((await browsers.head.get(`/personnel/paiements.csv${query}`)).statusCode, 400, query);
    }
  });

  it('scope: out of scope 403, unknown 404, malformed 404; roles the lifecycle does not list 403; visitors to the login page', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    const { otherHead, head, trainer, coordinator } = browsers;
    assert.equal((await otherHead.get(`${collect}/${id('PAY-A', 1)}`)).statusCode, 403);
    assert.equal((await otherHead.get(`${collect}/${unknown}`)).statusCode, 404);
    assert.equal((await otherHead.get(`${collect}/not-a-uuid`)).statusCode, 404);
    assert.equal((await postFrom(otherHead, validate, `${validate}/${id('PAY-A', 3)}`)).statusCode, 403);
    assert.equal((await postFrom(otherHead, validate, `${validate}/${unknown}`)).statusCode, 404);
    assert.equal((await postFrom(otherHead, validate, `${validate}/session/PAY-A`)).statusCode, 403);
    assert.equal((await postFrom(otherHead, validate, `${validate}/session/NOPE`)).statusCode, 404);
    assert.equal((await postFrom(otherHead, validate, `${validate}/session/a%00b`)).statusCode, 404);
    assert.equal((await postFrom(otherHead, collect, `${collect}/${id('PAY-A', 1)}/cheque`, { chequeNumber: '1', bank: 'B', chequePayer: 'P' })).statusCode, 403);
    assert.equal((await postFrom(otherHead, collect, `${collect}/${id('PAY-A', 1)}/liberer`)).statusCode, 403);
    assert.equal(await statusOf(t.db, id('PAY-A', 1)), 'awaiting_payment', 'nothing done');
    assert.ok(!(await otherHead.get(collect)).body.includes(id('PAY-A', 1)));
    assert.ok(!(await otherHead.get(validate)).body.includes(id('PAY-A', 3)));
    // Roles: a coordinator neither validates nor collects; a trainer does not collect.
    assert.equal((await coordinator.get(validate)).statusCode, 403);
    assert.equal((await coordinator.get(collect)).statusCode, 403);
    assert.equal((await trainer.get(collect)).statusCode, 403);
    assert.equal((await trainer.get('/personnel/paiements')).statusCode, 403);
    assert.equal((await trainer.get('/personnel/paiements.csv')).statusCode, 403);
    assert.equal((await postFrom(trainer, validate, `${collect}/${id('PAY-A', 1)}/especes`, { tendered: '150', cashPayer: 'P' })).statusCode, 403);
    // Forms without their CSRF token.
    assert.equal((await head.post(`${collect}/${id('PAY-A', 1)}/cheque`, { _csrf: 'x', chequeNumber: '1', bank: 'B', chequePayer: 'P' })).statusCode, 403);
    assert.equal((await head.post(`${validate}/${id('PAY-A', 3)}`, {})).statusCode, 403);
    assert.equal(await statusOf(t.db, id('PAY-A', 1)), 'awaiting_payment');
    // Learners and visitors.
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    for (const url of [validate, collect, `${collect}/${id('PAY-A', 1)}`, '/personnel/paiements', '/personnel/paiements.csv', '/personnel/paiements.xlsx', '/personnel/paiements/a-verifier']) {
      assert.equal((await browser.get(url)).statusCode, 403, url);
      assert.equal((await new Client(t.app).get(url)).statusCode, 303, url);
    }
  });

  it('PAY-2 a flagged online attempt: listed in scope, its provider’s answer shown, filed with a note next to the field', async () => {
    const payment = await livePaymentOf(t.db, id('PAY-A', 1));
    const now = t.clock.now();
    const [attempt] = await t.db
      .insert(paymentAttempts)
      .values({
        paymentId: payment.id,
        provider: 'payfip',
        idOp: 'IDOP-MISMATCH-1',
        amountCents: 14_000,
        status: 'paid',
        createdAt: now,
        expiresAt: now,
        payerEmail: made['PAY-A'][1].email,
        result: { resultrans: 'P', numauto: '<b>424242</b>', montant: '14000' },
        flag: 'amount_mismatch',
        flaggedAt: now,
      })
      .returning();
    const flags = '/personnel/paiements/a-verifier';
    const list = await browsers.coordinator.get(flags);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Montant payé différent du montant dû/);
    assert.ok(list.body.includes(`href="${flags}/${attempt.id}"`));
    assert.ok(!(await browsers.otherHead.get(flags)).body.includes(attempt.id), 'in scope only');
    assert.equal((await browsers.otherHead.get(`${flags}/${attempt.id}`)).statusCode, 403);
    assert.equal((await browsers.coordinator.get(`${flags}/00000000-0000-4000-8000-000000000000`)).statusCode, 404);
    assert.equal((await browsers.trainer.get(flags)).statusCode, 403);
    const page = await browsers.coordinator.get(`${flags}/${attempt.id}`);
    assert.match(page.body, /<dt>numauto<\/dt><dd>&lt;b>424242&lt;\/b><\/dd>/, 'the provider’s answer, as text');
    assert.match(page.body, /140,00\s€/);
    const empty = await browsers.coordinator.submit(`${flags}/${attempt.id}`, `${flags}/${attempt.id}`, { note: '  ' });
    assert.equal(empty.statusCode, 400);
    assert.match(errorOf(empty.body, 'note')!, /obligatoire/);
    const filed = await browsers.coordinator.submit(`${flags}/${attempt.id}`, `${flags}/${attempt.id}`, { note: 'Différence remboursée par la régie.\nVoir le relevé du 12/10.' });
    assert.equal(filed.headers.location, `${flags}?message=cleared`);
    const after = (await browsers.coordinator.get(filed.headers.location!)).body;
    assert.match(after, /Signalement classé\./);
    assert.ok(!after.includes(`href="${flags}/${attempt.id}"`));
    const again = await postFrom(browsers.head, `${flags}/${attempt.id}`, `${flags}/${attempt.id}`, { note: 'Encore' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Ce signalement a déjà été classé\./);
  });

  it('SVC-4 the payment pages in English: every placeholder filled', async () => {
    const { admin } = browsers;
    admin.cookies.set('cursus_lang', 'en');
    try {
      for (const url of [validate, collect, `${collect}/${id('PAY-A', 1)}`, '/personnel/paiements?du=01/01/2026&au=31/12/2027', '/personnel/paiements/a-verifier']) {
        const page = await admin.get(url);
        assert.equal(page.statusCode, 200, url);
        assert.match(page.body, /<html lang="en">/);
        assert.doesNotMatch(page.body.replace(/<script[\s\S]*?<\/script>/g, ''), /\{[a-z]+\}/i, url);
      }
      const refused = await admin.submit(`${collect}/${id('PAY-A', 1)}`, `${collect}/${id('PAY-A', 1)}/especes`, { tendered: '1e9', cashPayer: 'A' });
      assert.match(errorOf(refused.body, 'tendered')!, /Enter an amount in euros/);
    } finally {
      admin.cookies.delete('cursus_lang');
    }
  });

  it('PAY-1 SEL-8 the "release the place" button appears once the payment is overdue and the learner reminded', async () => {
    const app = id('PAY-A', 1);
    const payment = await livePaymentOf(t.db, app);
    assert.ok(!(await browsers.head.get(collect)).body.includes(`${collect}/${app}/liberer`));
    const early = await postFrom(browsers.head, collect, `${collect}/${app}/liberer`);
    assert.equal(early.statusCode, 409);
    assert.match(early.body, /La date limite de paiement n’est pas encore passée\./);
    t.clock.set(parisInstant(addDays(payment.dueOn, 1), '08:00'));
    await browsers.head.relogin();
    const overdue = (await browsers.head.get(collect)).body;
    assert.match(overdue, /En retard, pas encore de rappel/);
    assert.ok(!overdue.includes(`${collect}/${app}/liberer`));
    assert.equal(await remindUnpaid(deps(), payment.id), true);
    const reminded = (await browsers.head.get(collect)).body;
    assert.match(reminded, /En retard, rappel envoyé le/);
    assert.ok(reminded.includes(`action="${collect}/${app}/liberer"`));
    const done = await browsers.head.submit(collect, `${collect}/${app}/liberer`, {});
    assert.equal(done.headers.location, `${collect}?message=released`);
    assert.match((await browsers.head.get(done.headers.location!)).body, /Place libérée : elle est proposée à la liste d’attente\./);
    assert.equal(await statusOf(t.db, app), 'removed');
  });
});
