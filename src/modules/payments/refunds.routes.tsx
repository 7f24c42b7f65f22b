import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { sendStoredFile } from '../../platform/files';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { translator } from '../../platform/i18n';
import { idParams, uuidParam, type RouteDeps } from '../../platform/routes';
import { uploadedForm, type UploadedFile } from '../../platform/uploads';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { rolesFor } from '../applications';
import { grantSchema, REFUND_PROOF_FIELD, refundPaidSchema, refundRequestSchema, refuseSchema } from './refunds.schema';
import * as refunds from './refunds.service';
import { LearnerRefundPage, RefundListPage, RefundPage, type DecisionForms } from './views/refunds';

const learnerFlashes = { requested: 'refund.flash.requested' } as const;
const staffFlashes = { granted: 'refund.flash.granted', refused: 'refund.flash.refused', paid: 'refund.flash.paid' } as const;
const flashQuery = <F extends Record<string, string>>(flashes: F) => z.object({ message: z.enum(Object.keys(flashes) as [keyof F & string]).optional() });
const fileParams = z.object({ id: uuidParam, refundId: uuidParam });

/**
 * The request's text fields are read larger than the 2 000 bytes of other upload forms: the
 * explanation takes 2 000 characters, up to 6 000 bytes in UTF-8 (a character of JavaScript's
 * count is at most 3 bytes). A field cut at 8 000 bytes still holds more than 2 666 characters,
 * over every maximum of the schema, so the reading's "cut" errors are left to the schema, which
 * says it in characters.
 */
const requestUpload = { upload: { maxFieldBytes: 8_000 } };

/**
 * The learner's request form: its fields through the schema, the proof file beside them (a file,
 * or an attempt at one the reading refused, counts in place of the box), and what the multipart
 * reading found about the file, next to it, with what was typed kept. Sent urlencoded (no file),
 * the form is read as before.
 */
function parseRequestForm(request: FastifyRequest): { ok: true; data: z.output<ReturnType<typeof refundRequestSchema>>; file: UploadedFile | null } | { ok: false; form: FormState } {
  const upload = uploadedForm(request, REFUND_PROOF_FIELD);
  const parsed = parseForm(refundRequestSchema(upload.file !== null || upload.fileError !== null), upload.fields);
  if (parsed.ok && !upload.fileError) return { ok: true, data: parsed.data, file: upload.file };
  const form = parsed.ok ? { values: typedValues(upload.fields), errors: {} } : parsed.form;
  return { ok: false, form: { values: form.values, errors: { ...form.errors, ...(upload.fileError ? { [REFUND_PROOF_FIELD]: upload.fileError } : {}) } } };
}

/**
 * Refunds (PAY-9): the learner's request from their paid enrolment, staff's list and decision.
 * Handlers parse, authorise (the route's roles; the service checks the role again and the scope
 * in its queries), call one service function and render or redirect. Every `:id` is a UUID.
 * The request form is multipart, with its proof file; the file is opened by its learner from
 * their refund page and by staff from the request's page, anyone else gets the 404 page.
 */
