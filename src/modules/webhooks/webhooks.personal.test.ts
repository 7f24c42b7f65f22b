import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { webhookEndpoints, webhookMessages } from './webhooks.table';
import { webhooksDataSet } from './webhooks.personal';

describe('SVC-8 ACC-11 the webhooks’ messages about a learner (download, closure)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));

  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  it('SVC-8 ACC-11 a learner’s download lists the messages naming their applications (to which system, when); the closure deletes them and no other', async () => {
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'WHK1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    const [mine, theirs] = await confirmedApplicants(deps, 'WHK1', 2);
    const [endpoint] = await database.db
      .insert(webhookEndpoints)
      .values({ url: 'https://portail.paris.fr/in', eventTypes: ['application.status_changed'], createdAt: clock.now(), updatedAt: clock.now() })
      .returning();
    const message = (id: string, applicationId: string) => ({
      id,
      endpointId: endpoint.id,
      eventType: 'application.status_changed',
      payload: { type: 'application.status_changed', timestamp: clock.now().toISOString(), data: { application_id: applicationId, from: 'draft', to: 'submitted' } },
      createdAt: clock.now(),
    });
    await database.db.insert(webhookMessages).values([message('msg_mine', mine.applicationId), message('msg_theirs', theirs.applicationId)]);

    const sections = await webhooksDataSet.exportOf(database.db, mine.learnerId);
    assert.equal(sections.length, 1);
    assert.deepEqual(sections[0].rows.map((r) => [r.id, r.to]), [['msg_mine', 'https://portail.paris.fr/in']]);
    assert.deepEqual(await webhooksDataSet.exportOf(database.db, '00000000-0000-4000-8000-000000000000'), []);

    await database.db.transaction((tx) => webhooksDataSet.forget(tx, mine.learnerId, clock));
    await database.db.transaction((tx) => webhooksDataSet.forget(tx, mine.learnerId, clock));
    assert.deepEqual((await database.db.select({ id: webhookMessages.id }).from(webhookMessages).where(eq(webhookMessages.endpointId, endpoint.id))).map((m) => m.id), ['msg_theirs']);
  });
});
