import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { Role } from '../modules/accounts/accounts.table';
import type { User } from '../modules/accounts';
import type { PageContext } from '../ui/context';
import { Layout } from '../ui/Layout';
import { AppError, errorCatalogue, type ErrorCode } from './errors';
import { translator, type Locale, type MessageKey } from './i18n';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    auth?: { user: User; sessionId: string };
  }
}

export const LANG_COOKIE = 'cursus_lang';
export const SESSION_COOKIE = 'cursus_sid';
export const MFA_COOKIE = 'cursus_mfa';

export function pageContext(request: FastifyRequest, reply: FastifyReply, devTools: boolean): PageContext {
  let token: string | undefined;
  return {
    t: translator(request.locale),
    locale: request.locale,
    path: request.url.split('?')[0],
    requestId: String(request.id),
    csrfToken: () => (token ??= reply.generateCsrf()),
    user: request.auth ? { id: request.auth.user.id, email: request.auth.user.email, role: request.auth.user.role } : undefined,
    devTools,
  };
}

/** Renders a full HTML page. */
export function renderPage(page: VNode): string {
  return `<!doctype html>${render(page)}`;
}

/** Sends an HTML page already rendered. */
export function sendHtml(reply: FastifyReply, html: string, status = 200): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/** Sends a full HTML page. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return sendHtml(reply, renderPage(page), status);
}

export function ErrorPage(props: { ctx: PageContext; title: MessageKey; message: MessageKey; showRequestId?: boolean }) {
  const t = props.ctx.t;
  return (
    <Layout ctx={props.ctx} title={t(props.title)}>
      <h1>{t(props.title)}</h1>
      <p>{t(props.message)}</p>
      <p class="request-id">{t('layout.requestId', { id: props.ctx.requestId })}</p>
      <p>
        <a href="/">{t('error.backHome')}</a>
      </p>
    </Layout>
  );
}

export function sendError(reply: FastifyReply, ctx: PageContext, code: ErrorCode | 'server'): FastifyReply {
  if (code === 'server') return sendPage(reply, <ErrorPage ctx={ctx} title="error.server.title" message="error.server.message" />, 500);
  const entry = errorCatalogue[code];
  if (code === 'rate_limited') reply.header('retry-after', '600');
  return sendPage(reply, <ErrorPage ctx={ctx} title={entry.title} message={entry.message} />, entry.status);
}

/** A path on this site to come back to after logging in; anything else goes home. */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  return value;
}

/** Route guard: a logged-in user with one of `roles` (any role when omitted). */
export function requireUser(...roles: Role[]): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    if (!request.auth) {
      if (request.method === 'GET') {
        const back = encodeURIComponent(request.url);
        return reply.redirect(`/connexion?retour=${back}`, 303);
      }
      throw new AppError('unauthenticated');
    }
    if (roles.length > 0 && !roles.includes(request.auth.user.role)) throw new AppError('forbidden');
  };
}
