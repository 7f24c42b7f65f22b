import { and, asc, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { audit } from '../../platform/audit';
import { AppError } from '../../platform/errors';
import { registerRoles } from '../../platform/personal-data';
import type { Clock } from '../../platform/clock';
import type { MessageKey } from '../../platform/i18n';
import type { FieldError } from '../../ui/context';
import { scheduleDelivery } from './delivery';
import { checkEndpointUrl, LOG_DAYS, parseAllowedHost, ROTATION_OVERLAP_MS } from './endpoints.rules';
import { payloadFields, webhookEventTypes, type PayloadField, type WebhookEventType } from './events';
import { newSecret } from './signing';
import { webhookAllowedHosts, webhookAttempts, webhookEndpoints, webhookMessages, webhookSecrets } from './webhooks.table';

/**
 * SVC-8, the staff side of the webhooks: an administrator registers the endpoints of other
 * systems (URL, event types, personal data granted or not), disables and enables them, rotates
 * their secret, allows internal hosts, reads each endpoint's messages and attempts and replays a
 * message. Only an administrator (checked here whatever the route did); every change writes its
 * audit row in its transaction (never a secret).
 */
export interface WebhookAdminDeps {
  db: Db;
  clock: Clock;
}

/** Who asks: a logged-in staff member. */
export interface WebhookActor {
  id: string;
  role: Role;
}

export type WebhookRefusal = { ok: false; code: 'forbidden' } | { ok: false; code: 'not_found' } | { ok: false; code: 'invalid'; field: string; error: FieldError };

const forbidden = { ok: false as const, code: 'forbidden' as const };
const notFound = { ok: false as const, code: 'not_found' as const };
const invalid = (field: string, message: MessageKey) => ({ ok: false as const, code: 'invalid' as const, field, error: { message } });
const isAdmin = (actor: WebhookActor) => actor.role === 'admin';
/** A read of the staff side: an administrator's (a register's reader's for the DPO list), whatever the route checked. */
function readableBy(actor: WebhookActor, roles: readonly Role[] = ['admin']): void {
  if (!roles.includes(actor.role)) throw new AppError('forbidden');
}

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type MessageRow = typeof webhookMessages.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;
export type AllowedHostRow = typeof webhookAllowedHosts.$inferSelect;

/** What the administrator's form gives (webhooks.schema.ts). */
export interface EndpointInput {
  url: string;
  description: string;
  eventTypes: WebhookEventType[];
  personalData: boolean;
}

/** An endpoint for the administrator's list: its state and how its deliveries went. */
export interface EndpointSummary extends EndpointRow {
  lastDeliveredAt: Date | null;
  /** Messages still being tried. */
  pending: number;
  /** Messages given up on (after about three days, or a 410), in the log's window. */
  failed: number;
  /** Attempts that did not get a 2xx, in the log's window. */
  failedAttempts: number;
}

const since = (clock: Clock) => new Date(clock.now().getTime() - LOG_DAYS * 86_400_000);

/** The hosts an administrator allowed, as a set (for the URL check). */
async function allowedHostSet(db: DbOrTx): Promise<Set<string>> {
  return new Set((await db.select({ host: webhookAllowedHosts.host }).from(webhookAllowedHosts)).map((r) => r.host));
}

/** SVC-8: every endpoint (enabled first, then by URL) with its last delivery and failures (30 days). */
export async function listEndpoints(deps: WebhookAdminDeps, actor: WebhookActor): Promise<EndpointSummary[]> {
  readableBy(actor);
  const { db, clock } = deps;
  const endpoints = await db.select().from(webhookEndpoints).orderBy(sql`${webhookEndpoints.disabledAt} is not null`, asc(webhookEndpoints.url), asc(webhookEndpoints.id));
  if (endpoints.length === 0) return [];
  const from = since(clock);
  const ids = endpoints.map((e) => e.id);
  const messages = await db
    .select({
      endpointId: webhookMessages.endpointId,
      lastDeliveredAt: sql<Date | null>`max(${webhookMessages.deliveredAt})`.mapWith(webhookMessages.deliveredAt),
      pending: sql<number>`count(*) filter (where ${webhookMessages.deliveredAt} is null and ${webhookMessages.failedAt} is null)`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${webhookMessages.failedAt} >= ${from})`.mapWith(Number),
    })
    .from(webhookMessages)
    .where(inArray(webhookMessages.endpointId, ids))
    .groupBy(webhookMessages.endpointId);
  const attempts = await db
    .select({ endpointId: webhookMessages.endpointId, failedAttempts: sql<number>`count(*)`.mapWith(Number) })
    .from(webhookAttempts)
    .innerJoin(webhookMessages, eq(webhookMessages.id, webhookAttempts.messageId))
    .where(
      and(
        inArray(webhookMessages.endpointId, ids),
        gte(webhookAttempts.at, from),
        or(isNull(webhookAttempts.statusCode), sql`${webhookAttempts.statusCode} not between 200 and 299`),
      ),
    )
    .groupBy(webhookMessages.endpointId);
  const byEndpoint = new Map(messages.map((m) => [m.endpointId, m]));
  const failures = new Map(attempts.map((a) => [a.endpointId, a.failedAttempts]));
  return endpoints.map((e) => ({
    ...e,
    lastDeliveredAt: byEndpoint.get(e.id)?.lastDeliveredAt ?? null,
    pending: byEndpoint.get(e.id)?.pending ?? 0,
    failed: byEndpoint.get(e.id)?.failed ?? 0,
    failedAttempts: failures.get(e.id) ?? 0,
  }));
}

export async function getEndpoint(db: DbOrTx, actor: WebhookActor, endpointId: string): Promise<EndpointRow | null> {
  readableBy(actor);
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
  return row ?? null;
}

/** The URL checked against the allowed hosts, or the refusal next to the URL field. */
async function checkedUrl(db: DbOrTx, url: string) {
  const checked = checkEndpointUrl(url, await allowedHostSet(db));
  return checked.ok ? checked : invalid('url', checked.code);
}

/** The event types as the vocabulary orders them, without repeats; at least one. */
function typesOf(input: EndpointInput) {
  const types = webhookEventTypes.filter((t) => input.eventTypes.includes(t));
  return types.length ? types : null;
}

/** What the add and edit forms check before writing: an administrator, at least one type, a URL allowed. */
async function checkedInput(db: DbOrTx, actor: WebhookActor, input: EndpointInput) {
  if (!isAdmin(actor)) return forbidden;
  const types = typesOf(input);
  if (!types) return invalid('eventTypes', 'webhooks.err.noType');
  const url = await checkedUrl(db, input.url);
  if (!url.ok) return url;
  return { ok: true as const, types, url };
}

/**
 * SVC-8: an administrator registers an endpoint. Its URL is checked (HTTPS; not an address of a
 * private range unless its host is allowed); it gets its first secret, returned to be shown
 * once (it is never shown again: a lost secret is rotated). Endpoint, secret and audit row are
 * one transaction.
 */
export async function createEndpoint(
  deps: WebhookAdminDeps,
  actor: WebhookActor,
  input: EndpointInput,
): Promise<{ ok: true; endpointId: string; secret: string } | WebhookRefusal> {
  const { db, clock } = deps;
  const checked = await checkedInput(db, actor, input);
  if (!checked.ok) return checked;
  const { types, url } = checked;
  return db.transaction(async (tx) => {
    const now = clock.now();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ url: url.url, description: input.description, eventTypes: types, personalData: input.personalData, createdAt: now, createdBy: actor.id, updatedAt: now })
      .returning({ id: webhookEndpoints.id });
    const secret = newSecret();
    await tx.insert(webhookSecrets).values({ endpointId: row.id, secret, createdAt: now });
    await audit(tx, clock, { action: 'webhooks.endpointCreated', actorId: actor.id, data: { endpointId: row.id, url: url.url, eventTypes: types, personalData: input.personalData } });
    return { ok: true as const, endpointId: row.id, secret };
  });
}

/**
 * SVC-8: an administrator changes an endpoint's URL, description, event types or personal data.
 * Audited with what changed. A new URL may be another receiver: the messages still waiting were
 * written for the old one (personal data included) and are not sent to it; they are given up,
 * each with a line "not sent: URL changed" in its log, and an administrator replays those the new
 * receiver should have (`withheld` says how many). An attempt already under way finishes.
 */
export async function updateEndpoint(
  deps: WebhookAdminDeps,
  actor: WebhookActor,
  endpointId: string,
  input: EndpointInput,
): Promise<{ ok: true; withheld: number } | WebhookRefusal> {
  const { db, clock } = deps;
  const checked = await checkedInput(db, actor, input);
  if (!checked.ok) return checked;
  const { types, url } = checked;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for('update');
    if (!before) return notFound;
    const after = { url: url.url, description: input.description, eventTypes: types, personalData: input.personalData };
    await tx.update(webhookEndpoints).set({ ...after, updatedAt: clock.now() }).where(eq(webhookEndpoints.id, endpointId));
    // The grant withdrawn: what is kept for this endpoint (waiting, retried or replayable) loses its personal fields now.
    if (before.personalData && !input.personalData) await withoutPersonalFields(tx, endpointId);
    const withheld = before.url === url.url ? 0 : await withholdWaiting(tx, endpointId, clock.now());
    const from = { url: before.url, description: before.description, eventTypes: before.eventTypes, personalData: before.personalData };
    await audit(tx, clock, { action: 'webhooks.endpointUpdated', actorId: actor.id, data: { endpointId, from, to: after, ...(withheld ? { withheld } : {}) } });
    return { ok: true as const, withheld };
  });
}

/** The error an attempt's log shows for a message given up because its endpoint's URL changed. */
export const URL_CHANGED = 'not sent: URL changed';

/** The endpoint's messages still to send, given up now with their line in the log (their jobs then find nothing to do). */
async function withholdWaiting(tx: DbOrTx, endpointId: string, now: Date): Promise<number> {
  const waiting = await tx
    .update(webhookMessages)
    .set({ failedAt: now, nextAttemptAt: null })
    .where(and(eq(webhookMessages.endpointId, endpointId), isNull(webhookMessages.deliveredAt), isNull(webhookMessages.failedAt)))
    .returning({ id: webhookMessages.id });
  if (waiting.length) await tx.insert(webhookAttempts).values(waiting.map((m) => ({ messageId: m.id, at: now, statusCode: null, error: URL_CHANGED, durationMs: 0 })));
  return waiting.length;
}

/** The personal fields `payloadFields` declares, removed from every message kept for an endpoint. */
const personalFieldNames = [...new Set(Object.values(payloadFields).flatMap((fields) => fields.filter((f) => f.personal).map((f) => f.name)))];
async function withoutPersonalFields(tx: DbOrTx, endpointId: string): Promise<void> {
  const stripped = personalFieldNames.reduce((payload, name) => sql`(${payload} #- ${`{data,${name}}`}::text[])`, sql`${webhookMessages.payload}`);
  await tx.update(webhookMessages).set({ payload: stripped }).where(eq(webhookMessages.endpointId, endpointId));
}

/**
 * SVC-8: an administrator disables an endpoint (nothing more is sent to it; what was waiting
 * stays, to be replayed) or enables it again, also after it answered 410 Gone. Audited.
 */
export async function setEndpointDisabled(deps: WebhookAdminDeps, actor: WebhookActor, endpointId: string, disabled: boolean): Promise<{ ok: true } | WebhookRefusal> {
  const { db, clock } = deps;
  if (!isAdmin(actor)) return forbidden;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for('update');
    if (!before) return notFound;
    if ((before.disabledAt !== null) === disabled) return { ok: true as const };
    const now = clock.now();
    await tx
      .update(webhookEndpoints)
      .set(disabled ? { disabledAt: now, disabledReason: 'staff', updatedAt: now } : { disabledAt: null, disabledReason: null, updatedAt: now })
      .where(eq(webhookEndpoints.id, endpointId));
    await audit(tx, clock, { action: disabled ? 'webhooks.endpointDisabled' : 'webhooks.endpointEnabled', actorId: actor.id, data: { endpointId, ...(disabled ? {} : { wasDisabled: before.disabledReason }) } });
    return { ok: true as const };
  });
}

/**
 * SVC-8: a new secret for an endpoint, returned to be shown once. The current one keeps signing
 * for 24 hours (`expires_at`: both signatures are sent meanwhile, so the receiver can switch
 * without losing a message); one already in its overlap keeps its own end; expired ones are
 * deleted. Two rotations at once: the endpoint's row is locked, they follow each other. Audited.
 */
export async function rotateSecret(deps: WebhookAdminDeps, actor: WebhookActor, endpointId: string): Promise<{ ok: true; secret: string; previousValidUntil: Date } | WebhookRefusal> {
  const { db, clock } = deps;
  if (!isAdmin(actor)) return forbidden;
  return db.transaction(async (tx) => {
    const [endpoint] = await tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for('update');
    if (!endpoint) return notFound;
    const now = clock.now();
    const until = new Date(now.getTime() + ROTATION_OVERLAP_MS);
    await tx.delete(webhookSecrets).where(and(eq(webhookSecrets.endpointId, endpointId), lte(webhookSecrets.expiresAt, now)));
    await tx.update(webhookSecrets).set({ expiresAt: until }).where(and(eq(webhookSecrets.endpointId, endpointId), isNull(webhookSecrets.expiresAt)));
    const secret = newSecret();
    await tx.insert(webhookSecrets).values({ endpointId, secret, createdAt: now });
    await audit(tx, clock, { action: 'webhooks.secretRotated', actorId: actor.id, data: { endpointId, previousValidUntil: until.toISOString() } });
    return { ok: true as const, secret, previousValidUntil: until };
  });
}

/** The hosts allowed although they are internal, by host. */
export async function listAllowedHosts(db: DbOrTx, actor: WebhookActor): Promise<AllowedHostRow[]> {
  readableBy(actor);
  return db.select().from(webhookAllowedHosts).orderBy(asc(webhookAllowedHosts.host));
}

/**
 * SVC-8 against server-side request forgery: an administrator allows a host that resolves to an
 * internal address (an internal system), with the reason. Allowing it again changes its reason. Audited.
 */
export async function allowHost(deps: WebhookAdminDeps, actor: WebhookActor, input: { host: string; reason: string }): Promise<{ ok: true; host: string } | WebhookRefusal> {
  const { db, clock } = deps;
  if (!isAdmin(actor)) return forbidden;
  const host = parseAllowedHost(input.host);
  if (!host) return invalid('host', 'webhooks.err.host');
  await db.transaction(async (tx) => {
    const now = clock.now();
    await tx
      .insert(webhookAllowedHosts)
      .values({ host, reason: input.reason, allowedBy: actor.id, allowedAt: now })
      .onConflictDoUpdate({ target: webhookAllowedHosts.host, set: { reason: input.reason, allowedBy: actor.id, allowedAt: now } });
    await audit(tx, clock, { action: 'webhooks.hostAllowed', actorId: actor.id, data: { host, reason: input.reason } });
  });
  return { ok: true, host };
}

/** SVC-8: an administrator removes an allowed host (deliveries to it are refused again from the next attempt). Audited. */
export async function removeAllowedHost(deps: WebhookAdminDeps, actor: WebhookActor, input: { host: string }): Promise<{ ok: true } | WebhookRefusal> {
  const { db, clock } = deps;
  if (!isAdmin(actor)) return forbidden;
  const host = parseAllowedHost(input.host);
  if (!host) return notFound;
  return db.transaction(async (tx) => {
    const removed = await tx.delete(webhookAllowedHosts).where(eq(webhookAllowedHosts.host, host)).returning({ host: webhookAllowedHosts.host });
    if (removed.length === 0) return notFound;
    await audit(tx, clock, { action: 'webhooks.hostRemoved', actorId: actor.id, data: { host } });
    return { ok: true as const };
  });
}

/** A message for the log: its state and how many attempts it had. */
export type MessageSummary = Pick<MessageRow, 'id' | 'eventType' | 'createdAt' | 'attempts' | 'nextAttemptAt' | 'deliveredAt' | 'failedAt' | 'replayedAt'>;

/** How many messages the endpoint's page lists (the newest; older ones are in the database). */
export const MESSAGES_SHOWN = 200;

/** SVC-8: an endpoint's messages of the last 30 days, newest first (admin only). */
export async function endpointMessages(deps: WebhookAdminDeps, actor: WebhookActor, endpointId: string): Promise<{ ok: true; messages: MessageSummary[] } | WebhookRefusal> {
  const { db, clock } = deps;
  if (!isAdmin(actor)) return forbidden;
  const messages = await db
    .select({
      id: webhookMessages.id,
      eventType: webhookMessages.eventType,
      createdAt: webhookMessages.createdAt,
      attempts: webhookMessages.attempts,
      nextAttemptAt: webhookMessages.nextAttemptAt,
      deliveredAt: webhookMessages.deliveredAt,
      failedAt: webhookMessages.failedAt,
      replayedAt: webhookMessages.replayedAt,
    })
    .from(webhookMessages)
    .where(and(eq(webhookMessages.endpointId, endpointId), gte(webhookMessages.createdAt, since(clock))))
    .orderBy(desc(webhookMessages.createdAt), desc(webhookMessages.id))
    .limit(MESSAGES_SHOWN);
  return { ok: true, messages };
}

/** SVC-8: one message of an endpoint with its attempts (kept 30 days), oldest attempt first (admin only). */
export async function messageDetail(
  deps: WebhookAdminDeps,
  actor: WebhookActor,
  input: { endpointId: string; messageId: string },
): Promise<{ ok: true; message: MessageRow; attempts: AttemptRow[] } | WebhookRefusal> {
  const { db } = deps;
  if (!isAdmin(actor)) return forbidden;
  const [message] = await db.select().from(webhookMessages).where(and(eq(webhookMessages.id, input.messageId), eq(webhookMessages.endpointId, input.endpointId)));
  if (!message) return notFound;
  const attempts = await db.select().from(webhookAttempts).where(eq(webhookAttempts.messageId, message.id)).orderBy(asc(webhookAttempts.at), asc(webhookAttempts.id));
  return { ok: true, message, attempts };
}

/**
 * SVC-8: an administrator replays a message: the same message (same id, the same body, so a
 * receiver that already has it can tell) is sent again now, with a fresh round of attempts
 * (delivered or given up on before: both are cleared, the attempts' log stays). Who and when
 * are kept on the message and in the audit. Refused while the endpoint is disabled.
 */
export async function replayMessage(deps: WebhookAdminDeps, actor: WebhookActor, input: { endpointId: string; messageId: string }): Promise<{ ok: true } | WebhookRefusal> {
  const { db, clock } = deps;
  if (!isAdmin(actor)) return forbidden;
  return db.transaction(async (tx) => {
    const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, input.endpointId)).for('share');
    if (!endpoint) return notFound;
    const [message] = await tx
      .select({ id: webhookMessages.id, deliveredAt: webhookMessages.deliveredAt, failedAt: webhookMessages.failedAt, nextAttemptAt: webhookMessages.nextAttemptAt })
      .from(webhookMessages)
      .where(and(eq(webhookMessages.id, input.messageId), eq(webhookMessages.endpointId, input.endpointId)))
      .for('update');
    if (!message) return notFound;
    if (endpoint.disabledAt) return invalid('replay', 'webhooks.err.replayDisabled');
    const now = clock.now();
    // Still on its way (an attempt claimed it, or its next one is planned): a replay now could send it twice at once.
    if (!message.deliveredAt && !message.failedAt && message.nextAttemptAt && message.nextAttemptAt > now) return invalid('replay', 'webhooks.err.replayPending');
    await tx.update(webhookMessages).set({ replayedBy: actor.id, replayedAt: now, deliveredAt: null, failedAt: null, attempts: 0 }).where(eq(webhookMessages.id, message.id));
    await scheduleDelivery(tx, message.id, now);
    await audit(tx, clock, { action: 'webhooks.messageReplayed', actorId: actor.id, data: { endpointId: input.endpointId, messageId: message.id } });
    return { ok: true as const };
  });
}

