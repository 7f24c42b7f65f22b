/**
 * Checks for values that come from a request, shared by route schemas and services, so that
 * what the database or a lookup table is given is what they expect.
 */

/**
 * A UUID as PostgreSQL's uuid type reads it: 32 hex digits in groups of 8-4-4-4-12. Anything else
 * (36 dashes, a NUL byte, a word) is "not found", never a database error; the nil UUID is a UUID
 * that no row has.
 */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/**
 * The entry of `table` under `key`, if `table` has it as its own: a key typed by someone
 * (`constructor`, `__proto__`, `toString`) never reaches Object.prototype.
 */
export function ownEntry<V>(table: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
