import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { scopeCondition, type Scope } from './catalogue.service';
import { courseSessions, courses, domains, registrationPeriods, schools } from './catalogue.table';

/** One session as the figures (SVC-6) group it: its school, its domain, its places. */
export interface FigureSession {
  id: number;
  code: string;
  title: string;
  schoolId: number;
  schoolName: string;
  domainId: number;
  domainName: string;
  periodCode: string;
  /** SVC-2: a cancelled session offers no places: its capacity counts 0 (its applications still count). */
  capacity: number;
  cancelled: boolean;
}

/**
 * SVC-6: the sessions a staff member's figures count, grouped by school and domain, in their
 * scope and the period asked (every period when none). The scope is part of the WHERE, as in
 * `sessionsInScope` (same three ways in: a school, a domain, a session), so nothing outside it
 * can be counted.
 */
export async function figureSessions(
  db: DbOrTx,
  scope: Scope,
  filter: { periodCode?: string } = {},
): Promise<FigureSession[]> {
  const conditions: SQL[] = [];
  const inScope = scopeCondition(scope);
  if (inScope) conditions.push(inScope);
  if (filter.periodCode) conditions.push(eq(registrationPeriods.code, filter.periodCode));
  return db
    .select({
      id: courseSessions.id,
      code: courseSessions.code,
      title: courses.title,
      schoolId: schools.id,
      schoolName: schools.name,
      domainId: domains.id,
      domainName: domains.name,
      periodCode: registrationPeriods.code,
      capacity: sql<number>`case when ${courseSessions.cancelledAt} is null then ${courseSessions.capacity} else 0 end`.mapWith(Number),
      cancelled: sql<boolean>`${courseSessions.cancelledAt} is not null`.mapWith(Boolean),
    })
    .from(courseSessions)
    .innerJoin(courses, eq(courses.id, courseSessions.courseId))
    .innerJoin(domains, eq(domains.id, courses.domainId))
    .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
    .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
    .where(and(...conditions))
    .orderBy(asc(courseSessions.code));
}
