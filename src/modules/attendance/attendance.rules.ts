import type { AttendanceMark } from '../../domain/vocabulary';
import type { Policies } from '../../platform/policies';

/**
 * Pure attendance rules (SPEC ATT-1, ATT-2, ATT-4, ATT-5): minutes attended, the attendance
 * percentage by the hourly volume, streaks of absences and what they allow. No I/O.
 */

export interface MeetingFact {
  id: number;
  startsAt: Date;
  plannedMinutes: number;
  cancelled: boolean;
}
/** A learner's current mark in a meeting (the latest entry of the register). */
export interface MarkFact {
  meetingId: number;
  mark: AttendanceMark;
  minutesAttended: number;
}

type AttendancePolicies = Pick<Policies, 'lateGraceMinutes' | 'justifiedAbsenceCountsAsPresence' | 'attendanceCertificatePercent' | 'consecutiveAbsencesForRemoval' | 'absencesBeforeWarning'>;

/**
 * ATT-1: the minutes a mark gives. Present: the meeting's length. Late or left early: the length
 * less the minutes missed beyond the policy's grace. Absent, justified or not: none (a
 * justified absence is credited, or not, by `attendance`, per the policy).
 */
export function minutesAttended(mark: AttendanceMark, plannedMinutes: number, minutesMissed: number, policies: Pick<Policies, 'lateGraceMinutes'>): number {
  if (mark === 'present') return plannedMinutes;
  if (mark === 'absent' || mark === 'justified') return 0;
  const counted = Math.max(0, minutesMissed - policies.lateGraceMinutes);
  return Math.max(0, plannedMinutes - counted);
}

/** A meeting is held once it has started, unless the service cancelled it. */
export const isHeld = (meeting: MeetingFact, now: Date): boolean => !meeting.cancelled && meeting.startsAt <= now;

export interface Attendance {
  /** Planned minutes of the meetings held so far (cancelled ones do not count). */
  heldMinutes: number;
  /** Minutes attended in them (a meeting held without a mark for this learner gives none). */
  attendedMinutes: number;
  /** Planned minutes of the meetings still to come (not cancelled). */
  remainingMinutes: number;
  /** attended / held, in percent rounded down (null before the first meeting). */
  soFarPercent: number | null;
  /** (attended + remaining) / (held + remaining): the most this learner can still reach. */
  reachablePercent: number | null;
  /** Held meetings without a mark for this learner (none for a remote session: its registers are not owed). */
  unmarkedMeetingIds: number[];
  /**
   * Issue 18, remote attendance: the minutes connected to the learning environment so far, outside
   * the meetings a register already credits (counted in `attendedMinutes`, which is capped at the
   * held minutes); 0 without connections.
   */
  connectedMinutes: number;
}

/** Issue 18: one connection to the learning environment (from its start to its end). */
export interface ConnectionFact {
  startsAt: Date;
  endsAt: Date;
}

/** The union of periods, sorted and merged (milliseconds). */
function union(periods: readonly { from: number; to: number }[]): { from: number; to: number }[] {
  const sorted = periods.filter((p) => p.to > p.from).sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const p of sorted) {
    const last = merged.at(-1);
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else merged.push({ ...p });
  }
  return merged;
}

/**
 * Issue 18, remote attendance: the whole minutes of these connections up to `now`, less the time
 * they share with `credited` periods (the meetings a register credits this learner for: in a
 * hybrid unit the same time never counts twice). Overlapping connections count their time once
 * (the import refuses them; this holds whatever the data).
 */
export function connectedMinutes(connections: readonly ConnectionFact[], credited: readonly ConnectionFact[], now: Date): number {
  const end = now.getTime();
  const online = union(connections.map((c) => ({ from: c.startsAt.getTime(), to: Math.min(c.endsAt.getTime(), end) })));
  const busy = union(credited.map((c) => ({ from: c.startsAt.getTime(), to: c.endsAt.getTime() })));
  let ms = 0;
  for (const o of online) {
    ms += o.to - o.from;
    for (const b of busy) ms -= Math.max(0, Math.min(o.to, b.to) - Math.max(o.from, b.from));
  }
  return Math.floor(ms / 60_000);
}

/** How a session takes attendance: registers (in person), connections (remote), both (hybrid). */
export interface RemoteAttendance {
  connections: readonly ConnectionFact[];
  /** False for a remote session: its meetings' registers are not owed (a register kept for a live class still counts). */
  registersOwed: boolean;
}

/** Rounded down, so that 74.9 % never shows as 75 %. */
export const percentOf = (part: number, whole: number): number | null => (whole > 0 ? Math.floor((part * 100) / whole) : null);

/**
 * ATT-4: attendance by the hourly volume: meetings weigh by their planned length (two of 2 h and
 * one of 3 h are 7 hours, not three meetings). Justified absences count as presence only if the
 * policy says so.
 */
