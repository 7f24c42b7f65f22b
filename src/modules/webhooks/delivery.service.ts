import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { and, asc, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/database';
import type { Clock } from '../../platform/clock';
import { jobPending, type JobHandlers } from '../../platform/jobs';
import type { PruneTask } from '../../platform/worker';
import { deliverJob, scheduleDelivery } from './delivery';
import { attemptRetentionMs, claimMs, excerptBytes, nextAttemptAt, outcomeOf, requestTimeoutMs } from './delivery.rules';
import { webhookHeaders } from './signing';
import { resolveDestination, type Destination, type Resolver } from './ssrf';
import { normaliseHost } from './endpoints.rules';
import { webhookAllowedHosts, webhookAttempts, webhookEndpoints, webhookMessages, webhookSecrets } from './webhooks.table';

/**
 * SVC-8: the delivery of webhooks (job `webhooks.deliver`, one per attempt). An attempt claims
 * its message (no other job tries it meanwhile), checks the destination against request forgery,
 * POSTs the body signed with the endpoint's secrets (the current one and any not yet expired),
 * records the attempt and decides: delivered (2xx), endpoint gone (410: disabled, message
 * failed), or tried again by the schedule (`delivery.rules.ts`) until given up. A worker killed
 * mid-attempt leaves its job to run again when its lease ends: the message is sent again with
 * the same `webhook-id`, which is how the receiver knows it already has it.
 */
export interface DeliveryDeps {
  db: Db;
  clock: Clock;
  /** Tests: a resolver of host names (the system's by default). */
  resolve?: Resolver;
  /** Tests: the attempt's time limit (`requestTimeoutMs` by default). */
  timeoutMs?: number;
  /** Tests: the jitter's randomness (Math.random by default). */
  random?: () => number;
}

export interface Answer {
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
  retryAfter: string | null;
  durationMs: number;
}

export type AttemptResult = Answer & { messageId: string; outcome: 'delivered' | 'gone' | 'retry' | 'failed'; nextAttemptAt: Date | null };

/** A lookup that answers the address already checked, whatever the name (no second resolution: no rebinding). */
const pinnedLookup =
  (destination: Destination): LookupFunction =>
  (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [destination]);
    else callback(null, destination.address, destination.family);
  };

/** Postgres text holds no NUL; the log keeps what is readable. */
const printable = (text: string) => text.replaceAll('\u0000', '');

/** One POST: never follows a redirect, gives up after `timeoutMs`, reads at most `excerptBytes` of the answer. */
export function post(url: URL, destination: Destination, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<Answer, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...answer, durationMs: took() });
    };
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Cursus-Webhooks/1' },
      lookup: pinnedLookup(destination),
      agent: false,
    });
    const timer = setTimeout(() => finish({ statusCode: null, error: 'timeout', excerpt: null, retryAfter: null }), timeoutMs);
    request.on('error', (error: NodeJS.ErrnoException) => finish({ statusCode: null, error: printable(error.code ?? error.message).slice(0, 200), excerpt: null, retryAfter: null }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const retryAfter = typeof response.headers['retry-after'] === 'string' ? response.headers['retry-after'] : null;
      const statusCode = response.statusCode ?? null;
      const error = statusCode !== null && statusCode >= 300 && statusCode < 400 ? 'redirect' : null;
      const done = () => finish({ statusCode, error, excerpt: printable(Buffer.concat(chunks).subarray(0, excerptBytes).toString('utf8')), retryAfter });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= excerptBytes) done();
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(body);
  });
}

/**
 * Takes the message for one attempt if it is due and still to send and its endpoint is not
 * disabled: pushes its next attempt past this one's longest duration, so a second job for it
 * (a replay, a job run again) leaves it alone meanwhile.
 */
async function claim(db: Db, messageId: string, now: Date) {
  const [row] = await db
    .update(webhookMessages)
    .set({ nextAttemptAt: new Date(now.getTime() + claimMs) })
    .where(
      and(
        eq(webhookMessages.id, messageId),
        isNull(webhookMessages.deliveredAt),
        isNull(webhookMessages.failedAt),
        lte(webhookMessages.nextAttemptAt, now),
        sql`exists (select 1 from ${webhookEndpoints} where ${webhookEndpoints.id} = ${webhookMessages.endpointId} and ${webhookEndpoints.disabledAt} is null)`,
      ),
    )
    .returning();
  return row ?? null;
}

/** Makes one attempt at a message; null when there was nothing to do (delivered, failed, endpoint disabled, not due). */
export async function deliverMessage(deps: DeliveryDeps, messageId: string): Promise<AttemptResult | null> {
  const { db, clock } = deps;
  const message = await claim(db, messageId, clock.now());
  if (!message) return null;
  const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, message.endpointId));
  const startedAt = clock.now();
  const answer = await attempt(deps, endpoint, message, startedAt);
  const at = clock.now();
  const outcome = outcomeOf(answer.statusCode);
  const random = (deps.random ?? Math.random)();
  const next = await db.transaction(async (tx) => {
    await tx.insert(webhookAttempts).values({
      messageId,
      at: startedAt,
      statusCode: answer.statusCode,
      error: answer.error,
      durationMs: answer.durationMs,
      responseExcerpt: answer.excerpt,
    });
    // Read again under its lock: an attempt that outlived its claim (a worker thought dead) only adds its line to the log.
    const [current] = await tx.select().from(webhookMessages).where(eq(webhookMessages.id, messageId)).for('update');
    if (!current || current.deliveredAt || current.failedAt) return null;
    const attempts = current.attempts + 1;
    if (outcome === 'delivered') await tx.update(webhookMessages).set({ attempts, deliveredAt: at, nextAttemptAt: null }).where(eq(webhookMessages.id, messageId));
    else if (outcome === 'gone') {
      await tx.update(webhookMessages).set({ attempts, failedAt: at, nextAttemptAt: null }).where(eq(webhookMessages.id, messageId));
      await tx
        .update(webhookEndpoints)
        .set({ disabledAt: at, disabledReason: 'gone', updatedAt: at })
        .where(and(eq(webhookEndpoints.id, endpoint.id), isNull(webhookEndpoints.disabledAt)));
    } else {
      const retryAt = nextAttemptAt({ attempts, now: at, random, statusCode: answer.statusCode, retryAfter: answer.retryAfter });
      if (retryAt === null) await tx.update(webhookMessages).set({ attempts, failedAt: at, nextAttemptAt: null }).where(eq(webhookMessages.id, messageId));
      else {
        await tx.update(webhookMessages).set({ attempts }).where(eq(webhookMessages.id, messageId));
        await scheduleDelivery(tx, messageId, retryAt);
      }
      return retryAt;
    }
    return null;
  });
  return { ...answer, messageId, outcome: outcome === 'retry' && next === null ? 'failed' : outcome, nextAttemptAt: next };
}

