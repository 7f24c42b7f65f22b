import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyUnderPressure from '@fastify/under-pressure';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { isShuttingDown } from './platform/lifecycle';
import type { Config } from './config';
import { isDatabaseUnavailable, type Db } from './db/database';
import { demoStaffCodes } from './demo/seed';
import './messages';
import { sessionLookup, termsGate } from './modules/accounts/accounts.platform';
import { accountRoutes } from './modules/accounts/accounts.routes';
import { applicationRoutes } from './modules/applications/applications.routes';
import { catalogueRoutes } from './modules/catalogue/catalogue.routes';
import { documentRoutes } from './modules/documents';
import { helpRoutes } from './modules/help';
import { homeRoutes } from './modules/home/home.routes';

import { selectionRoutes } from './modules/selection';
import { levelsRoutes } from './modules/certification';
import { paymentRoutes, paymentStaffRoutes, refundRoutes, statementRoutes } from './modules/payments';
import { certificationRoutes } from './modules/certification';
import { createPayfipSimulator } from './modules/payments/payfip/simulator';
import { adminRoutes } from './modules/admin/admin.routes';
import { calendarRoutes, connectionRoutes, incidentRoutes, registerRoutes } from './modules/attendance';
import { cancellationRoutes } from './modules/cancellations';
import { historyRoutes } from './modules/certification';
import { legacyRoutes } from './modules/legacy';
import { contactRoutes } from './modules/contact';
import { webhookQueueDepth, webhookRoutes } from './modules/webhooks';
import { deskRoutes } from './modules/desk';
import { staffRoutes } from './modules/staff/staff.routes';
import { figuresRoutes } from './modules/figures';
import { programmesRoutes } from './modules/programmes';
import { examsRoutes } from './modules/exams';
import { closureRoutes, exportRoutes, retentionRoutes } from './modules/privacy';
import { apiRoutes, isApiRequest, sendApiProblem, openDataCsvRoutes } from './modules/opendata';

import type { Clock } from './platform/clock';
import { inlineStyleSource, staticRoutes } from './platform/assets';
import { registerCompression } from './platform/compression';
import { registerCsrf } from './platform/csrf';
import { readableLogStream, redactUrl, requestLog, type RequestSummary } from './platform/logging';
import { isShed, readiness } from './platform/health';
import { createMetrics, metricsAccess, type PoolStats } from './platform/metrics';
import { devRoutes } from './platform/dev.routes';
import { smsReportRoutes } from './platform/sms/report.routes';
import { AppError } from './platform/errors';
import { identifyRequest, isStaticOrOperations, pageContext, requestLanguage, sendError, sendShedPage, SESSION_COOKIE } from './platform/http';
import { registerAdmission } from './platform/admission';
import { defaultLocale } from './platform/i18n';
import { cachedPolicies, uploadMaxBytes } from './platform/policies';
import { postgresRateLimitStore } from './platform/rate-limit';
import { registerProfileScope } from './platform/profile-scope';
import { registerSecurityHeaders } from './platform/security-headers';
import { registerUploads } from './platform/uploads';
import { zodValidatorCompiler, type RouteDeps } from './platform/routes';

export interface AppDeps {
  config: Config;
  db: Db;
  clock: Clock;
  /** Signs cookies and derives the bot-check keys. */
  secret: string;
  logger?: boolean;
  /** Where the log goes (standard output by default; tests read it). */
  logDestination?: { write(line: string): unknown };
}

