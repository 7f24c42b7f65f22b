import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { buildLearner } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { testSets } from '../../../test/privacy';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { jobPending, workJobs } from '../../platform/jobs';
import type { PersonalDataSet } from '../../platform/personal-data';
import { setPolicy } from '../../platform/policies';
import { dataExportFile, EXPORT_JOB, latestExport, prepareDataExport, privacyJobs, pruneExpiredExports, requestDataExport, type ExportDeps } from './export.service';
import { privacyDataSet } from './privacy.set';
import { dataExports } from './privacy.table';

describe('download my data (ACC-11)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: ExportDeps;
  let learners: Awaited<ReturnType<typeof confirmedApplicants>>;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    await buildCatalogue(database.db, clock, [{ code: 'EXP-A', weekday: 1, startsAt: '18:00', endsAt: '20:00' }]);
    learners = await confirmedApplicants({ db: database.db, clock, baseUrl: 'http://localhost:3000' }, 'EXP-A', 2);
    deps = { db: database.db, clock, sets: testSets };
  });
  after(() => database.close());

  const countExports = async (userId: string) => (await database.db.select().from(dataExports).where(eq(dataExports.userId, userId))).length;

  it('ACC-11 the file holds every set’s part of the learner’s data (format, version, generation date, one section each) and nothing of another learner', async () => {
    const [mine, theirs] = learners;
    const state = await requestDataExport(deps, { userId: mine.learnerId });
    assert.equal(state.status, 'ready', 'a small file is ready at once');
    assert.ok(state.status === 'ready');
    const found = await dataExportFile(deps, { userId: mine.learnerId, exportId: state.id });
    assert.ok(found);
    const { file, text } = found;
    assert.equal(file.format, 'cursus-personal-data');
    assert.equal(file.formatVersion, 1);
    assert.equal(file.generatedAt, '2026-09-01T08:00:00.000Z');
    // Every set's sections, in `personalDataSets` order (the stand-ins last).
    const keys = file.sections.map((s) => `${s.set}:${s.key}`);
    const expected = ['privacy:dataExports', 'test.payments:payments', 'test.applications:applications', 'test.accounts:account', 'test.accounts:learnerRecord'];
    assert.deepEqual(keys.filter((k) => expected.includes(k)), expected);
    assert.equal(keys.at(-1), 'test.accounts:learnerRecord');
    const section = (key: string) => file.sections.find((s) => s.key === key && (s.set === 'privacy' || s.set.startsWith('test.')))!;
    assert.equal(section('account').rows[0].email, mine.email);
    assert.deepEqual(section('applications').rows, [{ id: mine.applicationId, status: 'confirmed', situation: 'employed' }]);
    assert.equal(section('learnerRecord').rows[0].firstName, 'Léa');
    assert.equal(section('dataExports').title, 'Téléchargements de vos données', 'titles in the learner’s language');
    // Nothing of the other learner, anywhere in the file.
    const other = await database.db.execute<{ last_name: string }>(sql`select last_name from learner_profiles where user_id = ${theirs.learnerId}`);
    for (const needle of [theirs.email, theirs.applicationId, theirs.learnerId, other.rows[0].last_name]) assert.ok(!text.includes(needle), `the file names ${needle}`);
    assert.equal(JSON.stringify(JSON.parse(text)), text, 'the file is plain JSON');
  });

  it('ACC-11 only its owner gets the file: another learner’s id, a made-up id or a malformed one get nothing', async () => {
    const [mine, theirs] = learners;
    const state = await latestExport(deps, mine.learnerId);
    assert.ok(state.status === 'ready');
    assert.equal(await dataExportFile(deps, { userId: theirs.learnerId, exportId: state.id }), null);
    assert.equal(await dataExportFile(deps, { userId: mine.learnerId, exportId: '00000000-0000-4000-8000-000000000000' }), null);
    assert.equal(await dataExportFile(deps, { userId: mine.learnerId, exportId: 'not-a-uuid' }), null);
    assert.deepEqual(await latestExport(deps, theirs.learnerId), { status: 'none' });
  });

  it('ACC-11 a large file is prepared in the background: “being prepared”, the privacy.export job, then the link; the job run twice changes nothing', async () => {
    const learner = await buildLearner(database.db, clock);
    const small = { ...deps, immediateLimit: { rows: 1, bytes: 100_000 } };
    const asked = await requestDataExport(small, { userId: learner.id });
    assert.equal(asked.status, 'preparing');
    assert.ok(asked.status === 'preparing');
    assert.ok(await jobPending(database.db, { kind: EXPORT_JOB, payload: { exportId: asked.id } }));
    assert.equal(await dataExportFile(deps, { userId: learner.id, exportId: asked.id }), null, 'nothing to download yet');
    // Asking again while it is prepared: the same download, no second job.
    const again = await requestDataExport(small, { userId: learner.id });
    assert.deepEqual(again, asked);
    assert.equal((await database.db.execute(sql`select 1 from jobs where kind = ${EXPORT_JOB} and payload->>'exportId' = ${asked.id}`)).rows.length, 1);

    clock.advance(60_000);
    while ((await workJobs({ db: database.db, clock, handlers: privacyJobs(deps) })) > 0);
    const ready = await latestExport(deps, learner.id);
    assert.ok(ready.status === 'ready');
    assert.equal(ready.id, asked.id);
    assert.equal(ready.readyAt.getTime(), clock.now().getTime());
    const found = await dataExportFile(deps, { userId: learner.id, exportId: asked.id });
    assert.equal(found?.file.sections.find((s) => s.key === 'account')?.rows[0].email, learner.email);

    const before = found?.text;
    clock.advance(60_000);
    await prepareDataExport(deps, asked.id);
    assert.equal((await dataExportFile(deps, { userId: learner.id, exportId: asked.id }))?.text, before);
  });

  it('ACC-11 the bytes limit also sends a file to the background, and a new request replaces the learner’s previous download', async () => {
    const learner = await buildLearner(database.db, clock);
    const first = await requestDataExport(deps, { userId: learner.id });
    assert.equal(first.status, 'ready');
    const second = await requestDataExport({ ...deps, immediateLimit: { rows: 1_000, bytes: 200 } }, { userId: learner.id });
    assert.equal(second.status, 'preparing');
    assert.equal(await countExports(learner.id), 1, 'the previous download is gone');
  });

  it('ACC-11 the file expires after dataExportHours: not served any more, then deleted by the prune task', async () => {
    await setPolicy(database.db, 'dataExportHours', 2);
    const learner = await buildLearner(database.db, clock);
    const state = await requestDataExport(deps, { userId: learner.id });
    assert.ok(state.status === 'ready');
    assert.equal(state.expiresAt.getTime(), clock.now().getTime() + 2 * 3_600_000);
    clock.advance(2 * 3_600_000 - 1_000);
    assert.ok(await dataExportFile(deps, { userId: learner.id, exportId: state.id }), 'still there a second before');
    await pruneExpiredExports({ db: database.db, clock });
    assert.equal(await countExports(learner.id), 1);
    clock.advance(1_000);
    assert.equal(await dataExportFile(deps, { userId: learner.id, exportId: state.id }), null);
    assert.deepEqual(await latestExport(deps, learner.id), { status: 'none' });
    await pruneExpiredExports({ db: database.db, clock });
    assert.equal(await countExports(learner.id), 0, 'deleted');
    await setPolicy(database.db, 'dataExportHours', 72);
  });

  it('ACC-11 a download whose job comes after the learner asked again (or after it expired) does nothing', async () => {
    const learner = await buildLearner(database.db, clock);
    const asked = await requestDataExport({ ...deps, immediateLimit: { rows: 0, bytes: 0 } }, { userId: learner.id });
    assert.ok(asked.status === 'preparing');
    await database.db.delete(dataExports).where(eq(dataExports.id, asked.id));
    await prepareDataExport(deps, asked.id);
    assert.equal(await countExports(learner.id), 0);
    await prepareDataExport(deps, 'not-a-uuid');
  });

  it('ACC-11 values the database holds in other types are written as JSON can say them (dates as ISO text, bytes as base64, big integers as text)', async () => {
    const learner = await buildLearner(database.db, clock);
    const odd: PersonalDataSet = {
      name: 'test.odd',
      tables: [],
      exportOf: async () => [{ key: 'odd', title: 'Odd', rows: [{ at: new Date('2026-01-02T03:04:05Z'), bytes: Buffer.from('hé'), big: 12345678901234567890n, nothing: null }] }],
      forget: async () => {},
    };
    const state = await requestDataExport({ ...deps, sets: [odd] }, { userId: learner.id });
    assert.ok(state.status === 'ready');
    const found = await dataExportFile(deps, { userId: learner.id, exportId: state.id });
    assert.deepEqual(found?.file.sections[0].rows, [{ at: '2026-01-02T03:04:05.000Z', bytes: Buffer.from('hé').toString('base64'), big: '12345678901234567890', nothing: null }]);
  });

  it('ACC-11 the privacy set exports the learner’s downloads (not their contents) and forgets them', async () => {
    const [mine] = learners;
    const [section] = await privacyDataSet.exportOf(database.db, mine.learnerId);
    assert.equal(section.key, 'dataExports');
    assert.ok(section.rows.length >= 1);
    assert.ok(section.rows.every((r) => !('content' in r)));
    await database.db.transaction((tx) => privacyDataSet.forget(tx, mine.learnerId, clock));
    assert.equal(await countExports(mine.learnerId), 0);
  });
});
