import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { sendStoredFile } from '../../platform/files';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { idParams, type RouteDeps } from '../../platform/routes';
import { uploadedForm } from '../../platform/uploads';
import { emptyForm, type FieldError, type FormState } from '../../ui/context';
import { invalidCharacters, parseForm, typedValues } from '../../ui/forms';
import { contactSchema } from '../accounts';
import { centreSchema, decisionSchema, REQUEST_FILE_FIELD, requestSchema, sessionSchema } from './exams.schema';
import { centresById, createExamSession, examSessionsFor, learnerExams, marksPage, publishResults, recordMarks, type Failure, type Staff } from './exams.service';
import { centreOfRecord, movingPage, movingSummary, moveLearner } from './moving.service';
import { askRequest, decideRequest, pendingRequestsFor, requestFileForLearner, requestFileForStaff, requestForStaff, requestsOf } from './requests.service';
import { requestKinds } from './exams.table';
import { LearnerExamsPage, MarksPage, MovedPage, MovingPage, RequestFormPage, StaffExamsPage, StaffRequestPage, StaffRequestsPage } from './views/exams';

const TEN_MINUTES = 10 * 60_000;
const flashQuery = z.object({ message: z.enum(['cree', 'enregistre', 'publie', 'envoye', 'decide', 'fait']).optional() });
const requestQuery = z.object({ type: z.enum(requestKinds).optional(), motif: z.enum(['move', 'professional_travel']).optional() });
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** The roles of each staff page; the service checks the scope again (centres, a trainer's units). */
const markers = ['trainer', 'coordinator', 'admin'] as const;
const organisers = ['coordinator', 'admin'] as const;

/** A refusal outside the form: 404, 403, or a notice. */
function failWith(reply: FastifyReply, failure: Failure) {
  if (failure.code === 'not_found') return reply.callNotFound();
  if (failure.code === 'forbidden') throw new AppError('forbidden');
  return undefined;
}

/**
 * CRED-3 and moving: the staff's exam sessions (create, marks, publish), the requests and their
 * decisions; the learner's « Mes examens », their requests (multipart, with a proof), and « Je
 * déménage ». Handlers parse, check the role, call one service and render or redirect.
 */
export function examsRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const staffOf = (request: FastifyRequest): Staff => ({ id: request.auth!.user.id, role: request.auth!.user.role });
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `exams:${request.auth?.user.id ?? request.ip}` },
  });

  return async (app) => {
    // ---------------------------------------------------------------- staff: sessions and marks
    async function sessionsPage(request: FastifyRequest, reply: FastifyReply, form: FormState = emptyForm(), status = 200, flash?: MessageKey) {
      const staff = staffOf(request);
      const page = ctx(request, reply);
      const centres = [...(await centresById(db)).values()];
      const organiser = staff.role === 'coordinator' || staff.role === 'admin';
      return sendPage(
        reply,
        <StaffExamsPage ctx={page} rows={await examSessionsFor(db, staff)} centres={centres} form={form} mayCreate={organiser} mayDecide={organiser} flash={flash ? page.t(flash) : undefined} />,
        status,
      );
    }

    app.get<{ Querystring: z.output<typeof flashQuery> }>('/personnel/examens', { preHandler: requireUser(...markers), schema: { querystring: flashQuery } }, (request, reply) =>
      sessionsPage(request, reply, emptyForm(), 200, request.query.message === 'cree' ? 'exams.flash.created' : undefined),
    );

    app.post('/personnel/examens', { preHandler: requireUser(...organisers), config: perAccount(60) }, async (request, reply) => {
      const parsed = parseForm(sessionSchema, request.body);
      if (!parsed.ok) return sessionsPage(request, reply, parsed.form, 400);
      const result = await createExamSession(svc, { staff: staffOf(request), values: { unit: parsed.data.unit, number: parsed.data.number, heldOn: parsed.data.held_on, centre: parsed.data.centre } });
      if (result.ok) return reply.redirect(`/personnel/examens/${result.id}?message=cree`, 303);
      if (result.code === 'invalid') return sessionsPage(request, reply, { values: typedValues(request.body), errors: result.errors }, 400);
      return failWith(reply, result);
    });

    async function marks(request: IdRequest, reply: FastifyReply, extra: { form?: FormState; notice?: { message: MessageKey; params?: Record<string, string | number> }; flash?: MessageKey; status?: number } = {}) {
      const data = await marksPage(svc, { staff: staffOf(request), examSessionId: request.params.id });
      if (!data.ok) return failWith(reply, data);
      const page = ctx(request, reply);
      return sendPage(reply, <MarksPage ctx={page} data={data} form={extra.form} notice={extra.notice} flash={extra.flash ? page.t(extra.flash) : undefined} />, extra.status ?? 200);
    }

    const flashes: Record<string, MessageKey> = { cree: 'exams.flash.created', enregistre: 'exams.flash.marksSaved', publie: 'exams.flash.published', decide: 'exams.flash.decided', envoye: 'exams.flash.requestSent', fait: 'exams.flash.moved' };
    app.get<{ Params: { id: string }; Querystring: z.output<typeof flashQuery> }>(
      '/personnel/examens/:id',
      { preHandler: requireUser(...markers), schema: { params: idParams, querystring: flashQuery } },
      (request, reply) => marks(request, reply, { flash: request.query.message ? flashes[request.query.message] : undefined }),
    );

    app.post<{ Params: { id: string } }>('/personnel/examens/:id', { preHandler: requireUser(...markers), schema: { params: idParams }, config: perAccount(120) }, async (request, reply) => {
      const typed = typedValues(request.body);
      const values = Object.fromEntries(Object.entries(typed).filter(([name]) => name.startsWith('mark_')));
      const bad = invalidCharacters(values);
      if (Object.keys(bad).length) return marks(request, reply, { form: { values, errors: bad }, status: 400 });
      const result = await recordMarks(svc, { staff: staffOf(request), examSessionId: request.params.id, values });
      if (result.ok) return reply.redirect(`/personnel/examens/${request.params.id}?message=enregistre`, 303);
      if (result.code === 'invalid') return marks(request, reply, { form: { values, errors: result.errors }, status: 400 });
      if (result.code === 'refused') return marks(request, reply, { notice: { message: result.message, params: result.params }, status: 409 });
      return failWith(reply, result);
    });

    app.post<{ Params: { id: string } }>('/personnel/examens/:id/publier', { preHandler: requireUser(...organisers), schema: { params: idParams }, config: perAccount(60) }, async (request, reply) => {
      const result = await publishResults(svc, { staff: staffOf(request), examSessionId: request.params.id });
      if (result.ok) return reply.redirect(`/personnel/examens/${request.params.id}?message=publie`, 303);
      if (result.code === 'refused') return marks(request, reply, { notice: { message: result.message, params: result.params }, status: 409 });
      if (result.code === 'invalid') return marks(request, reply, { status: 400 });
      return failWith(reply, result);
    });

    // ---------------------------------------------------------------- staff: requests
    app.get<{ Querystring: z.output<typeof flashQuery> }>('/personnel/examens/demandes', { preHandler: requireUser(...organisers), schema: { querystring: flashQuery } }, async (request, reply) => {
      const page = ctx(request, reply);
      return sendPage(reply, <StaffRequestsPage ctx={page} views={await pendingRequestsFor(db, staffOf(request))} flash={request.query.message === 'decide' ? page.t('exams.flash.decided') : undefined} />);
    });

    async function requestPage(request: IdRequest, reply: FastifyReply, form: FormState = emptyForm(), status = 200, notice?: MessageKey) {
      const found = await requestForStaff(db, staffOf(request), request.params.id);
      if (!found.ok) return failWith(reply, found);
      return sendPage(reply, <StaffRequestPage ctx={ctx(request, reply)} view={found.view} form={form} notice={notice} />, status);
    }

    app.get<{ Params: { id: string } }>('/personnel/examens/demandes/:id', { preHandler: requireUser(...organisers), schema: { params: idParams } }, (request, reply) => requestPage(request, reply));

    app.post<{ Params: { id: string } }>('/personnel/examens/demandes/:id', { preHandler: requireUser(...organisers), schema: { params: idParams }, config: perAccount(60) }, async (request, reply) => {
      const parsed = parseForm(decisionSchema, request.body);
      if (!parsed.ok) return requestPage(request, reply, parsed.form, 400);
      const result = await decideRequest(svc, { staff: staffOf(request), requestId: request.params.id, approve: parsed.data.decision === 'approve', reason: parsed.data.reason });
      if (result.ok) return reply.redirect('/personnel/examens/demandes?message=decide', 303);
      if (result.code === 'invalid') return requestPage(request, reply, { values: typedValues(request.body), errors: result.errors }, 400);
      if (result.code === 'refused') return requestPage(request, reply, emptyForm(), 409, result.message);
      return failWith(reply, result);
    });

    app.get<{ Params: { id: string } }>('/personnel/examens/demandes/:id/fichier', { preHandler: requireUser(...organisers), schema: { params: idParams } }, async (request, reply) => {
      const found = await requestFileForStaff(db, staffOf(request), request.params.id);
      if (!found.ok) return failWith(reply, found);
      return sendStoredFile(reply, found.file);
    });

    // ---------------------------------------------------------------- the learner
    const learner = requireUser('learner');

    async function myExams(request: FastifyRequest, reply: FastifyReply, flash?: MessageKey) {
      const learnerId = request.auth!.user.id;
      const exams = await learnerExams(svc, learnerId);
      const centres = await centresById(db);
      const record = await centreOfRecord(db, learnerId);
      const page = ctx(request, reply);
      return sendPage(
        reply,
        <LearnerExamsPage ctx={page} exams={exams} requests={await requestsOf(db, learnerId)} centreOfRecord={record !== null ? (centres.get(record)?.name ?? null) : null} flash={flash ? page.t(flash) : undefined} />,
      );
    }

    app.get<{ Querystring: z.output<typeof flashQuery> }>('/compte/examens', { preHandler: learner, schema: { querystring: flashQuery } }, (request, reply) =>
      myExams(request, reply, request.query.message === 'envoye' ? 'exams.flash.requestSent' : undefined),
    );

    async function requestForm(request: IdRequest, reply: FastifyReply, kind: (typeof requestKinds)[number], form: FormState, status = 200) {
      const exam = (await learnerExams(svc, request.auth!.user.id)).find((e) => e.registration.id === request.params.id);
      if (!exam) return reply.callNotFound();
      const centres = [...(await centresById(db)).values()];
      const policies = await deps.policies();
      return sendPage(reply, <RequestFormPage ctx={ctx(request, reply)} exam={exam} kind={kind} centres={centres} form={form} maxMegabytes={policies.uploadMaxMegabytes} />, status);
    }

    app.get<{ Params: { id: string }; Querystring: z.output<typeof requestQuery> }>(
      '/compte/examens/:id/demande',
      { preHandler: learner, schema: { params: idParams, querystring: requestQuery } },
      (request, reply) => requestForm(request, reply, request.query.type ?? 'another_centre', emptyForm({ reason: request.query.motif })),
    );

    app.post<{ Params: { id: string } }>('/compte/examens/:id/demande', { preHandler: learner, schema: { params: idParams }, config: { upload: { maxFieldBytes: 8_000 }, ...perAccount(30) } }, async (request, reply) => {
      const upload = uploadedForm(request, REQUEST_FILE_FIELD);
      const kind = requestKinds.find((k) => k === upload.fields.kind) ?? 'another_centre';
      const values = typedValues(upload.fields);
      const parsed = parseForm(requestSchema, upload.fields);
      const errors: Record<string, FieldError | undefined> = { ...upload.fieldErrors, ...(upload.fileError ? { [REQUEST_FILE_FIELD]: upload.fileError } : {}) };
      if (!parsed.ok || Object.values(errors).some(Boolean)) return requestForm(request, reply, kind, { values, errors: { ...errors, ...(parsed.ok ? {} : parsed.form.errors) } }, 400);
      const result = await askRequest(
        svc,
        {
          learnerId: request.auth!.user.id,
          registrationId: request.params.id,
          form: {
            kind: parsed.data.kind,
            reason: parsed.data.reason ?? null,
            wishedCentre: parsed.data.centre || null,
            details: parsed.data.details || null,
            file: upload.file ? { name: upload.file.name, data: upload.file.data } : null,
          },
        },
        await deps.policies(),
      );
      if (result.ok) return reply.redirect('/compte/examens?message=envoye', 303);
      if (result.code === 'invalid') return requestForm(request, reply, kind, { values, errors: result.errors }, 400);
      return failWith(reply, result.code === 'forbidden' ? { ok: false, code: 'not_found' } : result);
    });

    app.get<{ Params: { id: string } }>('/compte/examens/demandes/:id/fichier', { preHandler: learner, schema: { params: idParams } }, async (request, reply) => {
      const found = await requestFileForLearner(db, request.auth!.user.id, request.params.id);
      if (!found) return reply.callNotFound();
      return sendStoredFile(reply, found);
    });

    // ---------------------------------------------------------------- moving
    async function moving(request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) {
      const data = await movingPage(db, request.auth!.user.id);
      if (!data.profile) return reply.redirect('/compte/fiche', 303);
      const current = data.centres.find((c) => c.id === data.centreId)?.code;
      const p = data.profile;
      const initial = form ?? emptyForm({ address: p.address, addressComplement1: p.addressComplement1 ?? '', addressComplement2: p.addressComplement2 ?? '', postalCode: p.postalCode, city: p.city, country: p.country, mobilePhone: p.mobilePhone ?? '', landlinePhone: p.landlinePhone ?? '', centre: current });
      return sendPage(reply, <MovingPage ctx={ctx(request, reply)} form={initial} centres={data.centres} />, status);
    }

    app.get<{ Querystring: z.output<typeof flashQuery> }>('/compte/demenagement', { preHandler: learner, schema: { querystring: flashQuery } }, async (request, reply) => {
      if (request.query.message === 'fait') {
        const outcome = await movingSummary(db, clock, request.auth!.user.id);
        if (outcome) return sendPage(reply, <MovedPage ctx={ctx(request, reply)} outcome={outcome} />);
      }
      return moving(request, reply);
    });

    app.post('/compte/demenagement', { preHandler: learner, config: perAccount(20) }, async (request, reply) => {
      const values = typedValues(request.body);
      const contact = parseForm(contactSchema, request.body);
      const centre = parseForm(centreSchema, request.body);
      if (!contact.ok || !centre.ok) return moving(request, reply, { values, errors: { ...(contact.ok ? {} : contact.form.errors), ...(centre.ok ? {} : centre.form.errors) } }, 400);
      const result = await moveLearner(svc, { learnerId: request.auth!.user.id, contact: contact.data, centre: centre.data.centre });
      if (result.ok) return reply.redirect('/compte/demenagement?message=fait', 303);
      if (result.code === 'no_record') return reply.redirect('/compte/fiche', 303);
      return moving(request, reply, { values, errors: result.errors }, 400);
    });
  };
}

