import { and, gt, isNull, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { courseSessions, registrationPeriods } from './catalogue.table';

/** When a period's application window opens: its priority window (CERT-6) if it has one, else the public one. */
const opensAt = sql<Date>`coalesce(${registrationPeriods.priorityOpensAt}, ${registrationPeriods.applicationsOpenAt})`.mapWith(registrationPeriods.applicationsOpenAt);

/**
 * SEL-2: the sessions (not cancelled) whose application window opens at or before `opensBy` and
 * closes after `closesAfter`, with the instant it opens: those whose draw must be committed now.
 */
export async function sessionWindows(db: DbOrTx, input: { opensBy: Date; closesAfter: Date }): Promise<{ sessionId: number; opensAt: Date }[]> {
  return db
    .select({ sessionId: courseSessions.id, opensAt })
    .from(courseSessions)
    .innerJoin(registrationPeriods, sql`${registrationPeriods.id} = ${courseSessions.periodId}`)
    .where(and(lte(opensAt, input.opensBy), gt(registrationPeriods.applicationsCloseAt, input.closesAfter), isNull(courseSessions.cancelledAt)))
    .orderBy(courseSessions.id);
}

/** SEL-2: the instants, after `after`, at which a period's application window opens, soonest first. */
export async function windowOpenings(db: DbOrTx, after: Date, limit = 10): Promise<Date[]> {
  const rows = await db
    .selectDistinct({ at: opensAt })
    .from(registrationPeriods)
    .where(gt(opensAt, after))
    .orderBy(opensAt)
    .limit(limit);
  return rows.map((r) => r.at);
}
