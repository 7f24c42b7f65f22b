import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, requireUser, sendPage, SESSION_COOKIE } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import type { FormState } from '../../ui/context';
import { parseForm, withError } from '../../ui/forms';
import { closeOwnAccount, closurePage } from './closure.service';
import { providerLabel } from '../accounts';
import { closureSchema } from './closure.schema';
import { ClosedPage, ClosurePage } from './views/closure';

const ONE_HOUR = 3_600_000;
/** `?deja=1`: the account was closed before this request. */
const closedQuery = z.object({ deja: z.literal('1').optional() });

/**
 * ACC-11: "close my account". The page says what happens and what stops it now; the form asks
 * for the password again (a wrong one counts as a failed login, ACC-1; the form is limited per
 * account like a password change), or, without a password of its own, for a re-authentication
 * with the provider first (the oidc part's `/connexion/oidc/<provider>`, `reauth=1`). Closed: the browser's session cookie goes, the CSRF secret
 * is renewed, and the learner sees the confirmation.
 */
export function closureRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const perAccount = {
    rateLimit: {
      hook: 'preHandler' as const,
      max: async () => (await deps.policies()).passwordChangesPerAccountPerHour,
      timeWindow: ONE_HOUR,
      keyGenerator: (request: FastifyRequest) => `account-closure:${request.auth?.user.id ?? request.ip}`,
    },
  };
  const signOut = (reply: FastifyReply) => {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.renewCsrfSecret();
  };
  const show = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200, notice?: MessageKey) => {
    const facts = await closurePage(svc, { userId: request.auth!.user.id, sessionId: request.auth!.sessionId });
    if (facts.alreadyClosed) return sendPage(reply, <ClosedPage ctx={ctx(request, reply)} already />);
    return sendPage(reply, <ClosurePage ctx={ctx(request, reply)} facts={facts} form={form} notice={notice} labelOf={(name) => providerLabel(config.oidc, name)} />, status);
  };

  return async (app) => {
    app.get('/compte/fermer', { preHandler: requireUser('learner') }, async (request, reply) => show(request, reply));

    app.post('/compte/fermer', { preHandler: requireUser('learner'), config: perAccount }, async (request, reply) => {
      const { user, sessionId } = request.auth!;
      // An account without a password of its own confirms by its provider (the form has no field): the service knows which.
      const parsed = parseForm(closureSchema, request.body, { omit: ['password'] });
      if (!parsed.ok) return show(request, reply, parsed.form, 400);
      const result = await closeOwnAccount(svc, { userId: user.id, sessionId, password: parsed.data.password, ip: request.ip });
      if (result.ok) {
        signOut(reply);
        return reply.redirect(result.alreadyClosed ? '/compte/ferme?deja=1' : '/compte/ferme', 303);
      }
      if ('reasons' in result) return show(request, reply, undefined, 409);
      const empty = { values: {}, errors: {} };
      if (result.reason === 'throttled') {
        reply.header('retry-after', String(result.retryAfterSeconds));
        return show(request, reply, withError(empty, 'password', { message: 'login.throttled', params: { minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) } }), 429);
      }
      if (result.reason === 'reauth_required') return show(request, reply, undefined, 400, 'privacy.closure.reauthRequired');
      if (result.reason === 'password_required') return show(request, reply, withError(empty, 'password', { message: 'field.required' }), 400);
      return show(request, reply, withError(empty, 'password', { message: 'password.currentInvalid' }), 400);
    });

    app.get<{ Querystring: z.output<typeof closedQuery> }>('/compte/ferme', { schema: { querystring: closedQuery } }, async (request, reply) =>
      sendPage(reply, <ClosedPage ctx={ctx(request, reply)} already={request.query.deja === '1'} />),
    );
  };
}