export function attendance(
  meetings: readonly MeetingFact[],
  marks: readonly MarkFact[],
  now: Date,
  policies: Pick<AttendancePolicies, 'justifiedAbsenceCountsAsPresence'>,
  remote: RemoteAttendance = { connections: [], registersOwed: true },
): Attendance {
  const byMeeting = new Map(marks.map((m) => [m.meetingId, m]));
  let heldMinutes = 0;
  let attendedMinutes = 0;
  let remainingMinutes = 0;
  const unmarkedMeetingIds: number[] = [];
  /** The meetings a register credits this learner for (their time is not counted again from connections). */
  const credited: ConnectionFact[] = [];
  for (const meeting of meetings) {
    if (meeting.cancelled) continue;
    if (!isHeld(meeting, now)) {
      remainingMinutes += meeting.plannedMinutes;
      continue;
    }
    heldMinutes += meeting.plannedMinutes;
    const mark = byMeeting.get(meeting.id);
    const period = { startsAt: meeting.startsAt, endsAt: new Date(meeting.startsAt.getTime() + meeting.plannedMinutes * 60_000) };
    if (!mark) {
      if (remote.registersOwed) unmarkedMeetingIds.push(meeting.id);
    } else if (mark.mark === 'justified' && policies.justifiedAbsenceCountsAsPresence === 1) {
      attendedMinutes += meeting.plannedMinutes;
      credited.push(period);
    } else {
      attendedMinutes += Math.min(mark.minutesAttended, meeting.plannedMinutes);
      if (mark.minutesAttended > 0) credited.push(period);
    }
  }
  // Issue 18: connection minutes add to the registers' (capped at the minutes held: 100 %).
  const connected = remote.connections.length ? connectedMinutes(remote.connections, credited, now) : 0;
  attendedMinutes = Math.min(heldMinutes, attendedMinutes + connected);
  return {
    heldMinutes,
    attendedMinutes,
    remainingMinutes,
    soFarPercent: percentOf(attendedMinutes, heldMinutes),
    reachablePercent: percentOf(attendedMinutes + remainingMinutes, heldMinutes + remainingMinutes),
    unmarkedMeetingIds,
    connectedMinutes: connected,
  };
}

/** ATT-4: at or above the policy's percentage, compared exactly (no rounding). */
export const meetsAttendance = (attended: number, planned: number, policies: Pick<AttendancePolicies, 'attendanceCertificatePercent'>): boolean =>
  planned > 0 && attended * 100 >= policies.attendanceCertificatePercent * planned;

export interface Streak {
  count: number;
  /** The first meeting of the streak (names it: one warning, one incident per streak). */
  startMeetingId: number | null;
  /** The meetings of the streak, oldest first. */
  meetingIds: number[];
}

export interface Streaks {
  /** ATT-2: unjustified absences in a row, up to the latest meeting (a justified absence neither breaks nor counts). */
  unjustified: Streak;
  /** ATT-2: absences in a row, justified or not ("quel qu'en soit le motif"). */
  any: Streak;
  /** ATT-5: unjustified absences from the learner's first marked meeting on (0 once they came). */
  fromStart: Streak;
}

/**
 * ATT-2, ATT-5: the learner's streaks over the held meetings, read from the latest back. Meetings
 * not held or without a mark for this learner are skipped (they say nothing of presence).
 */
export function streaks(meetings: readonly MeetingFact[], marks: readonly MarkFact[], now: Date): Streaks {
  const byMeeting = new Map(marks.map((m) => [m.meetingId, m.mark]));
  const marked = [...meetings]
    .filter((m) => isHeld(m, now) && byMeeting.has(m.id))
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    .map((m) => ({ id: m.id, mark: byMeeting.get(m.id)! }));
  const backwards = (counts: (mark: AttendanceMark) => 'count' | 'skip' | 'break'): Streak => {
    const ids: number[] = [];
    for (let i = marked.length - 1; i >= 0; i--) {
      const verdict = counts(marked[i].mark);
      if (verdict === 'break') break;
      if (verdict === 'count') ids.unshift(marked[i].id);
    }
    return { count: ids.length, startMeetingId: ids[0] ?? null, meetingIds: ids };
  };
  const unjustified = backwards((mark) => (mark === 'absent' ? 'count' : mark === 'justified' ? 'skip' : 'break'));
  const any = backwards((mark) => (mark === 'absent' || mark === 'justified' ? 'count' : 'break'));
  const cameOnce = marked.some((m) => m.mark !== 'absent' && m.mark !== 'justified');
  const fromStartIds = cameOnce ? [] : marked.filter((m) => m.mark === 'absent').map((m) => m.id);
  const fromStart = { count: fromStartIds.length, startMeetingId: fromStartIds[0] ?? null, meetingIds: fromStartIds };
  return { unjustified, any, fromStart };
}

export interface AbsenceState {
  /** ATT-2: the service may remove (the policy number of unjustified absences in a row reached). */
  removable: boolean;
  /** ATT-2: the trainer may exclude (beyond that number, whatever the reason). */
  excludable: boolean;
  /** ATT-5: absent from the first meetings: the warning is due (once per streak). */
  warningDue: boolean;
  /** ATT-5: warned, and absent again since: staff may release the place. */
  releasable: boolean;
}

/** What the streaks allow now; `warnedAtCount` is the first-meetings streak's length when the warning went (null: not warned). */
export function absenceState(s: Streaks, policies: Pick<AttendancePolicies, 'consecutiveAbsencesForRemoval' | 'absencesBeforeWarning'>, warnedAtCount: number | null): AbsenceState {
  return {
    removable: s.unjustified.count >= policies.consecutiveAbsencesForRemoval,
    excludable: s.any.count > policies.consecutiveAbsencesForRemoval,
    warningDue: s.fromStart.count >= policies.absencesBeforeWarning && warnedAtCount === null,
    releasable: warnedAtCount !== null && s.fromStart.count > warnedAtCount,
  };
}
