import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, requireUser, sendError, sendPage } from '../../platform/http';
import { rolesFor } from '../applications';
import * as documents from './documents.service';
import { idParams, printable, type RouteDeps } from '../../platform/routes';
import { emptyForm } from '../../ui/context';
import { parseForm } from '../../ui/forms';
import { isTerminal } from './payments.rules';
import * as pay from './payments.service';
import { paymentProvider } from './providers';
import { fundingRoutes } from './funding.routes';
import { LinkPage, PaymentPage, ReturnPage } from './views/payment';

const TEN_MINUTES = 10 * 60_000;

/** PAY-7: the third party's name and email, for the provider's receipt and the attestation. */
const payerSchema = z.object({
  nom: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(200, 'field.tooLong'),
  courriel: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(254, 'email.invalid').pipe(z.email('email.invalid')),
});
const tokenParams = z.object({ token: printable(100) });
const attemptParams = idParams;
/** PayFiP POSTs `idOp` (and nothing else we believe). */
const idOp = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);
/** Integrations disagree on the field's case (`idOp`, `idop`): either, in the form body or the query. */
const notificationSchema = z.union([z.object({ idOp }), z.object({ idop: idOp }).transform((v) => ({ idOp: v.idop }))]);

/**
 * The learner's and the third party's side of paying (SPEC PAY-2, PAY-7), and the provider's
 * callbacks: its notification (server to server) and the browser's return. Both callbacks believe
 * nothing they carry but the attempt they name: the result is asked of the provider.
 */
