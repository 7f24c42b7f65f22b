import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { countParam, idParams, type RouteDeps } from '../../platform/routes';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { parseForm, typedValues, withError } from '../../ui/forms';
import type { FormState } from '../../ui/context';
import { getUser, learnerNames } from '../accounts';
import { getApplication } from '../applications';
import { catalogueCode, offerAnswers, sessionStaffRoles } from '../../domain/vocabulary';
import * as staffActions from './applicants.service';
import { convocationAttachment, falcConvocation } from './convocation.falc';
import { convocationPdf, easyReadPdf } from './convocation.pdf';
import { convocationForToken, convocationToken } from './easy-read.service';
import { EasyReadPage } from './views/easy-read';
import { rolesFor, type Action } from '../applications';
import { adjustmentSchema, attendanceSchema, changeRequestSchema, convocationSchema, evaluationSchema, moveSchema, prerequisitesSchema } from './selection.schema';
import { decideSession, selectionPage } from './selection.service';
import { ApplicantPage, SessionApplicantsPage, type SheetForm } from './views/applicants';
import { SelectionPage } from './views/selection';
import { PublicSelectionPage } from './views/draw';
import { publicSelection } from './draw.service';
import { answerOffer } from './waiting-list.service';
import { responderRoutes } from './responder.routes';

const flashes = { saved: 'sel.sheet.saved' } as const satisfies Record<string, MessageKey>;

/**
 * Selection's pages: the coordinator's ranking and decision (SEL-1, SEL-2, SEL-3, SEL-6), a
 * session's applications and convocations, one applicant's sheet with the forms each role may
 * use (SEL-2 to SEL-5, SEL-10), and the learner's answers to offers and convocation PDF.
 * Every staff route checks the role here; the services check the role again and the scope in their queries.
 */
