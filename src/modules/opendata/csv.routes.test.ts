import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { Client, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { writeSnapshot } from './snapshots.service';

const header = (body: string) => body.replace(/^\ufeff/, '').split('\n')[0];

describe('SVC-8 the open-data addresses', () => {
  let t: TestApp;
  let browser: Client;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'RT-A', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'RT-B', weekday: 2, startsAt: '09:00', endsAt: '12:00', period: 'closed' },
    ]);
    await writeSnapshot({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' });
    browser = new Client(t.app);
  });
  after(() => t.close());

  it('SVC-8 the latest file: CSV with a BOM, its ETag, Last-Modified and Cache-Control, 304 when unchanged, gzip when the client takes it', async () => {
    const response = await get('/donnees-ouvertes/sessions.csv');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8; header=present');
    assert.equal(response.headers['content-disposition'], 'attachment; filename="sessions-2026-09-01.csv"');
    assert.equal(response.headers['cache-control'], 'public, max-age=3600');
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.headers['last-modified'], new Date('2026-09-01T08:00:00Z').toUTCString());
    const etag = String(response.headers.etag);
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.ok(response.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'a BOM');
    assert.equal(parse(response.body.slice(1), { columns: true }).length, 2);

    assert.equal((await get('/donnees-ouvertes/sessions.csv', { 'if-none-match': etag })).statusCode, 304);
    assert.equal((await get('/donnees-ouvertes/sessions.csv', { 'if-modified-since': response.headers['last-modified'] as string })).statusCode, 304);
    assert.equal((await get('/donnees-ouvertes/sessions.csv', { 'if-none-match': '"other"' })).statusCode, 200);

    const zipped = await get('/donnees-ouvertes/sessions.csv', { 'accept-encoding': 'gzip, deflate' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'accept-encoding');
    assert.notEqual(zipped.headers.etag, etag, 'another representation, another ETag');
    assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), response.body);
    assert.equal((await get('/donnees-ouvertes/formations.csv')).statusCode, 200);
  });

  it('SVC-8 a dated file is kept a year by caches (it never changes); an odd or missing day, an unknown file, a NUL byte: the 404 page', async () => {
    const dated = await get('/donnees-ouvertes/2026-09-01/sessions.csv');
    assert.equal(dated.statusCode, 200);
    assert.equal(dated.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(dated.body, (await get('/donnees-ouvertes/sessions.csv')).body);
    for (const url of [
      '/donnees-ouvertes/2026-13-45/sessions.csv',
      '/donnees-ouvertes/2026-02-30/sessions.csv',
      '/donnees-ouvertes/2026-08-31/sessions.csv',
      '/donnees-ouvertes/26-9-1/sessions.csv',
      '/donnees-ouvertes/2026-09-01/personnes.csv',
      '/donnees-ouvertes/2026-09-01/sessions.csv%00',
      '/donnees-ouvertes/%00/sessions.csv',
      '/donnees-ouvertes/sessions.json',
      '/donnees-ouvertes/catalogue/sessions.xlsx',
      `/donnees-ouvertes/${'9'.repeat(400)}/sessions.csv`,
    ]) {
      const response = await browser.get(url);
      assert.ok([404, 414].includes(response.statusCode), `${url}: ${response.statusCode}`);
      assert.match(response.headers['content-type'] as string, /text\/html/, url);
    }
  });

  it('SVC-8 the live files take the catalogue’s filters and `separateur=;`; unknown, repeated or odd parameters are the 400 page, never a 500', async () => {
    const open = await get('/donnees-ouvertes/catalogue/sessions.csv?ouvertes=1');
    assert.equal(open.statusCode, 200);
    assert.deepEqual((parse(open.body.slice(1), { columns: true }) as { code_session: string }[]).map((r) => r.code_session), ['RT-A']);
    assert.equal(open.headers['content-type'], 'text/csv; charset=utf-8; header=present');
    assert.match(String(open.headers.etag), /^"[0-9a-f]{32}"$/);
    assert.equal((await get('/donnees-ouvertes/catalogue/sessions.csv?ouvertes=1', { 'if-none-match': String(open.headers.etag) })).statusCode, 304);

    const semicolon = await get('/donnees-ouvertes/catalogue/sessions.csv?separateur=;&periode=closed&bom=0');
    assert.equal(semicolon.statusCode, 200);
    assert.ok(semicolon.body.startsWith('code_session;code_formation;'), 'semicolons, no BOM');
    assert.match(semicolon.body, /\nRT-B;/);
    const encoded = await get('/donnees-ouvertes/catalogue/sessions.csv?separateur=%3B');
    assert.ok(header(encoded.body).includes(';'));
    const byDay = await get('/donnees-ouvertes/catalogue/formations.csv?jour=1&jour=2&etablissement=E-11-T');
    assert.equal(byDay.statusCode, 200);
    assert.equal(parse(byDay.body.slice(1), { columns: true }).length, 2);

    for (const query of ['sep=semicolon', 'periode=open&periode=closed', 'periode=%00', 'separateur=|', 'ouvertes=oui', 'jour=8', 'arrondissement=21', 'page=2', 'mode=boat', `q=${'a'.repeat(300)}`, 'domaine=a%20b', 'bom=2']) {
      const response = await browser.get(`/donnees-ouvertes/catalogue/sessions.csv?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.match(response.headers['content-type'] as string, /text\/html/, query);
    }
    assert.equal((await browser.get('/donnees-ouvertes/sessions.csv?periode=open')).statusCode, 400, 'a snapshot takes no filter');
    assert.equal((await browser.get('/donnees-ouvertes?x=1')).statusCode, 400);
  });

  it('SVC-8 the search page links its results’ file, with the same filters, and the file has the same sessions', async () => {
    const search = await browser.get('/recherche?periode=closed&jour=2&arrondissement=11&etablissement=E-11-T');
    const href = /<a href="(\/donnees-ouvertes\/catalogue\/sessions\.csv[^"]*)" download>/.exec(search.body)?.[1]?.replace(/&amp;/g, '&');
    assert.equal(href, '/donnees-ouvertes/catalogue/sessions.csv?periode=closed&jour=2&arrondissement=11&etablissement=E-11-T');
    const file = await get(href);
    assert.equal(file.statusCode, 200);
    assert.deepEqual((parse(file.body.slice(1), { columns: true }) as { code_session: string }[]).map((r) => r.code_session), ['RT-B']);
  });

  it('SVC-8 datapackage.json describes both files: their columns, in the files’ order, with types, meanings, examples, units, and the Etalab licence', async () => {
    const response = await get('/donnees-ouvertes/datapackage.json');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /application\/json/);
    const pkg = JSON.parse(response.body);
    assert.equal(pkg.profile, 'tabular-data-package');
    assert.equal(pkg.licenses[0].name, 'etalab-2.0');
    for (const file of ['sessions', 'formations']) {
      const resource = pkg.resources.find((r: { name: string }) => r.name === file);
      assert.equal(resource.path, `http://localhost:3000/donnees-ouvertes/${file}.csv`);
      const csv = await get(`/donnees-ouvertes/${file}.csv`);
      assert.deepEqual(resource.schema.fields.map((f: { name: string }) => f.name), header(csv.body).split(','), `${file}: the file's header`);
      for (const field of resource.schema.fields) assert.ok(field.type && field.description && typeof field.example === 'string', `${file}.${field.name}`);
    }
    const places = pkg.resources[0].schema.fields.find((f: { name: string }) => f.name === 'places_libres');
    assert.equal(places.unit, 'places');
    assert.equal(places.type, 'integer');
  });

  it('SVC-8 SVC-4 the page lists the files with their dates and sizes, the licence and the dictionary, in French then English', async () => {
    const visitor = new Client(t.app);
    const fr = await visitor.get('/donnees-ouvertes');
    assert.equal(fr.statusCode, 200);
    assert.match(fr.body, /<h1>Données ouvertes<\/h1>/);
    assert.match(fr.body, /href="\/donnees-ouvertes\/sessions.csv"/);
    assert.match(fr.body, /href="\/donnees-ouvertes\/2026-09-01\/formations.csv"/);
    assert.match(fr.body, /Licence Ouverte \/ Open Licence version 2.0/);
    assert.match(fr.body, /href="\/donnees-ouvertes\/datapackage.json"/);
    assert.match(fr.body, /<code>places_libres<\/code>/);
    assert.match(fr.body, /\d+,\d ko|\d+ ko/);
    await visitor.get('/langue/en');
    const en = await visitor.get('/donnees-ouvertes');
    assert.match(en.body, /<h1>Open data<\/h1>/);
    assert.match(en.body, /Column dictionary/);
    assert.match(en.body, /Free places at the file’s time/);
  });
});
