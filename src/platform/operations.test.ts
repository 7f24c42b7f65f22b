import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildApp } from '../app';
import { connect } from '../db/database';
import { startTestApp, testConfig, TEST_SECRET, type TestApp } from '../../test/app';
import { enqueueJob } from './jobs';
import { markShuttingDown } from './lifecycle';
import { queueEmail } from './outbox';

/** One sample of the exposition: its name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * The Prometheus text format (version 0.0.4), parsed strictly: `# HELP` and `# TYPE` lines, then
 * samples `name{label="value",…} number` (NaN and Inf in any case, as Prometheus reads them). A line
 * that is neither fails the test.
 */
function parseExposition(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1], type[2]);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|[+-]?[Ii][Nn][Ff]|[Nn][Aa][Nn]))$/.exec(line);
    assert.ok(sample, `not a line of the text format: ${line}`);
    const labels: Record<string, string> = {};
    const body = sample[2] ?? '';
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
    let consumed = 0;
    for (let m = label.exec(body); m; m = label.exec(body)) {
      labels[m[1]] = m[2];
      consumed = label.lastIndex;
    }
    assert.equal(consumed, body.length, `labels not in the format: ${line}`);
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  for (const s of samples) {
    const family = s.name.replace(/_(bucket|sum|count)$/, '');
    assert.ok(types.has(s.name) || types.has(family), `${s.name} has a # TYPE line`);
  }
  return { samples, types };
}
const find = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

