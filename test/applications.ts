import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { FixedClock } from '../src/platform/clock';
import * as apps from '../src/modules/applications/applications.service';
import type { situations } from '../src/domain/vocabulary';
import { courseSessions, registrationPeriods } from '../src/modules/catalogue/catalogue.table';
import { buildLearner } from './app';

/**
 * Factory: `count` learners, each with a confirmed application to the session, through the
 * service (so every rule and event applies). `situation(i)` gives the i-th learner's situation.
 */
export async function confirmedApplicants(
  deps: apps.ApplicationDeps & { clock: FixedClock },
  sessionCode: string,
  count: number,
  situation: (i: number) => (typeof situations)[number] = () => 'employed',
) {
  const made: { learnerId: string; email: string; applicationId: string }[] = [];
  for (let i = 0; i < count; i++) {
    const learner = await buildLearner(deps.db, deps.clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode });
    assert.ok(pre.ok, JSON.stringify(pre));
    await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers: { situation: situation(i), objective: 'personal', motivations: 'Oui.' } });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true });
    made.push({ learnerId: learner.id, email: learner.email, applicationId: pre.applicationId });
  }
  return made;
}

/** Closes the test catalogue's open period a minute before the clock's now. */
export async function closeOpenPeriod(db: Db, clock: FixedClock) {
  await db.update(registrationPeriods).set({ applicationsCloseAt: new Date(clock.now().getTime() - 60_000) }).where(eq(registrationPeriods.code, 'open'));
}

export async function setCapacity(db: Db, sessionCode: string, capacity: number) {
  await db.update(courseSessions).set({ capacity }).where(eq(courseSessions.code, sessionCode));
}

/**
 * Factory: a learner's two applications through the service, one only preselected (in
 * `preselectedIn`), one confirmed (in `confirmedIn`), both sessions' windows open.
 */
export async function preselectedAndConfirmed(deps: apps.ApplicationDeps, learnerId: string, sessions: { preselectedIn: string; confirmedIn: string }) {
  const first = await apps.preselectSession(deps, { learnerId, sessionCode: sessions.preselectedIn });
  const second = await apps.preselectSession(deps, { learnerId, sessionCode: sessions.confirmedIn });
  assert.ok(first.ok && second.ok);
  await apps.saveAnswers(deps, { learnerId, applicationId: second.applicationId, answers: { situation: 'employed', objective: 'personal', motivations: 'Oui.' } });
  assert.ok((await apps.confirmApplication(deps, { learnerId, applicationId: second.applicationId })).ok);
  return { preselected: first.applicationId, confirmed: second.applicationId };
}
