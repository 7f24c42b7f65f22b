import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import * as levels from './levels.service';
import { NextLevelPage, type NextLevelRefusal } from './views/levels';

const TEN_MINUTES = 10 * 60_000;
const choice = z.object({ session: z.string().trim().regex(/^[A-Za-z0-9-]{1,60}$/) });

/** CERT-6: the learner's next level: the sessions open to them, and applying with the form prefilled. */
export function levelsRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const learnerOnly = { preHandler: requireUser('learner') };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `levels:${request.auth?.user.id ?? request.ip}` },
  });

  return async (app) => {
    const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
    const page = async (request: FastifyRequest, reply: FastifyReply, refusal?: NextLevelRefusal, status = 200) =>
      sendPage(reply, <NextLevelPage ctx={ctx(request, reply)} page={await levels.nextLevelPage(db, clock, request.auth!.user.id)} refusal={refusal} />, status);

    app.get('/compte/niveau-suivant', learnerOnly, (request, reply) => page(request, reply));

    // CERT-6: apply to one of the next level's sessions; the form comes prefilled, to check and confirm.
    app.post('/compte/niveau-suivant', { ...learnerOnly, config: perAccount(30) }, async (request, reply) => {
      const parsed = choice.safeParse(request.body);
      if (!parsed.success) return reply.callNotFound();
      const result = await levels.applyToNextLevel(svc, { learnerId: request.auth!.user.id, sessionCode: parsed.data.session });
      if (result.ok) return reply.redirect(`/candidatures/${result.applicationId}/verification`, 303);
      if (result.code === 'not_found') return reply.callNotFound();
      if (result.code === 'no_record') return reply.redirect('/compte/fiche', 303);
      return page(request, reply, { sessionCode: parsed.data.session, message: result.message, params: result.params }, 409);
    });
  };
}
