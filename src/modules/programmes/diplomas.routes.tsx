import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { sendStoredFile } from '../../platform/files';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { idParams, type RouteDeps } from '../../platform/routes';
import { uploadedForm } from '../../platform/uploads';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import { transcript, unitAttestation } from '../certification';
import type { Progress } from './programmes.rules';
import { DIPLOMA_PROOF_FIELD, diplomaDecisionSchema, duplicateSchema } from './diplomas.schema';
import * as diplomas from './diplomas.service';
import { DiplomaDecisionPage, DiplomaQueuePage, DiplomaRequestPage } from './views/diplomas';

const TEN_MINUTES = 10 * 60_000;
const code = z.string().regex(/^[A-Za-z0-9-]{1,30}$/);
const codeParams = z.object({ code });
const unitParams = z.object({ unit: code });
const fileParams = z.object({ code, id: z.string().uuid() });
const messageQuery = z.object({ message: z.enum(['demande', 'duplicata', 'enregistre']).optional() });
const flashOf: Record<string, MessageKey> = { demande: 'dipl.flash.requested', duplicata: 'dipl.flash.duplicate', enregistre: 'dipl.staff.saved' };

type PageExtra = { form?: FormState; notice?: MessageKey; flash?: MessageKey; status?: number; progress?: Progress };

const pdfReply = (reply: FastifyReply, pdf: Buffer, name: string) =>
  reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}"`).header('cache-control', 'private, no-store').send(pdf);

/**
 * CRED-4: the learner's documents from "Mes cursus" — the transcript, each unit's attestation of
 * success, the diploma's page (the eligibility check, the request, the duplicate with its proof)
 * and its PDF — and the administrator's queue of requests and decision. The roles here, and
 * again in the services (admin only for the decisions).
 */
