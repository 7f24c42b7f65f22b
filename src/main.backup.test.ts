import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { runCli as cli } from '../test/cli';
import { connect, ensureDatabase, runMigrations, startEmbeddedPostgres, type Database, type EmbeddedServer } from './db/database';
import { demoStaff, seedEverything } from './demo/seed';
import { findUserByEmail } from './modules/accounts';
import { writeSnapshot } from './modules/opendata';
import { runDailyRetention } from './modules/privacy';
import { createEndpoint } from './modules/webhooks/admin.service';
import { systemClock } from './platform/clock';
import { freePort } from '../test/ports';

/**
 * Issue 19 point 5: `npm run cli -- backup FILE` and `restore [--force] FILE` as a person runs them
 * (a child process, DATA_DIR only), from an embedded database that the demo filled (and an open-data
 * snapshot: files are bytea), while that database's server is running, into an empty data folder.
 * The embedded server is used even when the run is on DATABASE_URL (CI's second pass): the commands
 * get none of the run's database variables.
 */
const root = resolve(import.meta.dirname, '..');
/** Each command starts (and stops) a PostgreSQL server: on a busy machine (CI runs two suites at once) a minute is short. */
const runCli = (args: string[], vars: Record<string, string>) => cli(args, vars, 180_000);
const folders: string[] = [];

function newFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // As root the server runs as the `postgres` OS user, which must be able to reach its folder.
  chmodSync(dir, 0o755);
  folders.push(dir);
  return dir;
}


interface Fingerprint {
  /** Per table: its rows and an md5 of all of them (as text, in a fixed order). */
  tables: Record<string, { rows: number; md5: string }>;
  sequences: Record<string, string | null>;
  migrations: string[];
}

/** Every table of the schema `public`, its rows counted and summed; the sequences; the migrations applied. */
async function fingerprint(url: string): Promise<Fingerprint> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const names = (await client.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)).rows.map((r) => r.name);
    const tables: Fingerprint['tables'] = {};
    for (const name of names) {
      // Every column, the generated ones too (courses.title_folded, computed again by the restoring server from what was restored).
      const { rows } = await client.query<{ rows: number; md5: string }>(`select count(*)::int as rows, coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '') as md5 from public."${name}" t`);
      tables[name] = rows[0];
    }
    const sequences = Object.fromEntries((await client.query<{ name: string; value: string | null }>(`select sequencename as name, last_value::text as value from pg_sequences where schemaname = 'public' order by 1`)).rows.map((s) => [s.name, s.value]));
    const migrations = (await client.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations order by id')).rows.map((m) => m.hash);
    return { tables, sequences, migrations };
  } finally {
    await client.end();
  }
}

/** The rows of `table` that differ between two databases (by their text), the first few of each side: what a failed comparison prints. */
async function rowDifferences(sourceUrl: string, restoredUrl: string, table: string): Promise<{ onlySource: string[]; onlyRestored: string[] }> {
  const rowsOf = async (url: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return new Set((await client.query<{ row: string }>(`select t::text as row from public."${table}" t`)).rows.map((r) => r.row));
    } finally {
      await client.end();
    }
  };
  const [a, b] = [await rowsOf(sourceUrl), await rowsOf(restoredUrl)];
  return { onlySource: [...a].filter((r) => !b.has(r)).slice(0, 5), onlyRestored: [...b].filter((r) => !a.has(r)).slice(0, 5) };
}

async function columnTypes(url: string): Promise<{ table: string; type: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ table: string; type: string }>(`select table_name as table, udt_name as type from information_schema.columns where table_schema = 'public'`)).rows;
  } finally {
    await client.end();
  }
}

