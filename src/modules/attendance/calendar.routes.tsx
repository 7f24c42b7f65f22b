import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { printable, type RouteDeps } from '../../platform/routes';
import * as calendars from './calendar.service';
import { CalendarPage } from './views/calendar';

const TEN_MINUTES = 10 * 60_000;
const CODE = /^[A-Za-z0-9-]{1,60}$/;

/** A path that does not fit is the 404 page (platform/routes). */
const sessionParams = z.object({ code: printable(60).regex(CODE), session: printable(60).regex(CODE) });
const feedParams = z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{43}\.ics$/) });

function sendCalendar(reply: FastifyReply, file: calendars.CalendarFile, privately: boolean) {
  reply.type('text/calendar; charset=utf-8').header('content-disposition', `${privately ? 'inline' : 'attachment'}; filename="${file.name}"`);
  if (privately) reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
  else reply.header('cache-control', 'public, max-age=300');
  return reply.send(file.ics);
}

/**
 * CAT-8: the calendars. A session's `.ics` file (public, for any session of the catalogue), the
 * learner's private feed at a secret URL (no login: calendar apps fetch it alone), and the
 * learner's page of that feed, whose form makes a new URL.
 */
export function calendarRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc: calendars.CalendarDeps = { db, clock, baseUrl: config.baseUrl };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  // Calendar services fetch many people's feeds from few addresses: the feed is limited per token
  // (its hash: the rate-limit store never holds a secret), the public files generously per address.
  const perFeed = {
    rateLimit: {
      max: 60,
      timeWindow: TEN_MINUTES,
      keyGenerator: (request: FastifyRequest) => `calfeed:${createHash('sha256').update(String((request.params as { file?: string }).file ?? '')).digest('hex').slice(0, 32)}`,
    },
  };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `calendar:${request.auth?.user.id ?? request.ip}` },
  });

  return async (app) => {
    app.get<{ Params: z.output<typeof sessionParams> }>(
      '/formations/:code/sessions/:session/calendrier.ics',
      { schema: { params: sessionParams }, config: { rateLimit: { max: 600, timeWindow: TEN_MINUTES } } },
      async (request, reply) => {
        const file = await calendars.sessionCalendar(svc, request.locale, request.params.code, request.params.session);
        if (!file) return reply.callNotFound();
        return sendCalendar(reply, file, false);
      },
    );

    app.get<{ Params: z.output<typeof feedParams> }>('/calendrier/:file', { schema: { params: feedParams }, config: perFeed }, async (request, reply) => {
      const file = await calendars.learnerFeed(svc, request.params.file.slice(0, -'.ics'.length));
      if (!file) {
        reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
        return reply.callNotFound();
      }
      return sendCalendar(reply, file, true);
    });

    app.get('/compte/calendrier', { preHandler: requireUser('learner') }, async (request, reply) => {
      const page = await calendars.feedPage(svc, request.auth!.user.id);
      return sendPage(reply, <CalendarPage ctx={ctx(request, reply)} page={page} />);
    });

    // The answer shows the new URL, once: not a redirect, and not kept by the browser's cache.
    app.post('/compte/calendrier', { preHandler: requireUser('learner'), config: perAccount(10) }, async (request, reply) => {
      const { made, page } = await calendars.renewFeed(svc, request.auth!.user.id);
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return sendPage(reply, <CalendarPage ctx={ctx(request, reply)} page={page} made={made} />);
    });
  };
}
