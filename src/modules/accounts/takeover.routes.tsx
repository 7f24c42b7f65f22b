import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { sendPage } from '../../platform/http';
import { extraRateLimit } from '../../platform/rate-limit';
import { emptyForm } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { PASSWORD_FIELDS, type AccountHttp } from './accounts.http';
import { takeoverSchema } from './accounts.schema';
import { takeOverAccount } from './assisted.service';
import { sha256 } from './links';
import { signInAddress } from './takeover.rules';
import { TakeoverPage } from './views/takeover';

const ONE_HOUR = 3_600_000;

/**
 * SVC-5: `/compte/reprendre`, the takeover of an account made at a help desk with the code sent
 * by SMS. Limited per address (the route) and per account (the identifier typed, whatever the
 * address: guesses spread over many addresses count together), besides the five tries of a code.
 */
export function takeoverRoutes(deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { svc, ctx, ip, limit } = http;
  return async (app) => {
    const perAccount = extraRateLimit(app, {
      max: async () => (await deps.policies()).takeoverCodeTriesPerAccountPerHour,
      timeWindow: ONE_HOUR,
      groupId: 'takeover-per-account',
      keyGenerator: (request: FastifyRequest) => {
        // Hashed: what is typed may hold anything (a NUL byte has no place in a PostgreSQL key).
        const typed = (request.body as Record<string, unknown> | undefined)?.identifier;
        return `takeover:${typeof typed === 'string' ? sha256(signInAddress(typed.slice(0, 300))) : request.ip}`;
      },
    });

    app.get('/compte/reprendre', async (request, reply) => sendPage(reply, <TakeoverPage ctx={ctx(request, reply)} form={emptyForm()} />));

    app.post('/compte/reprendre', { config: limit('loginAttemptsPerIpPer10Min'), preHandler: perAccount }, async (request, reply) => {
      const parsed = parseForm(takeoverSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return sendPage(reply, <TakeoverPage ctx={ctx(request, reply)} form={parsed.form} />, 400);
      const result = await takeOverAccount(svc, parsed.data, ip(request));
      if (!result.ok) {
        const form = withError({ values: typedValues(request.body, PASSWORD_FIELDS), errors: {} }, 'code', { message: 'takeover.invalid' });
        return sendPage(reply, <TakeoverPage ctx={ctx(request, reply)} form={form} />, 400);
      }
      return http.startSession(request, reply, result.user);
    });
  };
}
