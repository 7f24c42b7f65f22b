import { randomUUID } from 'node:crypto';
import { and, isNull, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import { statement } from '../../db/statements';
import { getLearnerProfile, getUser } from '../accounts';
import { statusChanged } from '../applications';
import { catalogueChanged, sessionsForApplications } from '../catalogue';
import { paymentReceived } from '../payments';
import { sessionCancelled } from '../cancellations';
import { scheduleDelivery } from './delivery';
import { maxBodyBytes } from './delivery.rules';
import { payloadFields, type WebhookBody, type WebhookEventType } from './events';
import { webhookEndpoints, webhookMessages } from './webhooks.table';

/**
 * SVC-8: the outbox of webhooks. A change announced by a lower module (its hook) becomes one
 * message per active endpoint subscribed to its type, written in the change's transaction (a
 * change rolled back sends nothing), each with its own id (`msg_…`, the `webhook-id` of every
 * attempt) and its delivery queued at once.
 */

/** `msg_` and 32 hexadecimal digits (a random UUID without its dashes). */
export const newMessageId = (): string => `msg_${randomUUID().replaceAll('-', '')}`;

/** The endpoints, not disabled, that receive this type. */
export async function endpointsFor(db: DbOrTx, type: WebhookEventType): Promise<{ id: string; personalData: boolean }[]> {
  return endpointsOfType(db).execute({ type });
}
// Asked at every announced change (each validation of a rush): a named statement, built once.
const endpointsOfType = statement('webhooks_endpoints_for', (db) =>
  db
    .select({ id: webhookEndpoints.id, personalData: webhookEndpoints.personalData })
    .from(webhookEndpoints)
    .where(and(isNull(webhookEndpoints.disabledAt), sql`${sql.placeholder('type')}::text = any(${webhookEndpoints.eventTypes})`))
    .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id),
);

/**
 * What an endpoint receives of an event's facts: only the fields `payloadFields` declares for
 * its type, in that order, and the personal ones only if it is granted personal data.
 */
export function dataFor(type: WebhookEventType, facts: Record<string, unknown>, personalData: boolean): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const field of payloadFields[type]) if ((personalData || !field.personal) && facts[field.name] !== undefined) data[field.name] = facts[field.name];
  return data;
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * The bodies of one message or more for these data: one, unless it would reach `maxBodyBytes`;
 * then its lists (a catalogue import's codes) are shared out between as many bodies as needed,
 * every other field repeated in each. Each body is complete on its own: the codes it lists changed.
 */
export function bodiesFor(type: WebhookEventType, timestamp: string, data: Record<string, unknown>, limit = maxBodyBytes): WebhookBody[] {
  const whole: WebhookBody = { type, timestamp, data };
  if (bytes(whole) < limit) return [whole];
  const lists = Object.keys(data).filter((k) => Array.isArray(data[k]));
  const empty = { ...data, ...Object.fromEntries(lists.map((k) => [k, []])) };
  const bodies: WebhookBody[] = [];
  let current: Record<string, unknown[]> = Object.fromEntries(lists.map((k) => [k, []]));
  let size = bytes({ type, timestamp, data: empty });
  const flush = () => {
    bodies.push({ type, timestamp, data: { ...empty, ...current } });
    current = Object.fromEntries(lists.map((k) => [k, []]));
    size = bytes({ type, timestamp, data: empty });
  };
  for (const key of lists)
    for (const item of data[key] as unknown[]) {
      const extra = bytes(item) + 1;
      if (size + extra >= limit && Object.values(current).some((l) => l.length)) flush();
      current[key].push(item);
      size += extra;
    }
  if (Object.values(current).some((l) => l.length)) flush();
  return bodies;
}

/**
 * Writes the messages of one event, in the caller's transaction, and queues their delivery at
 * `at`. `facts` is asked only if an endpoint receives the type, with whether a granted
 * endpoint needs the personal fields.
 */
export async function announce(
  tx: Tx,
  input: { type: WebhookEventType; at: Date; facts: (withPersonal: boolean) => Promise<Record<string, unknown>> },
): Promise<string[]> {
  const endpoints = await endpointsFor(tx, input.type);
  if (endpoints.length === 0) return [];
  const facts = await input.facts(endpoints.some((e) => e.personalData));
  const timestamp = input.at.toISOString();
  const rows = endpoints.flatMap((endpoint) =>
    bodiesFor(input.type, timestamp, dataFor(input.type, facts, endpoint.personalData)).map((payload) => ({
      id: newMessageId(),
      endpointId: endpoint.id,
      eventType: input.type,
      payload,
      createdAt: input.at,
    })),
  );
  await tx.insert(webhookMessages).values(rows);
  for (const row of rows) await scheduleDelivery(tx, row.id, input.at);
  return rows.map((r) => r.id);
}

/** The learner as a granted endpoint receives them (personal): their account's id, names and email. */
async function learnerOf(db: DbOrTx, learnerId: string) {
  const user = await getUser(db, learnerId);
  const profile = await getLearnerProfile(db, learnerId);
  return { id: learnerId, first_name: profile?.firstName ?? null, last_name: profile?.lastName ?? null, email: user?.email ?? null };
}

async function codesOf(db: DbOrTx, sessionId: number) {
  const [session] = await sessionsForApplications(db, { ids: [sessionId] });
  return { session_code: session?.code ?? null, course_code: session?.courseCode ?? null };
}

/** What each announcement becomes (named, so that subscribing twice subscribes once). */
const onStatusChanged: Parameters<typeof statusChanged.subscribe>[0] = async (tx, event) => {
  await announce(tx, {
    type: 'application.status_changed',
    at: event.at,
    facts: async (withPersonal) => ({
      application_id: event.applicationId,
      ...(await codesOf(tx, event.sessionId)),
      from: event.from,
      to: event.to,
      ...(withPersonal ? { learner: await learnerOf(tx, event.learnerId) } : {}),
    }),
  });
};
const onPaymentReceived: Parameters<typeof paymentReceived.subscribe>[0] = async (tx, event) => {
  await announce(tx, {
    type: 'payment.received',
    at: event.at,
    facts: async (withPersonal) => ({
      payment_id: event.paymentId,
      application_id: event.applicationId,
      session_code: (await codesOf(tx, event.sessionId)).session_code,
      amount_cents: event.amountCents,
      method: event.method,
      ...(withPersonal ? { learner: await learnerOf(tx, event.learnerId) } : {}),
    }),
  });
};
const onSessionCancelled: Parameters<typeof sessionCancelled.subscribe>[0] = async (tx, event) => {
  await announce(tx, { type: 'session.cancelled', at: event.at, facts: async () => ({ session_code: event.sessionCode, course_code: event.courseCode, reason: event.reason }) });
};
const onCatalogueChanged: Parameters<typeof catalogueChanged.subscribe>[0] = async (tx, event) => {
  await announce(tx, { type: 'catalogue.changed', at: event.at, facts: async () => ({ course_codes: event.courseCodes, session_codes: event.sessionCodes, change: event.change }) });
};

/** The subscriptions to the lower modules' announcements (made when the module is loaded). */
export function subscribeToChanges(): void {
  statusChanged.subscribe(onStatusChanged);
  paymentReceived.subscribe(onPaymentReceived);
  sessionCancelled.subscribe(onSessionCancelled);
  catalogueChanged.subscribe(onCatalogueChanged);
}