/** The tables each module declares in its *.table.ts files, and the platform's. */
function tablesByOwner(): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  const read = (owner: string, file: string) => {
    const names = [...readFileSync(file, 'utf8').matchAll(/pgTable\(\s*'([^']+)'/g)].map((m) => m[1]);
    owners.set(owner, [...(owners.get(owner) ?? []), ...names]);
  };
  read('platform', join(root, 'src/platform/platform.table.ts'));
  for (const module of readdirSync(join(root, 'src/modules')))
    for (const file of readdirSync(join(root, 'src/modules', module))) if (file.endsWith('.table.ts')) read(module, join(root, 'src/modules', module, file));
  return owners;
}

describe('issue 19 backups of the embedded database (npm run cli -- backup / restore)', () => {
  let source: { dir: string; port: number; server: EmbeddedServer; database: Database };
  let before_: Fingerprint;
  const work = newFolder('cursus-backups-');
  const backup = join(work, 'cursus.backup');
  const empty = newFolder('cursus-restored-');
  let emptyPort: number;
  const env = (dataDir: string, port: number) => ({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(port), DEMO: '0' });

  before(async () => {
    const dir = newFolder('cursus-source-');
    const port = await freePort();
    emptyPort = await freePort();
    // Where a `npm start` on DATA_DIR keeps its database, with the demo in it (its own clock: today).
    const server = await startEmbeddedPostgres({ dir: join(dir, 'postgres'), port, throwaway: true });
    await ensureDatabase(server.url('postgres'), 'cursus');
    const database = connect(server.url('cursus'));
    await runMigrations(database.db);
    await seedEverything(database.db, systemClock, { baseUrl: 'http://localhost:3000', secret: 'b'.repeat(64), cashOffice: 'Régie CMA et AE' });
    // What the demo leaves empty: an open-data snapshot (its files are bytea), the day's retention run, a webhook endpoint.
    await writeSnapshot({ db: database.db, clock: systemClock, baseUrl: 'http://localhost:3000' });
    await runDailyRetention({ db: database.db, clock: systemClock, baseUrl: 'http://localhost:3000' });
    const admin = await findUserByEmail(database.db, demoStaff.find((s) => s.role === 'admin')!.email);
    const endpoint = await createEndpoint({ db: database.db, clock: systemClock }, { id: admin!.id, role: 'admin' }, { url: 'https://portail.example.fr/hooks/cursus', description: 'Portail', eventTypes: ['application.status_changed'], personalData: false });
    assert.ok(endpoint.ok, JSON.stringify(endpoint));
    source = { dir, port, server, database };
    before_ = await fingerprint(server.url('cursus'));
  });

  after(async () => {
    await source?.database.close();
    await source?.server.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while the database runs, restores into an empty DATA_DIR: every table, every row (counts and checksums), the sequences, the migrations', async (t) => {
    // Every module has rows to back up, and so has every kind of column (files are bytea, answers jsonb…).
    const withRows = new Set(Object.entries(before_.tables).filter(([, v]) => v.rows > 0).map(([name]) => name));
    const bare = [...tablesByOwner()].filter(([, tables]) => !tables.some((name) => withRows.has(name))).map(([owner]) => owner);
    t.diagnostic(`${withRows.size} of ${Object.keys(before_.tables).length} tables have rows; modules without any: ${bare.join(', ') || 'none'}`);
    for (const table of ['users', 'course_sessions', 'applications', 'outbox', 'jobs', 'open_data_snapshots', 'retention_runs', 'webhook_endpoints', 'webhook_secrets', 'audit_log']) assert.ok(withRows.has(table), `${table} has rows`);
    // The programmes are the credits profile's (its own demo); their columns' types are all in tables that have rows.
    assert.deepEqual(bare, ['programmes']);
    const types = await columnTypes(source.server.url('cursus'));
    const carried = new Set(types.filter((c) => withRows.has(c.table)).map((c) => c.type));
    // numeric is the selection's marks only (evaluations), which the demo leaves to the staff.
    assert.deepEqual([...new Set(types.map((c) => c.type))].filter((type) => !carried.has(type)), ['numeric'], 'every other type of column is in a table with rows');

    const made = await runCli(['backup', backup], env(source.dir, source.port));
    assert.equal(made.code, 0, made.stdout + made.stderr);
    const total = Object.values(before_.tables).reduce((a, b) => a + b.rows, 0);
    assert.match(made.stdout, new RegExp(`^Backup written to ${backup}: ${total} rows in ${Object.keys(before_.tables).length} tables\\.$`, 'm'));
    assert.ok(!existsSync(`${backup}.partial`));

    const restored = await runCli(['restore', backup], env(empty, emptyPort));
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(restored.stdout, new RegExp(`Restored ${backup} \\(made [^)]+\\) into ${empty}: ${total} rows in ${Object.keys(before_.tables).length} tables\\.`));

    const server = await startEmbeddedPostgres({ dir: join(empty, 'postgres'), port: emptyPort });
    try {
      const after_ = await fingerprint(server.url('cursus'));
      for (const [table, { md5 }] of Object.entries(after_.tables))
        if (md5 !== before_.tables[table]?.md5) t.diagnostic(`${table} differs: ${JSON.stringify(await rowDifferences(source.server.url('cursus'), server.url('cursus'), table))}`);
      assert.deepEqual(after_, before_);
    } finally {
      await server.stop();
    }
  });

  it('bad input: not a backup, a cut file, an existing target, a database with rows without --force: one clear line, exit code 2, nothing destroyed', async () => {
    assert.ok(existsSync(join(empty, 'postgres', 'PG_VERSION')), 'the previous test restored into it');
    const notBackup = join(work, 'notes.txt');
    writeFileSync(notBackup, 'not a backup\n');
    const lines = gunzipSync(readFileSync(backup)).toString('utf8').trimEnd().split('\n');
    const noEnd = join(work, 'no-end.backup');
    writeFileSync(noEnd, gzipSync(lines.slice(0, -1).join('\n') + '\n'));
    const bytes = readFileSync(backup);
    const cut = join(work, 'cut.backup');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const existing = join(work, 'existing.backup');
    writeFileSync(existing, 'keep me');

    // Refused before any database is opened: these may run side by side.
    const [overwrite, noFile, notOne] = await Promise.all([
      runCli(['backup', existing], env(source.dir, source.port)),
      runCli(['restore', join(work, 'missing.backup')], env(empty, emptyPort)),
      runCli(['restore', notBackup], env(empty, emptyPort)),
    ]);
    assert.deepEqual([overwrite.code, overwrite.stderr.trim()], [2, `${existing} exists already: give another file name (a backup never overwrites one).`]);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me');
    assert.deepEqual([noFile.code, noFile.stderr.trim()], [2, `No such file: ${join(work, 'missing.backup')}`]);
    assert.deepEqual([notOne.code, notOne.stderr.trim()], [2, `${notBackup} is not a Cursus backup (one made by "npm run cli -- backup FILE").`]);

    // The restored database has rows: refused without --force, naming what would be lost.
    const busy = await runCli(['restore', backup], env(empty, emptyPort));
    assert.equal(busy.code, 2, busy.stdout + busy.stderr);
    assert.match(busy.stderr.trim(), /^The database is not empty \(\d+ rows in \d+ tables: \w+ \d+, .*\): restore --force replaces all of it with the backup\.$/);
    // With --force, a damaged file is found out inside the restore's transaction: rolled back, whole.
    const lastLine = await runCli(['restore', '--force', noEnd], env(empty, emptyPort));
    assert.deepEqual([lastLine.code, lastLine.stderr.trim()], [2, `${noEnd} is cut short (its last line is missing): nothing was restored.`]);
    const truncated = await runCli(['restore', '--force', cut], env(empty, emptyPort));
    assert.deepEqual([truncated.code, truncated.stderr.trim()], [2, `${cut} is cut short or damaged (its compressed data ends early): nothing was restored.`]);

    const server = await startEmbeddedPostgres({ dir: join(empty, 'postgres'), port: emptyPort });
    try {
      assert.deepEqual(await fingerprint(server.url('cursus')), before_, 'the database is as the good restore left it');
    } finally {
      await server.stop();
    }
  });
});
