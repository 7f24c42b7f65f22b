import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { LANG_COOKIE, safeReturnPath } from '../../platform/http';
import { locales } from '../../platform/i18n';
import { printable, type RouteDeps } from '../../platform/routes';
import { accountHttp } from './accounts.http';
import { consentRoutes } from './consents.routes';
import { emailChangeRoutes } from './email-change.routes';
import { loginRoutes } from './login.routes';
import { notificationRoutes } from './notifications.routes';
import { oidcRoutes } from './oidc.routes';
import { passwordRoutes } from './password.routes';
import { recordRoutes } from './record.routes';
import { sessionRoutes } from './sessions.routes';
import { signUpRoutes } from './sign-up.routes';
import { takeoverRoutes } from './takeover.routes';
import { setLocale } from './users.service';

/**
 * Accounts: sign-up, activation, login (with TOTP for staff), logout, passwords, the learner
 * record, the account page and its sessions, the language switch. SPEC ACC-1 to ACC-8, ACC-12,
 * SVC-4. Each seam has its route file; this one registers them.
 */
export function accountRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { db, config } = deps;
  const http = accountHttp(deps);

  return async (app) => {
    for (const routes of [signUpRoutes, loginRoutes, oidcRoutes, passwordRoutes, recordRoutes, emailChangeRoutes, sessionRoutes, consentRoutes, takeoverRoutes, notificationRoutes]) await app.register(routes(deps, http));

    // ---- Language switch (SVC-4) --------------------------------------------------------------------
    const localeParams = z.object({ locale: z.enum(locales) });
    const backQuery = z.object({ retour: printable(500).optional() });
    app.get<{ Params: z.output<typeof localeParams>; Querystring: z.output<typeof backQuery> }>('/langue/:locale', { schema: { params: localeParams, querystring: backQuery } }, async (request, reply) => {
      const { locale } = request.params;
      reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31_536_000, secure: config.production });
      if (request.auth) await setLocale(db, request.auth.user.id, locale);
      return reply.redirect(safeReturnPath(request.query.retour) ?? '/', 303);
    });
  };
}
