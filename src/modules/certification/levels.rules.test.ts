import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failuresIn, hasPriority, passedCourses, prerequisiteOf, previousLevel, repeatCheck, type OutcomeFact } from './levels.rules';

const A1 = 1;
const A2 = 2;
let minute = 0;
const outcome = (over: Partial<OutcomeFact> = {}): OutcomeFact => ({
  courseId: A1,
  attendedMinutes: 90 * 60,
  plannedMinutes: 100 * 60,
  attendanceCertified: true,
  outcome: 'passed',
  certificateIssuedAt: null,
  computedAt: new Date(Date.UTC(2026, 5, 30, 0, minute++)),
  ...over,
});

describe('levels rules', () => {
  describe('SEL-1 prerequisites: the previous level’s certificate of skills', () => {
    it('SEL-1 a course without a previous level has no prerequisite', () => {
      assert.equal(prerequisiteOf(null, []).ok, true);
    });
    it('SEL-1 the certificate of skills of the previous course is enough, issued or still due', () => {
      assert.equal(prerequisiteOf(A1, [outcome({ certificateIssuedAt: new Date() })]).ok, true);
      assert.equal(prerequisiteOf(A1, [outcome({ certificateIssuedAt: null })]).ok, true);
    });
    it('SEL-1 no history, a failure, an absence at the test, or another course’s certificate: not met', () => {
      for (const outcomes of [[], [outcome({ outcome: 'failed' })], [outcome({ outcome: 'absent' })], [outcome({ courseId: 9 })]]) {
        assert.deepEqual(prerequisiteOf(A1, outcomes), { ok: false, code: 'SEL-1', reason: 'no_certificate' });
      }
    });
    it('SEL-1 a previous course without an evaluation: its attendance certificate opens the next level', () => {
      assert.equal(prerequisiteOf(A1, [outcome({ outcome: null, attendanceCertified: true })]).ok, true);
      assert.equal(prerequisiteOf(A1, [outcome({ outcome: null, attendanceCertified: false })]).ok, false);
    });
    it('SEL-1 a failure then a pass: met', () => {
      assert.equal(prerequisiteOf(A1, [outcome({ outcome: 'failed' }), outcome()]).ok, true);
    });
  });

  describe('SEL-2 the previous level from real data', () => {
    it('SEL-2 the attendance is attended over planned minutes of the latest attempt, rounded down', () => {
      const level = previousLevel(A1, [outcome({ attendedMinutes: 50, plannedMinutes: 100, outcome: 'failed' }), outcome({ attendedMinutes: 749, plannedMinutes: 1000 })]);
      assert.deepEqual(level, { passed: true, certificate: true, attendancePercent: 74 });
    });
    it('SEL-2 without an attempt: no certificate, attendance unknown', () => {
      assert.deepEqual(previousLevel(A1, [outcome({ courseId: A2 })]), { passed: false, certificate: false, attendancePercent: null });
    });
    it('SEL-2 a course without an evaluation gives no certificate of skills, only attendance', () => {
      assert.deepEqual(previousLevel(A1, [outcome({ outcome: null, attendedMinutes: 80, plannedMinutes: 100 })]), { passed: true, certificate: false, attendancePercent: 80 });
    });
  });

  describe('CERT-3 repeats', () => {
    const cases: [string, OutcomeFact[], number, boolean][] = [
      ['never took it', [], 1, true],
      ['failed once: one repeat', [outcome({ outcome: 'failed' })], 1, true],
      ['failed twice: no third attempt', [outcome({ outcome: 'failed' }), outcome({ outcome: 'failed' })], 1, false],
      ['failed once, absent at the test once: no third attempt', [outcome({ outcome: 'failed' }), outcome({ outcome: 'absent' })], 1, false],
      ['failed twice with two repeats allowed', [outcome({ outcome: 'failed' }), outcome({ outcome: 'failed' })], 2, true],
      ['no repeat allowed, failed once', [outcome({ outcome: 'failed' })], 0, false],
      ['failures in another course do not count', [outcome({ courseId: A2, outcome: 'failed' }), outcome({ courseId: A2, outcome: 'failed' })], 1, true],
      ['a course without an evaluation has no failure', [outcome({ outcome: null, attendanceCertified: false }), outcome({ outcome: null, attendanceCertified: false })], 1, true],
    ];
    for (const [name, outcomes, allowed, ok] of cases) {
      it(`CERT-3 ${name}`, () => {
        const check = repeatCheck(A1, outcomes, allowed);
        assert.equal(check.ok, ok);
        assert.equal(check.failures, failuresIn(A1, outcomes));
        if (!check.ok) assert.equal(check.message, 'cert.error.repeatLimit');
      });
    }
    it('CERT-3 an attempt still running counts as one: failed once and enrolled again, no third; never failed and enrolled, one more', () => {
      assert.equal(repeatCheck(A1, [outcome({ outcome: 'failed' })], 1, 1).ok, false);
      assert.equal(repeatCheck(A1, [], 1, 1).ok, true);
      assert.equal(repeatCheck(A1, [], 1, 2).ok, false);
      assert.equal(repeatCheck(A1, [outcome({ outcome: 'failed' })], 1, 0).ok, true);
    });
  });

  describe('CERT-6 the next level', () => {
    it('CERT-6 passed = the certificate of skills and the attendance certificate', () => {
      assert.deepEqual([...passedCourses([outcome()])], [A1]);
      assert.deepEqual([...passedCourses([outcome({ attendanceCertified: false })])], [], 'certificate without attendance');
      assert.deepEqual([...passedCourses([outcome({ outcome: 'failed' })])], [], 'attendance without certificate');
    });
    it('CERT-6 the priority window is for the course whose previous level was passed, only', () => {
      assert.equal(hasPriority(A1, [outcome()]), true);
      assert.equal(hasPriority(A2, [outcome()]), false);
      assert.equal(hasPriority(null, [outcome()]), false);
      assert.equal(hasPriority(A1, []), false);
    });
  });
});
