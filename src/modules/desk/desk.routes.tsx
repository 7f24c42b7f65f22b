import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey } from '../../platform/i18n';
import { idParams, uuidParam, type RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, typedValues, withError } from '../../ui/forms';
import { learnerRecordSchema, parisDay } from '../accounts';
import { assistedAccountSchema, assistedAnswersSchema, consentSchema, deskSearchSchema, sessionChoiceSchema } from './desk.schema';
import {
  assistedApplication,
  assistedLearnerFile,
  deskHome,
  fillAndConfirm,
  preselectForLearner,
  registerAssistedLearner,
  resendTakeoverCode,
  resendTakeoverEmail,
  type DeskFailure,
} from './desk.service';
import { helpDeskAdminRoutes } from './help-desks.routes';
import { AssistedApplicationPage, AssistedLearnerPage, DeskHomePage, RegisterPage } from './views/desk';

const flashes = {
  registered: 'desk.flash.registered',
  codeSent: 'desk.flash.codeSent',
  emailSent: 'desk.flash.emailSent',
  confirmed: 'desk.flash.confirmed',
} as const satisfies Record<string, MessageKey>;
const flashQuery = z.object({ message: z.enum(['registered', 'codeSent', 'emailSent', 'confirmed']).optional() });
const applicationParams = z.object({ id: uuidParam, applicationId: uuidParam });
const TEN_MINUTES = 600_000;

type WithId = FastifyRequest<{ Params: { id: string } }>;
type WithApplication = FastifyRequest<{ Params: { id: string; applicationId: string } }>;

/**
 * SVC-5: `/personnel/accueil`, the help desk's pages, for counsellors only (the route's guard);
 * the service checks the role, the learner's desk and the session's scope again (403), and says
 * when what was asked does not exist (404).
 */
