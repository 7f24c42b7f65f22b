import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, desc, eq, like } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { jobPending } from '../../platform/jobs';
import { auditLog } from '../../platform/platform.table';
import {
  allowHost,
  createEndpoint,
  endpointMessages,
  getEndpoint,
  listAllowedHosts,
  listEndpoints,
  messageDetail,
  removeAllowedHost,
  replayMessage,
  rotateSecret,
  setEndpointDisabled,
  updateEndpoint,
  webhookRecipients,
  type WebhookActor,
} from './admin.service';
import { deliverJob } from './delivery';
import { payloadFields } from './events';
import { webhookAttempts, webhookEndpoints, webhookMessages, webhookSecrets } from './webhooks.table';
import { webhooksDataSet } from './webhooks.personal';
import { defaultPolicies } from '../../platform/policies';

describe('SVC-8 the administrator’s webhook endpoints (service)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-10-01T08:00:00Z'));
  let deps: { db: Database['db']; clock: FixedClock };
  let admin: WebhookActor;
  let coordinator: WebhookActor;
  const input = (overrides: Partial<Parameters<typeof createEndpoint>[2]> = {}) => ({
    url: 'https://portail.paris.fr/hooks/cursus',
    description: 'Portail de la Ville',
    eventTypes: ['application.status_changed' as const],
    personalData: false,
    ...overrides,
  });
  const secretsOf = (endpointId: string) => database.db.select().from(webhookSecrets).where(eq(webhookSecrets.endpointId, endpointId)).orderBy(webhookSecrets.id);
  const auditActions = async (prefix = 'webhooks.') => (await database.db.select().from(auditLog).where(like(auditLog.action, `${prefix}%`)).orderBy(auditLog.id)).map((r) => r.action);

  /** A message as the delivery core writes it (its service is not this side's). */
  async function writeMessage(endpointId: string, id: string, overrides: Partial<typeof webhookMessages.$inferInsert> = {}) {
    await database.db.insert(webhookMessages).values({
      id,
      endpointId,
      eventType: 'application.status_changed',
      payload: { type: 'application.status_changed', timestamp: clock.now().toISOString(), data: { application_id: 'app-1', from: 'submitted', to: 'accepted' } },
      createdAt: clock.now(),
      ...overrides,
    });
  }

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock };
    const [a, k] = await Promise.all([buildStaff(database.db, clock, 'admin'), buildStaff(database.db, clock, 'coordinator')]);
    admin = { id: a.userId, role: 'admin' };
    coordinator = { id: k.userId, role: 'coordinator' };
  });
  after(() => database.close());

  it('SVC-8 an administrator registers an endpoint: HTTPS URL, its types in the vocabulary’s order, its own whsec_ secret returned once, audited without the secret', async () => {
    const created = await createEndpoint(deps, admin, input({ eventTypes: ['payment.received', 'application.status_changed', 'payment.received'] }));
    assert.ok(created.ok, JSON.stringify(created));
    assert.match(created.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const endpoint = await getEndpoint(database.db, admin, created.endpointId);
    assert.deepEqual(endpoint?.eventTypes, ['application.status_changed', 'payment.received']);
    assert.equal(endpoint?.createdBy, admin.id);
    const secrets = await secretsOf(created.endpointId);
    assert.equal(secrets.length, 1);
    assert.equal(secrets[0].secret, created.secret);
    assert.equal(secrets[0].expiresAt, null);
    const [row] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'webhooks.endpointCreated'));
    assert.equal(row.actorId, admin.id);
    assert.doesNotMatch(JSON.stringify(row.data), /whsec_/, 'the audit never holds a secret');
    const other = await createEndpoint(deps, admin, input());
    assert.ok(other.ok);
    assert.notEqual(other.secret, created.secret, 'each endpoint has its own secret');
  });

  it('SVC-8 only an administrator: a coordinator is refused everything, nothing is written', async () => {
    const created = await createEndpoint(deps, admin, input());
    assert.ok(created.ok);
    const before = await auditActions();
    for (const refusal of [
      await createEndpoint(deps, coordinator, input()),
      await updateEndpoint(deps, coordinator, created.endpointId, input()),
      await setEndpointDisabled(deps, coordinator, created.endpointId, true),
      await rotateSecret(deps, coordinator, created.endpointId),
      await allowHost(deps, coordinator, { host: 'x.internal', reason: 'x' }),
      await removeAllowedHost(deps, coordinator, { host: 'x.internal' }),
      await endpointMessages(deps, coordinator, created.endpointId),
      await messageDetail(deps, coordinator, { endpointId: created.endpointId, messageId: 'msg_x' }),
      await replayMessage(deps, coordinator, { endpointId: created.endpointId, messageId: 'msg_x' }),
    ])
      assert.deepEqual(refusal, { ok: false, code: 'forbidden' });
    // The reads too, whatever the route checked: the endpoints, one endpoint, the allowed hosts.
    for (const read of [() => listEndpoints(deps, coordinator), () => getEndpoint(database.db, coordinator, created.endpointId), () => listAllowedHosts(database.db, coordinator)])
      await assert.rejects(read(), (error: Error & { code?: string }) => error.code === 'forbidden');
    // The DPO's list is the processing register's readers' (a coordinator reads it), not a trainer's.
    assert.ok((await webhookRecipients(database.db, coordinator)).some((r) => r.id === created.endpointId));
    await assert.rejects(webhookRecipients(database.db, { id: coordinator.id, role: 'trainer' }), (error: Error & { code?: string }) => error.code === 'forbidden');
    assert.deepEqual(await auditActions(), before);
    assert.equal((await secretsOf(created.endpointId)).length, 1);
  });

  it('SVC-8 a URL on a private address, plain HTTP or with no type is refused next to its field; an allowed host is accepted, also over HTTP', async () => {
    for (const [url, message] of [
      ['https://10.0.0.8/hooks', 'webhooks.err.urlPrivate'],
      ['https://[::1]/hooks', 'webhooks.err.urlPrivate'],
      ['http://portail.paris.fr/hooks', 'webhooks.err.urlHttps'],
      ['not a url', 'webhooks.err.url'],
    ] as const)
      assert.deepEqual(await createEndpoint(deps, admin, input({ url })), { ok: false, code: 'invalid', field: 'url', error: { message } }, url);
    assert.deepEqual(await createEndpoint(deps, admin, input({ eventTypes: [] })), { ok: false, code: 'invalid', field: 'eventTypes', error: { message: 'webhooks.err.noType' } });

    assert.deepEqual(await allowHost(deps, admin, { host: 'https://x', reason: 'x' }), { ok: false, code: 'invalid', field: 'host', error: { message: 'webhooks.err.host' } });
    const allowed = await allowHost(deps, admin, { host: ' 127.0.0.1 ', reason: 'Le récepteur des tests' });
    assert.deepEqual(allowed, { ok: true, host: '127.0.0.1' });
    const local = await createEndpoint(deps, admin, input({ url: 'http://127.0.0.1:9999/in' }));
    assert.ok(local.ok, JSON.stringify(local));
    assert.deepEqual(await allowHost(deps, admin, { host: '127.0.0.1', reason: 'Récepteur local' }), { ok: true, host: '127.0.0.1' }, 'allowing again changes the reason');
    assert.ok((await removeAllowedHost(deps, admin, { host: '127.0.0.1' })).ok);
    assert.deepEqual(await removeAllowedHost(deps, admin, { host: '127.0.0.1' }), { ok: false, code: 'not_found' });
    assert.deepEqual((await createEndpoint(deps, admin, input({ url: 'http://127.0.0.1:9999/in' }))).ok, false, 'no longer allowed');
    const actions = await auditActions('webhooks.host');
    assert.deepEqual(actions, ['webhooks.hostAllowed', 'webhooks.hostAllowed', 'webhooks.hostRemoved']);
  });

  it('SVC-8 an administrator edits an endpoint (types, personal data granted) and disables and enables it; audited with what changed', async () => {
    const created = await createEndpoint(deps, admin, input());
    assert.ok(created.ok);
    const edited = await updateEndpoint(deps, admin, created.endpointId, input({ url: 'https://entrepot.paris.fr/in', eventTypes: ['session.cancelled', 'catalogue.changed'], personalData: true }));
    assert.deepEqual(edited, { ok: true, withheld: 0 });
    const endpoint = await getEndpoint(database.db, admin, created.endpointId);
    assert.deepEqual([endpoint?.url, endpoint?.eventTypes, endpoint?.personalData], ['https://entrepot.paris.fr/in', ['session.cancelled', 'catalogue.changed'], true]);
    assert.deepEqual(await updateEndpoint(deps, admin, '00000000-0000-4000-8000-000000000000', input()), { ok: false, code: 'not_found' });

    assert.deepEqual(await setEndpointDisabled(deps, admin, created.endpointId, true), { ok: true });
    const disabled = await getEndpoint(database.db, admin, created.endpointId);
    assert.deepEqual([disabled?.disabledReason, disabled?.disabledAt?.toISOString()], ['staff', clock.now().toISOString()]);
    assert.deepEqual(await setEndpointDisabled(deps, admin, created.endpointId, true), { ok: true }, 'twice: nothing more');
    // The endpoint answered 410 meanwhile (the delivery core's doing): enabling it again is the administrator's.
    await database.db.update(webhookEndpoints).set({ disabledReason: 'gone' }).where(eq(webhookEndpoints.id, created.endpointId));
    assert.deepEqual(await setEndpointDisabled(deps, admin, created.endpointId, false), { ok: true });
    const enabled = await getEndpoint(database.db, admin, created.endpointId);
    assert.deepEqual([enabled?.disabledAt, enabled?.disabledReason], [null, null]);
    const rows = await database.db.select().from(auditLog).where(like(auditLog.action, 'webhooks.endpoint%')).orderBy(auditLog.id);
    const update = rows.find((r) => r.action === 'webhooks.endpointUpdated')!;
    assert.deepEqual((update.data as { from: { url: string } }).from.url, 'https://portail.paris.fr/hooks/cursus');
    assert.deepEqual(rows.filter((r) => (r.data as { endpointId: string }).endpointId === created.endpointId).map((r) => r.action), [
      'webhooks.endpointCreated',
      'webhooks.endpointUpdated',
      'webhooks.endpointDisabled',
      'webhooks.endpointEnabled',
    ]);
    assert.deepEqual(rows.at(-1)!.data, { endpointId: created.endpointId, wasDisabled: 'gone' });
  });

  it('SVC-8 rotating the secret: a new one, shown once; the old one keeps signing 24 h (expires_at); a second rotation keeps the first one’s end; expired ones go', async () => {
    const created = await createEndpoint(deps, admin, input());
    assert.ok(created.ok);
    const first = await rotateSecret(deps, admin, created.endpointId);
    assert.ok(first.ok);
    assert.notEqual(first.secret, created.secret);
    assert.equal(first.previousValidUntil.toISOString(), '2026-10-02T08:00:00.000Z');
    let secrets = await secretsOf(created.endpointId);
    assert.deepEqual(
      secrets.map((s) => [s.secret, s.expiresAt?.toISOString() ?? null]),
      [
        [created.secret, '2026-10-02T08:00:00.000Z'],
        [first.secret, null],
      ],
    );
    clock.advance(3_600_000);
    const second = await rotateSecret(deps, admin, created.endpointId);
    assert.ok(second.ok);
    secrets = await secretsOf(created.endpointId);
    assert.deepEqual(
      secrets.map((s) => [s.secret, s.expiresAt?.toISOString() ?? null]),
      [
        [created.secret, '2026-10-02T08:00:00.000Z'],
        [first.secret, '2026-10-02T09:00:00.000Z'],
        [second.secret, null],
      ],
    );
    clock.advance(25 * 3_600_000);
    const third = await rotateSecret(deps, admin, created.endpointId);
    assert.ok(third.ok);
    assert.deepEqual((await secretsOf(created.endpointId)).map((s) => s.secret), [second.secret, third.secret], 'the expired secrets are deleted');
    assert.deepEqual(await rotateSecret(deps, admin, '00000000-0000-4000-8000-000000000000'), { ok: false, code: 'not_found' });
    const audits = await database.db.select().from(auditLog).where(eq(auditLog.action, 'webhooks.secretRotated'));
    assert.ok(audits.length >= 3);
    assert.doesNotMatch(JSON.stringify(audits.map((a) => a.data)), /whsec_/);
    // Two rotations at once: one after the other (the endpoint is locked), one current secret left.
    const [a, b] = await Promise.all([rotateSecret(deps, admin, created.endpointId), rotateSecret(deps, admin, created.endpointId)]);
    assert.ok(a.ok && b.ok);
    assert.equal((await secretsOf(created.endpointId)).filter((s) => s.expiresAt === null).length, 1);
  });

  it('SVC-8 replay: the same message id is scheduled again now (a delivery job queued), delivered/failed cleared, who and when kept; refused while disabled; odd ids are not found', async () => {
    const created = await createEndpoint(deps, admin, input());
    assert.ok(created.ok);
    const id = 'msg_replay1';
    await writeMessage(created.endpointId, id, { attempts: 9, failedAt: clock.now(), nextAttemptAt: null });
    await database.db.insert(webhookAttempts).values({ messageId: id, at: clock.now(), statusCode: 500, error: null, durationMs: 12, responseExcerpt: 'oops' });
    clock.advance(60_000);
    assert.deepEqual(await replayMessage(deps, admin, { endpointId: created.endpointId, messageId: id }), { ok: true });
    const [message] = await database.db.select().from(webhookMessages).where(eq(webhookMessages.id, id));
    assert.equal(message.id, id, 'the same id: the receiver can tell it is the same message');
    assert.deepEqual([message.replayedBy, message.replayedAt?.toISOString(), message.nextAttemptAt?.toISOString()], [admin.id, clock.now().toISOString(), clock.now().toISOString()]);
    assert.deepEqual([message.failedAt, message.deliveredAt, message.attempts], [null, null, 0]);
    assert.ok(await jobPending(database.db, { kind: deliverJob, payload: { messageId: id } }), 'a delivery job is queued');
    const detail = await messageDetail(deps, admin, { endpointId: created.endpointId, messageId: id });
    assert.ok(detail.ok);
    assert.equal(detail.attempts.length, 1, 'the attempts’ log stays');
    assert.deepEqual((await auditActions('webhooks.messageReplayed')).length, 1);

    const other = await createEndpoint(deps, admin, input());
    assert.ok(other.ok);
    assert.deepEqual(await replayMessage(deps, admin, { endpointId: other.endpointId, messageId: id }), { ok: false, code: 'not_found' }, 'another endpoint’s message');
    assert.deepEqual(await replayMessage(deps, admin, { endpointId: created.endpointId, messageId: 'msg_nope' }), { ok: false, code: 'not_found' });
    await setEndpointDisabled(deps, admin, created.endpointId, true);
    assert.deepEqual(await replayMessage(deps, admin, { endpointId: created.endpointId, messageId: id }), { ok: false, code: 'invalid', field: 'replay', error: { message: 'webhooks.err.replayDisabled' } });
  });

  it('SVC-8 a replay while the message is on its way (claimed by an attempt, or its next attempt planned) is refused: never two sends at once', async () => {
    const created = await createEndpoint(deps, admin, input());
    assert.ok(created.ok);
    await writeMessage(created.endpointId, 'msg_in_flight', { attempts: 1, nextAttemptAt: new Date(clock.now().getTime() + 60_000) });
    assert.deepEqual(await replayMessage(deps, admin, { endpointId: created.endpointId, messageId: 'msg_in_flight' }), { ok: false, code: 'invalid', field: 'replay', error: { message: 'webhooks.err.replayPending' } });
    const [still] = await database.db.select().from(webhookMessages).where(eq(webhookMessages.id, 'msg_in_flight'));
    assert.deepEqual([still.attempts, still.replayedBy], [1, null], 'nothing changed');
    clock.advance(61_000);
    assert.deepEqual(await replayMessage(deps, admin, { endpointId: created.endpointId, messageId: 'msg_in_flight' }), { ok: true }, 'once its planned attempt is due, it may be sent again');
  });

  it('SVC-8 a grant of personal data withdrawn: the messages kept for that endpoint lose their personal fields at once (waiting, retried or replayed, none sends them again)', async () => {
    const created = await createEndpoint(deps, admin, input({ personalData: true }));
    assert.ok(created.ok);
    const learner = { id: 'u-1', first_name: 'Awa', last_name: 'Diallo', email: 'awa@example.org' };
    const payload = { type: 'application.status_changed', timestamp: clock.now().toISOString(), data: { application_id: 'app-1', from: 'submitted', to: 'accepted', learner } };
    await writeMessage(created.endpointId, 'msg_granted_waiting', { payload });
    await writeMessage(created.endpointId, 'msg_granted_sent', { payload, deliveredAt: clock.now() });
    const other = await createEndpoint(deps, admin, input({ personalData: true, url: 'https://autre.paris.fr/in' }));
    assert.ok(other.ok);
    await writeMessage(other.endpointId, 'msg_other_granted', { payload });
    assert.deepEqual(await updateEndpoint(deps, admin, created.endpointId, input({ personalData: false })), { ok: true, withheld: 0 });
    const bodies = new Map((await database.db.select().from(webhookMessages)).map((m) => [m.id, m.payload as { data: Record<string, unknown> }]));
    for (const id of ['msg_granted_waiting', 'msg_granted_sent']) {
      assert.equal(bodies.get(id)?.data.learner, undefined, id);
      assert.equal(bodies.get(id)?.data.application_id, 'app-1', 'the rest of the body stays');
    }
    assert.deepEqual(bodies.get('msg_other_granted')?.data.learner, learner, 'another endpoint, still granted, keeps its bodies');
  });

  it('SVC-8 the URL changed: the messages waiting are not sent to the new URL (given up, "not sent: URL changed" in their log), then replayed one by one to it; delivered ones stay; the same URL withholds nothing', async () => {
    const created = await createEndpoint(deps, admin, input({ url: 'https://ancien.paris.fr/in', personalData: true }));
    assert.ok(created.ok);
    const id = created.endpointId;
    const due = new Date(clock.now().getTime() + 5_000);
    await writeMessage(id, 'msg_url_waiting', { nextAttemptAt: clock.now() });
    await writeMessage(id, 'msg_url_retry', { attempts: 2, nextAttemptAt: due });
    await writeMessage(id, 'msg_url_sent', { deliveredAt: clock.now() });
    assert.deepEqual(await updateEndpoint(deps, admin, id, input({ url: 'https://ancien.paris.fr/in', personalData: true, description: 'Même adresse' })), { ok: true, withheld: 0 }, 'same URL: nothing withheld');
    assert.deepEqual(await updateEndpoint(deps, admin, id, input({ url: 'https://nouveau.paris.fr/in', personalData: true })), { ok: true, withheld: 2 });
    const rows = new Map((await database.db.select().from(webhookMessages).where(eq(webhookMessages.endpointId, id))).map((m) => [m.id, m]));
    for (const m of ['msg_url_waiting', 'msg_url_retry']) {
      assert.equal(rows.get(m)?.failedAt?.getTime(), clock.now().getTime(), m);
      assert.equal(rows.get(m)?.nextAttemptAt, null, m);
      const log = await database.db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, m));
      assert.deepEqual(log.map((a) => [a.statusCode, a.error]), [[null, 'not sent: URL changed']], m);
    }
    assert.equal(rows.get('msg_url_retry')?.attempts, 2, 'its attempts to the old URL stay counted');
    assert.ok(rows.get('msg_url_sent')?.deliveredAt && !rows.get('msg_url_sent')?.failedAt, 'a delivered message is left alone');
    const [audited] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'webhooks.endpointUpdated')).orderBy(desc(auditLog.id)).limit(1);
    assert.equal((audited.data as { withheld?: number }).withheld, 2);
    const summary = await endpointMessages(deps, admin, id);
    assert.ok(summary.ok);
    assert.ok(summary.messages.filter((m) => m.failedAt).length === 2, 'listed as given up, for replay');
    // The administrator decides: one of them goes to the new receiver.
    assert.deepEqual(await replayMessage(deps, admin, { endpointId: id, messageId: 'msg_url_waiting' }), { ok: true });
    assert.ok(await jobPending(database.db, { kind: deliverJob, payload: { messageId: 'msg_url_waiting' } }));
    assert.equal(await jobPending(database.db, { kind: deliverJob, payload: { messageId: 'msg_url_retry' } }), false, 'the other one is not sent');
  });

  it('SVC-8 the list: last delivery, messages given up and failed attempts of the last 30 days, messages in progress; an endpoint’s messages of 30 days, newest first', async () => {
    const created = await createEndpoint(deps, admin, input({ url: 'https://stats.paris.fr/in' }));
    assert.ok(created.ok);
    const e = created.endpointId;
    const old = new Date(clock.now().getTime() - 40 * 86_400_000);
    await writeMessage(e, 'msg_old', { createdAt: old, failedAt: old });
    await database.db.insert(webhookAttempts).values({ messageId: 'msg_old', at: old, statusCode: 500, durationMs: 5 });
    await writeMessage(e, 'msg_ok', { deliveredAt: clock.now(), attempts: 2 });
    await database.db.insert(webhookAttempts).values([
      { messageId: 'msg_ok', at: clock.now(), statusCode: null, error: 'timeout', durationMs: 10_000 },
      { messageId: 'msg_ok', at: clock.now(), statusCode: 204, durationMs: 8 },
    ]);
    clock.advance(1000);
    await writeMessage(e, 'msg_gave_up', { failedAt: clock.now(), attempts: 10 });
    await writeMessage(e, 'msg_pending', { nextAttemptAt: clock.now() });
    const summary = (await listEndpoints(deps, admin)).find((x) => x.id === e)!;
    assert.deepEqual([summary.pending, summary.failed, summary.failedAttempts], [1, 1, 1]);
    assert.equal(summary.lastDeliveredAt?.toISOString(), new Date(clock.now().getTime() - 1000).toISOString());
    const messages = await endpointMessages(deps, admin, e);
    assert.ok(messages.ok);
    assert.deepEqual(messages.messages.map((m) => m.id).sort(), ['msg_gave_up', 'msg_ok', 'msg_pending']);
    assert.equal(messages.messages.at(-1)?.id, 'msg_ok', 'newest first');
  });

  it('SVC-8 personal data: each endpoint’s event types with the fields sent from payloadFields; personal fields only for a granted endpoint', async () => {
    const plain = await createEndpoint(deps, admin, input({ url: 'https://a-plain.paris.fr/in', eventTypes: ['payment.received', 'application.status_changed'] }));
    const granted = await createEndpoint(deps, admin, input({ url: 'https://a-granted.paris.fr/in', eventTypes: ['application.status_changed'], personalData: true }));
    assert.ok(plain.ok && granted.ok);
    const recipients = await webhookRecipients(database.db, admin);
    const p = recipients.find((r) => r.id === plain.endpointId)!;
    const g = recipients.find((r) => r.id === granted.endpointId)!;
    assert.deepEqual(p.events.map((e) => e.type), ['application.status_changed', 'payment.received']);
    for (const event of p.events) {
      assert.ok(event.fields.every((f) => !f.personal), 'no personal field for an endpoint not granted them');
      assert.deepEqual(event.fields, payloadFields[event.type].filter((f) => !f.personal));
    }
    assert.deepEqual(g.events[0].fields, payloadFields['application.status_changed']);
    assert.ok(g.events[0].fields.some((f) => f.personal));
  });

  it('SVC-8 ACC-14 the messages are swept after sentMessageMonths, their attempts with them', async () => {
    const created = await createEndpoint(deps, admin, input());
    assert.ok(created.ok);
    const months = defaultPolicies.sentMessageMonths;
    const long = new Date(clock.now().getTime() - (months * 31 + 2) * 86_400_000);
    await writeMessage(created.endpointId, 'msg_ancient', { createdAt: long, deliveredAt: long });
    await database.db.insert(webhookAttempts).values({ messageId: 'msg_ancient', at: long, statusCode: 200, durationMs: 3 });
    await writeMessage(created.endpointId, 'msg_recent');
    const swept = await webhooksDataSet.retention!.sweep!(database.db, { at: clock.now(), policies: defaultPolicies, limit: 100 });
    assert.ok(swept >= 1);
    const left = await database.db.select({ id: webhookMessages.id }).from(webhookMessages).where(and(eq(webhookMessages.endpointId, created.endpointId)));
    assert.deepEqual(left.map((m) => m.id), ['msg_recent']);
    assert.equal((await database.db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, 'msg_ancient'))).length, 0);
  });
});
