/**
 * The accounts module's facade: what other modules, the app and the tests may use. Anything not
 * exported here is the module's own business (its tables above all: other modules reach users,
 * sessions and learner records through these functions). The routes are registered by app.ts
 * from accounts.routes.tsx.
 */
import './accounts.messages'; // registers the module's messages
import './oidc.messages';

export { formatPhone, parisDay, parseDateInput } from './accounts.rules';
export { IdentityRows } from './views/account';
export { pruneExpiredSessions, resumeSession } from './sessions.service';
export { lockUser } from './locks';
export { hasLocalPassword, linkedProviders, reauthenticatedSince } from './identity.service';
export { ProviderButtons, type ProviderButton } from './views/oidc';
export { accountsPruneTasks, sessionLookup } from './accounts.platform';
export { addLearnerAccount, findUserByEmail, getUser, getUsers, type AccountDeps, type User } from './users.service';
export {
  createLearnerRecord,
  decideNameChange,
  getLearnerProfile,
  learnerFile,
  learnerNames,
  mayDecideNameChanges,
  nameChangeDeciders,
  pendingNameChanges,
  searchLearners,
  type LearnerFile,
  type LearnerProfile,
  type LearnerRecordInput,
  type LearnerRow,
  type LearnerSearch,
  type LearnerSet,
  type NameChangeOutcome,
} from './record.service';
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
