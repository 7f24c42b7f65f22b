import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../../app';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { parseForm, typedValues, withError } from '../../ui/forms';
import type { FormState } from '../../ui/context';
import { getUser, learnerNames } from '../accounts';
import { getApplication } from '../applications/applications.service';
import { staffRoles } from '../accounts/accounts.table';
import { sessionsInScope } from '../catalogue/catalogue.service';
import { scopeOf } from '../staff/staff.service';
import * as staffActions from './applicants.service';
import { convocationPdf } from './convocation.pdf';
import { staffCan, type StaffAction } from './selection.rules';
import { adjustmentSchema, attendanceSchema, changeRequestSchema, convocationSchema, evaluationSchema, moveSchema, prerequisitesSchema } from './selection.schema';
import { decideSession, rankSession } from './selection.service';
import { ApplicantPage, SessionApplicantsPage, type SheetForm } from './views/applicants';
import { SelectionPage } from './views/selection';
import { answerOffer } from './waiting-list.service';

const flashes = { saved: 'sel.sheet.saved' } as const satisfies Record<string, MessageKey>;

/**
 * Selection's pages: the coordinator's ranking and decision (SEL-1, SEL-2, SEL-3, SEL-6), a
 * session's applications and convocations, one applicant's sheet with the forms each role may
 * use (SEL-2 to SEL-5, SEL-10), and the learner's answers to offers and convocation PDF.
 * Every staff route checks the role here and the scope in the service's queries.
 */
