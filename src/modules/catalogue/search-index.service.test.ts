import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../../../test/db';
import { eq } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { decideSession } from '../selection/selection.service';
import { registrationPeriods } from './catalogue.table';
import type { Database } from '../../db/database';
import { modes, rhythms, timesOfDay } from '../../domain/vocabulary';
import { FixedClock } from '../../platform/clock';
import { PAGE_SIZE, type SearchFilters } from './catalogue.rules';
import { seedCatalogue } from './catalogue.seed';
import {
  catalogueVersion,
  COUNT_BOUND,
  listDomains,
  listPeriods,
  listSchools,
  markSessionCancelled,
  searchIndexOf,
  searchQuery,
  searchSessions,
  searchSessionsAfter,
  type SearchKey,
} from './catalogue.service';
import '../selection';

/** The same deterministic generator as the benchmarks' mixes: the same run, the same searches. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/**
 * Decision 034: the search documents kept in each process's memory answer exactly as the SQL
 * search on the document table (decision 024) does: the same sessions, in the same order, the
 * same bounded count, the same free places, page by page and window after window, on hundreds
 * of searches drawn at random; and never from a catalogue version that has moved.
 */
describe('decision 034: the search documents in memory', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let filterSets: SearchFilters[] = [];

  /** The SQL search's answer (the oracle): its rows' session codes and places held, and its count. */
  async function inPostgres(filters: SearchFilters, window: Parameters<typeof searchQuery>[2]) {
    const statement = searchQuery(clock.now(), filters, window);
    const result = await database.pool.query<{ id: number | null; sessionCode: string; capacity: number; held: string; total?: number }>(statement.text, statement.values);
    const rows = result.rows.filter((r) => r.id !== null);
    return { codes: rows.map((r) => r.sessionCode), free: rows.map((r) => Math.max(0, r.capacity - Number(r.held))), total: result.rows[0]?.total ?? rows.length };
  }

  before(async () => {
    database = await createTestDatabase();
    const db = database.db;
    await seedCatalogue(db, clock, { sessions: 1_500 });
    // Places held in a few sessions, so that free places differ from capacities.
    const open = await searchSessions(db, clock, { q: '', onlyOpen: true, weekdays: [], times: [], page: 1 });
    const deps = { db, clock, baseUrl: 'http://localhost:3000' } as Parameters<typeof confirmedApplicants>[0];
    const taken = open.results.slice(0, 3);
    for (const [i, r] of taken.entries()) await confirmedApplicants(deps, r.sessionCode, i + 1);
    // Decided after the window closed (SEL-3), then the window open again: CAT-5's "open only" must find sessions.
    const period = (await db.select().from(registrationPeriods).where(eq(registrationPeriods.code, taken[0].periodCode)))[0];
    await db.update(registrationPeriods).set({ applicationsCloseAt: new Date(clock.now().getTime() - 60_000) }).where(eq(registrationPeriods.id, period.id));
    const admin = await buildStaff(db, clock, 'admin');
    for (const r of taken) assert.ok((await decideSession(deps, { staff: { id: admin.userId, role: 'admin' }, sessionCode: r.sessionCode })).ok);
    await db.update(registrationPeriods).set({ applicationsCloseAt: period.applicationsCloseAt }).where(eq(registrationPeriods.id, period.id));

    const [domains, periods, schools] = await Promise.all([listDomains(db), listPeriods(db), listSchools(db)]);
    const courseRows = (await database.pool.query<{ code: string; title: string }>('select code, title from courses')).rows;
    const titles = courseRows.map((r) => r.title);
    const courseCodes = courseRows.map((r) => r.code);
    const random = seededRandom(34);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    // Words of the titles, whole or cut (a part of a word matches), with accents and capitals as people type them.
    const words = titles.flatMap((t) => t.split(/\s+/)).filter((w) => w.length > 2);
    const word = () => {
      const w = pick(words);
      return random() < 0.3 ? w.slice(0, 3 + Math.floor(random() * 3)) : random() < 0.2 ? w.toUpperCase() : w;
    };
    // Keywords or not, then none to three of CAT-4's filters (a school with its arrondissement).
    const setters: ((f: SearchFilters) => void)[] = [
      (f) => (f.onlyOpen = true),
      (f) => (f.domain = pick(domains).slug),
      (f) => (f.period = pick(periods).code),
      (f) => (f.rhythm = pick(rhythms)),
      (f) => (f.mode = pick(modes)),
      (f) => (f.weekdays = [...new Set([1 + Math.floor(random() * 7), ...(random() < 0.3 ? [1 + Math.floor(random() * 7)] : [])])].sort()),
      (f) => (f.times = [pick(timesOfDay)]),
      (f) => (f.arrondissement = 1 + Math.floor(random() * 20)),
      (f) => {
        const school = pick(schools);
        f.arrondissement = school.arrondissement ?? undefined;
        f.school = school.code;
      },
      (f) => (f.course = pick(courseCodes)),
    ];
    const seen = new Set<string>();
    while (filterSets.length < 400) {
      const f: SearchFilters = {
        q: random() < 0.6 ? [word(), ...(random() < 0.2 ? [word()] : [])].join(' ') : random() < 0.05 ? 'zzzqx' : '',
        onlyOpen: false,
        weekdays: [],
        times: [],
        page: random() < 0.8 ? 1 : random() < 0.7 ? 2 + Math.floor(random() * 3) : 60,
      };
      for (let n = Math.floor(random() * 4); n > 0; n--) pick(setters)(f);
      const key = JSON.stringify(f);
      if (!seen.has(key)) filterSets.push(f), seen.add(key);
    }
    // Broad searches too: the count's bound, and the pages near it.
    filterSets.push({ q: '', onlyOpen: false, weekdays: [], times: [], page: 1 }, { q: '', onlyOpen: false, weekdays: [], times: [], page: COUNT_BOUND / PAGE_SIZE });
    // The documents in place (the first search of a process loads them; the SQL search answers meanwhile).
    const index = await searchIndexOf(db);
    assert.equal(index?.version, await catalogueVersion(db), 'the documents loaded are of the catalogue’s version');
    assert.equal(index?.size, 1_500);
  });
  after(async () => await database?.close());

  it('CAT-3 CAT-4 CAT-5 pages: the same sessions in the same order, the same bounded count and free places as the SQL search, on 400 searches', async () => {
    let found = 0;
    let bounded = 0;
    let empty = 0;
    let held = 0;
    let open = 0;
    for (const filters of filterSets) {
      const page = await searchSessions(database.db, clock, filters);
      const bound = Math.max(COUNT_BOUND, (filters.page + 2) * PAGE_SIZE);
      const expected = await inPostgres(filters, { page: filters.page, countUpTo: bound + 1 });
      const why = JSON.stringify(filters);
      assert.deepEqual(page.results.map((r) => r.sessionCode), expected.codes, why);
      assert.deepEqual(page.results.map((r) => r.freePlaces), expected.free, why);
      assert.equal(page.total, Math.min(expected.total, bound), why);
      assert.equal(page.totalAtLeast, expected.total > bound, why);
      found += page.results.length;
      held += page.results.filter((r) => r.freePlaces < r.capacity).length;
      if (filters.onlyOpen) open += page.results.length;
      if (page.totalAtLeast) bounded++;
      if (page.total === 0) empty++;
    }
    // The draw covers what it must: searches with results, none, and past the count's bound.
    assert.ok(found > 2_500 && empty > 10 && bounded >= 1 && held > 0 && open > 100, `${found} results, ${empty} empty searches, ${bounded} past the bound, ${held} with places held, ${open} open only`);
  });

  it('SVC-8 windows after a key: the same sessions as the SQL search, window after window, to the end', async () => {
    const random = seededRandom(8);
    let windows = 0;
    for (const filters of filterSets.slice(0, 120)) {
      const limit = 1 + Math.floor(random() * 40);
      let key: SearchKey | undefined;
      for (let step = 0; step < 4; step++) {
        const window = await searchSessionsAfter(database.db, clock, filters, { after: key, limit });
        const expected = await inPostgres(filters, { after: key, limit: limit + 1 });
        const why = `${JSON.stringify(filters)} after ${JSON.stringify(key)}`;
        assert.deepEqual(window.results.map((r) => r.sessionCode), expected.codes.slice(0, limit), why);
        assert.deepEqual(window.results.map((r) => r.freePlaces), expected.free.slice(0, limit), why);
        assert.equal(window.next !== null, expected.codes.length > limit, why);
        windows++;
        if (!window.next) break;
        key = window.next;
      }
    }
    assert.ok(windows > 200, `${windows} windows`);
  });

  it('a key the documents do not have (a session since renamed or removed) is answered by the SQL search, not refused', async () => {
    const filters: SearchFilters = { q: '', onlyOpen: false, weekdays: [], times: [], page: 1 };
    const key = { title: 'Mmmm', school: 'École', session: 'NO-SUCH-SESSION' };
    const window = await searchSessionsAfter(database.db, clock, filters, { after: key, limit: 5 });
    assert.deepEqual(window.results.map((r) => r.sessionCode), (await inPostgres(filters, { after: key, limit: 6 })).codes.slice(0, 5));
  });

  it('SVC-2 a change of the catalogue is seen by the very next search (never the documents of a version gone), then the documents are loaded again', async () => {
    const db = database.db;
    const filters: SearchFilters = { q: '', onlyOpen: false, weekdays: [], times: [], page: 1 };
    const first = (await searchSessions(db, clock, filters)).results[0];
    assert.equal(first.cancelled, false);
    const loaded = await searchIndexOf(db);
    const id = (await database.pool.query<{ id: number }>('select id from course_sessions where code = $1', [first.sessionCode])).rows[0].id;
    await db.transaction((tx) => markSessionCancelled(tx, id, clock.now()));
    // The documents in memory are of the version before: the search finds out in its own statement.
    assert.equal((await searchSessions(db, clock, filters)).results[0].cancelled, true, 'the first search after the change');
    const reloaded = await searchIndexOf(db);
    assert.notEqual(reloaded, loaded, 'loaded again');
    assert.equal(reloaded?.version, await catalogueVersion(db));
    assert.equal((await searchSessions(db, clock, filters)).results[0].cancelled, true, 'from the documents loaded again');
  });
});
