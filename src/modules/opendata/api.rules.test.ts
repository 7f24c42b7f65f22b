import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cursorScope, decodeCursor, encodeCursor, parseQuery, problemLocale, splitJsonAt } from './api.rules';
import { coursesParams, noParams, sessionsParams } from './api.schema';

const secret = 'x'.repeat(32);

describe('SVC-8 API cursors', () => {
  it('SVC-8 a cursor decodes to its key, for its own query only', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (title, school, session, q) => {
        const scope = cursorScope('/sessions', { q });
        const cursor = encodeCursor(secret, scope, [title, school, session]);
        assert.match(cursor, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        assert.deepEqual(decodeCursor(secret, scope, cursor, 3), [title, school, session]);
        assert.equal(decodeCursor(secret, cursorScope('/sessions', { q: `${q}!` }), cursor, 3), null);
        assert.equal(decodeCursor('y'.repeat(32), scope, cursor, 3), null);
      }),
    );
  });

  it('SVC-8 a cursor changed by hand is refused (null), whatever the change', () => {
    const scope = cursorScope('/sessions', {});
    const cursor = encodeCursor(secret, scope, ['Anglais', 'École', 'S1']);
    fc.assert(
      fc.property(fc.nat({ max: cursor.length - 1 }), fc.constantFrom(...'ABCabc012-_.'), (at, c) => {
        const changed = cursor.slice(0, at) + c + cursor.slice(at + 1);
        if (changed !== cursor) assert.equal(decodeCursor(secret, scope, changed, 3), null);
      }),
    );
    for (const bad of ['', '.', 'abc', 'a.b.c', `${cursor}.x`, cursor.split('.')[0]]) assert.equal(decodeCursor(secret, scope, bad, 3), null, bad);
    // A valid signature over a key of another shape (a forged payload cannot get one; this checks the shape test itself).
    assert.equal(decodeCursor(secret, scope, encodeCursor(secret, scope, ['only one']), 3), null);
  });

  it('SVC-8 the page size is not part of a cursor’s query; the filters are, in any order', () => {
    assert.equal(cursorScope('/sessions', { q: 'a', domain: 'd', limit: 5 }), cursorScope('/sessions', { domain: 'd', q: 'a', limit: 50, cursor: 'x' }));
    assert.notEqual(cursorScope('/sessions', { q: 'a' }), cursorScope('/courses', { q: 'a' }));
  });
});

describe('SVC-8 API query strings', () => {
  it('SVC-8 parses the filters', () => {
    const parsed = parseQuery(sessionsParams, { q: 'anglais', weekdays: '3,1,3', times: 'evening,morning', arrondissement: '11', open: 'true', limit: '100', mode: 'remote' });
    assert.deepEqual(parsed, { ok: true, value: { q: 'anglais', weekdays: [1, 3], times: ['evening', 'morning'], arrondissement: 11, open: true, limit: 100, mode: 'remote' } });
    assert.deepEqual(parseQuery(noParams, {}), { ok: true, value: {} });
  });

  it('SVC-8 names the parameter at fault: unknown, repeated, invalid', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ colour: 'blue' }, 'unknown-parameter', 'colour'],
      [{ page: '2' }, 'unknown-parameter', 'page'],
      [{ q: ['a', 'b'] }, 'repeated-parameter', 'q'],
      [{ limit: '1000000000' }, 'invalid-parameter', 'limit'],
      [{ limit: '101' }, 'invalid-parameter', 'limit'],
      [{ limit: '0' }, 'invalid-parameter', 'limit'],
      [{ limit: '1e3' }, 'invalid-parameter', 'limit'],
      [{ q: 'a\u0000b' }, 'invalid-parameter', 'q'],
      [{ q: 'x'.repeat(201) }, 'invalid-parameter', 'q'],
      [{ arrondissement: '21' }, 'invalid-parameter', 'arrondissement'],
      [{ arrondissement: '011' }, 'invalid-parameter', 'arrondissement'],
      [{ weekdays: '0' }, 'invalid-parameter', 'weekdays'],
      [{ weekdays: '1,,2' }, 'invalid-parameter', 'weekdays'],
      [{ times: 'evening,' }, 'invalid-parameter', 'times'],
      [{ open: '1' }, 'invalid-parameter', 'open'],
      [{ domain: 'a b' }, 'invalid-parameter', 'domain'],
      [{ school: 'x'.repeat(61) }, 'invalid-parameter', 'school'],
      [{ cursor: 'no-dot' }, 'invalid-parameter', 'cursor'],
      [{ rhythm: 'weekly' }, 'invalid-parameter', 'rhythm'],
      [JSON.parse('{"__proto__":"x"}') as Record<string, unknown>, 'unknown-parameter', '__proto__'],
    ];
    for (const [query, type, parameter] of cases) {
      const parsed = parseQuery(sessionsParams, query);
      assert.equal(parsed.ok, false, JSON.stringify(query));
      if (!parsed.ok) assert.deepEqual([parsed.type, parsed.parameter], [type, parameter], JSON.stringify(query));
    }
    assert.equal(parseQuery(coursesParams, { weekdays: '1' }).ok, false, 'courses take no weekdays');
  });

  it('SVC-8 never throws, whatever the query', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.array(fc.string()))), (query) => {
        parseQuery(sessionsParams, query);
      }),
    );
  });
});

