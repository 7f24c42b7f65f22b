/**
 * The catalogue module's facade: what other modules may call. Its tables (domains, periods,
 * schools, courses, sessions, slots, holidays) are its own; others ask through these.
 */
import './catalogue.messages'; // registers the module's messages
import './credits.messages';
import './enrol.messages';

export { applyCatalogue, catalogueChanged, checkReferences, importCatalogue, rowSchemas, type CatalogueFile, type CatalogueRows } from './catalogue.import';
export { freePlaces, MAX_KEYWORDS_LENGTH, parseFilters, periodState, timeOfDay, type Meeting, type SearchFilters } from './catalogue.rules';
export { seedCatalogue } from './catalogue.seed';
export { catalogueDataSet } from './catalogue.personal';
export {
  catalogueCodes,
  catalogueIds,
  catalogueRows,
  catalogueVersion,
  checkSessionHours,
  courseTitles,
  familySessionIds,
  getCourseSheet,
  listDomains,
  listPeriods,
  listSchools,
  lockSession,
  shareSession,
  sharedSessionQuery,
  tryLockSession,
  markSessionCancelled,
  nextLevelSessionIds,
  placesHeld,
  placesHeldSql,
  unitEnrolments,
  type UnitEnrolment,
  publicCourses,
  searchSessionsAfter,
  sessionExists,
  sessionIdsEnded,
  sessionIdsOfCourse,
  sessionMeetings,
  sessionsForApplications,
  sessionsInScope,
  setSessionMode,
  type CatalogueRow,
  type Domain,
  type Period,
  type PublicCourse,
  type School,
  type Scope,
  type SearchKey,
  type SearchResult,
  type ScopedSession,
  type SessionForApplication,
} from './catalogue.service';
export { declareEquivalence, equivalentCourseIds, listEquivalences, removeEquivalence, type EquivalenceView } from './equivalences.service';
export { importHolidays } from './holidays.import';
export { catalogueList, catalogueRecord, saveCatalogueRecord } from './records.service';
export { CourseSheetPage } from './views/sheet';
export { figureSessions, type FigureSession } from './figures';
export { sessionWindows, windowOpenings } from './windows';
// CRED-1, CRED-2: teaching units and their credits.
export { checkUnitCredits, ectsCreditValues, HOURS_PER_CREDIT, nextSemester, semesterOf, semesters, type EctsCredits, type Semester } from './credits.rules';
export { courseCodesOf, creditsOfCodes, unitCount, unitSessionsFrom, unitsOf, type Unit, type UnitSession } from './units.service';
