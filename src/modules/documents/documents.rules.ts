import { randomInt } from 'node:crypto';
import type { DocumentKind, DocumentStatus } from '../../domain/vocabulary';

/**
 * PAY-10's short codes: 12 characters from an alphabet without the characters people confuse
 * (no 0/O, 1/I/L), 11 drawn at random (crypto) and one check character, printed in three groups
 * of four (`K7QM-4XTR-9PZA`). 31 characters, 11 random: 54 bits, beyond guessing under the
 * rate limit. The check character makes a mistyped code known as such before any lookup: with
 * a prime alphabet size and weights 1…12, every single wrong character and every swap of two
 * different characters breaks the sum.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;
const N = CODE_ALPHABET.length;

/** Σ i·value(cᵢ) over positions 1…n, mod 31. */
function weightedSum(chars: string): number {
  let sum = 0;
  for (let i = 0; i < chars.length; i++) sum += (i + 1) * CODE_ALPHABET.indexOf(chars[i]);
  return sum % N;
}

/** The inverse of the last weight (12) mod 31: 12 × 13 = 156 = 5 × 31 + 1. */
const INVERSE_OF_LAST_WEIGHT = 13;

/** A new code: 11 characters from `random` (crypto's randomInt by default: no modulo bias) and the check character. */
export function newCode(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < CODE_LENGTH - 1; i++) body += CODE_ALPHABET[random(N)];
  // The check value v makes Σ i·vᵢ (i = 1…12) ≡ 0 (mod 31): 12·v ≡ −sum, v ≡ −sum·13.
  const check = (((N - weightedSum(body)) % N) * INVERSE_OF_LAST_WEIGHT) % N;
  return body + CODE_ALPHABET[check];
}

export type CodeCheck = { ok: true; code: string } | { ok: false; reason: 'shape' | 'checksum' };

/** What people type between the groups, or get from a copy: spaces of every kind and dashes. */
const SEPARATORS = /[\s\-‐‑‒–—―_.·]/gu;
const SHAPE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/**
 * A code as typed or as a URL carries it, normalised: any case, spaces, dashes, full-width
 * characters (NFKC). "shape": not 12 characters of the alphabet (a huge string, NUL bytes,
 * letters the codes never use…); "checksum": one of them is wrong. Never throws.
 */
export function checkCode(raw: unknown): CodeCheck {
  if (typeof raw !== 'string' || raw.length > 64) return { ok: false, reason: 'shape' };
  const code = raw.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
  if (!SHAPE.test(code)) return { ok: false, reason: 'shape' };
  return weightedSum(code) === 0 ? { ok: true, code } : { ok: false, reason: 'checksum' };
}

/** The printed form: three groups of four. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join('-') ?? code;
}

/**
 * What the public page shows of a name: the initials of each word, hyphenated parts kept
 * ("DURAND-MARTIN Léa" → "D.-M. L."). Nothing else of the name leaves the register.
 */
export function initials(fullName: string): string {
  return fullName
    .normalize('NFC')
    .split(/\s+/)
    .map((word) =>
      word
        .split('-')
        .map((part) => /\p{L}/u.exec(part)?.[0])
        .filter((letter): letter is string => Boolean(letter))
        .map((letter) => `${letter.toLocaleUpperCase('fr')}.`)
        .join('-'),
    )
    .filter(Boolean)
    .slice(0, 8)
    .join(' ');
}

/** PAY-10: a stored "valid" whose last day of validity is past (in Paris) reads "expired". */
export function effectiveStatus(row: { status: 'valid' | 'replaced' | 'revoked'; validUntil: string | null }, today: string): DocumentStatus {
  if (row.status !== 'valid') return row.status;
  return row.validUntil !== null && row.validUntil < today ? 'expired' : 'valid';
}

/**
 * What the QR code signs, and nothing more: the code, the kind, the holder's initials, the day
 * of issue and the last day of validity (claims `c`, `k`, `n`, `i`, `u`: short, for a small QR
 * code). Whoever holds the public keys can check it without the service.
 */
export interface SignedClaims {
  c: string;
  k: DocumentKind;
  n: string;
  i: string;
  u: string | null;
}

export function signedClaims(doc: { code: string; kind: DocumentKind; holderName: string; issuedDay: string; validUntil: string | null }): SignedClaims {
  return { c: doc.code, k: doc.kind, n: initials(doc.holderName), i: doc.issuedDay, u: doc.validUntil };
}

/** Whether claims (from a verified signature) are this document's. */
export function sameClaims(a: unknown, b: SignedClaims): boolean {
  if (!a || typeof a !== 'object') return false;
  const x = a as Record<string, unknown>;
  return x.c === b.c && x.k === b.k && x.n === b.n && x.i === b.i && (x.u ?? null) === b.u && Object.keys(x).length === 5;
}