describe('SVC-8 API caching and language', () => {
  it('SVC-8 problems in the language asked for, else the fallback', () => {
    const langs = ['fr', 'en'] as const;
    assert.equal(problemLocale('en-GB,en;q=0.9,fr;q=0.8', langs, 'fr'), 'en');
    assert.equal(problemLocale('de, fr;q=0.5, en;q=0.4', langs, 'en'), 'fr');
    assert.equal(problemLocale('de', langs, 'fr'), 'fr');
    assert.equal(problemLocale('en;q=0', langs, 'fr'), 'fr');
    assert.equal(problemLocale(undefined, langs, 'en'), 'en');
  });
});

describe('SVC-8 a session’s JSON kept apart from its free places', () => {
  it('SVC-8 head + free places + tail is the JSON of the object with those free places, whatever its text holds', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), fc.nat(), fc.integer(), (title, other, places, later, nested) => {
        const value = { code: 'S-1', course: { title: `${title}"freePlaces":${places}`, freePlaces: nested }, capacity: 12, freePlaces: places, note: other };
        const split = splitJsonAt(value, 'freePlaces');
        if (nested === places) {
          // The same field and number twice (once nested): not cut, the whole JSON is written.
          assert.equal(split, undefined);
          return;
        }
        assert.ok(split);
        assert.equal(split.head + String(places) + split.tail, JSON.stringify(value));
        assert.equal(split.head + String(later) + split.tail, JSON.stringify({ ...value, freePlaces: later }));
      }),
    );
  });

  it('SVC-8 a field that is not a finite number of the top level is not cut', () => {
    assert.equal(splitJsonAt({ freePlaces: '3' }, 'freePlaces'), undefined);
    assert.equal(splitJsonAt({ freePlaces: Number.NaN }, 'freePlaces'), undefined);
    assert.equal(splitJsonAt({ inner: { freePlaces: 3 } }, 'freePlaces'), undefined);
  });

  it('SVC-8 a nested field whose number starts with the same digits is not mistaken for it', () => {
    const value = { inner: { freePlaces: 2147483647 }, freePlaces: 2, after: 'x' };
    const split = splitJsonAt(value, 'freePlaces')!;
    assert.equal(split.head + '7' + split.tail, JSON.stringify({ ...value, freePlaces: 7 }));
    const last = { inner: { freePlaces: 21 }, freePlaces: 2 };
    assert.equal(splitJsonAt(last, 'freePlaces')!.head + '5' + splitJsonAt(last, 'freePlaces')!.tail, JSON.stringify({ ...last, freePlaces: 5 }));
  });
});
