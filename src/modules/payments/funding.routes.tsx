import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { fundingSources, type FundingSource } from '../../domain/vocabulary';
import { AppError } from '../../platform/errors';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import { idParams, printable, type RouteDeps } from '../../platform/routes';
import type { FormState } from '../../ui/context';
import { emptyForm } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import { checkPrice } from './funding.rules';
import { enrolSchema, previewSchema, priceSchema } from './funding.schema';
import * as funding from './funding.service';
import { EnrolmentPage, EnrolPage, PricesPage } from './views/funding';

const TEN_MINUTES = 10 * 60_000;
const savedQuery = z.object({ enregistre: z.enum(fundingSources).optional() });
const enrolledQuery = z.object({ inscrit: z.literal('1').optional() });
/** The sheet's GET form: its values are read with the form's schema (an error goes next to the field). */
const previewQuery = z.object({ session: printable(40).optional(), financement: printable(40).optional() });

/**
 * CRED-2, CRED-5: the learner's enrolment in a unit (the confirmation page, the enrolment, its
 * page and the funder's attestation) and the administrator's price list.
 */
export function fundingRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc: funding.FundingDeps = { db, clock, baseUrl: config.baseUrl, secret: deps.secret, cashOffice: config.cashOffice, profile: config.profile };
  const learnerOnly = { preHandler: requireUser('learner') };
  const adminOnly = { preHandler: requireUser('admin') };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `fund:${request.auth?.user.id ?? request.ip}` },
  });

  return async (app) => {
    const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);

    async function enrolPage(request: FastifyRequest, reply: FastifyReply, sessionCode: string, form: FormState, status = 200, refusal?: funding.UnitOffer['refusal'], refusalParams?: Record<string, string | number>) {
      const offer = await funding.enrolmentPreview(svc, request.auth!.user.id, sessionCode);
      if (!offer) return reply.callNotFound();
      return sendPage(reply, <EnrolPage ctx={ctx(request, reply)} offer={offer} form={form} refusal={refusal ?? undefined} refusalParams={refusalParams} />, status);
    }

    // CRED-2: the confirmation page, reached from the unit's sheet (a GET form: nothing is written).
    app.get<{ Querystring: z.output<typeof previewQuery> }>('/unites/inscription', { ...learnerOnly, schema: { querystring: previewQuery } }, async (request, reply) => {
      const parsed = parseForm(previewSchema, request.query);
      const code = typeof request.query.session === 'string' ? request.query.session.trim() : '';
      if (!code || (!parsed.ok && parsed.form.errors.session)) return reply.callNotFound();
      if (!parsed.ok) return enrolPage(request, reply, code, parsed.form, 400);
      return enrolPage(request, reply, code, emptyForm(parsed.data.financement ? { financement: parsed.data.financement } : {}));
    });

    // CRED-2, CRED-5: enrols, then the enrolment's page (personal: to pay; a funder: the attestation).
    app.post('/unites/inscription', { ...learnerOnly, config: perAccount(30) }, async (request, reply) => {
      const parsed = parseForm(enrolSchema, request.body);
      const typed = typedValues(request.body);
      const code = parsed.ok ? parsed.data.session : (typed.session ?? '').trim();
      if (!code || /[\u0000-\u001f\u007f]/.test(code) || code.length > 40) return reply.callNotFound();
      if (!parsed.ok) return enrolPage(request, reply, code, parsed.form, 400);
      const done = await funding.enrolInUnit(svc, { learnerId: request.auth!.user.id, sessionCode: code, source: parsed.data.financement });
      if (done.ok) return reply.redirect(`/inscriptions/${done.applicationId}?inscrit=1`, 303);
      if (done.code === 'not_found') return reply.callNotFound();
      return enrolPage(request, reply, code, emptyForm({ financement: parsed.data.financement }), 409, done.message, done.params);
    });

    app.get<{ Params: { id: string }; Querystring: z.output<typeof enrolledQuery> }>('/inscriptions/:id', { ...learnerOnly, schema: { params: idParams, querystring: enrolledQuery } }, async (request, reply) => {
      const found = await funding.learnerEnrolment(svc, request.auth!.user.id, request.params.id);
      if (!found) return reply.callNotFound();
      const page = ctx(request, reply);
      return sendPage(reply, <EnrolmentPage ctx={page} enrolment={found} flash={request.query.inscrit ? page.t('cred.enrolment.flash') : undefined} />);
    });

    // CRED-5: the funder's attestation (the learner's own, a funder's enrolment only).
    app.get<{ Params: { id: string } }>('/inscriptions/:id/attestation-financement.pdf', { ...learnerOnly, schema: { params: idParams }, config: perAccount(60) }, async (request, reply) => {
      const user = request.auth!.user;
      const doc = await funding.fundingAttestation(svc, { id: user.id, locale: request.locale }, request.params.id);
      if (!doc) return reply.callNotFound();
      return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="${doc.name}"`).header('cache-control', 'private, no-store').send(doc.pdf);
    });

    // CRED-5: the price list (admin only, here and in the service).
    app.get<{ Querystring: z.output<typeof savedQuery> }>('/personnel/admin/tarifs', { ...adminOnly, schema: { querystring: savedQuery } }, async (request, reply) => {
      const page = ctx(request, reply);
      const saved = request.query.enregistre;
      return sendPage(
        reply,
        <PricesPage ctx={page} prices={await funding.currentPriceList(db)} forms={{}} flash={saved ? page.t('cred.prices.saved', { source: page.t(`cred.funding.source.${saved}`) }) : undefined} />,
      );
    });

    app.post('/personnel/admin/tarifs', { ...adminOnly, config: perAccount(60) }, async (request, reply) => {
      const typed = typedValues(request.body);
      const source = (fundingSources as readonly string[]).includes(typed.source ?? '') ? (typed.source as FundingSource) : null;
      const page = async (form: FormState | null, status: number) =>
        sendPage(reply, <PricesPage ctx={ctx(request, reply)} prices={await funding.currentPriceList(db)} forms={source && form ? { [source]: form } : {}} />, status);
      // A source that is not one of the list: no form to show the error in; the page again.
      if (!source) return page(null, 400);
      const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
      const prefixed = (form: FormState): FormState => ({
        values: { [`${source}-basis`]: typed[`${source}-basis`], [`${source}-amount`]: typed[`${source}-amount`] },
        errors: Object.fromEntries(Object.entries(form.errors).map(([name, error]) => [`${source}-${name}`, error])),
      });
      const parsed = parseForm(priceSchema, { source, basis: body[`${source}-basis`], amount: body[`${source}-amount`] });
      if (!parsed.ok) return page(prefixed(parsed.form), 400);
      const line = { source, basis: parsed.data.basis, amountCents: parsed.data.amount };
      const refused = checkPrice(line);
      if (refused) return page(prefixed({ values: {}, errors: { amount: { message: refused === 'personal_free' ? 'cred.prices.error.personalFree' : 'cred.prices.error.tooLarge' } } }), 400);
      const done = await funding.setPrice(svc, request.auth!.user, line);
      if (!done.ok) throw new AppError('forbidden');
      return reply.redirect(`/personnel/admin/tarifs?enregistre=${source}`, 303);
    });
  };
}
