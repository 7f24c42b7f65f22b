/**
 * The catalogue module's facade: what other modules may call. Its tables (domains, periods,
 * schools, courses, sessions, slots, holidays) are its own; others ask through these.
 */
import './catalogue.messages'; // registers the module's messages

export { applyCatalogue, checkReferences, importCatalogue, rowSchemas, type CatalogueFile, type CatalogueRows } from './catalogue.import';
export { freePlaces, periodState, type Meeting } from './catalogue.rules';
export { seedCatalogue } from './catalogue.seed';
export { catalogueDataSet } from './catalogue.personal';
export {
  catalogueCodes,
  catalogueIds,
  checkSessionHours,
  courseTitles,
  familySessionIds,
  getCourseSheet,
  listDomains,
  listPeriods,
  listSchools,
  lockSession,
  tryLockSession,
  markSessionCancelled,
  nextLevelSessionIds,
  placesHeld,
  sessionExists,
  sessionIdsEnded,
  sessionIdsOfCourse,
  sessionMeetings,
  sessionsForApplications,
  sessionsInScope,
  setSessionMode,
  type Domain,
  type Period,
  type Scope,
  type ScopedSession,
  type SessionForApplication,
} from './catalogue.service';
export { declareEquivalence, equivalentCourseIds, listEquivalences, removeEquivalence, type EquivalenceView } from './equivalences.service';
export { importHolidays } from './holidays.import';
export { catalogueList, catalogueRecord, saveCatalogueRecord } from './records.service';
export { CourseSheetPage } from './views/sheet';
export { figureSessions, type FigureSession } from './figures';
export { sessionWindows, windowOpenings } from './windows';
