import { sql, type AnyColumn } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { courseOutcomes } from './certification.table';

/** Of one session: the certificates issued at the end of the course. */
export interface CertificateFigures {
  /** ATT-4: attendance certificates issued (the end of the course computed in the window). */
  attendance: number;
  /** CERT-2: certificates of skills issued in the window. */
  skills: number;
}

/** SVC-6: the certificates of these sessions, by session, counted in SQL (group by). */
export async function certificateFigures(db: DbOrTx, window: { sessionIds: readonly number[]; from?: Date; until?: Date }): Promise<Map<number, CertificateFigures>> {
  if (window.sessionIds.length === 0) return new Map();
  const within = (column: AnyColumn) =>
    sql`${window.from ? sql`${column} >= ${window.from}` : sql`true`} and ${window.until ? sql`${column} < ${window.until}` : sql`true`}`;
  const rows = await db
    .select({
      sessionId: courseOutcomes.sessionId,
      attendance: sql<number>`count(*) filter (where ${courseOutcomes.attendanceDocumentId} is not null and ${within(courseOutcomes.computedAt)})`.mapWith(Number),
      skills: sql<number>`count(*) filter (where ${courseOutcomes.certificateDocumentId} is not null and ${within(courseOutcomes.certificateIssuedAt)})`.mapWith(Number),
    })
    .from(courseOutcomes)
    .where(sql`${courseOutcomes.sessionId} = any(${sql.param([...window.sessionIds])}::int[])`)
    .groupBy(courseOutcomes.sessionId);
  return new Map(rows.map(({ sessionId, ...figures }) => [sessionId, figures]));
}
