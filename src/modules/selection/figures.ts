import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { within, type FigureWindow } from '../../platform/windows';
import { offers } from './selection.table';

/** Of one session's waiting list: the places offered (SEL-7, SEL-8) and what became of them. */
export interface OfferFigures {
  /** Offers made in the window. */
  made: number;
  /** Of those, taken by the learner. */
  taken: number;
  /** Open today: each holds a place until answered or expired. */
  open: number;
}

/** SVC-6: the waiting lists' offers of these sessions, by session, counted in SQL (group by). */
export async function offerFigures(db: DbOrTx, window: FigureWindow): Promise<Map<number, OfferFigures>> {
  if (window.sessionIds.length === 0) return new Map();
  const made = within(offers.createdAt, window);
  const rows = await db
    .select({
      sessionId: offers.sessionId,
      made: sql<number>`count(*) filter (where ${made})`.mapWith(Number),
      taken: sql<number>`count(*) filter (where ${made} and ${offers.status} = 'accepted')`.mapWith(Number),
      open: sql<number>`count(*) filter (where ${offers.status} = 'open')`.mapWith(Number),
    })
    .from(offers)
    .where(sql`${offers.sessionId} = any(${sql.param([...window.sessionIds])}::int[])`)
    .groupBy(offers.sessionId);
  return new Map(rows.map(({ sessionId, ...figures }) => [sessionId, figures]));
}
