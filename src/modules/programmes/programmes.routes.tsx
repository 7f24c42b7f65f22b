import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { invalidCharacters, typedValues } from '../../ui/forms';
import { choiceNumbers, programmeFields } from './programmes.schema';
import { diplomaRoutes } from './diplomas.routes';
import { followProgramme, learnerProgrammes, listProgrammes, programmeFormValues, saveProgramme } from './programmes.service';
import { AdminProgrammesPage, LearnerProgrammesPage, ProgrammeFormPage } from './views/programmes';

const TEN_MINUTES = 10 * 60_000;
const programmeCode = z.string().regex(/^[A-Za-z0-9-]{1,30}$/);
const codeParams = z.object({ code: programmeCode });
const savedQuery = z.object({ enregistre: programmeCode.optional() });
const followedQuery = z.object({ suivi: programmeCode.optional() });
const multilineFields = ['mandatory', ...choiceNumbers.map((n) => `units_${n}`)];

/**
 * CRED-1: programmes. The administrator's list and form (admin only, here and in the service);
 * the learner's page of progress and the button to follow a programme.
 */
export function programmesRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, devTools } = deps;
  const adminOnly = { preHandler: requireUser('admin') };
  const learnerOnly = { preHandler: requireUser('learner') };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `prog:${request.auth?.user.id ?? request.ip}` },
  });

  return async (app) => {
    // CRED-4: the transcript, the attestations, the diploma requests and their decisions.
    diplomaRoutes(app, deps);
    const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
    const formPage = (request: FastifyRequest, reply: FastifyReply, form: FormState, creating: boolean, status = 200) =>
      sendPage(reply, <ProgrammeFormPage ctx={ctx(request, reply)} form={form} creating={creating} />, status);

    app.get<{ Querystring: z.output<typeof savedQuery> }>('/personnel/admin/cursus', { ...adminOnly, schema: { querystring: savedQuery } }, async (request, reply) => {
      const page = ctx(request, reply);
      const saved = request.query.enregistre;
      return sendPage(reply, <AdminProgrammesPage ctx={page} programmes={await listProgrammes(db)} flash={saved ? page.t('prog.admin.saved', { code: saved.toUpperCase() }) : undefined} />);
    });

    app.get<{ Params: z.output<typeof codeParams> }>('/personnel/admin/cursus/:code', { ...adminOnly, schema: { params: codeParams } }, async (request, reply) => {
      if (request.params.code === 'nouveau') return formPage(request, reply, emptyForm({ kind: 'certificate' }), true);
      const values = await programmeFormValues(db, request.params.code);
      if (!values) return reply.callNotFound();
      return formPage(request, reply, emptyForm(values), false);
    });

    app.post('/personnel/admin/cursus', { ...adminOnly, config: perAccount(60) }, async (request, reply) => {
      const typed = typedValues(request.body);
      const creating = typed.nouveau === '1';
      const values = Object.fromEntries(programmeFields.map((name) => [name, typed[name] ?? '']));
      const invalid = invalidCharacters(values, multilineFields);
      if (Object.keys(invalid).length) return formPage(request, reply, { values, errors: invalid }, creating, 400);
      const result = await saveProgramme({ db, clock }, { actor: request.auth!.user, values, creating });
      if (result.ok) return reply.redirect(`/personnel/admin/cursus?enregistre=${encodeURIComponent(result.code)}`, 303);
      if (result.code === 'forbidden') throw new AppError('forbidden');
      return formPage(request, reply, { values, errors: result.errors }, creating, 400);
    });

    app.get<{ Querystring: z.output<typeof followedQuery> }>('/compte/cursus', { ...learnerOnly, schema: { querystring: followedQuery } }, async (request, reply) => {
      const page = await learnerProgrammes(db, clock, request.auth!.user.id);
      const context = ctx(request, reply);
      const followed = request.query.suivi ? page.followed.find((f) => f.programme.code === request.query.suivi!.toUpperCase()) : undefined;
      return sendPage(reply, <LearnerProgrammesPage ctx={context} page={page} flash={followed ? context.t('prog.learner.followed.flash', { title: followed.programme.title }) : undefined} />);
    });

    app.post<{ Params: z.output<typeof codeParams> }>('/compte/cursus/:code/suivre', { ...learnerOnly, schema: { params: codeParams }, config: perAccount(30) }, async (request, reply) => {
      const result = await followProgramme({ db, clock }, { learnerId: request.auth!.user.id, code: request.params.code });
      if (!result.ok) return reply.callNotFound();
      return reply.redirect(`/compte/cursus?suivi=${encodeURIComponent(request.params.code.toUpperCase())}#cursus-${encodeURIComponent(request.params.code.toUpperCase())}`, 303);
    });
  };
}
