/**
 * SVC-8: the catalogue as open data, above every module whose data it publishes (it reads the
 * catalogue's facade only): the public JSON API under /api/v1 (`api.*`: its zod schemas, the
 * OpenAPI document generated from them, its reference page), and the CSV files with their daily
 * snapshots (`csv.*`, `snapshots.*`), which one table of the module keeps.
 */
import './opendata.messages'; // registers the module's messages
import './csv.messages';
import { declareDataSet } from '../privacy';
import { snapshotsDataSet } from './snapshots.personal';

declareDataSet(snapshotsDataSet);

export { apiRoutes, isApiRequest, sendApiProblem } from './api.routes';
export { openApiDocument } from './api.openapi';
export { openDataCsvRoutes } from './csv.routes';
export { catalogueCsv, everything, type CsvBody, type CsvDeps } from './csv.service';
export { listSnapshots, readSnapshot, snapshotJobs, snapshotTask, writeSnapshot, SNAPSHOT_JOB, type SnapshotInfo } from './snapshots.service';
