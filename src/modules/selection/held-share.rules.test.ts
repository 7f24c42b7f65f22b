import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allotPlaces, heldShare, heldShareEnds, placesFor, stillHeld, type Share } from './held-share.rules';
import { decide, type Ranked } from './selection.rules';

const until = new Date('2026-10-01T16:00:00Z');
const before = new Date('2026-09-20T10:00:00Z');
const after = new Date('2026-10-01T16:00:00Z');
const share = (places: number, assistedHolding = 0): Share => ({ places, until, assistedHolding });

describe('held share (SVC-5)', () => {
  it('SVC-5 the share is the policy percentage of the capacity, whole places rounded down, none at 0 %', () => {
    assert.equal(heldShare(20, 0), 0);
    assert.equal(heldShare(20, 10), 2);
    assert.equal(heldShare(15, 10), 1, 'never more than the percentage says');
    assert.equal(heldShare(12, 5), 0);
    assert.equal(heldShare(12, 100), 12);
    assert.equal(heldShare(12, 150), 12, 'never more than the capacity');
    assert.equal(heldShare(0, 50), 0);
  });

  it('SVC-5 the share is held until the period’s date, or else until the end of the answer window’s last day in Paris', () => {
    const date = new Date('2026-09-25T08:00:00Z');
    assert.equal(heldShareEnds({ answersUntil: '2026-09-30', assistedPlacesUntil: date }).toISOString(), date.toISOString());
    // Midnight at the end of 30 September in Paris (summer time: UTC+2).
    assert.equal(heldShareEnds({ answersUntil: '2026-09-30', assistedPlacesUntil: null }).toISOString(), '2026-09-30T22:00:00.000Z');
    assert.equal(heldShareEnds({ answersUntil: '2027-01-31' }).toISOString(), '2027-01-31T23:00:00.000Z');
  });

  it('SVC-5 a non-assisted decision gets free − max(0, share − assisted holding); an assisted one every free place', () => {
    assert.equal(placesFor({ free: 5, assisted: false, share: share(2), now: before }), 3);
    assert.equal(placesFor({ free: 5, assisted: false, share: share(2, 1), now: before }), 4);
    assert.equal(placesFor({ free: 5, assisted: false, share: share(2, 2), now: before }), 5, 'the share is taken: nothing more held');
    assert.equal(placesFor({ free: 5, assisted: false, share: share(2, 3), now: before }), 5, 'more assisted than the share: never negative');
    assert.equal(placesFor({ free: 2, assisted: false, share: share(2), now: before }), 0, 'only held places remain');
    assert.equal(placesFor({ free: 1, assisted: false, share: share(3), now: before }), 0, 'never below zero');
    assert.equal(placesFor({ free: 2, assisted: true, share: share(2), now: before }), 2);
    assert.equal(placesFor({ free: 0, assisted: true, share: share(2), now: before }), 0);
  });

  it('SVC-5 after the date nothing is held', () => {
    assert.equal(stillHeld(share(2), before), 2);
    assert.equal(stillHeld(share(2), after), 0);
    assert.equal(placesFor({ free: 2, assisted: false, share: share(2), now: after }), 2);
  });

  it('SVC-5 places go in order, assisted candidates passing those who are not once only held places remain', () => {
    const c = (id: string, assisted: boolean) => ({ id, assisted });
    const list = [c('a', false), c('b', false), c('c', false), c('d', true), c('e', false), c('f', true)];
    const { placed, passed } = allotPlaces(list, { free: 4, share: share(2), now: before });
    assert.deepEqual(placed.map((x) => x.id), ['a', 'b', 'd', 'f']);
    assert.deepEqual(passed.map((x) => x.id), ['c', 'e']);
    // An assisted candidate ranked first takes a held place: the others keep theirs.
    assert.deepEqual(allotPlaces([c('d', true), c('a', false), c('b', false), c('c', false)], { free: 4, share: share(2), now: before }).placed.map((x) => x.id), ['d', 'a', 'b']);
    // After the date: plain order.
    assert.deepEqual(allotPlaces(list, { free: 4, share: share(2), now: after }).placed.map((x) => x.id), ['a', 'b', 'c', 'd']);
  });

  it('SVC-5 whatever the order and the numbers: never more than the free places, never a held place to a non-assisted one, no place left unused that someone may take', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 40 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 10 }),
        fc.boolean(),
        (assistedFlags, free, places, holding, late) => {
          const candidates = assistedFlags.map((assisted, i) => ({ i, assisted }));
          const s = share(places, holding);
          const now = late ? after : before;
          const { placed, passed } = allotPlaces(candidates, { free, share: s, now });
          assert.equal(placed.length + passed.length, candidates.length);
          assert.ok(placed.length <= free);
          const plain = placed.filter((x) => !x.assisted).length;
          assert.ok(plain <= Math.max(0, free - stillHeld(s, now)), 'the share holds');
          // Nobody passed over could have had a place: an assisted one only when every place is
          // taken, a plain one only when only held places remain (at the end, as then).
          const freeLeft = free - placed.length;
          const heldLeft = stillHeld({ ...s, assistedHolding: holding + placed.filter((x) => x.assisted).length }, now);
          if (passed.some((x) => x.assisted)) assert.equal(freeLeft, 0);
          if (passed.some((x) => !x.assisted)) assert.ok(freeLeft - heldLeft <= 0);
          // Order kept among each kind.
          assert.deepEqual(placed.map((x) => x.i), [...placed.map((x) => x.i)].sort((a, b) => a - b));
        },
      ),
    );
  });

  it('SVC-5 without a share (0 %) the selection is as before: the first ranked take the free places', () => {
    const ranked = ['a', 'b', 'c'].map((id, i) => ({ applicationId: id, rank: i + 1, assisted: id === 'c' }) as Ranked);
    assert.deepEqual(decide({ ranked, refused: [] }, { free: 2 }).map((o) => o.outcome), ['accepted', 'accepted', 'waiting_list']);
    assert.deepEqual(decide({ ranked, refused: [] }, { free: 2, share: share(1), now: before }).map((o) => o.outcome), ['accepted', 'waiting_list', 'accepted']);
    assert.deepEqual(decide({ ranked, refused: [] }, { free: 2, share: share(1), now: after }).map((o) => o.outcome), ['accepted', 'accepted', 'waiting_list']);
  });
});
