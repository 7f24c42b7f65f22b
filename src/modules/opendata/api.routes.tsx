import type { CreateRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { isDatabaseUnavailable } from '../../db/database';
import { etagOfText } from '../../platform/conditional';
import { isShed } from '../../platform/health';
import { isApiRequest, pageContext, sendIfNotModified, sendPage } from '../../platform/http';
import { closeBatchedCounters, type BatchedRateLimitOptions } from '../../platform/rate-limit';
import { defaultLocale, isLocale, translator, type Locale, type MessageKey } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import { ApiDocsPage } from './api.docs';
import { endpoints, openApiDocument } from './api.openapi';
import { cursorScope, decodeCursor, encodeCursor, parseQuery, problemLocale, type QueryRefusal } from './api.rules';
import { catalogueVersion, MAX_KEYWORDS_LENGTH as MAX_KEYWORDS, type SearchKey } from '../catalogue';
import { DEFAULT_LIMIT, MAX_LIMIT, pathCode, type Params, type ProblemType } from './api.schema';
import { allDomains, allPeriods, allSchools, API_PREFIX, findCourse, findSession, listCourses, listSessions, oneSessionJson, sessionsJson } from './api.service';

/** How long a client may keep an answer (seconds): short, free places change. */
const MAX_AGE = 15;
const TEN_MINUTES = 600_000;
const READ_METHODS = ['GET', 'HEAD', 'OPTIONS'];
const statusOf: Record<ProblemType, number> = {
  'invalid-parameter': 400,
  'unknown-parameter': 400,
  'repeated-parameter': 400,
  'invalid-cursor': 400,
  'bad-request': 400,
  'not-found': 404,
  'method-not-allowed': 405,
  'rate-limited': 429,
  unavailable: 503,
  'server-error': 500,
};

/** Is this request one of the API's? One test, the platform's (the session lookup skips the same requests). */
export { isApiRequest };
/** How often each process adds the API's per-address counts to the shared ones (decision 024): a decision sees the others' at most ~1 s late. */
const FLUSH_MS = 500;

/**
 * RFC 9457: a problem as JSON, in the client's language (Accept-Language, else the site's
 * language cookie, else French). Exported for the composition root: a request fastify cannot
 * route, or refused under pressure, is answered the same way under /api.
 */
export function sendApiProblem(request: FastifyRequest, reply: FastifyReply, baseUrl: string, type: ProblemType, detail?: { key: MessageKey; params?: Record<string, string | number> }, parameter?: string, status = statusOf[type]): FastifyReply {
  const cookieLocale: Locale = isLocale(request.locale) ? request.locale : defaultLocale;
  const locale = problemLocale(request.headers['accept-language'], ['fr', 'en'] as const, cookieLocale);
  const t = translator(locale);
  const body = {
    type: `${baseUrl}${API_PREFIX}/docs#problem-${type}`,
    title: t(`api.problem.${type}.title`),
    status,
    detail: t(detail?.key ?? `api.problem.${type}.detail`, { id: String(request.id), ...detail?.params }),
    instance: `urn:cursus:request:${request.id}`,
    ...(parameter !== undefined ? { parameter } : {}),
  };
  return reply
    .code(status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('content-language', locale)
    .header('cache-control', 'no-store')
    .send(JSON.stringify(body));
}

/** The words of a refused parameter. */
function refusalDetail(refusal: QueryRefusal, params: Params): { key: MessageKey; params: Record<string, string | number> } {
  if (refusal.type === 'unknown-parameter') {
    const names = Object.keys(params);
    return names.length
      ? { key: 'api.problem.unknown-parameter.detail', params: { name: refusal.parameter, names: names.join(', ') } }
      : { key: 'api.problem.unknown-parameter.none', params: { name: refusal.parameter } };
  }
  if (refusal.type === 'repeated-parameter') return { key: 'api.problem.repeated-parameter.detail', params: { name: refusal.parameter } };
  return { key: 'api.problem.invalid-parameter.detail', params: { name: refusal.parameter, expected: '' } };
}

/**
 * SVC-8: the public API under /api/v1 (read-only, no login, CORS open, limited per address in
 * PostgreSQL for every process, cacheable), its OpenAPI document and its reference page.
 * Handlers are thin: strict parse of the query → one service call → JSON with its ETag.
 */
export function apiRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, secret } = deps;
  const document = openApiDocument();
  const documentBody = JSON.stringify(document);
  const problem = (request: FastifyRequest, reply: FastifyReply, type: ProblemType, detail?: Parameters<typeof sendApiProblem>[4], parameter?: string) =>
    sendApiProblem(request, reply, config.baseUrl, type, detail, parameter);

  /**
   * A few seconds of memory for the answers (decision 004's micro-cache, `MICROCACHE_SECONDS`;
   * 0 turns it off): the same URL asked again within them is not queried again, and identical
   * concurrent requests share one query.
   */
  const keep = config.microcacheSeconds > 0;
  const answers = new LRUCache<string, { body: string | Buffer; etag: string }, () => Promise<Answer>>({
    max: 2_000,
    ttl: Math.max(1, config.microcacheSeconds * 1000),
    fetchMethod: async (_key, _stale, { context }) => {
      const found = await context();
      const body = bodyOf(found);
      return { body, etag: found.etag ?? etagOfText(body) };
    },
  });

  /** The bodies of answers of the catalogue only (courses, schools, domains), by the catalogue's version and the URL. */
  const byVersion = new LRUCache<string, string, () => Promise<unknown>>({
    max: 500,
    maxSize: 50_000_000,
    sizeCalculation: (body) => body.length || 1,
    fetchMethod: async (_key, _stale, { context }) => JSON.stringify(await context()),
  });

  /**
   * An answer: its data and, when known before serialising it, its entity tag (decision 024: the
   * catalogue's version and what else the data depends on), so a conditional GET that matches
   * is a 304 without writing the body. Without one, the tag is the body's hash. Its JSON when
   * already written (`body`: the sessions', from what is kept per catalogue version).
   */
  type Answer = ({ data: unknown } | { body: () => Buffer }) & { etag?: string };
  const bodyOf = (found: Answer): string | Buffer => ('body' in found ? found.body() : JSON.stringify(found.data));

  async function answer(request: FastifyRequest, reply: FastifyReply, compute: () => Promise<Answer>): Promise<FastifyReply> {
    reply.header('cache-control', `public, max-age=${MAX_AGE}`);
    if (keep) {
      const { body, etag } = (await answers.fetch(request.url, { context: compute }))!;
      if (sendIfNotModified(request, reply, { etag })) return reply;
      return reply.header('content-type', 'application/json; charset=utf-8').send(body);
    }
    const found = await compute();
    if (found.etag && sendIfNotModified(request, reply, { etag: found.etag })) return reply;
    const body = bodyOf(found);
    if (!found.etag && sendIfNotModified(request, reply, { etag: etagOfText(body) })) return reply;
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  }

  /**
   * For answers that depend on the catalogue only (courses, schools, domains): the tag is the
   * catalogue's version and the URL, read before the answer (one small query), so a current copy
   * is a 304 without computing it, and a body computed once per version (never older than the
   * version read). A change committed meanwhile only makes the tag older than the data: the next
   * request sees another version and gets the whole answer.
   */
  async function versioned(request: FastifyRequest, reply: FastifyReply, compute: () => Promise<unknown>): Promise<FastifyReply> {
    const version = await catalogueVersion(db);
    const etag = etagOfText(`catalogue ${version} ${request.url}`);
    reply.header('cache-control', `public, max-age=${MAX_AGE}`);
    if (sendIfNotModified(request, reply, { etag })) return reply;
    // Kept by the catalogue's version, exactly (decision 024, as the search page's lists): read again once a transaction changed the catalogue.
    const body = (await byVersion.fetch(`${version} ${request.url}`, { context: compute }))!;
    return reply.header('content-type', 'application/json; charset=utf-8').send(body);
  }

  /** The tag of sessions: the catalogue's version, the URL, and each session's free places and period state (they change without the catalogue). */
  const sessionsTag = (request: FastifyRequest, version: number, sessions: { code: string; freePlaces: number; period: { state: string } }[]) =>
    etagOfText(`sessions ${version} ${request.url} ${sessions.map((s) => `${s.code}:${s.freePlaces}:${s.period.state}`).join(',')}`);

  /** The parsed query, or the 400 problem already sent (null). */
  function query<P extends Params>(request: FastifyRequest, reply: FastifyReply, params: P) {
    const parsed = parseQuery(params, (request.query ?? {}) as Record<string, unknown>);
    if (parsed.ok) return parsed.value;
    const words = refusalDetail(parsed, params);
    if (parsed.type === 'invalid-parameter') {
      const t = translator(problemLocale(request.headers['accept-language'], ['fr', 'en'] as const, isLocale(request.locale) ? request.locale : defaultLocale));
      words.params.expected = t(`api.expected.${parsed.expected}`, { choices: (parsed.choices ?? []).join(', '), max: parsed.expected === 'limit' ? MAX_LIMIT : MAX_KEYWORDS });
    }
    problem(request, reply, parsed.type, words, parsed.parameter);
    return null;
  }

  /** The links of a page: this one, and the next (the same filters, the next cursor). */
  function pageLinks(request: FastifyRequest, next: string | null) {
    const self = request.url;
    if (!next) return { next: null, links: { self, next: null } };
    const url = new URL(request.url, 'http://api.invalid');
    url.searchParams.set('cursor', next);
    return { next, links: { self, next: `${url.pathname}${url.search}` } };
  }

  return async (app) => {
    // One counter per address for the whole API (`rl:api:<address>`), in PostgreSQL: every process counts together.
    // Counted in memory and added to PostgreSQL every half second (decision 024): no round trip a request.
    const limiter = app.createRateLimit({
      groupId: 'api',
      flushMs: FLUSH_MS,
      max: async () => (await deps.policies()).apiRequestsPerIpPer10Min,
      timeWindow: TEN_MINUTES,
    } as CreateRateLimitOptions & BatchedRateLimitOptions);
    app.addHook('onClose', async () => closeBatchedCounters(db));

    app.addHook('onRequest', async (request, reply) => {
      // CORS (reads only): any origin may read; nothing is sent with credentials.
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-expose-headers', 'ETag, Content-Language, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After')
        .header('cross-origin-resource-policy', 'cross-origin');
      if (!READ_METHODS.includes(request.method)) {
        reply.header('allow', 'GET, HEAD, OPTIONS');
        return problem(request, reply, 'method-not-allowed');
      }
      const limit = await limiter(request);
      if (limit.isAllowed) return;
      reply.header('ratelimit-limit', limit.max).header('ratelimit-remaining', limit.remaining).header('ratelimit-reset', limit.ttlInSeconds);
      if (limit.isExceeded) {
        reply.header('retry-after', limit.ttlInSeconds);
        return problem(request, reply, 'rate-limited', { key: 'api.problem.rate-limited.detail', params: { seconds: limit.ttlInSeconds } });
      }
    });

    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode;
      // Issue 19 point 9: shed (under-pressure set Retry-After): the problem, not the 500.
      if (isShed(error)) return problem(request, reply, 'unavailable');
      if (status === 404) return problem(request, reply, 'not-found');
      if (status && status >= 400 && status < 500) {
        request.log.info({ err: error }, 'bad api request');
        return problem(request, reply, 'bad-request');
      }
      if (isDatabaseUnavailable(error)) {
        request.log.warn({ err: error, reqId: request.id }, 'database unavailable');
        reply.header('retry-after', '5');
        return problem(request, reply, 'unavailable');
      }
      request.log.error({ err: error, reqId: request.id }, 'api request failed');
      return problem(request, reply, 'server-error');
    });
    app.setNotFoundHandler((request, reply) => problem(request, reply, 'not-found'));

    // A preflight: the methods and headers a cross-origin read may use.
    app.options('/*', async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
        .header('access-control-allow-headers', 'Accept, Accept-Language, If-None-Match')
        .header('access-control-max-age', '86400')
        .send(),
    );

    const [sessions, session, courses, course, schools, domains, periods] = endpoints;
    const at = (endpoint: (typeof endpoints)[number]) => `/v1${endpoint.path.replace('{code}', ':code')}`;
    /** A `{code}` from the path, or the 404 problem already sent (null). */
    const codeOf = (request: FastifyRequest, reply: FastifyReply) => {
      const code = (request.params as { code?: string }).code;
      if (pathCode.safeParse(code).success) return code!;
      problem(request, reply, 'not-found');
      return null;
    };

    app.get(at(sessions), async (request, reply) => {
      const q = query(request, reply, sessions.params);
      if (!q) return reply;
      const { limit = DEFAULT_LIMIT, cursor, ...filters } = q as Record<string, unknown> & { limit?: number; cursor?: string };
      const scope = cursorScope(sessions.path, filters);
      let after: SearchKey | undefined;
      if (cursor) {
        const key = decodeCursor(secret, scope, cursor, 3);
        if (!key) return problem(request, reply, 'invalid-cursor', undefined, 'cursor');
        after = { title: String(key[0]), school: String(key[1]), session: String(key[2]) };
      }
      return answer(request, reply, async () => {
        const found = await listSessions(db, clock, { filters, after, limit });
        const next = found.next ? encodeCursor(secret, scope, [found.next.title, found.next.school, found.next.session]) : null;
        return { body: () => sessionsJson(found.version, found.sessions, pageLinks(request, next)), etag: sessionsTag(request, found.version, found.sessions) };
      });
    });

    app.get(at(session), async (request, reply) => {
      if (!query(request, reply, session.params)) return reply;
      const code = codeOf(request, reply);
      if (!code) return reply;
      const found = await findSession(db, clock, code);
      if (!found) return problem(request, reply, 'not-found');
      return answer(request, reply, async () => ({ body: () => oneSessionJson(found.version, found.session), etag: sessionsTag(request, found.version, [found.session]) }));
    });

    app.get(at(courses), async (request, reply) => {
      const q = query(request, reply, courses.params);
      if (!q) return reply;
      const { limit = DEFAULT_LIMIT, cursor, ...filters } = q as Record<string, unknown> & { limit?: number; cursor?: string; q?: string; domain?: string };
      const scope = cursorScope(courses.path, filters);
      let after: string | undefined;
      if (cursor) {
        const key = decodeCursor(secret, scope, cursor, 1);
        if (!key) return problem(request, reply, 'invalid-cursor', undefined, 'cursor');
        after = String(key[0]);
      }
      return versioned(request, reply, async () => {
        const found = await listCourses(db, { q: filters.q as string | undefined, domain: filters.domain as string | undefined, after, limit });
        return { data: found.courses, ...pageLinks(request, found.next ? encodeCursor(secret, scope, [found.next]) : null) };
      });
    });

    app.get(at(course), async (request, reply) => {
      if (!query(request, reply, course.params)) return reply;
      const code = codeOf(request, reply);
      if (!code) return reply;
      const found = await findCourse(db, code);
      if (!found) return problem(request, reply, 'not-found');
      return answer(request, reply, async () => ({ data: found }));
    });

    app.get(at(schools), async (request, reply) => (query(request, reply, schools.params) ? versioned(request, reply, async () => ({ data: await allSchools(db) })) : reply));
    app.get(at(domains), async (request, reply) => (query(request, reply, domains.params) ? versioned(request, reply, async () => ({ data: await allDomains(db) })) : reply));
    // A period's state changes with the time: its tag is its body's.
    app.get(at(periods), async (request, reply) => (query(request, reply, periods.params) ? answer(request, reply, async () => ({ data: { data: await allPeriods(db, clock) } })) : reply));

    app.get('/v1/openapi.json', async (request, reply) => {
      if (!query(request, reply, {})) return reply;
      reply.header('cache-control', 'public, max-age=300');
      if (sendIfNotModified(request, reply, { etag: etagOfText(documentBody) })) return reply;
      return reply.header('content-type', 'application/json; charset=utf-8').send(documentBody);
    });

    app.get('/v1/docs', async (request, reply) => {
      const limit = (await deps.policies()).apiRequestsPerIpPer10Min;
      return sendPage(reply, <ApiDocsPage ctx={pageContext(request, reply, deps.devTools)} doc={document} limit={limit} />);
    });
  };
}
