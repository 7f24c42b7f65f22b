/**
 * The accounts module's facade: what other modules, the app and the tests may use. Anything not
 * exported here is the module's own business (its tables above all: other modules reach users,
 * sessions and learner records through these functions). The routes are registered by app.ts
 * from accounts.routes.tsx.
 */
export { parisDay, parseDateInput } from './accounts.rules';
export { pruneExpiredSessions, resumeSession } from './sessions.service';
export { addLearnerAccount, findUserByEmail, getUser, getUsers, type AccountDeps, type User } from './users.service';
export { createLearnerRecord, getLearnerProfile, learnerNames, type LearnerProfile, type LearnerRecordInput } from './record.service';
export {
  addStaffAccount,
  createStaffAccount,
  getStaffAccount,
  listStaffAccounts,
  updateStaffAccount,
  type CreatedStaff,
  type NewStaffAccount,
  type StaffRole,
} from './staff-accounts.service';