export function selectionRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl, secret: deps.secret };
  const only = (action: Action) => ({ preHandler: requireUser(...rolesFor(action)) });
  const staffOnly = { preHandler: requireUser(...sessionStaffRoles) };
  const learnerOnly = { preHandler: requireUser('learner') };
  // Every `:id` is a UUID (else the 404 page).
  const learnerWithId = { ...learnerOnly, schema: { params: idParams } };
  const offerAnswer = z.object({ offre: z.string().max(40), reponse: z.enum(offerAnswers) });
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  // Route schemas: a session's code, and the flash parameters of the app's own redirects.
  const sessionParams = z.object({ code: z.string().regex(catalogueCode) });
  const convokedQuery = z.object({ convoquees: countParam.optional() });
  const decidedQuery = z.object({ acceptees: countParam.optional(), attente: countParam.optional() });
  const sheetQuery = z.object({ message: z.enum(Object.keys(flashes) as [keyof typeof flashes]).optional() });
  // SVC-7: the public easy-read pages, by the convocation's token (another shape: the 404 page), limited per address like /verifier.
  const tokenParams = z.object({ token: z.string().regex(convocationToken) });
  const lookups = { rateLimit: { max: async () => (await deps.policies()).documentLookupsPerIpPer10Min, timeWindow: 600_000 } };
  const easyRead = { schema: { params: tokenParams }, config: lookups };

  /** A scoped "not found": 403 if it exists outside the scope, else the 404 page. */
  async function refuse(reply: FastifyReply, what: { sessionCode?: string; applicationId?: string }) {
    if (await staffActions.existsUnscoped(db, what)) throw new AppError('forbidden');
    return reply.callNotFound();
  }

  return async (app) => {
    // ---- learners ----

    // SEL-13: the preference list and the automatic responder.
    await app.register(responderRoutes(deps));

    // SEL-7, SEL-8: the learner accepts or declines a place offered.
    app.post<{ Params: { id: string } }>('/candidatures/:id/offre', learnerWithId, async (request, reply) => {
      const parsed = offerAnswer.safeParse(request.body);
      if (!parsed.success) return reply.redirect('/candidatures', 303);
      const result = await answerOffer(svc, { learnerId: request.auth!.user.id, offerId: parsed.data.offre, accept: parsed.data.reponse === 'accept' });
      if (!result.ok && result.code === 'not_found') return reply.callNotFound();
      const message = result.ok ? (result.accepted ? 'accepted' : 'declined') : result.code;
      return reply.redirect(`/candidatures?message=${message}#candidature-${encodeURIComponent(request.params.id)}`, 303);
    });

    // SEL-3: the learner's own convocation, as a PDF to print; its QR code opens the public page (PAY-10).
    app.get<{ Params: { id: string } }>('/candidatures/:id/convocation.pdf', learnerWithId, async (request, reply) => {
      const user = request.auth!.user;
      const application = await getApplication(db, clock, user.id, request.params.id);
      if (!application?.convocation) return reply.callNotFound();
      const [names, account] = await Promise.all([learnerNames(db, [user.id]), getUser(db, user.id)]);
      const name = names.get(user.id) ?? user.email;
      const document = await staffActions.printedConvocation(svc, { applicationId: application.id, holderName: name, session: application.session, convocation: application.convocation });
      const pdf = await convocationPdf({
        locale: account?.locale ?? request.locale,
        name,
        session: application.session,
        convocation: application.convocation,
        document,
        verifyPage: `${config.baseUrl}/verifier`,
        easyReadUrl: `${config.baseUrl}/convocation/${application.convocation.token}/facile`,
      });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="convocation-${application.session.code}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    });

    // ---- anyone with the link: the convocation in easy-to-read words (SVC-7) ----

    // The page, in the reader's language: large type for the date, the place and what to bring.
    app.get<{ Params: z.output<typeof tokenParams> }>('/convocation/:token/facile', easyRead, async (request, reply) => {
      const facts = await convocationForToken(db, { token: request.params.token, baseUrl: config.baseUrl });
      if (!facts) return reply.callNotFound();
      const context = ctx(request, reply);
      reply.header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex');
      return sendPage(reply, <EasyReadPage ctx={context} doc={falcConvocation(context.t, facts)} base={`/convocation/${encodeURIComponent(request.params.token)}`} cancelled={facts.cancelled ?? false} />);
    });

    app.get<{ Params: z.output<typeof tokenParams> }>('/convocation/:token/facile.pdf', easyRead, async (request, reply) => {
      const facts = await convocationForToken(db, { token: request.params.token, baseUrl: config.baseUrl });
      if (!facts) return reply.callNotFound();
      const t = ctx(request, reply).t;
      const pdf = await easyReadPdf({ locale: t.locale, doc: falcConvocation(t, facts) });
      return reply.header('content-type', 'application/pdf').header('content-disposition', 'inline; filename="rendez-vous-facile.pdf"').header('cache-control', 'private, no-store').send(pdf);
    });

    // The calendar file the email carries, to add it again (the same event: its UID and SEQUENCE).
    app.get<{ Params: z.output<typeof tokenParams> }>('/convocation/:token/agenda.ics', easyRead, async (request, reply) => {
      const facts = await convocationForToken(db, { token: request.params.token, baseUrl: config.baseUrl });
      if (!facts) return reply.callNotFound();
      const file = convocationAttachment(ctx(request, reply).t, facts, clock.now());
      return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).header('cache-control', 'private, no-store').send(file.content);
    });

    // ---- anyone: a session's public selection page (SEL-2's committed draw, SEL-12's figures) ----

    // A session's code (another shape, a NUL byte: the 404 page); limited per address like the other public lookups.
    const publicPage = { schema: { params: sessionParams }, config: lookups };
    app.get<{ Params: z.output<typeof sessionParams> }>('/sessions/:code/selection', publicPage, async (request, reply) => {
      const data = await publicSelection(db, request.params.code);
      if (!data) return reply.callNotFound();
      return sendPage(reply, <PublicSelectionPage ctx={ctx(request, reply)} data={data} />);
    });

    // The same facts as JSON: the file `npm run cli -- draw --file` checks.
    app.get<{ Params: z.output<typeof sessionParams> }>('/sessions/:code/selection.json', publicPage, async (request, reply) => {
      const data = await publicSelection(db, request.params.code);
      if (!data) return reply.callNotFound();
      return reply.header('cache-control', 'no-cache').header('content-disposition', 'inline; filename="selection.json"').send(data);
    });

    // ---- staff: one session ----

    app.get<{ Params: z.output<typeof sessionParams>; Querystring: z.output<typeof convokedQuery> }>('/personnel/sessions/:code', { ...staffOnly, schema: { params: sessionParams, querystring: convokedQuery } }, async (request, reply) => {
      const data = await staffActions.sessionApplicants(db, clock, request.auth!.user, request.params.code);
      if (!data) return refuse(reply, { sessionCode: request.params.code });
      const convoked = request.query.convoquees;
      const flash = convoked !== undefined ? ctx(request, reply).t('sel.convoke.done', { count: convoked }) : undefined;
      return sendPage(reply, <SessionApplicantsPage ctx={ctx(request, reply)} data={data} flash={flash} />);
    });

    app.post<{ Params: { code: string } }>('/personnel/sessions/:code/convocations', only('convoke'), async (request, reply) => {
      const staff = request.auth!.user;
      const parsed = parseForm(convocationSchema, request.body);
      let form: FormState | undefined = parsed.ok ? undefined : parsed.form;
      let notice: MessageKey | undefined;
      if (parsed.ok) {
        const { kind, date, time, place, minutes } = parsed.data;
        const result = await staffActions.convokeSession(svc, { staff, sessionCode: request.params.code, kind, day: date, time, place, minutes });
        if (result.ok) return reply.redirect(`/personnel/sessions/${encodeURIComponent(request.params.code)}?convoquees=${result.convoked}`, 303);
        if (result.code === 'not_found') return refuse(reply, { sessionCode: request.params.code });
        if (result.code === 'forbidden') throw new AppError('forbidden');
        if (result.code === 'no_evaluation') notice = result.message;
        else form = withError({ values: typedValues(request.body), errors: {} }, 'date', { message: result.message, params: result.params });
      }
      const data = await staffActions.sessionApplicants(db, clock, staff, request.params.code);
      if (!data) return refuse(reply, { sessionCode: request.params.code });
      return sendPage(reply, <SessionApplicantsPage ctx={ctx(request, reply)} data={data} form={form} notice={notice} />, notice ? 409 : 400);
    });

    app.get<{ Params: z.output<typeof sessionParams>; Querystring: z.output<typeof decidedQuery> }>('/personnel/sessions/:code/selection', { ...only('accept'), schema: { params: sessionParams, querystring: decidedQuery } }, async (request, reply) => {
      const staff = request.auth!.user;
      const result = await selectionPage(svc, { staff, sessionCode: request.params.code });
      const t = ctx(request, reply).t;
      const { acceptees, attente } = request.query;
      const flash = acceptees !== undefined && attente !== undefined ? t('sel.decided', { accepted: acceptees, waiting: attente }) : undefined;
      if (!result.ok && result.code === 'window_open') return sendPage(reply, <SelectionPage ctx={ctx(request, reply)} session={result.session} ranked={[]} names={new Map()} windowOpen />);
      if (!result.ok && result.code === 'not_found') return refuse(reply, { sessionCode: request.params.code });
      if (!result.ok) throw new AppError('forbidden');
      return sendPage(reply, <SelectionPage ctx={ctx(request, reply)} {...result} windowOpen={false} flash={flash} />);
    });

    app.post<{ Params: { code: string } }>('/personnel/sessions/:code/selection', only('accept'), async (request, reply) => {
      const result = await decideSession(svc, { staff: request.auth!.user, sessionCode: request.params.code });
      if (!result.ok && result.code === 'not_found') return refuse(reply, { sessionCode: request.params.code });
      if (!result.ok && result.code === 'forbidden') throw new AppError('forbidden');
      const back = `/personnel/sessions/${encodeURIComponent(request.params.code)}/selection`;
      if (!result.ok) return reply.redirect(back, 303);
      return reply.redirect(`${back}?acceptees=${result.accepted}&attente=${result.waiting}`, 303);
    });

    // ---- staff: one applicant ----

    async function sheetPage(
      request: FastifyRequest<{ Params: { id: string } }>,
      reply: FastifyReply,
      extra: { forms?: Partial<Record<SheetForm, FormState>>; notice?: MessageKey; status?: number; flash?: keyof typeof flashes } = {},
    ) {
      const staff = request.auth!.user;
      const sheet = await staffActions.applicantSheet(db, clock, staff, request.params.id);
      if (!sheet) return refuse(reply, { applicationId: request.params.id });
      const flashKey = extra.flash && flashes[extra.flash];
      return sendPage(
        reply,
        <ApplicantPage ctx={ctx(request, reply)} sheet={sheet} forms={extra.forms} notice={extra.notice} flash={flashKey ? ctx(request, reply).t(flashKey) : undefined} />,
        extra.status ?? 200,
      );
    }

    app.get<{ Params: { id: string }; Querystring: z.output<typeof sheetQuery> }>('/personnel/candidatures/:id', { ...staffOnly, schema: { params: idParams, querystring: sheetQuery } }, (request, reply) =>
      sheetPage(request, reply, { flash: request.query.message }),
    );

    // The QR code of a convocation printed before PAY-10 opens the learner's sheet, for staff in scope
    // (those printed since open the public page, /verifier/CODE, where staff in scope see a link to the sheet).
    app.get<{ Params: { token: string } }>('/personnel/convocations/:token', staffOnly, async (request, reply) => {
      const sheet = await staffActions.convocationByToken(db, clock, request.auth!.user, request.params.token);
      if (!sheet) return reply.callNotFound();
      return reply.redirect(`/personnel/candidatures/${sheet.application.id}`, 303);
    });

    /**
     * One applicant's form: parse, act, then back to the sheet with "saved", or the sheet again
     * with the message next to the field (400) or, for a stale page, what changed (409).
     */
    function sheetForm<S extends z.ZodType>(
      path: string,
      action: Action,
      name: SheetForm,
      schema: S,
      act: (staff: staffActions.Staff, id: string, data: z.output<S>) => Promise<{ ok: true } | staffActions.ActionFailure>,
      field: string,
    ) {
      app.post<{ Params: { id: string } }>(`/personnel/candidatures/:id/${path}`, { ...only(action), schema: { params: idParams } }, async (request, reply) => {
        const parsed = parseForm(schema, request.body);
        if (!parsed.ok) return sheetPage(request, reply, { forms: { [name]: parsed.form }, status: 400 });
        const result = await act(request.auth!.user, request.params.id, parsed.data);
        if (result.ok) return reply.redirect(`/personnel/candidatures/${request.params.id}?message=saved`, 303);
        if (result.code === 'not_found') return refuse(reply, { applicationId: request.params.id });
        if (result.code === 'forbidden') throw new AppError('forbidden');
        if (result.code === 'wrong_status' || result.code === 'not_convoked' || result.code === 'no_evaluation')
          return sheetPage(request, reply, { notice: result.message, status: 409 });
        const form = { values: typedValues(request.body), errors: {} };
        return sheetPage(request, reply, { forms: { [name]: withError(form, field, { message: result.message, ...(result.params ? { params: result.params } : {}) }) }, status: 409 });
      });
    }

    sheetForm('presence', 'attendAbsent', 'attendance', attendanceSchema, (staff, id, d) => staffActions.recordAttendance(svc, { staff, applicationId: id, present: d.attendance === 'present' }), 'attendance');
    sheetForm('evaluation', 'mark', 'evaluation', evaluationSchema, (staff, id, d) => staffActions.recordEvaluation(svc, { staff, applicationId: id, mark: d.mark }), 'mark');
    sheetForm('ajustement', 'adjust', 'adjustment', adjustmentSchema, (staff, id, d) => staffActions.adjustRanking(svc, { staff, applicationId: id, ...d }), 'points');
    sheetForm('prerequis', 'prerequisites', 'prerequisites', prerequisitesSchema, (staff, id, d) => staffActions.recordPrerequisites(svc, { staff, applicationId: id, met: d.met === 'yes', reason: d.reason }), 'reason');
    sheetForm('demande', 'requestChange', 'change', changeRequestSchema, (staff, id, d) => staffActions.recordChangeRequest(svc, { staff, applicationId: id, note: d.note }), 'note');
    sheetForm('demande/refuser', 'declineChange', 'move', z.object({}), (staff, id) => staffActions.declineChangeRequest(svc, { staff, applicationId: id }), 'session');
    sheetForm('deplacer', 'moveLevel', 'move', moveSchema, (staff, id, d) => staffActions.moveByStaff(svc, { staff, applicationId: id, toCode: d.session, reason: d.motif }), 'session');
  };
}
