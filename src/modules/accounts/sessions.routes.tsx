import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../../platform/routes';
import { requireUser } from '../../platform/http';
import type { AccountHttp } from './accounts.http';
import { endOtherSessions, endUserSession } from './sessions.service';

/** A person's login sessions, listed on the account page: end one, or all the others. */
export function sessionRoutes(_deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { svc } = http;
  // A session's id is the SHA-256 of its token, in hex (else the 404 page, never the database).
  const sessionParams = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/) });

  return async (app) => {
    app.post<{ Params: { id: string } }>('/compte/sessions/:id/fermer', { preHandler: requireUser(), schema: { params: sessionParams } }, async (request, reply) => {
      await endUserSession(svc, { userId: request.auth!.user.id, sessionId: request.params.id });
      return reply.redirect('/compte?message=sessionsEnded', 303);
    });

    app.post('/compte/sessions/fermer-autres', { preHandler: requireUser() }, async (request, reply) => {
      await endOtherSessions(svc, { userId: request.auth!.user.id, keepSessionId: request.auth!.sessionId });
      return reply.redirect('/compte?message=sessionsEnded', 303);
    });
  };
}
