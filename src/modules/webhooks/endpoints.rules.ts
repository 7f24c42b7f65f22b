import { BlockList, isIP } from 'node:net';

/**
 * SVC-8: what an administrator may register as a webhook endpoint, checked when the form is
 * sent (the delivery checks the address the host resolves to again, at each attempt: a name is
 * not an address). Pure: the hosts an administrator allowed are given.
 */

/** The longest URL accepted (what a header line and a log line can reasonably hold). */
export const MAX_URL_LENGTH = 2000;

/**
 * Addresses no endpoint may be at unless its host is allowed: loopback, private, link-local,
 * unique-local, shared (CGNAT), multicast, unspecified, documentation and benchmarking ranges,
 * IPv4-mapped and NAT64 forms of IPv4 addresses (checked as the IPv4 address they carry).
 */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  forbidden.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
] as const)
  forbidden.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address an IPv6 one carries (`::ffff:10.0.0.1`, `::ffff:a00:1`, `64:ff9b::a00:1`), if it does. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Whether an IP address (v4 or v6, no brackets) is one no endpoint may be at. */
export function isForbiddenAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return forbidden.check(address, 'ipv4');
  if (version !== 6) return false;
  const inner = embeddedIpv4(address);
  if (inner) return forbidden.check(inner, 'ipv4');
  return forbidden.check(address, 'ipv6');
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
  if (!allowed && (isForbiddenAddress(host) || host === 'localhost' || host.endsWith('.localhost'))) return { ok: false, code: 'webhooks.err.urlPrivate' };
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
