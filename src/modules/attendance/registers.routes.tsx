import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey, Params } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import { rolesFor } from '../applications';
import { meetingCancellers } from './registers.rules';
import { cancelSchema, meetingParams, meetingsQuery, parseRegisterForm, registerQuery, sessionParams } from './registers.schema';
import * as registers from './registers.service';
import { MeetingsListPage, RegisterFormPage, registerPaths, registerValues } from './views/registers';

const TEN_MINUTES = 10 * 60_000;

/**
 * Meetings and registers (ATT-1): a session's meetings, one meeting's register and its save, the
 * service's cancellation of a meeting. Handlers parse (a meeting's id is a positive integer, else
 * the 404 page), authorise (the lifecycle's `markAttendance` roles; the service checks the role
 * and the scope again: out of scope 403, unknown 404), call one service function and render or
 * redirect. Every POST is rate limited per account.
 */
export function registerRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const svc = { db, clock, baseUrl: deps.config.baseUrl };
  const markers = rolesFor('markAttendance');
  const readers = [...new Set([...markers, ...meetingCancellers])];
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `att:${request.auth?.user.id ?? request.ip}` },
  });
  type MeetingRoute = { Params: z.output<typeof meetingParams>; Querystring: z.output<typeof registerQuery> };
  type SessionRoute = { Params: z.output<typeof sessionParams>; Querystring: z.output<typeof meetingsQuery> };

  /** A failure that is no page: the 404 page, or the 403 error. */
  const orError = (reply: FastifyReply, failure: registers.RegisterFailure) => {
    if (failure.code === 'not_found') return reply.callNotFound();
    throw new AppError('forbidden');
  };

  return async (app) => {
    app.get<SessionRoute>('/personnel/sessions/:code/registres', { preHandler: requireUser(...readers), schema: { params: sessionParams, querystring: meetingsQuery } }, async (request, reply) => {
      const data = await registers.meetingsPage(svc, request.auth!.user, request.params.code);
      if ('ok' in data) return orError(reply, data);
      const flash = request.query.message ? ctx(request, reply).t('att.meetings.flash.cancelled') : undefined;
      return sendPage(reply, <MeetingsListPage ctx={ctx(request, reply)} data={data} flash={flash} />);
    });

    app.post<SessionRoute>(
      '/personnel/sessions/:code/registres/annuler',
      { preHandler: requireUser(...meetingCancellers), schema: { params: sessionParams }, config: perAccount(60) },
      async (request, reply) => {
        const staff = request.auth!.user;
        const parsed = parseForm(cancelSchema, request.body);
        const result = parsed.ok ? await registers.cancelMeeting(svc, staff, { sessionCode: request.params.code, meetingId: parsed.data.meeting, reason: parsed.data.reason }) : null;
        if (result?.ok) return reply.redirect(`${registerPaths.meetings(request.params.code)}?message=cancelled`, 303);
        if (result && (result.code === 'not_found' || result.code === 'forbidden')) return orError(reply, result);
        const data = await registers.meetingsPage(svc, staff, request.params.code);
        if ('ok' in data) return orError(reply, data);
        const form: FormState = result ? { values: typedValues(request.body), errors: result.errors ?? {} } : (parsed as { form: FormState }).form;
        const notice = result && !result.errors ? { message: result.message } : undefined;
        return sendPage(reply, <MeetingsListPage ctx={ctx(request, reply)} data={data} form={form} notice={notice} />, notice ? 409 : 400);
      },
    );

    app.get<MeetingRoute>('/personnel/sessions/:code/registres/:meeting', { preHandler: requireUser(...markers), schema: { params: meetingParams, querystring: registerQuery } }, async (request, reply) => {
      const data = await registers.registerPage(svc, request.auth!.user, request.params.code, request.params.meeting);
      if ('ok' in data) return orError(reply, data);
      const page = ctx(request, reply);
      const flash = request.query.message ? page.t('att.register.flash.saved') : undefined;
      reply.header('cache-control', 'no-store');
      return sendPage(reply, <RegisterFormPage ctx={page} data={data} token={randomUUID()} form={{ values: registerValues(data, request.query.tous === 'presents'), errors: {} }} flash={flash} />);
    });

    app.post<MeetingRoute>('/personnel/sessions/:code/registres/:meeting', { preHandler: requireUser(...markers), schema: { params: meetingParams }, config: perAccount(120) }, async (request, reply) => {
      const staff = request.auth!.user;
      const { code, meeting } = request.params;
      const parsed = parseRegisterForm(request.body);
      const result = parsed.ok ? await registers.saveRegister(svc, staff, { sessionCode: code, meetingId: meeting, token: parsed.data.token, marks: parsed.data.marks }) : null;
      if (result?.ok) return reply.redirect(`${registerPaths.meeting(code, meeting)}?message=saved`, 303);
      if (result && (result.code === 'not_found' || result.code === 'forbidden')) return orError(reply, result);
      const data = await registers.registerPage(svc, staff, code, meeting);
      if ('ok' in data) return orError(reply, data);
      let form: FormState;
      let notice: { message: MessageKey; params?: Params } | undefined;
      if (!result) {
        const { _form, ...errors } = (parsed as { form: FormState }).form.errors;
        form = { values: (parsed as { form: FormState }).form.values, errors };
        if (_form) notice = { message: _form.message };
      } else {
        // A conflict: what was typed kept, the entries now seen drawn afresh (a new save checks against them).
        const seenNow = result.code === 'conflict' ? Object.keys((request.body ?? {}) as object).filter((k) => k.startsWith('seen_')) : [];
        form = { values: typedValues(request.body, seenNow), errors: result.errors ?? {} };
        if (!result.errors) notice = { message: result.message, params: result.params };
      }
      reply.header('cache-control', 'no-store');
      return sendPage(reply, <RegisterFormPage ctx={ctx(request, reply)} data={data} token={randomUUID()} form={form} notice={notice} conflicts={result?.conflicts} />, notice && result ? 409 : 400);
    });
  };
}
