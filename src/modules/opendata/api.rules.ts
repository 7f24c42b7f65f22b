import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Expected, Params } from './api.schema';

/**
 * SVC-8: the public API's pure rules: reading a query string strictly, opaque cursors, the
 * languages of problems. No I/O. (Entity tags and conditional requests: `platform/conditional`.)
 */

export type QueryRefusal =
  | { ok: false; type: 'unknown-parameter' | 'repeated-parameter'; parameter: string }
  | { ok: false; type: 'invalid-parameter'; parameter: string; expected: Expected; choices?: readonly string[] };

/**
 * A query string against a route's parameters: every name must be one of them, given once, and
 * fit its schema. Returns the parsed values, or the first parameter at fault (in the query's
 * order) and why. Fastify gives a repeated name as an array: that is "repeated", never "invalid".
 */
export function parseQuery<P extends Params>(params: P, query: Record<string, unknown>): { ok: true; value: { [K in keyof P]?: Exclude<ReturnType<P[K]['schema']['parse']>, undefined> } } | QueryRefusal {
  const value: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(query)) {
    if (!Object.hasOwn(params, name)) return { ok: false, type: 'unknown-parameter', parameter: name };
    if (Array.isArray(raw)) return { ok: false, type: 'repeated-parameter', parameter: name };
    const { schema, expected, choices } = params[name];
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, type: 'invalid-parameter', parameter: name, expected, choices };
    if (parsed.data !== undefined) value[name] = parsed.data;
  }
  return { ok: true, value: value as never };
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function signature(secret: string, scope: string, payload: string): Buffer {
  // The scope (the route and its filters) is signed with the payload but not carried: a cursor
  // only opens the query it came from.
  return createHmac('sha256', secret).update(`cursus-api-cursor\u0000${scope}\u0000${payload}`).digest().subarray(0, 16);
}

/**
 * An opaque cursor: the key a page ends on (base64url JSON), and an HMAC of it and of the query
 * it belongs to. Not encrypted: the key is what the page showed anyway.
 */
export function encodeCursor(secret: string, scope: string, key: readonly (string | number)[]): string {
  const payload = b64(JSON.stringify(key));
  return `${payload}.${b64(signature(secret, scope, payload))}`;
}

/** The key of a cursor made by `encodeCursor` for this scope; null if it was changed, or made for another query. */
export function decodeCursor(secret: string, scope: string, cursor: string, length: number): (string | number)[] | null {
  const [payload, mac, extra] = cursor.split('.');
  if (extra !== undefined || !payload || !mac) return null;
  // Compared as text: base64url has several spellings of the same bytes (the last character's
  // unused bits), and a cursor is refused unless it is exactly the one given. The HMAC covers the
  // payload's text likewise.
  const given = Buffer.from(mac);
  const expected = Buffer.from(b64(signature(secret, scope, payload)));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length !== length || !key.every((part) => typeof part === 'string' || typeof part === 'number')) return null;
    return key;
  } catch {
    return null;
  }
}

/** The scope of a cursor: the route and its filters in a stable order (the page size aside: a client may change it). */
export function cursorScope(route: string, filters: Record<string, unknown>): string {
  const stable = Object.keys(filters)
    .filter((name) => name !== 'limit' && name !== 'cursor' && filters[name] !== undefined)
    .sort()
    .map((name) => [name, filters[name]]);
  return `${route}?${JSON.stringify(stable)}`;
}

/** The language of the problem details: the first of `Accept-Language` we speak, else `fallback`. */
export function problemLocale<L extends string>(acceptLanguage: string | undefined, spoken: readonly L[], fallback: L): L {
  if (!acceptLanguage) return fallback;
  const tags = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.lang && Number.isFinite(t.q) && t.q > 0)
    .sort((a, b) => b.q - a.q);
  return (tags.map((t) => t.lang).find((lang) => (spoken as readonly string[]).includes(lang)) as L | undefined) ?? fallback;
}

/**
 * An object's JSON cut around one of its own number fields: `head` ends with `"name":`, `tail`
 * follows the number, so `head + n + tail` is the JSON of the object with that field set to `n`
 * (the API keeps each session's JSON once per catalogue version and writes its free places into
 * it). The field is found as JSON writes it, `"name":` then the number then `,` or `}`: text
 * inside a string value has its quotes escaped and cannot look like it. Undefined when the field
 * is not a finite number, or is written more than once (a nested object's field of the same name
 * and value).
 */
export function splitJsonAt(value: Record<string, unknown>, name: string): { head: string; tail: string } | undefined {
  const number = value[name];
  if (typeof number !== 'number' || !Number.isFinite(number)) return undefined;
  const json = JSON.stringify(value);
  const key = `${JSON.stringify(name)}:`;
  const written = JSON.stringify(number);
  const found: number[] = [];
  for (let at = json.indexOf(key + written); at >= 0; at = json.indexOf(key + written, at + 1)) {
    const after = json[at + key.length + written.length];
    if (after === ',' || after === '}') found.push(at);
  }
  if (found.length !== 1) return undefined;
  const end = found[0] + key.length;
  return { head: json.slice(0, end), tail: json.slice(end + written.length) };
}
