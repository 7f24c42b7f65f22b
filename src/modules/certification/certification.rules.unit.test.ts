import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meetsAttendance } from '../attendance';
import { addMonths, certificateDueOn, checkResult, courseEnd, isLate, MAX_SCORE, passed, readyForOutcomes, testDate } from './certification.rules';

const at = (iso: string) => new Date(iso);

describe('certification rules: passing, the due date, what holds the documents back (ATT-4, CERT-1, CERT-2)', () => {
  it('CERT-1 passing is the outcome "passed": absent from the test is not passing, nor failing', () => {
    assert.equal(passed({ hasEvaluation: true, outcome: 'passed', attendanceCertified: false }), true);
    assert.equal(passed({ hasEvaluation: true, outcome: 'failed', attendanceCertified: true }), false);
    assert.equal(passed({ hasEvaluation: true, outcome: 'absent', attendanceCertified: true }), false);
    assert.equal(passed({ hasEvaluation: true, outcome: null, attendanceCertified: true }), false);
  });

  it('CERT-2 a course without an evaluation gives no certificate of skills, however well attended (it validates passing the test)', () => {
    assert.equal(passed({ hasEvaluation: false, outcome: null, attendanceCertified: true }), false);
    assert.equal(passed({ hasEvaluation: false, outcome: null, attendanceCertified: false }), false);
  });

  it('ATT-4 the threshold is met exactly at 75 % of the minutes, not at 74.99 %', () => {
    const policies = { attendanceCertificatePercent: 75 };
    assert.equal(meetsAttendance(75, 100, policies), true);
    assert.equal(meetsAttendance(450, 600, policies), true);
    assert.equal(meetsAttendance(449, 600, policies), false);
    assert.equal(meetsAttendance(7499, 10000, policies), false);
    assert.equal(meetsAttendance(0, 0, policies), false);
  });

  it('CERT-2 the certificate of skills is due the policy months after the course ends, the month end kept', () => {
    assert.equal(certificateDueOn('2027-06-14', { certificateOfSkillsMonths: 2 }), '2027-08-14');
    assert.equal(certificateDueOn('2026-12-20', { certificateOfSkillsMonths: 2 }), '2027-02-20');
    assert.equal(addMonths('2026-12-31', 2), '2027-02-28');
    assert.equal(addMonths('2027-12-31', 2), '2028-02-29');
    assert.equal(addMonths('2027-01-31', 1), '2027-02-28');
    assert.equal(addMonths('2027-03-31', 12), '2028-03-31');
  });

  it('CERT-2 late the day after the due day, not on it', () => {
    assert.equal(isLate('2027-08-14', '2027-08-14'), false);
    assert.equal(isLate('2027-08-14', '2027-08-15'), true);
    assert.equal(isLate('2027-08-14', '2027-07-01'), false);
  });

  it('ATT-4 the course ends with its last meeting not cancelled (start plus length)', () => {
    const meetings = [
      { startsAt: at('2027-06-07T16:00:00Z'), plannedMinutes: 120, cancelled: false },
      { startsAt: at('2027-06-14T16:00:00Z'), plannedMinutes: 180, cancelled: false },
      { startsAt: at('2027-06-21T16:00:00Z'), plannedMinutes: 120, cancelled: true },
    ];
    assert.deepEqual(courseEnd(meetings), at('2027-06-14T19:00:00Z'));
    assert.equal(courseEnd([]), null);
    assert.equal(courseEnd([{ ...meetings[2] }]), null);
  });

  it('CERT-1 the test is at its fixed date, else at the last meeting not cancelled', () => {
    const meetings = [
      { startsAt: at('2027-06-07T16:00:00Z'), cancelled: false },
      { startsAt: at('2027-06-14T16:00:00Z'), cancelled: false },
      { startsAt: at('2027-06-21T16:00:00Z'), cancelled: true },
    ];
    assert.deepEqual(testDate(null, meetings), at('2027-06-14T16:00:00Z'));
    assert.deepEqual(testDate(at('2027-06-10T16:00:00Z'), meetings), at('2027-06-10T16:00:00Z'));
    assert.equal(testDate(null, []), null);
  });

  it('ATT-4 CERT-1 the documents wait for the end, every register, and (with an evaluation) every result', () => {
    assert.deepEqual(readyForOutcomes({ ended: false, missingRegisters: 0, hasEvaluation: false, missingResults: 0 }), { ok: false, code: 'not_ended' });
    assert.equal(readyForOutcomes({ ended: true, missingRegisters: 1, hasEvaluation: false, missingResults: 0 }).ok, false);
    const registers = readyForOutcomes({ ended: true, missingRegisters: 2, hasEvaluation: true, missingResults: 3 });
    assert.ok(!registers.ok && registers.code === 'ATT-4' && registers.missingRegisters === 2 && registers.missingResults === 3);
    const results = readyForOutcomes({ ended: true, missingRegisters: 0, hasEvaluation: true, missingResults: 1 });
    assert.ok(!results.ok && results.code === 'CERT-1');
    assert.deepEqual(readyForOutcomes({ ended: true, missingRegisters: 0, hasEvaluation: false, missingResults: 5 }), { ok: true });
    assert.deepEqual(readyForOutcomes({ ended: true, missingRegisters: 0, hasEvaluation: true, missingResults: 0 }), { ok: true });
  });

  it('CERT-1 a result: an outcome, a whole mark from 0 to 20, none when absent; else the message next to its field', () => {
    assert.deepEqual(checkResult('passed', '12'), { ok: true, value: { outcome: 'passed', score: 12 } });
    assert.deepEqual(checkResult('failed', ' 0 '), { ok: true, value: { outcome: 'failed', score: 0 } });
    assert.deepEqual(checkResult('passed', String(MAX_SCORE)), { ok: true, value: { outcome: 'passed', score: 20 } });
    assert.deepEqual(checkResult('absent', ''), { ok: true, value: { outcome: 'absent', score: null } });
    const cases: [string | undefined, string | undefined, 'outcome' | 'score'][] = [
      [undefined, '12', 'outcome'],
      ['maybe', '12', 'outcome'],
      ['passed', '', 'score'],
      ['passed', '21', 'score'],
      ['passed', '-1', 'score'],
      ['passed', '12,5', 'score'],
      ['passed', '12.5', 'score'],
      ['passed', 'douze', 'score'],
      ['passed', '1e1', 'score'],
      ['absent', '3', 'score'],
    ];
    for (const [outcome, score, field] of cases) {
      const checked = checkResult(outcome, score);
      assert.ok(!checked.ok && checked.field === field, `${outcome} ${score}: ${JSON.stringify(checked)}`);
    }
  });
});
