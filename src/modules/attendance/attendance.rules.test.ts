import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttendanceMark } from '../../domain/vocabulary';
import { absenceState, attendance, meetsAttendance, minutesAttended, percentOf, streaks, type MarkFact, type MeetingFact } from './attendance.rules';

const policies = { lateGraceMinutes: 10, justifiedAbsenceCountsAsPresence: 0, attendanceCertificatePercent: 75, consecutiveAbsencesForRemoval: 3, absencesBeforeWarning: 2 };
const now = new Date('2026-10-20T12:00:00Z');
const day = (n: number) => new Date(Date.UTC(2026, 9, n, 16, 30));

/** Meetings on 1, 2, 3… October (held before the 20th), of these lengths in minutes. */
const meetingsOf = (lengths: number[], options: { cancelled?: number[]; startDay?: number } = {}): MeetingFact[] =>
  lengths.map((plannedMinutes, i) => ({ id: i + 1, startsAt: day((options.startDay ?? 1) + i), plannedMinutes, cancelled: options.cancelled?.includes(i + 1) ?? false }));
/** Marks by meeting id, minutes following the mark (present: the meeting's length). */
const marksOf = (meetings: MeetingFact[], marks: (AttendanceMark | null)[], missed: number[] = []): MarkFact[] =>
  marks.flatMap((mark, i) => (mark ? [{ meetingId: meetings[i].id, mark, minutesAttended: minutesAttended(mark, meetings[i].plannedMinutes, missed[i] ?? 0, policies) }] : []));

