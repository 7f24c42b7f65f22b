import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler, onRequestHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { HelpLine } from '../config';
import { defaultProfile, type Profile } from '../domain/profile';
import type { Role } from '../domain/vocabulary';
import type { PageContext } from '../ui/context';
import { Layout } from '../ui/Layout';
import { csrfToken } from './csrf';
import { notModified, type Validators } from './conditional';
import { AppError, errorCatalogue, type ErrorCode } from './errors';
import { defaultLocale, isLocale, translator, type Locale, type MessageKey } from './i18n';

/**
 * The person logged in, as the platform (guards, pages) sees them. The accounts module's users
 * satisfy it, and the accounts module adds the fields of its own through declaration merging.
 */
export interface CurrentUser {
  id: string;
  email: string;
  role: Role;
  /** Staff accounts have one; learners' names are in their learner record. */
  displayName: string | null;
}

/** A request's login: who, and which server-side session. */
export interface Authenticated {
  user: CurrentUser;
  sessionId: string;
}

/**
 * Finds the live session behind a session cookie's token (null: unknown, expired, ended or a
 * disabled account). The accounts module implements it; the composition root passes it in.
 */
export type SessionLookup = (token: string) => Promise<Authenticated | null>;

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    auth?: Authenticated;
  }
  interface FastifyInstance {
    /** SVC-1: the help line of every page's footer, from the configuration (src/app.ts). */
    helpLine?: HelpLine;
    /** Issue 18: the institution's profile, from the configuration (src/app.ts). */
    profile?: Profile;
  }
}

/** Is this request one of the public API's (SVC-8: anonymous; its errors are JSON problems, never pages)? */
export const isApiRequest = (request: FastifyRequest): boolean => request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?');

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * A conditional GET (RFC 9110 §13.1, `platform/conditional`): sets the validators (ETag, and
 * Last-Modified when known) on the reply and, when the request's `If-None-Match` (or, without it,
 * `If-Modified-Since`) says the client's copy is current, sends the 304 and returns true. The
 * caller sends the body otherwise. The API and the open-data files both answer through it.
 */
export function sendIfNotModified(request: FastifyRequest, reply: FastifyReply, validators: Validators): boolean {
  reply.header('etag', validators.etag);
  if (validators.lastModified) reply.header('last-modified', validators.lastModified.toUTCString());
  if (!notModified({ ifNoneMatch: header(request, 'if-none-match'), ifModifiedSince: header(request, 'if-modified-since') }, validators)) return false;
  // A 304 has no body: no content-encoding either.
  reply.code(304).removeHeader('content-encoding').send();
  return true;
}

export const LANG_COOKIE = 'cursus_lang';
export const SESSION_COOKIE = 'cursus_sid';
export const MFA_COOKIE = 'cursus_mfa';
/** Issue 19: the probes and the metrics answer without a login (and `/healthz` without the database). */
const operationsPaths = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Static files, the health checks and the metrics: served without a login, and never shed
 * (platform/admission): they cost next to nothing, and an overload is when the probes and the
 * metrics matter.
 */
export const isStaticOrOperations = (request: FastifyRequest): boolean => request.url.startsWith('/static/') || request.url.startsWith('/vendor/') || operationsPaths.has(request.url);

/** onRequest: the language from its cookie (before admission, so that a refused request's 503 page speaks it too). */
export const requestLanguage: onRequestHookHandler = (request, _reply, done) => {
  const lang = request.cookies[LANG_COOKIE];
  request.locale = isLocale(lang) ? lang : defaultLocale;
  done();
};

/**
 * onRequest, after `requestLanguage`: the login from the session cookie (not for static files,
 * the health checks, the metrics and the public API). A cookie whose session is gone is cleared.
 */
export function identifyRequest(findSession: SessionLookup): onRequestAsyncHookHandler {
  return async (request, reply) => {
    if (isStaticOrOperations(request)) return;
    // SVC-8: the public API is anonymous (its answers are the same for everyone, cached as public); its reference page is a page like the others.
    if (isApiRequest(request) && !request.url.startsWith('/api/v1/docs')) return;
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await findSession(token);
    if (session) request.auth = session;
    else reply.clearCookie(SESSION_COOKIE, { path: '/' });
  };
}

