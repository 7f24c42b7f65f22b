import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import pg from 'pg';
import { connect, ensureDatabase, migrationsFolder, runMigrations } from './database';

/** Several processes starting at once on one database (decision 026): the migrations apply once. */
describe('migrations under the startup lock', () => {
  it('three migrations started at once on an empty database all succeed, each migration applied once', async () => {
    const adminUrl = process.env.CURSUS_TEST_ADMIN_URL;
    assert.ok(adminUrl, 'run with npm test');
    const name = `cursus_migrate_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    // Three "processes": three pools of their own, one connection each, as the test command's migration.
    const databases = [1, 2, 3].map(() => connect(url.toString(), { max: 1 }));
    try {
      const results = await Promise.allSettled(databases.map((d) => runMigrations(d.db)));
      assert.deepEqual(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')), ['ok', 'ok', 'ok']);
      const { rows } = await databases[0].pool.query<{ hash: string; n: string }>('select hash, count(*) as n from drizzle.__drizzle_migrations group by hash');
      const code = readMigrationFiles({ migrationsFolder });
      assert.equal(rows.length, code.length, 'every migration is in the journal');
      assert.deepEqual(rows.filter((r) => Number(r.n) !== 1), [], 'none twice');
    } finally {
      for (const d of databases) await d.close();
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
