import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { conflictsOf, entriesToWrite, mayCancelMeetings, meetingState, minutesInRange, registerRefusal } from './registers.rules';
import { meetingId, parseRegisterForm } from './registers.schema';

const now = new Date('2026-09-01T08:00:00Z');
const past = { startsAt: new Date('2026-08-31T16:30:00Z'), cancelledAt: null };
const future = { startsAt: new Date('2026-09-07T16:30:00Z'), cancelledAt: null };
const cancelled = { ...past, cancelledAt: new Date('2026-08-30T10:00:00Z') };

describe('register rules and form (ATT-1)', () => {
  it('ATT-1 a meeting’s state: to come, held with its register taken or missing, cancelled', () => {
    assert.equal(meetingState(future, now, false), 'to_come');
    assert.equal(meetingState(past, now, false), 'missing');
    assert.equal(meetingState(past, now, true), 'taken');
    assert.equal(meetingState(cancelled, now, true), 'cancelled');
    assert.equal(meetingState({ startsAt: now, cancelledAt: null }, now, false), 'missing', 'held from its start');
  });

  it('ATT-1 the register is taken once the meeting started, never for a cancelled one; the service cancels, trainers do not', () => {
    assert.equal(registerRefusal(past, now), null);
    assert.equal(registerRefusal(future, now), 'not_started');
    assert.equal(registerRefusal(cancelled, now), 'cancelled');
    assert.deepEqual((['trainer', 'school_head', 'coordinator', 'admin', 'learner'] as const).map(mayCancelMeetings), [false, true, true, true, false]);
  });

  it('ATT-1 minutes missed: a whole number from 0 to the meeting’s length', () => {
    assert.deepEqual([0, 120, 121, -1, 1.5].map((m) => minutesInRange(m, 120)), [true, true, false, false, false]);
  });

  it('ATT-1 a save writes an entry only where the mark or the minutes changed; minutes attended by the grace', () => {
    const current = new Map([
      ['a', { mark: 'present' as const, minutesMissed: 0 }],
      ['b', { mark: 'late' as const, minutesMissed: 20 }],
      ['c', { mark: 'absent' as const, minutesMissed: 0 }],
    ]);
    const written = entriesToWrite(
      [
        { applicationId: 'a', mark: 'present', minutesMissed: 0 },
        { applicationId: 'b', mark: 'late', minutesMissed: 30 },
        { applicationId: 'c', mark: 'absent', minutesMissed: 15 },
        { applicationId: 'd', mark: 'left_early', minutesMissed: 40 },
      ],
      current,
      120,
      { lateGraceMinutes: 10 },
    );
    assert.deepEqual(written, [
      { applicationId: 'b', mark: 'late', minutesMissed: 30, minutesAttended: 100 },
      { applicationId: 'd', mark: 'left_early', minutesMissed: 40, minutesAttended: 90 },
    ]);
  });

  it('ATT-1 the form: the marks of the learners listed, minutes for a late arrival or an early leaving, each error next to its field', () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const token = randomUUID();
    const ok = parseRegisterForm({ token, learners: `${a} ${b} ${c}`, [`mark_${a}`]: 'present', [`missed_${a}`]: '12', [`mark_${b}`]: 'late', [`missed_${b}`]: ' 25 ', [`mark_${c}`]: 'justified' });
    assert.deepEqual(ok, {
      ok: true,
      data: {
        token,
        marks: [
          { applicationId: a, mark: 'present', minutesMissed: 0 },
          { applicationId: b, mark: 'late', minutesMissed: 25 },
          { applicationId: c, mark: 'justified', minutesMissed: 0 },
        ],
      },
    });
    const bad = parseRegisterForm({ token, learners: `${a} ${b} ${c}`, [`mark_${a}`]: 'asleep', [`mark_${b}`]: 'left_early', [`missed_${b}`]: '', [`mark_${c}`]: 'late', [`missed_${c}`]: 'dix' });
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.deepEqual(bad.form.errors, {
      [`mark_${a}`]: { message: 'att.register.error.mark' },
      [`missed_${b}`]: { message: 'att.register.error.missedRequired' },
      [`missed_${c}`]: { message: 'att.register.error.missedNumber' },
    });
    assert.equal(bad.form.values[`missed_${c}`], 'dix', 'what was typed is kept');
    const unlisted = parseRegisterForm({ token, learners: a, [`mark_${a}`]: 'absent', [`mark_${b}`]: 'present' });
    assert.deepEqual(unlisted.ok && unlisted.data.marks.map((m) => m.applicationId), [a, b], 'a mark sent for someone not listed is read (the service refuses it)');
    const unmarked = parseRegisterForm({ token, learners: `${a} ${b}`, [`mark_${a}`]: 'absent' });
    assert.deepEqual(!unmarked.ok && unmarked.form.errors, { [`mark_${b}`]: { message: 'att.register.error.mark' } }, 'a learner listed and left unmarked is told so');
  });

  it('ATT-1 the form: a missing or odd token, odd learner ids, NUL bytes are refused', () => {
    const a = randomUUID();
    for (const body of [{}, { token: 'nope', learners: a }, { token: `${randomUUID()}\u0000`, learners: a }, { token: randomUUID(), learners: 'x y' }, { token: randomUUID(), 'mark_not-a-uuid': 'present' }])
      assert.equal(parseRegisterForm(body).ok, false, JSON.stringify(body));
    const nul = parseRegisterForm({ token: randomUUID(), learners: a, [`mark_${a}`]: 'late', [`missed_${a}`]: '5\u0000' });
    assert.deepEqual(!nul.ok && nul.form.errors, { [`missed_${a}`]: { message: 'field.invalidCharacters' } });
  });

  it('ATT-1 lost updates: a learner someone else marked since the form was drawn, sent differently, is a conflict; sent as it now stands, or unchanged since, is not', () => {
    const current = new Map([
      ['a', { id: 7, mark: 'absent' as const, minutesMissed: 0 }],
      ['b', { id: 8, mark: 'late' as const, minutesMissed: 20 }],
      ['c', { id: 9, mark: 'present' as const, minutesMissed: 0 }],
      ['d', { id: 10, mark: 'present' as const, minutesMissed: 0 }],
    ]);
    const found = conflictsOf(
      [
        { applicationId: 'a', mark: 'present', minutesMissed: 0, seenEntryId: 3 }, // marked absent since: conflict
        { applicationId: 'b', mark: 'late', minutesMissed: 20, seenEntryId: 4 }, // the same mark as now: none
        { applicationId: 'c', mark: 'absent', minutesMissed: 0, seenEntryId: 9 }, // nobody since: a correction
        { applicationId: 'd', mark: 'absent', minutesMissed: 0 }, // the form showed nothing, marked since: conflict
        { applicationId: 'e', mark: 'absent', minutesMissed: 0, seenEntryId: 0 }, // never marked: none
      ],
      current,
    );
    assert.deepEqual([...found], ['a', 'd']);
  });

  it('ATT-1 the form carries the entry each learner’s mark was drawn from (seen_<id>); an odd one is refused', () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const token = randomUUID();
    const ok = parseRegisterForm({ token, learners: `${a} ${b}`, [`mark_${a}`]: 'present', [`seen_${a}`]: '42', [`mark_${b}`]: 'absent', [`seen_${b}`]: '0' });
    assert.deepEqual(ok.ok && ok.data.marks.map((m) => m.seenEntryId), [42, 0]);
    for (const odd of ['x', '-1', '1.5', '4\u0000', ''])
      assert.equal(parseRegisterForm({ token, learners: a, [`mark_${a}`]: 'present', [`seen_${a}`]: odd }).ok, false, odd);
  });

  it('ATT-1 a meeting id in a path: a positive integer that fits PostgreSQL’s integer', () => {
    assert.equal(meetingId.safeParse('42').data, 42);
    assert.equal(meetingId.safeParse('2147483647').success, true);
    for (const odd of ['0', '-1', '01', '1.5', 'abc', '2147483648', '99999999999', '1\u0000', '']) assert.equal(meetingId.safeParse(odd).success, false, odd);
  });
});
