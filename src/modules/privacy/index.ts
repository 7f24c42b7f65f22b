/**
 * The privacy module's facade (ACC-11, ACC-14): the registry of personal data, the download of
 * one's data, the closure of an account, the retention job. It sits above the modules whose data
 * it gathers (MODULE_ORDER) and reads them only through their data sets (platform/personal-data).
 */
import './privacy.messages'; // registers the module's messages
import './export.messages';
import './closure.messages';
import './retention.messages';
import './register.messages';

export { declareDataSet, personalDataSets } from './owners';
export { registerLines, registryProblems, registryRows, type RegisterLine, type RegistryRow, type TableShape } from './registry';
export { runDailyRetention, runRetention, retentionTask, type RetentionDeps, type RetentionReport } from './retention.service';
export { registerRoles, retentionRoutes } from './retention.routes';
export { closeAccount, type ClosureDeps, type ClosureResult } from './closure.service';
export { privacyJobs, pruneExpiredExports } from './export.service';
export { closureRoutes } from './closure.routes';
export { exportRoutes } from './export.routes';
