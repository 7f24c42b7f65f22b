import { inArray, sql, type SQL } from 'drizzle-orm';
import { courseSessions, courses } from './catalogue.table';

/** What a staff member may see: everything, or these schools, domains and sessions. */
export type Scope = { all: true } | { all: false; schoolIds: number[]; domainIds: number[]; sessionIds: number[] };

/**
 * The scope as a condition on sessions (joined with their courses), or null for everything: the
 * one place that says what a scope holds (a school, a domain, a session), so that every staff
 * query puts it in its WHERE.
 */
export function scopeCondition(scope: Scope): SQL | null {
  if (scope.all) return null;
  const parts: SQL[] = [];
  if (scope.schoolIds.length) parts.push(inArray(courseSessions.schoolId, scope.schoolIds));
  if (scope.domainIds.length) parts.push(inArray(courses.domainId, scope.domainIds));
  if (scope.sessionIds.length) parts.push(inArray(courseSessions.id, scope.sessionIds));
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}
