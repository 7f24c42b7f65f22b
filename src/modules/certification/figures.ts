import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { within, type FigureWindow } from '../../platform/windows';
import { courseOutcomes } from './certification.table';

/** Of one session: the certificates issued at the end of the course. */
export interface CertificateFigures {
  /** ATT-4: attendance certificates issued (the end of the course computed in the window). */
  attendance: number;
  /** CERT-2: certificates of skills issued in the window. */
  skills: number;
}

/** SVC-6: the certificates of these sessions, by session, counted in SQL (group by). */
export async function certificateFigures(db: DbOrTx, window: FigureWindow): Promise<Map<number, CertificateFigures>> {
  if (window.sessionIds.length === 0) return new Map();
  const rows = await db
    .select({
      sessionId: courseOutcomes.sessionId,
      attendance: sql<number>`count(*) filter (where ${courseOutcomes.attendanceDocumentId} is not null and ${within(courseOutcomes.computedAt, window)})`.mapWith(Number),
      skills: sql<number>`count(*) filter (where ${courseOutcomes.certificateDocumentId} is not null and ${within(courseOutcomes.certificateIssuedAt, window)})`.mapWith(Number),
    })
    .from(courseOutcomes)
    .where(sql`${courseOutcomes.sessionId} = any(${sql.param([...window.sessionIds])}::int[])`)
    .groupBy(courseOutcomes.sessionId);
  return new Map(rows.map(({ sessionId, ...figures }) => [sessionId, figures]));
}