describe('attendance rules', () => {
  it('ATT-1 minutes attended follow the mark: present, late and left early less the minutes beyond the grace, absences none', () => {
    assert.equal(minutesAttended('present', 120, 0, policies), 120);
    assert.equal(minutesAttended('late', 120, 10, policies), 120, 'within the grace: the whole meeting');
    assert.equal(minutesAttended('late', 120, 5, policies), 120);
    assert.equal(minutesAttended('late', 120, 25, policies), 105, 'beyond the grace: what exceeds it is missed');
    assert.equal(minutesAttended('left_early', 180, 40, policies), 150);
    assert.equal(minutesAttended('late', 120, 500, policies), 0, 'never below nothing');
    assert.equal(minutesAttended('absent', 120, 0, policies), 0);
    assert.equal(minutesAttended('justified', 120, 0, policies), 0);
    assert.equal(minutesAttended('late', 120, 25, { lateGraceMinutes: 0 }), 95, 'no grace: every minute late counts');
  });

  it('ATT-4 the percentage weighs meetings by their length: meetings of 2 h and 3 h, by the hourly volume', () => {
    const meetings = meetingsOf([120, 180, 120, 180]);
    // Present at the two 3-hour meetings, absent at the two 2-hour ones: 6 h of 10 h, not 2 meetings of 4.
    const a = attendance(meetings, marksOf(meetings, ['absent', 'present', 'absent', 'present']), now, policies);
    assert.equal(a.heldMinutes, 600);
    assert.equal(a.attendedMinutes, 360);
    assert.equal(a.soFarPercent, 60);
    const b = attendance(meetings, marksOf(meetings, ['present', 'absent', 'present', 'absent']), now, policies);
    assert.equal(b.soFarPercent, 40, 'the same number of meetings attended, fewer hours');
  });

  it('ATT-4 "so far" counts the meetings held; "at most reachable" adds those still to come', () => {
    // Two held (1st and 2nd October), two to come (25th and 26th).
    const held = meetingsOf([120, 180]);
    const coming = meetingsOf([120, 180], { startDay: 25 }).map((m) => ({ ...m, id: m.id + 10 }));
    const meetings = [...held, ...coming];
    const a = attendance(meetings, marksOf(held, ['present', 'absent']), now, policies);
    assert.equal(a.heldMinutes, 300);
    assert.equal(a.remainingMinutes, 300);
    assert.equal(a.soFarPercent, 40);
    assert.equal(a.reachablePercent, 70, '(120 + 300) / 600');
    assert.equal(attendance(coming, [], now, policies).soFarPercent, null, 'before the first meeting: no percentage');
  });

  it('ATT-1 ATT-4 a late arrival within the grace loses nothing; beyond it, the minutes beyond', () => {
    const meetings = meetingsOf([120, 120]);
    assert.equal(attendance(meetings, marksOf(meetings, ['late', 'present'], [10, 0]), now, policies).soFarPercent, 100);
    const beyond = attendance(meetings, marksOf(meetings, ['late', 'present'], [70, 0]), now, policies);
    assert.equal(beyond.attendedMinutes, 180);
    assert.equal(beyond.soFarPercent, 75);
  });

  it('ATT-4 a meeting the service cancelled counts for nobody', () => {
    const meetings = meetingsOf([120, 180, 120], { cancelled: [2] });
    const a = attendance(meetings, marksOf(meetings, ['present', null, 'absent']), now, policies);
    assert.equal(a.heldMinutes, 240);
    assert.equal(a.soFarPercent, 50);
    assert.deepEqual(a.unmarkedMeetingIds, [], 'a cancelled meeting is not one without a mark');
    // A mark left from before the cancellation does not count either.
    assert.equal(attendance(meetings, marksOf(meetings, ['present', 'present', 'absent']), now, policies).attendedMinutes, 120);
  });

  it('ATT-1 a held meeting without a mark gives no minutes and is listed', () => {
    const meetings = meetingsOf([120, 120]);
    const a = attendance(meetings, marksOf(meetings, ['present', null]), now, policies);
    assert.equal(a.soFarPercent, 50);
    assert.deepEqual(a.unmarkedMeetingIds, [2]);
  });

  it('ATT-4 a justified absence is not presence with the policy at 0; it is with the policy at 1', () => {
    const meetings = meetingsOf([120, 180]);
    const marks = marksOf(meetings, ['present', 'justified']);
    assert.equal(attendance(meetings, marks, now, { justifiedAbsenceCountsAsPresence: 0 }).soFarPercent, 40);
    assert.equal(attendance(meetings, marks, now, { justifiedAbsenceCountsAsPresence: 1 }).soFarPercent, 100);
    assert.equal(attendance(meetings, marksOf(meetings, ['present', 'absent']), now, { justifiedAbsenceCountsAsPresence: 1 }).soFarPercent, 40, 'an unjustified absence never counts');
  });

  it('ATT-4 the 75 % threshold is compared exactly; the percentage shown is rounded down', () => {
    assert.equal(meetsAttendance(45, 60, policies), true);
    assert.equal(meetsAttendance(4499, 6000, policies), false, '74.98 % is not 75 %');
    assert.equal(percentOf(4499, 6000), 74);
    assert.equal(meetsAttendance(0, 0, policies), false, 'nothing planned: nothing certified');
  });

  it('ATT-2 streaks: unjustified absences in a row (a justified one neither breaks nor counts), any absences, from the start', () => {
    const meetings = meetingsOf([120, 120, 120, 120, 120]);
    const s = streaks(meetings, marksOf(meetings, ['present', 'absent', 'justified', 'absent', 'absent']), now);
    assert.deepEqual(s.unjustified, { count: 3, startMeetingId: 2, meetingIds: [2, 4, 5] });
    assert.deepEqual(s.any, { count: 4, startMeetingId: 2, meetingIds: [2, 3, 4, 5] });
    assert.equal(s.fromStart.count, 0, 'they came once');
    const broken = streaks(meetings, marksOf(meetings, ['absent', 'absent', 'late', 'absent', null]), now);
    assert.equal(broken.unjustified.count, 1, 'a late arrival breaks the streak; an unmarked meeting says nothing');
  });

  it('ATT-2 ATT-5 thresholds: removal at 3 unjustified in a row, exclusion beyond 3 whatever the reason, the warning at 2 from the start', () => {
    const meetings = meetingsOf([120, 120, 120, 120, 120]);
    const state = (marks: (AttendanceMark | null)[], warnedAt: number | null = null) => absenceState(streaks(meetings, marksOf(meetings, marks), now), policies, warnedAt);
    assert.deepEqual(state(['present', 'absent', 'absent']), { removable: false, excludable: false, warningDue: false, releasable: false });
    assert.equal(state(['present', 'absent', 'absent', 'absent']).removable, true, '3 unjustified in a row');
    assert.equal(state(['present', 'absent', 'justified', 'absent']).removable, false, 'a justified absence does not count');
    assert.equal(state(['present', 'absent', 'absent', 'absent']).excludable, false, 'exactly 3: not beyond');
    assert.equal(state(['present', 'absent', 'justified', 'absent', 'justified']).excludable, true, '4 absences in a row, whatever the reason');
    assert.equal(state(['absent', 'absent']).warningDue, true, 'never came: warned after 2');
    assert.equal(state(['absent', 'absent'], 2).warningDue, false, 'once per streak');
    assert.equal(state(['absent', 'absent'], 2).releasable, false, 'warned, not absent again yet');
    assert.equal(state(['absent', 'absent', 'absent'], 2).releasable, true, 'warned and absent again');
    assert.equal(state(['absent', 'present']).warningDue, false, 'marked present once: never warned');
  });
});
