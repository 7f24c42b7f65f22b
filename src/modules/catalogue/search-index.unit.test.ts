import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SearchIndex, SearchIndexes, type IndexedDocument, type IndexedFields } from './search-index';
import type { SearchFilters } from './catalogue.rules';

const open = { applicationsOpenAt: new Date('2026-09-01T00:00:00Z'), applicationsCloseAt: new Date('2026-09-15T00:00:00Z') };
function doc(code: string, title: string, extra: Partial<IndexedDocument<IndexedFields>> = {}): IndexedDocument<IndexedFields> {
  return {
    id: Number(code.replace(/\D/g, '')),
    sessionCode: code,
    courseCode: `C-${title}`,
    title,
    titleFolded: title.toLowerCase(),
    schoolName: 'École',
    schoolCode: 'E-1',
    domainSlug: 'langues',
    periodCode: 'annuel',
    rhythm: 'annual',
    sessionMode: 'in_person',
    arrondissement: 11,
    slotKeys: [14, 10, 104],
    ...open,
    ...extra,
  };
}
const none: SearchFilters = { q: '', onlyOpen: false, weekdays: [], times: [], page: 1 };
const all = { from: 0, skip: 0, take: 100, countUpTo: 100 };
const now = new Date('2026-09-05T00:00:00Z');

describe('decision 034: the search documents in memory', () => {
  const index = new SearchIndex(7, [
    doc('S1', 'Anglais'),
    doc('S2', 'Anglais', { schoolName: 'Lycée', slotKeys: [22, 20, 102] }),
    doc('S3', 'Espagnol', { applicationsCloseAt: now }),
    doc('S4', 'Excel', { arrondissement: null }),
  ]);
  const codes = (filters: Partial<SearchFilters>, walk = all) => index.select({ ...none, ...filters }, now, walk).rows.map((r) => r.sessionCode);

  it('CAT-3 CAT-4 CAT-5 a walk keeps the order and applies each condition', () => {
    assert.deepEqual(codes({}), ['S1', 'S2', 'S3', 'S4']);
    assert.deepEqual(codes({ q: 'ANG' }), ['S1', 'S2'], 'keywords folded as the SQL search folds them');
    assert.deepEqual(codes({ q: 'an ais' }), ['S1', 'S2'], 'every term, anywhere');
    assert.deepEqual(codes({ weekdays: [2], times: ['morning'] }), ['S2']);
    assert.deepEqual(codes({ onlyOpen: true }), ['S1', 'S2', 'S4'], 'closed at the very instant: closed (applications_close_at > now)');
    assert.deepEqual(codes({ arrondissement: 11 }), ['S1', 'S2', 'S3']);
    assert.deepEqual(codes({ session: 'S3' }), ['S3']);
    assert.deepEqual(codes({ session: 'S9' }), []);
  });

  it('CAT-3 a keyword searched again answers from the courses it matched the first time, with the other conditions of each search, and no match stays none', () => {
    assert.deepEqual(codes({ q: 'anglais' }), ['S1', 'S2']);
    assert.deepEqual(codes({ q: 'anglais', weekdays: [2], times: ['morning'] }), ['S2'], 'the kept courses, then this search\'s slot');
    assert.deepEqual(codes({ q: 'anglais', session: 'S1' }), ['S1']);
    assert.deepEqual(codes({ q: 'anglais' }, { ...all, from: 1 }), ['S2'], 'the kept positions walked from the window\'s start');
    assert.deepEqual(codes({ q: 'anglais' }), ['S1', 'S2'], 'nothing of the earlier searches left in the kept positions');
    assert.deepEqual(codes({ q: 'latin' }), []);
    assert.deepEqual(codes({ q: 'latin' }), []);
    // Past the bound the oldest keyword is dropped and matched again when searched: same answers.
    for (let n = 0; n < 300; n++) codes({ q: `mot${n}` });
    assert.deepEqual(codes({ q: 'ex' }), ['S4']);
    assert.deepEqual(codes({ q: 'anglais' }), ['S1', 'S2']);
  });

  it('a page skips, keeps and counts up to its bound; a window starts after its key, only if the key is the document', () => {
    assert.deepEqual(index.select(none, now, { from: 0, skip: 1, take: 2, countUpTo: 3 }), { rows: [index.select(none, now, all).rows[1], index.select(none, now, all).rows[2]], total: 3 });
    assert.equal(index.startAfter({ title: 'Anglais', school: 'École', session: 'S1' }), 1);
    assert.equal(index.startAfter({ title: 'Anglais', school: 'Autre', session: 'S1' }), undefined, 'renamed since the cursor was made');
    assert.equal(index.startAfter({ title: 'Anglais', school: 'École', session: 'S9' }), undefined);
    assert.deepEqual(codes({}, { ...all, from: 2 }), ['S3', 'S4']);
    assert.deepEqual(codes({ session: 'S1' }, { ...all, from: 2 }), [], 'the key is past the one session asked');
  });

  it('the SQL search answers while documents load, when they are outdated, and for a while after a failed load', async () => {
    const key = {};
    let loads = 0;
    let fail = false;
    const indexes = new SearchIndexes<object, IndexedFields>(async () => {
      loads++;
      if (fail) throw new Error('down');
      return new SearchIndex(loads, []);
    }, 1_000);
    assert.equal(indexes.current(key), undefined, 'loading: no index yet');
    const first = await indexes.settled(key);
    assert.equal(first?.version, 1);
    assert.equal(indexes.current(key), first);
    fail = true;
    indexes.outdated(key, first!);
    assert.equal(indexes.current(key), undefined, 'an outdated index is never used again');
    await indexes.settled(key);
    assert.equal(loads, 2);
    assert.equal(indexes.current(key, Date.now() + 500), undefined);
    assert.equal(loads, 2, 'not tried again within the wait');
    fail = false;
    assert.equal(indexes.current(key, Date.now() + 1_000), undefined);
    assert.equal((await indexes.settled(key))?.version, 3, 'tried again after it');
  });
});
