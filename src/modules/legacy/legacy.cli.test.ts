import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { FixedClock } from '../../platform/clock';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { runCli } from '../../../test/cli';

const root = resolve(import.meta.dirname, '../../..');

/** `npm run cli -- import-legacy …` on the test's database. */
const cli = (args: string[], databaseUrl: string) => runCli(['import-legacy', ...args], { DATABASE_URL: databaseUrl, DEMO: '0', LOG_LEVEL: 'silent' });

describe('npm run cli -- import-legacy (ACC-9)', () => {
  let database: Database;
  let dir: string;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  before(async () => {
    database = await createTestDatabase();
    // The documented example files' courses: the demo catalogue's codes.
    await buildCatalogue(database.db, clock, ['F00002', 'F00008', 'F00012', 'F00019'].map((course, i) => ({ code: `S-${course}`, course, weekday: i + 1, startsAt: '18:00', endsAt: '20:00' })));
    dir = mkdtempSync(join(tmpdir(), 'legacy-cli-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.close();
  });

  it('ACC-9 a bad file: exit code 1, the report on stderr as file:line: what is wrong, nothing imported', async () => {
    const bad = join(dir, 'accounts.csv');
    writeFileSync(bad, 'email,password_hash,last_name,first_name\nok@old.example,$2b$10$GMbOW68OXk9flZ1S0aUwpeMPftTLLqciETnNZgjEBXCfeh1V6cECG,Ok,Ok\nbad@old.example,plain-text,Bad,Bad\n');
    const run = await cli([bad], database.url);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stderr, 'The files were refused, nothing was imported:\n  accounts.csv:3: password_hash: not a password hash of a known scheme (bcrypt $2a$/$2b$/$2y$, or sha256$<salt hex>$<hash hex>)\n');
    assert.equal((await database.db.execute<{ n: number }>(sql`select count(*)::int as n from legacy_accounts`)).rows[0].n, 0);
    const missing = await cli([join(dir, 'nope.csv')], database.url);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /No such file: .*nope\.csv/);
  });

  it('ACC-9 the documented example files: imported (exit 0, the counts); the same files again refused (exit 1)', async () => {
    const files = ['docs/examples/legacy/accounts.csv', 'docs/examples/legacy/enrolments.csv'].map((f) => join(root, f));
    const run = await cli(files, database.url);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Imported: 3 former accounts, 5 past enrolments \(import \d+\)\.\n$/);
    const again = await cli(files, database.url);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /accounts\.csv, enrolments\.csv:0: these files were imported already/);
    assert.match(again.stderr, /accounts\.csv:2: email: an old account with this address was imported already/);
  });
});
