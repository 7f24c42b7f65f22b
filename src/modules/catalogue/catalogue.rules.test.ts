import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  checkCapacity,
  checkHourlyVolume,
  filtersQuery,
  foldText,
  keywordTerms,
  likePattern,
  meetingDates,
  meetingHours,
  parseFilters,
  periodState,
  slotKeysOf,
  timeOfDay,
  type ClosedDays,
} from './catalogue.rules';

// The real holiday file of the repository: the rules are tested on the data the app loads.
const closedDays: ClosedDays[] = readFileSync(new URL('./data/holidays.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','))
  .map(([kind, , , startsOn, endsOn]) => ({ kind: kind as 'public' | 'school', startsOn, endsOn }));

const dates = (s: Parameters<typeof meetingDates>[0]) => meetingDates(s).map((m) => m.date);
const monday = [{ weekday: 1, startsAt: '18:30', endsAt: '20:30' }];

describe('catalogue rules', () => {
  it('CAT-4 slot keys: a day and a time mean one slot on that day at that time; a day alone any slot that day; a time alone any day', () => {
    // Band numbers follow timesOfDay: day 1, morning 2, afternoon 3, evening 4 (cursus_time_band).
    assert.deepEqual(slotKeysOf([1, 3], ['evening']), [14, 34]);
    assert.deepEqual(slotKeysOf([2], ['morning', 'afternoon']), [22, 23]);
    assert.deepEqual(slotKeysOf([5], []), [50]);
    assert.deepEqual(slotKeysOf([], ['day', 'evening']), [101, 104]);
    assert.deepEqual(slotKeysOf([], []), []);
  });

  it('CAT-7 meeting dates: a table of cases', () => {
    const cases: { name: string; first: string; last: string; slots: typeof monday; holidays?: boolean; expected: string[] }[] = [
      {
        name: 'across the Christmas holidays and the year boundary',
        first: '2026-12-14',
        last: '2027-01-11',
        slots: monday,
        expected: ['2026-12-14', '2027-01-04', '2027-01-11'],
      },
      {
        name: 'Easter Monday (public holiday outside the spring holidays)',
        first: '2026-03-30',
        last: '2026-05-04',
        slots: monday,
        expected: ['2026-03-30', '2026-04-13', '2026-05-04'],
      },
      {
        name: 'Whit Monday',
        first: '2026-05-18',
        last: '2026-06-01',
        slots: monday,
        expected: ['2026-05-18', '2026-06-01'],
      },
      {
        name: 'a session marked as running in school holidays still stops on public holidays',
        first: '2026-12-14',
        last: '2027-01-04',
        slots: [{ weekday: 5, startsAt: '09:00', endsAt: '12:00' }],
        holidays: true,
        expected: ['2026-12-18'], // 25 December and 1 January are Fridays
      },
      {
        name: 'running in holidays: the Mondays of the Christmas holidays are kept',
        first: '2026-12-14',
        last: '2027-01-04',
        slots: monday,
        holidays: true,
        expected: ['2026-12-14', '2026-12-21', '2026-12-28', '2027-01-04'],
      },
      {
        name: 'Armistice day and the All Saints holidays',
        first: '2026-10-12',
        last: '2026-11-16',
        slots: [{ weekday: 3, startsAt: '14:00', endsAt: '16:00' }],
        expected: ['2026-10-14', '2026-11-04'], // 21 and 28 October: holidays; 11 November: public holiday
      },
      {
        name: 'first and last dates are inclusive, one day',
        first: '2026-09-14',
        last: '2026-09-14',
        slots: monday,
        expected: ['2026-09-14'],
      },
    ];
    for (const c of cases) {
      const got = dates({ firstMeeting: c.first, lastMeeting: c.last, slots: c.slots, closedDays, runsInSchoolHolidays: c.holidays ?? false });
      assert.deepEqual(got, c.expected.sort(), c.name);
    }
  });

  it('CAT-7 two slots a week give two meetings, in order, with their times', () => {
    const meetings = meetingDates({
      firstMeeting: '2026-09-14',
      lastMeeting: '2026-09-20',
      slots: [
        { weekday: 4, startsAt: '18:30:00', endsAt: '20:30:00' },
        { weekday: 1, startsAt: '18:30:00', endsAt: '20:30:00' },
      ],
      closedDays,
      runsInSchoolHolidays: false,
    });
    assert.deepEqual(meetings, [
      { date: '2026-09-14', startsAt: '18:30', endsAt: '20:30' },
      { date: '2026-09-17', startsAt: '18:30', endsAt: '20:30' },
    ]);
    assert.equal(meetingHours(meetings), 4);
  });

  it('CAT-7 the hourly volume is checked against the meetings', () => {
    const year = meetingDates({ firstMeeting: '2026-09-14', lastMeeting: '2027-06-28', slots: monday, closedDays, runsInSchoolHolidays: false });
    const hours = meetingHours(year);
    assert.ok(checkHourlyVolume(year, hours).ok);
    assert.ok(checkHourlyVolume(year, hours + 2).ok, 'one meeting of tolerance');
    const off = checkHourlyVolume(year, hours * 2);
    assert.equal(off.ok, false);
    if (!off.ok) assert.equal(off.code, 'CAT-7');
  });

  it('CAT-2 a computer course has no more places than its room’s 15 workstations; other courses are not capped at 25', () => {
    for (const domainSlug of ['bureautique-et-internet', 'metiers-de-l-informatique']) {
      assert.deepEqual(checkCapacity(15, { domainSlug }), { ok: true }, domainSlug);
      assert.deepEqual(checkCapacity(12, { domainSlug }), { ok: true }, `${domainSlug}: fewer places than workstations is allowed`);
      assert.deepEqual(checkCapacity(16, { domainSlug }), { ok: false, code: 'CAT-2', max: 15 }, domainSlug);
      assert.deepEqual(checkCapacity(25, { domainSlug }), { ok: false, code: 'CAT-2', max: 15 }, domainSlug);
    }
    // "Usually 20–25" (and workshops by their workstations, which the catalogue does not record): no limit of the rule.
    for (const capacity of [8, 12, 20, 25, 30]) assert.deepEqual(checkCapacity(capacity, { domainSlug: 'langue-francaise' }), { ok: true }, String(capacity));
    assert.deepEqual(checkCapacity(16, { domainSlug: 'artisanat-et-metiers-d-art' }), { ok: true });
  });

  it('CAT-4 time-of-day bands', () => {
    assert.equal(timeOfDay({ startsAt: '09:00', endsAt: '12:00' }), 'morning');
    assert.equal(timeOfDay({ startsAt: '09:30', endsAt: '16:30' }), 'day');
    assert.equal(timeOfDay({ startsAt: '14:00', endsAt: '17:00' }), 'afternoon');
    assert.equal(timeOfDay({ startsAt: '18:30:00', endsAt: '20:30:00' }), 'evening');
    assert.equal(timeOfDay({ startsAt: '19:00', endsAt: '21:00' }), 'evening');
  });

  it('CAT-3 keywords are folded like the database folds titles, and split into terms', () => {
    assert.equal(foldText('Français Langue Étrangère'), 'francais langue etrangere');
    assert.deepEqual(keywordTerms('  Cuisine  '), ['cuisine']);
    assert.deepEqual(keywordTerms('FRAN'), ['fran']);
    assert.deepEqual(keywordTerms("l'anglais, niveau 2"), ['l', 'anglais', 'niveau', '2']);
    assert.deepEqual(keywordTerms("'; drop table courses; --"), ['drop', 'table', 'courses']);
    assert.deepEqual(keywordTerms('<script>alert(1)</script>'), ['script', 'alert', '1', 'script']);
    assert.equal(keywordTerms('a '.repeat(15_000)).length, 8, 'at most 8 terms');
    assert.equal(likePattern('100%_x'), '%100\\%\\_x%');
  });

  it('CAT-4 filters: anything typed by hand gives a normal search, unknown values dropped', () => {
    assert.deepEqual(parseFilters({}), { q: '', onlyOpen: false, domain: undefined, period: undefined, rhythm: undefined, mode: undefined, weekdays: [], times: [], arrondissement: undefined, school: undefined, page: 1 });
    const f = parseFilters({
      q: 'x'.repeat(30_000),
      ouvertes: '1',
      domaine: 'langue-francaise',
      rythme: 'annual',
      mode: 'teleportation',
      jour: ['1', '3', '3', '9', 'lundi'],
      horaire: ['evening', 'midnight'],
      arrondissement: '11',
      etablissement: 'E-11-01',
      page: '-1',
    });
    assert.equal(f.q.length, 200);
    assert.equal(f.onlyOpen, true);
    assert.equal(f.mode, undefined);
    assert.deepEqual(f.weekdays, [1, 3]);
    assert.deepEqual(f.times, ['evening']);
    assert.equal(f.arrondissement, 11);
    assert.equal(f.school, 'E-11-01');
    assert.equal(f.page, 1);
    assert.equal(parseFilters({ page: '1000000000000' }).page, 500);
    assert.equal(parseFilters({ page: '2.5' }).page, 1);
    assert.equal(parseFilters({ arrondissement: '21', etablissement: 'E-1' }).school, undefined, 'a school needs its arrondissement');
    assert.equal(parseFilters({ domaine: '<script>' }).domain, undefined);
    assert.equal(parseFilters({ q: ['a', 'b'] }).q, 'a');
  });

  it('CAT-4 filters stay in the URL: parse ∘ query is the identity', () => {
    const query = 'q=anglais&ouvertes=1&domaine=langues&rythme=annual&mode=hybrid&jour=1&jour=4&horaire=evening&arrondissement=11&etablissement=E-11-01&page=3';
    const filters = parseFilters(Object.fromEntries([...new URLSearchParams(query).keys()].map((k) => [k, new URLSearchParams(query).getAll(k).length > 1 ? new URLSearchParams(query).getAll(k) : new URLSearchParams(query).get(k)])));
    assert.equal(filtersQuery(filters), query);
    assert.equal(filtersQuery(filters, { page: 1 }), query.replace('&page=3', ''));
  });

  it('CAT-6 a period is upcoming, open or closed', () => {
    const period = { applicationsOpenAt: new Date('2026-08-25T07:00:00Z'), applicationsCloseAt: new Date('2026-09-08T22:00:00Z') };
    assert.equal(periodState(period, new Date('2026-08-25T06:59:59Z')), 'upcoming');
    assert.equal(periodState(period, new Date('2026-08-25T07:00:00Z')), 'open');
    assert.equal(periodState(period, new Date('2026-09-08T22:00:00Z')), 'closed');
  });
});
