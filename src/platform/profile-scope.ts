import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Profile } from '../domain/profile';
import { withProfile } from './i18n';

const scopeOf = new WeakMap<FastifyRequest, AsyncResource>();

/**
 * Issue 18: every request of this app runs in its profile's wording (`withProfile`), so the
 * emails its services queue, the PDFs they draw and the messages they word follow the
 * institution's profile without being told. Entered at `onRequest`; entered again at
 * `preValidation` and `preHandler`, because reading a body resumes from the socket's events,
 * outside the request's asynchronous context (the way @fastify/request-context does it).
 */
export function registerProfileScope(app: FastifyInstance, profile: Profile): void {
  app.addHook('onRequest', (request, _reply, done) => {
    withProfile(profile, () => {
      scopeOf.set(request, new AsyncResource('cursus-profile'));
      done();
    });
  });
  const reenter = (request: FastifyRequest, _reply: unknown, done: () => void) => {
    const resource = scopeOf.get(request);
    if (resource) resource.runInAsyncScope(done);
    else done();
  };
  app.addHook('preValidation', reenter);
  app.addHook('preHandler', reenter);
}
