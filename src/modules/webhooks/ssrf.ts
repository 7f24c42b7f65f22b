import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * SVC-8 against server-side request forgery: a webhook is never sent to an address of the
 * service's own networks (loopback, private, link-local, unique-local, shared CGNAT, multicast,
 * unspecified, reserved, or an IPv4 address hidden in an IPv6 one) unless an administrator
 * allowed its host. The host is resolved once, every address it gives is checked, and the
 * request connects to the address checked (so a DNS answer changed in between — rebinding —
 * cannot send it elsewhere).
 */
// Two lists: a BlockList matches an IPv4 address against IPv6 rules as if it were IPv4-mapped.
const forbiddenIpv4 = new BlockList();
const forbiddenIpv6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  forbiddenIpv4.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64 (an IPv4 address behind it)
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2001::', 32], // Teredo (an IPv4 address behind it)
  ['2002::', 16], // 6to4 (an IPv4 address behind it)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  forbiddenIpv6.addSubnet(network, prefix, 'ipv6');

/** Is this IP address one a webhook must not reach (without an allowed host)? Anything not an IP address is. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return family === 4 ? forbiddenIpv4.check(address, 'ipv4') : forbiddenIpv6.check(address, 'ipv6');
}

export interface Destination {
  address: string;
  family: 4 | 6;
}
export type Resolved = { ok: true; destination: Destination } | { ok: false; error: string };

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
/** How long an attempt waits for the host's addresses (within the attempt's claim: delivery.rules `claimMs`). */
export const LOOKUP_TIMEOUT_MS = 5_000;
export const systemResolver: Resolver = (host) => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no DNS answer within ${LOOKUP_TIMEOUT_MS / 1000} s`)), LOOKUP_TIMEOUT_MS);
  });
  return Promise.race([lookup(host, { all: true, verbatim: true }), late]).finally(() => clearTimeout(timer));
};

/**
 * Where to connect for `host` (a URL's hostname; an IPv6 literal in brackets is accepted): its
 * first address, after checking them all. Refused: a host that does not resolve, or one that
 * gives a forbidden address, unless `allowed`.
 */
export async function resolveDestination(host: string, options: { allowed: boolean; resolve?: Resolver }): Promise<Resolved> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  let addresses: { address: string; family: number }[];
  if (isIP(bare)) addresses = [{ address: bare, family: isIP(bare) }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(bare);
    } catch (error) {
      return { ok: false, error: `unresolved host (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
  }
  if (addresses.length === 0) return { ok: false, error: 'unresolved host' };
  if (!options.allowed) {
    const forbidden = addresses.find((a) => isForbiddenAddress(a.address));
    if (forbidden) return { ok: false, error: `forbidden address ${forbidden.address}` };
  }
  const [first] = addresses;
  return { ok: true, destination: { address: first.address, family: first.family === 6 ? 6 : 4 } };
}