const loopbackAddress = /^(?:127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/;

/**
 * A request made on this machine, straight to the app: from a loopback address, and through no
 * proxy (a proxy on this machine connects from loopback too, but adds a forwarding header).
 */
export function fromLoopback(request: FastifyRequest): boolean {
  const { headers } = request;
  if (headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined) return false;
  return loopbackAddress.test(request.socket.remoteAddress ?? '') && loopbackAddress.test(request.ip);
}

export function pageContext(request: FastifyRequest, reply: FastifyReply, devTools: boolean): PageContext {
  let token: string | undefined;
  return {
    t: translator(request.locale, request.server.profile ?? defaultProfile),
    locale: request.locale,
    path: request.url.split('?')[0],
    requestId: String(request.id),
    csrfToken: () => (token ??= csrfToken(request, reply)),
    user: request.auth ? { id: request.auth.user.id, email: request.auth.user.email, role: request.auth.user.role } : undefined,
    // The development pages answer loopback only (platform/dev.routes): no link to them otherwise.
    devTools: devTools && fromLoopback(request),
    helpLine: request.server.helpLine,
    profile: request.server.profile ?? defaultProfile,
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

export function sendError(reply: FastifyReply, ctx: PageContext, code: ErrorCode | 'server', status?: number): FastifyReply {
  if (code === 'server') return sendPage(reply, <ErrorPage ctx={ctx} title="error.server.title" message="error.server.message" />, 500);
  const entry = errorCatalogue[code];
  if (code === 'rate_limited') reply.header('retry-after', '600');
  return sendPage(reply, <ErrorPage ctx={ctx} title={entry.title} message={entry.message} />, status ?? entry.status);
}

const SHED_ID = 'SHEDREQUESTID0';
const SHED_PATH = '/SHEDPATH0';
const shedPages = new WeakMap<FastifyInstance, Map<Locale, string>>();

/**
 * Issue 19 point 9: the 503 page of a request shed (platform/admission, under-pressure), rendered
 * once per language: a crowd's excess is refused by the hundreds a second, and rendering the
 * page would be most of the cost of refusing it. The request's id and its path (the language
 * link's return) are put in each time; the page is anonymous, as the login of a request shed is
 * not looked up.
 */
export function sendShedPage(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let pages = shedPages.get(request.server);
  if (!pages) shedPages.set(request.server, (pages = new Map()));
  let html = pages.get(request.locale);
  if (!html) {
    const ctx: PageContext = { ...pageContext(request, reply, false), path: SHED_PATH, requestId: SHED_ID, user: undefined };
    html = renderPage(<ErrorPage ctx={ctx} title={errorCatalogue.unavailable.title} message={errorCatalogue.unavailable.message} />);
    pages.set(request.locale, html);
  }
  const path = encodeURIComponent(request.url.split('?')[0]);
  return sendHtml(reply, html.replaceAll(SHED_ID, String(request.id)).replaceAll(encodeURIComponent(SHED_PATH), path), errorCatalogue.unavailable.status);
}

/**
 * What a return path may hold as it arrives (its query string already decoded once): a path of
 * this site, `/` then no second `/`, in RFC 3986's path, query and fragment characters, ASCII
 * only (other text comes percent-encoded). No control character, space or backslash: a browser
 * drops a tab or a line break (`/\t/evil.example` is `//evil.example`) and reads `\` as `/`,
 * and Node refuses a line break or non-Latin-1 text in a Location header (a 500).
 */
const RETURN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@/%?#]*$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A path on this site to come back to after logging in or switching language; anything else
 * goes home (undefined). The value must also hold once percent-decoded, as many times as it
 * decodes (a proxy or a later step may decode it again): no control character or backslash, and
 * its path (before `?` or `#`) no space and no `//`.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 500 || !RETURN_PATH.test(value)) return undefined;
  let decoded = value;
  for (let round = 0; decoded.includes('%'); round++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return undefined;
    }
    if (next === decoded) break;
    if (round === 3) return undefined;
    decoded = next;
  }
  if (CONTROL.test(decoded) || decoded.includes('\\')) return undefined;
  const path = decoded.split(/[?#]/, 1)[0];
  if (!path.startsWith('/') || path.includes('//') || /\s/.test(path)) return undefined;
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
