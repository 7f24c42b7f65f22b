import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { sendStoredFile } from '../../platform/files';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { isUuid } from '../../platform/input';
import { idParams, uuidParam, type RouteDeps } from '../../platform/routes';
import { uploadedForm, type UploadedFile } from '../../platform/uploads';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { contactStaffRoles } from './contact.rules';
import { answerSchema, CONTACT_FILE_FIELD, contactSchema, contactUpload, queueQuery, replySchema } from './contact.schema';
import * as contact from './contact.service';
import { ContactFormPage, ContactInfoPage, ConversationPage, MessagesPage, QueuePage, StaffConversationPage } from './views/contact';

const TEN_MINUTES = 10 * 60_000;
const fileParams = z.object({ id: uuidParam, entryId: uuidParam });
const learnerFlash = z.object({ message: z.enum(['sent', 'replied']).optional() });
type WithId<Q = unknown> = { Params: { id: string }; Querystring: Q };

/**
 * A multipart form of the module: its fields through the schema, the file beside them, and what
 * the reading found (a file refused, a text cut past the reading's limit) next to its field,
 * with what was typed kept.
 */
function parseUpload<S extends z.ZodType>(request: FastifyRequest, schema: S): { ok: true; data: z.output<S>; file: UploadedFile | null } | { ok: false; form: FormState } {
  const upload = uploadedForm(request, CONTACT_FILE_FIELD);
  const parsed = parseForm(schema, upload.fields);
  const readErrors = { ...upload.fieldErrors, ...(upload.fileError ? { [CONTACT_FILE_FIELD]: upload.fileError } : {}) };
  if (parsed.ok && Object.keys(readErrors).length === 0) return { ok: true, data: parsed.data, file: upload.file };
  const form = parsed.ok ? { values: typedValues(upload.fields), errors: {} } : parsed.form;
  return { ok: false, form: { values: form.values, errors: { ...readErrors, ...form.errors } } };
}

/** The form's token again when it is one (the same form, sent again, stays one message), else a new one. */
const tokenOf = (form: FormState | undefined) => (form && isUuid(form.values.formToken) ? form.values.formToken! : randomUUID());

/** A failure of the service about a field, as the form to show again. */
const withFailure = (form: FormState, failure: contact.ContactFailure): FormState => withError(form, failure.field ?? 'text', { message: failure.message, params: failure.params });

/**
 * SVC-1: the contact form (`/contact`: a learner's form; a visitor sees the phone line and the
 * sign-in), the learner's messages (`/compte/messages`), the staff's queue in their scope
 * (`/personnel/messages`). Handlers parse, authorise (the route's roles; the service checks the
 * role again and the scope: 403 out of it, 404 for what does not exist), call one service
 * function and render or redirect. Every `:id` is a UUID; the posts are rate-limited per account.
 */
