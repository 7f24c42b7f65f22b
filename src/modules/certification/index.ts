/**
 * The certification module's facade (ATT-4, CERT-1 to CERT-6, ACC-10): end-of-course tests and
 * results, the attendance certificate and the certificate of skills, repeats, exemptions, marks,
 * the next level and the learner's history. Its tables are its own; others ask through these.
 * Loading it answers selection's `previousLevels` and the applications' `courseStandings`.
 */
import './certification.messages'; // registers the module's messages
import './levels.messages';
import './levels.service';

export { levelsRoutes } from './levels.routes';
export { nextLevelPage, outcomesOf } from './levels.service';
