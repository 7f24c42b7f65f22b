import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { catalogueDataSet } from '../catalogue';
import { assignScope, scopesDataSet } from '.';
import { staffScopes } from './scopes.table';

describe('the scopes’ and the catalogue’s personal data (ACC-11, ACC-14)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  before(async () => {
    database = await createTestDatabase();
    await buildCatalogue(database.db, clock, [{ code: 'S1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
  });
  after(() => database.close());

  it('ACC-11 a staff member’s scope is in their export, not another’s, and goes with the closure (twice: nothing more)', async () => {
    const trainer = await buildStaff(database.db, clock, 'trainer');
    const other = await buildStaff(database.db, clock, 'trainer');
    await assignScope(database.db, { userId: trainer.userId, sessions: ['S1'] });
    await assignScope(database.db, { userId: other.userId, sessions: ['S1'] });
    const [section] = await scopesDataSet.exportOf(database.db, trainer.userId);
    assert.equal(section.rows.length, 1);
    for (let i = 0; i < 2; i++) await database.db.transaction((tx) => scopesDataSet.forget(tx, trainer.userId, clock));
    assert.deepEqual(await database.db.select().from(staffScopes).where(eq(staffScopes.userId, trainer.userId)), []);
    assert.equal((await database.db.select().from(staffScopes).where(eq(staffScopes.userId, other.userId))).length, 1);
    assert.deepEqual(await scopesDataSet.exportOf(database.db, trainer.userId), []);
  });

  it('ACC-14 the catalogue holds nothing about a learner: its one personal column is a trainer’s name', async () => {
    assert.deepEqual(await catalogueDataSet.exportOf(database.db, trainer()), []);
    const personal = catalogueDataSet.tables.flatMap((t) => Object.keys(t.personal).map((c) => `${t.table}.${c}`));
    assert.deepEqual(personal, ['course_sessions.trainer_name']);
  });
  const trainer = () => '00000000-0000-0000-0000-000000000000';
});
