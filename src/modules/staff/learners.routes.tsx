import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idParams, type RouteDeps } from '../../platform/routes';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import { nameChangeDeciders } from '../accounts';
import { applyNameChangeSchema, declineNameChangeSchema, learnerSearchSchema } from './learners.schema';
import { decideLearnerNameChange, findLearners, viewLearnerFile } from './learners.service';
import { LearnerPage, LearnerSearchPage } from './views/learners';

const flashes = { applied: 'learners.flash.applied', declined: 'learners.flash.declined' } as const satisfies Record<string, MessageKey>;
const flashQuery = z.object({ message: z.enum(['applied', 'declined']).optional() });
/** A request gone (decided by someone else meanwhile) or a name another record already has. */
const refusalNotices = {
  not_found: 'learners.notice.stale',
  not_pending: 'learners.notice.stale',
  duplicate_person: 'learners.notice.duplicatePerson',
} as const satisfies Record<string, MessageKey>;

/**
 * ACC-8 for staff: the learner search and a learner's page, where a coordinator or an
 * administrator applies or declines a name change. The role is checked here and again, with the
 * scope, in learners.service.
 */
export function learnerRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const deciders = { preHandler: requireUser(...nameChangeDeciders) };
  // A learner's id in the path is a UUID (else the 404 page).
  const decidersWithId = { ...deciders, schema: { params: idParams } };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);

  return async (app) => {
    app.get('/personnel/apprenants', deciders, async (request, reply) => {
      const parsed = parseForm(learnerSearchSchema, request.query);
      const search = parsed.ok ? { text: parsed.data.q, birthDate: parsed.data.naissance } : {};
      const result = await findLearners(db, request.auth!.user, search);
      if (!result.ok) throw new AppError('forbidden');
      const form = parsed.ok ? { values: typedValues(request.query), errors: {} } : parsed.form;
      const searched = parsed.ok && Boolean(search.text || search.birthDate);
      return sendPage(
        reply,
        <LearnerSearchPage ctx={ctx(request, reply)} form={form} rows={result.rows} pending={result.pending} all={result.all} searched={searched} />,
        parsed.ok ? 200 : 400,
      );
    });

    async function learnerPage(
      request: FastifyRequest<{ Params: { id: string } }>,
      reply: FastifyReply,
      extra: { decline?: FormState; notice?: MessageKey; status?: number } = {},
    ) {
      const access = await viewLearnerFile({ db, clock }, request.auth!.user, request.params.id);
      if (!access.ok) {
        if (access.code === 'not_found') return reply.callNotFound();
        throw new AppError('forbidden');
      }
      const flash = (extra.status ?? 200) === 200 ? flashQuery.safeParse(request.query).data?.message : undefined;
      return sendPage(
        reply,
        <LearnerPage
          ctx={ctx(request, reply)}
          file={access.file}
          decline={extra.decline ?? emptyForm()}
          notice={extra.notice}
          flash={flash ? ctx(request, reply).t(flashes[flash]) : undefined}
        />,
        extra.status ?? 200,
      );
    }

    app.get<{ Params: { id: string } }>('/personnel/apprenants/:id', decidersWithId, (request, reply) => learnerPage(request, reply));

    /** Both decisions: parse, decide, then back to the page with what happened. */
    for (const decision of ['apply', 'decline'] as const) {
      const path = decision === 'apply' ? 'appliquer' : 'refuser';
      app.post<{ Params: { id: string } }>(`/personnel/apprenants/:id/nom/${path}`, decidersWithId, async (request, reply) => {
        const parsed = parseForm(decision === 'apply' ? applyNameChangeSchema.extend({ motif: z.any().optional().transform(() => null) }) : declineNameChangeSchema, request.body);
        if (!parsed.ok) {
          // `demande` is a hidden field: its errors mean a tampered or stale page, not a typing mistake.
          const { demande: _hidden, ...errors } = parsed.form.errors;
          const shown = Object.keys(errors).length > 0;
          return learnerPage(request, reply, { decline: shown ? { values: parsed.form.values, errors } : undefined, notice: shown ? undefined : 'learners.notice.stale', status: 400 });
        }
        const result = await decideLearnerNameChange(svc, { staff: request.auth!.user, learnerId: request.params.id, requestId: parsed.data.demande, decision, note: parsed.data.motif });
        if (result.ok) return reply.redirect(`/personnel/apprenants/${request.params.id}?message=${decision === 'apply' ? 'applied' : 'declined'}`, 303);
        if (result.code === 'forbidden') throw new AppError('forbidden');
        const decline = decision === 'decline' ? { values: typedValues(request.body), errors: {} } : undefined;
        return learnerPage(request, reply, { decline, notice: refusalNotices[result.code], status: 409 });
      });
    }
  };
}
