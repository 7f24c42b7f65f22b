import { createHmac, randomBytes } from 'node:crypto';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Gives this browser a fresh CSRF secret (at login and logout): the tokens of the pages it
     * showed before no longer work, on a shared computer as anywhere else.
     */
    renewCsrfSecret(): void;
  }
  interface FastifyRequest {
    /**
     * The browser's CSRF secret ('' when it has none): something only this browser holds, to bind
     * a step of a login to it (the second factor's pending step).
     */
    csrfSecret(): string;
  }
}

/**
 * The CSRF secret's cookie. In production the `__Host-` prefix makes the browser refuse it unless
 * it is Secure, for Path=/ and without Domain: a sibling sub-domain cannot plant its own secret
 * (cookie tossing). Over plain http in development the prefix would be refused, so none there.
 */
export const csrfCookieName = (production: boolean) => (production ? '__Host-cursus_csrf' : 'cursus_csrf');

/**
 * What a token is bound to besides the browser's secret: the server-side login session, or being
 * logged out. A token shown to one session is refused with another (or with none), even with
 * the same secret cookie; it is hashed with the server key inside the token, never exposed.
 */
export function csrfUserInfo(request: FastifyRequest): string {
  return request.auth ? `session:${request.auth.sessionId}` : 'anonymous';
}

/** The token for a form on the page this reply renders. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: csrfUserInfo(request) });
}

/**
 * Double-submit CSRF protection: the secret in a signed cookie (no server session per visitor),
 * tokens bound to the login session, checked on every POST once the form body is parsed.
 */
export async function registerCsrf(app: FastifyInstance, options: { production: boolean; secret: string }): Promise<void> {
  const cookieKey = csrfCookieName(options.production);
  const cookieOpts = { signed: true, httpOnly: true, sameSite: 'lax' as const, path: '/', secure: options.production };
  await app.register(fastifyCsrf, {
    cookieKey,
    cookieOpts,
    getUserInfo: csrfUserInfo,
    csrfOpts: { hmacKey: createHmac('sha256', options.secret).update('csrf:tokens').digest() },
  });
  app.decorateReply('renewCsrfSecret', function renewCsrfSecret(this: FastifyReply) {
    // The same size and alphabet as the plugin's own secrets.
    const fresh = randomBytes(18).toString('base64url');
    this.setCookie(cookieKey, fresh, cookieOpts);
    // A page rendered by this same reply takes its tokens from the new secret.
    this.request.cookies[cookieKey] = this.signCookie(fresh);
  });
  app.decorateRequest('csrfSecret', function csrfSecret(this: FastifyRequest) {
    const raw = this.cookies[cookieKey];
    if (!raw) return '';
    const unsigned = this.unsignCookie(raw);
    return unsigned.valid && unsigned.value ? unsigned.value : '';
  });
  // In onRequest the form's token is not parsed yet: check it in preValidation.
  // A route that a third party's server or browser calls back (a payment provider's notification
  // and return) says `config: { csrf: false }`: it believes nothing it is sent and changes nothing
  // but what it asks the provider itself.
  app.addHook('preValidation', (request, reply, done) => {
    if (request.method === 'POST' && request.routeOptions.config?.csrf !== false) app.csrfProtection(request, reply, done);
    else done();
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false`: a provider's callback, exempt from the CSRF check (see registerCsrf). */
    csrf?: false;
  }
}
