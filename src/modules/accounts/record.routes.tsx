import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { requireUser, sendPage } from '../../platform/http';
import { extraRateLimit } from '../../platform/rate-limit';
import { emptyForm } from '../../ui/context';
import { parseForm, typedValues } from '../../ui/forms';
import type { AccountHttp } from './accounts.http';
import { parisDay } from './accounts.rules';
import { contactSchema, learnerRecordSchema, nameChangeSchema } from './accounts.schema';
import { identityPrefill } from './identity.service';
import { createLearnerRecord, getLearnerProfile, requestNameChange, updateContactDetails } from './record.service';
import { LearnerRecordPage } from './views/account';

/** The learner record (ACC-5, ACC-6), the account page, and what the learner changes in it (ACC-8). */
export function recordRoutes(deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { db, clock } = deps;
  const { svc, ctx, ip, returnTo, limit, limitPerAccount } = http;
  const recordSchema = async () => learnerRecordSchema({ today: parisDay(clock.now()), minimumAge: (await deps.policies()).minimumAge });

  return async (app) => {
    app.get('/compte/fiche', { preHandler: requireUser('learner') }, async (request, reply) => {
      if (await getLearnerProfile(db, request.auth!.user.id)) return reply.redirect('/compte', 303);
      const mobile = request.auth!.user.mobilePhone;
      // ACC-13: what the provider said prefills the form; the learner checks it and submits.
      const fromProvider = await identityPrefill(db, request.auth!.user.id);
      const { birthDateToCheck, ...prefill } = fromProvider?.prefill ?? {};
      const provider = http.providerButtons.find((p) => p.name === fromProvider?.provider)?.label ?? fromProvider?.provider;
      return sendPage(
        reply,
        <LearnerRecordPage
          ctx={ctx(request, reply)}
          form={emptyForm({ mobilePhone: mobile ?? undefined, ...prefill })}
          returnTo={returnTo(request)}
          prefilledBy={Object.keys(prefill).length ? provider : undefined}
          birthDateToCheck={birthDateToCheck}
        />,
      );
    });

    // ACC-5's refusal tells whether a person is registered: limited per account and per address
    // (many accounts behind one address), and each refusal is logged (createLearnerRecord).
    const perAddress = extraRateLimit(app, { ...limit('recordSubmissionsPerIpPer10Min').rateLimit, groupId: 'learner-record-per-address' });
    app.post('/compte/fiche', { preHandler: [requireUser('learner'), perAddress], config: limitPerAccount('recordSubmissionsPerAccountPerHour') }, async (request, reply) => {
      const parsed = parseForm(await recordSchema(), request.body);
      if (!parsed.ok) return sendPage(reply, <LearnerRecordPage ctx={ctx(request, reply)} form={parsed.form} returnTo={returnTo(request)} />, 400);
      const outcome = await createLearnerRecord(svc, { userId: request.auth!.user.id, record: parsed.data }, ip(request));
      if (outcome === 'duplicate_person') {
        const form = { values: typedValues(request.body), errors: {} };
        return sendPage(reply, <LearnerRecordPage ctx={ctx(request, reply)} form={form} duplicate returnTo={returnTo(request)} />, 409);
      }
      return reply.redirect(returnTo(request) ?? '/compte?message=recordSaved', 303);
    });

    app.get('/compte', { preHandler: requireUser() }, async (request, reply) => {
      if (request.auth!.user.role !== 'learner') return reply.redirect('/personnel', 303);
      return http.showAccount(request, reply);
    });

    app.post('/compte/coordonnees', { preHandler: requireUser('learner') }, async (request, reply) => {
      const parsed = parseForm(contactSchema, request.body);
      if (!parsed.ok) return http.showAccount(request, reply, { contact: parsed.form }, 400);
      if (!(await getLearnerProfile(db, request.auth!.user.id))) return reply.redirect('/compte/fiche', 303);
      await updateContactDetails(svc, { userId: request.auth!.user.id, contact: parsed.data });
      return reply.redirect('/compte?message=contactSaved', 303);
    });

    app.post('/compte/nom', { preHandler: requireUser('learner') }, async (request, reply) => {
      const parsed = parseForm(nameChangeSchema, request.body);
      if (!parsed.ok) return http.showAccount(request, reply, { nameChange: parsed.form }, 400);
      await requestNameChange(svc, { userId: request.auth!.user.id, ...parsed.data });
      return reply.redirect('/compte?message=nameChangeSent', 303);
    });
  };
}