export function selectionRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const only = (action: StaffAction) => ({ preHandler: requireUser(...staffCan[action]) });
  const staffOnly = { preHandler: requireUser(...staffRoles) };
  const learnerOnly = { preHandler: requireUser('learner') };
  const offerAnswer = z.object({ offre: z.string().max(40), reponse: z.enum(['accept', 'decline']) });
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const flashOf = (request: FastifyRequest) => {
    const m = (request.query as Record<string, unknown> | undefined)?.message;
    return typeof m === 'string' && m in flashes ? flashes[m as keyof typeof flashes] : undefined;
  };

  /** A scoped "not found": 403 if it exists outside the scope, else the 404 page. */
  async function refuse(reply: FastifyReply, what: { sessionCode?: string; applicationId?: string }) {
    if (await staffActions.existsUnscoped(db, what)) throw new AppError('forbidden');
    return reply.callNotFound();
  }

  return async (app) => {
    // ---- learners ----

    // SEL-7, SEL-8: the learner accepts or declines a place offered.
    app.post<{ Params: { id: string } }>('/candidatures/:id/offre', learnerOnly, async (request, reply) => {
      const parsed = offerAnswer.safeParse(request.body);
      if (!parsed.success) return reply.redirect('/candidatures', 303);
      const result = await answerOffer(svc, { learnerId: request.auth!.user.id, offerId: parsed.data.offre, accept: parsed.data.reponse === 'accept' });
      if (!result.ok && result.code === 'not_found') return reply.callNotFound();
      const message = result.ok ? (result.accepted ? 'accepted' : 'declined') : result.code;
      return reply.redirect(`/candidatures?message=${message}#candidature-${encodeURIComponent(request.params.id)}`, 303);
    });

    // SEL-3: the learner's own convocation, as a PDF to print.
    app.get<{ Params: { id: string } }>('/candidatures/:id/convocation.pdf', learnerOnly, async (request, reply) => {
      const user = request.auth!.user;
      const application = await getApplication(db, user.id, request.params.id);
      if (!application?.convocation) return reply.callNotFound();
      const [name, account] = await Promise.all([learnerNames(db, [user.id]), getUser(db, user.id)]);
      const pdf = await convocationPdf({
        locale: account?.locale ?? request.locale,
        name: name.get(user.id) ?? user.email,
        session: application.session,
        convocation: application.convocation,
        checkUrl: `${config.baseUrl}/personnel/convocations/${application.convocation.token}`,
      });
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="convocation-${application.session.code}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf);
    });

    // ---- staff: one session ----

    app.get<{ Params: { code: string } }>('/personnel/sessions/:code', staffOnly, async (request, reply) => {
      const data = await staffActions.sessionApplicants(db, request.auth!.user, request.params.code);
      if (!data) return refuse(reply, { sessionCode: request.params.code });
      const q = request.query as Record<string, unknown> | undefined;
      const convoked = typeof q?.convoquees === 'string' && /^\d{1,5}$/.test(q.convoquees) ? Number(q.convoquees) : undefined;
      const flash = convoked !== undefined ? ctx(request, reply).t('sel.convoke.done', { count: convoked }) : undefined;
      return sendPage(reply, <SessionApplicantsPage ctx={ctx(request, reply)} data={data} now={clock.now()} flash={flash} />);
    });

    app.post<{ Params: { code: string } }>('/personnel/sessions/:code/convocations', only('convoke'), async (request, reply) => {
      const staff = request.auth!.user;
      const parsed = parseForm(convocationSchema, request.body);
      let form: FormState | undefined = parsed.ok ? undefined : parsed.form;
      if (parsed.ok) {
        const { kind, date, time, place } = parsed.data;
        const result = await staffActions.convokeSession(svc, { staff, sessionCode: request.params.code, kind, day: date, time, place });
        if (result.ok) return reply.redirect(`/personnel/sessions/${encodeURIComponent(request.params.code)}?convoquees=${result.convoked}`, 303);
        if (result.code === 'not_found') return refuse(reply, { sessionCode: request.params.code });
        form = withError({ values: typedValues(request.body), errors: {} }, 'date', { message: result.message });
      }
      const data = await staffActions.sessionApplicants(db, staff, request.params.code);
      if (!data) return refuse(reply, { sessionCode: request.params.code });
      return sendPage(reply, <SessionApplicantsPage ctx={ctx(request, reply)} data={data} now={clock.now()} form={form} />, 400);
    });

    app.get<{ Params: { code: string }; Querystring: { acceptees?: string; attente?: string } }>('/personnel/sessions/:code/selection', only('select'), async (request, reply) => {
      const staff = request.auth!.user;
      const result = await rankSession(svc, { staff, sessionCode: request.params.code });
      const t = ctx(request, reply).t;
      const q = request.query;
      const flash =
        q && /^\d{1,5}$/.test(q.acceptees ?? '') && /^\d{1,5}$/.test(q.attente ?? '') ? t('sel.decided', { accepted: Number(q.acceptees), waiting: Number(q.attente) }) : undefined;
      if (!result.ok && result.code === 'not_found') return refuse(reply, { sessionCode: request.params.code });
      if (!result.ok) {
        const [session] = await sessionsInScope(db, await scopeOf(db, staff), { code: request.params.code });
        return sendPage(reply, <SelectionPage ctx={ctx(request, reply)} session={session} taken={0} ranked={[]} names={new Map()} windowOpen />);
      }
      const names = await learnerNames(db, result.ranked.map((r) => r.learnerId!).filter(Boolean));
      const { refused, details } = result;
      return sendPage(
        reply,
        <SelectionPage ctx={ctx(request, reply)} session={result.session} seed={result.seed} taken={result.taken} ranked={result.ranked} refused={refused} details={details} names={names} windowOpen={false} flash={flash} />,
      );
    });

    app.post<{ Params: { code: string } }>('/personnel/sessions/:code/selection', only('select'), async (request, reply) => {
      const result = await decideSession(svc, { staff: request.auth!.user, sessionCode: request.params.code });
      if (!result.ok && result.code === 'not_found') return refuse(reply, { sessionCode: request.params.code });
      const back = `/personnel/sessions/${encodeURIComponent(request.params.code)}/selection`;
      if (!result.ok) return reply.redirect(back, 303);
      return reply.redirect(`${back}?acceptees=${result.accepted}&attente=${result.waiting}`, 303);
    });

    // ---- staff: one applicant ----

    async function sheetPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, extra: { forms?: Partial<Record<SheetForm, FormState>>; notice?: MessageKey; status?: number } = {}) {
      const staff = request.auth!.user;
      const sheet = await staffActions.applicantSheet(db, staff, request.params.id);
      if (!sheet) return refuse(reply, { applicationId: request.params.id });
      const [level, day] = await Promise.all([
        staffActions.moveTargets(db, staff, sheet.application, 'moved_level'),
        staffActions.moveTargets(db, staff, sheet.application, 'moved_day'),
      ]);
      const flashKey = flashOf(request);
      return sendPage(
        reply,
        <ApplicantPage ctx={ctx(request, reply)} sheet={sheet} targets={{ level, day }} forms={extra.forms} notice={extra.notice} flash={flashKey ? ctx(request, reply).t(flashKey) : undefined} />,
        extra.status ?? 200,
      );
    }

    app.get<{ Params: { id: string } }>('/personnel/candidatures/:id', staffOnly, (request, reply) => sheetPage(request, reply));

    // The QR code on a printed convocation opens the learner's sheet, for staff in scope.
    app.get<{ Params: { token: string } }>('/personnel/convocations/:token', staffOnly, async (request, reply) => {
      const sheet = await staffActions.convocationByToken(db, request.auth!.user, request.params.token);
      if (!sheet) return reply.callNotFound();
      return reply.redirect(`/personnel/candidatures/${sheet.application.id}`, 303);
    });

    /**
     * One applicant's form: parse, act, then back to the sheet with "saved", or the sheet again
     * with the message next to the field (400) or, for a stale page, what changed (409).
     */
    function sheetForm<S extends z.ZodType>(
      path: string,
      action: StaffAction,
      name: SheetForm,
      schema: S,
      act: (staff: staffActions.Staff, id: string, data: z.output<S>) => Promise<{ ok: true } | staffActions.ActionFailure>,
      field: string,
    ) {
      app.post<{ Params: { id: string } }>(`/personnel/candidatures/:id/${path}`, only(action), async (request, reply) => {
        const parsed = parseForm(schema, request.body);
        if (!parsed.ok) return sheetPage(request, reply, { forms: { [name]: parsed.form }, status: 400 });
        const result = await act(request.auth!.user, request.params.id, parsed.data);
        if (result.ok) return reply.redirect(`/personnel/candidatures/${request.params.id}?message=saved`, 303);
        if (result.code === 'not_found') return refuse(reply, { applicationId: request.params.id });
        if (result.code === 'wrong_status' || result.code === 'not_convoked' || result.code === 'no_evaluation')
          return sheetPage(request, reply, { notice: result.message, status: 409 });
        const form = { values: typedValues(request.body), errors: {} };
        return sheetPage(request, reply, { forms: { [name]: withError(form, field, { message: result.message }) }, status: 409 });
      });
    }

    sheetForm('presence', 'attend', 'attendance', attendanceSchema, (staff, id, d) => staffActions.recordAttendance(svc, { staff, applicationId: id, present: d.attendance === 'present' }), 'attendance');
    sheetForm('evaluation', 'mark', 'evaluation', evaluationSchema, (staff, id, d) => staffActions.recordEvaluation(svc, { staff, applicationId: id, mark: d.mark }), 'mark');
    sheetForm('ajustement', 'adjust', 'adjustment', adjustmentSchema, (staff, id, d) => staffActions.adjustRanking(svc, { staff, applicationId: id, ...d }), 'points');
    sheetForm('prerequis', 'prerequisites', 'prerequisites', prerequisitesSchema, (staff, id, d) => staffActions.recordPrerequisites(svc, { staff, applicationId: id, met: d.met === 'yes', reason: d.reason }), 'met');
    sheetForm('demande', 'requestChange', 'change', changeRequestSchema, (staff, id, d) => staffActions.recordChangeRequest(svc, { staff, applicationId: id, note: d.note }), 'note');
    sheetForm('demande/refuser', 'move', 'move', z.object({}), (staff, id) => staffActions.declineChangeRequest(svc, { staff, applicationId: id }), 'session');
    sheetForm('deplacer', 'move', 'move', moveSchema, (staff, id, d) => staffActions.moveByStaff(svc, { staff, applicationId: id, toCode: d.session, reason: d.motif }), 'session');
  };
}
