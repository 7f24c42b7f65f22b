import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { availableActions, refusal, rolesFor, type Facts } from './lifecycle';
import { monthsBefore, proofDateCounts, proofStatuses, proofWindow, rateAndAllowance, rateFor } from './proofs.rules';

const facts = (over: Partial<Facts> = {}): Facts => ({
  status: 'confirmed',
  period: { applicationsOpenAt: new Date('2026-09-01T08:00:00Z'), applicationsCloseAt: new Date('2026-09-15T22:00:00Z') },
  ...over,
});
const now = new Date('2026-10-01T08:00:00Z');

describe('rates (PAY-5, PAY-6)', () => {
  it('PAY-6 three months before a day is the same day three months earlier, or the month’s last day', () => {
    const cases: [string, number, string][] = [
      ['2026-11-23', 3, '2026-08-23'],
      ['2027-01-15', 3, '2026-10-15'],
      ['2026-05-31', 3, '2026-02-28'],
      ['2028-05-31', 3, '2028-02-29'],
      ['2026-03-31', 1, '2026-02-28'],
      ['2026-12-31', 12, '2025-12-31'],
      ['2026-11-23', 0, '2026-11-23'],
    ];
    for (const [day, months, expected] of cases) assert.equal(monthsBefore(day, months), expected, `${day} − ${months}`);
  });

  it('PAY-6 a proof counts if dated less than three months before the validation and not after it, at its edges', () => {
    const validated = '2026-11-23';
    const cases: [string, boolean, string][] = [
      ['2026-08-23', false, 'exactly three months before: not less than three months'],
      ['2026-08-24', true, 'the first day that counts'],
      ['2026-10-01', true, 'inside'],
      ['2026-11-23', true, 'the validation day itself'],
      ['2026-11-24', false, 'the day after the validation'],
      ['2025-11-23', false, 'a year old'],
    ];
    for (const [date, counts, why] of cases) assert.equal(proofDateCounts(date, validated, 3).ok, counts, `${date}: ${why}`);
    assert.deepEqual(proofDateCounts('2026-08-23', validated, 3), { ok: false, code: 'PAY-6', message: 'proof.date.window', window: { from: '2026-08-24', to: '2026-11-23' } });
  });

  it('PAY-6 the window at the end of a month and across a leap day; the months are the policy’s', () => {
    assert.deepEqual(proofWindow('2026-05-31', 3), { from: '2026-03-01', to: '2026-05-31' });
    assert.deepEqual(proofWindow('2028-05-31', 3), { from: '2028-03-01', to: '2028-05-31' });
    assert.deepEqual(proofWindow('2027-01-15', 3), { from: '2026-10-16', to: '2027-01-15' });
    assert.equal(proofDateCounts('2026-10-23', '2026-11-23', 1).ok, false, 'with a one-month policy');
    assert.equal(proofDateCounts('2026-10-24', '2026-11-23', 1).ok, true);
    assert.equal(proofDateCounts('2026-11-23', '2026-11-23', 0).ok, false, 'with a zero-month policy nothing counts');
  });

  it('PAY-5 PAY-6 the half rate only with an accepted proof; the full rate otherwise, whatever the start date', () => {
    assert.equal(rateFor({ proof: null }), 'full');
    const expected = { pending: 'full', accepted: 'half', refused: 'full' } as const;
    for (const status of proofStatuses) assert.equal(rateFor({ proof: { status } }), expected[status], status);
    assert.deepEqual(rateAndAllowance({ status: 'accepted', allowance: 'aah' }), { rate: 'half', allowance: 'aah' });
    assert.deepEqual(rateAndAllowance({ status: 'refused', allowance: 'rsa' }), { rate: 'full', allowance: null }, 'the allowance of a refused proof does not count');
    assert.deepEqual(rateAndAllowance(null), { rate: 'full', allowance: null });
  });

  it('PAY-6 the learner sends a proof until the enrolment is validated, and replaces it unless it was accepted', () => {
    for (const status of ['preselected', 'confirmed', 'convoked', 'waiting_list', 'accepted'] as const)
      assert.equal(refusal('uploadProof', facts({ status, proof: null }), { role: 'learner', now }), null, status);
    for (const status of ['awaiting_payment', 'enrolled', 'cancelled', 'withdrawn', 'refused'] as const)
      assert.equal(refusal('uploadProof', facts({ status }), { role: 'learner', now })?.code, 'status', status);
    assert.equal(refusal('uploadProof', facts({ proof: 'pending' }), { role: 'learner', now }), null, 'a pending one is replaced');
    assert.equal(refusal('uploadProof', facts({ proof: 'refused' }), { role: 'learner', now }), null, 'a refused one is replaced');
    assert.equal(refusal('uploadProof', facts({ proof: 'accepted' }), { role: 'learner', now })?.code, 'PAY-6');
    assert.equal(refusal('uploadProof', facts(), { role: 'school_head', now })?.code, 'role');
  });

  it('PAY-6 the school head and the administrator decide on a proof sent, before the enrolment is validated', () => {
    assert.deepEqual(rolesFor('decideProof'), ['school_head', 'admin']);
    assert.ok(availableActions(facts({ proof: 'pending' }), { role: 'school_head', now }).has('decideProof'));
    assert.ok(availableActions(facts({ proof: 'accepted' }), { role: 'admin', now }).has('decideProof'), 'a decision may be changed');
    assert.equal(refusal('decideProof', facts({ proof: null }), { role: 'school_head', now })?.code, 'PAY-6', 'nothing to decide');
    assert.equal(refusal('decideProof', facts({ status: 'awaiting_payment', proof: 'pending' }), { role: 'school_head', now })?.code, 'status');
    for (const role of ['coordinator', 'trainer', 'learner'] as const) assert.equal(refusal('decideProof', facts({ proof: 'pending' }), { role, now })?.code, 'role', role);
  });
});
