import type { PersonalDataSet } from '../../platform/personal-data';

/**
 * The open-data snapshots' data (ACC-14): nothing about anyone. The files hold the catalogue's
 * offer (no trainer's name: decision 021); the rows say which file, of which day, how large.
 */
export const snapshotsDataSet: PersonalDataSet = {
  name: 'opendata.snapshots',
  tables: [{ table: 'open_data_snapshots', personal: {}, other: ['id', 'day', 'file', 'created_at', 'rows', 'size', 'sha256', 'gzip'] }],
  exportOf: async () => [],
  forget: async () => {},
};
