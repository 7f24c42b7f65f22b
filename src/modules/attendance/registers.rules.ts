import type { AttendanceMark, Role } from '../../domain/vocabulary';
import type { Policies } from '../../platform/policies';
import { minutesAttended } from './attendance.rules';

/**
 * Pure rules of the register (ATT-1): a meeting's state on the staff's list, who cancels
 * meetings, what a save writes. No I/O.
 */

export type MeetingState = 'to_come' | 'taken' | 'missing' | 'cancelled';

/** A meeting on the list: cancelled by the service, to come, or held with its register taken or missing. */
export function meetingState(meeting: { startsAt: Date; cancelledAt: Date | null }, now: Date, submitted: boolean): MeetingState {
  if (meeting.cancelledAt) return 'cancelled';
  if (meeting.startsAt > now) return 'to_come';
  return submitted ? 'taken' : 'missing';
}

/** The register is taken once the meeting has started, unless the service cancelled it. */
export function registerRefusal(meeting: { startsAt: Date; cancelledAt: Date | null }, now: Date): 'cancelled' | 'not_started' | null {
  if (meeting.cancelledAt) return 'cancelled';
  if (meeting.startsAt > now) return 'not_started';
  return null;
}

/** ATT-1: the service cancels meetings (the school head, the coordinators, the administrators); trainers do not. */
export const meetingCancellers: readonly Role[] = ['school_head', 'coordinator', 'admin'];
export const mayCancelMeetings = (role: Role) => meetingCancellers.includes(role);

/** The minutes missed a mark may state: 0 to the meeting's length. */
export const minutesInRange = (minutes: number, plannedMinutes: number) => Number.isInteger(minutes) && minutes >= 0 && minutes <= plannedMinutes;

export interface CurrentEntry {
  mark: AttendanceMark;
  minutesMissed: number;
}
/**
 * ATT-1, lost updates: the learners a save must not write: someone saved another entry for them
 * after the form was drawn (the current entry is not the one the form showed, `seenEntryId`, 0
 * or absent for none) and the mark or minutes sent differ from the current ones. A mark sent as
 * it now stands is no conflict.
 */
export function conflictsOf(
  marks: readonly { applicationId: string; mark: AttendanceMark; minutesMissed: number; seenEntryId?: number }[],
  current: ReadonlyMap<string, CurrentEntry & { id: number }>,
): Set<string> {
  const found = new Set<string>();
  for (const m of marks) {
    const now = current.get(m.applicationId);
    if (!now || now.id === (m.seenEntryId ?? 0)) continue;
    const missed = m.mark === 'late' || m.mark === 'left_early' ? m.minutesMissed : 0;
    if (now.mark === m.mark && now.minutesMissed === missed) continue;
    found.add(m.applicationId);
  }
  return found;
}

export interface NewEntry {
  applicationId: string;
  mark: AttendanceMark;
  minutesMissed: number;
  minutesAttended: number;
}

/**
 * ATT-1: the entries a save writes: one where the mark or the minutes missed differ from the
 * current entry (or there is none); a mark saved again as it was writes nothing. A correction is
 * a new entry. Minutes attended follow the mark and the policy's grace as they are now.
 */
export function entriesToWrite(
  marks: readonly { applicationId: string; mark: AttendanceMark; minutesMissed: number }[],
  current: ReadonlyMap<string, CurrentEntry>,
  plannedMinutes: number,
  policies: Pick<Policies, 'lateGraceMinutes'>,
): NewEntry[] {
  return marks.flatMap((m) => {
    const missed = m.mark === 'late' || m.mark === 'left_early' ? m.minutesMissed : 0;
    const now = current.get(m.applicationId);
    if (now && now.mark === m.mark && now.minutesMissed === missed) return [];
    return [{ applicationId: m.applicationId, mark: m.mark, minutesMissed: missed, minutesAttended: minutesAttended(m.mark, plannedMinutes, missed, policies) }];
  });
}
