import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { actions, roleMay, transitions } from '../applications/lifecycle';
import { freePlaces } from '../catalogue/catalogue.rules';
import { defaultPolicies } from '../../platform/policies';
import { criteriaPointsOf, criteriaScore, decide, earliestConvocationDay, rankApplicants, type Applicant } from './selection.rules';

const situations = ['employed', 'job_seeker', 'welfare_recipient', 'assisted_contract', 'student', 'retired', 'other'] as const;
const objectives = ['professional', 'personal', 'diploma', 'other'] as const;
const points = criteriaPointsOf(defaultPolicies);
const applicantArb = fc.record({
  applicationId: fc.uuid(),
  situation: fc.constantFrom(...situations),
  objective: fc.constantFrom(...objectives),
  prerequisitesMet: fc.boolean(),
  previousAttendancePercent: fc.option(fc.integer({ min: 0, max: 100 })),
  previousCertificate: fc.boolean(),
  evaluation: fc.option(fc.integer({ min: 0, max: 20 })),
});
const applicantsArb = fc.uniqueArray(applicantArb, { selector: (a) => a.applicationId, maxLength: 60 });
const base = (id: string, overrides: Partial<Applicant> = {}): Applicant => ({
  applicationId: id,
  situation: 'employed',
  objective: 'personal',
  prerequisitesMet: true,
  previousAttendancePercent: null,
  previousCertificate: false,
  evaluation: null,
  ...overrides,
});

describe('selection rules', () => {
  it('SEL-3 SEL-4 the first day a convocation may be dated leaves the notice, across months, years and clock changes', () => {
    const cases: [string, number, string][] = [
      ['2026-11-23', 3, '2026-11-26'],
      ['2026-11-29', 3, '2026-12-02'],
      ['2026-12-30', 3, '2027-01-02'],
      ['2027-03-27', 1, '2027-03-28'],
      ['2026-10-24', 2, '2026-10-26'],
      ['2028-02-28', 1, '2028-02-29'],
      ['2026-11-23', 0, '2026-11-23'],
    ];
    for (const [today, days, first] of cases) assert.equal(earliestConvocationDay(today, days), first, `${today} + ${days}`);
  });

  it('SEL-2 the criteria points are the policy settings: changing one changes the score it gives', () => {
    const more = criteriaPointsOf({ ...defaultPolicies, pointsJobSeeker: 5, previousAttendancePercentForPoints: 50 });
    assert.equal(criteriaScore(base('x', { situation: 'job_seeker' }), more), 5);
    assert.equal(criteriaScore(base('x', { previousAttendancePercent: 60 }), more), defaultPolicies.pointsPreviousAttendance);
    assert.equal(criteriaScore(base('x', { previousAttendancePercent: 60 }), points), 0);
  });

  it('APP-10 SEL-2 the ranking does not depend on the order applications arrived in', () => {
    fc.assert(
      fc.property(applicantsArb, fc.string(), fc.boolean(), fc.nat(), (applicants, seed, evaluated, shift) => {
        const shuffled = applicants.map((_, i) => applicants[(i + shift) % applicants.length]).reverse();
        const a = rankApplicants(applicants, { seed, evaluated, points }).ranked.map((r) => r.applicationId);
        const b = rankApplicants(shuffled, { seed, evaluated, points }).ranked.map((r) => r.applicationId);
        assert.deepEqual(a, b);
      }),
    );
  });

  it('SEL-2 the evaluation prevails over every other criterion', () => {
    const ranking = rankApplicants(
      [
        base('a', { situation: 'welfare_recipient', objective: 'professional', previousCertificate: true, previousAttendancePercent: 100, evaluation: 11 }),
        base('b', { evaluation: 12 }),
        base('c', { situation: 'welfare_recipient', evaluation: null }),
      ],
      { seed: 's', evaluated: true, points },
    );
    assert.deepEqual(ranking.ranked.map((r) => r.applicationId), ['b', 'a', 'c'], 'a missing mark comes after every mark');
    const without = rankApplicants([base('b', { evaluation: 12 }), base('a', { situation: 'welfare_recipient' })], { seed: 's', evaluated: false, points });
    assert.deepEqual(without.ranked.map((r) => r.applicationId), ['a', 'b'], 'without an evaluated course, marks are not used');
  });

  it('SEL-2 social criteria, objectives and previous results give points', () => {
    assert.equal(criteriaScore(base('x'), points), 0);
    assert.equal(criteriaScore(base('x', { situation: 'welfare_recipient' }), points), 3);
    assert.equal(criteriaScore(base('x', { situation: 'job_seeker', objective: 'diploma' }), points), 3);
    assert.equal(criteriaScore(base('x', { previousCertificate: true, previousAttendancePercent: 75 }), points), 3);
    assert.equal(criteriaScore(base('x', { previousAttendancePercent: 74 }), points), 0);
  });

  it('SEL-1 SEL-3 applicants without the prerequisites are refused, not ranked', () => {
    const ranking = rankApplicants([base('a', { prerequisitesMet: false }), base('b')], { seed: 's', evaluated: false, points });
    assert.deepEqual(ranking.ranked.map((r) => r.applicationId), ['b']);
    assert.deepEqual(ranking.refused.map((r) => r.applicationId), ['a']);
  });

  it('SEL-6 never more accepted than the free places; the rest wait with their rank', () => {
    fc.assert(
      fc.property(applicantsArb, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 40 }), (applicants, capacity, taken) => {
        const outcomes = decide(rankApplicants(applicants, { seed: 'seed', evaluated: false, points }), { free: freePlaces(capacity, taken) });
        const accepted = outcomes.filter((o) => o.outcome === 'accepted').length;
        const eligible = applicants.filter((a) => a.prerequisitesMet).length;
        assert.equal(accepted, Math.min(eligible, Math.max(0, capacity - taken)));
        assert.equal(outcomes.length, applicants.length, 'everyone gets an outcome');
        const ranks = outcomes.flatMap((o) => (o.outcome === 'waiting_list' ? [o.rank] : []));
        assert.ok(ranks.every((rank, i) => i === 0 || rank > ranks[i - 1]), 'waiting ranks increase');
      }),
    );
  });

  it('SEL-2 a staff adjustment moves an applicant among equal evaluations, never past a better mark', () => {
    const plain = rankApplicants([base('a', { evaluation: 12 }), base('b', { evaluation: 12, adjustment: 2 }), base('c', { evaluation: 14 })], { seed: 's', evaluated: true, points });
    assert.deepEqual(plain.ranked.map((r) => r.applicationId), ['c', 'b', 'a']);
    const down = rankApplicants([base('a', { situation: 'job_seeker' }), base('b', { situation: 'job_seeker', adjustment: -1 })], { seed: 's', evaluated: false, points });
    assert.deepEqual(down.ranked.map((r) => [r.applicationId, r.score]), [['a', 2], ['b', 1]]);
  });

  it('who does what: each staff action names the roles that may do it', () => {
    assert.equal(roleMay('trainer', 'mark'), true);
    assert.equal(roleMay('trainer', 'adjust'), false);
    assert.equal(roleMay('school_head', 'attendAbsent'), true);
    assert.equal(roleMay('school_head', 'accept'), false);
    assert.equal(roleMay('coordinator', 'moveLevel'), true);
    assert.equal(roleMay('learner', 'mark'), false);
    for (const action of actions)
      if (transitions[action].roles.some((r) => r !== 'learner' && r !== 'system')) assert.ok(roleMay('admin', action), 'the administrator does everything');
  });
});
