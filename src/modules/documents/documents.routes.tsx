import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { pageContext, sendPage } from '../../platform/http';
import type { RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { withError } from '../../ui/forms';
import { checkCode } from './documents.rules';
import { verifyDocument } from './documents.service';
import { publicKeySet } from './keys.service';
import { DocumentPage, NoSuchDocumentPage, VerifyFormPage } from './views/verify';

const TEN_MINUTES = 600_000;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** What was typed, to show it again: one string, no control characters, not too long. */
const typed = (value: unknown) => (typeof value === 'string' ? value.replace(CONTROL, '').slice(0, 64) : '');

/** The form again, what was typed kept, the reason next to the field. */
function formWith(value: unknown, reason?: 'shape' | 'checksum' | 'unknown'): FormState {
  const form = emptyForm({ code: typed(value) });
  if (!reason || reason === 'unknown') return form;
  return withError(form, 'code', { message: reason === 'shape' ? 'doc.verify.error.shape' : 'doc.verify.error.checksum' });
}

/**
 * PAY-10's public pages, no login: `/verifier` (type a code), `/verifier/CODE` (genuine or not,
 * its status, what is needed and nothing more; the signature of the QR code's link checked when
 * it carries one, `?s=`; staff in scope, logged in, see their fuller view), and the public
 * keys at `/verifier/cles.json`. Lookups are limited per source address (a policy). Whatever
 * the path holds (a huge string, NUL bytes, slashes), the answer is a page, never a 500.
 */
export function documentRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const host = new URL(config.baseUrl).host;
  const ctx = (request: FastifyRequest, reply: FastifyReply) => pageContext(request, reply, devTools);
  const lookups = { rateLimit: { max: async () => (await deps.policies()).documentLookupsPerIpPer10Min, timeWindow: TEN_MINUTES } };

  return async (app) => {
    // The form is a GET: a code typed is checked here (no lookup), then its page.
    app.get('/verifier', async (request, reply) => {
      const raw = (request.query as Record<string, unknown>).code;
      if (raw === undefined) return sendPage(reply, <VerifyFormPage ctx={ctx(request, reply)} form={emptyForm()} host={host} />);
      const checked = checkCode(raw);
      if (checked.ok) return reply.redirect(`/verifier/${checked.code}`, 303);
      return sendPage(reply, <VerifyFormPage ctx={ctx(request, reply)} form={formWith(raw, checked.reason)} host={host} />, 400);
    });

    app.get('/verifier/cles.json', async (_request, reply) =>
      reply
        .header('content-type', 'application/jwk-set+json')
        .header('cache-control', 'public, max-age=300')
        .header('access-control-allow-origin', '*')
        .send(JSON.stringify(await publicKeySet(db))),
    );

    // A wildcard, not `:code`: a path of any length or shape reaches the handler (a `:param` past the
    // router's length limit would be the framework's bare error).
    app.get('/verifier/*', { config: lookups }, async (request, reply) => {
      const raw = (request.params as Record<string, string>)['*'];
      if (raw === '') return reply.redirect('/verifier', 303);
      const signature = (request.query as Record<string, unknown>).s;
      const user = request.auth?.user;
      const result = await verifyDocument({ db, clock }, { code: raw, signature, viewer: user && { id: user.id, role: user.role } });
      reply.header('x-robots-tag', 'noindex');
      if (!result.found) return sendPage(reply, <NoSuchDocumentPage ctx={ctx(request, reply)} form={formWith(raw, result.reason)} host={host} />, 404);
      return sendPage(reply, <DocumentPage ctx={ctx(request, reply)} document={result.document} signature={result.signature} staff={result.staff} host={host} />);
    });
  };
}
