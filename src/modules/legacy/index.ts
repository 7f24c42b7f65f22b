/**
 * The legacy module's facade (ACC-9): the previous system's accounts and their history, imported
 * from CSV files, linked once to a new account. It sits below certification, which counts the
 * linked history in the learner's levels and shows it in the history (MODULE_ORDER).
 */
import './legacy.messages'; // registers the module's messages

export { importLegacyFiles, type LegacyFile, type LegacyImportReport, type ImportProblem } from './legacy.import';
export { legacyHistoryOf, legacyOutcomes, legacyPassedCourses, linkOf, type LegacyHistoryEntry } from './legacy.service';
export { legacyRoutes } from './legacy.routes';
export { legacyDataSet } from './legacy.personal';
