import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { buildLearner, buildStaff } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { acceptedApplicants, awaitingPayment } from '../../../test/payments';
import type { Database, Tx } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { jobs } from '../../platform/platform.table';
import { deletePreselection, preselectSession, statusChanged } from '../applications';
import { applications } from '../applications/applications.table';
import { catalogueChanged, importCatalogue } from '../catalogue';
import { courseSessions, courses } from '../catalogue/catalogue.table';
import { changeSession, sessionCancelled } from '../cancellations';
import { paymentReceived, recordSchoolPayment, type SchoolDeps } from '../payments';
import { payments } from '../payments/payments.table';
import { deliverJob } from './delivery';
import type { WebhookEventType } from './events';
import { webhookEndpoints, webhookMessages, webhookSecrets } from './webhooks.table';
import './index';

/**
 * SVC-8: each real emitter's change writes its messages in its own transaction. A subscriber
 * this file adds after the webhooks module's (so the messages are already written) throws when
 * the test asks: the change's transaction fails after the hook ran, and nothing may be left.
 */
type Emitter = 'statusChanged' | 'paymentReceived' | 'sessionCancelled' | 'catalogueChanged';
const typeOf: Record<Emitter, WebhookEventType> = {
  statusChanged: 'application.status_changed',
  paymentReceived: 'payment.received',
  sessionCancelled: 'session.cancelled',
  catalogueChanged: 'catalogue.changed',
};
let failing: Emitter | null = null;
/** How many messages of the event's type the transaction held when it failed. */
let writtenBeforeFailure = -1;
const failAfterTheHook = (emitter: Emitter) => async (tx: Tx) => {
  if (failing !== emitter) return;
  failing = null;
  writtenBeforeFailure = (await tx.select().from(webhookMessages).where(eq(webhookMessages.eventType, typeOf[emitter]))).length;
  throw new Error(`${emitter}: the change fails after the hook`);
};
statusChanged.subscribe(failAfterTheHook('statusChanged'));
paymentReceived.subscribe(failAfterTheHook('paymentReceived'));
sessionCancelled.subscribe(failAfterTheHook('sessionCancelled'));
catalogueChanged.subscribe(failAfterTheHook('catalogueChanged'));

