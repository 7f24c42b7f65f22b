import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { sendStoredFile } from '../../platform/files';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey, Translator } from '../../platform/i18n';
import { idParams, type RouteDeps } from '../../platform/routes';
import { uploadedForm, type UploadedFile } from '../../platform/uploads';
import type { FieldError, FormState } from '../../ui/context';
import { emptyForm } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import { applicationExists, getApplication } from './applications.service';
import { rolesFor } from './lifecycle';
import { proofDateCounts } from './proofs.rules';
import { PROOF_FILE_FIELD, proofDecisionSchema, proofSchema } from './proofs.schema';
import * as proofs from './proofs.service';
import { ProofPage, StaffProofPage } from './views/proofs';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;
type PageExtra = { form?: FormState; notice?: MessageKey; flash?: MessageKey; status?: number };
const messageQuery = z.object({ message: z.enum(['envoye', 'enregistre']).optional() });
type PageRequest = { Params: { id: string }; Querystring: z.output<typeof messageQuery> };

/** The dates of a refusal's window, written for the reader. */
function withWindow(t: Translator, error: FieldError | undefined, window: { from: string; to: string; months: number } | undefined): FieldError | undefined {
  if (!error || !window) return error;
  return { message: error.message, params: { ...error.params, from: t.date(window.from), to: t.date(window.to), months: window.months } };
}

/**
 * The learner's proof form: its fields through the schema, the file beside them, and what the
 * multipart reading found (a file over the limit, a second file, a body cut short), each next
 * to its field, with what was typed kept.
 */
function parseProofForm(request: FastifyRequest): { ok: true; data: z.output<typeof proofSchema>; file: UploadedFile } | { ok: false; form: FormState } {
  const upload = uploadedForm(request, PROOF_FILE_FIELD);
  const parsed = parseForm(proofSchema, upload.fields);
  const fileError = upload.fileError ?? (upload.file ? undefined : { message: 'upload.required' as const });
  if (parsed.ok && !fileError && Object.keys(upload.fieldErrors).length === 0) return { ok: true, data: parsed.data, file: upload.file! };
  const form = parsed.ok ? { values: typedValues(upload.fields), errors: {} } : parsed.form;
  return { ok: false, form: { values: form.values, errors: { ...form.errors, ...upload.fieldErrors, ...(fileError ? { [PROOF_FILE_FIELD]: fileError } : {}) } } };
}

/**
 * PAY-6, the half-rate proof: the learner's page and form (multipart), and their file; the
 * school's page with the decision, and the file for staff in scope. Staff routes check the role
 * here (`decideProof`'s row) and the service checks it again with the scope in its queries:
 * outside the scope, 403 when the application exists (docs/decisions/008), else 404; another
 * learner's application or file is a 404.
 */
