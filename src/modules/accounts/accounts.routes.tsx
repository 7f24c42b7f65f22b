import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '../../app';
import { LANG_COOKIE } from '../../platform/http';
import { isLocale } from '../../platform/i18n';
import { accountHttp } from './accounts.http';
import { emailChangeRoutes } from './email-change.routes';
import { loginRoutes } from './login.routes';
import { passwordRoutes } from './password.routes';
import { recordRoutes } from './record.routes';
import { sessionRoutes } from './sessions.routes';
import { signUpRoutes } from './sign-up.routes';
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
    for (const routes of [signUpRoutes, loginRoutes, passwordRoutes, recordRoutes, emailChangeRoutes, sessionRoutes]) await app.register(routes(deps, http));

    // ---- Language switch (SVC-4) --------------------------------------------------------------------
    app.get<{ Params: { locale: string } }>('/langue/:locale', async (request, reply) => {
      const { locale } = request.params;
      if (!isLocale(locale)) return reply.callNotFound();
      reply.setCookie(LANG_COOKIE, locale, { path: '/', sameSite: 'lax', maxAge: 31_536_000, secure: config.production });
      if (request.auth) await setLocale(db, request.auth.user.id, locale);
      return reply.redirect(http.returnTo(request) ?? '/', 303);
    });
  };
}
