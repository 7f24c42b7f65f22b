import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import type { RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { counsellorChoiceSchema, deskClosingSchema, helpDeskSchema } from './desk.schema';
import {
  addCounsellorToDesk,
  counsellorAccounts,
  createHelpDesk,
  getHelpDesk,
  listHelpDesks,
  removeCounsellorFromDesk,
  setHelpDeskClosed,
  updateHelpDesk,
  type HelpDeskRefusal,
} from './help-desks.service';
import { deskFormValues, HelpDeskPage, HelpDesksPage, type HelpDeskForms } from './views/help-desks';

const flashes = {
  created: 'hdesk.flash.created',
  saved: 'hdesk.flash.saved',
  closed: 'hdesk.flash.closed',
  reopened: 'hdesk.flash.reopened',
  assigned: 'hdesk.flash.assigned',
  removed: 'hdesk.flash.removed',
} as const satisfies Record<string, MessageKey>;
const flashQuery = z.object({ message: z.enum(Object.keys(flashes) as [keyof typeof flashes, ...(keyof typeof flashes)[]]).optional() });
/** A desk's id in a path: a serial (1 to 2 147 483 647); anything else is the 404 page. */
const deskParams = z.object({
  id: z
    .string()
    .regex(/^[1-9]\d{0,9}$/)
    .transform(Number)
    .refine((n) => n <= 2_147_483_647),
});
const TEN_MINUTES = 600_000;

type WithDesk = FastifyRequest<{ Params: { id: number } }>;

/**
 * SVC-5: `/personnel/admin/accueils`, the administrator's help desks (linked from the admin's
 * hub): list, add, rename or change what a desk serves, close or reopen it, assign or remove its
 * counsellors. Admin only (the route's guard, and the service again); every form is limited per
 * administrator.
 */
export function helpDeskAdminRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const svc = { db, clock };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const adminOnly = { preHandler: requireUser('admin') };
  const withDesk = { ...adminOnly, schema: { params: deskParams } };
  const perAdmin = {
    rateLimit: { hook: 'preHandler' as const, max: 120, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `hdesk:${request.auth?.user.id ?? request.ip}` },
  };

  const flashOf = (request: FastifyRequest, reply: FastifyReply) => {
    const message = flashQuery.safeParse(request.query).data?.message;
    return message ? ctx(request, reply).t(flashes[message]) : undefined;
  };

  return async (app) => {
    const listPage = async (request: FastifyRequest, reply: FastifyReply, form: FormState = emptyForm(), status = 200) =>
      sendPage(reply, <HelpDesksPage ctx={ctx(request, reply)} desks={await listHelpDesks(db)} form={form} flash={status === 200 ? flashOf(request, reply) : undefined} />, status);

    /** A refusal that is not a field's: 404 for no such desk, 403 for who is not an administrator. */
    const refuse = (reply: FastifyReply, refusal: Exclude<HelpDeskRefusal, { code: 'invalid' }>) => {
      if (refusal.code === 'not_found') return reply.callNotFound();
      throw new AppError('forbidden');
    };

    async function deskPage(request: WithDesk, reply: FastifyReply, forms: Partial<HelpDeskForms> = {}, status = 200) {
      const desk = await getHelpDesk(db, request.params.id);
      if (!desk) return reply.callNotFound();
      const all: HelpDeskForms = { desk: emptyForm(deskFormValues(desk)), counsellor: emptyForm(), closing: emptyForm(), ...forms };
      return sendPage(
        reply,
        <HelpDeskPage ctx={ctx(request, reply)} desk={desk} candidates={await counsellorAccounts(db)} forms={all} flash={status === 200 ? flashOf(request, reply) : undefined} />,
        status,
      );
    }

    app.get('/personnel/admin/accueils', adminOnly, (request, reply) => listPage(request, reply));

    app.post('/personnel/admin/accueils', { ...adminOnly, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(helpDeskSchema, request.body);
      if (!parsed.ok) return listPage(request, reply, parsed.form, 400);
      const result = await createHelpDesk(svc, request.auth!.user, parsed.data);
      if (!result.ok) {
        if (result.code !== 'invalid') return refuse(reply, result);
        return listPage(request, reply, withError({ values: typedValues(request.body), errors: {} }, result.field, result.error), 400);
      }
      return reply.redirect(`/personnel/admin/accueils/${result.deskId}?message=created`, 303);
    });

    app.get<{ Params: { id: number } }>('/personnel/admin/accueils/:id', withDesk, (request, reply) => deskPage(request, reply));

    app.post<{ Params: { id: number } }>('/personnel/admin/accueils/:id', { ...withDesk, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(helpDeskSchema, request.body);
      if (!parsed.ok) return deskPage(request, reply, { desk: parsed.form }, 400);
      const result = await updateHelpDesk(svc, request.auth!.user, request.params.id, parsed.data);
      if (!result.ok) {
        if (result.code !== 'invalid') return refuse(reply, result);
        return deskPage(request, reply, { desk: withError({ values: typedValues(request.body), errors: {} }, result.field, result.error) }, 400);
      }
      return reply.redirect(`/personnel/admin/accueils/${request.params.id}?message=saved`, 303);
    });

    app.post<{ Params: { id: number } }>('/personnel/admin/accueils/:id/fermer', { ...withDesk, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(deskClosingSchema, request.body);
      if (!parsed.ok) return deskPage(request, reply, { closing: parsed.form }, 400);
      const result = await setHelpDeskClosed(svc, request.auth!.user, request.params.id, parsed.data.closed);
      if (!result.ok) return result.code === 'invalid' ? deskPage(request, reply, {}, 400) : refuse(reply, result);
      return reply.redirect(`/personnel/admin/accueils/${request.params.id}?message=${parsed.data.closed ? 'closed' : 'reopened'}`, 303);
    });

    for (const [path, act, flash] of [
      ['conseillers', addCounsellorToDesk, 'assigned'],
      ['conseillers/retirer', removeCounsellorFromDesk, 'removed'],
    ] as const) {
      app.post<{ Params: { id: number } }>(`/personnel/admin/accueils/:id/${path}`, { ...withDesk, config: perAdmin }, async (request, reply) => {
        const parsed = parseForm(counsellorChoiceSchema, request.body);
        if (!parsed.ok) return deskPage(request, reply, { counsellor: parsed.form }, 400);
        const result = await act(svc, request.auth!.user, { deskId: request.params.id, userId: parsed.data.counsellor });
        if (!result.ok) {
          if (result.code !== 'invalid') return refuse(reply, result);
          return deskPage(request, reply, { counsellor: withError({ values: typedValues(request.body), errors: {} }, result.field, result.error) }, 400);
        }
        return reply.redirect(`/personnel/admin/accueils/${request.params.id}?message=${flash}#conseillers`, 303);
      });
    }
  };
}
