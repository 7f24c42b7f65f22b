import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { checkCapacity, parseFilters, timeOfDay } from './catalogue.rules';
import { seedCatalogue } from './catalogue.seed';
import { checkSessionHours, getCourseSheet, listPeriods, searchSessions } from './catalogue.service';
import { courseSessions, courses, holidays, registrationPeriods } from './catalogue.table';
import { importHolidays } from './holidays.import';
// As in the app: the selection module answers the catalogue's question of places held.
import '../selection';

describe('catalogue service', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  const search = (query: Record<string, unknown>) => searchSessions(database.db, clock, parseFilters(query));
  const allTitles = async (query: Record<string, unknown>) => {
    const titles = new Set<string>();
    const first = await search(query);
    for (let page = 1; page <= first.pages; page++) for (const r of (await search({ ...query, page: String(page) })).results) titles.add(r.title);
    return [...titles].sort();
  };

  before(async () => {
    database = await createTestDatabase();
    const seeded = await seedCatalogue(database.db, clock);
    assert.equal(seeded.sessions, 400);
  });
  after(() => database.close());

  it('CAT-3 keywords: accent- and case-insensitive, part of a word matches', async () => {
    assert.deepEqual(await allTitles({ q: 'cuisine' }), ['Cuisine française']);
    const fran = await allTitles({ q: 'fran' });
    assert.ok(fran.includes('Français langue étrangère – niveau A1'));
    assert.ok(fran.includes('Cuisine française'));
    assert.deepEqual(await allTitles({ q: 'FRANCAIS ETRANGERE a2' }), ['Français langue étrangère – niveau A2']);
    assert.deepEqual(await allTitles({ q: 'ébénisterie' }), await allTitles({ q: 'EBENIST' }));
    assert.equal((await search({ q: 'xylophone' })).total, 0);
  });

  it('CAT-3 SQL, HTML, LIKE wildcards and 30 000 characters are only text', async () => {
    assert.equal((await search({ q: "'; drop table courses; --" })).total, 0);
    assert.equal((await search({ q: '%' })).total, 400, 'no term: everything');
    assert.equal((await search({ q: '100%_' })).total, 0);
    assert.equal((await search({ q: '<script>alert(1)</script>' })).total, 0);
    const long = await search({ q: 'anglais '.repeat(4_000) });
    assert.ok(long.total > 0);
    const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(courses);
    assert.equal(row.n, 60, 'the courses table is still there');
  });

  it('CAT-4 filters combine: domain, rhythm, mode, weekdays, times of day, arrondissement, school', async () => {
    const langues = await search({ domaine: 'langues-etrangeres', arrondissement: '11' });
    assert.ok(langues.total > 0);
    for (const r of langues.results) {
      assert.equal(r.domainName, 'Langues étrangères');
      assert.equal(r.arrondissement, 11);
    }
    const evenings = await search({ horaire: 'evening', jour: ['1', '4'] });
    assert.ok(evenings.total > 0);
    for (const r of evenings.results) assert.ok(r.slots.some((s) => [1, 4].includes(s.weekday) && timeOfDay(s) === 'evening'), JSON.stringify(r.slots));
    const mornings = await search({ horaire: 'morning' });
    for (const r of mornings.results) assert.ok(r.slots.some((s) => timeOfDay(s) === 'morning'));
    const hybrid = await allTitles({ mode: 'hybrid' });
    assert.deepEqual(hybrid, ['Développement web – HTML et CSS', 'Programmation Python']);
    const intensive = await search({ rythme: 'intensive' });
    assert.ok(intensive.total > 0 && intensive.total < 400);
    const school = langues.results[0];
    const code = (await database.db.execute<{ code: string }>(sql`select s.code from schools s where s.name = ${school.schoolName}`)).rows[0].code;
    const atSchool = await search({ arrondissement: '11', etablissement: code });
    assert.ok(atSchool.results.every((r) => r.schoolName === school.schoolName));
    const all = await search({});
    const withoutArr = await search({ etablissement: code });
    assert.equal(withoutArr.total, all.total, 'a school without its arrondissement is ignored');
  });

  it('CAT-3 CAT-4 only sessions open for applications, and by period', async () => {
    const open = await search({ ouvertes: '1' });
    assert.ok(open.total > 0);
    assert.ok(open.results.every((r) => r.periodState === 'open'));
    const all = await search({});
    assert.ok(open.total < all.total);
    const s2 = await search({ periode: 's2' });
    assert.ok(s2.total > 0 && s2.results.every((r) => r.periodName === 'Cours du second semestre'));
    assert.equal((await search({ periode: 'inconnue' })).total, 0);
  });

  it('CAT-4 pagination: 20 a page, stable order, a page past the end is empty with the total', async () => {
    const first = await search({});
    assert.equal(first.results.length, 20);
    assert.equal(first.pages, 20);
    const second = await search({ page: '2' });
    assert.notEqual(first.results[0].sessionCode, second.results[0].sessionCode);
    const titles = first.results.map((r) => r.title);
    assert.deepEqual(titles, [...titles].sort((a, b) => a.localeCompare(b, 'fr')));
    const past = await search({ page: '300' });
    assert.equal(past.results.length, 0);
    assert.equal(past.total, 400);
  });

  it('CAT-3 results are in French alphabetical order (accented capitals with their letter)', async () => {
    const titles: string[] = [];
    for (let page = 1; page <= 20; page++) for (const r of (await search({ page: String(page) })).results) if (titles.at(-1) !== r.title) titles.push(r.title);
    assert.ok(titles.indexOf('Ébénisterie') < titles.indexOf('Entreprise') || titles.indexOf('Ébénisterie') < titles.indexOf('Espagnol – niveau 1'), 'É among the E');
    assert.ok(titles.indexOf('Ébénisterie') < titles.indexOf('Tableur – Excel niveau 1'));
    assert.deepEqual(titles, [...titles].sort((a, b) => a.localeCompare(b, 'fr')));
  });

  it('CAT-6 periods around the demo date: one closed, one open, one to come', async () => {
    const periods = await listPeriods(database.db);
    assert.deepEqual(
      periods.map((p) => p.code),
      ['automne-intensif', 'annuel-s1', 's2'],
    );
    const { periodState } = await import('./catalogue.rules');
    assert.deepEqual(periods.map((p) => periodState(p, clock.now())), ['closed', 'open', 'upcoming']);
  });

  it('CAT-5 CAT-7 a course sheet has its previous level, its sessions, free places and meetings without holidays', async () => {
    const [course] = await database.db.select().from(courses).where(eq(courses.title, 'Anglais – niveau 2'));
    const sheet = await getCourseSheet(database.db, clock, course.code);
    assert.ok(sheet);
    assert.equal(sheet.previous?.title, 'Anglais – niveau 1');
    assert.ok(sheet.sessions.length >= 6);
    const closed = await database.db.select().from(holidays);
    for (const s of sheet.sessions) {
      assert.equal(s.freePlaces, s.capacity);
      assert.ok(s.capacity >= 20 && s.capacity <= 25);
      for (const m of s.meetings) {
        const hit = closed.find((h) => m.date >= h.startsOn && m.date <= h.endsOn && (h.kind === 'public' || !s.runsInSchoolHolidays));
        assert.equal(hit, undefined, `${s.code} meets on ${m.date}, ${hit?.name}`);
      }
    }
    assert.equal(await getCourseSheet(database.db, clock, 'NOPE'), null);
    assert.equal(await getCourseSheet(database.db, clock, "'; select 1; --"), null);
  });

  it('CAT-2 the demo catalogue keeps the workstation rule, and its capacities read like the FAQ: computer rooms 15, workshops 12, others 20 to 25', async () => {
    const sessions = await database.db.execute<{ code: string; domain: string; capacity: number }>(sql`
      select s.code, d.slug as domain, s.capacity from course_sessions s join courses c on c.id = s.course_id join domains d on d.id = c.domain_id`);
    assert.equal(sessions.rows.length, 400);
    for (const s of sessions.rows) assert.deepEqual(checkCapacity(s.capacity, { domainSlug: s.domain }), { ok: true }, `${s.code}: ${s.capacity} places in ${s.domain}`);
    const rows = await database.db.execute<{ domain: string; min: number; max: number }>(sql`
      select d.slug as domain, min(s.capacity)::int as min, max(s.capacity)::int as max
      from course_sessions s join courses c on c.id = s.course_id join domains d on d.id = c.domain_id group by d.slug`);
    const by = Object.fromEntries(rows.rows.map((r) => [r.domain, [r.min, r.max]]));
    assert.deepEqual(by['bureautique-et-internet'], [15, 15]);
    assert.deepEqual(by['artisanat-et-metiers-d-art'], [12, 12]);
    assert.ok(by['langue-francaise'][0] >= 20 && by['langue-francaise'][1] <= 25);
  });

  it('CAT-7 the data check reports a session whose meetings do not add up to its hours', async () => {
    assert.deepEqual(await checkSessionHours(database.db), []);
    const [session] = await database.db.select().from(courseSessions).limit(1);
    await database.db.update(courseSessions).set({ lastMeeting: session.firstMeeting }).where(eq(courseSessions.id, session.id));
    const problems = await checkSessionHours(database.db);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].session, session.code);
    await database.db.update(courseSessions).set({ lastMeeting: session.lastMeeting }).where(eq(courseSessions.id, session.id));
  });

  it('CAT-7 a bad holiday file is refused whole with its bad lines; a good one is loaded', async () => {
    const before = (await database.db.select().from(holidays)).length;
    const bad = await importHolidays(
      database.db,
      'kind,zone,name,starts_on,ends_on\nschool,C,Vacances de test,2028-02-12,2028-02-27\npublic,,Mauvais,2028-13-01,2028-13-01\nschool,,Sans zone,2028-04-08,2028-04-23\n',
    );
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.deepEqual(bad.errors.map((e) => e.line), [3, 4]);
    assert.equal((await database.db.select().from(holidays)).length, before, 'nothing loaded');
    const good = await importHolidays(database.db, 'kind,zone,name,starts_on,ends_on\nschool,C,Vacances d’hiver,2028-02-12,2028-02-27\n');
    assert.deepEqual(good, { ok: true, count: 1 });
    const broken = await importHolidays(database.db, 'not,a,"csv');
    assert.equal(broken.ok, false, 'a file that is not CSV is refused, not a crash');
  });

  it('CAT-2 the database holds what must always hold', async () => {
    const [session] = await database.db.select().from(courseSessions).limit(1);
    const rejects = (promise: Promise<unknown>, constraint: string) =>
      assert.rejects(promise, (error: Error & { cause?: Error }) => String(error.cause?.message).includes(constraint));
    await rejects(database.db.update(courseSessions).set({ capacity: 0 }).where(eq(courseSessions.id, session.id)), 'course_sessions_capacity');
    await rejects(database.db.update(courseSessions).set({ lastMeeting: '2000-01-01' }).where(eq(courseSessions.id, session.id)), 'course_sessions_dates');
    await rejects(database.db.update(courses).set({ halfRateCents: -1 }), 'courses_rates');
    await rejects(database.db.update(courses).set({ halfRateCents: 10_000_000 }), 'courses_rates');
    await rejects(database.db.update(registrationPeriods).set({ applicationsCloseAt: new Date('2000-01-01') }), 'registration_periods_window');
  });
});
