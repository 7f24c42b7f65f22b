import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { connect, ensureDatabase, runMigrations, startEmbeddedPostgres, StartupError, type Database, type EmbeddedServer } from './db/database';
import { developmentSecret } from './db/secret';
import { seedDemo, DEMO_LEARNER, DEMO_PASSWORD, demoStaff } from './db/seed';
import { createStaffAccount } from './modules/accounts/accounts.service';
import { staffRoles } from './modules/accounts/accounts.table';
import { offsetClock, systemClock, type Clock } from './platform/clock';
import { createMailTransport } from './platform/outbox';
import { closeHashPool, setHashConcurrency } from './platform/passwords';
import { startWorker } from './platform/worker';

/** Opens the configured database: DATABASE_URL, or the embedded server under DATA_DIR. */
async function openDatabase(config: Config): Promise<{ database: Database; embedded?: EmbeddedServer }> {
  if (config.databaseUrl) return { database: connect(config.databaseUrl) };
  const embedded = await startEmbeddedPostgres({ dir: resolve(config.dataDir, 'postgres'), port: config.embeddedPgPort });
  await ensureDatabase(embedded.url('postgres'), 'cursus');
  return { database: connect(embedded.url('cursus')), embedded };
}

function clockFor(config: Config): Clock {
  return config.demoNow && !config.production ? offsetClock(new Date(config.demoNow)) : systemClock;
}

async function start(config: Config) {
  const { database, embedded } = await openDatabase(config);
  const clock = clockFor(config);
  await runMigrations(database.db);
  if (!config.production && (await seedDemo(database.db, clock))) console.log('Demo accounts created (see README).');
  const secret = config.sessionSecret ?? developmentSecret(config.dataDir);
  if (config.hashConcurrency) setHashConcurrency(config.hashConcurrency);
  const app = await buildApp({ config, db: database.db, clock, secret });
  const transport = createMailTransport(config.smtpUrl);
  if (config.production && transport.name === 'mailbox') app.log.warn('SMTP_URL is not set: emails stay in the outbox.');
  const worker = startWorker({
    db: database.db,
    clock,
    transport,
    from: config.mailFrom,
    handlers: {},
    onError: (error) => app.log.error({ err: error }, 'background work failed'),
  });
  await app.listen({ host: config.host, port: config.port });
  console.log(`Cursus is running at ${config.baseUrl}`);
  if (!config.production) console.log(`Development mailbox: ${config.baseUrl}/dev/courriels`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping…');
    await app.close();
    await worker.stop();
    await closeHashPool();
    transport.close();
    await database.close();
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function withDatabase(config: Config, work: (database: Database) => Promise<void>) {
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

const usage = `Usage: npm run cli -- <command>
  start                      start the web server and the background worker
  migrate                    apply the database migrations
  seed                       create the demo accounts (not in production)
  create-staff --email E --role R --name "N" [--password P]
                             create a staff account (R: ${staffRoles.join(', ')}); prints its TOTP secret`;

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate':
      return withDatabase(config, async () => console.log('Migrations applied.'));
    case 'seed':
      if (config.production) throw new ConfigError('The demo seed is refused when NODE_ENV=production.');
      return withDatabase(config, async ({ db }) => {
        const created = await seedDemo(db, clockFor(config));
        console.log(created ? 'Demo accounts created.' : 'Demo accounts already exist.');
        console.log(`Learner: ${DEMO_LEARNER} / ${DEMO_PASSWORD}`);
        for (const s of demoStaff) console.log(`${s.role}: ${s.email} / ${DEMO_PASSWORD} (TOTP secret ${s.totpSecret})`);
      });
    case 'create-staff': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
      });
      const role = staffRoles.find((r) => r === values.role);
      if (!values.email || !role || !values.name) throw new ConfigError(`create-staff needs --email, --role and --name.\n${usage}`);
      return withDatabase(config, async ({ db }) => {
        const staff = await createStaffAccount({ db, clock: clockFor(config) }, {
          email: values.email!,
          role,
          displayName: values.name!,
          password: values.password,
        });
        console.log(`Staff account created: ${staff.email} (${role})`);
        if (!values.password) console.log(`Password: ${staff.password}`);
        console.log(`TOTP secret: ${staff.totpSecret}`);
        console.log(`Authenticator URI: ${staff.otpauthUri}`);
      });
    }
    default:
      console.log(usage);
      process.exitCode = command ? 1 : 0;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) console.error(error.message);
  else if ((error as { cause?: { code?: string } } | undefined)?.cause?.code === '23505') console.error('This email address already has an account.');
  else console.error(error ?? 'Cursus stopped on an unknown error.');
  process.exit(1);
});
