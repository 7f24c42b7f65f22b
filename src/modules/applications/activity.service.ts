import { inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { applicationEvents, applications } from './applications.table';

/**
 * ACC-14: the last activity of each learner's applications (created, confirmed, closed, or any
 * event of theirs, by them or the staff), for the retention job's inactive-account rule. Learners
 * without an application are absent from the map.
 */
export async function lastApplicationActivity(db: DbOrTx, learnerIds: readonly string[]): Promise<Map<string, Date>> {
  if (learnerIds.length === 0) return new Map();
  const rows = await db
    .select({
      learnerId: applications.learnerId,
      at: sql<string>`greatest(max(${applications.createdAt}), max(${applications.confirmedAt}), max(${applications.closedAt}), max(${applicationEvents.at}))`,
    })
    .from(applications)
    .leftJoin(applicationEvents, sql`${applicationEvents.applicationId} = ${applications.id}`)
    .where(inArray(applications.learnerId, [...learnerIds]))
    .groupBy(applications.learnerId);
  return new Map(rows.map((r) => [r.learnerId, new Date(r.at)]));
}
