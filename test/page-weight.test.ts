/**
 * Issue 19 point 8: pages that load fast on a poor phone. The main pages weigh less than 100 kB
 * with the stylesheet in their head and the script they link, the static files are fingerprinted
 * and cached for a year, and the answers are compressed. This file reads what went over the wire
 * (`rawPayload`), the stylesheet included (test/pages.ts takes it out of what other tests read).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { buildLearner, buildStaff, Client, startTestApp, type TestApp } from './app';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { acceptedEncoding } from '../src/platform/compression';
import { IMMUTABLE, inlineStyleSource, staticAssets } from '../src/platform/assets';

const BUDGET = 100_000;
const BROWSER = 'br, gzip, deflate';

/** A Client that says what a browser says (Accept-Encoding) and reads what goes over the wire. */
async function fetchRaw(app: FastifyInstance, url: string, cookie: string, encoding = BROWSER) {
  const response = await app.inject({ method: 'GET', url, headers: { cookie, 'accept-encoding': encoding } });
  const wire = response.rawPayload;
  const how = response.headers['content-encoding'];
  const body = how === 'br' ? brotliDecompressSync(wire) : how === 'gzip' ? gunzipSync(wire) : wire;
  return { response, wire: wire.length, raw: body.length, text: body.toString('utf8') };
}

