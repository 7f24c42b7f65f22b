import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Rate } from '../../domain/vocabulary';
import { within, type FigureWindow } from '../../platform/windows';
import { payments, refunds } from './payments.table';

/** Of one session, one rate: the payments received (count, integer cents). */
export interface PaymentFigures {
  rate: Rate;
  count: number;
  cents: number;
}

const inSessions = (window: FigureWindow) => sql`${payments.sessionId} = any(${sql.param([...window.sessionIds])}::int[])`;

/**
 * SVC-6: the payments received (PAY-2, PAY-3: paid, whatever the method) for these sessions,
 * paid in the window, by session and rate, summed in SQL. A refund does not undo a payment
 * received: it is a record of its own (PAY-9), counted by `refundFigures`.
 */
export async function paymentFigures(db: DbOrTx, window: FigureWindow): Promise<Map<number, PaymentFigures[]>> {
  const result = new Map<number, PaymentFigures[]>();
  if (window.sessionIds.length === 0) return result;
  const rows = await db
    .select({
      sessionId: payments.sessionId,
      rate: payments.rate,
      count: sql<number>`count(*)`.mapWith(Number),
      cents: sql<number>`coalesce(sum(${payments.amountCents}), 0)`.mapWith(Number),
    })
    .from(payments)
    .where(sql`${inSessions(window)} and ${payments.status} = 'paid' and ${within(payments.paidAt, window)}`)
    .groupBy(payments.sessionId, payments.rate);
  for (const { sessionId, ...figures } of rows) result.set(sessionId, [...(result.get(sessionId) ?? []), figures]);
  return result;
}

/** Of one session: the refunds granted and those paid back (count, integer cents). */
export interface RefundFigures {
  grantedCount: number;
  grantedCents: number;
  refundedCount: number;
  refundedCents: number;
}

/**
 * SVC-6, PAY-9, SVC-2: the refunds of these sessions' payments, by session, summed in SQL:
 * granted in the window (the decision's instant; a cancelled session's fees are granted at its
 * cancellation) and refunded in the window (the day the cash office paid back, a Paris day).
 * A refund granted and not yet paid back counts as granted only.
 */
export async function refundFigures(db: DbOrTx, window: FigureWindow): Promise<Map<number, RefundFigures>> {
  if (window.sessionIds.length === 0) return new Map();
  const granted = sql`${refunds.status} = 'granted' and ${within(refunds.decidedAt, window)}`;
  const refunded = sql`${refunds.refundedOn} is not null and ${within(sql`(${refunds.refundedOn}::timestamp at time zone 'Europe/Paris')`, window)}`;
  const rows = await db
    .select({
      sessionId: payments.sessionId,
      grantedCount: sql<number>`count(*) filter (where ${granted})`.mapWith(Number),
      grantedCents: sql<number>`coalesce(sum(${refunds.amountCents}) filter (where ${granted}), 0)`.mapWith(Number),
      refundedCount: sql<number>`count(*) filter (where ${refunded})`.mapWith(Number),
      refundedCents: sql<number>`coalesce(sum(${refunds.amountCents}) filter (where ${refunded}), 0)`.mapWith(Number),
    })
    .from(refunds)
    .innerJoin(payments, eq(payments.id, refunds.paymentId))
    .where(and(inSessions(window), eq(refunds.status, 'granted')))
    .groupBy(payments.sessionId);
  return new Map(rows.map(({ sessionId, ...figures }) => [sessionId, figures]));
}
