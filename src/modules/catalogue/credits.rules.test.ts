import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkUnitCredits, ectsCreditValues, nextSemester, semesterOf } from './credits.rules';

describe('teaching units and their credits (CRED-1, CRED-2)', () => {
  it('CRED-1 a unit is worth 4, 6, 8 or 12 ECTS credits, nothing else', () => {
    assert.deepEqual([...ectsCreditValues], [4, 6, 8, 12]);
    for (const credits of [0, 1, 3, 5, 7, 10, 24]) assert.deepEqual(checkUnitCredits(credits, credits * 10), { ok: false, code: 'CRED-1', message: 'cred.err.creditsValue' }, String(credits));
  });

  it('CRED-1 the FAQ’s averages are accepted: 4 credits = 40 h, 8 credits = 65 h, 12 credits = 100 h', () => {
    for (const [credits, hours] of [[4, 40], [8, 65], [12, 100], [6, 60]]) assert.deepEqual(checkUnitCredits(credits, hours), { ok: true }, `${credits} credits, ${hours} h`);
  });

  it('CRED-1 about 10 hours a credit: 8 to 12 hours a credit, the bounds included; the message says the hours that fit', () => {
    const table: [number, number, boolean][] = [
      [4, 32, true], [4, 31, false], [4, 48, true], [4, 49, false],
      [6, 48, true], [6, 47, false], [6, 72, true], [6, 73, false],
      [12, 96, true], [12, 95, false], [12, 144, true], [12, 145, false],
    ];
    for (const [credits, hours, ok] of table) assert.equal(checkUnitCredits(credits, hours).ok, ok, `${credits} credits, ${hours} h`);
    assert.deepEqual(checkUnitCredits(8, 30), { ok: false, code: 'CRED-1', message: 'cred.err.hoursForCredits', params: { credits: 8, hours: 30, min: 64, max: 96 } });
  });

  it('CRED-2 the semesters: the first from mid-October to mid-January, the second from mid-February to the end of May', () => {
    const table: [string, 1 | 2 | null][] = [
      ['2026-10-14', null], ['2026-10-15', 1], ['2026-12-31', 1], ['2027-01-15', 1], ['2027-01-16', null],
      ['2027-02-14', null], ['2027-02-15', 2], ['2027-05-31', 2], ['2027-06-01', null], ['2027-09-01', null],
    ];
    for (const [day, semester] of table) assert.equal(semesterOf(day), semester, day);
  });

  it('CRED-2 the next semester to start: the other one while one runs, the first in the summer', () => {
    assert.deepEqual(nextSemester('2026-12-02'), { semester: 2, startsOn: '2027-02-15' });
    assert.deepEqual(nextSemester('2027-01-30'), { semester: 2, startsOn: '2027-02-15' });
    assert.deepEqual(nextSemester('2027-03-10'), { semester: 1, startsOn: '2027-10-15' });
    assert.deepEqual(nextSemester('2027-07-01'), { semester: 1, startsOn: '2027-10-15' });
    assert.deepEqual(nextSemester('2027-10-15'), { semester: 2, startsOn: '2028-02-15' });
  });
});
