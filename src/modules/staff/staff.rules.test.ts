import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listQuery, parseListOptions, sortRows } from './staff.rules';

const row = (code: string, title: string, freePlaces: number) => ({
  code,
  title,
  schoolName: 'École',
  periodName: 'Période',
  capacity: 20,
  processing: 0,
  accepted: 0,
  enrolled: 0,
  waitingList: 0,
  freePlaces,
});

describe('staff list rules', () => {
  it('the list’s filters and order live in its URL; unknown values are dropped, not errors', () => {
    const options = parseListOptions({ q: ' anglais ', period: 'annuel-s1', show: 'free', sort: 'free', dir: 'desc' });
    assert.deepEqual(options, { q: 'anglais', period: 'annuel-s1', show: 'free', sort: 'free', dir: 'desc' });
    assert.deepEqual(parseListOptions(Object.fromEntries(new URLSearchParams(listQuery(options)))), options, 'round trip');
    assert.deepEqual(parseListOptions({ sort: 'password', dir: 'sideways', show: ['free', 'x'], period: '<script>', q: 'x'.repeat(500) }), {
      q: '',
      period: undefined,
      show: 'free',
      sort: undefined,
      dir: undefined,
    });
    assert.deepEqual(parseListOptions(null), { q: '' });
    assert.equal(listQuery({ q: '', show: 'all' }, { sort: 'course', dir: 'asc' }), 'sort=course&dir=asc');
  });

  it('sorting: French order for text, numbers as numbers, ties by session code', () => {
    const rows = [row('S3', 'Zumba', 2), row('S1', 'Ébénisterie', 10), row('S2', 'Anglais', 2)];
    assert.deepEqual(sortRows(rows, 'course', 'asc').map((r) => r.title), ['Anglais', 'Ébénisterie', 'Zumba']);
    assert.deepEqual(sortRows(rows, 'free', 'desc').map((r) => r.code), ['S1', 'S2', 'S3']);
    assert.deepEqual(sortRows(rows, 'free', 'asc').map((r) => r.code), ['S2', 'S3', 'S1']);
  });
});
