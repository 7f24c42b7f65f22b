/**
 * The test command: finds the test files, starts one PostgreSQL server for the run (embedded,
 * or the one at DATABASE_URL), migrates a template database once, then runs node:test. Each
 * test file makes its own database from the template (test/db.ts).
 *
 *   npm test                     everything: unit, service and browser journeys
 *   npm test -- --only unit      pure rules only (no database)
 *   npm test -- --only service   tests that need the database (CI runs these on PostgreSQL 15)
 *   npm test -- --only e2e       browser journeys
 *   npm test -- --isolate        one process per test file (by default files share processes)
 *   npm test -- --slowest        and, at the end, the test files that took longest
 *   npm test -- --tsx            the test files through the tsx loader, not bundled (slower)
 *   TEST_RUN_MINUTES=N           stop and fail a run still going after N minutes (30)
 *
 * Loading the app costs a process seconds of CPU, more than most test files take to run; so the
 * files are run in groups, each group one process that imports its files in turn (their tests run
 * one file after another, each file with its own database, as before). A file that would change
 * its neighbours (hooks at its top level, a hook subscribed or a port provided by the test) runs
 * alone. Each process runs one bundle of its files made by esbuild (scripts/test-bundle.ts), which
 * loads in half the time the tsx loader takes file by file; and the tests that run the command
 * line (test/cli.ts) run the production build of the same code, made once for the run
 * (scripts/build.ts), instead of loading it through tsx in each child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connect, ensureDatabase, runMigrations, startEmbeddedPostgres, type EmbeddedServer } from '../src/db/database';
import { buildProduction } from './build';
import { bundleTests } from './test-bundle';

type Kind = 'unit' | 'service' | 'e2e';
const root = resolve(import.meta.dirname, '..');
const { values, positionals } = parseArgs({
  options: { only: { type: 'string', multiple: true }, isolate: { type: 'boolean' }, slowest: { type: 'boolean' }, tsx: { type: 'boolean' } },
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
const needsNginx = files.some((f) => f.endsWith('deployment.test.ts'));

/** A Debian package the tests need (chromium, nginx): installed when we can, else say what to run. */
function ensurePackage(name: string, path: string, why: string): boolean {
  if (existsSync(path)) return true;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (canInstall) {
    console.log(`${why} need ${path}: installing it with apt-get (Debian package "${name}")…`);
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const result = spawnSync('apt-get', ['install', '-y', '-qq', name], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status === 0 && existsSync(path)) return true;
  }
  return false;
}

/** Browser tests use Debian's chromium. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path) || ensurePackage('chromium', path, 'Browser tests')) return path;
  fail(`Browser tests need Chromium at ${path}: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH), then run the tests again.`);
}

/** The deployment test runs Debian's nginx (deploy/local.sh); installing it does not start it as a service. */
function ensureNginx() {
  if (ensurePackage('nginx', '/usr/sbin/nginx', 'The deployment tests')) {
    // Debian's package starts its own nginx on port 80: the tests start theirs, nothing else is wanted.
    spawnSync('sh', ['-c', 'command -v systemctl >/dev/null && systemctl disable --now nginx 2>/dev/null; service nginx stop 2>/dev/null; true'], { stdio: 'ignore' });
    return;
  }
  fail('The deployment test needs Debian’s nginx: run "sudo apt-get install -y nginx", then run the tests again.');
}

/**
 * A file that would change its neighbours gets a process of its own: hooks at its top level
 * (they apply to every test of the process), or a module's hook subscribed or port provided
 * by the test itself (they stay for the rest of the process).
 */