export function paymentRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const schoolSvc: pay.SchoolDeps = { db, clock, baseUrl: config.baseUrl, secret: deps.secret, cashOffice: config.cashOffice };
  const svc: pay.PaymentDeps = { ...schoolSvc, provider: paymentProvider(config) };
  const learnerWithId = { preHandler: requireUser('learner'), schema: { params: idParams } };
  const perAccount = (max: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow: TEN_MINUTES, keyGenerator: (request: FastifyRequest) => `pay:${request.auth?.user.id ?? request.ip}` },
  });
  const perAddress = (max: number) => ({ rateLimit: { max, timeWindow: TEN_MINUTES } });

  return async (app) => {
    const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
    // CRED-2, CRED-5: enrolment all year in a unit, its funding and the price list.
    await app.register(fundingRoutes(deps));

    async function page(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) {
      const found = await pay.learnerPayment(svc, request.auth!.user.id, request.params.id);
      if (!found) reply.callNotFound();
      return found;
    }

    app.get<{ Params: { id: string } }>('/candidatures/:id/paiement', learnerWithId, async (request, reply) => {
      const found = await page(request, reply);
      if (!found) return reply;
      return sendPage(reply, <PaymentPage ctx={ctx(request, reply)} page={found} payee={config.cashOffice} />);
    });

    // PAY-2: "Régler": a new attempt at the provider, then its page. A double click goes to the same page.
    app.post<{ Params: { id: string } }>('/candidatures/:id/regler', { ...learnerWithId, config: perAccount(30) }, async (request, reply) => {
      const user = request.auth!.user;
      const outcome = await pay.payOwn(svc, { id: user.id, email: user.email }, request.params.id);
      if (outcome.ok) return reply.redirect('paid' in outcome ? `/candidatures/${request.params.id}/paiement` : outcome.redirectUrl, 303);
      if (outcome.code === 'not_found') return reply.callNotFound();
      const found = await page(request, reply);
      if (!found) return reply;
      const status = outcome.code === 'unavailable' ? 503 : 409;
      return sendPage(reply, <PaymentPage ctx={ctx(request, reply)} page={found} payee={config.cashOffice} error={{ message: outcome.message }} />, status);
    });

    // PAY-7: a link for whoever pays for the learner; shown once.
    app.post<{ Params: { id: string } }>('/candidatures/:id/lien-paiement', { ...learnerWithId, config: perAccount(10) }, async (request, reply) => {
      const made = await pay.createPaymentLink(svc, request.auth!.user.id, request.params.id);
      if (!made.ok && made.code === 'not_found') return reply.callNotFound();
      const found = await page(request, reply);
      if (!found) return reply;
      reply.header('cache-control', 'no-store');
      if (!made.ok) return sendPage(reply, <PaymentPage ctx={ctx(request, reply)} page={found} payee={config.cashOffice} error={{ message: made.message }} />, 409);
      return sendPage(reply, <PaymentPage ctx={ctx(request, reply)} page={found} payee={config.cashOffice} link={made} />);
    });

    // PAY-4, PAY-8: the learner's documents, as PDFs (another learner's: 404).
    const pdfs = { 'carte.pdf': 'card', 'attestation-cout.pdf': 'cost', 'attestation-paiement.pdf': 'payment' } as const;
    for (const [file, which] of Object.entries(pdfs))
      app.get<{ Params: { id: string } }>(`/candidatures/:id/${file}`, { ...learnerWithId, config: perAccount(60) }, async (request, reply) => {
        const user = request.auth!.user;
        const made = await documents.learnerPdf(schoolSvc, { id: user.id, locale: request.locale }, request.params.id, which);
        if (!made) return reply.callNotFound();
        return reply.type('application/pdf').header('content-disposition', `inline; filename="${made.name}"`).header('cache-control', 'private, no-store').send(made.pdf);
      });

    // PAY-3: the receipt of a payment recorded at the school (staff in scope).
    app.get<{ Params: { id: string } }>('/personnel/paiements/:id/recu.pdf', { preHandler: requireUser(...rolesFor('recordPayment')), schema: { params: idParams } }, async (request, reply) => {
      const user = request.auth!.user;
      const made = await documents.receipt(schoolSvc, { id: user.id, role: user.role, locale: request.locale }, request.params.id);
      if (!made) return reply.callNotFound();
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${made.name}"`).header('cache-control', 'private, no-store').send(made.pdf);
    });

    // PAY-4: a lost card is replaced by the school head; the public page then calls the old one replaced.
    app.post<{ Params: { id: string } }>('/personnel/candidatures/:id/carte', { preHandler: requireUser(...rolesFor('replaceCard')), schema: { params: idParams } }, async (request, reply) => {
      const user = request.auth!.user;
      const done = await documents.replaceCard(schoolSvc, { id: user.id, role: user.role }, request.params.id);
      if (done.ok) return reply.redirect(`/verifier/${done.code.replace(/-/g, '')}`, 303);
      if (done.code === 'not_found') return reply.callNotFound();
      return sendError(reply, ctx(request, reply), done.code === 'forbidden' ? 'forbidden' : 'conflict');
    });

    // PAY-7: the third party's page, no account needed.
    app.get<{ Params: { token: string } }>('/payer/:token', { schema: { params: tokenParams }, config: perAddress(60) }, async (request, reply) => {
      const found = await pay.paymentByLink(db, clock, request.params.token);
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      return sendPage(reply, <LinkPage ctx={ctx(request, reply)} token={request.params.token} found={found} form={emptyForm()} />, found ? 200 : 404);
    });

    app.post<{ Params: { token: string } }>('/payer/:token', { schema: { params: tokenParams }, config: perAddress(20) }, async (request, reply) => {
      reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const parsed = parseForm(payerSchema, request.body);
      if (!parsed.ok) {
        const found = await pay.paymentByLink(db, clock, request.params.token);
        return sendPage(reply, <LinkPage ctx={ctx(request, reply)} token={request.params.token} found={found} form={parsed.form} />, found ? 400 : 404);
      }
      const outcome = await pay.payByLink(svc, request.params.token, { email: parsed.data.courriel, name: parsed.data.nom });
      if (outcome.ok) return reply.redirect('paid' in outcome ? `/payer/${request.params.token}` : outcome.redirectUrl, 303);
      const found = await pay.paymentByLink(db, clock, request.params.token);
      const form = emptyForm({ nom: parsed.data.nom, courriel: parsed.data.courriel });
      return sendPage(reply, <LinkPage ctx={ctx(request, reply)} token={request.params.token} found={found} form={form} error={outcome.message} />, outcome.code === 'not_found' ? 404 : 503);
    });

    // PAY-2: PayFiP's notification: only `idOp`, not signed; the result is asked of PayFiP.
    app.post('/paiement/payfip/notification', { config: { csrf: false, ...perAddress(6_000) } }, async (request, reply) => {
      const parsed = notificationSchema.safeParse(request.body && typeof request.body === 'object' && Object.keys(request.body).length ? request.body : request.query);
      if (!parsed.success) return reply.code(400).type('text/plain').send('idOp expected');
      const outcome = await pay.settleAttempt(svc, { idOp: parsed.data.idOp });
      // Unknown: a 404 tells the provider not to insist; unavailable: a 503 asks it to try again.
      if (outcome.kind === 'unknown') return reply.code(404).type('text/plain').send('unknown idOp');
      if (outcome.kind === 'unavailable') return reply.code(503).type('text/plain').send('try again');
      return reply.code(200).type('text/plain').send('ok');
    });

    // PAY-2: the browser comes back (PayFiP may POST or GET): the outcome is asked of the provider.
    const back = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
      const found = await pay.attemptForReturn(db, request.params.id);
      if (!found) return reply.callNotFound();
      const outcome = await pay.settleAttempt(svc, { attemptId: found.attempt.id });
      const attempt = outcome.kind === 'unknown' ? found.attempt : outcome.attempt;
      const payment = outcome.kind === 'settled' ? outcome.payment : found.payment;
      const result =
        payment.status === 'paid' && attempt.status === 'paid'
          ? 'paid'
          : outcome.kind === 'unavailable'
            ? 'unavailable'
            : isTerminal(attempt.status)
              ? 'not_paid'
              : 'pending';
      const own = request.auth?.user.id === payment.learnerId;
      reply.header('cache-control', 'no-store');
      return sendPage(
        reply,
        <ReturnPage ctx={ctx(request, reply)} outcome={result} attempt={attempt} thirdParty={Boolean(attempt.linkId)} continueUrl={own ? `/candidatures/${payment.applicationId}/paiement` : null} />,
      );
    };
    app.get<{ Params: { id: string } }>('/paiement/retour/:id', { schema: { params: attemptParams }, config: perAddress(120) }, back);
    app.post<{ Params: { id: string } }>('/paiement/retour/:id', { schema: { params: attemptParams }, config: { csrf: false, ...perAddress(120) } }, back);
  };
}
