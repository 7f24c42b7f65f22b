import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../platform/routes';
import { requireUser, sendPage } from '../../platform/http';
import { parseForm, withError } from '../../ui/forms';
import { loginRefusal, PASSWORD_FIELDS, type AccountHttp } from './accounts.http';
import { emailChangeSchema } from './accounts.schema';
import { confirmEmailChange, requestEmailChange } from './email-change.service';
import { MessagePage } from './views/auth';

/** The login email, changed by the learner and confirmed from the new address (ACC-8). */
export function emailChangeRoutes(_deps: RouteDeps, http: AccountHttp): FastifyPluginAsync {
  const { svc, ctx, limitPerAccount } = http;

  return async (app) => {
    // Each request sends emails: limited per account.
    app.post('/compte/adresse', { preHandler: requireUser(), config: limitPerAccount('emailChangesPerAccountPerHour') }, async (request, reply) => {
      const parsed = parseForm(emailChangeSchema, request.body, { omit: PASSWORD_FIELDS });
      if (!parsed.ok) return http.showAccount(request, reply, { emailChange: parsed.form }, 400);
      const result = await requestEmailChange(svc, { userId: request.auth!.user.id, ...parsed.data }, http.ip(request));
      if (result.outcome !== 'sent') {
        const form = withError(
          { values: { newEmail: parsed.data.newEmail }, errors: {} },
          result.outcome === 'same_email' ? 'newEmail' : 'currentPassword',
          result.outcome === 'throttled' ? loginRefusal(reply, { reason: 'throttled', retryAfterSeconds: result.retryAfterSeconds }) : { message: result.outcome === 'same_email' ? 'email.same' : 'password.currentInvalid' },
        );
        return http.showAccount(request, reply, { emailChange: form }, result.outcome === 'throttled' ? 429 : 400);
      }
      return reply.redirect('/compte?message=emailChangeSent', 303);
    });

    app.get<{ Params: { token: string } }>('/compte/adresse/:token', async (request, reply) => {
      const outcome = await confirmEmailChange(svc, request.params.token);
      if (!outcome.ok)
        return sendPage(
          reply,
          <MessagePage ctx={ctx(request, reply)} title="account.emailChangeInvalid.title" message="account.emailChangeInvalid.message" />,
          410,
        );
      return sendPage(
        reply,
        <MessagePage
          ctx={ctx(request, reply)}
          title="account.emailChanged.title"
          message="account.emailChanged.message"
          params={{ email: outcome.email }}
          status="success"
          links={[{ href: '/compte', label: 'layout.account' }]}
        />,
      );
    });
  };
}
