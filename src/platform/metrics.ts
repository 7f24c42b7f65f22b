import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/database';
import type { AdmissionClass, AdmissionStats, ShedReason } from './admission';
import type { Clock } from './clock';
import { jobQueueDepths } from './jobs';
import { outboxDepth } from './outbox';
import { smsOutboxDepth } from './sms';

/**
 * Issue 19: the metrics Prometheus scrapes at `GET /metrics` (its text format, `prom-client`;
 * docs/decisions/025). Every label is bounded: requests are counted by method, route pattern
 * (`/candidatures/:id`, never the URL asked) and status class; the queues by kind. Depths are
 * read when scraped, through the platform's own functions (outbox, SMS, jobs) and those the
 * composition root gives for the modules' queues (the webhooks' messages), never a module's table.
 */

/** What `pg.Pool` tells of its connections. */
export interface PoolStats {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

export interface QueueDepth {
  /** Waiting or under way. */
  pending: number;
  /** Given up (and still kept). */
  failed: number;
}

export interface MetricsSources {
  db: Db;
  clock: Clock;
  /** The database pool (drizzle's client). */
  pool?: PoolStats;
  /** A module's queue, by name: its own function (the webhooks' messages). */
  queues?: Record<string, (db: Db) => Promise<QueueDepth>>;
  /** How long the depths' queries may take before the scrape answers without them. */
  timeoutMs?: number;
  /** Issue 19 point 9: the requests in progress and waiting for their turn (platform/admission). */
  admission?: () => AdmissionStats;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Route patterns are the app's own; a request no route matched is one label. */
export const UNMATCHED_ROUTE = 'unmatched';

export interface Metrics {
  readonly contentType: string;
  /** One request answered: its method, its route's pattern (undefined: none matched), status and seconds. */
  observe(request: { method: string; route: string | undefined; statusCode: number; seconds: number }): void;
  /** Issue 19 point 9: one request refused by the admission (platform/admission), by class and reason. */
  shed(kind: AdmissionClass, reason: ShedReason): void;
  /** The exposition text, the depths read now. */
  render(): Promise<string>;
}

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  // The process's own (CPU, memory, event-loop lag, GC, handles), under their standard names.
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const requests = new Counter({
    name: 'cursus_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status class.',
    labelNames: ['method', 'route', 'status_class'] as const,
    registers,
  });
  const duration = new Histogram({
    name: 'cursus_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const pool = new Gauge({ name: 'cursus_db_pool_connections', help: 'Database pool: connections open (total), idle, and requests waiting for one.', labelNames: ['state'] as const, registers });
  const shed = new Counter({
    name: 'cursus_http_shed_total',
    help: 'Requests refused with 503 and Retry-After because the process had too many in progress, by class (read, write) and reason (queue_full, waited).',
    labelNames: ['class', 'reason'] as const,
    registers,
  });
  const admission = new Gauge({ name: 'cursus_admission_requests', help: 'Requests in progress (admitted) and waiting for their turn, by class (read, write) and state (in_progress, waiting).', labelNames: ['class', 'state'] as const, registers });
  const databaseUp = new Gauge({ name: 'cursus_metrics_database_up', help: '1 when the queue depths below could be read from the database for this scrape, else 0.', registers });
  const outbox = new Gauge({ name: 'cursus_outbox_messages', help: 'Messages to people not yet sent (pending) or given up (failed), by channel.', labelNames: ['channel', 'state'] as const, registers });
  const jobs = new Gauge({ name: 'cursus_jobs', help: 'Background jobs due (waiting for a worker), running (leased) or failed (given up, kept), by kind.', labelNames: ['kind', 'state'] as const, registers });
  const queues = new Gauge({ name: 'cursus_queue_messages', help: 'Messages of a module’s outbox (webhooks) waiting or under way (pending) or given up (failed).', labelNames: ['queue', 'state'] as const, registers });

  async function readDepths() {
    const { db, clock } = sources;
    const [email, sms, byKind, modules] = await Promise.all([
      outboxDepth(db),
      smsOutboxDepth(db),
      jobQueueDepths(db, clock.now()),
      Promise.all(Object.entries(sources.queues ?? {}).map(async ([name, depth]) => [name, await depth(db)] as const)),
    ]);
    outbox.reset();
    for (const [channel, d] of [['email', email], ['sms', sms]] as const) {
      outbox.set({ channel, state: 'pending' }, d.pending);
      outbox.set({ channel, state: 'failed' }, d.failed);
    }
    jobs.reset();
    for (const row of byKind) for (const state of ['due', 'running', 'failed'] as const) jobs.set({ kind: row.kind, state }, row[state]);
    queues.reset();
    for (const [queue, d] of modules) {
      queues.set({ queue, state: 'pending' }, d.pending);
      queues.set({ queue, state: 'failed' }, d.failed);
    }
  }

  return {
    contentType: registry.contentType,
    observe({ method, route, statusCode, seconds }) {
      const m = METHODS.has(method) ? method : 'OTHER';
      const r = route ?? UNMATCHED_ROUTE;
      requests.inc({ method: m, route: r, status_class: `${Math.min(5, Math.max(1, Math.floor(statusCode / 100)))}xx` });
      duration.observe({ method: m, route: r }, seconds);
    },
    shed(kind, reason) {
      shed.inc({ class: kind, reason });
    },
    async render() {
      if (sources.pool) {
        pool.set({ state: 'total' }, sources.pool.totalCount);
        pool.set({ state: 'idle' }, sources.pool.idleCount);
        pool.set({ state: 'waiting' }, sources.pool.waitingCount);
      }
      if (sources.admission) {
        const stats = sources.admission();
        for (const kind of ['read', 'write'] as const) {
          admission.set({ class: kind, state: 'in_progress' }, stats.inFlight[kind]);
          admission.set({ class: kind, state: 'waiting' }, stats.waiting[kind]);
        }
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([readDepths(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), sources.timeoutMs ?? 2_000)))]);
        databaseUp.set(1);
      } catch {
        // The database down or slow: the scrape still answers (requests, pool, process), and says so.
        databaseUp.set(0);
      } finally {
        clearTimeout(timer);
      }
      return registry.metrics();
    },
  };
}

