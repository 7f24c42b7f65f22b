/**
 * The test command: finds the test files, starts one PostgreSQL server for the run (embedded,
 * or the one at DATABASE_URL), migrates a template database once, then runs node:test. Each
 * test file makes its own database from the template (test/db.ts).
 *
 *   npm test                     everything: unit, service and browser journeys
 *   npm test -- --only unit      pure rules only (no database)
 *   npm test -- --only service   tests that need the database (CI runs these on PostgreSQL 15)
 *   npm test -- --only e2e       browser journeys
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect, ensureDatabase, runMigrations, startEmbeddedPostgres, type EmbeddedServer } from '../src/db/database';

type Kind = 'unit' | 'service' | 'e2e';
const root = resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: { only: { type: 'string', multiple: true } },
  allowPositionals: true,
});
const kinds = new Set<Kind>((values.only as Kind[] | undefined) ?? ['unit', 'service', 'e2e']);
for (const kind of kinds) if (!['unit', 'service', 'e2e'].includes(kind)) fail(`Unknown --only value "${kind}" (unit, service or e2e).`);

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : walk(path);
    return entry.name.endsWith('.test.ts') || entry.name.endsWith('.test.tsx') ? [path] : [];
  });
}

function kindOf(file: string): Kind {
  const rel = relative(root, file);
  if (rel.startsWith('e2e/')) return 'e2e';
  return /\.(rules|unit)\.test\.tsx?$/.test(rel) ? 'unit' : 'service';
}

let files = [...walk(join(root, 'src')), ...walk(join(root, 'test')), ...walk(join(root, 'e2e'))].filter((f) => kinds.has(kindOf(f)));
if (positionals.length) files = files.filter((f) => positionals.some((p) => f.includes(p)));
if (files.length === 0) fail('No test files found.');
const needsDatabase = files.some((f) => kindOf(f) !== 'unit');
const needsBrowser = files.some((f) => kindOf(f) === 'e2e');

/** Browser tests use Debian's chromium; install it when we can, else say what to run. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return path;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log('Chromium is missing: installing it with apt-get (Debian package "chromium")…');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const result = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status === 0 && existsSync(path)) return path;
  }
  fail(`Browser tests need Chromium at ${path}: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH), then run the tests again.`);
}

let interrupted: Promise<void> | undefined;

async function main() {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'test' };
  if (needsBrowser) env.CHROMIUM_PATH = ensureChromium();
  let embedded: EmbeddedServer | undefined;
  let adminUrl: string | undefined;
  const runId = randomBytes(4).toString('hex');
  const template = `cursus_template_${runId}`;
  const dataDir = join(root, '.test-data', runId);
  // Ctrl-C: stop the run's server and remove its data before exiting (nothing else then runs).
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => (interrupted ??= (embedded?.stop() ?? Promise.resolve()).finally(() => process.exit(130))));
  if (needsDatabase) {
    if (process.env.DATABASE_URL) {
      adminUrl = process.env.DATABASE_URL;
      console.log(`Tests use the PostgreSQL server at DATABASE_URL.`);
    } else {
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      embedded = await startEmbeddedPostgres({ dir: dataDir, port, persistent: false, throwaway: true });
      adminUrl = embedded.url('postgres');
    }
    await ensureDatabase(adminUrl, template);
    const url = new URL(adminUrl);
    url.pathname = `/${template}`;
    const database = connect(url.toString(), { max: 1 });
    await runMigrations(database.db);
    const version = await database.pool.query<{ server_version: string }>('show server_version');
    console.log(`PostgreSQL ${version.rows[0].server_version}, template database migrated.`);
    await database.close();
    env.CURSUS_TEST_ADMIN_URL = adminUrl;
    env.CURSUS_TEST_TEMPLATE = template;
    delete env.DATABASE_URL;
  }
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files.map((f) => relative(root, f))];
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    child.on('exit', (status, signal) => done(status ?? (signal ? 1 : 0)));
  });
  if (interrupted) return;
  if (adminUrl) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    const leftovers = await client.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $2`,
      [template, `cursus_test_${runId}_%`],
    );
    for (const row of leftovers.rows) await client.query(`drop database if exists "${row.datname}" with (force)`).catch(() => {});
    await client.end();
  }
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(code);
}

main().catch((error) => {
  if (interrupted) return;
  console.error(error);
  process.exit(1);
});
