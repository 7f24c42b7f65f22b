import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { defaultPolicies } from '../../platform/policies';
import {
  commitmentOf,
  commitmentPattern,
  committedLate,
  drawKey,
  drawOrder,
  drawReference,
  referencePattern,
  sameOrder,
  verifyDraw,
  windowOpensAt,
} from './draw.rules';
import { criteriaPointsOf, rankApplicants, type Applicant } from './selection.rules';

const seedArb = fc.stringMatching(/^[0-9a-f]{32}$/);

describe('draw rules', () => {
  it('SEL-2 the commitment is the SHA-256 of the seed, in lower-case hex', () => {
    assert.equal(commitmentOf('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.match(commitmentOf('00112233445566778899aabbccddeeff'), commitmentPattern);
  });

  it('SEL-2 an application’s reference is derived, stable, 10 base32 characters, and not its id', () => {
    const id = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';
    const reference = drawReference(id);
    assert.match(reference, referencePattern);
    assert.equal(drawReference(id), reference, 'stable');
    assert.equal(drawReference(id.toUpperCase()), reference, 'the id’s case does not matter');
    // The documented derivation: base32 of sha256("cursus-draw:" + id), first 10 characters.
    const first = createHash('sha256').update(`cursus-draw:${id}`).digest();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const bits = [...first].map((b) => b.toString(2).padStart(8, '0')).join('').slice(0, 50);
    assert.equal(reference, bits.match(/.{5}/g)!.map((b) => alphabet[parseInt(b, 2)]).join(''));
    assert.ok(!reference.toLowerCase().includes(id.slice(0, 4)), 'nothing of the id shows');
  });

  it('SEL-2 distinct applications get distinct references (no collision among 20 000)', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`);
    assert.equal(new Set(ids.map(drawReference)).size, ids.length);
  });

  it('SEL-2 the draw key is HMAC-SHA256(seed, reference)', () => {
    assert.equal(drawKey('seed', 'ABCDEFGHIJ'), createHmac('sha256', 'seed').update('ABCDEFGHIJ').digest('hex'));
  });

  it('SEL-2 the draw order is reproducible from the revealed seed and matches the commitment', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { maxLength: 150 }), seedArb, (ids, seed) => {
        const references = ids.map(drawReference);
        const commitment = commitmentOf(seed);
        const check = verifyDraw({ seed, commitment, references });
        assert.ok(check.ok, 'the revealed seed matches its commitment');
        assert.deepEqual([...check.order].sort(), [...references].sort(), 'a permutation of the references');
        // Anyone re-running it, with the references in any order, gets the same order.
        assert.deepEqual(drawOrder(seed, [...references].reverse()), check.order);
        assert.ok(sameOrder(check.order.map((r) => r.toLowerCase()), drawOrder(seed, references)), 'references typed in lower case still match');
        // The order is the keys' order.
        const keys = check.order.map((r) => drawKey(seed, r));
        assert.deepEqual(keys, [...keys].sort());
      }),
    );
  });

  it('SEL-2 a wrong seed does not match the commitment: no order is given', () => {
    fc.assert(
      fc.property(seedArb, seedArb, fc.array(fc.uuid(), { maxLength: 10 }), (seed, other, ids) => {
        fc.pre(seed !== other);
        const check = verifyDraw({ seed: other, commitment: commitmentOf(seed), references: ids.map(drawReference) });
        assert.equal(check.ok, false);
        if (!check.ok) assert.equal(check.actual, commitmentOf(other));
      }),
    );
    // Spaces and capitals around a pasted commitment are forgiven.
    assert.ok(verifyDraw({ seed: 'x', commitment: ` ${commitmentOf('x').toUpperCase()} `, references: [] }).ok);
  });

  it('SEL-2 the ranking breaks ties by the draw of the references: equal applicants come in the draw’s order', () => {
    const points = criteriaPointsOf(defaultPolicies);
    fc.assert(
      fc.property(fc.uniqueArray(fc.uuid(), { minLength: 2, maxLength: 40 }), seedArb, (ids, seed) => {
        const applicants: Applicant[] = ids.map((applicationId) => ({
          applicationId,
          situation: 'employed',
          objective: 'personal',
          prerequisitesMet: true,
          previousAttendancePercent: null,
          previousCertificate: false,
          evaluation: null,
        }));
        const ranked = rankApplicants(applicants, { seed, evaluated: false, points }).ranked;
        assert.deepEqual(
          ranked.map((r) => r.reference),
          drawOrder(seed, ids.map(drawReference)),
        );
      }),
    );
  });

  it('SEL-2 a commitment made after the window opened is late; the window opens at its priority part when there is one', () => {
    const opens = new Date('2026-09-01T08:00:00Z');
    assert.equal(committedLate(new Date('2026-09-01T07:59:00Z'), opens), false);
    assert.equal(committedLate(opens, opens), false, 'at the opening itself: on time');
    assert.equal(committedLate(new Date('2026-09-01T08:00:01Z'), opens), true);
    const priority = new Date('2026-08-25T08:00:00Z');
    assert.equal(windowOpensAt({ priorityOpensAt: priority, applicationsOpenAt: opens }).toISOString(), priority.toISOString());
    assert.equal(windowOpensAt({ priorityOpensAt: null, applicationsOpenAt: opens }).toISOString(), opens.toISOString());
  });
});
