import { createHash, createHmac } from 'node:crypto';

/**
 * SEL-2's committed draw, as pure functions (no I/O, no clock): what the service stores and the
 * public page shows, and what anyone re-runs offline with `npm run cli -- draw` (docs/decisions/017-committed-draw.md).
 *
 * - The seed is 32 random hex characters, drawn before the application window opens and kept
 *   secret until the session is first decided.
 * - Its commitment, published from the start, is SHA-256(seed) in lower-case hex: once published,
 *   no other seed can be substituted without everyone seeing it.
 * - Each application has a pseudonymous reference: the first 10 characters of the base32
 *   (RFC 4648, upper case) SHA-256 of `cursus-draw:` + the application id. It is stable (the same
 *   application, the same reference), tells nothing about the person, and cannot be turned back
 *   into the id (the id is 122 random bits; the reference keeps 50 bits of a one-way hash).
 * - The draw key of an application is HMAC-SHA256(seed, reference), hex; the draw order sorts
 *   the references by key. Among applicants equal on the evaluation and on the points, the one
 *   earlier in this order ranks first.
 */

/** A commitment as shown and as typed: 64 hex characters. */
export const commitmentPattern = /^[0-9a-f]{64}$/;
/** A reference as shown and as typed (the command accepts lower case too). */
export const referencePattern = /^[A-Z2-7]{10}$/;

export const REFERENCE_PREFIX = 'cursus-draw:';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** The published commitment of a seed: SHA-256, lower-case hex. */
export function commitmentOf(seed: string): string {
  return createHash('sha256').update(seed, 'utf8').digest('hex');
}

/** The pseudonymous reference of an application (stable, not reversible). */
export function drawReference(applicationId: string): string {
  return base32(createHash('sha256').update(REFERENCE_PREFIX + applicationId.toLowerCase(), 'utf8').digest()).slice(0, 10);
}

/** A reference as someone typed it: upper case, surrounding spaces gone. */
export const normaliseReference = (reference: string) => reference.trim().toUpperCase();

/** SEL-2: an application's place in the draw: HMAC-SHA256(seed, reference), hex. */
export function drawKey(seed: string, reference: string): string {
  return createHmac('sha256', seed).update(reference, 'utf8').digest('hex');
}

/** Compares two draw keys (then the references, should two keys ever be equal). */
export function compareDraw(a: { key: string; reference: string }, b: { key: string; reference: string }): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
}

/** SEL-2: the references in the order of the draw; depends on the seed and the set of references only. */
export function drawOrder(seed: string, references: readonly string[]): string[] {
  return [...new Set(references.map(normaliseReference))]
    .map((reference) => ({ reference, key: drawKey(seed, reference) }))
    .sort(compareDraw)
    .map((x) => x.reference);
}

export type DrawCheck = { ok: true; order: string[] } | { ok: false; code: 'commitment_mismatch'; expected: string; actual: string };

/**
 * SEL-2: checks a published draw: the seed must hash to the commitment published before the
 * window opened; then the order is re-run from the seed. A wrong seed gives no order.
 */
export function verifyDraw(input: { seed: string; commitment: string; references: readonly string[] }): DrawCheck {
  const actual = commitmentOf(input.seed);
  const expected = input.commitment.trim().toLowerCase();
  if (actual !== expected) return { ok: false, code: 'commitment_mismatch', expected, actual };
  return { ok: true, order: drawOrder(input.seed, input.references) };
}

/** Does a published order agree with the one the seed gives? */
export function sameOrder(published: readonly string[], recomputed: readonly string[]): boolean {
  return published.length === recomputed.length && published.every((r, i) => normaliseReference(r) === recomputed[i]);
}

/** When a session's application window opens: its priority window (CERT-6) if it has one, else the public one. */
export function windowOpensAt(period: { priorityOpensAt: Date | null; applicationsOpenAt: Date }): Date {
  return period.priorityOpensAt && period.priorityOpensAt < period.applicationsOpenAt ? period.priorityOpensAt : period.applicationsOpenAt;
}

/** A commitment made after the window opened is late: the page says so (it could have been chosen knowing who applied). */
export function committedLate(committedAt: Date, opensAt: Date): boolean {
  return committedAt.getTime() > opensAt.getTime();
}

/** How long before a window opens the commitment job commits its sessions. */
export const COMMIT_AHEAD_MS = 86_400_000;
