import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageContext, requireUser, sendPage } from '../../platform/http';
import type { MessageKey, Params } from '../../platform/i18n';
import { extraRateLimit } from '../../platform/rate-limit';
import type { RouteDeps } from '../../platform/routes';
import { emptyForm, type FormState } from '../../ui/context';
import { parseForm, withError } from '../../ui/forms';
import { LINK_CODE_ATTEMPTS, LINK_CODE_MINUTES } from './legacy.rules';
import { linkOf, linkWithCode, linkWithPassword, requestLinkCode, type LinkFailure } from './legacy.service';
import { LegacyLinkPage, type LinkForms } from './views/link';

const TEN_MINUTES = 600_000;
const ONE_HOUR = 3_600_000;

const email = z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(254, 'email.invalid').pipe(z.email('email.invalid'));
const passwordSchema = z.object({ email, password: z.string({ error: 'field.required' }).min(1, 'field.required').max(1024, 'field.tooLong') });
const codeRequestSchema = z.object({ codeEmail: email });
/** `?fait=1`: the link was just made (the redirect after the form). */
const doneQuery = z.object({ fait: z.literal('1').optional() });
const codeSchema = z.object({ code: z.string({ error: 'field.required' }).trim().min(1, 'field.required').max(20, 'field.tooLong') });

/** The refusals of the service, as the message next to the field. */
function refusalOf(result: LinkFailure): { message: MessageKey; params?: Params } {
  switch (result.code) {
    case 'done':
      return { message: 'legacy.link.alreadyDone' };
    case 'wrong':
      return { message: 'legacy.err.wrong' };
    case 'wait':
      return { message: 'legacy.err.wait', params: { seconds: Math.ceil(result.waitMs / 1000) } };
    case 'taken':
      return { message: 'legacy.err.taken' };
    // One answer for both: "tries left" would tell that the address asked was an old account's.
    case 'no_code':
    case 'wrong_code':
      return { message: 'legacy.err.noCode', params: { minutes: LINK_CODE_MINUTES, tries: LINK_CODE_ATTEMPTS } };
  }
}

/**
 * ACC-9: `/compte/ancien-compte`, the learner links their former account once: with its old
 * address and password, or with a code sent to the old address. Thin handlers: the service
 * checks, throttles and links; the code's request is limited per account and per address.
 */
export function legacyRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, clock, config, devTools } = deps;
  const svc = { db, clock, baseUrl: config.baseUrl };
  const learnerOnly = requireUser('learner');
  const perAccount = (name: string, max: number, timeWindow: number) => ({
    rateLimit: { hook: 'preHandler' as const, max, timeWindow, keyGenerator: (request: FastifyRequest) => `${name}:${request.auth?.user.id ?? request.ip}` },
  });

  return async (app) => {
    const page = async (request: FastifyRequest, reply: FastifyReply, options: { forms?: Partial<LinkForms>; codeSent?: boolean; notice?: { message: MessageKey; params?: Params } } = {}, status = 200) => {
      const userId = request.auth!.user.id;
      // The code's field is always on the page (first right after a request, whatever the address):
      // whether a live code exists would say whether the address was an old account's.
      const linked = await linkOf(db, userId);
      const forms: LinkForms = { password: emptyForm(), codeRequest: emptyForm(), code: emptyForm(), ...options.forms };
      return sendPage(
        reply,
        <LegacyLinkPage ctx={pageContext(request, reply, devTools)} linked={linked} forms={forms} codeSent={options.codeSent} minutes={LINK_CODE_MINUTES} notice={options.notice} />,
        status,
      );
    };
    const refused = (form: FormState, field: string, result: LinkFailure) => withError(form, field, refusalOf(result));
    const done = (request: FastifyRequest, reply: FastifyReply, result: LinkFailure) =>
      result.code === 'done' ? page(request, reply, { notice: { message: 'legacy.link.alreadyDone' } }) : null;

    app.get<{ Querystring: z.infer<typeof doneQuery> }>('/compte/ancien-compte', { preHandler: learnerOnly, schema: { querystring: doneQuery } }, async (request, reply) =>
      page(request, reply, request.query.fait ? { notice: { message: 'legacy.link.linked' } } : {}),
    );

    app.post('/compte/ancien-compte', { preHandler: learnerOnly, config: perAccount('legacy-password', 30, TEN_MINUTES) }, async (request, reply) => {
      const parsed = parseForm(passwordSchema, request.body, { omit: ['password'] });
      if (!parsed.ok) return page(request, reply, { forms: { password: parsed.form } }, 400);
      const result = await linkWithPassword(svc, { userId: request.auth!.user.id, oldEmail: parsed.data.email, password: parsed.data.password });
      if (result.ok) return reply.redirect('/compte/ancien-compte?fait=1', 303);
      if (result.code === 'wait') reply.header('retry-after', String(Math.ceil(result.waitMs / 1000)));
      const form = { values: { email: parsed.data.email }, errors: {} };
      return (
        done(request, reply, result) ??
        page(request, reply, { forms: { password: refused(form, result.code === 'taken' ? 'email' : 'password', result) } }, result.code === 'wait' ? 429 : result.code === 'taken' ? 409 : 400)
      );
    });

    // The code goes to an old mailbox: limited per account (a few an hour) and per address.
    const perAddress = extraRateLimit(app, {
      max: async () => (await deps.policies()).resetRequestsPerIpPer10Min,
      timeWindow: TEN_MINUTES,
      groupId: 'legacy-code-per-address',
    });
    app.post('/compte/ancien-compte/code', { preHandler: [learnerOnly, perAddress], config: perAccount('legacy-code', 5, ONE_HOUR) }, async (request, reply) => {
      const parsed = parseForm(codeRequestSchema, request.body);
      if (!parsed.ok) return page(request, reply, { forms: { codeRequest: parsed.form } }, 400);
      const result = await requestLinkCode(svc, { userId: request.auth!.user.id, oldEmail: parsed.data.codeEmail });
      if (!result.ok) return page(request, reply, { notice: { message: 'legacy.link.alreadyDone' } });
      return page(request, reply, { codeSent: true });
    });

    app.post('/compte/ancien-compte/code/valider', { preHandler: learnerOnly, config: perAccount('legacy-code-check', 20, TEN_MINUTES) }, async (request, reply) => {
      const parsed = parseForm(codeSchema, request.body, { omit: ['code'] });
      if (!parsed.ok) return page(request, reply, { forms: { code: parsed.form } }, 400);
      const result = await linkWithCode(svc, { userId: request.auth!.user.id, code: parsed.data.code });
      if (result.ok) return reply.redirect('/compte/ancien-compte?fait=1', 303);
      // A code no longer valid: the page shows the request form again, the message next to its address.
      if (result.code === 'no_code') return page(request, reply, { forms: { codeRequest: refused(emptyForm(), 'codeEmail', result) } }, 400);
      return done(request, reply, result) ?? page(request, reply, { forms: { code: refused(emptyForm(), 'code', result) } }, result.code === 'taken' ? 409 : 400);
    });
  };
}
