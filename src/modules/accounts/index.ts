/**
 * The accounts module's facade: what other modules, the app and the tests may use. Anything not
 * exported here is the module's own business (its tables above all: other modules reach users,
 * sessions and learner records through these functions). The routes are registered by app.ts
 * from accounts.routes.tsx.
 */
import './accounts.messages'; // registers the module's messages
import './consents.messages';
import './oidc.messages';
import './takeover.messages';
import './notify.messages';

export { formatPhone, parisDay, parseDateInput } from './accounts.rules';
export { IdentityRows } from './views/account';
export { endAllSessions, pruneExpiredSessions, resumeSession } from './sessions.service';
// ACC-11: the closure asks for the password again (counted as a login attempt, ACC-1).
export { checkPassword } from './credentials.service';
export { lockUser, tryLockUser, type LockedUser } from './locks';
export { formerAddressesOf, learnersSignedInBefore, lastSignInOf } from './activity.service';
export { accountsDataSets, untilInactive } from './accounts.personal';
export { identityDataSet } from './identity.personal';
export { accountsPruneTasks, sessionLookup, termsGate } from './accounts.platform';
export { consentsDataSet, signInsDataSet } from './consents.personal';
export { giveConsent } from './consents.service';
export { channelsFor, fitSms, mobileE164, smsDetails, smsTextOf, type Reach } from './notify.rules';
export { tellLearner, type EmailAttachment, type LearnerMessage, type Told } from './notify.service';
export { notifySettings, setNotifyChoice, type NotifySettings } from './notify.service';
export { recordSignIn, type SignInHow } from './sign-ins.service';
export { hasLocalPassword, linkedProviders, providerLabel, reauthenticatedSince } from './identity.service';
export { ProviderButtons, type ProviderButton } from './views/oidc';
export { accountLinks, type AccountLink } from './ports';
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
  // Moving (issue 18): the exams module changes the address with the centre of record, in one transaction.
  updateContactDetails,
  type ContactDetails,
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
// SVC-5: accounts made at a help desk, their takeover (SMS code or activation email), mobile-only identifiers (decision 015).
export {
  accountTakenOver,
  awaitingTakeover,
  createAssistedAccount,
  sendTakeoverCode,
  sendTakeoverEmail,
  takeoverStatus,
  type AssistedAccountInput,
  type AssistedAccountOutcome,
} from './assisted.service';
export { isMobileOnlyAddress, mobileOfAddress, mobileOnlyAddress, TAKEOVER_CODE_MINUTES } from './takeover.rules';
export { takeoverDataSet } from './takeover.personal';
export { contactSchema, learnerRecordSchema } from './accounts.schema';
export { ContactFields, contactLabels, LearnerRecordFields, recordLabels } from './views/account';
