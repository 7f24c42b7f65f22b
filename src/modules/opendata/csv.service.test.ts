import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/db';
import { buildCatalogue } from '../../../test/catalogue';
import { acceptedApplicants } from '../../../test/payments';
import type { Database } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { jobs } from '../../platform/platform.table';
import { workJobs } from '../../platform/jobs';
import { getCourseSheet, searchSessions } from '../catalogue/catalogue.service';
import { courses, courseSessions } from '../catalogue/catalogue.table';
import { parseFilters } from '../catalogue/catalogue.rules';
import { catalogueCsv, everything } from './csv.service';
import { SNAPSHOT_DAYS_KEPT } from './csv.rules';
import { listSnapshots, readSnapshot, snapshotJobs, snapshotTask, SNAPSHOT_JOB, writeSnapshot } from './snapshots.service';
import { openDataSnapshots } from './snapshots.table';
import '.';

const baseUrl = 'http://localhost:3000';
const BOM = '\ufeff';
const lines = (body: Buffer, delimiter = ',') => parse(body.toString('utf8').replace(/^\ufeff/, ''), { columns: true, delimiter }) as Record<string, string>[];

describe('SVC-8 the catalogue as open data: CSV files and their daily snapshots', () => {
  let database: Database;
  let clock: FixedClock;
  const deps = () => ({ db: database.db, clock, baseUrl });

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    await buildCatalogue(database.db, clock, [
      { code: 'OD-A', course: 'C-OD', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'OD-B', course: 'C-OD', weekday: 4, startsAt: '09:00', endsAt: '11:00' },
      { code: 'OD-C', weekday: 3, startsAt: '14:00', endsAt: '16:00' },
      { code: 'OD-D', weekday: 5, startsAt: '18:00', endsAt: '20:00', period: 'closed' },
    ]);
    // Places held in two sessions: learners accepted (the open period then closes, as a decision needs).
    await acceptedApplicants(deps(), { 'OD-A': 3, 'OD-C': 1 });
  });
  after(() => database.close());

  it('SVC-8 the sessions file has the rows and free places the catalogue search and the course sheets show, for the same sessions', async () => {
    const csv = await catalogueCsv(deps(), 'sessions', everything);
    const rows = lines(csv.body);
    const search = await searchSessions(database.db, clock, parseFilters({}));
    assert.equal(csv.rows, search.total);
    assert.deepEqual(
      rows.map((r) => [r.code_session, Number(r.places_libres), Number(r.capacite)]),
      search.results.map((r) => [r.sessionCode, r.freePlaces, r.capacity]),
      'the same sessions in the same order, with the same free places',
    );
    assert.equal(rows.find((r) => r.code_session === 'OD-A')!.places_libres, '17', 'three places held of 20');
    const sheet = await getCourseSheet(database.db, clock, 'C-OD');
    for (const session of sheet!.sessions) {
      const row = rows.find((r) => r.code_session === session.code)!;
      assert.equal(Number(row.places_libres), session.freePlaces, `${session.code}: the sheet's free places`);
      assert.equal(row.dates_seances, session.meetings.map((m) => m.date).join(' '), `${session.code}: the sheet's meetings`);
      assert.equal(Number(row.nombre_seances), session.meetings.length);
    }
    const a = rows.find((r) => r.code_session === 'OD-A')!;
    assert.equal(a.jours, '1');
    assert.equal(a.creneaux, 'lundi 18:30-20:30');
    assert.equal(a.moments, 'evening');
    assert.equal(a.tarif_plein, '150.00');
    assert.equal(a.tarif_reduit, '75.00');
    assert.equal(a.code_etablissement, 'E-11-T');
    assert.equal(a.arrondissement, '11');
    assert.equal(a.mode, 'in_person');
    assert.equal(a.rythme, 'annual');
    assert.equal(a.url_fiche, `${baseUrl}/formations/C-OD`);
    assert.match(a.candidatures_ouverture, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(rows.find((r) => r.code_session === 'OD-D')!.statut, 'closed');
  });

  it('SVC-8 the files follow the catalogue’s filters (period, school, domain, only open): the search’s rows', async () => {
    for (const query of [{ periode: 'closed' }, { periode: 'open', jour: '1' }, { domaine: 'langue-francaise', ouvertes: '1' }, { etablissement: 'E-11-T', arrondissement: '11' }]) {
      const filters = parseFilters(query);
      const csv = await catalogueCsv(deps(), 'sessions', filters);
      const search = await searchSessions(database.db, clock, filters);
      assert.deepEqual(lines(csv.body).map((r) => r.code_session), search.results.map((r) => r.sessionCode), JSON.stringify(query));
    }
  });

  it('SVC-8 UTF-8 with a BOM and commas by default; `;` and no BOM on request; formulas typed in a title are neutralised', async () => {
    await database.db.update(courses).set({ title: '=HYPERLINK("http://evil")' }).where(eq(courses.code, 'C-OD-C'));
    const plain = await catalogueCsv(deps(), 'sessions', everything);
    const text = plain.body.toString('utf8');
    assert.ok(text.startsWith(BOM), 'a BOM');
    assert.ok(text.slice(1).startsWith('code_session,code_formation,intitule,'));
    assert.ok(text.includes(`,"'=HYPERLINK(""http://evil"")",`), 'the formula is text');
    const semicolon = await catalogueCsv(deps(), 'sessions', everything, { separator: ';', bom: false });
    const other = semicolon.body.toString('utf8');
    assert.ok(other.startsWith('code_session;code_formation;intitule;'), 'semicolons, no BOM');
    assert.deepEqual(lines(semicolon.body, ';'), lines(plain.body), 'the same cells');
    await database.db.update(courses).set({ title: 'Cours C-OD-C' }).where(eq(courses.code, 'C-OD-C'));
  });

  it('SVC-8 the courses file has one line a course, with its sessions counted and their free places added up', async () => {
    const rows = lines((await catalogueCsv(deps(), 'formations', everything)).body);
    assert.deepEqual(rows.map((r) => r.code_formation).sort(), ['C-OD', 'C-OD-C', 'C-OD-D']);
    const od = rows.find((r) => r.code_formation === 'C-OD')!;
    assert.equal(od.nombre_sessions, '2');
    assert.equal(od.places_libres, String(17 + 20));
    assert.equal(od.periodes, 'open');
    assert.equal(od.prepare_diplome, 'false');
  });

  it('SVC-8 the snapshot job writes each file once a day (the first stays), and keeps the last 31 days', async () => {
    const first = await writeSnapshot(deps());
    assert.deepEqual(first, { day: '2026-09-01', written: ['sessions', 'formations'], pruned: [] });
    const before = await readSnapshot(database.db, { file: 'sessions', gzip: false });
    // Later the same day, places change: the day's file stays as it was (its address and ETag are stable).
    clock.advance(3_600_000);
    await database.db.update(courseSessions).set({ capacity: 25 }).where(eq(courseSessions.code, 'OD-B'));
    assert.deepEqual((await writeSnapshot(deps())).written, []);
    const again = await readSnapshot(database.db, { file: 'sessions', gzip: false });
    assert.equal(again!.info.sha256, before!.info.sha256);
    assert.deepEqual(again!.body, before!.body);
    assert.equal(lines(again!.body).length, before!.info.rows);
    // Two workers at once: one row per day and file.
    clock.advance(DAY);
    await Promise.all([writeSnapshot(deps()), writeSnapshot(deps())]);
    const perDay = await database.db.execute<{ day: string; n: number }>(sql`select day::text, count(*)::int as n from open_data_snapshots group by day order by day`);
    assert.deepEqual(perDay.rows, [{ day: '2026-09-01', n: 2 }, { day: '2026-09-02', n: 2 }]);
    const latest = await readSnapshot(database.db, { file: 'sessions', gzip: false });
    assert.equal(latest!.info.day, '2026-09-02');
    assert.equal(lines(latest!.body).find((r) => r.code_session === 'OD-B')!.capacite, '25', 'the new day has the change');
    // A month and more: the oldest days go.
    for (let i = 0; i < SNAPSHOT_DAYS_KEPT + 2; i++) {
      clock.advance(DAY);
      await writeSnapshot(deps());
    }
    const days = [...new Set((await listSnapshots(database.db)).map((s) => s.day))];
    assert.equal(days.length, SNAPSHOT_DAYS_KEPT);
    assert.equal(days[0], '2026-10-05');
    assert.equal(days.at(-1), '2026-09-05');
    assert.equal(await readSnapshot(database.db, { file: 'sessions', day: '2026-09-01', gzip: false }), null);
  });

  it('SVC-8 the job is kept queued by the worker, writes the day’s files, and queues itself for 00:05 the next day in Paris', async () => {
    await database.db.delete(openDataSnapshots);
    await database.db.delete(jobs).where(eq(jobs.kind, SNAPSHOT_JOB));
    clock.set(new Date('2026-12-02T22:30:00Z')); // 23:30 in Paris
    await snapshotTask({ db: database.db, clock });
    await snapshotTask({ db: database.db, clock });
    assert.equal((await database.db.select().from(jobs).where(eq(jobs.kind, SNAPSHOT_JOB))).length, 1, 'queued once');
    await workJobs({ db: database.db, clock, handlers: snapshotJobs(deps()) });
    assert.deepEqual((await listSnapshots(database.db)).map((s) => [s.day, s.file]), [['2026-12-02', 'sessions'], ['2026-12-02', 'formations']]);
    const waiting = await database.db.execute<{ run_at: Date }>(sql`select run_at from jobs where kind = ${SNAPSHOT_JOB} and done_at is null`);
    assert.deepEqual(waiting.rows.map((r) => new Date(r.run_at).toISOString()), ['2026-12-02T23:05:00.000Z']);
  });
});
