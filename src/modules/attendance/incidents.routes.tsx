import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { rolesFor } from '../applications';
import { CONDUCT_REASON_MAX, conductSchema, learnerParams, pageQuery, sessionParams } from './incidents.schema';
import * as incidents from './incidents.service';
import { actionPaths, attendancePath, AttendancePage, ConductPage } from './views/incidents';

const TEN_MINUTES = 10 * 60_000;

/**
 * A session's attendance page for staff (ATT-2, ATT-3, ATT-5): the learners holding a place,
 * their attendance and streaks, the incidents and the actions the lifecycle allows. Each route
 * checks the role (the lifecycle's table); the service checks the scope (403 outside it, 404
 * unknown: docs/decisions/008) and the lifecycle again under its locks.
 */
export function incidentRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc: incidents.IncidentDeps = { db, clock, baseUrl: config.baseUrl };
  const viewers = { preHandler: requireUser(...incidents.attendanceViewers) };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `att:${request.auth?.user.id ?? request.ip}` },
  });
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const staffOf = (request: FastifyRequest) => ({ id: request.auth!.user.id, role: request.auth!.user.role });
  const refused = (reply: FastifyReply, failure: incidents.IncidentFailure) => {
    if (failure.code === 'forbidden') throw new AppError('forbidden');
    return reply.callNotFound();
  };

  return async (app) => {
    type SessionRequest = FastifyRequest<{ Params: z.output<typeof sessionParams> }>;

    async function page(request: SessionRequest, reply: FastifyReply, extra: { notice?: MessageKey; status?: number; flash?: string } = {}) {
      const result = await incidents.sessionAbsences(svc, staffOf(request), request.params.code);
      if (!result.ok) return refused(reply, result);
      return sendPage(reply, <AttendancePage ctx={ctx(request, reply)} session={result.session} rows={result.rows} notice={extra.notice} flash={extra.flash} />, extra.status ?? 200);
    }

    app.get<{ Params: z.output<typeof sessionParams>; Querystring: z.output<typeof pageQuery> }>(
      '/personnel/sessions/:code/assiduite',
      { ...viewers, schema: { params: sessionParams, querystring: pageQuery } },
      (request, reply) => {
        const done = request.query.fait;
        return page(request, reply, { flash: done ? ctx(request, reply).t(`att.incidents.done.${done}`) : undefined });
      },
    );

    // ATT-2, ATT-5: the buttons of the page, each a row of the lifecycle.
    for (const action of ['removeForAbsences', 'excludeForAbsences', 'releaseAbsent'] as const)
      app.post<{ Params: z.output<typeof learnerParams> }>(
        `/personnel/sessions/:code/assiduite/:id/${actionPaths[action]}`,
        { preHandler: requireUser(...rolesFor(action)), schema: { params: learnerParams }, config: perAccount(60) },
        async (request, reply) => {
          const result = await incidents.actOnAbsences(svc, staffOf(request), { sessionCode: request.params.code, applicationId: request.params.id, action });
          if (result.ok) return reply.redirect(`${attendancePath(request.params.code)}?fait=${action}`, 303);
          if (result.code !== 'refused') return refused(reply, result);
          return page(request, reply, { notice: result.message, status: 409 });
        },
      );

    // ATT-3: the exclusion for conduct, with its reason (required, next to the field when missing).
    type LearnerRequest = FastifyRequest<{ Params: z.output<typeof learnerParams> }>;
    const conductors = { preHandler: requireUser(...rolesFor('excludeForConduct')), schema: { params: learnerParams } };

    async function conductPage(request: LearnerRequest, reply: FastifyReply, extra: { form?: FormState; notice?: MessageKey; status?: number } = {}) {
      const result = await incidents.learnerAbsences(svc, staffOf(request), request.params.code, request.params.id);
      if (!result.ok) return refused(reply, result);
      return sendPage(reply, <ConductPage ctx={ctx(request, reply)} session={result.session} row={result.row} form={extra.form} notice={extra.notice} />, extra.status ?? 200);
    }

    app.get<{ Params: z.output<typeof learnerParams> }>(`/personnel/sessions/:code/assiduite/:id/${actionPaths.excludeForConduct}`, conductors, (request, reply) => conductPage(request, reply));

    app.post<{ Params: z.output<typeof learnerParams> }>(`/personnel/sessions/:code/assiduite/:id/${actionPaths.excludeForConduct}`, { ...conductors, config: perAccount(30) }, async (request, reply) => {
      const parsed = parseForm(conductSchema, request.body);
      if (!parsed.ok) return conductPage(request, reply, { form: parsed.form, status: 400 });
      const result = await incidents.actOnAbsences(svc, staffOf(request), { sessionCode: request.params.code, applicationId: request.params.id, action: 'excludeForConduct', reason: parsed.data.reason });
      if (result.ok) return reply.redirect(`${attendancePath(request.params.code)}?fait=excludeForConduct`, 303);
      if (result.code !== 'refused') return refused(reply, result);
      if (result.message === 'field.required' || result.message === 'field.tooLong') {
        const error = result.message === 'field.tooLong' ? { message: result.message, params: { max: CONDUCT_REASON_MAX } } : { message: result.message };
        return conductPage(request, reply, { form: withError({ values: typedValues(request.body), errors: {} }, 'reason', error), status: 400 });
      }
      // Refused meanwhile (already excluded, removed or gone): the session's page says so.
      return page(request, reply, { notice: result.message, status: 409 });
    });
  };
}
