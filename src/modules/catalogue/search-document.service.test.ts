import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { asc, eq, sql } from 'drizzle-orm';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { acceptedApplicants } from '../../../test/payments';
import type { Database } from '../../db/database';
import { timesOfDay, type Slot } from '../../domain/vocabulary';
import { FixedClock } from '../../platform/clock';
import { cancelApplication } from '../applications';
import { catalogueCsv, everything } from '../opendata/csv.service';
import { listSessions, sessionsJson } from '../opendata/api.service';
import { csvFile } from '../../platform/csv';
import { importCatalogue } from './catalogue.import';
import { foldText, parseFilters, timeOfDay } from './catalogue.rules';
import { catalogueVersion, markSessionCancelled, searchSessions, setSessionMode } from './catalogue.service';
import { courseSessions, courses, domains, registrationPeriods, schools, sessionSearch, sessionSlots } from './catalogue.table';
import { importHolidays } from './holidays.import';
import { catalogueRecord, saveCatalogueRecord } from './records.service';
import '../selection';
import '../opendata';

/**
 * Decision 024: the search document is what the catalogue's tables say, after every kind of
 * change, whoever makes it; the version moves with each; free places (not in it) stay the same
 * on the search page, in the API and in the files.
 */
describe('the search document (decision 024)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  const deps = () => ({ db: database.db, clock, baseUrl: 'http://localhost:3000' });
  const admin = '00000000-0000-4000-8000-000000000001';

  /** Every document, against the catalogue's tables joined as the search used to join them (the slots' keys from `timeOfDay`). */
  async function assertExact(why: string) {
    const db = database.db;
    const base = await db
      .select({ s: courseSessions, c: courses, d: domains, sc: schools, p: registrationPeriods })
      .from(courseSessions)
      .innerJoin(courses, eq(courses.id, courseSessions.courseId))
      .innerJoin(domains, eq(domains.id, courses.domainId))
      .innerJoin(schools, eq(schools.id, courseSessions.schoolId))
      .innerJoin(registrationPeriods, eq(registrationPeriods.id, courseSessions.periodId))
      .orderBy(asc(courseSessions.id));
    const slots = await db.select().from(sessionSlots).orderBy(asc(sessionSlots.weekday), asc(sessionSlots.startsAt));
    const docs = await db.select().from(sessionSearch).orderBy(asc(sessionSearch.sessionId));
    assert.deepEqual(docs.map((d) => d.sessionId), base.map((b) => b.s.id), `${why}: one document per session`);
    for (const [i, { s, c, d, sc, p }] of base.entries()) {
      const own: Slot[] = slots.filter((l) => l.sessionId === s.id).map((l) => ({ weekday: l.weekday, startsAt: l.startsAt.slice(0, 5), endsAt: l.endsAt.slice(0, 5) }));
      const band = (slot: Slot) => timesOfDay.indexOf(timeOfDay(slot)) + 1;
      const keys = [...new Set(own.flatMap((slot) => [slot.weekday * 10 + band(slot), slot.weekday * 10, 100 + band(slot)]))].sort((a, b) => a - b);
      assert.deepEqual(docs[i], {
        sessionId: s.id,
        sessionCode: s.code,
        courseCode: c.code,
        title: c.title,
        titleFolded: foldText(c.title),
        objectives: c.objectives,
        domainSlug: d.slug,
        domainName: d.name,
        schoolCode: sc.code,
        schoolName: sc.name,
        arrondissement: sc.arrondissement,
        area: sc.area,
        address: sc.address,
        postalCode: sc.postalCode,
        city: sc.city,
        capacity: s.capacity,
        periodCode: p.code,
        periodName: p.name,
        applicationsOpenAt: p.applicationsOpenAt,
        applicationsCloseAt: p.applicationsCloseAt,
        rhythm: c.rhythm,
        mode: s.mode ?? c.mode,
        ownMode: s.mode,
        courseMode: c.mode,
        firstMeeting: s.firstMeeting,
        lastMeeting: s.lastMeeting,
        runsInSchoolHolidays: s.runsInSchoolHolidays,
        cancelledAt: s.cancelledAt,
        slots: own,
        slotKeys: keys,
        level: c.level,
        hourlyVolume: c.hourlyVolume,
        fullRateCents: c.fullRateCents,
        halfRateCents: c.halfRateCents,
        preparesDiploma: c.preparesDiploma,
        hasEvaluation: c.hasEvaluation,
        admissionTest: c.admissionTest,
      }, `${why}: ${s.code}`);
    }
  }

  /** Runs a change and checks the documents after it, and that the catalogue's version moved (or not). */
  async function change(why: string, action: () => Promise<unknown>, versionMoves = true) {
    const before = await catalogueVersion(database.db);
    await action();
    await assertExact(why);
    const now = await catalogueVersion(database.db);
    if (versionMoves) assert.equal(now, before + 1, `${why}: the version moves once, whatever the rows changed`);
    else assert.equal(now, before, `${why}: the version stays`);
  }

  async function saveRecord(file: 'courses' | 'sessions' | 'schools', code: string, edit: Record<string, string>) {
    const record = await catalogueRecord(database.db, file, code);
    assert.ok(record, `${file} ${code}`);
    const saved = await saveCatalogueRecord(deps(), { adminId: admin, file, record: { ...record, ...edit }, creating: false });
    assert.ok(saved.ok, JSON.stringify(saved));
  }

  before(async () => {
    database = await createTestDatabase();
    await buildCatalogue(database.db, clock, [
      { code: 'SD-A', course: 'C-SD', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'SD-B', course: 'C-SD', weekday: 4, startsAt: '09:00', endsAt: '11:00' },
      { code: 'SD-C', weekday: 3, startsAt: '14:00', endsAt: '16:00' },
      { code: 'SD-D', weekday: 5, startsAt: '09:00', endsAt: '16:00', period: 'closed' },
    ]);
  });
  after(() => database.close());

  it('CAT-4 the database’s time of day of a slot is timeOfDay’s, for every quarter of an hour', async () => {
    const rows = await database.db.execute<{ starts: string; ends: string; band: number }>(sql`
      select to_char(s, 'HH24:MI') as starts, to_char(e, 'HH24:MI') as ends, cursus_time_band(s::time, e::time) as band
      from generate_series(timestamp '2000-01-01 00:00', timestamp '2000-01-01 23:45', interval '15 minutes') s,
           generate_series(timestamp '2000-01-01 00:15', timestamp '2000-01-01 23:45', interval '15 minutes') e
      where e > s`);
    assert.ok(rows.rows.length > 4_000);
    for (const r of rows.rows) assert.equal(timesOfDay[r.band - 1], timeOfDay({ startsAt: r.starts, endsAt: r.ends }), `${r.starts}-${r.ends}`);
  });

  it('CAT-3 CAT-4 the documents are exact after a course edit, a session edit, a school rename, an import, slots changed, SVC-2’s cancellation and change of mode, and holidays', async () => {
    await assertExact('built by the import');
    await change('a course edited (title, rates)', () => saveRecord('courses', 'C-SD', { title: 'Ébénisterie du soir', full_rate_cents: '12300' }));
    assert.deepEqual((await searchSessions(database.db, clock, parseFilters({ q: 'EBENISTERIE' }))).results.map((r) => r.sessionCode), ['SD-A', 'SD-B'], 'found by the new title, accents aside');
    await change('a session edited (capacity)', () => saveRecord('sessions', 'SD-C', { capacity: '7' }));
    await change('a school renamed', () => saveRecord('schools', 'E-11-T', { name: 'École Voltaire' }));
    assert.ok((await searchSessions(database.db, clock, parseFilters({}))).results.every((r) => r.schoolName === 'École Voltaire'));
    await change('slots changed', () =>
      database.db.transaction(async (tx) => {
        const [c] = await tx.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'SD-C'));
        await tx.delete(sessionSlots).where(eq(sessionSlots.sessionId, c.id));
        await tx.insert(sessionSlots).values([
          { sessionId: c.id, weekday: 2, startsAt: '19:00', endsAt: '21:00' },
          { sessionId: c.id, weekday: 6, startsAt: '10:00', endsAt: '12:00' },
        ]);
      }),
    );
    assert.deepEqual((await searchSessions(database.db, clock, parseFilters({ jour: '2', horaire: 'evening' }))).results.map((r) => r.sessionCode), ['SD-C'], 'day and time on the same slot');
    assert.deepEqual((await searchSessions(database.db, clock, parseFilters({ jour: '2', horaire: 'morning' }))).results.map((r) => r.sessionCode), [], 'not on two different slots');
    await change('a catalogue import (a new session, another edited)', async () => {
      const record = (await catalogueRecord(database.db, 'sessions', 'SD-A'))!;
      const names = Object.keys(record);
      const rows = [names, names.map((n) => record[n]), names.map((n) => (n === 'code' ? 'SD-E' : record[n])), names.map((n) => (n === 'code' ? 'SD-B' : n === 'capacity' ? '9' : record[n]))];
      const imported = await importCatalogue(database.db, { sessions: csvFile(rows, { delimiter: ',', bom: false }) }, clock);
      assert.ok(imported.ok, JSON.stringify(imported));
    });
    const idOf = async (code: string) => (await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, code)))[0].id;
    const a = await idOf('SD-A');
    const b = await idOf('SD-B');
    await change('SVC-2 a session cancelled', () => database.db.transaction((tx) => markSessionCancelled(tx, a, clock.now())));
    assert.equal((await searchSessions(database.db, clock, parseFilters({}))).results.find((r) => r.sessionCode === 'SD-A')?.cancelled, true);
    await change('SVC-2 a session moved to remote', () => database.db.transaction((tx) => setSessionMode(tx, b, 'remote')));
    assert.deepEqual((await searchSessions(database.db, clock, parseFilters({ mode: 'remote' }))).results.map((r) => r.sessionCode), ['SD-B']);
    await change('holidays loaded (the meetings depend on them)', () => importHolidays(database.db, 'kind,zone,name,starts_on,ends_on\nschool,C,Vacances de test,2027-02-13,2027-02-28\n'));
    await change('a read changes nothing', () => searchSessions(database.db, clock, parseFilters({ q: 'cours' })), false);
  });

  it('SEL-6 a place taken then released: the version stays (places are not the catalogue’s), and the page, the API and the files say the same free places', async () => {
    const agree = async (why: string, expected: number) => {
      const page = (await searchSessions(database.db, clock, parseFilters({}))).results.find((r) => r.sessionCode === 'SD-D')!;
      const listed = await listSessions(database.db, clock, { filters: {}, limit: 100 });
      const api = listed.sessions.find((s) => s.code === 'SD-D')!;
      // The API's JSON: each session's kept per catalogue version, with the free places of now.
      assert.equal(sessionsJson(listed.version, listed.sessions, { next: null }).toString('utf8'), JSON.stringify({ data: listed.sessions, next: null }), `${why}: the API's JSON`);
      const csv = (await catalogueCsv(deps(), 'sessions', everything)).body.toString('utf8').split('\n').find((l) => l.startsWith('SD-D,'))!;
      assert.equal(page.freePlaces, expected, `${why}: the page`);
      assert.equal(api.freePlaces, expected, `${why}: the API`);
      assert.ok(csv.includes(`,${page.capacity},${expected},`), `${why}: the file (${csv})`);
    };
    // SD-D's period is closed: places are given by the decision (the helper also closes the open period).
    const [{ capacity }] = await database.db.select({ capacity: courseSessions.capacity }).from(courseSessions).where(eq(courseSessions.code, 'SD-D'));
    await agree('before', capacity);
    await database.db.update(registrationPeriods).set({ applicationsCloseAt: new Date(clock.now().getTime() + 86_400_000) }).where(eq(registrationPeriods.code, 'closed'));
    await database.db.update(courseSessions).set({ periodId: sql`(select id from registration_periods where code = 'open')` }).where(eq(courseSessions.code, 'SD-D'));
    const taken = await acceptedApplicants(deps(), { 'SD-D': 2 });
    const version = await catalogueVersion(database.db);
    await agree('two places taken', capacity - 2);
    const released = await cancelApplication(deps(), { learnerId: taken['SD-D'][0].learnerId, applicationId: taken['SD-D'][0].applicationId });
    assert.ok(released.ok && released.status === 'withdrawn', JSON.stringify(released));
    await agree('one released', capacity - 1);
    assert.equal(await catalogueVersion(database.db), version, 'the catalogue’s version does not follow places (the API’s tags do: they hash each session’s free places)');
    await assertExact('after the places');
  });
});