/**
 * The composition root: builds the application from the platform's plugins and hooks, then
 * each module's routes, giving the platform what the modules implement for it (the session
 * lookup). Does not listen.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, clock, secret } = deps;
  // Issue 19: outside production, one readable line a request (platform/logging); production logs pino's JSON.
  const readableLog = !config.production;
  const destination = deps.logDestination ?? process.stdout;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : { level: config.logLevel, serializers: { req: requestLog }, stream: readableLog ? readableLogStream(destination) : (destination as NodeJS.WritableStream) },
    logController: new LogController({ disableRequestLogging: readableLog }),
    genReqId: () => randomUUID().slice(0, 8),
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    // Field names like `a[b]` stay plain strings; no prototype tricks through forms.
    routerOptions: { maxParamLength: 300 },
    // A path fastify cannot decode (`/verifier/%ZZ`) or a body it cannot read: the 400 page, in
    // the visitor's language, not fastify's JSON.
    frameworkErrors: (error, request, reply) => {
      // Before routing: the request's hooks (its language, its login) have not run. Its status stays (414 for a URL too long).
      request.locale ??= defaultLocale;
      const status = 'statusCode' in error && typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      // SVC-8: under /api, a JSON problem, never a page.
      if (isApiRequest(request)) return sendApiProblem(request, reply, config.baseUrl, 'bad-request', undefined, undefined, status);
      sendError(reply, pageContext(request, reply, config.devMailbox), 'validation', status);
    },
  });
  // Decision 026: once the stop has begun, every answer closes its connection. A request in flight
  // when SIGTERM came ends its kept-alive connection with its answer, so the server's close does not
  // wait for the client's keep-alive to run out (fastify's default is 72 s, past any stop bound).
  app.addHook('onSend', async (_request, reply) => {
    if (isShuttingDown()) reply.header('connection', 'close');
  });
  // Issue 19 point 8: text answers compressed when the client accepts it (platform/compression).
  registerCompression(app);
  const policies = cachedPolicies(db, 5_000);
  // The development mailbox (reset links, the demo's TOTP codes): only when the configuration has it.
  const devTools = config.devMailbox;

  await app.register(fastifyUnderPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    // Issue 19 point 9: a shed request is under-pressure's error (Retry-After set), answered by the
    // error handlers below as the 503 page or problem; its route does not run.
    retryAfter: 10,
    exposeStatusRoute: false,
  });
  // helmet's headers, computed once (platform/security-headers: @fastify/helmet built them on every request).
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Issue 19 point 8: the stylesheet inlined in every page's head, allowed by its hash (platform/assets).
        styleSrc: ["'self'", inlineStyleSource('app.css')],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // PAY-2: "Régler" is a form whose answer sends the browser to PayFiP's page.
        // ACC-13: the providers' buttons and the logout send the browser to the provider.
        formAction: ["'self'", ...(config.payfip.kind === 'payfip' ? [new URL(config.payfip.pageUrl).origin] : []), ...config.oidc.providers.map((p) => new URL(p.issuer).origin)],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        ...(config.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    hsts: config.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  // parseOptions are the defaults of every cookie set or cleared (a route's own options win; none sets secure: false): Secure in production.
  await app.register(fastifyCookie, { secret, parseOptions: { secure: config.production } });
  // Multipart forms (a file, on the routes that take one) are read before the CSRF check, which
  // then finds their `_csrf` field in the body like any form's: registered first.
  await registerUploads(app, { maxFileBytes: async () => uploadMaxBytes(await policies()), mayUpload: (request) => request.auth !== undefined });
  // The CSRF secret lives in a signed cookie (no server session per visitor); tokens are bound to the login session.
  await registerCsrf(app, { production: config.production, secret });
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, {
    global: false,
    store: postgresRateLimitStore(db),
    skipOnError: false,
    errorResponseBuilder: () => new AppError('rate_limited'),
  });
  // ALTCHA's solver is plain ES modules: the browser loads them from the package, no bundler.
  await app.register(fastifyStatic, {
    // Found as Node finds the package (node_modules may be a folder above; the build runs from dist/).
    root: fileURLToPath(new URL('.', import.meta.resolve('altcha-lib'))),
    prefix: '/vendor/altcha/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.js'),
  });

  // SVC-1: every page's footer shows the help line (platform/http's pageContext reads it).
  app.decorate('helpLine', config.helpLine);
  // Issue 18: the institution's profile: its wording (the pages' translator) and the parts of the journey that apply.
  app.decorate('profile', config.profile);
  // Issue 18: what a request's services word (emails, PDFs) speaks the profile's words too.
  registerProfileScope(app, config.profile);
  app.decorateRequest('locale', defaultLocale);
  app.decorateRequest('auth', undefined);
  // Issue 19: every answer counted for /metrics (its route's pattern, never its URL) and, outside production, logged in one line.
  const metrics = createMetrics({ db, clock, pool: (db as { $client?: PoolStats }).$client, queues: { webhooks: webhookQueueDepth }, admission: () => admission.stats() });
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe({ method: request.method, route: request.routeOptions.url, statusCode: reply.statusCode, seconds: reply.elapsedTime / 1000 });
    if (readableLog) request.log.info({ request: { method: request.method, url: redactUrl(request.url), statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) } satisfies RequestSummary }, 'request');
  });
  app.addHook('onRequest', requestLanguage);
  // Issue 19 point 9: a bounded number of requests in progress, before any of their work (the
  // login's lookup); past it the 503 page or problem with Retry-After (platform/admission).
  const admission = registerAdmission(app, { limits: config.admission, exempt: isStaticOrOperations, onShed: (kind, reason) => metrics.shed(kind, reason) });
  app.addHook('onRequest', identifyRequest(sessionLookup({ db, clock, policies })));
  app.addHook('onRequest', termsGate);

  // Route schemas (params, query strings) are zod schemas; see platform/routes.
  app.setValidatorCompiler(zodValidatorCompiler);

  app.setErrorHandler((error, request, reply) => {
    // Issue 19 point 9: shed, the page made once (its Retry-After already set).
    if (isShed(error)) return sendShedPage(request, reply);
    const ctx = pageContext(request, reply, devTools);
    if (error instanceof AppError) return sendError(reply, ctx, error.code);
    const err = error as { code?: string; statusCode?: number };
    // A form whose session has ended meanwhile: its token is bound to that session, say to log in again.
    if (err.code?.startsWith('FST_CSRF')) return sendError(reply, ctx, request.cookies[SESSION_COOKIE] && !request.auth ? 'unauthenticated' : 'csrf');
    if (err.statusCode === 429) return sendError(reply, ctx, 'rate_limited');
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      request.log.info({ err: error }, 'bad request');
      return sendError(reply, ctx, err.statusCode === 404 ? 'not_found' : 'validation').code(err.statusCode);
    }
    if (isDatabaseUnavailable(error)) {
      // Issue 19 point 4: the database restarting or out of connections is not the request's fault: 503, try again soon.
      request.log.warn({ err: error, reqId: request.id }, 'database unavailable');
      reply.header('retry-after', '5');
      return sendError(reply, ctx, 'unavailable');
    }
    request.log.error({ err: error, reqId: request.id }, 'request failed');
    return sendError(reply, ctx, 'server');
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, pageContext(request, reply, devTools), 'not_found'));
  // Issue 19 point 8: public/ under fingerprinted names, cached for a year (platform/assets); after the error pages, which its 404 is.
  await app.register(staticRoutes);

  // Issue 19 (docs/decisions/025): liveness, the process answers (no database: a database down
  // must not get the process restarted); readiness, it should be sent requests.
  // Neither liveness nor the metrics are shed under pressure: a busy process is alive (restarting it
  // would drop what it is doing), and an overload is when the metrics matter. Readiness is shed
  // when the event loop is late (busy is not ready), not by the admission's bound (isStaticOrOperations):
  // a process at its bound is serving well, and a balancer must not take every process out at once.
  const notShed = { config: { pressureHandler: () => undefined } };
  app.get('/healthz', notShed, async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const { ready, ...checks } = await readiness(db);
    return reply
      .code(ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: ready ? 'ok' : 'unavailable', ...checks });
  });
  // Prometheus's text format, for the allowed addresses or the token only; anyone else finds nothing (404).
  const mayReadMetrics = metricsAccess(config.metrics);
  app.get('/metrics', notShed, async (request, reply) => {
    if (!mayReadMetrics(request)) return reply.callNotFound();
    const text = await metrics.render();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
  });

  const routeDeps: RouteDeps = { db, clock, config, secret, policies, devTools };
  await app.register(homeRoutes(routeDeps));
  // SVC-1: the help pages.
  await app.register(helpRoutes(routeDeps));
  await app.register(catalogueRoutes(routeDeps));
  await app.register(accountRoutes(routeDeps));
  await app.register(applicationRoutes(routeDeps));
  await app.register(staffRoutes(routeDeps));
  await app.register(figuresRoutes(routeDeps));
  await app.register(async (scope) => refundRoutes(scope, routeDeps));
  await app.register(async (scope) => certificationRoutes(scope, routeDeps));
  await app.register(selectionRoutes(routeDeps));
  await app.register(paymentStaffRoutes(routeDeps));
  await app.register(incidentRoutes(routeDeps));
  await app.register(adminRoutes(routeDeps));
  await app.register(paymentRoutes(routeDeps));
  await app.register(levelsRoutes(routeDeps));
  await app.register(documentRoutes(routeDeps));
  await app.register(calendarRoutes(routeDeps));
  await app.register(connectionRoutes(routeDeps));
  await app.register(historyRoutes(routeDeps));
  await app.register(retentionRoutes(routeDeps));
  // ACC-11: download my data, close my account.
  await app.register(exportRoutes(routeDeps));
  await app.register(closureRoutes(routeDeps));
  await app.register(legacyRoutes(routeDeps));
  await app.register(contactRoutes(routeDeps));
  await app.register(deskRoutes(routeDeps));
  // SVC-8: the administrator's webhook endpoints, what each receives.
  await app.register(webhookRoutes(routeDeps));
  await statementRoutes(app, routeDeps);
  await app.register(smsReportRoutes({ db, config }));
  await app.register(registerRoutes(routeDeps));
  await app.register(cancellationRoutes(routeDeps));
  // SVC-8: the public API (JSON problems, CORS and its own rate limit inside its prefix).
  await app.register(apiRoutes(routeDeps), { prefix: '/api' });
  // CRED-1: programmes (certificates, diplomas) and the learner's progress toward them.
  await app.register(programmesRoutes(routeDeps));
  // CRED-3 and moving: exam sessions, results, requests, the centre of record (decision 028).
  await app.register(examsRoutes(routeDeps));
  // SVC-8: the catalogue as open data (CSV files, their daily snapshots, the dictionary).
  await app.register(openDataCsvRoutes(routeDeps));
  // PAY-2: the simulated PayFiP of the demo and the tests (never in production: config.ts).
  if (config.payfip.kind === 'simulated') await app.register(createPayfipSimulator({ clock, numcli: config.payfip.numcli, callbackOrigin: config.baseUrl }).routes, { prefix: config.payfip.prefix });
  if (devTools) await app.register(devRoutes({ db, devTools, codes: () => demoStaffCodes(db, clock) }));
  return app;
}
