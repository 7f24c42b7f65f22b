import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../../platform/routes';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { parseForm, typedValues } from '../../ui/forms';
import type { FormState } from '../../ui/context';
import { moveSchema, parsePreferences } from './responder.schema';
import { preferencesPage, savePreferences, type SaveFailure } from './responder.service';
import { PreferencesPageView } from './views/preferences';

const TEN_MINUTES = 10 * 60_000;
const flashes = { saved: 'sel.responder.saved', savedOn: 'sel.responder.savedOn' } as const satisfies Record<string, MessageKey>;
const PATH = '/candidatures/preferences';

/** SEL-13: the learner's preference list and automatic responder, `/candidatures/preferences`. */
export function responderRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const learner = { preHandler: requireUser('learner') };
  const perAccount = {
    rateLimit: { hook: 'preHandler' as const, max: 60, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `responder:${request.auth?.user.id ?? request.ip}` },
  };
  const query = z.object({ message: z.enum(Object.keys(flashes) as [keyof typeof flashes]).optional() });
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);

  return async (app) => {
    const show = async (request: FastifyRequest, reply: FastifyReply, extra: { form?: FormState; notice?: MessageKey; flash?: MessageKey } = {}, status = 200) =>
      sendPage(reply, <PreferencesPageView ctx={ctx(request, reply)} page={await preferencesPage(db, request.auth!.user.id)} {...extra} />, status);

    /** A refusal of the service: the page again, as saved now (stale, 409) or with the message next to the field (400). */
    const refused = (request: FastifyRequest, reply: FastifyReply, failure: SaveFailure) => {
      if (failure.code === 'stale') return show(request, reply, { notice: 'sel.responder.stale' }, 409);
      const form = { values: typedValues(request.body), errors: { [failure.field]: { message: `sel.responder.error.${failure.reason}` as MessageKey } } };
      return show(request, reply, { form }, 400);
    };

    app.get<{ Querystring: z.output<typeof query> }>(PATH, { ...learner, schema: { querystring: query } }, (request, reply) =>
      show(request, reply, { flash: request.query.message ? flashes[request.query.message] : undefined }),
    );

    app.post(PATH, { ...learner, config: perAccount }, async (request, reply) => {
      const parsed = parsePreferences(request.body);
      if (!parsed.ok) return show(request, reply, { form: parsed.form }, 400);
      const result = await savePreferences(svc, { learnerId: request.auth!.user.id, ...parsed.data });
      if (!result.ok) return refused(request, reply, result);
      return reply.redirect(`${PATH}?message=${parsed.data.on ? 'savedOn' : 'saved'}`, 303);
    });

    // The up/down buttons: move one application in the list as saved (the version says which).
    app.post(`${PATH}/deplacer`, { ...learner, config: perAccount }, async (request, reply) => {
      const parsed = parseForm(moveSchema, request.body);
      if (!parsed.ok) return show(request, reply, {}, 400);
      const learnerId = request.auth!.user.id;
      const [applicationId, direction] = parsed.data.deplacer.toLowerCase().split(':') as [string, 'up' | 'down'];
      const current = await preferencesPage(db, learnerId);
      const positions = new Map(current.items.map((i) => [i.application.id, i.position]));
      const result = await savePreferences(svc, { learnerId, version: parsed.data.version, positions, on: current.on, move: { applicationId, direction } });
      if (!result.ok) return refused(request, reply, result);
      return reply.redirect(`${PATH}?message=saved#preference-${applicationId}`, 303);
    });
  };
}
