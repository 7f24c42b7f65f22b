import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import { registerSecurityHeaders, type SecurityHeaderOptions } from './security-headers';

const options: SecurityHeaderOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"], upgradeInsecureRequests: [] } },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
  crossOriginEmbedderPolicy: false,
};

async function headersOf(register: (app: ReturnType<typeof Fastify>) => Promise<unknown> | void, route: (reply: { header(name: string, value: string): unknown }) => void = () => {}) {
  const app = Fastify();
  await register(app);
  app.get('/', async (_request, reply) => {
    route(reply);
    return 'ok';
  });
  const response = await app.inject({ url: '/' });
  await app.close();
  const { date: _date, ...headers } = response.headers;
  return headers;
}

describe('the security headers, computed once', () => {
  it('are the headers @fastify/helmet sets with the same options', async () => {
    const ours = await headersOf((app) => registerSecurityHeaders(app, options));
    const theirs = await headersOf((app) => app.register(fastifyHelmet, options));
    assert.deepEqual(ours, theirs);
    assert.match(String(ours['content-security-policy']), /frame-ancestors 'none'/);
    assert.equal(ours['x-content-type-options'], 'nosniff');
  });

  it('a route’s own value wins (the API’s cross-origin resource policy)', async () => {
    const ours = await headersOf((app) => registerSecurityHeaders(app, options), (reply) => reply.header('cross-origin-resource-policy', 'cross-origin'));
    assert.equal(ours['cross-origin-resource-policy'], 'cross-origin');
  });
});
