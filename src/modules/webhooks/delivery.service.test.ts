import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { buildCatalogue } from '../../../test/catalogue';
import { buildLearner, buildStaff } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock, HOUR } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { jobs } from '../../platform/platform.table';
import { preselectSession, statusChanged } from '../applications';
import { importCatalogue } from '../catalogue';
import { readFileSync } from 'node:fs';
import { maxAttempts, retryDelaysMs } from './delivery.rules';
import { deliverMessage, webhookJobs, webhooksPruneTasks, type DeliveryDeps } from './delivery.service';
import { announce } from './messages.service';
import { replayMessage, updateEndpoint } from './admin.service';
import { newSecret, sign } from './signing';
import { webhookAllowedHosts, webhookAttempts, webhookEndpoints, webhookMessages, webhookSecrets } from './webhooks.table';
import './index';

type Received = { path: string; headers: IncomingHttpHeaders; body: string };
type Reply = (res: ServerResponse, request: Received) => void;

/** A receiver on 127.0.0.1 (an allowed host): it keeps what it gets and answers as the test says (200 by default). */
class Receiver {
  received: Received[] = [];
  replies: Reply[] = [];
  server!: Server;
  url = '';
  async start() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(request);
        const reply = this.replies.shift() ?? ((r: ServerResponse) => r.writeHead(200).end('ok'));
        reply(res, request);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  reset() {
    this.received = [];
    this.replies = [];
  }
  async stop() {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const answer =
  (status: number, headers: Record<string, string> = {}, body = ''): Reply =>
  (res) =>
    res.writeHead(status, headers).end(body);

describe('webhooks: delivery (SVC-8)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: DeliveryDeps;
  const receiver = new Receiver();
  const run = () => workJobs({ db: database.db, clock, handlers: webhookJobs(deps), limit: 100 });

  async function addEndpoint(input: { url?: string; types?: string[]; personal?: boolean; secrets?: { secret: string; expiresAt: Date | null }[] } = {}) {
    const now = clock.now();
    const [endpoint] = await database.db
      .insert(webhookEndpoints)
      .values({ url: input.url ?? receiver.url, eventTypes: input.types ?? ['application.status_changed', 'session.cancelled', 'payment.received', 'catalogue.changed'], personalData: input.personal ?? false, createdAt: now, updatedAt: now })
      .returning();
    const secrets = input.secrets ?? [{ secret: newSecret(), expiresAt: null }];
    await database.db.insert(webhookSecrets).values(secrets.map((s) => ({ endpointId: endpoint.id, secret: s.secret, expiresAt: s.expiresAt, createdAt: now })));
    return { id: endpoint.id, secrets: secrets.map((s) => s.secret) };
  }

  /** One message for the endpoints subscribed to catalogue changes (the simplest announcement). */
  async function oneMessage(codes = ['C-1']): Promise<string> {
    const ids = await database.db.transaction((tx) =>
      announce(tx, { type: 'catalogue.changed', at: clock.now(), facts: async () => ({ course_codes: codes, session_codes: [], change: 'import' }) }),
    );
    assert.equal(ids.length, 1);
    return ids[0];
  }
  const messageOf = async (id: string) => (await database.db.select().from(webhookMessages).where(eq(webhookMessages.id, id)))[0];
  const attemptsOf = (id: string) => database.db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, id)).orderBy(webhookAttempts.id);

  before(async () => {
    database = await createTestDatabase();
    // Near the real time: the receivers' libraries refuse a timestamp more than five minutes off.
    clock = new FixedClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    deps = { db: database.db, clock, timeoutMs: 2_000, random: () => 0.5 };
    await receiver.start();
    await database.db.insert(webhookAllowedHosts).values({ host: '127.0.0.1', reason: 'the tests’ receiver', allowedAt: clock.now() });
  });
  beforeEach(async () => {
    receiver.reset();
    await database.db.execute(sql`delete from ${webhookEndpoints}`);
    await database.db.execute(sql`delete from ${jobs}`);
  });
  after(async () => {
    await receiver.stop();
    await database.close();
  });

