import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { buildLearner, Client, startTestApp, type TestApp } from '../../../test/app';
import { buildFigures } from '../../../test/figures';

describe('SVC-6: the figures page and its exports', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof buildFigures>>;
  const browsers = new Map<string, Client>();

  before(async () => {
    t = await startTestApp();
    made = await buildFigures(t.db, t.clock);
  });
  after(() => t.close());

  async function as(who: keyof typeof made.staff): Promise<Client> {
    const known = browsers.get(who);
    if (known) return known;
    const browser = new Client(t.app);
    const staff = made.staff[who];
    const login = await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    assert.equal(login.headers.location, '/personnel', who);
    browsers.set(who, browser);
    return browser;
  }
  const file = (browser: Client, url: string) => t.app.inject({ url, headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });

  it('SVC-6: trainers and counsellors get the 403 page, the page and its exports alike; a visitor is asked to sign in', async () => {
    for (const who of ['trainer', 'counsellor'] as const) {
      const browser = await as(who);
      for (const url of ['/personnel/chiffres', '/personnel/chiffres.csv', '/personnel/chiffres.xlsx']) assert.equal((await browser.get(url)).statusCode, 403, `${who} ${url}`);
      assert.doesNotMatch((await browser.get('/personnel')).body, /\/personnel\/chiffres/, `no link for a ${who}`);
    }
    const learner = await buildLearner(t.db, t.clock);
    const browser = new Client(t.app);
    await browser.login(learner.email);
    assert.equal((await browser.get('/personnel/chiffres')).statusCode, 403);
    const visitor = await new Client(t.app).get('/personnel/chiffres');
    assert.equal(visitor.statusCode, 303);
    assert.match(visitor.headers.location as string, /^\/connexion\?retour=/);
  });

  it('SVC-6: the staff home links to the figures for school heads, coordinators and administrators', async () => {
    for (const who of ['head', 'coordinator', 'admin'] as const) assert.match((await (await as(who)).get('/personnel')).body, /<a href="\/personnel\/chiffres">/, who);
  });

  it('SVC-6 PAY-9: a school head sees charts of their scope (payments received and refunds among them), each followed by its data table, and no inline style', async () => {
    const page = await (await as('head')).get('/personnel/chiffres');
    assert.equal(page.statusCode, 200);
    const html = page.body;
    assert.match(html, /<h1>Chiffres<\/h1>/);
    assert.match(html, /Période : Période ouverte — 1 session/);
    assert.equal([...html.matchAll(/<svg[^>]* role="img"/g)].length, 7, 'seven charts');
    for (const [, id] of html.matchAll(/<svg[^>]* aria-labelledby="([\w-]+)-svg-title [\w-]+-desc"/g)) assert.ok(html.includes(`id="${id}-data"`), `the data table of ${id}`);
    assert.match(html, /<th scope="row">Autre école<\/th><td>100 %<\/td>/, 'fill rate of the school in the chart’s table');
    assert.match(html, /<th scope="row">Plein tarif<\/th><td>600,00\s€<\/td><td>4<\/td>/i);
    // Refunds: FIG-B's two granted (one still to be paid back), one made by the cash office.
    assert.match(html, /Remboursements : accordés et faits par la régie/);
    assert.match(html, /<th scope="row">Accordés<\/th><td>300,00\s€<\/td><td>2<\/td>/);
    assert.match(html, /<th scope="row">Faits<\/th><td>150,00\s€<\/td><td>1<\/td>/);
    assert.ok(!html.includes('École test') && !html.includes('FIG-A'), 'nothing outside the scope');
    assert.doesNotMatch(html, /style=/);
    assert.match(page.headers['content-security-policy'] as string, /style-src 'self'/);
  });

  it('SVC-6: bad dates and choices are messages next to their field, what was typed kept (400), never a 500', async () => {
    const head = await as('head');
    const bad = await head.get('/personnel/chiffres?du=31/02/2026&au=hier');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="du-error"[^>]*>[\s\S]*?Saisissez une date sous la forme jour\/mois\/année/);
    assert.match(bad.body, /name="du"[^>]*value="31\/02\/2026"|value="31\/02\/2026"[^>]*name="du"/);
    assert.match(bad.body, /value="hier"/);
    assert.match(bad.body, /aria-invalid="true"/);
    const order = await head.get('/personnel/chiffres?du=10/09/2026&au=01/09/2026');
    assert.equal(order.statusCode, 400);
    assert.match(order.body, /id="au-error"[^>]*>[\s\S]*?La date de fin doit être/);
    const outside = await head.get(`/personnel/chiffres?session=FIG-A`);
    assert.equal(outside.statusCode, 400);
    assert.match(outside.body, /Aucune session de ce code dans votre périmètre/);
    assert.match(outside.body, /value="FIG-A"/);
    const adminPage = (await (await as('admin')).get('/personnel/chiffres')).body;
    const ecoleTest = /<option value="(\d+)"[^>]*>École test<\/option>/.exec(adminPage)![1];
    assert.match((await head.get(`/personnel/chiffres?ecole=${ecoleTest}`)).body, /Choisissez un établissement de votre périmètre/);
    for (const url of ['/personnel/chiffres?periode=nope', '/personnel/chiffres?du=%00', '/personnel/chiffres?ecole=abc', '/personnel/chiffres?du=1&du=2', `/personnel/chiffres?session=${'x'.repeat(5000)}`, '/personnel/chiffres?ecole=99999999999999'])
      assert.equal((await head.get(url)).statusCode, 400, url);
    assert.equal((await head.get('/personnel/chiffres?du[]=1')).statusCode, 200, 'a field of another name is ignored');
    for (const url of ['/personnel/chiffres.csv?du=nope', '/personnel/chiffres.xlsx?session=FIG-A']) assert.equal((await head.get(url)).statusCode, 400, url);
  });

  it('SVC-6: the CSV export has a line per session and the total, in the scope, with the same filters', async () => {
    const admin = await as('admin');
    const csv = await admin.get('/personnel/chiffres.csv?periode=open&du=27/08/2026&au=31/08/2026');
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(csv.headers['content-disposition'] as string, /attachment; filename="chiffres-open-du-2026-08-27-au-2026-08-31\.csv"/);
    const records: string[][] = parse(csv.body, { bom: true });
    const head = records[0];
    assert.deepEqual(head.slice(0, 6), ['Session', 'Formation', 'Établissement', 'Domaine', 'Période d’inscription', 'Sessions']);
    const column = (name: string) => head.indexOf(name);
    assert.deepEqual(
      records.slice(1).map((r) => r[0]),
      ['FIG-A', 'FIG-B', 'FIG-C', 'Total'],
    );
    const total = records.at(-1)!;
    assert.equal(total[column('Paiements')], '5');
    assert.equal(total[column('Montant reçu')], '675');
    assert.equal(total[column('Places occupées')], '7');
    assert.equal(total[column('Taux de remplissage')], '36');
    // PAY-9: the grants (28th, 30th) and the refund made on the 31st are within these days.
    assert.deepEqual([total[column('Remboursements accordés')], total[column('Montant accordé')], total[column('Remboursements faits')], total[column('Montant remboursé')]], ['2', '300', '1', '150']);
    const fromHead = parse((await (await as('head')).get('/personnel/chiffres.csv')).body, { bom: true }) as string[][];
    assert.deepEqual(
      fromHead.slice(1).map((r) => r[0]),
      ['FIG-B', 'Total'],
    );
  });

  it('SVC-6 PAY-9: the Excel export has one sheet per table (refunds too), read back with exceljs', async () => {
    const admin = await as('admin');
    const xlsx = await file(admin, '/personnel/chiffres.xlsx');
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(
      workbook.worksheets.map((s) => s.name),
      ['Total', 'Par établissement', 'Par domaine', 'Par session', 'Paiements reçus par tarif', 'Remboursements'],
    );
    const values = (name: string) => workbook.getWorksheet(name)!.getSheetValues().slice(1).map((row) => (row as ExcelJS.CellValue[]).slice(1));
    const totals = new Map(values('Total').slice(1).map(([k, v]) => [k, v]));
    assert.equal(totals.get('Candidatures'), 11);
    assert.equal(totals.get('Montant reçu'), 825);
    assert.equal(totals.get('Taux de remplissage'), 36);
    assert.deepEqual(
      values('Par établissement').map((r) => r[0]),
      ['Établissement', 'Autre école', 'École test', 'Total'],
    );
    assert.deepEqual(
      values('Par session').map((r) => r[0]),
      ['Session', 'FIG-A', 'FIG-B', 'FIG-C', 'Total'],
    );
    assert.deepEqual(values('Paiements reçus par tarif'), [
      ['Tarif', 'Nombre', 'Montant'],
      ['plein tarif', 5, 750],
      ['demi-tarif', 1, 75],
      ['Total', 6, 825],
    ]);
    assert.deepEqual(values('Remboursements'), [
      ['Mesure', 'Nombre', 'Montant'],
      ['Accordés', 2, 300],
      ['Faits', 1, 150],
    ]);
    assert.equal(totals.get('Montant accordé'), 300);
    assert.equal(totals.get('Montant remboursé'), 150);
  });

  it('SVC-6: the page reads in English too', async () => {
    const admin = await as('admin');
    const cookies = new Map([...admin.cookies, ['cursus_lang', 'en']]);
    const page = await t.app.inject({ url: '/personnel/chiffres?periode=', headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /All periods — 4 sessions/);
  });
});
