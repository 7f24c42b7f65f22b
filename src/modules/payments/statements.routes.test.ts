import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { count } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { Client, buildStaff, formHtml, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { buildPayment, buildSchool, treasuryCsv } from '../../../test/statements';
import { assignScope } from '../scopes';
import { statementImports, statementLines } from './payments.table';

const csrfOf = (html: string, action: string) => /name="_csrf" value="([^"]+)"/.exec(formHtml(html, action))![1].replace(/&amp;/g, '&');
const errorsOf = (html: string) => [...html.matchAll(/class="error-message" id="([^"]+)-error">([^<]*)/g)].map((m) => [m[1], m[2]]);
/** The rows of the line-by-line report of a refused file: [line, column, problem]. */
const reportRows = (html: string) => {
  const table = /<table class="table" id="erreurs">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3].replace(/&quot;/g, '"').replace(/&#39;/g, "'")]);
};

describe('PAY-11 reconciliation pages', () => {
  let t: TestApp;
  let coordinator: Client;
  let head: Client;
  let trainer: Client;
  let deps: { db: TestApp['db']; clock: TestApp['clock']; baseUrl: string };

  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z') });
    deps = { db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(t.db, t.clock, [{ code: 'REL2', weekday: 2, startsAt: '18:30', endsAt: '20:30' }]);
    await buildSchool(t.db, 'E-13-R');
    const login = async (role: 'coordinator' | 'school_head' | 'trainer') => {
      const staff = await buildStaff(t.db, t.clock, role);
      if (role === 'school_head') await assignScope(t.db, { userId: staff.userId, schools: ['E-11-T'] });
      const client = new Client(t.app);
      await client.loginStaff(staff.email, staff.totpSecret, t.clock);
      return client;
    };
    coordinator = await login('coordinator');
    head = await login('school_head');
    trainer = await login('trainer');
  });
  after(() => t.close());

  /** Posts the import form as a browser does: multipart, with the page's CSRF token, a file and/or pasted text. */
  async function sendImport(client: Client, fields: Record<string, string>, file?: { name: string; content: Uint8Array | string; type?: string }) {
    const page = await client.get('/personnel/releves');
    const form = new FormData();
    form.append('_csrf', csrfOf(page.body, '/personnel/releves'));
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob(file ? [file.content as BlobPart] : [], { type: file?.type ?? 'text/csv' }), file?.name ?? '');
    const request = new Request('http://localhost/personnel/releves', { method: 'POST', body: form });
    return rawPost(client, request.headers.get('content-type')!, Buffer.from(await request.arrayBuffer()));
  }

  async function rawPost(client: Client, contentType: string, payload: Buffer | string, url = '/personnel/releves') {
    return t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': contentType, 'user-agent': client.userAgent },
      payload,
    });
  }

  const written = async () => {
    const [[imports], [lines]] = await Promise.all([t.db.select({ n: count() }).from(statementImports), t.db.select({ n: count() }).from(statementLines)]);
    return [imports.n, lines.n];
  };

  it('PAY-11 the central service gets the import form; a school head the list only; a trainer a 403; a visitor the login page', async () => {
    const page = await coordinator.get('/personnel/releves');
    assert.equal(page.statusCode, 200);
    assert.match(formHtml(page.body, '/personnel/releves'), /enctype="multipart\/form-data"/);
    assert.match(page.body, /type="file"/);
    assert.match(page.body, /<textarea[^>]*name="csv"/);
    const list = await head.get('/personnel/releves');
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /action="\/personnel\/releves"/);
    assert.match(list.body, /Vous voyez les lignes des paiements de vos établissements/);
    assert.equal((await trainer.get('/personnel/releves')).statusCode, 403);
    const visitor = await new Client(t.app).get('/personnel/releves');
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/connexion\?retour=/);
  });

  it('PAY-11 a file uploaded is imported and matched; the report shows counts, the lines not matched first, and exports as CSV and Excel', async () => {
    const p = await buildPayment(deps, 'REL2');
    const csv = treasuryCsv([
      [p.reference, '150,00', '13/10/2026', 'VIR PAYFIP'],
      ['"=HYPERLINK(""http://evil.example"")"', '10,00', '13/10/2026', '+SUM(A1)'],
    ]);
    const sent = await sendImport(coordinator, { source: 'treasury' }, { name: 'C:\\Users\\compta\\relevé octobre.csv', content: csv });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
    const location = String(sent.headers.location);
    assert.match(location, /^\/personnel\/releves\/[0-9a-f-]{36}\?message=imported$/);
    const page = await coordinator.get(location);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Le relevé est importé/);
    assert.match(page.body, /relevé octobre\.csv/, 'the file’s name, without its folders');
    assert.match(page.body, /<dd data-state="matched">1<\/dd>/);
    assert.match(page.body, /<dd data-state="no_match">1<\/dd>/);
    const states = [...page.body.matchAll(/data-line-state="([a-z_]+)"/g)].map((m) => m[1]);
    assert.deepEqual(states, ['no_match', 'matched'], 'the line to look at first');
    assert.match(page.body, /Aucun paiement attendu ne porte cette référence/);

    const base = location.split('?')[0];
    const csvExport = await coordinator.get(`${base}/rapport.csv`);
    assert.equal(csvExport.statusCode, 200);
    assert.match(String(csvExport.headers['content-type']), /^text\/csv/);
    assert.match(csvExport.body, new RegExp(p.reference));
    assert.match(csvExport.body, /'=HYPERLINK/, 'formulas from the file are neutralised');
    assert.doesNotMatch(csvExport.body, /[;,]=HYPERLINK/);
    const xlsx = await coordinator.get(`${base}/rapport.xlsx`);
    assert.equal(xlsx.statusCode, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet.getRow(1).getCell(1).value, 'Ligne');
    const cells = [2, 3].map((r) => [sheet.getRow(r).getCell(3).value, sheet.getRow(r).getCell(2).value]);
    assert.deepEqual(cells, [['=HYPERLINK("HTTP://EVIL.EXAMPLE")', 'Sans correspondance'], [p.reference, 'Rapprochée']], 'text cells, never formulas');

    // The school head sees the report of their school's line, and the export of it only.
    const seen = await head.get(base);
    assert.equal(seen.statusCode, 200);
    assert.deepEqual([...seen.body.matchAll(/data-line-state="([a-z_]+)"/g)].map((m) => m[1]), ['matched']);
    assert.doesNotMatch(seen.body, /\/ecarter/);
    assert.doesNotMatch((await head.get(`${base}/rapport.csv`)).body, /HYPERLINK/);
    assert.equal((await trainer.get(base)).statusCode, 403);
    assert.equal((await coordinator.get('/personnel/releves/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await coordinator.get('/personnel/releves/pas-un-id')).statusCode, 404);
  });

  it('PAY-11 the file’s content pasted in the text area imports too (multipart or a plain form)', async () => {
    const p = await buildPayment(deps, 'REL2');
    const pasted = await sendImport(coordinator, { source: 'treasury', csv: treasuryCsv([[p.reference, '150.00', '2026-10-12']]), filename: 'Trésorerie octobre' });
    assert.equal(pasted.statusCode, 303);
    assert.match((await coordinator.get(String(pasted.headers.location))).body, /Trésorerie octobre/);
    const q = await buildPayment(deps, 'REL2');
    const plain = await coordinator.submit('/personnel/releves', '/personnel/releves', { source: 'treasury', csv: treasuryCsv([[q.reference, '150,00', '12/10/2026']]) });
    assert.equal(plain.statusCode, 303);
    assert.match((await coordinator.get(String(plain.headers.location))).body, /<dd data-state="matched">1<\/dd>/);
  });

  it('PAY-11 a bad file gives the line-by-line report (400, never a 500), keeps what was typed, and writes nothing', async () => {
    const before = await written();
    const csv = treasuryCsv([
      ['REF1', '150,00', '12/10/2026'],
      ['REF2', 'cent', '12/10/2026'],
      ['REF3', '150,00', '31/02/2026'],
    ]);
    const sent = await sendImport(coordinator, { source: 'treasury', csv });
    assert.equal(sent.statusCode, 400);
    assert.deepEqual(reportRows(sent.body), [
      ['3', 'amount', 'Montant illisible : « cent ». Écrivez par exemple 150,00 ou 1 234,50 € (en euros, plus de zéro).'],
      ['4', 'date', 'Date illisible : « 31/02/2026 ». Écrivez JJ/MM/AAAA ou AAAA-MM-JJ.'],
    ]);
    assert.deepEqual(errorsOf(sent.body), [['csv', 'Le relevé est refusé : voyez les lignes à corriger.']]);
    assert.match(sent.body, /Rien n’a été enregistré|rien n’a été enregistré/);
    assert.ok(sent.body.includes('REF2;cent;12/10/2026'), 'the text pasted is kept');
    assert.match(sent.body, /value="treasury" checked/);

    const wrongFormat = await sendImport(coordinator, { source: 'payfip' }, { name: 'tresorerie.csv', content: csv });
    assert.equal(wrongFormat.statusCode, 400);
    assert.deepEqual(reportRows(wrongFormat.body).map((r) => r.slice(0, 2)), [['1', 'refdet'], ['1', 'montant'], ['1', 'dattrans'], ['1', 'numauto'], ['1', 'resultrans'], ['1', '—']]);
    assert.match(wrongFormat.body, /Ce fichier ressemble à un relevé de la trésorerie/);
    assert.deepEqual(errorsOf(wrongFormat.body), [['file', 'Le relevé est refusé : voyez les lignes à corriger.']]);

    const empty = await sendImport(coordinator, { source: 'treasury' }, { name: 'vide.csv', content: '\uFEFF\n\n' });
    assert.deepEqual(reportRows(empty.body), [['Fichier', '—', 'Le fichier est vide.']]);
    const excel = await sendImport(coordinator, { source: 'treasury' }, { name: 'releve.xlsx', content: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0]) });
    assert.equal(excel.statusCode, 400);
    assert.match(reportRows(excel.body)[0][2], /C’est un classeur Excel/);
    const manyErrors = await sendImport(coordinator, { source: 'treasury' }, { name: 'faux.csv', content: treasuryCsv(Array.from({ length: 250 }, (_, i) => [`R${i}`, 'x', '12/10/2026'] as [string, string, string])) });
    assert.equal(reportRows(manyErrors.body).length, 200);
    assert.match(manyErrors.body, /… et 50 autres erreurs\./);
    assert.deepEqual(await written(), before);
  });

  it('PAY-11 NUL bytes, in a file or pasted, are reported on their lines (never a 500)', async () => {
    const before = await written();
    const withNul = 'reference;amount;date\nREF1;150,00;12/10/2026\nREF\u00002;150,00;12/10/2026\n';
    const file = await sendImport(coordinator, { source: 'treasury' }, { name: 'nul.csv', content: withNul });
    assert.equal(file.statusCode, 400);
    assert.deepEqual(reportRows(file.body).map((r) => r[0]), ['3']);
    assert.match(reportRows(file.body)[0][2], /caractères de contrôle/);
    const pasted = await sendImport(coordinator, { source: 'treasury', csv: withNul });
    assert.equal(pasted.statusCode, 400);
    assert.deepEqual(reportRows(pasted.body).map((r) => r[0]), ['3']);
    const plain = await coordinator.submit('/personnel/releves', '/personnel/releves', { source: 'treasury', csv: withNul });
    assert.equal(plain.statusCode, 400);
    assert.deepEqual(reportRows(plain.body).map((r) => r[0]), ['3']);
    const nulInName = await sendImport(coordinator, { source: 'treasury', filename: 'a\u0000b', csv: 'reference;amount;date\nR;1;01/01/2026' });
    assert.equal(nulInName.statusCode, 400);
    assert.deepEqual(errorsOf(nulInName.body).map((e) => e[0]), ['filename']);
    assert.deepEqual(await written(), before);
  });

  it('PAY-11 a huge file: over the limit it is refused with the limit named; a body far larger gets the form again (413), never a 500', async () => {
    const before = await written();
    const big = `reference;amount;date\n${'REF;150,00;12/10/2026\n'.repeat(130_000)}`;
    const tooLarge = await sendImport(coordinator, { source: 'treasury' }, { name: 'gros.csv', content: big });
    assert.equal(tooLarge.statusCode, 400);
    assert.deepEqual(reportRows(tooLarge.body), [['Fichier', '—', 'Le fichier dépasse 2 Mo : importez le relevé d’une période plus courte.']]);
    const manyLines = `reference;amount;date\n${'R;1;1/1/2026\n'.repeat(10_001)}`;
    const tooMany = await sendImport(coordinator, { source: 'treasury' }, { name: 'long.csv', content: manyLines });
    assert.equal(tooMany.statusCode, 400);
    assert.match(reportRows(tooMany.body)[0][2], /plus de 10\u202f000 lignes/);

    const huge = await sendImport(coordinator, { source: 'treasury' }, { name: 'enorme.csv', content: new Uint8Array(8 * 1024 * 1024).fill(0x41) });
    assert.equal(huge.statusCode, 413);
    assert.deepEqual(errorsOf(huge.body), [['file', 'Le fichier dépasse 2 Mo : importez le relevé d’une période plus courte.']]);
    const hugePaste = await rawPost(coordinator, 'application/x-www-form-urlencoded', `source=treasury&csv=${'A'.repeat(8 * 1024 * 1024)}`);
    assert.equal(hugePaste.statusCode, 413);
    assert.deepEqual(await written(), before);
  });

  it('PAY-11 the form asks for a statement kind and for a file or a paste (not both); a multipart body that does not read says so; no CSRF token, no import', async () => {
    const neither = await sendImport(coordinator, {});
    assert.equal(neither.statusCode, 400);
    assert.deepEqual(errorsOf(neither.body), [
      ['source', 'Choisissez le relevé : PayFiP ou trésorerie.'],
      ['file', 'Choisissez un fichier ou collez son contenu.'],
    ]);
    const both = await sendImport(coordinator, { source: 'payfip', csv: 'x' }, { name: 'a.csv', content: 'y' });
    assert.deepEqual(errorsOf(both.body), [['file', 'Choisissez un fichier ou collez son contenu, pas les deux.']]);
    const broken = await rawPost(coordinator, 'multipart/form-data; boundary=XYZ', '--XYZ\r\nContent-Disposition: form-data; name="source"\r\n\r\ntreasury');
    assert.equal(broken.statusCode, 400);
    assert.deepEqual(errorsOf(broken.body), [['file', 'Le formulaire envoyé n’a pas pu être lu : choisissez le fichier et envoyez-le de nouveau.']]);
    const form = new FormData();
    form.append('source', 'treasury');
    form.append('csv', 'reference;amount;date\nR;1;01/01/2026');
    const request = new Request('http://localhost/', { method: 'POST', body: form });
    const noToken = await rawPost(coordinator, request.headers.get('content-type')!, Buffer.from(await request.arrayBuffer()));
    assert.equal(noToken.statusCode, 403);
  });

  it('PAY-11 a school head or a trainer cannot import, even by posting the form', async () => {
    const before = await written();
    for (const client of [head, trainer]) {
      const form = new FormData();
      form.append('source', 'treasury');
      form.append('csv', 'reference;amount;date\nR;1;01/01/2026');
      const request = new Request('http://localhost/', { method: 'POST', body: form });
      assert.equal((await rawPost(client, request.headers.get('content-type')!, Buffer.from(await request.arrayBuffer()))).statusCode, 403);
    }
    assert.deepEqual(await written(), before);
  });

  it('PAY-11 discarding a line: its own page, a note required, then the report says who discarded it and why', async () => {
    const sent = await sendImport(coordinator, { source: 'treasury', csv: treasuryCsv([['CANTINE42', '12,00', '12/10/2026', 'VIR CANTINE']]) });
    const base = String(sent.headers.location).split('?')[0];
    const report = await coordinator.get(base);
    const link = /href="(\/personnel\/releves\/[0-9a-f-]{36}\/lignes\/[0-9a-f-]{36}\/ecarter)"/.exec(report.body)![1];
    const page = await coordinator.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /CANTINE42/);

    const empty = await coordinator.submit(link, link, { note: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(errorsOf(empty.body), [['note', 'Dites pourquoi vous écartez cette ligne.']]);
    const nul = await coordinator.submit(link, link, { note: 'a\u0000b' });
    assert.equal(nul.statusCode, 400);
    assert.deepEqual(errorsOf(nul.body).map((e) => e[0]), ['note']);
    assert.equal((await head.get(link)).statusCode, 403);

    const done = await coordinator.submit(link, link, { note: 'Paiement de la cantine, pas des cours' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${base}?message=discarded`);
    const after = await coordinator.get(String(done.headers.location));
    assert.match(after.body, /La ligne est écartée/);
    assert.match(after.body, /Écartée par Test coordinator : Paiement de la cantine, pas des cours/);
    assert.match(after.body, /<dd data-state="discarded">1<\/dd>/);
    assert.doesNotMatch(after.body, /\/ecarter"/);

    const again = await coordinator.get(link);
    assert.match(again.body, /Cette ligne ne peut pas être écartée/);
    assert.doesNotMatch(again.body, new RegExp(`action="${link}"`));
    assert.equal((await coordinator.get(`${base}/lignes/00000000-0000-4000-8000-000000000000/ecarter`)).statusCode, 404);
  });

  it('PAY-11 the list of imports links to each report, newest first, with its counts', async () => {
    const page = await coordinator.get('/personnel/releves');
    const links = [...page.body.matchAll(/<th scope="row"><a href="(\/personnel\/releves\/[0-9a-f-]{36})">/g)].map((m) => m[1]);
    assert.ok(links.length >= 3);
    assert.equal((await coordinator.get(links[0])).statusCode, 200);
    const headList = await head.get('/personnel/releves');
    const headLinks = [...headList.body.matchAll(/<th scope="row"><a href="(\/personnel\/releves\/[0-9a-f-]{36})">/g)].map((m) => m[1]);
    assert.ok(headLinks.length >= 1 && headLinks.length < links.length, 'a school head sees the imports with their schools’ lines');
  });
});
