import { and, eq, sql, type SQL } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { DbOrTx } from '../../db/database';
import { within, type FigureWindow } from '../../platform/windows';
import { applicationEvents, applications } from './applications.table';
import { statusIn } from './lifecycle';

/** Of one session: applications validated, decisions, waiting lists, places held. */
export interface ApplicationFigures {
  /** Validated by the learner (a basket not validated is nobody's business), in the window. */
  applications: number;
  /** Given a place in the window (at the selection or from a waiting list), whatever came after. */
  accepted: number;
  /** Refused in the window. */
  refused: number;
  /** Put on the waiting list in the window. */
  waitlisted: number;
  /** On the waiting list today. */
  waiting: number;
  /** Holding a place today (accepted, awaiting payment, enrolled): the fill rate's numerator. */
  holding: number;
}

const count = (condition: SQL) => sql<number>`count(*) filter (where ${condition})`.mapWith(Number);

/**
 * SVC-6: the applications' figures of these sessions, by session, counted in SQL (group by).
 * Decisions are read from the events (an application accepted then withdrawn was accepted);
 * the waiting list and the places held are today's.
 */
export async function applicationFigures(db: DbOrTx, window: FigureWindow): Promise<Map<number, ApplicationFigures>> {
  const result = new Map<number, ApplicationFigures>();
  if (window.sessionIds.length === 0) return result;
  const inSessions = sql`${applications.sessionId} = any(${sql.param([...window.sessionIds])}::int[])`;
  const [current, decided] = await readTogether(db, [
    async () => db
      .select({
        sessionId: applications.sessionId,
        // Sent by the learner: a validated status and a date of sending (`within` alone lets a null date through).
        applications: count(sql`${statusIn(applications.status, 'validated')} and ${applications.confirmedAt} is not null and ${within(applications.confirmedAt, window)}`),
        waiting: count(sql`${applications.status} = 'waiting_list'`),
        holding: count(statusIn(applications.status, 'holdsPlace')),
      })
      .from(applications)
      .where(inSessions)
      .groupBy(applications.sessionId),
    async () => db
      .select({
        sessionId: applications.sessionId,
        accepted: sql<number>`count(distinct ${applicationEvents.applicationId}) filter (where ${applicationEvents.toStatus} = 'accepted')`.mapWith(Number),
        refused: sql<number>`count(distinct ${applicationEvents.applicationId}) filter (where ${applicationEvents.toStatus} = 'refused')`.mapWith(Number),
        waitlisted: sql<number>`count(distinct ${applicationEvents.applicationId}) filter (where ${applicationEvents.toStatus} = 'waiting_list')`.mapWith(Number),
      })
      .from(applicationEvents)
      .innerJoin(applications, eq(applications.id, applicationEvents.applicationId))
      .where(and(inSessions, sql`${applicationEvents.toStatus} in ('accepted', 'refused', 'waiting_list')`, within(applicationEvents.at, window)))
      .groupBy(applications.sessionId),
  ]);
  const empty = (): ApplicationFigures => ({ applications: 0, accepted: 0, refused: 0, waitlisted: 0, waiting: 0, holding: 0 });
  for (const row of current) result.set(row.sessionId, { ...empty(), applications: row.applications, waiting: row.waiting, holding: row.holding });
  for (const row of decided) result.set(row.sessionId, { ...(result.get(row.sessionId) ?? empty()), accepted: row.accepted, refused: row.refused, waitlisted: row.waitlisted });
  return result;
}