export function diplomaRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { db, clock, config, secret, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl, secret };
  const learner = { preHandler: requireUser('learner') };
  const staff = { preHandler: requireUser(...diplomas.diplomaDeciders) };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `dipl:${request.auth?.user.id ?? request.ip}` },
  });
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);

  // ---- the learner's documents ----

  app.get('/compte/cursus/releve.pdf', learner, async (request, reply) => {
    const result = await transcript(svc, { learnerId: request.auth!.user.id, locale: ctx(request, reply).locale });
    if (!result.ok) return reply.callNotFound();
    return pdfReply(reply, result.pdf, result.fileName);
  });

  app.get<{ Params: z.output<typeof unitParams> }>('/compte/cursus/unites/:unit/attestation.pdf', { ...learner, schema: { params: unitParams } }, async (request, reply) => {
    const result = await unitAttestation(svc, { learnerId: request.auth!.user.id, unitCode: request.params.unit, locale: ctx(request, reply).locale });
    if (!result.ok) return reply.callNotFound();
    return pdfReply(reply, result.pdf, result.fileName);
  });

  // ---- the diploma ----

  async function learnerPage(request: FastifyRequest<{ Params: z.output<typeof codeParams> }>, reply: FastifyReply, extra: PageExtra = {}) {
    const page = await diplomas.diplomaPage(db, svc, request.auth!.user.id, request.params.code);
    if (!page) return reply.callNotFound();
    const policies = await deps.policies();
    return sendPage(
      reply,
      <DiplomaRequestPage ctx={ctx(request, reply)} page={page} form={extra.form} notice={extra.notice} flash={extra.flash} maxMegabytes={policies.uploadMaxMegabytes} progressOverride={extra.progress} />,
      extra.status ?? 200,
    );
  }

  app.get<{ Params: z.output<typeof codeParams>; Querystring: z.output<typeof messageQuery> }>(
    '/compte/cursus/:code/diplome',
    { ...learner, schema: { params: codeParams, querystring: messageQuery } },
    (request, reply) => learnerPage(request, reply, { flash: request.query.message ? flashOf[request.query.message] : undefined }),
  );

  app.post<{ Params: z.output<typeof codeParams> }>('/compte/cursus/:code/diplome', { ...learner, schema: { params: codeParams }, config: perAccount(20) }, async (request, reply) => {
    const result = await diplomas.requestDiploma(svc, { learnerId: request.auth!.user.id, code: request.params.code });
    if (result.ok) return reply.redirect(`/compte/cursus/${encodeURIComponent(request.params.code.toUpperCase())}/diplome?message=demande`, 303);
    if (result.code === 'not_found' || result.code === 'forbidden') return reply.callNotFound();
    if (result.code === 'incomplete') return learnerPage(request, reply, { notice: 'dipl.err.incomplete', progress: result.progress, status: 409 });
    if (result.code === 'refused') return learnerPage(request, reply, { notice: result.message, status: 409 });
    return learnerPage(request, reply, { status: 400 });
  });

  app.post<{ Params: z.output<typeof codeParams> }>('/compte/cursus/:code/duplicata', { ...learner, schema: { params: codeParams }, config: { upload: true, ...perAccount(20) } }, async (request, reply) => {
    const upload = uploadedForm(request, DIPLOMA_PROOF_FIELD);
    const parsed = parseForm(duplicateSchema, upload.fields);
    const fileError = upload.fileError ?? (upload.file ? undefined : { message: 'upload.required' as const });
    if (!parsed.ok || fileError || Object.keys(upload.fieldErrors).length) {
      const form = parsed.ok ? { values: typedValues(upload.fields), errors: {} } : parsed.form;
      return learnerPage(request, reply, { form: { values: form.values, errors: { ...form.errors, ...upload.fieldErrors, ...(fileError ? { [DIPLOMA_PROOF_FIELD]: fileError } : {}) } }, status: 400 });
    }
    const result = await diplomas.requestDuplicate(
      svc,
      { learnerId: request.auth!.user.id, code: request.params.code, reason: parsed.data.reason, file: { name: upload.file!.name, data: upload.file!.data } },
      await deps.policies(),
    );
    if (result.ok) return reply.redirect(`/compte/cursus/${encodeURIComponent(request.params.code.toUpperCase())}/diplome?message=duplicata`, 303);
    if (result.code === 'not_found' || result.code === 'forbidden') return reply.callNotFound();
    if (result.code === 'refused') return learnerPage(request, reply, { notice: result.message, status: 409 });
    if (result.code === 'invalid') return learnerPage(request, reply, { form: { values: typedValues(upload.fields), errors: result.errors }, status: 400 });
    return learnerPage(request, reply, { status: 409 });
  });

  app.get<{ Params: z.output<typeof fileParams> }>('/compte/cursus/:code/duplicata/:id/justificatif', { ...learner, schema: { params: fileParams } }, async (request, reply) => {
    const found = await diplomas.diplomaProofForLearner(db, request.auth!.user.id, request.params.id);
    if (!found) return reply.callNotFound();
    return sendStoredFile(reply, found);
  });

  app.get<{ Params: z.output<typeof codeParams> }>('/compte/cursus/:code/diplome.pdf', { ...learner, schema: { params: codeParams } }, async (request, reply) => {
    const result = await diplomas.diplomaPdf(svc, { learnerId: request.auth!.user.id, code: request.params.code, locale: ctx(request, reply).locale });
    if (!result) return reply.callNotFound();
    return pdfReply(reply, result.pdf, result.fileName);
  });

  // ---- the administrator ----

  app.get('/personnel/diplomes', staff, async (request, reply) => {
    const result = await diplomas.pendingDiplomaRequests(db, request.auth!.user);
    if (!result.ok) throw new AppError('forbidden');
    return sendPage(reply, <DiplomaQueuePage ctx={ctx(request, reply)} requests={result.requests} />);
  });

  async function staffPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, extra: PageExtra = {}) {
    const found = await diplomas.diplomaRequestForStaff(db, request.auth!.user, request.params.id);
    if (!found.ok) {
      if (found.code === 'forbidden') throw new AppError('forbidden');
      return reply.callNotFound();
    }
    return sendPage(
      reply,
      <DiplomaDecisionPage ctx={ctx(request, reply)} request={found.request} form={extra.form} notice={extra.notice} flash={extra.flash} progressOverride={extra.progress} />,
      extra.status ?? 200,
    );
  }

  app.get<{ Params: { id: string }; Querystring: z.output<typeof messageQuery> }>('/personnel/diplomes/:id', { ...staff, schema: { params: idParams, querystring: messageQuery } }, (request, reply) =>
    staffPage(request, reply, { flash: request.query.message ? flashOf[request.query.message] : undefined }),
  );

  app.post<{ Params: { id: string } }>('/personnel/diplomes/:id', { ...staff, schema: { params: idParams } }, async (request, reply) => {
    const parsed = parseForm(diplomaDecisionSchema, request.body);
    if (!parsed.ok) return staffPage(request, reply, { form: parsed.form, status: 400 });
    const result = await diplomas.decideDiplomaRequest(svc, { actor: request.auth!.user, requestId: request.params.id, grant: parsed.data.decision === 'grant', reason: parsed.data.reason });
    if (result.ok) return reply.redirect(`/personnel/diplomes/${request.params.id}?message=enregistre`, 303);
    if (result.code === 'forbidden') throw new AppError('forbidden');
    if (result.code === 'not_found') return reply.callNotFound();
    if (result.code === 'incomplete') return staffPage(request, reply, { notice: 'dipl.err.noLongerComplete', progress: result.progress, status: 409 });
    if (result.code === 'refused') return staffPage(request, reply, { notice: result.message, status: 409 });
    return staffPage(request, reply, { form: { values: typedValues(request.body), errors: result.errors }, status: 400 });
  });

  app.get<{ Params: { id: string } }>('/personnel/diplomes/:id/justificatif', { ...staff, schema: { params: idParams } }, async (request, reply) => {
    const found = await diplomas.diplomaProofForStaff(db, request.auth!.user, request.params.id);
    if (!found) return reply.callNotFound();
    return sendStoredFile(reply, found);
  });
}
