import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../../test/app';
import { parseFilters } from '../catalogue/catalogue.rules';
import { searchSessions } from '../catalogue/catalogue.service';
import { seedCatalogue } from '../catalogue/catalogue.seed';

type Page = { data: { code: string; freePlaces: number; meetings: unknown[]; period: { state: string }; school: { arrondissement: number | null }; slots: { weekday: number; timeOfDay: string }[] }[]; next: string | null; links: { next: string | null } };

describe('SVC-8 public API', () => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  before(async () => {
    t = await startTestApp({ policies: { apiRequestsPerIpPer10Min: 100_000 } });
    await seedCatalogue(t.db, t.clock, { sessions: 120 });
  });
  after(() => t.close());

  it('SVC-8 lists sessions with their meetings and free places, a page at a time, every session once', async () => {
    const seen: string[] = [];
    let url: string | null = '/api/v1/sessions?limit=25';
    let pages = 0;
    while (url) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.headers['content-type'] as string, /^application\/json/);
      const page = res.json() as Page;
      assert.ok(page.data.length <= 25);
      for (const s of page.data) {
        seen.push(s.code);
        assert.ok(s.meetings.length > 0, `${s.code} has its meetings`);
      }
      url = page.links.next;
      pages++;
    }
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120, 'no session twice');
    assert.equal(pages, 5);
  });

  it('SVC-8 a page of sessions, written from the JSON kept per version, is JSON.stringify’s of what it holds, with its next page', async () => {
    for (const url of ['/api/v1/sessions?limit=2', '/api/v1/sessions?limit=2', '/api/v1/sessions?q=zzzz-none']) {
      const res = await get(url);
      assert.equal(res.statusCode, 200);
      const parsed = JSON.parse(res.body) as Page;
      assert.equal(res.body, JSON.stringify(parsed), url);
      assert.deepEqual(Object.keys(parsed), ['data', 'next', 'links']);
    }
    const [first] = ((await get('/api/v1/sessions?limit=1')).json() as Page).data;
    const one = await get(`/api/v1/sessions/${first.code}`);
    assert.equal(one.body, JSON.stringify(JSON.parse(one.body)));
    assert.equal((JSON.parse(one.body) as { freePlaces: number }).freePlaces, first.freePlaces);
  });

  it('SVC-8 the API and the search page run one query: the same sessions in the same order with the same free places', async () => {
    const filters = { q: 'anglais', arrondissement: '11' };
    const page = (await get('/api/v1/sessions?q=anglais&arrondissement=11&limit=100')).json() as Page;
    const search = await searchSessions(t.db, t.clock, parseFilters(filters));
    assert.deepEqual(
      page.data.map((s) => [s.code, s.freePlaces]),
      search.results.slice(0, 100).map((r) => [r.sessionCode, r.freePlaces]),
    );
    assert.equal(search.total, page.data.length);
  });

  it('SVC-8 applies the catalogue filters: weekdays, times of day, arrondissement, only open', async () => {
    const page = (await get('/api/v1/sessions?weekdays=1,3&times=evening&open=true&limit=100')).json() as Page;
    assert.ok(page.data.length > 0);
    for (const s of page.data) {
      assert.equal(s.period.state, 'open');
      assert.ok(s.slots.some((slot) => [1, 3].includes(slot.weekday) && slot.timeOfDay === 'evening'));
    }
    const search = await searchSessions(t.db, t.clock, parseFilters({ jour: ['1', '3'], horaire: 'evening', ouvertes: '1' }));
    assert.deepEqual(page.data.map((s) => s.code).slice(0, search.results.length), search.results.map((r) => r.sessionCode));
  });

  it('SVC-8 one session, one course, schools, domains and periods', async () => {
    const first = ((await get('/api/v1/sessions?limit=1')).json() as Page).data[0];
    const one = await get(`/api/v1/sessions/${first.code}`);
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().code, first.code);
    const course = await get(one.json().course.href);
    assert.equal(course.statusCode, 200);
    const ofCourse = (await get(course.json().sessions)).json() as Page;
    assert.ok(ofCourse.data.some((s) => s.code === first.code));
    for (const path of ['schools', 'domains', 'periods']) {
      const res = await get(`/api/v1/${path}`);
      assert.equal(res.statusCode, 200);
      assert.ok(res.json().data.length > 0, path);
    }
    const courses = (await get('/api/v1/courses?limit=7')).json() as { data: { code: string }[]; links: { next: string } };
    const next = (await get(courses.links.next)).json() as { data: { code: string }[] };
    assert.equal(courses.data.length, 7);
    assert.ok(courses.data.at(-1)!.code < next.data[0].code);
  });

  it('SVC-8 strong ETag, 304 on If-None-Match, short public caching, CORS open for reads', async () => {
    const res = await get('/api/v1/sessions?limit=3', { origin: 'https://portail.example' });
    const etag = res.headers.etag as string;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.match(res.headers['cache-control'] as string, /^public, max-age=\d+$/);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const again = await get('/api/v1/sessions?limit=3', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal((await get('/api/v1/sessions?limit=3', { 'if-none-match': `W/${etag}, "other"` })).statusCode, 304);
    assert.equal((await get('/api/v1/sessions?limit=3', { 'if-none-match': '"other"' })).statusCode, 200);
    const head = await t.app.inject({ method: 'HEAD', url: '/api/v1/sessions?limit=3' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers.etag, etag);
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/sessions', headers: { origin: 'https://portail.example', 'access-control-request-method': 'GET' } });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS');
    const post = await t.app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { a: 1 } });
    assert.equal(post.statusCode, 405);
    assert.equal(post.headers.allow, 'GET, HEAD, OPTIONS');
    assert.match(post.headers['content-type'] as string, /^application\/problem\+json/);
  });

  it('SVC-8 bad input is a 400 or 404 JSON problem naming the parameter, never a 500 or a page', async () => {
    const cases: [string, number, string | undefined][] = [
      ['/api/v1/sessions?colour=blue', 400, 'colour'],
      ['/api/v1/sessions?q=a&q=b', 400, 'q'],
      ['/api/v1/sessions?limit=1000000000', 400, 'limit'],
      ['/api/v1/sessions?limit=0', 400, 'limit'],
      ['/api/v1/sessions?limit=-1', 400, 'limit'],
      ['/api/v1/sessions?q=%00', 400, 'q'],
      ['/api/v1/sessions?arrondissement=99999999999999999999', 400, 'arrondissement'],
      ['/api/v1/sessions?weekdays=8', 400, 'weekdays'],
      ['/api/v1/sessions?times=night', 400, 'times'],
      ['/api/v1/sessions?open=yes', 400, 'open'],
      ['/api/v1/sessions?mode=%27%3B--', 400, 'mode'],
      ['/api/v1/sessions?cursor=abc.def', 400, 'cursor'],
      ['/api/v1/sessions?cursor=%E0%A4%A', 400, 'cursor'],
      ['/api/v1/sessions?domain[x]=1', 400, 'domain[x]'],
      ['/api/v1/schools?page=2', 400, 'page'],
      ['/api/v1/sessions/NOPE-0', 404, undefined],
      ['/api/v1/sessions/%00', 404, undefined],
      [`/api/v1/sessions/${'x'.repeat(400)}`, 414, undefined],
      ['/api/v1/courses/..%2F..%2Fetc', 404, undefined],
      ['/api/v1/nothing', 404, undefined],
      ['/api/v2/sessions', 404, undefined],
      ['/api/v1/%ZZ', 400, undefined],
    ];
    for (const [url, status, parameter] of cases) {
      const res = await get(url);
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
      assert.match(res.headers['content-type'] as string, /^application\/problem\+json/, url);
      const body = res.json();
      assert.equal(body.status, status, url);
      assert.equal(body.parameter, parameter, url);
      assert.ok(body.detail && body.title, url);
    }
    const limit = (await get('/api/v1/sessions?limit=1000000000', { 'accept-language': 'en-GB,en;q=0.9' })).json();
    assert.match(limit.detail, /1 to 100/);
    assert.match((await get('/api/v1/sessions?limit=1000000000')).json().detail, /de 1 à 100/);
  });

  it('SVC-8 a cursor changed by hand, or used with other filters, is a 400', async () => {
    const page = (await get('/api/v1/sessions?limit=2&q=anglais')).json() as Page;
    assert.ok(page.next);
    const [payload, mac] = page.next!.split('.');
    const forged = `${Buffer.from(JSON.stringify(['A', 'B', 'C'])).toString('base64url')}.${mac}`;
    for (const url of [`/api/v1/sessions?limit=2&q=anglais&cursor=${forged}`, `/api/v1/sessions?limit=2&q=espagnol&cursor=${page.next}`, `/api/v1/sessions?limit=2&q=anglais&cursor=${payload}.AAAA`, `/api/v1/courses?cursor=${page.next}`]) {
      const res = await get(url);
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().type.endsWith('#problem-invalid-cursor'), true);
    }
    // Another page size keeps the cursor.
    assert.equal((await get(`/api/v1/sessions?limit=5&q=anglais&cursor=${page.next}`)).statusCode, 200);
  });

  it('SVC-8 rate-limited per address with the shared counters: 429 problem with Retry-After', async () => {
    const limited = await startTestApp({ policies: { apiRequestsPerIpPer10Min: 3 } });
    try {
      const statuses = [];
      // A loaded machine makes the new app's start lag its event loop: wait until it no longer answers 503 (a 503 counts no hit).
      // (under-pressure samples the delay each second: the lag of the start shows in the next sample, gone in the one after.)
      await new Promise((done) => setTimeout(done, 2_500));
      for (let i = 0; i < 50; i++) {
        if ((await limited.app.inject({ method: 'GET', url: '/api/v1/domains', remoteAddress: '198.51.100.1' })).statusCode !== 503) break;
        await new Promise((done) => setTimeout(done, 200));
      }
      for (let i = 0; i < 5; i++) statuses.push((await limited.app.inject({ method: 'GET', url: '/api/v1/domains', remoteAddress: '203.0.113.9' })).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      const res = await limited.app.inject({ method: 'GET', url: '/api/v1/periods', remoteAddress: '203.0.113.9' });
      assert.equal(res.statusCode, 429, 'one counter for the whole API');
      assert.ok(Number(res.headers['retry-after']) > 0);
      assert.match(res.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal((await limited.app.inject({ method: 'GET', url: '/api/v1/domains', remoteAddress: '203.0.113.10' })).statusCode, 200, 'another address has its own');
    } finally {
      await limited.close();
    }
  });

  it('SVC-8 the reference page: server-rendered in the site layout, no script of its own, linked from the open-data page the footer links', async () => {
    const res = await get('/api/v1/docs');
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    assert.match(res.body, /href="\/api\/v1\/openapi\.json"/);
    assert.match(res.body, /GET \/api\/v1\/sessions/);
    assert.match(res.body, /id="schema-Session"/);
    assert.doesNotMatch(res.body, /<script(?![^>]*src="\/static\/app\.[0-9a-f]{10}\.js")/);
    assert.match((await get('/')).body, /<footer[\s\S]*href="\/donnees-ouvertes"/);
    assert.match((await get('/donnees-ouvertes')).body, /href="\/api\/v1\/docs"/);
  });
});
