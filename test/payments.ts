import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { FixedClock } from '../src/platform/clock';
import * as apps from '../src/modules/applications/applications.service';
import { courseSessions } from '../src/modules/catalogue/catalogue.table';
import { validateEnrolment, type Payment } from '../src/modules/payments';
import { assignScope } from '../src/modules/scopes';
import { buildStaff } from './app';
import { closeOpenPeriod, confirmedApplicants } from './applications';

/** Moves a session's first meeting to `daysAgo` days before the clock's day (PAY-1: the learner has come). */
export async function startSession(db: Db, clock: FixedClock, sessionCode: string, daysAgo = 1) {
  const day = new Date(clock.now().getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  await db.update(courseSessions).set({ firstMeeting: day }).where(eq(courseSessions.code, sessionCode));
}

/**
 * Factory: `count` learners whose applications to the session were accepted by the selection,
 * through the services (SEL-3); the open period is closed first.
 */
export async function acceptedApplicants(deps: apps.ApplicationDeps & { clock: FixedClock }, sessionCode: string, count: number) {
  const made = await confirmedApplicants(deps, sessionCode, count);
  await closeOpenPeriod(deps.db, deps.clock);
  const coordinator = await buildStaff(deps.db, deps.clock, 'coordinator');
  await deps.db.transaction((tx) =>
    apps.applyDecisions(tx, deps, made.map((m, i) => ({ applicationId: m.applicationId, outcome: 'accepted' as const, rank: i + 1 })), { id: coordinator.userId, role: 'coordinator' }),
  );
  return made;
}

/**
 * Factory: `count` enrolments awaiting payment (PAY-1): accepted, the session started, validated
 * by a school head in scope (returned, with the amounts due).
 */
export async function awaitingPayment(deps: apps.ApplicationDeps & { clock: FixedClock }, sessionCode: string, count: number) {
  const made = await acceptedApplicants(deps, sessionCode, count);
  await startSession(deps.db, deps.clock, sessionCode);
  const head = await buildStaff(deps.db, deps.clock, 'school_head');
  await assignScope(deps.db, { userId: head.userId, sessions: [sessionCode] });
  const payments: Payment[] = [];
  for (const m of made) {
    const validated = await validateEnrolment(deps, { id: head.userId, role: 'school_head' }, m.applicationId);
    assert.ok(validated.ok, JSON.stringify(validated));
    payments.push(validated.payment);
  }
  return { learners: made, head, payments };
}