const hasTopLevelHooks = (file: string) => /^(before|after|beforeEach|afterEach)\(|\.(subscribe|provide)\(/m.test(readFileSync(file, 'utf8'));

/**
 * Splits the files into groups of about `perGroup`, balanced by size (a browser journey weighs
 * more), each kind on its own, heaviest groups first so that the last ones to run are short.
 */
export function groupFiles(list: string[], perGroup = 6): string[][] {
  const alone = list.filter(hasTopLevelHooks).map((f) => [f]);
  const weight = (f: string) => statSync(f).size * (kindOf(f) === 'e2e' ? 4 : 1);
  const groups: { files: string[]; weight: number }[] = [];
  for (const kind of ['e2e', 'service', 'unit'] as const) {
    const mine = list.filter((f) => kindOf(f) === kind && !hasTopLevelHooks(f)).sort((a, b) => weight(b) - weight(a));
    if (mine.length === 0) continue;
    const bins = Array.from({ length: Math.ceil(mine.length / perGroup) }, () => ({ files: [] as string[], weight: 0 }));
    for (const file of mine) {
      const bin = bins.reduce((a, b) => (b.weight < a.weight ? b : a));
      bin.files.push(file);
      bin.weight += weight(file);
    }
    groups.push(...bins);
  }
  return [...alone, ...groups.sort((a, b) => b.weight - a.weight).map((g) => g.files)];
}

/** Writes one entry file per group (importing its files in order); returns the entries and what each holds. */
function writeGroups(dir: string, groups: string[][]): { entries: string[]; holds: Map<string, string[]> } {
  mkdirSync(dir, { recursive: true });
  const holds = new Map<string, string[]>();
  const entries = groups.map((group, i) => {
    if (group.length === 1) return relative(root, group[0]);
    const entry = join(dir, `group-${String(i + 1).padStart(2, '0')}.test.mjs`);
    writeFileSync(entry, group.map((f) => `import ${JSON.stringify(f)};`).join('\n') + '\n');
    holds.set(relative(root, entry), group.map((f) => relative(root, f)));
    return relative(root, entry);
  });
  return { entries, holds };
}

let interrupted: Promise<void> | undefined;

async function main() {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'test' };
  if (needsBrowser) env.CHROMIUM_PATH = ensureChromium();
  if (needsNginx) ensureNginx();
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
  const groupsDir = join(root, '.test-data', `${runId}-groups`);
  const grouped = values.isolate ? { entries: files.map((f) => relative(root, f)), holds: new Map<string, string[]>() } : writeGroups(groupsDir, groupFiles(files));
  let { entries } = grouped;
  const holds = new Map(grouped.holds);
  const began = Date.now();
  if (!values.tsx) {
    const bundles = await bundleTests(root, entries.map((e) => join(root, e)), join(groupsDir, 'bundles'));
    entries.forEach((entry, i) => holds.set(relative(root, bundles[i]), grouped.holds.get(entry) ?? [entry]));
    for (const entry of grouped.holds.keys()) holds.delete(entry);
    entries = bundles.map((b) => relative(root, b));
  }
  // The command line's tests run the production build (test/cli.ts).
  if (needsDatabase && !values.tsx) {
    const out = join(root, '.test-data', `${runId}-dist`);
    await buildProduction({ out });
    env.CURSUS_TEST_MAIN = join(out, 'main.js');
  }
  console.log(`Node ${process.version}: ${files.length} test files in ${entries.length} processes${values.tsx ? ' (through tsx)' : `, bundled in ${Date.now() - began} ms`}.`);
  const reporters = values.slowest
    ? ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${pathToFileURL(join(root, 'scripts/slowest-reporter.mjs')).href}`, '--test-reporter-destination=stdout']
    : ['--test-reporter=spec'];
  const args = [...(values.tsx ? ['--import', 'tsx'] : ['--enable-source-maps']), '--test', '--test-concurrency=2', ...reporters, ...entries];
  // Listed before the run, not after a failure: the end of the output is then the reporter's
  // failing tests with their messages, which is what a CI summary that keeps only the tail shows.
  if (holds.size > 0) {
    console.log('Which files each group runs (npm test -- --isolate <file> runs one alone):');
    for (const [entry, group] of holds) console.log(`  ${entry}: ${group.join(', ')}`);
  }
  const code = await new Promise<number>((done) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
    // A test file that leaves something open (a server, a pool) keeps its process, and so the run,
    // from ever ending: past TEST_RUN_MINUTES the run is stopped and fails, saying so, instead of
    // holding a CI machine until its own limit. The groups whose summary is missing above are the ones.
    const minutes = Number(process.env.TEST_RUN_MINUTES ?? 30);
    const watchdog = setTimeout(() => {
      console.error(`\nThe tests did not end within ${minutes} minutes (TEST_RUN_MINUTES): a test file left something open, or hangs. Stopped.`);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, minutes * 60_000);
    watchdog.unref();
    child.on('exit', (status, signal) => {
      clearTimeout(watchdog);
      done(status ?? (signal ? 1 : 0));
    });
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
  rmSync(groupsDir, { recursive: true, force: true });
  rmSync(join(root, '.test-data', `${runId}-dist`), { recursive: true, force: true });
  process.exit(code);
}

main().catch((error) => {
  if (interrupted) return;
  console.error(error);
  process.exit(1);
});