const cookieOf = (client: Client) => [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');

describe('issue 19 point 8: page weight, compression, fingerprinted static files', () => {
  let t: TestApp;
  let learner: Client;
  let staff: Client;
  let sheet: string;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z') });
    // The demo's catalogue (400 sessions in 20 arrondissements), as a visitor sees it.
    await seedCatalogue(t.db, t.clock, { sessions: 400 });
    const results = (await new Client(t.app).get('/recherche')).body;
    sheet = /href="(\/formations\/[^"#?]+)/.exec(results)![1];
    const person = await buildLearner(t.db, t.clock);
    learner = new Client(t.app);
    await learner.login(person.email);
    // « Mes candidatures » with what a learner has there in a rush: a few sessions saved.
    const sessions = [...(await learner.get(sheet)).body.matchAll(/name="session" value="([^"]+)"/g)].map((m) => m[1]);
    for (const session of sessions.slice(0, 3)) await learner.submit(sheet, '/candidatures', { session });
    const coordinator = await buildStaff(t.db, t.clock, 'coordinator');
    staff = new Client(t.app);
    await staff.loginStaff(coordinator.email, coordinator.totpSecret, t.clock);
  });
  after(() => t.close());

  it('the home, search results, a course sheet, « mes candidatures » and a staff list each weigh under 100 kB with their CSS and JS, sent and unpacked', async () => {
    const pages: [string, string, Client | undefined][] = [
      ['home', '/', undefined],
      ['search results', '/recherche?q=anglais', undefined],
      ['search, first page of all', '/recherche', undefined],
      ['course sheet', sheet, undefined],
      ['mes candidatures', '/candidatures', learner],
      ['staff list (learners)', '/personnel/apprenants', staff],
    ];
    const lines: string[] = [];
    for (const [label, url, client] of pages) {
      const page = await fetchRaw(t.app, url, client ? cookieOf(client) : '');
      assert.equal(page.response.statusCode, 200, `${label}: ${url}`);
      assert.equal(page.response.headers['content-encoding'], 'br', `${label}: the page is compressed`);
      if (label === 'mes candidatures') assert.match(page.text, /class="applications"/, 'the learner has saved sessions');
      // What the page links from /static/ (the script; the stylesheet is inline), each once: the browser fetches them.
      const linked = [...new Set([...page.text.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]))];
      let wire = page.wire;
      let raw = page.raw;
      for (const asset of linked) {
        const file = await fetchRaw(t.app, asset, '');
        assert.equal(file.response.statusCode, 200, asset);
        wire += file.wire;
        raw += file.raw;
      }
      lines.push(`${label}: ${(wire / 1000).toFixed(1)} kB sent, ${(raw / 1000).toFixed(1)} kB unpacked (${linked.length} linked files)`);
      assert.ok(wire < BUDGET, `${label}: ${wire} bytes sent`);
      assert.ok(raw < BUDGET, `${label}: ${raw} bytes unpacked`);
    }
    console.log(lines.join('\n'));
  });

  it('a page has its stylesheet inline (allowed by its hash in the CSP) and links its script by fingerprinted URL, answered immutable for a year', async () => {
    const home = await fetchRaw(t.app, '/', '');
    const css = staticAssets().get('app.css')!.body.toString('utf8');
    assert.ok(home.text.includes(`<style>${css}</style>`), 'the stylesheet, as it is, in the head');
    assert.ok(!/<link rel="stylesheet"/.test(home.text), 'no stylesheet to fetch before the first paint');
    assert.ok(String(home.response.headers['content-security-policy']).includes(`style-src 'self' ${inlineStyleSource('app.css')}`), 'the CSP allows that stylesheet, and no other inline style');
    const script = /<script type="module" src="(\/static\/app\.[0-9a-f]{10}\.js)"/.exec(home.text)?.[1];
    assert.ok(script, 'the script is fingerprinted');
    const file = await fetchRaw(t.app, script, '');
    assert.equal(file.response.statusCode, 200);
    assert.equal(file.response.headers['cache-control'], IMMUTABLE);
    assert.equal(file.response.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(file.text, staticAssets().get('app.js')!.body.toString('utf8'));
    // The stylesheet names the logo by its fingerprinted URL, so that it is cached for a year too.
    const logo = /url\('(\/static\/franceconnect-logo\.[0-9a-f]{10}\.svg)'\)/.exec(css)?.[1];
    assert.ok(logo, 'the logo is fingerprinted in the stylesheet');
    assert.equal((await fetchRaw(t.app, logo, '')).response.headers['cache-control'], IMMUTABLE);
  });

  it('an old or unknown fingerprint gets the current file without a long cache; the bare name still works; an unknown file is the 404 page', async () => {
    const old = await fetchRaw(t.app, '/static/app.0123456789.js', '');
    assert.equal(old.response.statusCode, 200);
    assert.equal(old.response.headers['cache-control'], 'public, max-age=0, must-revalidate');
    assert.equal(old.text, staticAssets().get('app.js')!.body.toString('utf8'));
    const bare = await fetchRaw(t.app, '/static/app.css', '');
    assert.equal(bare.response.statusCode, 200);
    assert.notEqual(bare.response.headers['cache-control'], IMMUTABLE);
    for (const path of ['/static/nothing.css', '/static/nothing.0123456789.css', '/static/..%2Fpackage.json', '/static/app.css.map']) {
      const missing = await fetchRaw(t.app, path, '');
      assert.equal(missing.response.statusCode, 404, path);
      assert.match(missing.text, /<html/, `${path}: the 404 page`);
    }
    // A revalidation with the current ETag: 304, no body.
    const etag = String(bare.response.headers.etag);
    const again = await t.app.inject({ method: 'GET', url: '/static/app.css', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
  });

  it('answers are compressed as the client accepts: brotli, else gzip, else plain; small answers and refusals stay plain', async () => {
    const css = staticAssets().get('app.css')!;
    for (const [accept, expected] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['identity', undefined],
      ['', undefined],
    ] as const) {
      const page = await fetchRaw(t.app, '/recherche', '', accept);
      assert.equal(page.response.headers['content-encoding'], expected, `page, Accept-Encoding: ${accept}`);
      assert.match(String(page.response.headers.vary), /accept-encoding/i);
      assert.match(page.text, /<\/html>$/);
      if (expected) assert.ok(page.wire < page.raw / 3, `${accept}: ${page.wire} of ${page.raw}`);
      const file = await fetchRaw(t.app, css.url, '', accept);
      assert.equal(file.response.headers['content-encoding'], expected, `stylesheet, Accept-Encoding: ${accept}`);
      assert.equal(file.text, css.body.toString('utf8'));
    }
    // The API's JSON too; a tiny answer (the liveness check) is not worth it.
    assert.equal((await fetchRaw(t.app, '/api/v1/sessions', '')).response.headers['content-encoding'], 'br');
    assert.equal((await fetchRaw(t.app, '/healthz', '')).response.headers['content-encoding'], undefined);
    assert.equal(acceptedEncoding('*'), 'br');
    assert.equal(acceptedEncoding('*;q=0, gzip;q=0.5'), 'gzip');
  });
});
