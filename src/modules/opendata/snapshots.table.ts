import { sql } from 'drizzle-orm';
import { check, customType, date, integer, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { openDataFiles } from './csv.rules';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * SVC-8: the daily snapshots of the catalogue's open-data files (decision 021): one row per Paris
 * day and file, written once (the unique index: a second run the same day changes nothing), the
 * bytes gzipped (a month of a large catalogue stays small), the last 31 days kept. Nothing
 * personal: the catalogue's offer, no trainer's name.
 */
export const openDataSnapshots = pgTable(
  'open_data_snapshots',
  {
    id: serial('id').primaryKey(),
    /** The day on Paris's clocks the snapshot is of (its dated address). */
    day: date('day', { mode: 'string' }).notNull(),
    file: text('file', { enum: openDataFiles }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** Lines, header aside. */
    rows: integer('rows').notNull(),
    /** Bytes of the CSV as served (uncompressed). */
    size: integer('size').notNull(),
    /** SHA-256 of the CSV as served (its ETag). */
    sha256: text('sha256').notNull(),
    /** The CSV, gzipped. */
    gzip: bytea('gzip').notNull(),
  },
  (t) => [
    uniqueIndex('open_data_snapshots_day_file').on(t.day, t.file),
    check('open_data_snapshots_sha256', sql`${t.sha256} ~ '^[0-9a-f]{64}$'`),
    check('open_data_snapshots_size', sql`${t.size} > 0 and ${t.rows} >= 0`),
  ],
);
