/**
 * The open-data module's facade (SVC-8): the catalogue as open data, above every module whose
 * data it publishes (it reads the catalogue's facade only).
 */
import './opendata.messages'; // registers the module's messages
import './csv.messages';
import { declareDataSet } from '../privacy';
import { snapshotsDataSet } from './snapshots.personal';

declareDataSet(snapshotsDataSet);

export { openDataCsvRoutes } from './csv.routes';
export { catalogueCsv, everything, type CsvBody, type CsvDeps } from './csv.service';
export { listSnapshots, readSnapshot, snapshotJobs, snapshotTask, writeSnapshot, SNAPSHOT_JOB, type SnapshotInfo } from './snapshots.service';
