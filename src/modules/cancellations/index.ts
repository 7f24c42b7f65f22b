/**
 * The cancellations module's facade (SVC-2): the service cancels a session (too few learners) or
 * moves it to remote. Every learner concerned is told by email and SMS, paid fees of a cancelled
 * session are refunded, waiting lists close and applications close with their own status. Its
 * table (session_changes) is its own.
 */
import './cancellations.messages'; // registers the module's messages

export { cancellationRoutes } from './cancellations.routes';
export { cancellationsDataSet } from './cancellations.personal';
export { changeSession, mayChangeSessions, sessionCancelled, type ChangeInput } from './cancellations.service';
export { cancellationPath } from './views/cancellation';
