import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { catalogueCode } from '../../domain/vocabulary';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { getPolicies } from '../../platform/policies';
import { idParams, type RouteDeps } from '../../platform/routes';
import type { FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { rolesFor } from '../applications';
import { attendanceCertificatePdf, skillsCertificatePdf } from './certification.pdf';
import { diplomaSchema, exemptionDecisionSchema, marksAnswerSchema, marksRequestSchema, testDateSchema } from './certification.schema';
import * as cert from './certification.service';
import * as requests from './requests.service';
import { CertificatesView, EvaluationView, ExemptionsView, LearnerExemptionView, LearnerMarksView, MarksListView } from './views/certification';

const TEN_MINUTES = 10 * 60_000;
const sessionParams = z.object({ code: z.string().regex(catalogueCode) });
const flashes = {
  fixed: 'cert.flash.fixed',
  saved: 'cert.flash.saved',
  issued: 'cert.flash.issued',
  decided: 'cert.flash.decided',
  answered: 'cert.flash.answered',
  declared: 'cert.flash.declared',
  requested: 'cert.flash.requested',
} as const satisfies Record<string, MessageKey>;
const flashQuery = z.object({ message: z.enum(Object.keys(flashes) as [keyof typeof flashes]).optional() });

/**
 * The end of a course (SPEC ATT-4, CERT-1, CERT-2, CERT-4, CERT-5): the evaluation page of a
 * session, the certificates to issue, the exemptions and the requests for marks for staff; the
 * learner's exemption and marks pages and the two certificates' PDFs. Handlers parse, authorise
 * (the route's roles; the service checks scope: 403 out of scope, 404 unknown), call one service
 * function, render or redirect.
 */
export async function certificationRoutes(app: FastifyInstance, deps: RouteDeps): Promise<void> {
  const { db, clock, config, devTools } = deps;
  const svc: cert.CertificationDeps = { db, clock, baseUrl: config.baseUrl, secret: deps.secret };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `cert:${request.auth?.user.id ?? request.ip}` },
  });
  const flashOf = (request: FastifyRequest<{ Querystring: z.output<typeof flashQuery> }>, reply: FastifyReply) =>
    request.query.message ? ctx(request, reply).t(flashes[request.query.message]) : undefined;
  const evaluators = { preHandler: requireUser(...new Set([...rolesFor('enterResult'), 'coordinator' as const])) };
  const certifiers = { preHandler: requireUser(...rolesFor('certify')) };
  const exemptionStaff = { preHandler: requireUser(...rolesFor('decideExemption')) };
  const marksStaff = { preHandler: requireUser(...rolesFor('answerMarks')) };
  const learner = { preHandler: requireUser('learner'), schema: { params: idParams } };
  type Code = { Params: z.output<typeof sessionParams>; Querystring: z.output<typeof flashQuery> };
  type WithId = { Params: { id: string }; Querystring: z.output<typeof flashQuery> };

  /** A failure of the service as the HTTP answer: 404, 403, or the page again with its message. */
  const refusedWith = (result: cert.CertFailure) => {
    if (result.code === 'not_found') return 'not_found' as const;
    if (result.code === 'forbidden') throw new AppError('forbidden');
    return { message: result.message, params: result.params };
  };

  // ---- CERT-1: the evaluation page ----

  async function evaluationAgain(request: FastifyRequest<Code>, reply: FastifyReply, props: { dateForm?: FormState; resultsForm?: FormState; notice?: { message: MessageKey; params?: Record<string, string | number> } }, status: number) {
    const found = await cert.evaluationPage(svc, request.auth!.user, request.params.code);
    if (!found.ok) {
      if (refusedWith(found) === 'not_found') return reply.callNotFound();
    }
    return sendPage(reply, <EvaluationView ctx={ctx(request, reply)} page={(found as { page: cert.EvaluationPage }).page} {...props} />, status);
  }

  app.get<Code>('/personnel/sessions/:code/evaluation', { ...evaluators, schema: { params: sessionParams, querystring: flashQuery } }, async (request, reply) => {
    const found = await cert.evaluationPage(svc, request.auth!.user, request.params.code);
    if (!found.ok && refusedWith(found) === 'not_found') return reply.callNotFound();
    return sendPage(reply, <EvaluationView ctx={ctx(request, reply)} page={(found as { page: cert.EvaluationPage }).page} flash={flashOf(request, reply)} />);
  });

  app.post<Code>('/personnel/sessions/:code/evaluation/date', { ...evaluators, config: perAccount(30), schema: { params: sessionParams } }, async (request, reply) => {
    const parsed = parseForm(testDateSchema, request.body);
    if (!parsed.ok) return evaluationAgain(request, reply, { dateForm: parsed.form }, 400);
    const result = await cert.fixTestDate(svc, request.auth!.user, request.params.code, parsed.data);
    if (result.ok) return reply.redirect(`/personnel/sessions/${request.params.code}/evaluation?message=fixed`, 303);
    const refused = refusedWith(result);
    if (refused === 'not_found') return reply.callNotFound();
    if (result.field) return evaluationAgain(request, reply, { dateForm: withError({ values: typedValues(request.body), errors: {} }, result.field, refused) }, 400);
    return evaluationAgain(request, reply, { notice: refused }, 409);
  });

  app.post<Code>('/personnel/sessions/:code/evaluation/resultats', { ...evaluators, config: perAccount(60), schema: { params: sessionParams } }, async (request, reply) => {
    const body = typedValues(request.body);
    const result = await cert.enterResults(svc, request.auth!.user, request.params.code, body);
    if (result.ok) return reply.redirect(`/personnel/sessions/${request.params.code}/evaluation?message=saved`, 303);
    if (result.code === 'invalid') return evaluationAgain(request, reply, { resultsForm: { values: body, errors: result.errors } }, 400);
    const refused = refusedWith(result);
    if (refused === 'not_found') return reply.callNotFound();
    return evaluationAgain(request, reply, { notice: refused, resultsForm: { values: body, errors: {} } }, 409);
  });

  // ---- CERT-2: the certificates of skills ----

  app.get<{ Querystring: z.output<typeof flashQuery> }>('/personnel/certificats', { ...certifiers, schema: { querystring: flashQuery } }, async (request, reply) => {
    const page = await cert.certificatesPage(svc, request.auth!.user);
    return sendPage(reply, <CertificatesView ctx={ctx(request, reply)} page={page} flash={flashOf(request, reply)} />);
  });

  app.post<WithId>('/personnel/certificats/:id/delivrer', { ...certifiers, config: perAccount(120), schema: { params: idParams } }, async (request, reply) => {
    const staff = request.auth!.user;
    const result = await cert.issueCertificate(svc, { id: staff.id, role: staff.role }, request.params.id);
    if (result.ok) return reply.redirect('/personnel/certificats?message=issued', 303);
    const refused = refusedWith(result);
    if (refused === 'not_found') return reply.callNotFound();
    const page = await cert.certificatesPage(svc, staff);
    return sendPage(reply, <CertificatesView ctx={ctx(request, reply)} page={page} notice={refused} />, 409);
  });

  // ---- CERT-4: exemptions ----

  app.get<{ Querystring: z.output<typeof flashQuery> }>('/personnel/dispenses', { ...exemptionStaff, schema: { querystring: flashQuery } }, async (request, reply) => {
    const rows = await requests.exemptionList(svc, request.auth!.user);
    return sendPage(reply, <ExemptionsView ctx={ctx(request, reply)} rows={rows} flash={flashOf(request, reply)} />);
  });

  app.post<WithId>('/personnel/dispenses/:id', { ...exemptionStaff, config: perAccount(120), schema: { params: idParams } }, async (request, reply) => {
    const staff = request.auth!.user;
    const parsed = parseForm(exemptionDecisionSchema, request.body);
    const result = parsed.ok ? await requests.decideExemption(svc, staff, request.params.id, { grant: parsed.data.decision === 'grant', reason: parsed.data.motif }) : null;
    if (result?.ok) return reply.redirect('/personnel/dispenses?message=decided', 303);
    const refused = result ? refusedWith(result) : null;
    if (refused === 'not_found') return reply.callNotFound();
    const rows = await requests.exemptionList(svc, staff);
    if (!parsed.ok) return sendPage(reply, <ExemptionsView ctx={ctx(request, reply)} rows={rows} forms={{ [request.params.id]: parsed.form }} />, 400);
    return sendPage(reply, <ExemptionsView ctx={ctx(request, reply)} rows={rows} notice={refused!} />, 409);
  });

  // ---- CERT-5: requests for marks ----

  app.get<{ Querystring: z.output<typeof flashQuery> }>('/personnel/notes', { ...marksStaff, schema: { querystring: flashQuery } }, async (request, reply) => {
    const rows = await requests.marksList(svc, request.auth!.user);
    return sendPage(reply, <MarksListView ctx={ctx(request, reply)} rows={rows} flash={flashOf(request, reply)} />);
  });

  app.post<WithId>('/personnel/notes/:id', { ...marksStaff, config: perAccount(120), schema: { params: idParams } }, async (request, reply) => {
    const staff = request.auth!.user;
    const parsed = parseForm(marksAnswerSchema, request.body);
    const result = parsed.ok ? await requests.answerMarks(svc, staff, request.params.id, parsed.data.reponse) : null;
    if (result?.ok) return reply.redirect('/personnel/notes?message=answered', 303);
    const refused = result ? refusedWith(result) : null;
    if (refused === 'not_found') return reply.callNotFound();
    const rows = await requests.marksList(svc, staff);
    if (!parsed.ok) return sendPage(reply, <MarksListView ctx={ctx(request, reply)} rows={rows} forms={{ [request.params.id]: parsed.form }} />, 400);
    return sendPage(reply, <MarksListView ctx={ctx(request, reply)} rows={rows} notice={refused!} />, 409);
  });

  // ---- the learner ----

  for (const [path, View, schema, flash] of [
    ['dispense', LearnerExemptionView, diplomaSchema, 'declared'],
    ['notes', LearnerMarksView, marksRequestSchema, 'requested'],
  ] as const) {
    app.get<WithId>(`/candidatures/:id/${path}`, { ...learner, schema: { params: idParams, querystring: flashQuery } }, async (request, reply) => {
      const data = await requests.learnerRequests(svc, request.auth!.user.id, request.params.id);
      if (!data) return reply.callNotFound();
      return sendPage(reply, <View ctx={ctx(request, reply)} data={data} flash={flashOf(request, reply)} />);
    });

    app.post<WithId>(`/candidatures/:id/${path}`, { ...learner, config: perAccount(20) }, async (request, reply) => {
      const learnerId = request.auth!.user.id;
      const parsed = parseForm(schema, request.body);
      const result = parsed.ok
        ? path === 'dispense'
          ? await requests.declareDiploma(svc, learnerId, request.params.id, (parsed.data as z.output<typeof diplomaSchema>).diplome)
          : await requests.requestMarks(svc, learnerId, request.params.id, (parsed.data as z.output<typeof marksRequestSchema>).message)
        : null;
      if (result?.ok) return reply.redirect(`/candidatures/${request.params.id}/${path}?message=${flash}`, 303);
      if (result && result.code === 'not_found') return reply.callNotFound();
      const data = await requests.learnerRequests(svc, learnerId, request.params.id);
      if (!data) return reply.callNotFound();
      if (!parsed.ok) return sendPage(reply, <View ctx={ctx(request, reply)} data={data} form={parsed.form} />, 400);
      return sendPage(reply, <View ctx={ctx(request, reply)} data={data} form={{ values: typedValues(request.body), errors: {} }} notice={{ message: result!.ok ? 'error.notFound.message' : result!.message }} />, 409);
    });
  }

  for (const [file, which] of [
    ['attestation-assiduite.pdf', 'attendance'],
    ['certificat.pdf', 'skills'],
  ] as const)
    app.get<{ Params: { id: string } }>(`/candidatures/:id/${file}`, { ...learner, config: perAccount(60) }, async (request, reply) => {
      const found = await cert.learnerCertificate(svc, request.auth!.user.id, request.params.id, which);
      if (!found) return reply.callNotFound();
      const t = ctx(request, reply).t;
      const locale = request.locale;
      const base = {
        locale,
        holderName: found.holderName,
        sessionTitle: found.session.title,
        sessionCode: found.session.code,
        schoolName: found.session.schoolName,
        code: found.document.displayCode,
        verifyUrl: found.document.verifyUrl,
        firstMeeting: found.session.firstMeeting,
        lastMeeting: found.session.lastMeeting,
        issuedAt: found.document.issuedAt,
        serviceName: t('service.name'),
      };
      const pdf =
        which === 'attendance'
          ? await attendanceCertificatePdf({
              ...base,
              attendedMinutes: found.outcome.attendedMinutes,
              plannedMinutes: found.outcome.plannedMinutes,
              thresholdPercent: (await getPolicies(db)).attendanceCertificatePercent,
            })
          : await skillsCertificatePdf({ ...base, score: found.result?.score ?? null, maxScore: found.result?.maxScore ?? 20 });
      const name = `${which === 'attendance' ? 'attestation-assiduite' : 'certificat'}-${found.session.code}.pdf`;
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${name}"`).header('cache-control', 'private, no-store').send(pdf);
    });
}
