import { promisify } from 'node:util';
import { gunzip as gunzipCallback, gzip as gzipCallback } from 'node:zlib';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { parisDay, parisInstant } from '../../platform/clock';
import { enqueueJob, jobPending, type JobHandlers } from '../../platform/jobs';
import type { PruneTask } from '../../platform/worker';
import { daysToPrune, nextDay, openDataFiles, SNAPSHOT_DAYS_KEPT, type OpenDataFile } from './csv.rules';
import { catalogueRows } from '../catalogue';
import { csvOf, everything, type CsvDeps } from './csv.service';
import { openDataSnapshots } from './snapshots.table';

const gzip = promisify(gzipCallback);
const gunzip = promisify(gunzipCallback);

/** The job that writes the day's snapshot (then queues itself for the next day). */
export const SNAPSHOT_JOB = 'opendata.snapshot';

export type SnapshotInfo = Omit<typeof openDataSnapshots.$inferSelect, 'gzip' | 'id'>;

const info = {
  day: openDataSnapshots.day,
  file: openDataSnapshots.file,
  createdAt: openDataSnapshots.createdAt,
  rows: openDataSnapshots.rows,
  size: openDataSnapshots.size,
  sha256: openDataSnapshots.sha256,
};

/**
 * SVC-8: writes today's snapshot (the day on Paris's clocks) of each open-data file, the whole
 * catalogue as `catalogueCsv` writes it (comma, BOM), unless that day has it already: the first
 * snapshot of a day is that day's file, never rewritten (its dated address and ETag stay). Then
 * keeps the last `SNAPSHOT_DAYS_KEPT` days. Idempotent: run twice, killed halfway, by two
 * workers at once (the unique index lets one insert win).
 */
export async function writeSnapshot(deps: CsvDeps, options: { keep?: number } = {}): Promise<{ day: string; written: OpenDataFile[]; pruned: string[] }> {
  const { db, clock } = deps;
  const now = clock.now();
  const day = parisDay(now);
  const present = new Set((await db.select({ file: openDataSnapshots.file }).from(openDataSnapshots).where(eq(openDataSnapshots.day, day))).map((r) => r.file));
  const written: OpenDataFile[] = [];
  const missing = openDataFiles.filter((f) => !present.has(f));
  // One read of the catalogue for both files: they agree with each other.
  const sessions = missing.length ? await catalogueRows(db, clock, everything) : [];
  const rows = [];
  for (const file of missing) {
    const csv = await csvOf(deps.baseUrl, file, sessions);
    rows.push({ day, file, createdAt: now, rows: csv.rows, size: csv.body.length, sha256: csv.sha256, gzip: await gzip(csv.body) });
  }
  // The day's files in one statement, in one order: all of them or none (a second worker's waits, then finds them).
  if (rows.length) {
    const inserted = await db.insert(openDataSnapshots).values(rows).onConflictDoNothing().returning({ file: openDataSnapshots.file });
    written.push(...openDataFiles.filter((f) => inserted.some((r) => r.file === f)));
  }
  const pruned = daysToPrune((await db.selectDistinct({ day: openDataSnapshots.day }).from(openDataSnapshots)).map((r) => r.day), options.keep ?? SNAPSHOT_DAYS_KEPT);
  if (pruned.length) await db.delete(openDataSnapshots).where(inArray(openDataSnapshots.day, pruned));
  return { day, written, pruned };
}

/** The snapshots kept, the most recent day first (each day's files in `openDataFiles` order). */
export async function listSnapshots(db: DbOrTx): Promise<SnapshotInfo[]> {
  const rows = await db.select(info).from(openDataSnapshots).orderBy(desc(openDataSnapshots.day));
  return rows.sort((a, b) => b.day.localeCompare(a.day) || openDataFiles.indexOf(a.file) - openDataFiles.indexOf(b.file));
}

/**
 * One snapshot file: of that day, or the latest (no day). `gzip`: the stored bytes as they are
 * (for a client that takes gzip), else the CSV itself. Null when there is none.
 */
export async function readSnapshot(db: DbOrTx, input: { file: OpenDataFile; day?: string; gzip: boolean }): Promise<{ info: SnapshotInfo; body: Buffer } | null> {
  const [row] = await db
    .select({ ...info, gzip: openDataSnapshots.gzip })
    .from(openDataSnapshots)
    .where(and(eq(openDataSnapshots.file, input.file), input.day ? eq(openDataSnapshots.day, input.day) : undefined))
    .orderBy(desc(openDataSnapshots.day))
    .limit(1);
  if (!row) return null;
  const { gzip: stored, ...rest } = row;
  return { info: rest, body: input.gzip ? stored : await gunzip(stored) };
}

/** When the job runs next: five minutes into the next day on Paris's clocks. */
export const nextSnapshotAt = (now: Date): Date => parisInstant(nextDay(parisDay(now)), '00:05');

/** The job: today's snapshot, then the next run queued (unless one is waiting). */
async function snapshotJob(deps: CsvDeps) {
  await writeSnapshot(deps);
  if (!(await jobPending(deps.db, { kind: SNAPSHOT_JOB, payload: {}, notStarted: true }))) await enqueueJob(deps.db, { kind: SNAPSHOT_JOB, runAt: nextSnapshotAt(deps.clock.now()) });
}

export function snapshotJobs(deps: CsvDeps): JobHandlers {
  return { [SNAPSHOT_JOB]: () => snapshotJob(deps) };
}

/**
 * The worker's periodic check that the snapshot job is queued (a fresh database, a run that gave
 * up): queued now, so a new installation has its first files within the minute.
 */
export const snapshotTask: PruneTask = async ({ db, clock }) => {
  if (!(await jobPending(db, { kind: SNAPSHOT_JOB, payload: {} }))) await enqueueJob(db, { kind: SNAPSHOT_JOB, runAt: clock.now() });
};

