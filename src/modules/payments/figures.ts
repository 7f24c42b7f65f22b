import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { Rate } from '../../domain/vocabulary';
import { payments } from './payments.table';

/** Of one session, one rate: the payments received (count, integer cents). */
export interface PaymentFigures {
  rate: Rate;
  count: number;
  cents: number;
}

/**
 * SVC-6: the payments received (PAY-2, PAY-3: paid, whatever the method) for these sessions,
 * paid in the window, by session and rate, summed in SQL. A refund does not undo a payment
 * received: it is a record of its own (PAY-9).
 */
export async function paymentFigures(db: DbOrTx, window: { sessionIds: readonly number[]; from?: Date; until?: Date }): Promise<Map<number, PaymentFigures[]>> {
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
    .where(
      sql`${payments.sessionId} = any(${sql.param([...window.sessionIds])}::int[]) and ${payments.status} = 'paid'
        and ${window.from ? sql`${payments.paidAt} >= ${window.from}` : sql`true`} and ${window.until ? sql`${payments.paidAt} < ${window.until}` : sql`true`}`,
    )
    .groupBy(payments.sessionId, payments.rate);
  for (const { sessionId, ...figures } of rows) result.set(sessionId, [...(result.get(sessionId) ?? []), figures]);
  return result;
}
