import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import { rolesFor } from '../applications';
import { changeQuery, changeSchema, sessionParams } from './cancellations.schema';
import { cancellationPage, changeSession, type CancellationFailure } from './cancellations.service';
import { CancellationPageView, cancellationPath } from './views/cancellation';

const TEN_MINUTES = 10 * 60_000;

/**
 * SVC-2: `/personnel/sessions/<code>/annulation`, the service's page to cancel a session or move it
 * to remote: the form, its check step (who will be told, what closes, what is refunded), then the
 * change. Guarded by the lifecycle's `cancelSession` roles; the service checks the role and the
 * scope again (out of scope 403, unknown 404). Rate limited per account.
 */
export function cancellationRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const roles = rolesFor('cancelSession');
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  type Route = { Params: z.output<typeof sessionParams>; Querystring: z.output<typeof changeQuery> };
  const orError = (reply: FastifyReply, failure: CancellationFailure) => {
    if (failure.code === 'not_found') return reply.callNotFound();
    throw new AppError('forbidden');
  };

  return async (app) => {
    app.get<Route>(cancellationPathPattern, { preHandler: requireUser(...roles), schema: { params: sessionParams, querystring: changeQuery } }, async (request, reply) => {
      const data = await cancellationPage(svc, request.auth!.user, request.params.code);
      if ('ok' in data) return orError(reply, data);
      const page = ctx(request, reply);
      const last = data.changes[0];
      const flash =
        request.query.fait && last?.kind === request.query.fait
          ? page.t(request.query.fait === 'cancelled' ? 'cancel.done.cancelled' : 'cancel.done.remote', { told: last.told, closed: last.closed, refunded: last.refunded })
          : undefined;
      return sendPage(reply, <CancellationPageView ctx={page} data={data} flash={flash} />);
    });

    app.post<Route>(
      cancellationPathPattern,
      {
        preHandler: requireUser(...roles),
        schema: { params: sessionParams },
        config: { rateLimit: { hook: 'preHandler' as const, max: 30, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `cancel:${request.auth?.user.id ?? request.ip}` } },
      },
      async (request, reply) => {
        const staff = request.auth!.user;
        const code = request.params.code;
        const parsed = parseForm(changeSchema, request.body);
        const data = await cancellationPage(svc, staff, code);
        if ('ok' in data) return orError(reply, data);
        const page = ctx(request, reply);
        if (!parsed.ok) return sendPage(reply, <CancellationPageView ctx={page} data={data} form={parsed.form} />, 400);
        const values = { values: typedValues(request.body), errors: {} } satisfies FormState;
        if (parsed.data.edit) return sendPage(reply, <CancellationPageView ctx={page} data={data} form={values} />);
        if (!parsed.data.confirm) {
          // The check step: what would happen, before anything is sent (refused at once if it cannot be done).
          const refusal = data.refusals[parsed.data.kind];
          if (refusal) return sendPage(reply, <CancellationPageView ctx={page} data={data} form={values} notice={{ message: refusal.message }} />, 409);
          return sendPage(reply, <CancellationPageView ctx={page} data={data} check={parsed.data} />);
        }
        const result = await changeSession(svc, staff, { sessionCode: code, kind: parsed.data.kind, reason: parsed.data.reason, message: parsed.data.message, method: parsed.data.method });
        if (result.ok) return reply.redirect(`${cancellationPath(code)}?fait=${parsed.data.kind}`, 303);
        if (result.code === 'not_found' || result.code === 'forbidden') return orError(reply, result);
        const fresh = await cancellationPage(svc, staff, code);
        if ('ok' in fresh) return orError(reply, fresh);
        if (result.code === 'invalid')
          return sendPage(reply, <CancellationPageView ctx={page} data={fresh} form={{ values: values.values, errors: { [result.field]: { message: result.message } } }} />, 400);
        return sendPage(reply, <CancellationPageView ctx={page} data={fresh} form={values} notice={{ message: result.message }} />, 409);
      },
    );
  };
}

const cancellationPathPattern = '/personnel/sessions/:code/annulation';
