import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildLearner } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { getPolicies } from '../../platform/policies';
import { identityDataSet } from './identity.personal';
import { identityLinks, oidcLogins } from './identity.table';

describe('the identity links’ personal data (ACC-11, ACC-13, ACC-14)', () => {
  let database: Database;
  let clock: FixedClock;
  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  });
  after(() => database.close());

  const link = async (userId: string, subject: string) => {
    await database.db.insert(identityLinks).values({ provider: 'franceconnect', subject, userId, prefill: { firstName: 'Camille' }, linkedAt: clock.now(), lastUsedAt: clock.now() });
    await database.db.insert(oidcLogins).values({
      id: `login-${subject}`,
      provider: 'franceconnect',
      browserHash: 'b',
      purpose: 'reauth',
      userId,
      createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 600_000),
    });
  };

  it('ACC-11 the download lists the learner’s provider links, not another learner’s, without the sign-ins in progress; the closure forgets them, twice harmlessly', async () => {
    const user = await buildLearner(database.db, clock);
    const other = await buildLearner(database.db, clock);
    await link(user.id, 'sub-mine');
    await link(other.id, 'sub-other');
    const [section] = await identityDataSet.exportOf(database.db, user.id);
    assert.equal(section.key, 'identityLinks');
    assert.deepEqual(
      section.rows.map((r) => r.subject),
      ['sub-mine'],
    );
    assert.ok(!JSON.stringify(section.rows).includes('login-'), 'no sign-in in progress');
    for (let i = 0; i < 2; i++) await database.db.transaction((tx) => identityDataSet.forget(tx, user.id, clock));
    assert.equal((await database.db.select().from(identityLinks).where(eq(identityLinks.userId, user.id))).length, 0);
    assert.equal((await database.db.select().from(oidcLogins).where(eq(oidcLogins.userId, user.id))).length, 0);
    assert.equal((await database.db.select().from(identityLinks).where(eq(identityLinks.userId, other.id))).length, 1, 'the other learner keeps theirs');
  });

  it('ACC-14 the sweep deletes the provider sign-ins that expired, in batches, and nothing else', async () => {
    const user = await buildLearner(database.db, clock);
    await link(user.id, 'sub-sweep');
    const policies = await getPolicies(database.db);
    assert.equal(await identityDataSet.retention!.sweep!(database.db, { at: clock.now(), policies, limit: 100 }), 0, 'not expired yet');
    const later = new Date(clock.now().getTime() + 3_600_000);
    const swept = await identityDataSet.retention!.sweep!(database.db, { at: later, policies, limit: 1 });
    assert.equal(swept, 1, 'one per batch');
    while ((await identityDataSet.retention!.sweep!(database.db, { at: later, policies, limit: 1 })) > 0);
    assert.equal((await database.db.select().from(oidcLogins)).length, 0);
    assert.equal((await database.db.select().from(identityLinks).where(eq(identityLinks.userId, user.id))).length, 1, 'links stay');
  });
});