/** What one endpoint receives, for the data protection officer: per event type, the fields sent. */
export interface EndpointRecipient {
  id: string;
  url: string;
  description: string;
  personalData: boolean;
  disabled: boolean;
  events: { type: WebhookEventType; fields: readonly PayloadField[] }[];
}

/**
 * SVC-8, personal data: every endpoint and what each of its event types carries, read from
 * `payloadFields` (the declaration the payload builder reads): an endpoint not granted personal
 * data receives only the fields that are not personal. For administrators and whoever reads the
 * processing register (`registerRoles`).
 */
export async function webhookRecipients(db: DbOrTx, actor: WebhookActor): Promise<EndpointRecipient[]> {
  readableBy(actor, registerRoles);
  const endpoints = await db.select().from(webhookEndpoints).orderBy(sql`${webhookEndpoints.disabledAt} is not null`, asc(webhookEndpoints.url), asc(webhookEndpoints.id));
  return endpoints.map((e) => ({
    id: e.id,
    url: e.url,
    description: e.description,
    personalData: e.personalData,
    disabled: e.disabledAt !== null,
    events: webhookEventTypes.filter((t) => e.eventTypes.includes(t)).map((type) => ({ type, fields: payloadFields[type].filter((f) => e.personalData || !f.personal) })),
  }));
}
