import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idParams, type RouteDeps } from '../../platform/routes';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import { parisDay } from '../accounts';
import { getCourseSheet, sessionsForApplications } from '../catalogue';
import { CourseSheetPage } from '../catalogue';
import { motivationsSchema, objectiveSchema, rulesSchema, sessionChoiceSchema, situationSchema } from './applications.schema';
import * as apps from './applications.service';
import { proofRoutes } from './proofs.routes';
import { ApplicationsPage, CancelPage, CheckPage, StepPage, type Step } from './views/applications';

const flashes = {
  preselected: 'apps.flash.preselected',
  confirmed: 'apps.flash.confirmed',
  cancelled: 'apps.flash.cancelled',
  withdrawn: 'apps.flash.withdrawn',
  deleted: 'apps.flash.deleted',
  accepted: 'apps.offer.accepted',
  declined: 'apps.offer.declined',
  expired: 'apps.offer.expired',
  conflict: 'apps.offer.conflict',
} as const;
const steps: Step[] = ['situation', 'objectif', 'motivations'];
const stepSchemas = { situation: situationSchema, objectif: objectiveSchema, motivations: motivationsSchema };

/** The learner's side of applying: SPEC APP-1 to APP-9. */
export function applicationRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const learnerOnly = { preHandler: requireUser('learner') };
  // Route schemas of the form's steps: an application id, and `?retour=verification` from the check page.
  // Every `:id` is a UUID (else the 404 page).
  const stepQuery = z.object({ retour: z.enum(['verification']).optional() });
  type StepRequest = { Params: z.output<typeof idParams>; Querystring: z.output<typeof stepQuery> };
  const stepRoute = { ...learnerOnly, schema: { params: idParams, querystring: stepQuery } };
  const learnerWithId = { ...learnerOnly, schema: { params: idParams } };

  return async (app) => {
    // PAY-6: the half-rate proof, the learner's and the school's pages.
    await app.register(proofRoutes(deps));
    const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
    const learnerId = (request: FastifyRequest) => request.auth!.user.id;

    /** The learner's own application, or the 404 page (another learner's id is simply unknown). */
    async function own(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
      const application = await apps.getApplication(db, clock, learnerId(request), request.params.id);
      if (!application) {
        reply.callNotFound();
        return null;
      }
      return application;
    }

    app.get('/candidatures', learnerOnly, async (request, reply) => {
      const page = await apps.applicationsPage(db, clock, learnerId(request), await deps.policies());
      const message = z.object({ message: z.enum(Object.keys(flashes) as [keyof typeof flashes]).optional() }).safeParse(request.query).data?.message;
      return sendPage(
        reply,
        <ApplicationsPage ctx={ctx(request, reply)} {...page} flash={message ? flashes[message] : undefined} />,
      );
    });

    // APP-1: "save in my applications" from a course sheet.
    app.post('/candidatures', learnerOnly, async (request, reply) => {
      const parsed = sessionChoiceSchema.safeParse(request.body);
      if (!parsed.success) return reply.callNotFound();
      const result = await apps.preselectSession(svc, { learnerId: learnerId(request), sessionCode: parsed.data.session });
      if (result.ok) return reply.redirect('/candidatures?message=preselected', 303);
      if (result.code === 'not_found') return reply.callNotFound();
      if (result.code === 'no_record') return reply.redirect('/compte/fiche', 303);
      // Show the sheet again with the reason next to the session, and what to do about it.
      const [session] = await sessionsForApplications(db, { codes: [parsed.data.session] });
      const sheet = await getCourseSheet(db, clock, session.courseCode);
      const policies = await deps.policies();
      const params = { title: 'conflictWith' in result && result.conflictWith ? result.conflictWith.title : '', max: policies.maxActiveApplications };
      return sendPage(reply, <CourseSheetPage ctx={ctx(request, reply)} sheet={sheet!} refusal={{ sessionCode: session.code, message: result.message, params }} />, 409);
    });

    // APP-4: the application form, one question per page, answers kept on the preselection.
    for (const step of steps) {
      const next = (id: string, returnToCheck: boolean) =>
        returnToCheck || step === 'motivations' ? `/candidatures/${id}/verification` : `/candidatures/${id}/${steps[steps.indexOf(step) + 1]}`;
      const back = (id: string) => (step === 'situation' ? '/candidatures' : `/candidatures/${id}/${steps[steps.indexOf(step) - 1]}`);
      const returning = (request: FastifyRequest<StepRequest>) => request.query.retour === 'verification';

      app.get<StepRequest>(`/candidatures/:id/${step}`, stepRoute, async (request, reply) => {
        const application = await own(request, reply);
        if (!application) return reply;
        if (!application.actions.has('edit')) return reply.redirect('/candidatures', 303);
        const allowance = application.allowance ?? (application.situation === 'welfare_recipient' ? 'none' : undefined);
        const form = emptyForm({ situation: application.situation ?? undefined, allowance, objective: application.objective ?? undefined, motivations: application.motivations ?? undefined });
        const months = (await deps.policies()).halfRateProofValidityMonths;
        return sendPage(reply, <StepPage ctx={ctx(request, reply)} app={application} step={step} form={form} back={back(application.id)} returnToCheck={returning(request)} proofMonths={months} />);
      });

      app.post<StepRequest>(`/candidatures/:id/${step}`, stepRoute, async (request, reply) => {
        const application = await own(request, reply);
        if (!application) return reply;
        if (!application.actions.has('edit')) return reply.redirect('/candidatures', 303);
        const parsed = parseForm(stepSchemas[step], request.body);
        if (!parsed.ok) {
          const months = (await deps.policies()).halfRateProofValidityMonths;
          return sendPage(reply, <StepPage ctx={ctx(request, reply)} app={application} step={step} form={parsed.form} back={back(application.id)} returnToCheck={returning(request)} proofMonths={months} />, 400);
        }
        await apps.saveAnswers(svc, { learnerId: learnerId(request), applicationId: application.id, answers: parsed.data });
        return reply.redirect(next(application.id, returning(request)), 303);
      });
    }

    app.get<{ Params: { id: string } }>('/candidatures/:id/verification', learnerWithId, async (request, reply) => {
      const application = await own(request, reply);
      if (!application) return reply;
      if (!application.actions.has('edit')) return reply.redirect('/candidatures', 303);
      const missing = !application.situation ? 'situation' : !application.objective ? 'objectif' : !application.motivations ? 'motivations' : null;
      if (missing) return reply.redirect(`/candidatures/${application.id}/${missing}`, 303);
      return sendPage(reply, <CheckPage ctx={ctx(request, reply)} app={application} form={emptyForm()} />);
    });

    // APP-4, APP-5, APP-8: validate.
    app.post<{ Params: { id: string } }>('/candidatures/:id/valider', learnerWithId, async (request, reply) => {
      // The rush path: validate first, load the page's data only when something must be shown.
      const rules = parseForm(rulesSchema, request.body);
      const result = rules.ok
        ? await apps.confirmApplication(svc, { learnerId: learnerId(request), applicationId: request.params.id }, await deps.policies())
        : undefined;
      if (result?.ok) return reply.redirect('/candidatures?message=confirmed', 303); // a double click lands here too
      const application = await own(request, reply);
      if (!application) return reply;
      if (!rules.ok) return sendPage(reply, <CheckPage ctx={ctx(request, reply)} app={application} form={rules.form} />, 400);
      if (!result || result.code === 'not_found') return reply.redirect('/candidatures', 303);
      if (result.code === 'incomplete') return reply.redirect(`/candidatures/${application.id}/verification`, 303);
      const policies = await deps.policies();
      const params = { title: 'conflictWith' in result && result.conflictWith ? result.conflictWith.title : '', max: policies.maxActiveApplications };
      const form: FormState = { values: typedValues(request.body), errors: {} };
      return sendPage(reply, <CheckPage ctx={ctx(request, reply)} app={application} form={form} refusal={{ message: result.message as MessageKey, params }} />, 409);
    });

    // APP-6: cancel, after a confirmation page.
    app.get<{ Params: { id: string } }>('/candidatures/:id/annuler', learnerWithId, async (request, reply) => {
      const application = await own(request, reply);
      if (!application) return reply;
      const withdraw = application.actions.has('withdraw');
      const possible = withdraw || application.actions.has('cancel');
      return sendPage(reply, <CancelPage ctx={ctx(request, reply)} app={application} withdraw={withdraw} error={possible ? undefined : 'app.cancel.tooLate'} />);
    });

    app.post<{ Params: { id: string } }>('/candidatures/:id/annuler', learnerWithId, async (request, reply) => {
      const application = await own(request, reply);
      if (!application) return reply;
      const result = await apps.cancelApplication(svc, { learnerId: learnerId(request), applicationId: application.id });
      if (result.ok) return reply.redirect(`/candidatures?message=${result.status}`, 303);
      return sendPage(reply, <CancelPage ctx={ctx(request, reply)} app={application} error="app.cancel.tooLate" />, 409);
    });

    app.post<{ Params: { id: string } }>('/candidatures/:id/supprimer', learnerWithId, async (request, reply) => {
      const application = await own(request, reply);
      if (!application) return reply;
      const result = await apps.deletePreselection(svc, { learnerId: learnerId(request), applicationId: application.id });
      if (!result.ok && result.code === 'not_found') return reply.redirect('/candidatures', 303);
      return reply.redirect(result.ok ? '/candidatures?message=deleted' : '/candidatures', 303);
    });
  };
}
