import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../../platform/routes';
import { requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { parseForm } from '../../ui/forms';
import type { AccountHttp } from './accounts.http';
import { acceptedCurrentTerms, acceptTerms, consentsOf, lastAcceptedTerms, receivesNews, setNewsConsent } from './consents.service';
import { signInsOf } from './sign-ins.service';
import { ConsentsPage, SIGN_INS_SHOWN, SignInsPage, TermsUpdatePage } from './views/consents';

const flashes = { newsGiven: 'consents.news.given', newsWithdrawn: 'consents.news.withdrawn' } as const satisfies Record<string, MessageKey>;
const flashQuery = z.object({ message: z.enum(['newsGiven', 'newsWithdrawn']).optional() });
const newsSchema = z.object({ choice: z.enum(['give', 'withdraw'], { error: 'field.required' }) });

/**
 * ACC-1, ACC-11: the account's consents (`/compte/consentements`: see them, give or withdraw
 * the news opt-in), the acceptance of a new version of the terms (`/compte/conditions`,
 * where termsGate sends a learner who has not accepted it), and "my sign-ins" (`/compte/connexions`).
 */
export function consentRoutes(_deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { svc, ctx, ip, returnTo } = http;
  const learner = { preHandler: requireUser('learner') };

  return async (app) => {
    const showConsents = async (request: FastifyRequest, reply: FastifyReply, status = 200) => {
      const userId = request.auth!.user.id;
      const [consents, news] = await Promise.all([consentsOf(svc.db, userId), receivesNews(svc.db, userId)]);
      const flash = status === 200 ? flashQuery.safeParse(request.query).data?.message : undefined;
      return sendPage(reply, <ConsentsPage ctx={ctx(request, reply)} consents={consents} receivesNews={news} flash={flash ? flashes[flash] : undefined} />, status);
    };

    app.get('/compte/consentements', learner, (request, reply) => showConsents(request, reply));

    app.post('/compte/consentements/informations', learner, async (request, reply) => {
      // One hidden field: a bad value is a tampered page, shown again as it is.
      const parsed = parseForm(newsSchema, request.body);
      if (!parsed.ok) return showConsents(request, reply, 400);
      const agree = parsed.data.choice === 'give';
      await setNewsConsent(svc, { userId: request.auth!.user.id, agree });
      return reply.redirect(`/compte/consentements?message=${agree ? 'newsGiven' : 'newsWithdrawn'}`, 303);
    });

    app.get('/compte/connexions', { preHandler: requireUser() }, async (request, reply) =>
      sendPage(reply, <SignInsPage ctx={ctx(request, reply)} signIns={await signInsOf(svc.db, request.auth!.user.id, SIGN_INS_SHOWN)} />),
    );

    app.get('/compte/conditions', learner, async (request, reply) => {
      const userId = request.auth!.user.id;
      if (await acceptedCurrentTerms(svc.db, userId)) return reply.redirect(returnTo(request) ?? '/compte', 303);
      const before = await lastAcceptedTerms(svc.db, userId);
      return sendPage(reply, <TermsUpdatePage ctx={ctx(request, reply)} acceptedBefore={before !== null} returnTo={returnTo(request)} />);
    });

    app.post('/compte/conditions', learner, async (request, reply) => {
      await acceptTerms(svc, { userId: request.auth!.user.id, ip: ip(request) });
      return reply.redirect(returnTo(request) ?? '/compte', 303);
    });
  };
}
