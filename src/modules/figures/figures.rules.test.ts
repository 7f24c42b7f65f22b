import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { acceptanceRate, addCounts, attendanceRate, barLengths, emptyCounts, fillRate, percentDown, rollUp, scaleMax, total, type Counts } from './figures.rules';

const counts = (c: Partial<Counts>): Counts => ({ ...emptyCounts(), ...c });

describe('SVC-6: the rules of the figures', () => {
  it('SVC-6: a share is in whole percent, rounded down, in integers (29 of 100 is 29 %), none without a whole', () => {
    const cases: [number, number, number | null][] = [
      [29, 100, 29],
      [57, 100, 57],
      [1, 3, 33],
      [2, 3, 66],
      [149, 200, 74],
      [3, 4, 75],
      [19, 20, 95],
      [20, 20, 100],
      [25, 20, 125],
      [0, 20, 0],
      [5, 0, null],
      [0, 0, null],
    ];
    for (const [part, whole, expected] of cases) assert.equal(percentDown(part, whole), expected, `${part}/${whole}`);
    fc.assert(fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 100_000 }), (part, whole) => {
      const p = percentDown(part, whole)!;
      return p * whole <= part * 100 && part * 100 < (p + 1) * whole;
    }));
  });

  it('SVC-6: the fill rate is the places taken over the capacity; a session one place short is never 100 %', () => {
    assert.equal(fillRate({ holding: 19, capacity: 20 }), 95);
    assert.equal(fillRate({ holding: 24, capacity: 25 }), 96);
    assert.equal(fillRate({ holding: 99, capacity: 100 }), 99);
    assert.equal(fillRate({ holding: 20, capacity: 20 }), 100);
    assert.equal(fillRate({ holding: 22, capacity: 20 }), 110, 'a capacity lowered below the places taken');
    assert.equal(fillRate({ holding: 0, capacity: 0 }), null);
    assert.equal(attendanceRate({ attendedMinutes: 5399, plannedMinutes: 7200 }), 74, '74.99 % is not 75 %');
    assert.equal(acceptanceRate({ accepted: 3, refused: 1 }), 75);
    assert.equal(acceptanceRate({ accepted: 0, refused: 0 }), null);
  });

  it('SVC-6: a group sums its sessions, and its rate comes from the sums, not an average of rates', () => {
    const groups = rollUp(
      [
        { school: 'École b', c: counts({ sessions: 1, capacity: 10, holding: 10 }) },
        { school: 'École a', c: counts({ sessions: 1, capacity: 90, holding: 0 }) },
        { school: 'École b', c: counts({ sessions: 1, capacity: 90, holding: 9 }) },
        { school: 'Zola', c: counts({ sessions: 1, capacity: 1 }) },
      ],
      (x) => ({ key: x.school, label: x.school }),
      (x) => x.c,
    );
    assert.deepEqual(
      groups.map((g) => g.label),
      ['École a', 'École b', 'Zola'],
      'French order: É with the E, before Z',
    );
    assert.equal(fillRate(groups[1].counts), 19, '19 of 100, not the mean of 100 % and 10 %');
    assert.deepEqual({ sessions: total(groups).sessions, capacity: total(groups).capacity, holding: total(groups).holding }, { sessions: 4, capacity: 191, holding: 19 });
    assert.deepEqual(addCounts(emptyCounts(), counts({ paidCents: 5 })), counts({ paidCents: 5 }));
  });

  it('SVC-6: a count chart ends at a round number at or above the largest value; a percentage chart at 100 %', () => {
    const cases: [number[], 'count' | 'percent', number][] = [
      [[], 'count', 1],
      [[0, 0], 'count', 1],
      [[1], 'count', 1],
      [[3], 'count', 5],
      [[7, 2], 'count', 10],
      [[10], 'count', 10],
      [[11], 'count', 20],
      [[20_000], 'count', 20_000],
      [[20_001], 'count', 50_000],
      [[82_500], 'count', 100_000],
      [[0.5], 'count', 0.5],
      [[36, 100], 'percent', 100],
      [[0], 'percent', 100],
      [[110], 'percent', 200],
    ];
    for (const [values, kind, expected] of cases) assert.equal(scaleMax(values, kind), expected, `${kind} ${values}`);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 1 }), (values) => {
      const max = scaleMax(values, 'count');
      return max >= Math.max(...values) && max <= Math.max(1, 5 * Math.max(...values));
    }));
  });

  it('SVC-6: bars are proportional, never past the end, and a value above zero stays visible', () => {
    assert.deepEqual(barLengths([0, 1, 50, 100], 100, 500), [0, 5, 250, 500]);
    assert.deepEqual(barLengths([1, 10_000], 10_000, 500), [2, 500], 'one in ten thousand still shows');
    assert.deepEqual(barLengths([150], 100, 500), [500], 'clipped to the end');
    assert.deepEqual(barLengths([5], 0, 500), [0]);
    fc.assert(fc.property(fc.array(fc.nat(1_000_000)), (values) => {
      const max = scaleMax(values, 'count');
      const lengths = barLengths(values, max, 530);
      return lengths.every((l, i) => l >= 0 && l <= 530 && (values[i] > 0) === (l > 0)) && lengths.every((l, i) => values.every((v, j) => !(values[i] > v) || l >= lengths[j]));
    }));
  });
});
