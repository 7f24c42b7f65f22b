import { isIP } from 'node:net';
import { isForbiddenAddress as isForbiddenResolved } from './ssrf';

/**
 * SVC-8: what an administrator may register as a webhook endpoint, checked when the form is
 * sent (the delivery checks the address the host resolves to again, at each attempt: a name is
 * not an address). Pure: the hosts an administrator allowed are given.
 */

/** The longest URL accepted (what a header line and a log line can reasonably hold). */
export const MAX_URL_LENGTH = 2000;

/**
 * Whether a URL's host, when it is an IP address, is one no endpoint may be at unless allowed:
 * the same ranges the delivery refuses (`ssrf.ts`); a name is checked after resolution, at delivery.
 */
export function isForbiddenLiteral(host: string): boolean {
  return isIP(host) !== 0 && isForbiddenResolved(host);
}

/** A host as the allowed-hosts list keeps it: lower case, no brackets, no trailing dot. */
export function normaliseHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

export type UrlRefusal = 'webhooks.err.url' | 'webhooks.err.urlHttps' | 'webhooks.err.urlCredentials' | 'webhooks.err.urlPrivate' | 'webhooks.err.urlTooLong';

/**
 * An endpoint's URL: a syntactically valid absolute URL, HTTPS (plain HTTP only to an allowed
 * host: an internal system, the tests' receiver), no user name or password in it, and not an
 * IP address of a forbidden range unless that host is allowed. Returns the URL as it will be
 * called (normalised by the URL parser), or why not.
 */
export function checkEndpointUrl(input: string, allowedHosts: ReadonlySet<string>): { ok: true; url: string; host: string } | { ok: false; code: UrlRefusal } {
  if (input.length > MAX_URL_LENGTH) return { ok: false, code: 'webhooks.err.urlTooLong' };
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, code: 'webhooks.err.url' };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') return { ok: false, code: 'webhooks.err.url' };
  if (url.username || url.password) return { ok: false, code: 'webhooks.err.urlCredentials' };
  const host = normaliseHost(url.hostname);
  const allowed = allowedHosts.has(host);
  if (url.protocol === 'http:' && !allowed) return { ok: false, code: 'webhooks.err.urlHttps' };
  if (!allowed && (isForbiddenLiteral(host) || host === 'localhost' || host.endsWith('.localhost'))) return { ok: false, code: 'webhooks.err.urlPrivate' };
  url.hash = '';
  return { ok: true, url: url.toString(), host };
}

/**
 * A host an administrator allows: a DNS name or an IP address, as it appears in a URL (no port,
 * no path, no scheme). Returns it normalised, or null when it is not one.
 */
export function parseAllowedHost(input: string): string | null {
  const host = normaliseHost(input);
  if (host.length === 0 || host.length > 253) return null;
  if (isIP(host)) return host;
  if (!/^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*$/.test(host)) return null;
  return host;
}

/** During a rotation the previous secret keeps signing this long (the receiver's time to switch). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** How far back the administrator's log of messages and attempts goes (the attempts are pruned after). */
export const LOG_DAYS = 30;
