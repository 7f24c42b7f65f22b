import { eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { catalogueCodes, catalogueIds, type Scope } from '../catalogue';
import { staffScopes } from './scopes.table';

/** A staff member's scope: an administrator sees everything; others what they are assigned. */
export async function scopeOf(db: DbOrTx, user: { id: string; role: Role }): Promise<Scope> {
  if (user.role === 'admin') return { all: true };
  if (user.role === 'learner') return { all: false, schoolIds: [], domainIds: [], sessionIds: [] };
  const rows = await db.select().from(staffScopes).where(eq(staffScopes.userId, user.id));
  // A trainer's scope is their sessions only, whatever else a row might say.
  const keep = <T,>(role: Role[], values: (T | null)[]) => (role.includes(user.role) ? values.filter((v): v is T => v !== null) : []);
  return {
    all: false,
    // SVC-5: a help desk's counsellor registers learners for the sessions of the schools, domains
    // or sessions assigned to them.
    schoolIds: keep<number>(['school_head', 'coordinator', 'counsellor'], rows.map((r) => r.schoolId)),
    domainIds: keep<number>(['coordinator', 'counsellor'], rows.map((r) => r.domainId)),
    sessionIds: keep<number>(['trainer', 'coordinator', 'school_head', 'counsellor'], rows.map((r) => r.sessionId)),
  };
}

/**
 * Assigns schools, domains or sessions (by code) to a staff member; unknown codes are reported.
 * `replace` removes what was assigned before (in the caller's transaction, if any).
 */
export async function assignScope(
  db: DbOrTx,
  input: { userId: string; schools?: string[]; domains?: string[]; sessions?: string[]; replace?: boolean },
): Promise<{ ok: true } | { ok: false; unknown: string[] }> {
  const ids = await catalogueIds(db, input);
  const unknown = [
    ...(input.schools ?? []).filter((c) => !ids.schools.has(c)),
    ...(input.domains ?? []).filter((c) => !ids.domains.has(c)),
    ...(input.sessions ?? []).filter((c) => !ids.sessions.has(c)),
  ];
  if (unknown.length) return { ok: false, unknown };
  if (input.replace) await db.delete(staffScopes).where(eq(staffScopes.userId, input.userId));
  const rows = [
    ...[...ids.schools.values()].map((schoolId) => ({ userId: input.userId, schoolId })),
    ...[...ids.domains.values()].map((domainId) => ({ userId: input.userId, domainId })),
    ...[...ids.sessions.values()].map((sessionId) => ({ userId: input.userId, sessionId })),
  ];
  if (rows.length) await db.insert(staffScopes).values(rows).onConflictDoNothing();
  return { ok: true };
}

/** The codes assigned to each of these staff members (schools, domains, sessions), sorted. */
export async function scopeCodes(db: DbOrTx, userIds: string[]): Promise<Map<string, { schools: string[]; domains: string[]; sessions: string[] }>> {
  const result = new Map<string, { schools: string[]; domains: string[]; sessions: string[] }>();
  if (userIds.length === 0) return result;
  const rows = await db.select().from(staffScopes).where(inArray(staffScopes.userId, userIds));
  const ids = <K extends 'schoolId' | 'domainId' | 'sessionId'>(key: K) => [...new Set(rows.map((r) => r[key]).filter((v): v is number => v !== null))];
  const codes = await catalogueCodes(db, { schools: ids('schoolId'), domains: ids('domainId'), sessions: ids('sessionId') });
  for (const row of rows) {
    const entry = result.get(row.userId) ?? { schools: [], domains: [], sessions: [] };
    if (row.schoolId !== null && codes.schools.has(row.schoolId)) entry.schools.push(codes.schools.get(row.schoolId)!);
    if (row.domainId !== null && codes.domains.has(row.domainId)) entry.domains.push(codes.domains.get(row.domainId)!);
    if (row.sessionId !== null && codes.sessions.has(row.sessionId)) entry.sessions.push(codes.sessions.get(row.sessionId)!);
    result.set(row.userId, entry);
  }
  for (const entry of result.values()) for (const list of Object.values(entry)) list.sort();
  return result;
}