describe('SVC-8 webhooks: every emitter’s real change, rolled back or committed', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: SchoolDeps & { clock: FixedClock };
  let subscribed: string[];
  let granted: string;

  async function addEndpoint(input: { url: string; personal?: boolean; disabled?: boolean }) {
    const now = clock.now();
    const [row] = await database.db
      .insert(webhookEndpoints)
      .values({
        url: input.url,
        eventTypes: Object.values(typeOf),
        personalData: input.personal ?? false,
        createdAt: now,
        updatedAt: now,
        ...(input.disabled ? { disabledAt: now, disabledReason: 'staff' } : {}),
      })
      .returning();
    await database.db.insert(webhookSecrets).values({ endpointId: row.id, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', createdAt: now });
    return row.id;
  }
  const messagesOf = (type: WebhookEventType) => database.db.select().from(webhookMessages).where(eq(webhookMessages.eventType, type));
  const deliveryJobs = () => database.db.select().from(jobs).where(eq(jobs.kind, deliverJob));

  /** The change rolled back: its hook had written the messages, none is left, nor any delivery job. */
  async function assertRolledBack(emitter: Emitter, change: () => Promise<unknown>) {
    failing = emitter;
    writtenBeforeFailure = -1;
    await assert.rejects(change(), new RegExp(`${emitter}: the change fails after the hook`));
    assert.equal(writtenBeforeFailure, subscribed.length, 'the hook had written one message per subscribed endpoint');
    assert.deepEqual(await messagesOf(typeOf[emitter]), [], 'no message left');
    assert.deepEqual(await database.db.select().from(webhookMessages), [], 'nor any other of the change');
    assert.deepEqual(await deliveryJobs(), [], 'no delivery job');
  }
  /** The change committed: exactly one message per subscribed endpoint (none for the disabled one), each with its delivery job. */
  async function assertOnePerEndpoint(type: WebhookEventType) {
    const rows = await messagesOf(type);
    assert.deepEqual(rows.map((r) => r.endpointId).sort(), [...subscribed].sort());
    const queued = (await deliveryJobs()).map((j) => (j.payload as { messageId: string }).messageId);
    for (const row of rows) assert.equal(queued.filter((id) => id === row.id).length, 1, `one delivery job for ${row.id}`);
    return rows;
  }
  const dataOf = (row: typeof webhookMessages.$inferSelect) => (row.payload as { data: Record<string, unknown> }).data;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' };
    await buildCatalogue(database.db, clock, [
      { code: 'S-EMIT', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-GONE', weekday: 2, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-PAID', weekday: 3, startsAt: '18:00', endsAt: '20:00' },
    ]);
    const thin = await addEndpoint({ url: 'https://portail.example.org/in' });
    granted = await addEndpoint({ url: 'https://social.example.org/in', personal: true });
    await addEndpoint({ url: 'https://ancien.example.org/in', disabled: true });
    subscribed = [thin, granted];
  });
  beforeEach(async () => {
    failing = null;
    await database.db.execute(sql`delete from ${webhookMessages}`);
    await database.db.execute(sql`delete from ${jobs}`);
  });
  after(() => database.close());

  it('SVC-8 applications’ statusChanged: a preselection whose transaction fails after the hook leaves no message and no job; committed, one message per subscribed endpoint', async () => {
    const learner = await buildLearner(database.db, clock);
    await assertRolledBack('statusChanged', () => preselectSession(deps, { learnerId: learner.id, sessionCode: 'S-EMIT' }));
    assert.deepEqual(await database.db.select().from(applications).where(eq(applications.learnerId, learner.id)), [], 'the preselection was undone');
    const pre = await preselectSession(deps, { learnerId: learner.id, sessionCode: 'S-EMIT' });
    assert.ok(pre.ok);
    const rows = await assertOnePerEndpoint('application.status_changed');
    for (const row of rows) assert.deepEqual([dataOf(row).application_id, dataOf(row).from, dataOf(row).to], [pre.applicationId, null, 'preselected']);
  });

  it('SVC-8 APP-6 a preselection the learner deletes is announced: status_changed from preselected to "deleted" (the learner only to the granted endpoint); the deletion rolled back announces nothing', async () => {
    const learner = await buildLearner(database.db, clock);
    const pre = await preselectSession(deps, { learnerId: learner.id, sessionCode: 'S-EMIT' });
    assert.ok(pre.ok);
    await database.db.execute(sql`delete from ${webhookMessages}`);
    await database.db.execute(sql`delete from ${jobs}`);
    await assertRolledBack('statusChanged', () => deletePreselection(deps, { learnerId: learner.id, applicationId: pre.applicationId }));
    assert.equal((await database.db.select().from(applications).where(eq(applications.id, pre.applicationId))).length, 1, 'the preselection is still there');
    assert.deepEqual(await deletePreselection(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true });
    assert.deepEqual(await database.db.select().from(applications).where(eq(applications.id, pre.applicationId)), [], 'deleted');
    const rows = await assertOnePerEndpoint('application.status_changed');
    for (const row of rows) {
      const data = dataOf(row);
      assert.deepEqual([data.application_id, data.session_code, data.course_code, data.from, data.to], [pre.applicationId, 'S-EMIT', 'C-S-EMIT', 'preselected', 'deleted']);
      assert.equal(data.learner !== undefined, row.endpointId === granted, 'personal fields only for the granted endpoint');
    }
    assert.equal((dataOf(rows.find((r) => r.endpointId === granted)!).learner as { email: string }).email, learner.email);
  });

  it('SVC-8 cancellations’ sessionCancelled: a cancellation whose transaction fails after the hook leaves no message and no job, and the session runs; committed, one message per subscribed endpoint', async () => {
    const admin = await buildStaff(database.db, clock, 'admin');
    const cancel = () =>
      changeSession(deps, { id: admin.userId, role: 'admin' }, { sessionCode: 'S-GONE', kind: 'cancelled', reason: 'too_few_learners', message: 'Trop peu d’inscrits.', method: 'transfer' });
    await assertRolledBack('sessionCancelled', cancel);
    const [session] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'S-GONE'));
    assert.equal(session.cancelledAt, null, 'the cancellation was undone');
    const done = await cancel();
    assert.ok(done.ok, JSON.stringify(done));
    const rows = await assertOnePerEndpoint('session.cancelled');
    for (const row of rows) assert.deepEqual(dataOf(row), { session_code: 'S-GONE', course_code: 'C-S-GONE', reason: 'too_few_learners' });
  });

  it('SVC-8 catalogue’s catalogueChanged: an import whose transaction fails after the hook leaves no message, no job and no course; committed, one message per subscribed endpoint', async () => {
    const example = (name: string) => readFileSync(new URL(`../../../docs/examples/catalogue/${name}.csv`, import.meta.url), 'utf8');
    const files = { periods: example('periods'), schools: example('schools'), courses: example('courses'), sessions: example('sessions') };
    const coursesBefore = (await database.db.select().from(courses)).length;
    await assertRolledBack('catalogueChanged', () => importCatalogue(database.db, files, clock));
    assert.equal((await database.db.select().from(courses)).length, coursesBefore, 'the import was undone');
    const report = await importCatalogue(database.db, files, clock);
    assert.ok(report.ok);
    const rows = await assertOnePerEndpoint('catalogue.changed');
    for (const row of rows) assert.equal((dataOf(row).course_codes as string[]).length, report.counts.courses);
  });

  it('SVC-8 payments’ paymentReceived: a payment whose transaction fails after the hook leaves no message and no job, and nothing is paid; committed, one message per subscribed endpoint', async () => {
    // Last: accepting the applicants closes the open period.
    const accepted = await acceptedApplicants(deps, { 'S-PAID': 1 });
    const { head, payments: due } = await awaitingPayment(deps, 'S-PAID', accepted['S-PAID']);
    const [learner] = accepted['S-PAID'];
    await database.db.execute(sql`delete from ${webhookMessages}`);
    await database.db.execute(sql`delete from ${jobs}`);
    const pay = () => recordSchoolPayment(deps, { id: head.userId, role: 'school_head' }, learner.applicationId, { method: 'cheque', chequeNumber: '0012345', bank: 'Banque test', payerName: 'Léa Durand' });
    await assertRolledBack('paymentReceived', pay);
    const [still] = await database.db.select().from(payments).where(eq(payments.id, due[0].id));
    assert.equal(still.status, 'due', 'the payment was undone');
    const paid = await pay();
    assert.ok(paid.ok, JSON.stringify(paid));
    const rows = await assertOnePerEndpoint('payment.received');
    for (const row of rows) assert.deepEqual([dataOf(row).payment_id, dataOf(row).application_id, dataOf(row).method], [due[0].id, learner.applicationId, 'cheque']);
    // The same transaction announced the enrolment too, once per endpoint.
    assert.deepEqual((await assertOnePerEndpoint('application.status_changed')).map((r) => dataOf(r).to), ['enrolled', 'enrolled']);
  });
});
