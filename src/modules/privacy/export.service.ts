import { and, desc, eq, gt } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import { isMessageKey, translator } from '../../platform/i18n';
import { isUuid } from '../../platform/input';
import { enqueueJob, type JobHandlers } from '../../platform/jobs';
import type { PersonalDataSet } from '../../platform/personal-data';
import { getPolicies } from '../../platform/policies';
import { getUser, lockUser } from '../accounts';
import { personalDataSets } from './owners';
import { deleteExpiredExports } from './privacy.set';
import { dataExports } from './privacy.table';

/**
 * ACC-11: "download my data". Everything Cursus holds about a learner is what every data set
 * (`personalDataSets`) exports, gathered into one JSON file; the readable page is drawn from the
 * same file, so the two never disagree.
 *
 * Small files are made while the learner waits; a large one by the `privacy.export` job. The
 * threshold is `IMMEDIATE_LIMIT`: the request gathers the sets one after the other and stops as
 * soon as they have given more than 1 000 rows in all, or the file would be over 512 KiB; then
 * the worker makes the whole file. So a request never reads much more than one set beyond the
 * limit, and a typical learner (a few applications, their events and payments: tens of rows)
 * gets the links at once.
 */
export const EXPORT_FORMAT = 'cursus-personal-data';
export const EXPORT_FORMAT_VERSION = 1;
export const IMMEDIATE_LIMIT = { rows: 1_000, bytes: 512 * 1024 } as const;
export const EXPORT_JOB = 'privacy.export';

export interface ExportDeps {
  db: Db;
  clock: Clock;
  /** The data sets gathered: every module's (`personalDataSets`) unless a test gives its own. */
  sets?: readonly PersonalDataSet[];
  /** What the request may make at once (`IMMEDIATE_LIMIT`); a test lowers it to see the background path. */
  immediateLimit?: { rows: number; bytes: number };
}

/** The JSON file (format version 1). */
export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  formatVersion: typeof EXPORT_FORMAT_VERSION;
  generatedAt: string;
  /** The language of the titles. */
  locale: string;
  sections: { key: string; set: string; title: string; rows: Record<string, unknown>[] }[];
}

export type ExportState =
  | { status: 'none' }
  | { status: 'preparing'; id: string; requestedAt: Date }
  | { status: 'ready'; id: string; requestedAt: Date; readyAt: Date; expiresAt: Date; bytes: number };

/** Dates as ISO text, bytes as base64, big integers as text: the JSON says what the database holds. */
function serialise(file: ExportFile): string {
  return JSON.stringify(file, function (key, value) {
    const original = (this as Record<string, unknown>)[key];
    if (original instanceof Uint8Array) return Buffer.from(original).toString('base64');
    if (typeof value === 'bigint') return value.toString();
    return value;
  });
}

/**
 * Reads every set's part of the learner's data, in `personalDataSets` order. With a limit, stops
 * (`complete: false`) as soon as the rows or the size go over it.
 */
async function gather(
  db: DbOrTx,
  input: { userId: string; sets: readonly PersonalDataSet[]; now: Date; locale: 'fr' | 'en'; limit?: { rows: number; bytes: number } },
): Promise<{ complete: true; text: string } | { complete: false }> {
  const t = translator(input.locale);
  const file: ExportFile = { format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION, generatedAt: input.now.toISOString(), locale: input.locale, sections: [] };
  let rows = 0;
  for (const set of input.sets) {
    for (const section of await set.exportOf(db, input.userId)) {
      rows += section.rows.length;
      file.sections.push({ key: section.key, set: set.name, title: isMessageKey(section.title) ? t(section.title) : section.title, rows: [...section.rows] });
    }
    if (input.limit && rows > input.limit.rows) return { complete: false };
  }
  const text = serialise(file);
  if (input.limit && Buffer.byteLength(text) > input.limit.bytes) return { complete: false };
  return { complete: true, text };
}

const hours = (n: number) => n * 3_600_000;

/**
 * ACC-11: the learner asks for their data. Replaces any earlier download of theirs; a download
 * still being prepared is kept (asking again does not queue a second job). Small: ready now;
 * large: `preparing`, and the `privacy.export` job makes it (queued in the same transaction).
 */
