/**
 * The certification module's facade (ATT-4, CERT-1 to CERT-6, ACC-10): end-of-course tests and
 * results, the attendance certificate and the certificate of skills, repeats, exemptions, marks,
 * the next level and the learner's history. Its tables are its own; others ask through these.
 * Loading it answers selection's `previousLevels` and the applications' `courseStandings`.
 */
import './certification.messages'; // registers the module's messages
import './history.messages';

export { historyRoutes } from './history.routes';
export { learnerHistory, type HistoryEntry } from './history.service';
import './outcomes.messages';
import { registerSaved } from '../attendance';
import { cardStamps } from '../payments';
import { registerChanged, stampsOf } from './certification.service';

// PAY-4: the enrollee card prints the stamps of the certificates issued.
cardStamps.provide(stampsOf);
// ATT-4: a register corrected after the end of the course: its outcomes are computed again.
registerSaved.subscribe(registerChanged);

export {
  certificationJobKinds,
  certificationJobs,
  certificationSweep,
  computeOutcomes,
  enterResults,
  issueCertificate,
  issueDueCertificates,
  outcomesOf,
  resultFields,
  resultsOf,
  stampsOf,
  sweepEndOfCourse,
  type CourseOutcome,
  type EvaluationResult,
  type OutcomeView,
} from './certification.service';
export { certificationRoutes } from './certification.routes';
import './levels.messages';
import './levels.service';

export { levelsRoutes } from './levels.routes';
export { learnerOutcomes, nextLevelPage } from './levels.service';
export { certificationDataSets } from './certification.personal';
export { certificateFigures, type CertificateFigures } from './figures';
// CRED-1: the units a learner earned, kept for life.
export { earnedUnitsOf, recordEarnedUnit, type EarnedUnit } from './credits.service';
import './credits.messages';
// CRED-3: the exams module records and takes back the units its exams validate (decision 028).
export { recordExamUnit, withdrawExamUnit } from './exam-credits';
// CRED-4: the academic record's documents (attestations of success, transcripts; the PDF model the diplomas share).
export { academicRecordOf, transcript, unitAttestation, type RecordDeps, type RecordLine, type RecordPdf } from './records.service';
export { academicRecordPdf, type AcademicRecordInput } from './records.pdf';
import { addDocumentSubjects } from '../documents';
import { recordSubjectsOf } from './records.service';
addDocumentSubjects(recordSubjectsOf);