/**
 * Waits until `condition` holds, for as long as a loaded CI machine may need (10 s), and fails the
 * test if it never does: a bounded wait that went on silently let a slow run assert too early.
 */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `still waiting after 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('operations: metrics, liveness and readiness (issue 19)', () => {
  let t: TestApp;
  const TOKEN = 'metrics-token-that-is-long-enough-0123456789';

  before(async () => {
    t = await startTestApp({ config: { METRICS_TOKEN: TOKEN } });
  });
  after(() => t.close());

  it('GET /metrics answers the Prometheus text format: requests by method, route pattern and status class (never the URL), a latency histogram, the pool, the outboxes, the jobs by kind, the webhooks', async () => {
    await queueEmail(t.db, { to: 'someone@example.org', subject: 'Objet', text: 'Texte' });
    await enqueueJob(t.db, { kind: 'metrics.test', runAt: new Date(t.clock.now().getTime() - 60_000) });
    await enqueueJob(t.db, { kind: 'metrics.test', runAt: new Date(t.clock.now().getTime() - 60_000) });
    await t.db.execute(sql`update jobs set failed_at = now() where id = (select max(id) from jobs where kind = 'metrics.test')`);
    for (const url of ['/aide/accueil-langue-etrangere', '/aide/ancien-compte', '/nulle-part-4244', '/healthz']) await t.app.inject(url);
    const response = await t.app.inject('/metrics');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.equal(response.headers['cache-control'], 'no-store');
    const { samples, types } = parseExposition(response.body);
    assert.equal(types.get('cursus_http_requests_total'), 'counter');
    assert.equal(types.get('cursus_http_request_duration_seconds'), 'histogram');
    assert.ok(!/accueil-langue|ancien-compte|4244/.test(response.body), 'no URL in a label');
    const help = find(samples, 'cursus_http_requests_total', { method: 'GET', route: '/aide/:slug', status_class: '2xx' });
    assert.equal(help.length, 1, response.body.split('\n').filter((l) => l.startsWith('cursus_http_requests_total')).join('\n'));
    assert.equal(help[0].value, 2, 'two URLs, one route');
    assert.equal(find(samples, 'cursus_http_requests_total', { method: 'GET', route: 'unmatched', status_class: '4xx' })[0]?.value, 1);
    assert.equal(find(samples, 'cursus_http_requests_total', { method: 'GET', route: '/healthz', status_class: '2xx' })[0]?.value, 1);
    const buckets = find(samples, 'cursus_http_request_duration_seconds_bucket', { method: 'GET', route: '/aide/:slug' });
    assert.ok(buckets.length >= 10 && buckets.some((b) => b.labels.le === '+Inf' && b.value === 2), 'the histogram’s buckets, cumulative to +Inf');
    assert.equal(find(samples, 'cursus_http_request_duration_seconds_count', { method: 'GET', route: '/aide/:slug' })[0]?.value, 2);
    for (const state of ['total', 'idle', 'waiting']) assert.equal(find(samples, 'cursus_db_pool_connections', { state }).length, 1, state);
    assert.ok(find(samples, 'cursus_db_pool_connections', { state: 'total' })[0].value >= 1);
    assert.equal(find(samples, 'cursus_metrics_database_up', {})[0]?.value, 1);
    assert.ok(find(samples, 'cursus_outbox_messages', { channel: 'email', state: 'pending' })[0]?.value >= 1);
    assert.equal(find(samples, 'cursus_outbox_messages', { channel: 'sms', state: 'pending' }).length, 1);
    assert.equal(find(samples, 'cursus_jobs', { kind: 'metrics.test', state: 'due' })[0]?.value, 1);
    assert.equal(find(samples, 'cursus_jobs', { kind: 'metrics.test', state: 'failed' })[0]?.value, 1);
    assert.equal(find(samples, 'cursus_jobs', { kind: 'metrics.test', state: 'running' })[0]?.value, 0);
    assert.equal(find(samples, 'cursus_queue_messages', { queue: 'webhooks', state: 'pending' })[0]?.value, 0);
    assert.ok(samples.some((s) => s.name === 'process_cpu_user_seconds_total'), 'the process’s own metrics');
  });

  it('GET /metrics only from the allowed addresses (loopback by default, IPv4-mapped too) or with the bearer token; anyone else gets the 404 page', async () => {
    assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '::1' })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '::ffff:127.0.0.1' })).statusCode, 200);
    const outside = await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9' });
    assert.equal(outside.statusCode, 404);
    assert.match(outside.body, /Page introuvable/);
    assert.ok(!outside.body.includes('cursus_'));
    assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 200);
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, `Basic ${TOKEN}`, 'Bearer '])
      assert.equal((await t.app.inject({ url: '/metrics', remoteAddress: '203.0.113.9', headers: { authorization } })).statusCode, 404, authorization);
  });

  it('METRICS_ALLOW takes ranges; none leaves the token only; a bad value stops the configuration', async () => {
    const ranged = await buildApp({ config: testConfig({ METRICS_ALLOW: '10.0.0.0/8,2001:db8::/32' }), db: t.db, clock: t.clock, secret: TEST_SECRET, logger: false });
    try {
      assert.equal((await ranged.inject({ url: '/metrics', remoteAddress: '10.20.30.40' })).statusCode, 200);
      assert.equal((await ranged.inject({ url: '/metrics', remoteAddress: '2001:db8::5' })).statusCode, 200);
      assert.equal((await ranged.inject({ url: '/metrics', remoteAddress: '11.0.0.1' })).statusCode, 404);
      assert.equal((await ranged.inject({ url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode, 404, 'the default is replaced');
    } finally {
      await ranged.close();
    }
    const none = await buildApp({ config: testConfig({ METRICS_ALLOW: 'none' }), db: t.db, clock: t.clock, secret: TEST_SECRET, logger: false });
    try {
      assert.equal((await none.inject({ url: '/metrics' })).statusCode, 404, 'no address, and no token set');
    } finally {
      await none.close();
    }
    assert.throws(() => testConfig({ METRICS_ALLOW: '10.0.0.0/33' }), /METRICS_ALLOW/);
    assert.throws(() => testConfig({ METRICS_ALLOW: 'loopback' }), /METRICS_ALLOW/);
    assert.throws(() => testConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN/);
  });

  it('GET /readyz: 200 when the database answers and every migration is applied; 503 while shutting down; 503 when a migration is missing', async () => {
    const ready = await t.app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ok', database: 'ok', migrations: 'ok', shuttingDown: false });
    markShuttingDown();
    try {
      const stopping = await t.app.inject('/readyz');
      assert.equal(stopping.statusCode, 503);
      assert.deepEqual(stopping.json(), { status: 'unavailable', database: 'ok', migrations: 'ok', shuttingDown: true });
      assert.equal((await t.app.inject('/healthz')).statusCode, 200, 'still alive');
    } finally {
      markShuttingDown(false);
    }
    const [last] = (await t.db.execute<{ id: number; hash: string; created_at: string }>(sql`select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`)).rows;
    await t.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${last.id}`);
    try {
      const behind = await t.app.inject('/readyz');
      assert.equal(behind.statusCode, 503);
      assert.equal(behind.json().migrations, 'pending');
    } finally {
      await t.db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last.id}, ${last.hash}, ${last.created_at}::bigint)`);
    }
    assert.equal((await t.app.inject('/readyz')).statusCode, 200);
  });

  it('GET /healthz is liveness: 200 without the database; /readyz says 503 (unreachable), /metrics still answers with database_up 0; pages and the API answer 503 with Retry-After', async () => {
    const dead = connect('postgres://nobody:x@127.0.0.1:1/none', { max: 1 });
    const app = await buildApp({ config: testConfig(), db: dead.db, clock: t.clock, secret: TEST_SECRET, logger: false });
    try {
      const live = await app.inject({ url: '/healthz', headers: { cookie: 'cursus_sid=abc' } });
      assert.equal(live.statusCode, 200);
      assert.deepEqual(live.json(), { status: 'ok' });
      const notReady = await app.inject('/readyz');
      assert.equal(notReady.statusCode, 503);
      assert.deepEqual(notReady.json(), { status: 'unavailable', database: 'unreachable', migrations: 'unknown', shuttingDown: false });
      const metrics = await app.inject('/metrics');
      assert.equal(metrics.statusCode, 200, metrics.body.slice(0, 500));
      assert.equal(find(parseExposition(metrics.body).samples, 'cursus_metrics_database_up', {})[0]?.value, 0);
      // Issue 19 point 4: a page or an API call that needs the database is the 503 page (problem), with Retry-After, never the 500.
      const page = await app.inject('/recherche?motcle=anglais');
      assert.equal(page.statusCode, 503, page.body.slice(0, 300));
      assert.equal(page.headers['retry-after'], '5');
      assert.match(page.body, /<\/html>/);
      const api = await app.inject('/api/v1/sessions');
      assert.equal(api.statusCode, 503, api.body.slice(0, 300));
      assert.equal(api.headers['retry-after'], '5');
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
    } finally {
      await app.close();
      await dead.close();
    }
  });

  it('under pressure (the event loop held past MAX_EVENT_LOOP_DELAY_MS) pages, the API and /readyz are shed (503 with Retry-After: the page, the problem) but /healthz and /metrics still answer', async () => {
    const busy = await buildApp({ config: testConfig({ MAX_EVENT_LOOP_DELAY_MS: '50' }), db: t.db, clock: t.clock, secret: TEST_SECRET, logger: false });
    try {
      await busy.ready();
      // Hold the loop 300 ms at a time for more than two of under-pressure's one-second samples: every delay it sees is long.
      for (let i = 0; i < 8; i++) {
        const until = Date.now() + 300;
        while (Date.now() < until);
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const shed = await busy.inject('/readyz');
      assert.equal(shed.statusCode, 503, 'the load is shed: this test is only meaningful if it is');
      // Issue 19 point 9: a page shed is the app's 503 page, and says when to come back.
      const page = await busy.inject('/aide');
      assert.equal(page.statusCode, 503);
      assert.equal(page.headers['retry-after'], '10');
      assert.match(page.headers['content-type'] as string, /text\/html/);
      assert.match(page.body, /<\/html>/);
      const api = await busy.inject('/api/v1/sessions');
      assert.equal(api.statusCode, 503);
      assert.equal(api.headers['retry-after'], '10');
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      assert.equal((await busy.inject('/healthz')).statusCode, 200);
      assert.equal((await busy.inject('/metrics')).statusCode, 200);
    } finally {
      await busy.close();
    }
  });

  it('past its bound of requests in progress (ADMISSION_*) the excess gets the 503 page or the API problem with Retry-After, counted in /metrics; static files, the probes and the metrics still answer, writes have their own turns, and the admitted requests succeed', async () => {
    // One read in progress at a time, one waiting at most 100 ms.
    const bounded = await buildApp({ config: testConfig({ ADMISSION_READS: '1', ADMISSION_READ_WAIT_MS: '100', ADMISSION_READ_QUEUE: '1', ADMISSION_WRITES: '1' }), db: t.db, clock: t.clock, secret: TEST_SECRET, logger: false });
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    bounded.get('/__held', async () => {
      await held;
      return 'done';
    });
    try {
      await bounded.ready();
      const first = bounded.inject('/__held');
      // Its turn taken (the hook has run) before the others ask.
      await until(async () => (await bounded.inject('/metrics')).body.includes('cursus_admission_requests{class="read",state="in_progress"} 1'), 'the held request in progress');
      // The page waits its 100 ms, then is refused: the app's 503 page, saying when to come back.
      const page = await bounded.inject('/aide');
      assert.equal(page.statusCode, 503);
      assert.equal(page.headers['retry-after'], '5');
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.match(page.body, /<\/html>/);
      // The page made once has this request's id and path in it.
      assert.doesNotMatch(page.body, /SHED/);
      assert.match(page.body, /retour=%2Faide"/);
      // Under /api, the problem; and when a second read comes while it waits (the queue is full), the one waiting longest is refused at once.
      const [api, full] = await Promise.all([bounded.inject('/api/v1/sessions'), bounded.inject('/aide')]);
      assert.equal(api.statusCode, 503);
      assert.equal(api.headers['retry-after'], '5');
      assert.match(String(api.headers['content-type']), /^application\/problem\+json/);
      assert.equal(full.statusCode, 503);
      assert.equal(full.headers['retry-after'], '5');
      // Never refused: static files, liveness, readiness, the metrics.
      assert.equal((await bounded.inject('/static/app.css')).statusCode, 200);
      assert.equal((await bounded.inject('/healthz')).statusCode, 200);
      assert.equal((await bounded.inject('/readyz')).statusCode, 200);
      // A write has its own turns: a form posted while the reads are full is handled (here refused by its CSRF check, not shed).
      const write = await bounded.inject({ method: 'POST', url: '/connexion', payload: 'email=a%40b.fr&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.notEqual(write.statusCode, 503);
      // The request admitted finishes; its turn given back, the next read is served.
      finish();
      assert.equal((await first).statusCode, 200);
      assert.equal((await first).body, 'done');
      assert.equal((await bounded.inject('/aide')).statusCode, 200);
      const { samples } = parseExposition((await bounded.inject('/metrics')).body);
      assert.equal(find(samples, 'cursus_http_shed_total', { class: 'read', reason: 'waited' })[0]?.value, 2);
      assert.equal(find(samples, 'cursus_http_shed_total', { class: 'read', reason: 'queue_full' })[0]?.value, 1);
      assert.equal(find(samples, 'cursus_admission_requests', { class: 'read', state: 'in_progress' })[0]?.value, 0);
      assert.equal(find(samples, 'cursus_admission_requests', { class: 'read', state: 'waiting' })[0]?.value, 0);
    } finally {
      finish();
      await bounded.close();
    }
  });

  it('a request whose client gave up while it waited its turn frees its place in the queue, and no turn is lost', async () => {
    const bounded = await buildApp({ config: testConfig({ ADMISSION_READS: '1', ADMISSION_READ_WAIT_MS: '10000' }), db: t.db, clock: t.clock, secret: TEST_SECRET, logger: false });
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    bounded.get('/__held', async () => {
      await held;
      return 'done';
    });
    const waiting = () => bounded.inject('/metrics').then((r) => /cursus_admission_requests\{class="read",state="waiting"\} (\d+)/.exec(r.body)?.[1]);
    try {
      const base = await bounded.listen({ host: '127.0.0.1', port: 0 });
      const first = fetch(`${base}/__held`);
      await until(async () => (await bounded.inject('/metrics')).body.includes('cursus_admission_requests{class="read",state="in_progress"} 1'), 'the held request in progress');
      // A visitor asks for a page, waits for its turn, and gives up.
      const gaveUp = new AbortController();
      const abandoned = fetch(`${base}/aide`, { signal: gaveUp.signal }).catch(() => 'aborted');
      await until(async () => (await waiting()) === '1', 'the visitor waiting for a turn');
      gaveUp.abort();
      assert.equal(await abandoned, 'aborted');
      // Its place in the queue is freed at once, not held until a turn comes for it.
      await until(async () => (await waiting()) === '0', 'the place of the visitor who left freed');
      finish();
      assert.equal((await first).status, 200);
      const next = await fetch(`${base}/aide`);
      assert.equal(next.status, 200);
      await next.text();
    } finally {
      finish();
      await bounded.close();
    }
  });

  it('outside production the log is one readable line a request (method, path, status, ms, request id); in production pino’s JSON', async () => {
    const lines: string[] = [];
    const capture = { write: (text: string) => void lines.push(...text.split('\n').filter(Boolean)) };
    const dev = await buildApp({ config: testConfig({ LOG_LEVEL: 'info' }), db: t.db, clock: t.clock, secret: TEST_SECRET, logDestination: capture });
    try {
      await dev.inject('/healthz');
      await dev.inject('/aide/question-inconnue?q=secret');
    } finally {
      await dev.close();
    }
    const requests = lines.filter((l) => / ms #/.test(l));
    assert.equal(requests.length, 2, lines.join('\n'));
    assert.match(requests[0], /^\d\d:\d\d:\d\d\.\d{3} GET \/healthz 200 \d+ ms #[0-9a-f]{8}$/);
    assert.match(requests[1], /^\d\d:\d\d:\d\d\.\d{3} GET \/aide\/question-inconnue 404 \d+ ms #[0-9a-f]{8}$/, 'no query string');
    assert.ok(lines.every((l) => !l.startsWith('{')), 'no JSON object');

    const json: string[] = [];
    const production = testConfig({ NODE_ENV: 'production', LOG_LEVEL: 'info', DATABASE_URL: 'postgres://u:p@localhost/x', SESSION_SECRET: TEST_SECRET, BASE_URL: 'https://cours.example.fr' });
    const prod = await buildApp({ config: production, db: t.db, clock: t.clock, secret: TEST_SECRET, logDestination: { write: (text: string) => void json.push(...text.split('\n').filter(Boolean)) } });
    try {
      await prod.inject('/healthz');
    } finally {
      await prod.close();
    }
    const entries = json.map((l) => JSON.parse(l) as { msg: string; res?: { statusCode: number } });
    assert.ok(entries.some((e) => e.msg === 'request completed' && e.res?.statusCode === 200), json.join('\n'));
  });
});
