import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';

/** The options of helmet's middleware (the package @fastify/helmet wraps), as `app.ts` gives them. */
export type SecurityHeaderOptions = Record<string, unknown>;

/**
 * The security headers (helmet's: CSP, frame and referrer policies, nosniff…), computed once.
 * @fastify/helmet builds a new helmet middleware on every request (parsing the CSP directives
 * each time, hello included: bench/README.md's profile); without nonces every answer gets the
 * same headers, so they are worked out once from helmet itself and set by one hook. helmet is the
 * one @fastify/helmet depends on (resolved from it: no second copy, no other version).
 */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const helmet = createRequire(import.meta.resolve('@fastify/helmet'))('helmet') as (o: SecurityHeaderOptions) => (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failed: unknown;
  helmet(options)({ headers: {} }, res, (error) => (failed = error));
  if (failed) throw failed;
  return headers;
}

/** Every answer gets the security headers (a route may set its own: its value wins). */
export function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