export function contactRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc: contact.ContactDeps = { db, clock, baseUrl: config.baseUrl };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `contact:${request.auth?.user.id ?? request.ip}` },
  });
  const learner = { preHandler: requireUser('learner') };
  const staff = { preHandler: requireUser(...contactStaffRoles) };

  return async (app) => {
    // ---- the learner ----

    const formPage = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) => {
      const learnerId = request.auth!.user.id;
      const [options, maxMegabytes] = await Promise.all([contact.aboutOptions(db, learnerId), contact.attachmentMaxMegabytes(db)]);
      return sendPage(reply, <ContactFormPage ctx={ctx(request, reply)} options={options} formToken={tokenOf(form)} maxMegabytes={maxMegabytes} form={form} />, status);
    };

    app.get('/contact', async (request, reply) => {
      if (request.auth?.user.role !== 'learner') return sendPage(reply, <ContactInfoPage ctx={ctx(request, reply)} />);
      return formPage(request, reply);
    });

    app.post('/contact', { ...learner, config: { ...contactUpload, ...perAccount(10) } }, async (request, reply) => {
      const parsed = parseUpload(request, contactSchema);
      if (!parsed.ok) return formPage(request, reply, parsed.form, 400);
      const result = await contact.sendMessage(svc, request.auth!.user.id, {
        subject: parsed.data.subject,
        applicationId: parsed.data.about || null,
        text: parsed.data.text,
        formToken: parsed.data.formToken,
        file: parsed.file ? { name: parsed.file.name, data: parsed.file.data } : null,
      });
      if (result.ok) return reply.redirect(`/compte/messages/${result.message.id}?message=sent`, 303);
      return formPage(request, reply, withFailure({ values: typedValues(uploadedForm(request, CONTACT_FILE_FIELD).fields), errors: {} }, result), 400);
    });

    app.get('/compte/messages', learner, async (request, reply) => {
      const rows = await contact.learnerMessages(db, request.auth!.user.id);
      return sendPage(reply, <MessagesPage ctx={ctx(request, reply)} rows={rows} />);
    });

    const conversationPage = async (request: FastifyRequest<WithId>, reply: FastifyReply, props: { form?: FormState; notice?: contact.ContactFailure['message']; flash?: string }, status = 200) => {
      const conversation = await contact.learnerConversation(db, request.auth!.user.id, request.params.id);
      if (!conversation) return reply.callNotFound();
      const maxMegabytes = await contact.attachmentMaxMegabytes(db);
      return sendPage(reply, <ConversationPage ctx={ctx(request, reply)} conversation={conversation} formToken={tokenOf(props.form)} maxMegabytes={maxMegabytes} {...props} />, status);
    };

    app.get<WithId<z.output<typeof learnerFlash>>>('/compte/messages/:id', { ...learner, schema: { params: idParams, querystring: learnerFlash } }, async (request, reply) => {
      const conversation = await contact.learnerConversation(db, request.auth!.user.id, request.params.id);
      if (!conversation) return reply.callNotFound();
      const t = ctx(request, reply).t;
      const flash = request.query.message === 'sent' ? t('contact.flash.sent', { reference: conversation.message.reference }) : request.query.message === 'replied' ? t('contact.flash.replied') : undefined;
      return conversationPage(request, reply, { flash });
    });

    app.post<WithId>('/compte/messages/:id', { ...learner, config: { ...contactUpload, ...perAccount(30) }, schema: { params: idParams } }, async (request, reply) => {
      const parsed = parseUpload(request, replySchema);
      if (!parsed.ok) return conversationPage(request, reply, { form: parsed.form }, 400);
      const result = await contact.replyToMessage(svc, request.auth!.user.id, request.params.id, {
        text: parsed.data.text,
        formToken: parsed.data.formToken,
        file: parsed.file ? { name: parsed.file.name, data: parsed.file.data } : null,
      });
      if (result.ok) return reply.redirect(`/compte/messages/${request.params.id}?message=replied`, 303);
      if (result.code === 'not_found') return reply.callNotFound();
      const form = { values: typedValues(uploadedForm(request, CONTACT_FILE_FIELD).fields), errors: {} };
      if (!result.field) return conversationPage(request, reply, { notice: result.message }, 409);
      return conversationPage(request, reply, { form: withFailure(form, result) }, 400);
    });

    app.get<{ Params: z.output<typeof fileParams> }>('/compte/messages/:id/pieces/:entryId', { ...learner, schema: { params: fileParams } }, async (request, reply) => {
      const found = await contact.attachmentForLearner(db, request.auth!.user.id, request.params.id, request.params.entryId);
      if (!found) return reply.callNotFound();
      return sendStoredFile(reply, found);
    });

    // ---- staff ----

    /** A failure that is no form's: 404 or 403. */
    const refuse = (reply: FastifyReply, failure: contact.ContactFailure) => {
      if (failure.code === 'not_found') return reply.callNotFound();
      throw new AppError('forbidden');
    };

    app.get<{ Querystring: z.output<typeof queueQuery> }>('/personnel/messages', { ...staff, schema: { querystring: queueQuery } }, async (request, reply) => {
      const filter = request.query.statut ?? 'open';
      const rows = await contact.staffQueue(db, request.auth!.user, filter);
      if (!Array.isArray(rows)) return refuse(reply, rows);
      const t = ctx(request, reply).t;
      const flash = request.query.message ? t(request.query.message === 'closed' ? 'contact.flash.closed' : 'contact.flash.answered') : undefined;
      return sendPage(reply, <QueuePage ctx={ctx(request, reply)} rows={rows} filter={filter} flash={flash} />);
    });

    const staffPage = async (request: FastifyRequest<WithId>, reply: FastifyReply, props: { form?: FormState; notice?: contact.ContactFailure['message'] }, status = 200) => {
      const found = await contact.staffConversation(db, request.auth!.user, request.params.id);
      if (!found.ok) return refuse(reply, found);
      return sendPage(reply, <StaffConversationPage ctx={ctx(request, reply)} conversation={found.conversation} formToken={tokenOf(props.form)} {...props} />, status);
    };

    app.get<WithId>('/personnel/messages/:id', { ...staff, schema: { params: idParams } }, async (request, reply) => staffPage(request, reply, {}));

    app.post<WithId>('/personnel/messages/:id', { ...staff, config: perAccount(120), schema: { params: idParams } }, async (request, reply) => {
      const parsed = parseForm(answerSchema, request.body);
      if (!parsed.ok) {
        // Out of scope or unknown is said before the form's errors.
        const found = await contact.staffConversation(db, request.auth!.user, request.params.id);
        if (!found.ok) return refuse(reply, found);
        return staffPage(request, reply, { form: parsed.form }, 400);
      }
      const result = await contact.answerMessage(svc, request.auth!.user, request.params.id, { text: parsed.data.text, formToken: parsed.data.formToken, close: parsed.data.close === 'on' });
      if (result.ok) return reply.redirect(`/personnel/messages?message=${result.status === 'closed' ? 'closed' : 'answered'}`, 303);
      if (result.code !== 'refused') return refuse(reply, result);
      const form = { values: typedValues(request.body), errors: {} };
      if (!result.field) return staffPage(request, reply, { notice: result.message }, 409);
      return staffPage(request, reply, { form: withFailure(form, result) }, 400);
    });

    app.get<{ Params: z.output<typeof fileParams> }>('/personnel/messages/:id/pieces/:entryId', { ...staff, schema: { params: fileParams } }, async (request, reply) => {
      const found = await contact.attachmentForStaff(svc, request.auth!.user, request.params.id, request.params.entryId);
      if (!found.ok) return refuse(reply, found);
      return sendStoredFile(reply, found.found);
    });
  };
}