export function deskRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const counsellors = { preHandler: requireUser('counsellor') };
  const withId = { ...counsellors, schema: { params: idParams } };
  const withApplication = { ...counsellors, schema: { params: applicationParams } };
  /** Per counsellor: registrations and codes send emails and SMS. */
  const perCounsellor = (policy: 'signupsPerIpPer10Min' | 'activationResendsPerIpPer10Min') => ({
    rateLimit: {
      hook: 'preHandler' as const,
      max: async () => (await deps.policies())[policy],
      timeWindow: TEN_MINUTES,
      keyGenerator: (request: FastifyRequest) => `counsellor:${request.auth?.user.id ?? request.ip}`,
    },
  });

  /** A refusal of the service: 404 for what does not exist, 403 for what is not the counsellor's. */
  function refuse(reply: FastifyReply, failure: DeskFailure) {
    if (failure.code === 'not_found') return reply.callNotFound();
    throw new AppError('forbidden');
  }
  const flashOf = (request: FastifyRequest, reply: FastifyReply) => {
    const message = flashQuery.safeParse(request.query).data?.message;
    return message ? ctx(request, reply).t(flashes[message]) : undefined;
  };

  return async (app) => {
    app.get('/personnel/accueil', counsellors, async (request, reply) => {
      const parsed = parseForm(deskSearchSchema, request.query);
      const q = parsed.ok ? parsed.data.q : undefined;
      const result = await deskHome(db, request.auth!.user, { q });
      if (!result.ok) return refuse(reply, result);
      const form: FormState = parsed.ok ? { values: typedValues(request.query), errors: {} } : parsed.form;
      return sendPage(reply, <DeskHomePage ctx={ctx(request, reply)} home={result.home} form={form} searched={Boolean(q)} flash={flashOf(request, reply)} />, parsed.ok ? 200 : 400);
    });

    const recordSchema = async () => learnerRecordSchema({ today: parisDay(clock.now()), minimumAge: (await deps.policies()).minimumAge });

    app.get('/personnel/accueil/inscrire', counsellors, async (request, reply) => sendPage(reply, <RegisterPage ctx={ctx(request, reply)} form={emptyForm()} />));

    app.post('/personnel/accueil/inscrire', { ...counsellors, config: perCounsellor('signupsPerIpPer10Min') }, async (request, reply) => {
      // Two schemas on one body: the account's (this desk's) and the learner record's (the accounts').
      const account = parseForm(assistedAccountSchema, request.body);
      const record = parseForm(await recordSchema(), request.body);
      if (!account.ok || !record.ok) {
        const errors = { ...(record.ok ? {} : record.form.errors), ...(account.ok ? {} : account.form.errors) };
        return sendPage(reply, <RegisterPage ctx={ctx(request, reply)} form={{ values: typedValues(request.body), errors }} />, 400);
      }
      const result = await registerAssistedLearner(
        svc,
        request.auth!.user,
        { email: account.data.email, accountLocale: account.data.accountLocale, record: record.data, consent: true },
        request.ip,
      );
      if (!result.ok) {
        if ('field' in result && result.field) {
          const form = withError({ values: typedValues(request.body), errors: {} }, result.field, { message: result.message });
          return sendPage(reply, <RegisterPage ctx={ctx(request, reply)} form={form} />, 409);
        }
        return refuse(reply, result);
      }
      return reply.redirect(`/personnel/accueil/apprenants/${result.learnerId}?message=registered`, 303);
    });

    async function learnerPage(request: WithId, reply: FastifyReply, extra: { apply?: FormState; consent?: FormState; notice?: MessageKey; status?: number } = {}) {
      const result = await assistedLearnerFile(svc, request.auth!.user, request.params.id);
      if (!result.ok) return refuse(reply, result);
      const c = ctx(request, reply);
      const status = extra.status ?? 200;
      return sendPage(
        reply,
        <AssistedLearnerPage
          ctx={c}
          file={result.file}
          apply={extra.apply ?? emptyForm()}
          consent={extra.consent ?? emptyForm()}
          flash={status === 200 ? flashOf(request, reply) : undefined}
          notice={extra.notice ? c.t(extra.notice) : undefined}
        />,
        status,
      );
    }

    app.get<{ Params: { id: string } }>('/personnel/accueil/apprenants/:id', withId, (request, reply) => learnerPage(request, reply));

    for (const [path, send, flash] of [
      ['code', resendTakeoverCode, 'codeSent'],
      ['courriel', resendTakeoverEmail, 'emailSent'],
    ] as const) {
      app.post<{ Params: { id: string } }>(`/personnel/accueil/apprenants/:id/${path}`, { ...withId, config: perCounsellor('activationResendsPerIpPer10Min') }, async (request, reply) => {
        const parsed = parseForm(consentSchema, request.body);
        if (!parsed.ok) return learnerPage(request, reply, { consent: parsed.form, status: 400 });
        const result = await send(svc, request.auth!.user, { learnerId: request.params.id, consent: true });
        if (!result.ok) {
          if (result.code === 'not_found' || result.code === 'SVC-5') return refuse(reply, result);
          return learnerPage(request, reply, { notice: result.message, status: 409 });
        }
        return reply.redirect(`/personnel/accueil/apprenants/${request.params.id}?message=${flash}`, 303);
      });
    }

    app.post<{ Params: { id: string } }>('/personnel/accueil/apprenants/:id/candidatures', withId, async (request, reply) => {
      const parsed = parseForm(sessionChoiceSchema, request.body);
      if (!parsed.ok) return learnerPage(request, reply, { apply: parsed.form, status: 400 });
      const result = await preselectForLearner(svc, request.auth!.user, { learnerId: request.params.id, sessionCode: parsed.data.session, consent: true });
      if (!result.ok) {
        if (result.code === 'not_found' || result.code === 'SVC-5') return refuse(reply, result);
        const apply = withError({ values: typedValues(request.body), errors: {} }, 'session', { message: result.message });
        return learnerPage(request, reply, { apply, status: 409 });
      }
      return reply.redirect(`/personnel/accueil/apprenants/${request.params.id}/candidatures/${result.applicationId}`, 303);
    });

    async function applicationPage(request: WithApplication, reply: FastifyReply, extra: { form?: FormState; notice?: MessageKey; status?: number } = {}) {
      const result = await assistedApplication(svc, request.auth!.user, { learnerId: request.params.id, applicationId: request.params.applicationId });
      if (!result.ok) return refuse(reply, result);
      const c = ctx(request, reply);
      return sendPage(
        reply,
        <AssistedApplicationPage
          ctx={c}
          learnerId={request.params.id}
          name={`${result.profile.lastName.toUpperCase()} ${result.profile.firstName}`}
          application={result.application}
          form={extra.form ?? emptyForm()}
          notice={extra.notice ? c.t(extra.notice) : undefined}
        />,
        extra.status ?? 200,
      );
    }

    app.get<{ Params: { id: string; applicationId: string } }>('/personnel/accueil/apprenants/:id/candidatures/:applicationId', withApplication, (request, reply) => applicationPage(request, reply));

    app.post<{ Params: { id: string; applicationId: string } }>('/personnel/accueil/apprenants/:id/candidatures/:applicationId', withApplication, async (request, reply) => {
      const parsed = parseForm(assistedAnswersSchema, request.body);
      if (!parsed.ok) return applicationPage(request, reply, { form: parsed.form, status: 400 });
      const result = await fillAndConfirm(svc, request.auth!.user, { learnerId: request.params.id, applicationId: request.params.applicationId, answers: parsed.data, consent: true });
      if (!result.ok) {
        if (result.code === 'not_found' || result.code === 'SVC-5') return refuse(reply, result);
        return applicationPage(request, reply, { form: { values: typedValues(request.body), errors: {} }, notice: result.message, status: 409 });
      }
      return reply.redirect(`/personnel/accueil/apprenants/${request.params.id}?message=confirmed`, 303);
    });

    // The administrator's help desk pages (under /personnel/admin, linked from its hub): the desk's tables are this module's.
    await app.register(helpDeskAdminRoutes(deps));
  };
}
