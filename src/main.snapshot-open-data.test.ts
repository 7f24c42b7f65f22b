import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../test/db';
import { runCli } from '../test/cli';
import type { Database } from './db/database';
import { listSnapshots } from './modules/opendata';

describe('SVC-8 snapshot-open-data (the CLI on a database)', () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('SVC-8 writes today’s open-data files once; run again, it says so and changes nothing', async () => {
    const env = { DATABASE_URL: database.url, DEMO: '0' };
    const first = await runCli(['snapshot-open-data'], env);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /^Open-data snapshot of \d{4}-\d{2}-\d{2} written: sessions\.csv, formations\.csv\./);
    const written = await listSnapshots(database.db);
    assert.deepEqual(written.map((s) => s.file), ['sessions', 'formations']);
    const again = await runCli(['snapshot-open-data'], env);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /exists already: nothing changed/);
    assert.deepEqual(await listSnapshots(database.db), written);
  });
});