/** The attempt itself: the destination checked, then the signed POST (or why it was not sent). */
async function attempt(
  deps: DeliveryDeps,
  endpoint: typeof webhookEndpoints.$inferSelect,
  message: typeof webhookMessages.$inferSelect,
  now: Date,
): Promise<Answer> {
  const refused = (error: string): Answer => ({ statusCode: null, error, excerpt: null, retryAfter: null, durationMs: 0 });
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    return refused('invalid URL');
  }
  // As the allowed hosts are kept: no brackets around an IPv6 address, no trailing dot.
  const host = normaliseHost(url.hostname);
  const [allowedHost] = await deps.db.select({ host: webhookAllowedHosts.host }).from(webhookAllowedHosts).where(eq(webhookAllowedHosts.host, host));
  const allowed = allowedHost !== undefined;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed)) return refused(`scheme ${url.protocol} refused`);
  const resolved = await resolveDestination(host, { allowed, resolve: deps.resolve });
  if (!resolved.ok) return refused(resolved.error);
  const secrets = await deps.db
    .select({ secret: webhookSecrets.secret })
    .from(webhookSecrets)
    .where(and(eq(webhookSecrets.endpointId, endpoint.id), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now))))
    .orderBy(sql`${webhookSecrets.expiresAt} is not null`, desc(webhookSecrets.createdAt), asc(webhookSecrets.id));
  if (secrets.length === 0) return refused('no secret');
  const body = JSON.stringify(message.payload);
  const headers = webhookHeaders(
    secrets.map((s) => s.secret),
    { id: message.id, timestamp: Math.floor(now.getTime() / 1000), body },
  );
  return post(url, resolved.destination, headers, body, deps.timeoutMs ?? requestTimeoutMs);
}

/**
 * Issue 19, metrics: the messages still to send to an endpoint not disabled (waiting or under
 * way), and those given up that the log keeps (30 days). The platform's metrics read it through
 * the composition root, never this module's table.
 */
export async function webhookQueueDepth(db: Db): Promise<{ pending: number; failed: number }> {
  const [row] = await db
    .select({
      pending: sql<number>`count(*) filter (where ${webhookMessages.deliveredAt} is null and ${webhookMessages.failedAt} is null and ${webhookEndpoints.disabledAt} is null)`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${webhookMessages.failedAt} is not null)`.mapWith(Number),
    })
    .from(webhookMessages)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookMessages.endpointId));
  return { pending: row?.pending ?? 0, failed: row?.failed ?? 0 };
}

/** The job handlers of the webhooks module. */
export function webhookJobs(deps: DeliveryDeps): JobHandlers {
  return {
    [deliverJob]: async (payload) => {
      if (typeof payload.messageId === 'string') await deliverMessage(deps, payload.messageId);
    },
  };
}

/** Attempts older than 30 days, and the messages finished (delivered, given up) before then, are deleted. */
export const pruneWebhookLog: PruneTask = async ({ db, clock }) => {
  const before = new Date(clock.now().getTime() - attemptRetentionMs);
  await db.delete(webhookAttempts).where(lte(webhookAttempts.at, before));
  await db.delete(webhookMessages).where(sql`coalesce(${webhookMessages.deliveredAt}, ${webhookMessages.failedAt}) <= ${before}`);
};

/**
 * A message whose job was lost (its delivery job gave up on a database error) is queued again:
 * a message to send to an endpoint not disabled, due for more than a claim's length, with no
 * job waiting for it.
 */
export const resumeStalledMessages: PruneTask = async ({ db, clock }) => {
  const now = clock.now();
  const stalled = await db
    .select({ id: webhookMessages.id })
    .from(webhookMessages)
    .where(
      and(
        isNull(webhookMessages.deliveredAt),
        isNull(webhookMessages.failedAt),
        lte(webhookMessages.nextAttemptAt, new Date(now.getTime() - claimMs)),
        sql`exists (select 1 from ${webhookEndpoints} where ${webhookEndpoints.id} = ${webhookMessages.endpointId} and ${webhookEndpoints.disabledAt} is null)`,
      ),
    )
    .orderBy(webhookMessages.nextAttemptAt)
    .limit(500);
  for (const { id } of stalled) if (!(await jobPending(db, { kind: deliverJob, payload: { messageId: id } }))) await scheduleDelivery(db, id, now);
};

export const webhooksPruneTasks: PruneTask[] = [pruneWebhookLog, resumeStalledMessages];
