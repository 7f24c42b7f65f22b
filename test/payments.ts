import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { FixedClock } from '../src/platform/clock';
import type { ApplicationDeps } from '../src/modules/applications/applications.service';
import { applications } from '../src/modules/applications/applications.table';
import { payments } from '../src/modules/payments/payments.table';
import { validateEnrolment, type Payment } from '../src/modules/payments';
import { courseSessions } from '../src/modules/catalogue/catalogue.table';
import { assignScope } from '../src/modules/scopes';
import { convocations } from '../src/modules/selection/selection.table';
import { decideSession } from '../src/modules/selection/selection.service';
import '../src/modules/selection'; // its providers: what the applications module asks of selection
import { buildStaff } from './app';
import { closeOpenPeriod, confirmedApplicants } from './applications';

type Applicant = Awaited<ReturnType<typeof confirmedApplicants>>[number];

/**
 * Factory: learners accepted into sessions of the open period (`{ CODE: count }`), through the
 * services: each confirms an application, the period closes, and an administrator decides each
 * session (capacity permitting, all accepted).
 */
export async function acceptedApplicants(deps: ApplicationDeps & { clock: FixedClock }, sessions: Record<string, number>): Promise<Record<string, Applicant[]>> {
  const made: Record<string, Applicant[]> = {};
  for (const [code, count] of Object.entries(sessions)) made[code] = await confirmedApplicants(deps, code, count);
  await closeOpenPeriod(deps.db, deps.clock);
  const admin = await buildStaff(deps.db, deps.clock, 'admin');
  for (const code of Object.keys(sessions)) {
    const decided = await decideSession(deps, { staff: { id: admin.userId, role: 'admin' }, sessionCode: code });
    assert.ok(decided.ok && decided.accepted === sessions[code], `${code}: ${JSON.stringify(decided)}`);
  }
  return made;
}

/** SEL-3, SEL-4: the learner came to their convocation (an interview), as the school head records it. */
export async function cameToConvocation(db: Db, clock: FixedClock, applicationId: string, by: string) {
  const at = clock.now();
  await db.insert(convocations).values({ applicationId, kind: 'interview', at, place: 'Salle 1', token: randomBytes(18).toString('base64url'), createdBy: by, createdAt: at, attendance: 'present', attendanceBy: by, attendanceAt: at });
}


export async function statusOf(db: Db, applicationId: string) {
  return (await db.select({ status: applications.status }).from(applications).where(eq(applications.id, applicationId)))[0].status;
}

/** Every amount due of an application, oldest first (live or cancelled). */
export async function paymentsOf(db: Db, applicationId: string) {
  return db.select().from(payments).where(eq(payments.applicationId, applicationId)).orderBy(payments.createdAt);
}

/** The live amount due of an application (due or paid). */
export async function livePaymentOf(db: Db, applicationId: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.applicationId, applicationId), sql`${payments.status} <> 'cancelled'`));
  return row;
}

/** Moves a session's first meeting to `daysAgo` days before the clock's day (PAY-1: the learner has come). */
export async function startSession(db: Db, clock: FixedClock, sessionCode: string, daysAgo = 1) {
  const day = new Date(clock.now().getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  await db.update(courseSessions).set({ firstMeeting: day }).where(eq(courseSessions.code, sessionCode));
}

/**
 * Factory: the enrolments of these accepted learners, awaiting payment (PAY-1): their session
 * started, validated by a school head in its scope (returned, with the amounts due).
 */
export async function awaitingPayment(deps: ApplicationDeps & { clock: FixedClock }, sessionCode: string, learners: Applicant[]) {
  await startSession(deps.db, deps.clock, sessionCode);
  const head = await buildStaff(deps.db, deps.clock, 'school_head');
  await assignScope(deps.db, { userId: head.userId, sessions: [sessionCode] });
  const made: Payment[] = [];
  for (const learner of learners) {
    const validated = await validateEnrolment(deps, { id: head.userId, role: 'school_head' }, learner.applicationId);
    assert.ok(validated.ok, JSON.stringify(validated));
    made.push(validated.payment);
  }
  return { learners, head, payments: made };
}
