import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../../app';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { learnerNames } from '../accounts/accounts.service';
import { sessionsInScope } from '../catalogue/catalogue.service';
import { scopeOf } from '../staff/staff.service';
import { decideSession, rankSession } from './selection.service';
import { SelectionPage } from './views/selection';
import { answerOffer } from './waiting-list.service';

/** The coordinator's selection screen (SEL-1, SEL-2, SEL-3, SEL-6). */
export function selectionRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const coordinators = { preHandler: requireUser('coordinator', 'admin') };

  const learnerOnly = { preHandler: requireUser('learner') };
  const offerAnswer = z.object({ offre: z.string().max(40), reponse: z.enum(['accept', 'decline']) });

  return async (app) => {
    // SEL-7, SEL-8: the learner accepts or declines a place offered.
    app.post<{ Params: { id: string } }>('/candidatures/:id/offre', learnerOnly, async (request, reply) => {
      const parsed = offerAnswer.safeParse(request.body);
      if (!parsed.success) return reply.redirect('/candidatures', 303);
      const result = await answerOffer(svc, { learnerId: request.auth!.user.id, offerId: parsed.data.offre, accept: parsed.data.reponse === 'accept' });
      if (!result.ok && result.code === 'not_found') return reply.callNotFound();
      const message = result.ok ? (result.accepted ? 'accepted' : 'declined') : result.code;
      return reply.redirect(`/candidatures?message=${message}#candidature-${encodeURIComponent(request.params.id)}`, 303);
    });

    app.get<{ Params: { code: string }; Querystring: { acceptees?: string; attente?: string } }>('/personnel/sessions/:code/selection', coordinators, async (request, reply) => {
      const staff = request.auth!.user;
      const result = await rankSession(svc, { staff, sessionCode: request.params.code });
      const t = pageContext(request, reply, devTools).t;
      const q = request.query;
      const flash =
        q && /^\d{1,5}$/.test(q.acceptees ?? '') && /^\d{1,5}$/.test(q.attente ?? '') ? t('sel.decided', { accepted: Number(q.acceptees), waiting: Number(q.attente) }) : undefined;
      if (!result.ok && result.code === 'not_found') return reply.callNotFound();
      if (!result.ok) {
        const [session] = await sessionsInScope(db, await scopeOf(db, staff), { code: request.params.code });
        return sendPage(reply, <SelectionPage ctx={pageContext(request, reply, devTools)} session={session} taken={0} ranked={[]} names={new Map()} windowOpen />);
      }
      const names = await learnerNames(db, result.ranked.map((r) => r.learnerId!).filter(Boolean));
      return sendPage(
        reply,
        <SelectionPage ctx={pageContext(request, reply, devTools)} session={result.session} seed={result.seed} taken={result.taken} ranked={result.ranked} names={names} windowOpen={false} flash={flash} />,
      );
    });

    app.post<{ Params: { code: string } }>('/personnel/sessions/:code/selection', coordinators, async (request, reply) => {
      const result = await decideSession(svc, { staff: request.auth!.user, sessionCode: request.params.code });
      if (!result.ok && result.code === 'not_found') return reply.callNotFound();
      const back = `/personnel/sessions/${encodeURIComponent(request.params.code)}/selection`;
      if (!result.ok) return reply.redirect(back, 303);
      return reply.redirect(`${back}?acceptees=${result.accepted}&attente=${result.waiting}`, 303);
    });
  };
}
