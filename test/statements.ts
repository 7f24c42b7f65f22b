import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { PaymentMethod, PaymentStatus } from '../src/domain/vocabulary';
import type { FixedClock } from '../src/platform/clock';
import { applyCatalogue } from '../src/modules/catalogue';
import { courseSessions, schools } from '../src/modules/catalogue/catalogue.table';
import { payments } from '../src/modules/payments/payments.table';
import { confirmedApplicants } from './applications';

/**
 * Factory: an amount due, paid or cancelled, written straight into the payments table (PAY-11's
 * tests need payments in every state without going through the payment service). Each payment
 * has its own learner and application in `sessionCode` (a test catalogue's session); `school`
 * overrides the school it is counted for (a school head's scope).
 */
export async function buildPayment(
  deps: { db: Db; clock: FixedClock; baseUrl: string },
  sessionCode: string,
  overrides: { reference?: string; amountCents?: number; status?: PaymentStatus; paidAt?: Date; method?: PaymentMethod; schoolId?: number } = {},
) {
  const [applicant] = await confirmedApplicants(deps, sessionCode, 1);
  const [session] = await deps.db.select({ id: courseSessions.id, schoolId: courseSessions.schoolId }).from(courseSessions).where(eq(courseSessions.code, sessionCode));
  const status = overrides.status ?? 'paid';
  const [row] = await deps.db
    .insert(payments)
    .values({
      applicationId: applicant.applicationId,
      learnerId: applicant.learnerId,
      sessionId: session.id,
      schoolId: overrides.schoolId ?? session.schoolId,
      reference: overrides.reference ?? `T${randomBytes(6).toString('hex').toUpperCase()}`,
      amountCents: overrides.amountCents ?? 15_000,
      rate: 'full',
      dueOn: '2026-10-20',
      status,
      createdAt: deps.clock.now(),
      paidAt: status === 'paid' ? (overrides.paidAt ?? new Date('2026-10-12T10:00:00Z')) : null,
      method: status === 'paid' ? (overrides.method ?? 'online') : null,
      cancelledAt: status === 'cancelled' ? deps.clock.now() : null,
    })
    .returning();
  return { ...row, learnerEmail: applicant.email };
}

/** A second school (for scope tests), returned with its id. */
export async function buildSchool(db: Db, code: string) {
  await db.transaction((tx) =>
    applyCatalogue(tx, {
      periods: [],
      courses: [],
      sessions: [],
      schools: [{ code, name: `École ${code}`, arrondissement: 12, area: null, address: '2 rue Test', postal_code: '75012', city: 'Paris' }],
    }),
  );
  const [school] = await db.select({ id: schools.id }).from(schools).where(eq(schools.code, code));
  return school.id;
}

/** A treasury statement's CSV from its lines. */
export const treasuryCsv = (lines: [reference: string, amount: string, date: string, label?: string][]) =>
  ['reference;amount;date;label', ...lines.map(([r, a, d, l]) => `${r};${a};${d};${l ?? ''}`)].join('\n');

/** A PayFiP statement's CSV from its lines. */
export const payfipCsv = (lines: [refdet: string, montant: string, dattrans: string, resultrans?: string, numauto?: string][]) =>
  ['refdet;montant;dattrans;numauto;resultrans', ...lines.map(([r, m, d, res, n]) => `${r};${m};${d};${n ?? 'A1'};${res ?? 'P'}`)].join('\n');
