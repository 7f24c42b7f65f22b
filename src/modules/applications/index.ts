/**
 * The applications module's facade: what other modules may call. Its tables (applications,
 * application_events) are its own; every change of an application goes through `transition`,
 * as the lifecycle's table says (docs/decisions/007).
 */
import './applications.messages'; // registers the module's messages
import './enrolment.messages';
import './proofs.messages';
import './attendance.messages';
import './cancellations.messages';
import './units.messages';
import { addDocumentSubjects } from '../documents';
import { applicationIdsOf } from './applications.personal';

export {
  applicantDetails,
  applicantsOf,
  applicationById,
  applicationExists,
  applicationIdsIn,
  applicationIdsOf,
  applicationsByIds,
  applicationsOf,
  applyDecisions,
  assistedAmong,
  assistedHoldingPlaces,
  cancelApplication,
  confirmApplication,
  courseStandings,
  deletePreselection,
  emailLearner,
  enrolInUnit,
  sessionsHeldBy,
  unitEnrolmentFacts,
  eventsOf,
  getApplication,
  hasUndecided,
  learnersWithApplicationIn,
  lastWaitingRank,
  waitingPositions,
  listApplications,
  moveApplication,
  moveCheck,
  paymentSummaries,
  preselectSession,
  saveAnswers,
  placeReleased,
  statusChanged,
  placesHeldByApplications,
  placesHeldByApplicationsSql,
  placesHeldIn,
  selectionViews,
  statusCountsBySession,
  transition,
  waitingForCourse,
  waitingForEquivalents,
  type Application,
  type ApplicationDeps,
  type ApplicationView,
  type CourseStanding,
  type Decision,
  type EmailExtra,
  type LearnerEmail,
  type PaymentSummary,
  type SelectionView,
} from './applications.service';
export {
  actions,
  availableActions,
  inGroup,
  refusal,
  roleMay,
  rolesFor,
  statusGroups,
  statusIn,
  systemActor,
  transitions,
  windowOpen,
  type Action,
  type Actor,
  type ApplicationStatus,
  type AssistingActor,
  type Facts,
} from './lifecycle';
export { proofOf, rateOf, type ProofView } from './proofs.service';
export { lastApplicationActivity } from './activity.service';
export { eventReasons, reasonKey, type EventReason } from './reasons';
export { rateFor } from './proofs.rules';
export { ProofSheetSection } from './views/proofs';
export { applicationsDataSet } from './applications.personal';
export { applicationFigures, type ApplicationFigures } from './figures';

// The documents issued about an application are its learner's (ACC-11's download and closure).
addDocumentSubjects(applicationIdsOf);
