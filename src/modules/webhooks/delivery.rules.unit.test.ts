import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR } from '../../platform/clock';
import { jitterShare, maxAttempts, maxRetryAfterMs, nextAttemptAt, outcomeOf, retryAfterMs, retryDelaysMs } from './delivery.rules';
import { bodiesFor, dataFor } from './messages.service';
import { isForbiddenAddress, resolveDestination } from './ssrf';

const now = new Date('2026-12-01T10:00:00Z');

describe('webhooks: the delivery policy (SVC-8)', () => {
  it('SVC-8: ten attempts over about three days, each delay moved by the jitter within its share', () => {
    assert.equal(maxAttempts, 10);
    const total = retryDelaysMs.reduce((a, b) => a + b, 0);
    assert.ok(total > 70 * HOUR && total < 74 * HOUR, `${total / HOUR} h`);
    for (let attempts = 1; attempts < maxAttempts; attempts++) {
      const base = retryDelaysMs[attempts - 1];
      const low = nextAttemptAt({ attempts, now, random: 0 })!.getTime() - now.getTime();
      const high = nextAttemptAt({ attempts, now, random: 0.999999 })!.getTime() - now.getTime();
      assert.equal(low, Math.round(base * (1 - jitterShare)));
      assert.ok(high <= base * (1 + jitterShare) && high > base);
    }
    assert.equal(nextAttemptAt({ attempts: maxAttempts, now, random: 0.5 }), null, 'the tenth failure gives up');
  });

  it('SVC-8: 2xx delivers, 410 is gone, 3xx, 4xx, 5xx and no answer are tried again', () => {
    assert.equal(outcomeOf(200), 'delivered');
    assert.equal(outcomeOf(204), 'delivered');
    assert.equal(outcomeOf(410), 'gone');
    for (const code of [301, 302, 307, 400, 404, 429, 500, 503, null]) assert.equal(outcomeOf(code), 'retry', String(code));
  });

  it('SVC-8: Retry-After in seconds or as an HTTP date, honoured on 429 and 503 when later, bounded', () => {
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 10:10:00 GMT', now), 600_000);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 09:00:00 GMT', now), 0);
    for (const bad of ['soon', '-5', '1e9', '', '12.5', '99999999999']) assert.equal(retryAfterMs(bad, now), null, bad);
    const later = nextAttemptAt({ attempts: 1, now, random: 0.5, statusCode: 429, retryAfter: '600' })!;
    assert.equal(later.getTime() - now.getTime(), 600_000);
    const sooner = nextAttemptAt({ attempts: 3, now, random: 0.5, statusCode: 503, retryAfter: '1' })!;
    assert.equal(sooner.getTime() - now.getTime(), retryDelaysMs[2], 'an earlier Retry-After does not hasten the schedule');
    const huge = nextAttemptAt({ attempts: 1, now, random: 0.5, statusCode: 503, retryAfter: '9999999' })!;
    assert.equal(huge.getTime() - now.getTime(), maxRetryAfterMs);
    const ignored = nextAttemptAt({ attempts: 1, now, random: 0.5, statusCode: 500, retryAfter: '600' })!;
    assert.equal(ignored.getTime() - now.getTime(), retryDelaysMs[0], 'only 429 and 503');
  });
});

describe('webhooks: payloads (SVC-8)', () => {
  const facts = { application_id: 'a1', session_code: 'S1', course_code: 'C1', from: 'confirmed', to: 'accepted', learner: { id: 'u1', email: 'x@example.org' }, secret_thing: 1 };
  it('SVC-8: an endpoint not granted personal data gets no personal field, and nothing undeclared', () => {
    assert.deepEqual(dataFor('application.status_changed', facts, false), { application_id: 'a1', session_code: 'S1', course_code: 'C1', from: 'confirmed', to: 'accepted' });
    assert.deepEqual(dataFor('application.status_changed', facts, true).learner, facts.learner);
    assert.equal('secret_thing' in dataFor('application.status_changed', facts, true), false);
  });
  it('SVC-8: a body stays under 20 kB: a large import is split into several messages, no code lost or doubled', () => {
    const data = { course_codes: Array.from({ length: 1500 }, (_, i) => `COURSE-${i}`), session_codes: Array.from({ length: 3000 }, (_, i) => `SESSION-${i}`), change: 'import' };
    const bodies = bodiesFor('catalogue.changed', now.toISOString(), data);
    assert.ok(bodies.length > 1);
    for (const body of bodies) {
      assert.ok(Buffer.byteLength(JSON.stringify(body)) < 20_000);
      assert.equal(body.data.change, 'import');
    }
    assert.deepEqual(bodies.flatMap((b) => b.data.course_codes as string[]), data.course_codes);
    assert.deepEqual(bodies.flatMap((b) => b.data.session_codes as string[]), data.session_codes);
    assert.equal(bodiesFor('catalogue.changed', now.toISOString(), { course_codes: ['A'], session_codes: [], change: 'import' }).length, 1);
  });
});

describe('webhooks: against server-side request forgery (SVC-8)', () => {
  it('SVC-8: loopback, private, link-local, unique-local, CGNAT, multicast, unspecified and IPv4-mapped addresses are refused', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1', '0.0.0.0', '255.255.255.255', '::', '::1', 'fe80::1', 'fd12::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:8.8.8.8', 'not-an-ip'])
      assert.equal(isForbiddenAddress(address), true, address);
    for (const address of ['8.8.8.8', '1.1.1.1', '93.184.215.14', '2606:4700::1111', '2a00:1450:4007::200e']) assert.equal(isForbiddenAddress(address), false, address);
  });
  it('SVC-8: every address a name resolves to is checked; an allowed host is not; the address checked is the one used', async () => {
    const resolve = async (host: string) => (host === 'rebind.example' ? [{ address: '93.184.215.14', family: 4 }, { address: '10.0.0.5', family: 4 }] : [{ address: '93.184.215.14', family: 4 }]);
    assert.deepEqual(await resolveDestination('rebind.example', { allowed: false, resolve }), { ok: false, error: 'forbidden address 10.0.0.5' });
    assert.deepEqual(await resolveDestination('public.example', { allowed: false, resolve }), { ok: true, destination: { address: '93.184.215.14', family: 4 } });
    assert.deepEqual(await resolveDestination('[::1]', { allowed: false, resolve }), { ok: false, error: 'forbidden address ::1' });
    assert.deepEqual(await resolveDestination('127.0.0.1', { allowed: true, resolve }), { ok: true, destination: { address: '127.0.0.1', family: 4 } });
    const failing = async () => Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    assert.deepEqual(await resolveDestination('nowhere.invalid', { allowed: false, resolve: failing }), { ok: false, error: 'unresolved host (ENOTFOUND)' });
  });
});
