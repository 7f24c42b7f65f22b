/**
 * The attendance module's facade (ATT-1, ATT-2, ATT-3, ATT-5, CAT-8): meetings, registers,
 * absences and their consequences, calendars. Its tables are its own; others ask through these.
 */
import './attendance.messages'; // registers the module's messages
import './registers.messages'; // registers the messages of meetings and registers
import './incidents.messages';
import './incidents.service'; // ATT-2, ATT-5: follows the streaks of every register saved (its subscription)
import './calendar.messages';
import './connections.messages';

export { absenceState, attendance, connectedMinutes, isHeld, meetsAttendance, minutesAttended, percentOf, streaks, type AbsenceState, type Attendance, type ConnectionFact, type MarkFact, type MeetingFact, type Streaks } from './attendance.rules';
export { attendanceOf, currentMarks, missingRegisters, type LearnerAttendance } from './attendance.service';
export { registerSaved } from './hooks';
export { attendanceJobs, incidentJobKinds, sendWarning } from './incidents.service';
export { incidentRoutes } from './incidents.routes';
export { ensureMeetings, meetingFact, meetingOf, meetingsOf, type MeetingRow } from './meetings.service';
export { registerRoutes } from './registers.routes';
export { saveRegister } from './registers.service';
export { meetingCancellers, mayCancelMeetings } from './registers.rules';
export { calendarRoutes } from './calendar.routes';
export { feedOf, learnerFeed, renewFeed, sessionCalendar } from './calendar.service';
export { attendanceDataSets } from './attendance.personal';
export { attendanceFigures, type AttendanceFigures } from './figures';

// CRED-5: the funder's attestation prints the enrolment's attendance so far (payments asks).
import { enrolmentAttendance } from '../payments';
import { getPolicies } from '../../platform/policies';
import { attendanceOf as attendanceOfEnrolments } from './attendance.service';
enrolmentAttendance.provide(async (db, now, application) => (await attendanceOfEnrolments(db, now, await getPolicies(db), [application])).get(application.id) ?? null);
// Issue 18, remote attendance: the learning platform's connection hours (decision 030).
export { importConnections, currentConnections, type ConnectionImportResult, type Importer } from './connections.service';
export { learnerConnections } from './connections.learner';
// The learner's account page links to « Mes heures de connexion » in the credits profile when they follow a remote unit (accounts asks).
import { accountLinks } from '../accounts';
import { followsRemoteUnit } from './connections.learner';
import { connectionPaths as paths } from './views/connections';
accountLinks.provide(async (db, { learnerId, profile }) => (profile === 'credits' && (await followsRemoteUnit(db, learnerId)) ? [{ href: paths.learner, label: 'att.conn.learner.link' }] : []));
export { connectionRoutes } from './connections.routes';
export { importConnectionsCommand } from './connections.cli';
export { connectionPaths } from './views/connections';
