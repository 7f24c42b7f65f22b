import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eq, inArray, sql } from 'drizzle-orm';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { parseFilters } from './catalogue.rules';
import { importCatalogue, parseSlots } from './catalogue.import';
import { getCourseSheet, searchSessions } from './catalogue.service';
import { courseSessions, courses, registrationPeriods, sessionSlots } from './catalogue.table';
import { importBundledHolidays } from './holidays.import';
// As in the app: the selection module answers the catalogue's question of places held.
import '../selection';

const example = (name: string) => readFileSync(new URL(`../../../docs/examples/catalogue/${name}.csv`, import.meta.url), 'utf8');
const files = () => ({ periods: example('periods'), schools: example('schools'), courses: example('courses'), sessions: example('sessions') });
const counts = async (db: Database['db']) =>
  (await db.execute<{ n: number }>(sql`select (select count(*) from courses) + (select count(*) from course_sessions) + (select count(*) from schools) + (select count(*) from registration_periods) as n`)).rows[0].n;

describe('catalogue import', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2027-01-27T10:00:00Z'));
  before(async () => {
    database = await createTestDatabase();
    await importBundledHolidays(database.db);
  });
  after(() => database.close());

  it('imports the documented example files, searchable at once', async () => {
    const report = await importCatalogue(database.db, files());
    assert.deepEqual(report, { ok: true, counts: { periods: 1, schools: 2, courses: 2, sessions: 2 } });
    const found = await searchSessions(database.db, clock, parseFilters({ q: 'francais', ouvertes: '1' }));
    assert.equal(found.total, 1);
    assert.equal(found.results[0].schoolName, 'Centre Keller');
    assert.deepEqual(found.results[0].slots, [
      { weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { weekday: 4, startsAt: '18:30', endsAt: '20:30' },
    ]);
    const sheet = await getCourseSheet(database.db, clock, 'FLE-A1-S2');
    assert.equal(sheet?.course.fullRateCents, 12_500);
    assert.equal(sheet?.course.halfRateCents, 6_250);
    assert.equal(sheet?.domain.name, 'Langue française');
  });

  it('importing again updates by code: nothing doubles, changes are kept, slots replaced', async () => {
    const before = await counts(database.db);
    const changed = files();
    changed.sessions = changed.sessions.replace('Mme Bernard,22,', 'Mme Bernard,24,').replace('lundi 18:30-20:30; jeudi 18:30-20:30', 'mercredi 14:00-17:00');
    assert.equal((await importCatalogue(database.db, changed)).ok, true);
    assert.equal(await counts(database.db), before);
    const [session] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'S-FLE-A1-KELLER'));
    assert.equal(session.capacity, 24);
    const slots = await database.db.select().from(sessionSlots).where(eq(sessionSlots.sessionId, session.id));
    assert.deepEqual(slots.map((s) => [s.weekday, s.startsAt]), [[3, '14:00:00']]);
  });

  it('CAT-2 a bad file is refused whole, with every bad line, and nothing is written', async () => {
    const before = await counts(database.db);
    const bad = files();
    bad.courses += 'NEW-1,Nouveau cours,Langue française,Obj,Public,Aucun,Prog,,,annual,in_person,30,"50,00","60,00",non,non,none\n';
    bad.courses += 'NEW-2,,Langue française,Obj,Public,Aucun,Prog,,INCONNU,weekly,teleport,-3,abc,"1,00",peut-être,non,none\n';
    bad.sessions += 'S-NEW,FLE-A1-S2,E-99,2027-s2,,0,2027-03-08,2027-03-01,lundi 20:30-18:30,non\n';
    bad.sessions += 'S-NEW-2,NOPE,E-11-KELLER,2027-s2,,20,2027-03-08,2027-06-28,lundi 18:30-20:30,non\n';
    const report = await importCatalogue(database.db, bad);
    assert.equal(report.ok, false);
    if (report.ok) return;
    const lines = report.errors.map((e) => `${e.file}:${e.line}`);
    assert.deepEqual(lines, ['courses:4', 'courses:5', 'sessions:4']);
    assert.match(report.errors[0].message, /half_rate must not be more than full_rate/);
    assert.match(report.errors[1].message, /title: required/);
    assert.match(report.errors[1].message, /rhythm: one of annual/);
    assert.match(report.errors[1].message, /hourly_volume: a whole number/);
    assert.match(report.errors[2].message, /capacity: at least 1/);
    assert.match(report.errors[2].message, /slots like/);
    assert.equal(await counts(database.db), before, 'nothing half-imported');

    // References are checked once the lines themselves are right.
    const unknown = files();
    unknown.sessions += 'S-NEW-2,NOPE,E-11-KELLER,2027-s2,,20,2027-03-08,2027-06-28,lundi 18:30-20:30,non\n';
    const refs = await importCatalogue(database.db, unknown);
    assert.equal(refs.ok, false);
    if (!refs.ok) assert.deepEqual(refs.errors, [{ file: 'sessions', line: 4, message: 'course: unknown course NOPE' }]);
    const dup = await importCatalogue(database.db, { schools: example('schools') + 'E-11-KELLER,Encore,11,,1 rue X,75011,Paris\n' });
    assert.equal(dup.ok, false);
    if (!dup.ok) assert.match(dup.errors[0].message, /appears twice/);
    assert.equal(await counts(database.db), before);
  });

  it('CAT-2 a computer course’s session has no more places than workstations (15): refused at its line, nothing written', async () => {
    assert.equal((await importCatalogue(database.db, files())).ok, true, 'the example as documented: 22 and 15 places');
    const before = await counts(database.db);
    const tooMany = files();
    tooMany.sessions = tooMany.sessions.replace('M. Nguyen,15,', 'M. Nguyen,16,');
    const refused = [{ file: 'sessions', line: 3, message: 'capacity: at most 15 places for a computer course: one per workstation' }];
    assert.deepEqual(await importCatalogue(database.db, tooMany), { ok: false, errors: refused });
    assert.deepEqual(await importCatalogue(database.db, { sessions: tooMany.sessions }), { ok: false, errors: refused }, 'the course’s domain read from the database');

    // A course moved into a computer domain while one of its sessions has more places.
    const moved = example('courses').replace(',Langue française,', ',Bureautique et internet,');
    assert.deepEqual(await importCatalogue(database.db, { courses: moved }), {
      ok: false,
      errors: [{ file: 'courses', line: 2, message: 'domain: session S-FLE-A1-KELLER has 22 places; a computer course has at most 15, one per workstation' }],
    });
    assert.equal(await counts(database.db), before, 'nothing written');
    assert.equal((await getCourseSheet(database.db, clock, 'FLE-A1-S2'))?.domain.name, 'Langue française');

    // Moved with its session brought down to 15 in the same import: accepted. Other courses: "usually 20–25" is no limit.
    const fewer = files().sessions.replace('Mme Bernard,22,', 'Mme Bernard,15,');
    assert.equal((await importCatalogue(database.db, { courses: moved, sessions: fewer })).ok, true);
    const back = files();
    back.sessions = back.sessions.replace('Mme Bernard,22,', 'Mme Bernard,30,');
    assert.equal((await importCatalogue(database.db, back)).ok, true, 'a language course may have 30 places');
    assert.equal((await importCatalogue(database.db, files())).ok, true);
    assert.equal(await counts(database.db), before);
  });

  it('semicolon-separated files from French spreadsheets are read too', async () => {
    const csv = 'code;name;arrondissement;area;address;postal_code;city\nE-05-TEST;Lycée test;5;;1 rue Mouffetard;75005;Paris\n';
    assert.deepEqual(await importCatalogue(database.db, { schools: csv }), { ok: true, counts: { periods: 0, schools: 1, courses: 0, sessions: 0 } });
    const garbage = await importCatalogue(database.db, { courses: 'code,title\n"unterminated' });
    assert.equal(garbage.ok, false);
  });

  it('CERT-6 a period may open a priority window before its applications open, never after', async () => {
    const head = 'code,name,priority_opens_at,applications_open_at,applications_close_at,answers_from,answers_until\n';
    const ok = await importCatalogue(database.db, { periods: `${head}PRIO,Période prioritaire,18/08/2026 09:00,25/08/2026 09:00,08/09/2026 23:59,2026-09-09,2026-09-30\nPLAIN,Sans priorité,,25/08/2026 09:00,08/09/2026 23:59,2026-09-09,2026-09-30\n` });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    const rows = await database.db.select().from(registrationPeriods).where(inArray(registrationPeriods.code, ['PRIO', 'PLAIN'])).orderBy(registrationPeriods.code);
    assert.deepEqual(rows.map((r) => [r.code, r.priorityOpensAt?.toISOString() ?? null]), [['PLAIN', null], ['PRIO', '2026-08-18T07:00:00.000Z']]);
    const late = await importCatalogue(database.db, { periods: `${head}LATE,Trop tard,26/08/2026 09:00,25/08/2026 09:00,08/09/2026 23:59,2026-09-09,2026-09-30\n` });
    assert.equal(late.ok, false);
    assert.match(JSON.stringify(late), /priority_opens_at must be before applications_open_at/);
  });

  it('SVC-5 a period may hold assisted places until a date after its applications close, never before; empty holds until the answers end', async () => {
    const head = 'code,name,applications_open_at,applications_close_at,answers_from,answers_until,assisted_places_until\n';
    const ok = await importCatalogue(database.db, { periods: `${head}HELD,Places réservées,25/08/2026 09:00,08/09/2026 23:59,2026-09-09,2026-09-30,20/09/2026 18:00\nOPEN,Sans date,25/08/2026 09:00,08/09/2026 23:59,2026-09-09,2026-09-30,\n` });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    const rows = await database.db.select().from(registrationPeriods).where(inArray(registrationPeriods.code, ['HELD', 'OPEN'])).orderBy(registrationPeriods.code);
    assert.deepEqual(rows.map((r) => [r.code, r.assistedPlacesUntil?.toISOString() ?? null]), [['HELD', '2026-09-20T16:00:00.000Z'], ['OPEN', null]]);
    const early = await importCatalogue(database.db, { periods: `${head}EARLY,Trop tôt,25/08/2026 09:00,08/09/2026 23:59,2026-09-09,2026-09-30,01/09/2026 09:00\n` });
    assert.equal(early.ok, false);
    assert.match(JSON.stringify(early), /assisted_places_until must be after applications_close_at/);
  });

  it('slots are read as people write them', () => {
    assert.deepEqual(parseSlots('Lundi 18h30-20h30 ; jeudi 9:00 – 12:00'), [
      { weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { weekday: 4, startsAt: '09:00', endsAt: '12:00' },
    ]);
    assert.deepEqual(parseSlots('2 14:00-17:00'), [{ weekday: 2, startsAt: '14:00', endsAt: '17:00' }]);
    for (const bad of ['', 'lundi', 'funday 10:00-11:00', 'lundi 11:00-10:00', 'lundi 25:00-26:00']) assert.equal(parseSlots(bad), null, bad);
  });

  it('courses keep their previous level link', async () => {
    const csv = example('courses').trimEnd() + '\nFLE-A2-S2,Français langue étrangère – niveau A2 (second semestre),Langue française,Obj,Public,A1,Prog,A2,FLE-A1-S2,semester2,in_person,50,"125,00","62,50",non,oui,none\n';
    assert.equal((await importCatalogue(database.db, { courses: csv })).ok, true);
    const sheet = await getCourseSheet(database.db, clock, 'FLE-A2-S2');
    assert.equal(sheet?.previous?.code, 'FLE-A1-S2');
    const [row] = await database.db.select().from(courses).where(eq(courses.code, 'FLE-A2-S2'));
    assert.ok(row.previousCourseId);
  });
});
