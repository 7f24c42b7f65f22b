/**
 * The exams module's facade (CRED-3, moving; decision 028): exam sessions of the units (two a
 * year, at centres), registrations, marks and results (a pass records the unit's credits
 * through certification), the learners' requests (another centre, accommodations) and the
 * staff's decisions, and the learner's centre of record with « Je déménage ». Above programmes.
 * Loading it sets the centre of record at a learner's first enrolment (applications'
 * `statusChanged`).
 */
import './exams.messages'; // registers the module's messages
import { statusChanged } from '../applications';
import { setCentreAtEnrolment } from './exams.service';

// Moving: the first enrolment sets the learner's centre of record (the session's school).
const atEnrolment = async (tx: Parameters<Parameters<typeof statusChanged.subscribe>[0]>[0], event: Parameters<Parameters<typeof statusChanged.subscribe>[0]>[1]) => {
  if (event.to === 'enrolled') await setCentreAtEnrolment(tx, { now: () => event.at }, { learnerId: event.learnerId, sessionId: event.sessionId });
};
statusChanged.subscribe(atEnrolment);

export { examsRoutes } from './exams.routes';
export { examsDataSet } from './exams.personal';
export { centresOfRecord, createExamSession, ensureRegistrations, learnerExams, markField, publishResults, recordMarks, registerForExam, registrationIdsOf, type ExamSession, type LearnerExam } from './exams.service';
export { askRequest } from './requests.service';
export { centreOfRecord, moveLearner, setCentreOfRecord } from './moving.service';
export { academicYearOf, parseMark, passes } from './exams.rules';
