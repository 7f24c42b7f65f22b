import type { DbOrTx } from '../../db/database';
import { readTogether } from '../../db/statements';
import { traceFileViewed } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import {
  decideNameChange,
  learnerFile,
  mayDecideNameChanges,
  pendingNameChanges,
  searchLearners,
  type AccountDeps,
  type LearnerFile,
  type LearnerRow,
  type LearnerSearch,
  type LearnerSet,
  type NameChangeOutcome,
  type User,
} from '../accounts';
import { learnersWithApplicationIn } from '../applications';
import { sessionsInScope } from '../catalogue';
import { scopeOf } from '../scopes';

/**
 * ACC-8 for staff: finding a learner and deciding their name change requests. Only coordinators
 * and administrators may (the routes check the role, and so does every function here). An
 * administrator sees every learner; a coordinator those with an application in a session of
 * their scope; the scope is part of each query, before any limit.
 */
export type Staff = Pick<User, 'id' | 'role'>;
type Refused = { ok: false; code: 'forbidden' | 'not_found' };

/** The learners a staff member may look up, or null when their role may not look up any. */
async function learnersInScope(db: DbOrTx, staff: Staff, options: { learnerIds?: string[] } = {}): Promise<LearnerSet | null> {
  if (!mayDecideNameChanges(staff.role)) return null;
  const scope = await scopeOf(db, staff);
  if (scope.all) return 'all';
  const sessions = await sessionsInScope(db, scope);
  return learnersWithApplicationIn(db, sessions.map((s) => s.id), options);
}

/** ACC-8: the search page: matching learners in scope, and the name changes waiting there. */
export async function findLearners(
  db: DbOrTx,
  staff: Staff,
  search: LearnerSearch,
): Promise<{ ok: true; rows: LearnerRow[]; pending: Awaited<ReturnType<typeof pendingNameChanges>>; all: boolean } | Refused> {
  const among = await learnersInScope(db, staff);
  if (among === null) return { ok: false, code: 'forbidden' };
  const [rows, pending] = await readTogether(db, [async () => searchLearners(db, { among, search }), async () => pendingNameChanges(db, { among })]);
  return { ok: true, rows, pending, all: among === 'all' };
}

/** ACC-8: one learner's page, if the learner is in the staff member's scope (else forbidden). */
export async function learnerForStaff(db: DbOrTx, staff: Staff, learnerId: string): Promise<{ ok: true; file: LearnerFile; among: LearnerSet } | Refused> {
  if (!mayDecideNameChanges(staff.role)) return { ok: false, code: 'forbidden' };
  const file = await learnerFile(db, learnerId);
  if (!file) return { ok: false, code: 'not_found' };
  const among = await learnersInScope(db, staff, { learnerIds: [learnerId] });
  if (among === null || (among !== 'all' && !among.includes(learnerId))) return { ok: false, code: 'forbidden' };
  return { ok: true, file, among };
}

/** ACC-8, ACC-11: `learnerForStaff` for the learner's page, traced (`learner.file_viewed`, once an hour per staff member and learner). */
export async function viewLearnerFile(deps: { db: DbOrTx; clock: Clock }, staff: Staff, learnerId: string): ReturnType<typeof learnerForStaff> {
  const access = await learnerForStaff(deps.db, staff, learnerId);
  if (access.ok) await traceFileViewed(deps.db, deps.clock, { staffId: staff.id, learnerId, page: 'learner' });
  return access;
}

/** ACC-8: applies or declines the learner's pending name change, for a learner in scope. */
export async function decideLearnerNameChange(
  deps: AccountDeps,
  input: { staff: Staff; learnerId: string; requestId: string; decision: 'apply' | 'decline'; note?: string | null },
): Promise<NameChangeOutcome> {
  const access = await learnerForStaff(deps.db, input.staff, input.learnerId);
  if (!access.ok) return access;
  return decideNameChange(deps, { ...input, among: access.among });
}
