import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { createTestDatabase } from '../test/db';
import type { Database } from './db/database';
import { findUserByEmail } from './modules/accounts';
import { addHelpDesk, desksOf } from './modules/desk';
import { FixedClock } from './platform/clock';
import { helpDesks } from './modules/desk/desk.table';
import { runCli } from '../test/cli';

const cli = runCli;

describe('SVC-5 create-staff --desk (the CLI on a database)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deskId: number;

  before(async () => {
    database = await createTestDatabase();
    deskId = (await addHelpDesk(database.db, clock, { code: 'accueil-cli', name: 'Accueil CLI', address: '1 rue Test', hours: '9 h – 12 h' })).id;
  });
  after(() => database.close());

  const env = () => ({ DATABASE_URL: database.url, DEMO: '0' });

  it('SVC-5 a counsellor created with --desk "name" works at that desk; by id too', async () => {
    const run = await cli(['create-staff', '--email', 'conseil-cli@example.org', '--role', 'counsellor', '--name', 'Conseil CLI', '--desk', 'accueil cli'], env());
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`Works at the help desk: Accueil CLI \\(id ${deskId}\\)`));
    const user = await findUserByEmail(database.db, 'conseil-cli@example.org');
    assert.ok(user);
    assert.deepEqual((await desksOf(database.db, user.id)).map((d) => d.id), [deskId]);

    const byId = await cli(['create-staff', '--email', 'conseil-cli-2@example.org', '--role', 'counsellor', '--name', 'Conseil CLI 2', '--desk', String(deskId)], env());
    assert.equal(byId.code, 0, byId.stdout + byId.stderr);
    const second = await findUserByEmail(database.db, 'conseil-cli-2@example.org');
    assert.deepEqual((await desksOf(database.db, second!.id)).map((d) => d.id), [deskId]);
  });

  it('SVC-5 an unknown or closed desk: refused in one line, and no account is made', async () => {
    const run = await cli(['create-staff', '--email', 'nulle-part@example.org', '--role', 'counsellor', '--name', 'Nulle part', '--desk', 'Nulle part'], env());
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /^No help desk has the id or name "Nulle part"/);
    assert.equal(await findUserByEmail(database.db, 'nulle-part@example.org'), null);

    await database.db.update(helpDesks).set({ closedAt: clock.now() }).where(eq(helpDesks.id, deskId));
    const closed = await cli(['create-staff', '--email', 'ferme@example.org', '--role', 'counsellor', '--name', 'Fermé', '--desk', String(deskId)], env());
    assert.equal(closed.code, 1, closed.stdout + closed.stderr);
    assert.match(closed.stderr, /is closed: open it again first/);
    assert.equal(await findUserByEmail(database.db, 'ferme@example.org'), null);
  });
});