export function proofRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const learner = { preHandler: requireUser('learner'), schema: { params: idParams } };
  const staff = { preHandler: requireUser(...rolesFor('decideProof')), schema: { params: idParams } };
  const withMessage = (route: typeof learner) => ({ ...route, schema: { ...route.schema, querystring: messageQuery } });
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);

  return async (app) => {
    // ---- the learner ----

    async function learnerPage(request: IdRequest, reply: FastifyReply, extra: PageExtra = {}) {
      const application = await getApplication(db, clock, request.auth!.user.id, request.params.id);
      if (!application) return reply.callNotFound();
      const policies = await deps.policies();
      const window = proofs.proofWindowFor(application, clock, policies.halfRateProofValidityMonths);
      const outOfWindow = application.proof?.status === 'pending' && application.confirmedAt !== null && !proofDateCounts(application.proof.proofDate, window.to, window.months).ok;
      const form = extra.form ?? emptyForm({ allowance: application.proof?.allowance ?? application.allowance ?? undefined });
      return sendPage(
        reply,
        <ProofPage
          ctx={ctx(request, reply)}
          app={application}
          form={form}
          window={window}
          outOfWindow={outOfWindow}
          maxMegabytes={policies.uploadMaxMegabytes}
          notice={extra.notice}
          flash={extra.flash}
        />,
        extra.status ?? 200,
      );
    }

    app.get<PageRequest>('/candidatures/:id/justificatif', withMessage(learner), (request, reply) =>
      learnerPage(request, reply, { flash: request.query.message === 'envoye' ? 'proof.flash.sent' : undefined }),
    );

    app.post<{ Params: { id: string } }>('/candidatures/:id/justificatif', { ...learner, config: { upload: true } }, async (request, reply) => {
      const page = (extra: PageExtra) => learnerPage(request, reply, extra);
      const parsed = parseProofForm(request);
      if (!parsed.ok) return page({ form: parsed.form, status: 400 });
      const result = await proofs.uploadProof(
        svc,
        { learnerId: request.auth!.user.id, applicationId: request.params.id, allowance: parsed.data.allowance, proofDate: parsed.data.proofDate, file: { name: parsed.file.name, data: parsed.file.data } },
        await deps.policies(),
      );
      if (result.ok) return reply.redirect(`/candidatures/${request.params.id}/justificatif?message=envoye`, 303);
      if (result.code === 'not_found' || result.code === 'forbidden') return reply.callNotFound();
      if (result.code === 'stale') return page({ notice: result.message, status: 409 });
      const t = ctx(request, reply).t;
      const errors = { ...result.errors, proofDate: withWindow(t, result.errors.proofDate, result.window) };
      return page({ form: { values: typedValues(request.body), errors }, status: 400 });
    });

    app.get<{ Params: { id: string } }>('/candidatures/:id/justificatif/fichier', learner, async (request, reply) => {
      const found = await proofs.proofFileForLearner(db, request.auth!.user.id, request.params.id);
      if (!found) return reply.callNotFound();
      return sendStoredFile(reply, found);
    });

    // ---- staff ----

    /** Outside the scope: 403 when the application exists, else the 404 page (docs/decisions/008). */
    async function refuse(reply: FastifyReply, applicationId: string) {
      if (await applicationExists(db, applicationId)) throw new AppError('forbidden');
      return reply.callNotFound();
    }

    async function staffPage(request: IdRequest, reply: FastifyReply, extra: PageExtra = {}) {
      const data = await proofs.proofForStaff(db, clock, request.auth!.user, request.params.id);
      if (!data) return refuse(reply, request.params.id);
      return sendPage(reply, <StaffProofPage ctx={ctx(request, reply)} data={data} form={extra.form} notice={extra.notice} flash={extra.flash} />, extra.status ?? 200);
    }

    app.get<PageRequest>('/personnel/candidatures/:id/justificatif', withMessage(staff), (request, reply) =>
      staffPage(request, reply, { flash: request.query.message === 'enregistre' ? 'proof.staff.saved' : undefined }),
    );

    app.post<{ Params: { id: string } }>('/personnel/candidatures/:id/justificatif', staff, async (request, reply) => {
      const page = (extra: PageExtra) => staffPage(request, reply, extra);
      const parsed = parseForm(proofDecisionSchema, request.body);
      if (!parsed.ok) return page({ form: parsed.form, status: 400 });
      const { proof, decision, reason } = parsed.data;
      const result = await proofs.decideProof(svc, { staff: request.auth!.user, applicationId: request.params.id, proofId: proof, accept: decision === 'accept', reason }, await deps.policies());
      if (result.ok) return reply.redirect(`/personnel/candidatures/${request.params.id}/justificatif?message=enregistre`, 303);
      if (result.code === 'not_found') return refuse(reply, request.params.id);
      if (result.code === 'forbidden') throw new AppError('forbidden');
      if (result.code === 'stale') return page({ notice: result.message, status: 409 });
      const t = ctx(request, reply).t;
      const errors = { ...result.errors, decision: withWindow(t, result.errors.decision, result.window) };
      return page({ form: { values: typedValues(request.body), errors }, status: 400 });
    });

    app.get<{ Params: { id: string } }>('/personnel/candidatures/:id/justificatif/fichier', staff, async (request, reply) => {
      const found = await proofs.proofFileForStaff(db, clock, request.auth!.user, request.params.id);
      if (found) return sendStoredFile(reply, found);
      // Nothing to send: outside the scope (403 if the application exists) or no proof (404).
      if (await proofs.proofForStaff(db, clock, request.auth!.user, request.params.id)) return reply.callNotFound();
      return refuse(reply, request.params.id);
    });
  };
}
