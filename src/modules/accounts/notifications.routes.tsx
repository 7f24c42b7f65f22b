import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notifyChannels } from '../../domain/vocabulary';
import { requireUser, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, withError } from '../../ui/forms';
import type { AccountHttp } from './accounts.http';
import { notifySettings, setNotifyChoice } from './notify.service';
import { NotificationsPage } from './views/notifications';

const TEN_MINUTES = 10 * 60_000;
const choiceSchema = z.object({ notifyBy: z.enum(notifyChannels, { error: 'field.required' }) });
const flashQuery = z.object({ message: z.enum(['saved']).optional() });

/** SVC-7: `/compte/notifications`, where a learner chooses how to be told (email, SMS or both). */
export function notificationRoutes(_deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { svc, ctx } = http;
  const learner = { preHandler: requireUser('learner') };
  const perAccount = {
    rateLimit: { hook: 'preHandler' as const, max: 30, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `notify:${request.auth?.user.id ?? request.ip}` },
  };

  return async (app) => {
    const show = async (request: FastifyRequest, reply: FastifyReply, form: FormState = emptyForm(), status = 200) => {
      const settings = await notifySettings(svc.db, request.auth!.user.id);
      if (!settings) return reply.callNotFound();
      const saved = status === 200 && flashQuery.safeParse(request.query).data?.message === 'saved';
      return sendPage(reply, <NotificationsPage ctx={ctx(request, reply)} settings={settings} form={form} flash={saved ? 'notify.saved' : undefined} />, status);
    };

    app.get('/compte/notifications', learner, (request, reply) => show(request, reply));

    app.post('/compte/notifications', { ...learner, config: perAccount }, async (request, reply) => {
      const parsed = parseForm(choiceSchema, request.body);
      if (!parsed.ok) return show(request, reply, parsed.form, 400);
      const saved = await setNotifyChoice(svc, { userId: request.auth!.user.id, choice: parsed.data.notifyBy });
      if (!saved.ok) {
        const form = withError({ values: { notifyBy: parsed.data.notifyBy }, errors: {} }, 'notifyBy', { message: saved.reason === 'no_mobile' ? 'notify.error.noMobile' : 'notify.error.noEmail' });
        return show(request, reply, form, 400);
      }
      return reply.redirect('/compte/notifications?message=saved', 303);
    });
  };
}
