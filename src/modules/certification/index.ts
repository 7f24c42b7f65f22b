/**
 * The certification module's facade (ATT-4, CERT-1 to CERT-6, ACC-10): end-of-course tests and
 * results, the attendance certificate and the certificate of skills, repeats, exemptions, marks,
 * the next level and the learner's history. Its tables are its own; others ask through these.
 */
import './certification.messages'; // registers the module's messages
import './history.messages';

export { historyRoutes } from './history.routes';
export { learnerHistory, type HistoryEntry } from './history.service';