export async function requestDataExport(deps: ExportDeps, input: { userId: string }): Promise<ExportState> {
  const { db, clock } = deps;
  const sets = deps.sets ?? personalDataSets;
  const policies = await getPolicies(db);
  const preparing = await latestExport(deps, input.userId);
  if (preparing.status === 'preparing') return preparing;
  const user = await getUser(db, input.userId);
  if (!user) return { status: 'none' };
  const requestedAt = clock.now();
  const made = await gather(db, { userId: input.userId, sets, now: requestedAt, locale: user.locale, limit: deps.immediateLimit ?? IMMEDIATE_LIMIT });
  await db.transaction(async (tx) => {
    // One request at a time per learner: two tabs make one download, not two.
    await lockUser(tx, input.userId);
    await tx.delete(dataExports).where(eq(dataExports.userId, input.userId));
    const ready = made.complete
      ? { status: 'ready' as const, readyAt: requestedAt, content: made.text, bytes: Buffer.byteLength(made.text) }
      : { status: 'preparing' as const };
    const [row] = await tx
      .insert(dataExports)
      .values({ userId: input.userId, requestedAt, expiresAt: new Date(requestedAt.getTime() + hours(policies.dataExportHours)), ...ready })
      .returning({ id: dataExports.id });
    if (!made.complete) await enqueueJob(tx, { kind: EXPORT_JOB, payload: { exportId: row.id }, runAt: requestedAt });
    await audit(tx, clock, { action: 'data_export.requested', actorId: input.userId, subjectId: input.userId, data: { immediate: made.complete } });
  });
  return latestExport(deps, input.userId);
}

/**
 * The `privacy.export` job: makes the whole file of a download still being prepared. Run twice,
 * or after the learner asked for another or it expired, it does nothing.
 */
export async function prepareDataExport(deps: ExportDeps, exportId: string): Promise<void> {
  const { db, clock } = deps;
  if (!isUuid(exportId)) return;
  const [row] = await db.select().from(dataExports).where(and(eq(dataExports.id, exportId), eq(dataExports.status, 'preparing')));
  if (!row) return;
  const user = await getUser(db, row.userId);
  if (!user) return;
  const policies = await getPolicies(db);
  const now = clock.now();
  const made = await gather(db, { userId: row.userId, sets: deps.sets ?? personalDataSets, now, locale: user.locale });
  if (!made.complete) return; // without a limit it always is
  await db
    .update(dataExports)
    .set({ status: 'ready', content: made.text, bytes: Buffer.byteLength(made.text), readyAt: now, expiresAt: new Date(now.getTime() + hours(policies.dataExportHours)) })
    .where(and(eq(dataExports.id, exportId), eq(dataExports.status, 'preparing')));
}

/** The learner's current download, if any that has not expired (theirs only: the user id is part of the query). */
export async function latestExport(deps: Pick<ExportDeps, 'db' | 'clock'>, userId: string): Promise<ExportState> {
  const [row] = await deps.db
    .select({ id: dataExports.id, status: dataExports.status, requestedAt: dataExports.requestedAt, readyAt: dataExports.readyAt, expiresAt: dataExports.expiresAt, bytes: dataExports.bytes })
    .from(dataExports)
    .where(and(eq(dataExports.userId, userId), gt(dataExports.expiresAt, deps.clock.now())))
    .orderBy(desc(dataExports.requestedAt))
    .limit(1);
  if (!row) return { status: 'none' };
  if (row.status === 'preparing') return { status: 'preparing', id: row.id, requestedAt: row.requestedAt };
  return { status: 'ready', id: row.id, requestedAt: row.requestedAt, readyAt: row.readyAt!, expiresAt: row.expiresAt, bytes: row.bytes! };
}

/**
 * A ready download, for its owner only (the id and the owner are both in the query), while it has
 * not expired; null otherwise (the route answers 404, whoever asks).
 */
export async function dataExportFile(deps: Pick<ExportDeps, 'db' | 'clock'>, input: { userId: string; exportId: string }): Promise<{ text: string; file: ExportFile } | null> {
  if (!isUuid(input.exportId)) return null;
  const [row] = await deps.db
    .select({ content: dataExports.content })
    .from(dataExports)
    .where(and(eq(dataExports.id, input.exportId), eq(dataExports.userId, input.userId), eq(dataExports.status, 'ready'), gt(dataExports.expiresAt, deps.clock.now())));
  if (!row?.content) return null;
  return { text: row.content, file: JSON.parse(row.content) as ExportFile };
}

/** The job handler of the worker (src/background.ts). */
export function privacyJobs(deps: ExportDeps): JobHandlers {
  return {
    [EXPORT_JOB]: async (payload) => prepareDataExport(deps, String(payload.exportId ?? '')),
  };
}

/** The prune task: expired downloads go, whatever the retention job does. */
export const pruneExpiredExports = async ({ db, clock }: { db: Db; clock: Clock }): Promise<void> => {
  while ((await deleteExpiredExports(db, { at: clock.now(), limit: 500 })) === 500);
};

