import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type Database } from '../src/db/database';
import '../src/messages';

/**
 * A fresh database for one test file, copied from the migrated template the test command made.
 * Dropped when closed.
 */
export async function createTestDatabase(): Promise<Database> {
  const adminUrl = process.env.CURSUS_TEST_ADMIN_URL;
  const template = process.env.CURSUS_TEST_TEMPLATE;
  if (!adminUrl || !template) throw new Error('Run the tests with "npm test": it starts the database they need.');
  const name = `${template.replace('cursus_template_', 'cursus_test_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template "${template}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // A loaded machine can take seconds to open a connection: a test waits for it rather than see a 503.
  const database = connect(url.toString(), { max: 40, waitMs: 30_000 });
  return {
    ...database,
    close: async () => {
      await database.close();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}
