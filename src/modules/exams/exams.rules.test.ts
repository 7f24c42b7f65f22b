import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  academicYearOf,
  checkDecision,
  checkExamSession,
  checkRequest,
  checkSessionOrder,
  defaultSitting,
  mayDecide,
  mayMark,
  mayOrganise,
  maySitSecondSession,
  parseMark,
  passes,
  typedMark,
  type RequestInput,
  type StaffScope,
} from './exams.rules';

const mark = (typed: string) => {
  const r = parseMark(typed);
  return r.ok ? r.result : r.message;
};

describe('exams rules (CRED-3)', () => {
  it('CRED-3 a mark is out of 20 with one decimal, or ABS; anything else is refused with its message', () => {
    assert.deepEqual(mark(''), { kind: 'none' });
    assert.deepEqual(mark('  '), { kind: 'none' });
    assert.deepEqual(mark('ABS'), { kind: 'absent' });
    assert.deepEqual(mark('absent'), { kind: 'absent' });
    assert.deepEqual(mark('0'), { kind: 'mark', tenths: 0 });
    assert.deepEqual(mark('12,5'), { kind: 'mark', tenths: 125 });
    assert.deepEqual(mark('12.5'), { kind: 'mark', tenths: 125 });
    assert.deepEqual(mark('20'), { kind: 'mark', tenths: 200 });
    assert.deepEqual(mark('09'), { kind: 'mark', tenths: 90 });
    for (const bad of ['abc', '12,55', '-1', '1e1', '12,', ',5', '\u0000', '12 5', 'Infinity', '99999999999999999999']) assert.equal(mark(bad), 'exams.err.mark', bad);
    for (const over of ['25', '20,1', '99']) assert.equal(mark(over), 'exams.err.markRange', over);
  });

  it('CRED-3 a pass is 10/20 or more; absent or below 10 is not; the form shows a result back as typed', () => {
    assert.equal(passes({ markTenths: 100, absent: false }), true);
    assert.equal(passes({ markTenths: 99, absent: false }), false);
    assert.equal(passes({ markTenths: null, absent: true }), false);
    assert.equal(passes({ markTenths: null, absent: false }), false);
    assert.equal(typedMark({ markTenths: 125, absent: false }), '12,5');
    assert.equal(typedMark({ markTenths: 100, absent: false }), '10');
    assert.equal(typedMark({ markTenths: null, absent: true }), 'ABS');
    assert.equal(typedMark({ markTenths: null, absent: false }), '');
  });

  it('CRED-3 the second session is for those who failed the first or were absent, once its results are published', () => {
    assert.equal(maySitSecondSession({ markTenths: 80, absent: false, published: true }), true);
    assert.equal(maySitSecondSession({ markTenths: null, absent: true, published: true }), true);
    assert.equal(maySitSecondSession({ markTenths: 100, absent: false, published: true }), false);
    assert.equal(maySitSecondSession({ markTenths: 80, absent: false, published: false }), false);
    assert.equal(maySitSecondSession({ markTenths: null, absent: false, published: true }), false);
  });

  it('CRED-3 two sessions a year: session 1 or 2, a day of the academic year, the second after the first', () => {
    assert.equal(academicYearOf('2026-10-20'), 2026);
    assert.equal(academicYearOf('2027-06-10'), 2026);
    assert.equal(academicYearOf('2026-09-01'), 2026);
    assert.equal(academicYearOf('2026-08-31'), 2025);
    assert.deepEqual(checkExamSession({ number: 1, heldOn: '2027-01-25', academicYear: 2026 }), { ok: true });
    assert.equal((checkExamSession({ number: 3, heldOn: '2027-01-25', academicYear: 2026 }) as { message: string }).message, 'exams.err.number');
    const outside = checkExamSession({ number: 2, heldOn: '2027-09-02', academicYear: 2026 });
    assert.ok(!outside.ok && outside.field === 'held_on' && outside.code === 'CRED-3');
    assert.deepEqual(checkSessionOrder({ number: 2, heldOn: '2027-06-20', other: [{ number: 1, heldOn: '2027-01-25' }] }), { ok: true });
    const early = checkSessionOrder({ number: 2, heldOn: '2027-01-20', other: [{ number: 1, heldOn: '2027-01-25' }] });
    assert.ok(!early.ok && early.message === 'exams.err.secondAfterFirst');
    const late = checkSessionOrder({ number: 1, heldOn: '2027-07-01', other: [{ number: 2, heldOn: '2027-06-20' }] });
    assert.ok(!late.ok && late.message === 'exams.err.firstBeforeSecond');
  });

  const context = { today: '2027-01-10', heldOn: '2027-01-25', currentCentreId: 1, resultEntered: false, openKinds: [] as const };
  const centre: RequestInput = { kind: 'another_centre', reason: 'move', wishedCentreId: 2, details: null, hasFile: true };
  const refusedWith = (input: RequestInput, ctx: Parameters<typeof checkRequest>[1] = context) => {
    const r = checkRequest(input, ctx);
    return r.ok ? 'ok' : `${r.field}:${r.message}`;
  };

  it('CRED-3 another centre needs the reason (travel or move), a centre other than the current one, and a proof', () => {
    assert.equal(refusedWith(centre), 'ok');
    assert.equal(refusedWith({ ...centre, reason: 'professional_travel' }), 'ok');
    assert.equal(refusedWith({ ...centre, reason: null }), 'reason:exams.err.reason');
    assert.equal(refusedWith({ ...centre, reason: 'holidays' }), 'reason:exams.err.reason');
    assert.equal(refusedWith({ ...centre, wishedCentreId: null }), 'centre:exams.err.centre');
    assert.equal(refusedWith({ ...centre, wishedCentreId: 1 }), 'centre:exams.err.sameCentre');
    assert.equal(refusedWith({ ...centre, hasFile: false }), 'file:exams.err.proofRequired');
  });

  it('CRED-3 accommodations need what is asked, the proof is optional; no request after the exam, its mark, or twice', () => {
    const accommodations: RequestInput = { kind: 'accommodations', reason: null, wishedCentreId: null, details: 'Un tiers-temps', hasFile: false };
    assert.equal(refusedWith(accommodations), 'ok');
    assert.equal(refusedWith({ ...accommodations, details: '  ' }), 'details:exams.err.details');
    assert.equal(refusedWith(centre, { ...context, today: '2027-01-26' }), 'kind:exams.err.requestTooLate');
    assert.equal(refusedWith(centre, { ...context, today: '2027-01-25' }), 'ok');
    assert.equal(refusedWith(centre, { ...context, resultEntered: true }), 'kind:exams.err.requestTooLate');
    assert.equal(refusedWith(centre, { ...context, openKinds: ['another_centre'] }), 'kind:exams.err.requestOpen');
    assert.equal(refusedWith(accommodations, { ...context, openKinds: ['another_centre'] }), 'ok');
  });

  it('CRED-3 staff approve, or refuse with a reason', () => {
    assert.deepEqual(checkDecision({ approve: true, reason: '' }), { ok: true });
    assert.deepEqual(checkDecision({ approve: false, reason: 'Le centre est complet ce jour-là.' }), { ok: true });
    const bare = checkDecision({ approve: false, reason: '   ' });
    assert.ok(!bare.ok && bare.field === 'reason' && bare.message === 'exams.err.refusalReason');
  });

  it('CRED-3 who acts: the centre’s coordinator or an administrator organises; a trainer marks their units; the wished centre decides another centre', () => {
    const admin: StaffScope = { role: 'admin', all: true, schoolIds: [], unitIds: [] };
    const coordinator: StaffScope = { role: 'coordinator', all: false, schoolIds: [1], unitIds: [] };
    const other: StaffScope = { role: 'coordinator', all: false, schoolIds: [2], unitIds: [] };
    const trainer: StaffScope = { role: 'trainer', all: false, schoolIds: [], unitIds: [7] };
    const head: StaffScope = { role: 'school_head', all: false, schoolIds: [1], unitIds: [] };
    assert.deepEqual([admin, coordinator, other, trainer, head].map((s) => mayOrganise(s, 1)), [true, true, false, false, false]);
    const session = { centreId: 1, courseId: 7 };
    assert.deepEqual([admin, coordinator, other, trainer, head].map((s) => mayMark(s, session)), [true, true, false, true, false]);
    assert.equal(mayMark(trainer, { centreId: 1, courseId: 8 }), false);
    const move = { kind: 'another_centre' as const, sessionCentreId: 1, wishedCentreId: 2 };
    assert.deepEqual([admin, coordinator, other, trainer].map((s) => mayDecide(s, move)), [true, true, true, false]);
    assert.equal(mayDecide(other, { kind: 'accommodations', sessionCentreId: 1, wishedCentreId: null }), false);
  });

  it('CRED-3 moving: a learner sits the session held at their centre of record, else their enrolment’s centre, else the first', () => {
    const sessions = [
      { id: 'a', centreId: 1 },
      { id: 'b', centreId: 2 },
      { id: 'c', centreId: 3 },
    ];
    assert.equal(defaultSitting(sessions, { centreOfRecord: 3, enrolmentCentre: 2 })?.id, 'c');
    assert.equal(defaultSitting(sessions, { centreOfRecord: 9, enrolmentCentre: 2 })?.id, 'b');
    assert.equal(defaultSitting(sessions, { centreOfRecord: null, enrolmentCentre: null })?.id, 'a');
    assert.equal(defaultSitting([], { centreOfRecord: 1, enrolmentCentre: 1 }), null);
  });
});
