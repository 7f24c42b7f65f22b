import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { courseSessions } from '../catalogue/catalogue.table';
import { selectionDraws } from './selection.table';

/** One statement of a migration file: the one that sets `column` (drizzle's breakpoints split them). */
const statementOf = (file: string, marker: string) => {
  const found = readFileSync(new URL(`../../../drizzle/${file}`, import.meta.url), 'utf8')
    .split('--> statement-breakpoint')
    .find((s) => s.includes(marker));
  assert.ok(found, `${file}: ${marker}`);
  return found;
};

describe('SEL-2 migrations of the draws’ reveal (0023’s backfill, mended by 0025)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));

  before(async () => {
    database = await createTestDatabase();
    await buildCatalogue(database.db, clock, [
      { code: 'MX', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'MY', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    ]);
  });
  after(() => database.close());

  it('SEL-2 a draw is revealed by its own session’s decisions only, never by those of applications moved in after being decided elsewhere', async () => {
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    const [stayer, mover] = await confirmedApplicants(deps, 'MX', 2);
    const ids = Object.fromEntries((await database.db.select().from(courseSessions)).map((s) => [s.code, s.id]));
    const decidedAt = new Date('2026-11-10T09:00:00Z');
    const movedAt = new Date('2026-11-12T09:00:00Z');
    // As the data stood before 0023: both decided in MX, then one moved to MY's day (SEL-10); MY never decided.
    await database.db.execute(sql`insert into application_events (application_id, at, from_status, to_status) values
      (${stayer.applicationId}, ${decidedAt}, 'confirmed', 'accepted'), (${mover.applicationId}, ${decidedAt}, 'confirmed', 'accepted')`);
    await database.db.execute(sql`update applications set status = 'accepted' where id in (${stayer.applicationId}, ${mover.applicationId})`);
    await database.db.execute(sql`update applications set session_id = ${ids.MY} where id = ${mover.applicationId}`);
    await database.db.execute(sql`insert into application_events (application_id, at, from_status, to_status, reason) values (${mover.applicationId}, ${movedAt}, 'accepted', 'accepted', 'moved_day')`);
    const revealed = async (code: string) => (await database.db.select().from(selectionDraws).where(eq(selectionDraws.sessionId, ids[code])))[0].revealedAt?.toISOString() ?? null;

    await database.db.execute(sql.raw(statementOf('0023_selection_people_can_trust.sql', 'SET "revealed_at"')));
    assert.equal(await revealed('MY'), decidedAt.toISOString(), '0023 revealed MY’s seed from MX’s decision (the fault)');

    await database.db.execute(sql.raw(statementOf('0025_draws_revealed_by_own_decisions.sql', 'SET "revealed_at"')));
    assert.equal(await revealed('MY'), null, 'MY, never decided, keeps its seed secret');
    assert.equal(await revealed('MX'), decidedAt.toISOString(), 'MX stays revealed at its decision');
  });
});