export async function refundRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const learner = { preHandler: requireUser('learner') };
  const deciders = { preHandler: requireUser(...rolesFor('decideRefund')) };
  const learnerQuery = flashQuery(learnerFlashes);
  const staffQuery = flashQuery(staffFlashes);
  type WithId<Q = unknown> = { Params: { id: string }; Querystring: Q };

  /** A failure about a field, as the form to show again: what was typed, the message next to its field. */
  const formWith = (request: FastifyRequest, failure: refunds.RefundFailure, field: string, omit: string[] = []): FormState =>
    withError({ values: typedValues(request.body, omit), errors: {} }, failure.field ?? field, { message: failure.message, params: refunds.resolveParams(translator(request.locale), failure.params) });

  // ---- the learner ----

  app.get<WithId<z.output<typeof learnerQuery>>>('/candidatures/:id/remboursement', { ...learner, schema: { params: idParams, querystring: learnerQuery } }, async (request, reply) => {
    const data = await refunds.learnerRefunds(svc, request.auth!.user.id, request.params.id);
    if (!data) return reply.callNotFound();
    const flash = request.query.message ? ctx(request, reply).t(learnerFlashes[request.query.message]) : undefined;
    return sendPage(reply, <LearnerRefundPage ctx={ctx(request, reply)} data={data} flash={flash} />);
  });

  app.post<WithId>('/candidatures/:id/remboursement', { ...learner, config: requestUpload, schema: { params: idParams } }, async (request, reply) => {
    const learnerId = request.auth!.user.id;
    const parsed = parseRequestForm(request);
    const result = parsed.ok
      ? await refunds.requestRefund(svc, learnerId, request.params.id, {
          reason: parsed.data.reason,
          eventOn: parsed.data.eventOn,
          explanation: parsed.data.explanation,
          proofPromised: parsed.data.proof === 'on',
          proofFile: parsed.file ? { name: parsed.file.name, data: parsed.file.data } : null,
        })
      : null;
    if (result?.ok) return reply.redirect(`/candidatures/${request.params.id}/remboursement?message=requested`, 303);
    if (result?.code === 'not_found') return reply.callNotFound();
    const data = await refunds.learnerRefunds(svc, learnerId, request.params.id);
    if (!data) return reply.callNotFound();
    const page = (props: { form?: FormState; notice?: { message: refunds.RefundFailure['message']; params?: Record<string, string | number> } }) => <LearnerRefundPage ctx={ctx(request, reply)} data={data} {...props} />;
    if (!result) return sendPage(reply, page({ form: (parsed as { form: FormState }).form }), 400);
    if (result.field) return sendPage(reply, page({ form: formWith(request, result, 'reason') }), 400);
    // Not paid, or a request already open or granted: said above the page, which shows why.
    return sendPage(reply, page({ notice: { message: result.message, params: refunds.resolveParams(translator(request.locale), result.params) } }), 409);
  });

  app.get<{ Params: z.output<typeof fileParams> }>('/candidatures/:id/remboursement/:refundId/justificatif', { ...learner, schema: { params: fileParams } }, async (request, reply) => {
    const found = await refunds.refundProofForLearner(db, request.auth!.user.id, request.params.id, request.params.refundId);
    if (!found) return reply.callNotFound();
    return sendStoredFile(reply, found);
  });

  // ---- staff ----

  app.get<{ Querystring: z.output<typeof staffQuery> }>('/personnel/remboursements', { ...deciders, schema: { querystring: staffQuery } }, async (request, reply) => {
    const rows = await refunds.listRefunds(db, request.auth!.user);
    const flash = request.query.message ? ctx(request, reply).t(staffFlashes[request.query.message]) : undefined;
    return sendPage(reply, <RefundListPage ctx={ctx(request, reply)} rows={rows} flash={flash} />);
  });

  app.get<WithId>('/personnel/remboursements/:id', { ...deciders, schema: { params: idParams } }, async (request, reply) => {
    const data = await refunds.refundForStaff(svc, request.auth!.user, request.params.id);
    if (!data) return reply.callNotFound();
    return sendPage(reply, <RefundPage ctx={ctx(request, reply)} data={data} />);
  });

  app.get<WithId>('/personnel/remboursements/:id/justificatif', { ...deciders, schema: { params: idParams } }, async (request, reply) => {
    const found = await refunds.refundProofForStaff(db, request.auth!.user, request.params.id);
    if (!found) return reply.callNotFound();
    return sendStoredFile(reply, found);
  });

  /** The decision's two forms: parse → decide → the list, or the page again with the message next to its field. */
  for (const [path, kind] of [
    ['accorder', 'grant'],
    ['refuser', 'refuse'],
  ] as const) {
    app.post<WithId>(`/personnel/remboursements/:id/${path}`, { ...deciders, schema: { params: idParams } }, async (request, reply) => {
      const staff = request.auth!.user;
      const parsed = kind === 'grant' ? parseForm(grantSchema, request.body) : parseForm(refuseSchema, request.body);
      let result: Awaited<ReturnType<typeof refunds.decideRefund>> | null = null;
      if (parsed.ok) {
        const decision: refunds.RefundDecision =
          'amount' in parsed.data
            ? { grant: true, amountCents: parsed.data.amount, refundedOn: parsed.data.refundedOn, method: parsed.data.method, reference: parsed.data.reference || null }
            : { grant: false, note: parsed.data.note };
        result = await refunds.decideRefund(svc, staff, request.params.id, decision);
        if (result.ok) return reply.redirect(`/personnel/remboursements?message=${kind === 'grant' ? 'granted' : 'refused'}`, 303);
        if (result.code === 'not_found') return reply.callNotFound();
        if (result.code === 'forbidden') throw new AppError('forbidden');
      }
      const data = await refunds.refundForStaff(svc, staff, request.params.id);
      if (!data) return reply.callNotFound();
      if (result && !result.ok && !result.field) return sendPage(reply, <RefundPage ctx={ctx(request, reply)} data={data} notice={result.message} />, 409);
      const form = result && !result.ok ? formWith(request, result, kind === 'grant' ? 'amount' : 'note') : (parsed as { form: FormState }).form;
      const forms: DecisionForms = kind === 'grant' ? { grant: form } : { refuse: form };
      return sendPage(reply, <RefundPage ctx={ctx(request, reply)} data={data} forms={forms} />, 400);
    });
  }

  /** SVC-2: the refund the cash office made of a refund granted earlier (a cancelled session's). */
  app.post<WithId>('/personnel/remboursements/:id/verse', { ...deciders, schema: { params: idParams } }, async (request, reply) => {
    const staff = request.auth!.user;
    const parsed = parseForm(refundPaidSchema, request.body);
    const result = parsed.ok
      ? await refunds.recordRefundPaid(svc, staff, request.params.id, { refundedOn: parsed.data.refundedOn, method: parsed.data.method, reference: parsed.data.reference || null })
      : null;
    if (result?.ok) return reply.redirect('/personnel/remboursements?message=paid', 303);
    if (result?.code === 'not_found') return reply.callNotFound();
    if (result?.code === 'forbidden') throw new AppError('forbidden');
    const data = await refunds.refundForStaff(svc, staff, request.params.id);
    if (!data) return reply.callNotFound();
    if (result && !result.field) return sendPage(reply, <RefundPage ctx={ctx(request, reply)} data={data} notice={result.message} />, 409);
    const form = result ? formWith(request, result, 'refundedOn') : (parsed as { form: FormState }).form;
    return sendPage(reply, <RefundPage ctx={ctx(request, reply)} data={data} forms={{ paid: form }} />, 400);
  });
}
