import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { count, eq, isNotNull, sql } from 'drizzle-orm';
import fastify from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import { SMTPServer } from 'smtp-server';
import { createTestDatabase } from '../../test/db';
import { connect, type Database } from '../db/database';
import { audit } from './audit';
import { FixedClock } from './clock';
import { combineJobHandlers, enqueueJob, workJobs } from './jobs';
import { createMailTransport, deliverOutbox, queueEmail } from './outbox';
import { auditLog, jobs, outbox, policySettings } from './platform.table';
import { defaultPolicies, getPolicies, setPolicy } from './policies';
import { closeBatchedCounters, extraRateLimit, hitCounter, postgresRateLimitStore, type BatchedRateLimitOptions } from './rate-limit';
import { pruneExpired, startWorker, type PruneTask } from './worker';

describe('platform', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('jobs: four workers on separate connections run each of 40 jobs exactly once (SKIP LOCKED)', async () => {
    for (let i = 0; i < 40; i++) await enqueueJob(database.db, { kind: 'count', payload: { i }, runAt: clock.now() });
    const runs = new Map<number, number>();
    const handlers = {
      count: async (payload: Record<string, unknown>) => {
        const i = Number(payload.i);
        runs.set(i, (runs.get(i) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
      },
    };
    const workers = Array.from({ length: 4 }, () => connect(database.url, { max: 1 }));
    try {
      await Promise.all(
        workers.map(async (w) => {
          while ((await workJobs({ db: w.db, clock, handlers, limit: 3 })) > 0);
        }),
      );
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    assert.equal(runs.size, 40);
    assert.ok([...runs.values()].every((n) => n === 1), 'no job ran twice');
    const [done] = await database.db.select({ n: count() }).from(jobs).where(isNotNull(jobs.doneAt));
    assert.equal(done.n, 40);
  });

  it('jobs: a failing job is retried later, then marked failed after its attempts', async () => {
    const id = await enqueueJob(database.db, { kind: 'broken', runAt: clock.now(), maxAttempts: 2 });
    const handlers = { broken: async () => Promise.reject(new Error('boom')) };
    await workJobs({ db: database.db, clock, handlers });
    let [job] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    assert.equal(job.attempts, 1);
    assert.equal(job.lastError, 'boom');
    assert.equal(job.failedAt, null);
    assert.equal(await workJobs({ db: database.db, clock, handlers }), 0, 'not due yet');
    clock.advance(60_000);
    await workJobs({ db: database.db, clock, handlers });
    [job] = await database.db.select().from(jobs).where(eq(jobs.id, id));
    assert.ok(job.failedAt, 'failed after two attempts');
  });

  it('issue 19 worker.stop() (SIGTERM): the job running finishes and is recorded done; the jobs claimed with it and not started are released at once (attempt not counted), so another process takes them without waiting for the lease', async () => {
    await database.db.delete(jobs);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await enqueueJob(database.db, { kind: 'slow', payload: { i }, runAt: clock.now() }));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let finish!: () => void;
    const held = new Promise<void>((r) => (finish = r));
    const ran: number[] = [];
    const handlers = {
      slow: async (payload: Record<string, unknown>) => {
        ran.push(Number(payload.i));
        started();
        await held;
      },
    };
    const worker = startWorker({ db: database.db, clock, transport: createMailTransport(undefined), from: 'cursus@example.org', jobs: [handlers], prune: [], intervalMs: 20 });
    await running;
    // The worker claimed the three at once (one lease): none is free for another process now.
    const leased = await database.db.select().from(jobs).where(isNotNull(jobs.lockedUntil));
    assert.equal(leased.length, 3, 'the three jobs are claimed by the worker');

    let stopped = false;
    const stop = worker.stop().then(() => void (stopped = true));
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(stopped, false, 'the stop waits for the job in hand');
    finish();
    await stop;
    assert.deepEqual(ran, [0], 'no job is started once the stop has begun');

    const rows = new Map((await database.db.select().from(jobs)).map((j) => [j.id, j]));
    const first = rows.get(ids[0])!;
    assert.ok(first.doneAt, 'the job that was running is finished and recorded done');
    assert.equal(first.lockedUntil, null);
    for (const id of ids.slice(1)) {
      const job = rows.get(id)!;
      assert.equal(job.doneAt, null);
      assert.equal(job.lockedUntil, null, 'released: no lease left to wait for');
      assert.equal(job.attempts, 0, 'the attempt it never made is not counted');
    }
    // Another process, at the same instant (the lease would have lasted five minutes): it takes them now.
    const other = connect(database.url, { max: 1 });
    try {
      assert.equal(await workJobs({ db: other.db, clock, handlers: { slow: async (payload) => void ran.push(Number(payload.i)) } }), 2);
    } finally {
      await other.close();
    }
    assert.deepEqual(ran, [0, 1, 2]);
  });

  it('outbox: an email exists only if its transaction commits', async () => {
    await assert.rejects(
      database.db.transaction(async (tx) => {
        await queueEmail(tx, { to: 'rollback@example.org', subject: 'Never', text: 'x' });
        throw new Error('the change failed');
      }),
    );
    const rows = await database.db.select().from(outbox).where(eq(outbox.to, 'rollback@example.org'));
    assert.equal(rows.length, 0);
  });

  it('SVC-3 outbox: SMTP_URL sends real email through SMTP, from the one configured sender', async () => {
    const received: { from: string; to: string; data: string }[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo[0].address, data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as { port: number }).port;
    const transport = createMailTransport(`smtp://127.0.0.1:${port}`);
    try {
      await queueEmail(database.db, { to: 'lea@example.org', subject: 'Activez votre compte', text: 'Bonjour Léa' });
      const sent = await deliverOutbox({ db: database.db, transport, from: 'CMA <ne-pas-repondre@paris.example>' });
      assert.ok(sent >= 1);
      const mail = received.find((m) => m.to === 'lea@example.org');
      assert.ok(mail, 'the SMTP server received the email');
      assert.equal(mail.from, 'ne-pas-repondre@paris.example');
      assert.match(mail.data, /Subject: Activez votre compte/);
      const [row] = await database.db.select().from(outbox).where(eq(outbox.to, 'lea@example.org'));
      assert.ok(row.sentAt);
      assert.equal(row.transport, 'smtp');
    } finally {
      transport.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('outbox: an SMTP failure is kept for a later attempt, nothing lost', async () => {
    await queueEmail(database.db, { to: 'later@example.org', subject: 'Later', text: 'x' });
    const transport = createMailTransport('smtp://127.0.0.1:1');
    await deliverOutbox({ db: database.db, transport, from: 'x@example.org' });
    transport.close();
    const [row] = await database.db.select().from(outbox).where(eq(outbox.to, 'later@example.org'));
    assert.equal(row.sentAt, null);
    assert.ok(row.lastError);
    assert.ok(row.nextAttemptAt.getTime() > row.createdAt.getTime(), 'retried later');
  });

  it('policies: SPEC defaults, overridden by an administrator, an invalid stored value ignored', async () => {
    assert.equal(defaultPolicies.maxActiveApplications, 3);
    assert.equal(defaultPolicies.cashPaymentLimitCents, 30_000);
    assert.equal(defaultPolicies.attendanceCertificatePercent, 75);
    assert.equal(defaultPolicies.minimumAge, 18);
    await setPolicy(database.db, 'maxActiveApplications', 4);
    await database.db.insert(policySettings).values({ key: 'minimumAge', value: 'not a number' });
    const policies = await getPolicies(database.db);
    assert.equal(policies.maxActiveApplications, 4);
    assert.equal(policies.minimumAge, 18);
    await assert.rejects(setPolicy(database.db, 'attendanceCertificatePercent', 150));
  });

  it('rate-limit counters are shared by every connection (several app processes)', async () => {
    const other = connect(database.url, { max: 2 });
    try {
      await Promise.all([hitCounter(database.db, 'shared', 60_000), hitCounter(other.db, 'shared', 60_000), hitCounter(other.db, 'shared', 60_000)]);
      assert.equal((await hitCounter(database.db, 'shared', 60_000)).count, 4);
    } finally {
      await other.close();
    }
  });

  it('ACC-1 ACC-3 ACC-4 each limited route counts on its own: posts to one never use up another\'s limit', async () => {
    const app = fastify();
    await app.register(fastifyRateLimit, { global: false, store: postgresRateLimitStore(database.db) });
    const limited = { config: { rateLimit: { max: 2, timeWindow: 60_000 } } };
    app.post('/connexion', limited, async () => 'ok');
    app.post('/inscription', limited, async () => 'ok');
    app.post('/mot-de-passe-oublie', limited, async () => 'ok');
    try {
      const post = async (url: string) => (await app.inject({ method: 'POST', url })).statusCode;
      assert.deepEqual([await post('/connexion'), await post('/connexion'), await post('/connexion')], [200, 200, 429]);
      assert.deepEqual([await post('/inscription'), await post('/mot-de-passe-oublie')], [200, 200], 'another route has its own counter');
      const keys = await database.db.execute<{ key: string }>(sql`select key from rate_limit_counters where key like 'rl:%' order by key`);
      assert.deepEqual(
        keys.rows.map((r) => r.key),
        ['rl:POST:/connexion:127.0.0.1', 'rl:POST:/inscription:127.0.0.1', 'rl:POST:/mot-de-passe-oublie:127.0.0.1'],
      );
    } finally {
      await app.close();
    }
  });

  it('a second limit on a route counts under its groupId, beside the route\'s own; without a groupId it refuses to start', async () => {
    const app = fastify();
    await app.register(fastifyRateLimit, { global: false, store: postgresRateLimitStore(database.db) });
    assert.throws(() => app.createRateLimit({ max: 1 }), /needs a groupId/);
    const perGroup = extraRateLimit(app, { max: 2, timeWindow: 60_000, groupId: 'test-group' });
    app.post('/a', { preHandler: perGroup, config: { rateLimit: { max: 10, timeWindow: 60_000 } } }, async () => 'ok');
    try {
      const post = async () => (await app.inject({ method: 'POST', url: '/a' })).statusCode;
      assert.deepEqual([await post(), await post(), await post()], [200, 200, 429]);
      const keys = await database.db.execute<{ key: string; count: number }>(sql`select key, count from rate_limit_counters where key like 'rl:%/a:%' or key like 'rl:test-group:%' order by key`);
      assert.deepEqual(keys.rows, [
        { key: 'rl:POST:/a:127.0.0.1', count: 3 },
        { key: 'rl:test-group:127.0.0.1', count: 3 },
      ]);
    } finally {
      await app.close();
    }
  });

  it('SVC-8 a batched limit (decision 024): two app instances on one database share the count, each adding its hits every flush, and a quiet instance asks again', async () => {
    const other = connect(database.url, { max: 2 });
    const instance = async (db: typeof database.db) => {
      const app = fastify();
      await app.register(fastifyRateLimit, { global: false, store: postgresRateLimitStore(db) });
      const limit = app.createRateLimit({ groupId: 'batched-test', flushMs: 50, max: 5, timeWindow: 60_000 } as Parameters<typeof app.createRateLimit>[0] & BatchedRateLimitOptions);
      app.get('/x', async (request, reply) => {
        const result = await limit(request);
        return !result.isAllowed && result.isExceeded ? reply.code(429).send() : 'ok';
      });
      app.addHook('onClose', async () => closeBatchedCounters(db));
      return app;
    };
    const [one, two] = [await instance(database.db), await instance(other.db)];
    const shared = async () => (await database.db.execute<{ count: number }>(sql`select count from rate_limit_counters where key = 'rl:batched-test:127.0.0.1'`)).rows[0]?.count;
    const get = async (app: typeof one) => (await app.inject({ method: 'GET', url: '/x' })).statusCode;
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      assert.deepEqual([await get(one), await get(one), await get(one)], [200, 200, 200]);
      assert.equal(await shared(), 1, 'the first hit went to PostgreSQL; the next two are in memory');
      await wait(150);
      assert.equal(await shared(), 3, 'flushed');
      assert.deepEqual([await get(two), await get(two), await get(two)], [200, 200, 429], 'the second instance counts on from the first one\'s 3');
      await wait(150);
      assert.equal(await shared(), 6);
      assert.equal(await get(one), 429, 'the first instance, quiet for two periods, asks again and hears the second one\'s hits');
      await two.close();
      await one.close();
      assert.equal(await shared(), 7, 'closing adds what was left: every hit counted once');
    } finally {
      await other.close();
    }
  });

  it('audit entries record who did what', async () => {
    await audit(database.db, clock, { action: 'test.done', data: { ok: true } });
    const [row] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'test.done'));
    assert.deepEqual(row.data, { ok: true });
    assert.equal(row.at.toISOString(), clock.now().toISOString());
  });

  it('worker: the modules give their job handlers and prune tasks; two handlers for one kind are refused', async () => {
    const noop = async () => {};
    assert.deepEqual(Object.keys(combineJobHandlers([{ a: noop }, { b: noop }])), ['a', 'b']);
    assert.throws(() => combineJobHandlers([{ a: noop }, { a: noop }]), /two handlers for job kind "a"/);
    await hitCounter(database.db, 'to-prune', 1);
    await new Promise((r) => setTimeout(r, 20));
    const ran: Date[] = [];
    const task: PruneTask = async (deps) => void ran.push(deps.clock.now());
    await pruneExpired(database.db, clock, [task]);
    assert.deepEqual(ran, [clock.now()]);
    const left = await database.db.execute(sql`select 1 from rate_limit_counters where key = 'to-prune'`);
    assert.equal(left.rows.length, 0, 'the platform still prunes its own expired counters');
  });
});
