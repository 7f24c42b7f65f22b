import assert from 'node:assert/strict';
import type { FixedClock } from '../src/platform/clock';
import type { ApplicationDeps } from '../src/modules/applications/applications.service';
import { recordSchoolPayment } from '../src/modules/payments';
import { assignScope } from '../src/modules/scopes';
import { buildStaff } from './app';
import { acceptedApplicants, awaitingPayment } from './payments';

type SchoolDeps = ApplicationDeps & { clock: FixedClock; secret: string; cashOffice: string };

/**
 * Factory: learners enrolled in sessions of the open period (`{ CODE: count }`), through the
 * services: accepted, the session started yesterday, validated by a school head, paid by cheque
 * at the school. Returns, per session, the learners, the school head and a trainer whose scope
 * is the session.
 */
export async function enrolledLearners(deps: SchoolDeps, sessions: Record<string, number>) {
  const accepted = await acceptedApplicants(deps, sessions);
  const made: Record<string, { learners: (typeof accepted)[string]; head: { userId: string }; trainer: { userId: string } }> = {};
  for (const [code, learners] of Object.entries(accepted)) {
    const { head } = await awaitingPayment(deps, code, learners);
    for (const learner of learners) {
      const paid = await recordSchoolPayment(deps, { id: head.userId, role: 'school_head' }, learner.applicationId, { method: 'cheque', chequeNumber: '0012345', bank: 'Banque test', payerName: 'Léa Durand' });
      assert.ok(paid.ok, JSON.stringify(paid));
    }
    const trainer = await buildStaff(deps.db, deps.clock, 'trainer');
    await assignScope(deps.db, { userId: trainer.userId, sessions: [code] });
    made[code] = { learners, head, trainer };
  }
  return made;
}
