import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { registerRoles } from '../../platform/personal-data';
import { idParams, uuidParam, type RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import {
  allowHost,
  createEndpoint,
  endpointMessages,
  getEndpoint,
  listAllowedHosts,
  listEndpoints,
  messageDetail,
  removeAllowedHost,
  replayMessage,
  rotateSecret,
  setEndpointDisabled,
  updateEndpoint,
  webhookRecipients,
  type WebhookRefusal,
} from './admin.service';
import { allowedHostSchema, endpointSchema, endpointStateSchema, removeHostSchema } from './webhooks.schema';
import { EndpointPage, endpointFormValues, MessagePage, RECIPIENTS, RecipientsPage, WEBHOOKS, WebhooksPage, type WebhooksPageForms } from './views/webhooks';

const flashes = {
  created: 'webhooks.flash.created',
  saved: 'webhooks.flash.saved',
  urlChanged: 'webhooks.flash.urlChanged',
  disabled: 'webhooks.flash.disabled',
  enabled: 'webhooks.flash.enabled',
  hostAllowed: 'webhooks.flash.hostAllowed',
  hostRemoved: 'webhooks.flash.hostRemoved',
  replayed: 'webhooks.flash.replayed',
} as const satisfies Record<string, MessageKey>;
const flashQuery = z.object({ message: z.enum(Object.keys(flashes) as [keyof typeof flashes, ...(keyof typeof flashes)[]]).optional() });

/** A message's id in a path (`msg_` and letters or digits); anything else is the 404 page. */
const messageParams = z.object({ id: uuidParam, messageId: z.string().regex(/^msg_[A-Za-z0-9]{1,64}$/) });
type EndpointRequest = FastifyRequest<{ Params: { id: string } }>;
type MessageRequest = FastifyRequest<{ Params: { id: string; messageId: string } }>;
const TEN_MINUTES = 600_000;

/**
 * SVC-8: `/personnel/admin/webhooks`, the administrator's webhook endpoints (linked from the
 * admin's hub): list, register (the secret shown once), edit, disable or enable, rotate the
 * secret (shown once), the allowed internal hosts, an endpoint's messages and attempts, replaying
 * a message. Admin only (the route's guard, and the service again); every form is limited per
 * administrator. And `/personnel/registre-traitements/webhooks`, what each endpoint receives,
 * for whoever reads the processing register.
 */
export function webhookRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const svc = { db, clock };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const adminOnly = { preHandler: requireUser('admin') };
  const withEndpoint = { ...adminOnly, schema: { params: idParams } };
  const withMessage = { ...adminOnly, schema: { params: messageParams } };
  const perAdmin = {
    rateLimit: { hook: 'preHandler' as const, max: 120, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `webhooks:${request.auth?.user.id ?? request.ip}` },
  };
  const actor = (request: FastifyRequest) => ({ id: request.auth!.user.id, role: request.auth!.user.role });

  const flashOf = (request: FastifyRequest, reply: FastifyReply) => {
    const message = flashQuery.safeParse(request.query).data?.message;
    return message ? ctx(request, reply).t(flashes[message]) : undefined;
  };

  /** A refusal that is not a field's: 404 for no such endpoint or message, 403 for who is not an administrator. */
  const refuse = (reply: FastifyReply, refusal: Exclude<WebhookRefusal, { code: 'invalid' }>) => {
    if (refusal.code === 'not_found') return reply.callNotFound();
    throw new AppError('forbidden');
  };
  const typedForm = (request: FastifyRequest, refusal: Extract<WebhookRefusal, { code: 'invalid' }>): FormState =>
    withError({ values: typedValues(request.body), errors: {} }, refusal.field, refusal.error);

  return async (app) => {
    async function listPage(request: FastifyRequest, reply: FastifyReply, options: { forms?: Partial<WebhooksPageForms>; status?: number; created?: { endpointId: string; secret: string } } = {}) {
      const status = options.status ?? 200;
      const forms: WebhooksPageForms = { endpoint: emptyForm({ personal: 'no' }), host: emptyForm(), ...options.forms };
      const page = (
        <WebhooksPage
          ctx={ctx(request, reply)}
          endpoints={await listEndpoints(svc, actor(request))}
          hosts={await listAllowedHosts(db, actor(request))}
          forms={forms}
          created={options.created}
          flash={status === 200 && !options.created ? flashOf(request, reply) : undefined}
        />
      );
      return sendPage(reply, page, status);
    }

    async function endpointPage(request: EndpointRequest, reply: FastifyReply, options: { form?: FormState; status?: number; rotated?: { secret: string; previousValidUntil: Date } } = {}) {
      const endpoint = await getEndpoint(db, actor(request), request.params.id);
      if (!endpoint) return reply.callNotFound();
      const messages = await endpointMessages(svc, actor(request), endpoint.id);
      if (!messages.ok) return messages.code === 'invalid' ? reply.callNotFound() : refuse(reply, messages);
      const status = options.status ?? 200;
      if (options.rotated) reply.header('cache-control', 'no-store');
      return sendPage(
        reply,
        <EndpointPage
          ctx={ctx(request, reply)}
          endpoint={endpoint}
          messages={messages.messages}
          form={options.form ?? emptyForm(endpointFormValues(endpoint))}
          rotated={options.rotated}
          flash={status === 200 ? (options.rotated ? ctx(request, reply).t('webhooks.flash.rotated') : flashOf(request, reply)) : undefined}
        />,
        status,
      );
    }

    async function messagePage(request: MessageRequest, reply: FastifyReply, options: { form?: FormState; status?: number } = {}) {
      const endpoint = await getEndpoint(db, actor(request), request.params.id);
      if (!endpoint) return reply.callNotFound();
      const detail = await messageDetail(svc, actor(request), { endpointId: endpoint.id, messageId: request.params.messageId });
      if (!detail.ok) return detail.code === 'invalid' ? reply.callNotFound() : refuse(reply, detail);
      const status = options.status ?? 200;
      return sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          endpoint={endpoint}
          message={detail.message}
          attempts={detail.attempts}
          form={options.form ?? emptyForm()}
          flash={status === 200 ? flashOf(request, reply) : undefined}
        />,
        status,
      );
    }

    app.get(WEBHOOKS, adminOnly, (request, reply) => listPage(request, reply));

    app.post(WEBHOOKS, { ...adminOnly, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(endpointSchema, request.body);
      if (!parsed.ok) return listPage(request, reply, { forms: { endpoint: parsed.form }, status: 400 });
      const result = await createEndpoint(svc, actor(request), parsed.data);
      if (!result.ok) return result.code === 'invalid' ? listPage(request, reply, { forms: { endpoint: typedForm(request, result) }, status: 400 }) : refuse(reply, result);
      // The secret is in this page only: never cached, never in a URL.
      reply.header('cache-control', 'no-store');
      return listPage(request, reply, { created: { endpointId: result.endpointId, secret: result.secret } });
    });

    app.post(`${WEBHOOKS}/hotes`, { ...adminOnly, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(allowedHostSchema, request.body);
      if (!parsed.ok) return listPage(request, reply, { forms: { host: parsed.form }, status: 400 });
      const result = await allowHost(svc, actor(request), parsed.data);
      if (!result.ok) return result.code === 'invalid' ? listPage(request, reply, { forms: { host: typedForm(request, result) }, status: 400 }) : refuse(reply, result);
      return reply.redirect(`${WEBHOOKS}?message=hostAllowed#hotes`, 303);
    });

    app.post(`${WEBHOOKS}/hotes/retirer`, { ...adminOnly, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(removeHostSchema, request.body);
      if (!parsed.ok) return reply.callNotFound();
      const result = await removeAllowedHost(svc, actor(request), parsed.data);
      if (!result.ok) return result.code === 'invalid' ? reply.callNotFound() : refuse(reply, result);
      return reply.redirect(`${WEBHOOKS}?message=hostRemoved#hotes`, 303);
    });

    app.get<{ Params: { id: string } }>(`${WEBHOOKS}/:id`, withEndpoint, (request, reply) => endpointPage(request, reply));

    app.post<{ Params: { id: string } }>(`${WEBHOOKS}/:id`, { ...withEndpoint, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(endpointSchema, request.body);
      if (!parsed.ok) return endpointPage(request, reply, { form: parsed.form, status: 400 });
      const result = await updateEndpoint(svc, actor(request), request.params.id, parsed.data);
      if (!result.ok) return result.code === 'invalid' ? endpointPage(request, reply, { form: typedForm(request, result), status: 400 }) : refuse(reply, result);
      return reply.redirect(`${WEBHOOKS}/${request.params.id}?message=${result.withheld ? 'urlChanged' : 'saved'}`, 303);
    });

    app.post<{ Params: { id: string } }>(`${WEBHOOKS}/:id/etat`, { ...withEndpoint, config: perAdmin }, async (request, reply) => {
      const parsed = parseForm(endpointStateSchema, request.body);
      if (!parsed.ok) return endpointPage(request, reply, { status: 400 });
      const result = await setEndpointDisabled(svc, actor(request), request.params.id, parsed.data.disabled);
      if (!result.ok) return result.code === 'invalid' ? endpointPage(request, reply, { status: 400 }) : refuse(reply, result);
      return reply.redirect(`${WEBHOOKS}/${request.params.id}?message=${parsed.data.disabled ? 'disabled' : 'enabled'}`, 303);
    });

    app.post<{ Params: { id: string } }>(`${WEBHOOKS}/:id/secret`, { ...withEndpoint, config: perAdmin }, async (request, reply) => {
      const result = await rotateSecret(svc, actor(request), request.params.id);
      if (!result.ok) return result.code === 'invalid' ? reply.callNotFound() : refuse(reply, result);
      return endpointPage(request, reply, { rotated: { secret: result.secret, previousValidUntil: result.previousValidUntil } });
    });

    app.get<{ Params: { id: string; messageId: string } }>(`${WEBHOOKS}/:id/messages/:messageId`, withMessage, (request, reply) => messagePage(request, reply));

    app.post<{ Params: { id: string; messageId: string } }>(`${WEBHOOKS}/:id/messages/:messageId/rejouer`, { ...withMessage, config: perAdmin }, async (request, reply) => {
      const result = await replayMessage(svc, actor(request), { endpointId: request.params.id, messageId: request.params.messageId });
      if (!result.ok) return result.code === 'invalid' ? messagePage(request, reply, { form: withError(emptyForm(), result.field, result.error), status: 400 }) : refuse(reply, result);
      return reply.redirect(`${WEBHOOKS}/${request.params.id}/messages/${request.params.messageId}?message=replayed`, 303);
    });

    app.get(RECIPIENTS, { preHandler: requireUser(...registerRoles) }, async (request, reply) =>
      sendPage(reply, <RecipientsPage ctx={ctx(request, reply)} recipients={await webhookRecipients(db, actor(request))} isAdmin={request.auth!.user.role === 'admin'} />),
    );
  };
}