  it('SVC-8: the Standard Webhooks test vector: our signature is the published one and the standardwebhooks library’s', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const message = { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' };
    assert.equal(sign(secret, message), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    assert.equal(new Webhook(secret).sign(message.id, new Date(message.timestamp * 1000), message.body), sign(secret, message));
  });

  it('SVC-8: a delivery to a real receiver verifies with the standardwebhooks library (both secrets during a rotation)', async () => {
    const old = newSecret();
    const current = newSecret();
    await addEndpoint({ secrets: [{ secret: old, expiresAt: new Date(clock.now().getTime() + 24 * HOUR) }, { secret: current, expiresAt: null }] });
    const id = await oneMessage();
    await run();
    assert.equal(receiver.received.length, 1);
    const [got] = receiver.received;
    assert.equal(got.headers['webhook-id'], id);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(String(got.headers['webhook-signature']).split(' ').length, 2);
    const headers = { 'webhook-id': String(got.headers['webhook-id']), 'webhook-timestamp': String(got.headers['webhook-timestamp']), 'webhook-signature': String(got.headers['webhook-signature']) };
    for (const secret of [old, current]) assert.deepEqual(new Webhook(secret).verify(got.body, headers), JSON.parse(got.body));
    assert.throws(() => new Webhook(newSecret()).verify(got.body, headers), 'another secret does not verify');
    const body = JSON.parse(got.body);
    assert.equal(body.type, 'catalogue.changed');
    assert.deepEqual(body.data.course_codes, ['C-1']);
    assert.equal((await messageOf(id)).deliveredAt?.getTime(), clock.now().getTime());
    assert.equal((await attemptsOf(id))[0].statusCode, 200);
  });

  it('SVC-8: an expired secret signs no more', async () => {
    const expired = newSecret();
    const current = newSecret();
    await addEndpoint({ secrets: [{ secret: expired, expiresAt: new Date(clock.now().getTime() - 1000) }, { secret: current, expiresAt: null }] });
    await oneMessage();
    await run();
    const got = receiver.received[0];
    assert.equal(String(got.headers['webhook-signature']).split(' ').length, 1);
    const headers = { 'webhook-id': String(got.headers['webhook-id']), 'webhook-timestamp': String(got.headers['webhook-timestamp']), 'webhook-signature': String(got.headers['webhook-signature']) };
    assert.throws(() => new Webhook(expired).verify(got.body, headers));
    new Webhook(current).verify(got.body, headers);
  });

  it('SVC-8: 500 then 200: tried again by the schedule with the same webhook-id, then delivered', async () => {
    await addEndpoint();
    const id = await oneMessage();
    receiver.replies.push(answer(500, {}, 'boom'));
    await run();
    const failed = await messageOf(id);
    assert.equal(failed.attempts, 1);
    assert.equal(failed.deliveredAt, null);
    assert.equal(failed.nextAttemptAt!.getTime() - clock.now().getTime(), retryDelaysMs[0]);
    assert.equal(await run(), 0, 'not before its time');
    clock.advance(retryDelaysMs[0]);
    await run();
    assert.deepEqual(
      receiver.received.map((r) => r.headers['webhook-id']),
      [id, id],
    );
    const log = await attemptsOf(id);
    assert.deepEqual(
      log.map((a) => [a.statusCode, a.responseExcerpt]),
      [
        [500, 'boom'],
        [200, 'ok'],
      ],
    );
    assert.ok((await messageOf(id)).deliveredAt);
  });

  it('SVC-8: the whole schedule: ten failed attempts over about three days, then given up', async () => {
    await addEndpoint();
    const id = await oneMessage();
    const start = clock.now().getTime();
    for (let i = 0; i < maxAttempts; i++) receiver.replies.push(answer(503));
    for (let i = 0; i < maxAttempts; i++) {
      assert.equal(await run(), 1, `attempt ${i + 1}`);
      const m = await messageOf(id);
      if (i < maxAttempts - 1) clock.set(m.nextAttemptAt!);
    }
    const given = await messageOf(id);
    assert.equal(given.attempts, maxAttempts);
    assert.ok(given.failedAt);
    assert.equal(given.nextAttemptAt, null);
    const hours = (clock.now().getTime() - start) / HOUR;
    assert.ok(hours > 70 && hours < 74, `${hours} h`);
    assert.equal(receiver.received.length, maxAttempts);
    assert.equal(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size, 1);
    clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  });

  it('SVC-8: 410 Gone disables the endpoint and fails the message; its other messages are sent no more', async () => {
    const endpoint = await addEndpoint();
    const first = await oneMessage(['A']);
    const second = await oneMessage(['B']);
    receiver.replies.push(answer(410));
    await run();
    assert.equal(receiver.received.length, 1);
    const [row] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    assert.equal(row.disabledReason, 'gone');
    assert.ok(row.disabledAt);
    assert.ok((await messageOf(first)).failedAt);
    const none = await database.db.transaction((tx) => announce(tx, { type: 'catalogue.changed', at: clock.now(), facts: async () => ({ course_codes: ['C'], session_codes: [], change: 'import' }) }));
    assert.deepEqual(none, [], 'a disabled endpoint gets no new message');
    assert.equal((await messageOf(second)).deliveredAt, null);
  });

  it('SVC-8: a redirect is a failure, not followed', async () => {
    await addEndpoint();
    const id = await oneMessage();
    receiver.replies.push(answer(302, { location: '/elsewhere' }));
    await run();
    assert.deepEqual(
      receiver.received.map((r) => r.path),
      ['/hook'],
    );
    const [attempt] = await attemptsOf(id);
    assert.equal(attempt.statusCode, 302);
    assert.equal(attempt.error, 'redirect');
    const m = await messageOf(id);
    assert.equal(m.deliveredAt, null);
    assert.ok(m.nextAttemptAt);
  });

  it('SVC-8: an endpoint that does not answer in time: a timeout, tried again', async () => {
    await addEndpoint();
    const id = await oneMessage();
    receiver.replies.push(() => undefined); // never answers
    await deliverMessage({ ...deps, timeoutMs: 200 }, id);
    const [attempt] = await attemptsOf(id);
    assert.equal(attempt.statusCode, null);
    assert.equal(attempt.error, 'timeout');
    assert.ok(attempt.durationMs >= 190 && attempt.durationMs < 2_000, String(attempt.durationMs));
    assert.ok((await messageOf(id)).nextAttemptAt);
  });

  it('SVC-8: Retry-After on a 429 is honoured when later than the schedule; the excerpt is at most 1 kB', async () => {
    await addEndpoint();
    const id = await oneMessage();
    receiver.replies.push(answer(429, { 'retry-after': '3600' }, 'x'.repeat(5000)));
    await run();
    const m = await messageOf(id);
    assert.equal(m.nextAttemptAt!.getTime() - clock.now().getTime(), 3600_000);
    const [attempt] = await attemptsOf(id);
    assert.equal(attempt.responseExcerpt!.length, 1024);
  });

  it('SVC-8: a host resolving to a private address is refused (nothing sent), 127.0.0.1 without being allowed too; an allowed host is delivered', async () => {
    const resolve = async () => [{ address: '10.0.0.7', family: 4 }];
    await addEndpoint({ url: 'https://hooks.internal.example/in' });
    const id = await oneMessage();
    await workJobs({ db: database.db, clock, handlers: webhookJobs({ ...deps, resolve }), limit: 10 });
    const [attempt] = await attemptsOf(id);
    assert.equal(attempt.error, 'forbidden address 10.0.0.7');
    assert.equal(attempt.statusCode, null);
    await database.db.execute(sql`delete from ${webhookEndpoints}`);
    await database.db.delete(webhookAllowedHosts);
    try {
      await addEndpoint({ url: receiver.url.replace('http:', 'https:') });
      const loop = await oneMessage();
      await run();
      assert.equal((await attemptsOf(loop))[0].error, 'forbidden address 127.0.0.1');
      assert.equal(receiver.received.length, 0);
    } finally {
      await database.db.insert(webhookAllowedHosts).values({ host: '127.0.0.1', reason: 'the tests’ receiver', allowedAt: clock.now() });
    }
    await database.db.execute(sql`delete from ${webhookEndpoints}`);
    await addEndpoint();
    const allowed = await oneMessage();
    await run();
    assert.ok((await messageOf(allowed)).deliveredAt);
  });

  it('SVC-8: a worker killed mid-delivery: its claim and lease end, the message is claimed again and sent with the same webhook-id, delivered once; the dying attempt, when its connection drops, only adds its line', async () => {
    await addEndpoint();
    const id = await oneMessage();
    let arrived!: (res: ServerResponse) => void;
    const reached = new Promise<ServerResponse>((resolve) => (arrived = resolve));
    receiver.replies.push((res) => arrived(res)); // the request arrives; the worker "dies" before any answer
    const dying = workJobs({ db: database.db, clock, handlers: webhookJobs({ ...deps, timeoutMs: 600_000 }), limit: 10 });
    const hanging = await reached;
    assert.equal(await run(), 0, 'its job is leased');
    assert.equal(await deliverMessage(deps, id), null, 'its message is claimed: no second send meanwhile');
    clock.advance(301_000); // the lease (300 s) ends, and the message's claim (60 s)
    assert.equal(await run(), 1);
    assert.deepEqual(
      receiver.received.map((r) => r.headers['webhook-id']),
      [id, id],
    );
    const delivered = await messageOf(id);
    assert.equal(delivered.deliveredAt?.getTime(), clock.now().getTime());
    assert.equal(delivered.attempts, 1);
    // The dead worker's connection drops: its attempt ends without an answer.
    hanging.socket?.destroy();
    assert.equal(await dying, 1, 'the dying worker ends its job');
    const log = await attemptsOf(id);
    assert.equal(log.length, 2);
    assert.deepEqual([log[0].statusCode, log[0].responseExcerpt], [200, 'ok'], 'the resend');
    assert.equal(log[1].statusCode, null, 'the dying attempt: no answer');
    assert.ok(log[1].error, 'its error is logged');
    const after = await messageOf(id);
    assert.equal(after.deliveredAt?.getTime(), delivered.deliveredAt?.getTime(), 'still delivered');
    assert.equal(after.failedAt, null);
    assert.equal(after.attempts, 1, 'the late attempt counts nothing');
    assert.equal(after.nextAttemptAt, null);
    const left = await database.db.select().from(jobs).where(sql`done_at is null and failed_at is null`);
    assert.deepEqual(left, [], 'no job left to run');
    assert.equal(receiver.received.length, 2, 'nothing sent a third time');
    clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  });

  it('SVC-8: the endpoint’s URL changed while a message waited: nothing goes to the new URL until an administrator replays it', async () => {
    const staff = await buildStaff(database.db, clock, 'admin');
    const admin = { id: staff.userId, role: 'admin' as const };
    const endpoint = await addEndpoint({ types: ['catalogue.changed'] });
    const id = await oneMessage();
    const moved = `${receiver.url}-nouvelle`;
    const changed = await updateEndpoint({ db: database.db, clock }, admin, endpoint.id, { url: moved, description: '', eventTypes: ['catalogue.changed'], personalData: false });
    assert.deepEqual(changed, { ok: true, withheld: 1 });
    await run();
    assert.equal(receiver.received.length, 0, 'not sent to the new URL');
    assert.ok((await messageOf(id)).failedAt);
    assert.deepEqual(await replayMessage({ db: database.db, clock }, admin, { endpointId: endpoint.id, messageId: id }), { ok: true });
    await run();
    assert.deepEqual(
      receiver.received.map((r) => [r.path, r.headers['webhook-id']]),
      [['/hook-nouvelle', id]],
    );
    const log = await attemptsOf(id);
    assert.deepEqual(log.map((a) => [a.statusCode, a.error]), [[null, 'not sent: URL changed'], [200, null]]);
  });

  it('SVC-8: a change rolled back sends nothing (the message is written in its transaction)', async () => {
    await addEndpoint();
    let inside = 0;
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await statusChanged.emit(tx, { applicationId: '00000000-0000-4000-8000-000000000001', learnerId: '00000000-0000-4000-8000-000000000002', sessionId: 1, from: 'confirmed', to: 'accepted', at: clock.now() });
        inside = (await tx.select().from(webhookMessages)).length;
        throw new Error('rolled back');
      }),
    );
    assert.equal(inside, 1, 'written inside the change');
    assert.equal((await database.db.select().from(webhookMessages)).length, 0);
    assert.equal(await run(), 0);
    assert.equal(receiver.received.length, 0);
  });

  it('SVC-8: status changes of a real application are announced, personal data only to a granted endpoint', async () => {
    await buildCatalogue(database.db, clock, [{ code: 'S-HOOK', weekday: 1, startsAt: '18:00', endsAt: '20:00' }]);
    const thin = await addEndpoint({ types: ['application.status_changed'] });
    const granted = await addEndpoint({ types: ['application.status_changed'], personal: true });
    await addEndpoint({ types: ['payment.received'] });
    const learner = await buildLearner(database.db, clock);
    const appDeps = { db: database.db, clock, baseUrl: 'http://localhost' };
    const pre = await preselectSession(appDeps, { learnerId: learner.id, sessionCode: 'S-HOOK' });
    assert.ok(pre.ok);
    const rows = await database.db.select().from(webhookMessages).orderBy(webhookMessages.createdAt);
    assert.deepEqual(rows.map((r) => r.endpointId).sort(), [thin.id, granted.id].sort());
    const data = (endpointId: string) => (rows.find((r) => r.endpointId === endpointId)!.payload as { data: Record<string, unknown> }).data;
    assert.deepEqual(data(thin.id), { application_id: pre.applicationId, session_code: 'S-HOOK', course_code: 'C-S-HOOK', from: null, to: 'preselected' });
    assert.deepEqual(data(granted.id).learner, { id: learner.id, first_name: (data(granted.id).learner as { first_name: string }).first_name, last_name: (data(granted.id).learner as { last_name: string }).last_name, email: learner.email });
    await run();
    assert.equal(receiver.received.length, 2);
    for (const got of receiver.received) assert.match(String(got.headers['webhook-id']), /^msg_[0-9a-f]{32}$/);
    assert.equal(receiver.received.filter((r) => JSON.parse(r.body).data.learner).length, 1, 'the learner only to the granted endpoint');
  });

  it('SVC-8: a catalogue import is one event with its codes, in the import’s transaction', async () => {
    await addEndpoint({ types: ['catalogue.changed'] });
    const example = (name: string) => readFileSync(new URL(`../../../docs/examples/catalogue/${name}.csv`, import.meta.url), 'utf8');
    const report = await importCatalogue(database.db, { periods: example('periods'), schools: example('schools'), courses: example('courses'), sessions: example('sessions') }, clock);
    assert.ok(report.ok);
    const rows = await database.db.select().from(webhookMessages);
    assert.equal(rows.length, 1);
    const data = (rows[0].payload as { data: { change: string; course_codes: string[]; session_codes: string[] } }).data;
    assert.equal(data.change, 'import');
    assert.equal(data.course_codes.length, report.counts.courses);
    assert.equal(data.session_codes.length, report.counts.sessions);
    const refused = await importCatalogue(database.db, { courses: example('sessions') }, clock);
    assert.equal(refused.ok, false);
    assert.equal((await database.db.select().from(webhookMessages)).length, 1, 'a refused import announces nothing');
  });

  it('SVC-8: attempts older than 30 days are pruned, and messages finished before then', async () => {
    await addEndpoint();
    const id = await oneMessage();
    await run();
    clock.advance(31 * 24 * HOUR);
    for (const task of webhooksPruneTasks) await task({ db: database.db, clock });
    assert.equal((await attemptsOf(id)).length, 0);
    assert.equal(await messageOf(id), undefined);
    clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  });

  it('SVC-8: a message whose job was lost is queued again by the worker’s periodic task', async () => {
    await addEndpoint();
    const id = await oneMessage();
    await database.db.execute(sql`delete from ${jobs}`);
    clock.advance(5 * 60_000);
    for (const task of webhooksPruneTasks) await task({ db: database.db, clock });
    await run();
    assert.ok((await messageOf(id)).deliveredAt);
    clock.set(new Date(Math.floor(Date.now() / 1000) * 1000));
  });
});