/** Who may read the metrics: `METRICS_ALLOW`'s addresses and ranges, or whoever sends `Authorization: Bearer <METRICS_TOKEN>`. */
export interface MetricsAccess {
  /** Addresses or CIDR ranges (IPv4 or IPv6). */
  allow: readonly string[];
  token?: string;
}

/** An IPv4 address written as IPv6 (`::ffff:127.0.0.1`, how a dual-stack socket gives it) as the IPv4 it is. */
const plainAddress = (address: string) => /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1] ?? address;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * The check of `/metrics`: the request's address (fastify's `request.ip`, so `TRUST_PROXY`
 * decides whether a proxy's `X-Forwarded-For` counts) in the allowed ranges, or the token, compared
 * in constant time. Anything else is answered 404, as if there were nothing there.
 */
export function metricsAccess(access: MetricsAccess): (request: { ip: string; headers: Record<string, string | string[] | undefined> }) => boolean {
  const allowed = new BlockList();
  for (const entry of access.allow) {
    const [address, bits] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    allowed.addSubnet(address, bits === undefined ? (type === 'ipv6' ? 128 : 32) : Number(bits), type);
  }
  const token = access.token ? digest(access.token) : undefined;
  return (request) => {
    const address = plainAddress(request.ip);
    const version = isIP(address);
    if (version && allowed.check(address, version === 6 ? 'ipv6' : 'ipv4')) return true;
    const header = request.headers.authorization;
    if (!token || typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
    return timingSafeEqual(digest(header.slice('Bearer '.length).trim()), token);
  };
}
