import type { MessageKey } from '../../platform/i18n';
import type { Slot } from '../../domain/vocabulary';
import { countsTowardCap, isLive, type ApplicationStatus } from './lifecycle';

export { windowOpen } from './lifecycle';

/**
 * Pure application rules (SPEC APP). No I/O: the service loads the learner's applications under
 * a row lock and asks these functions; a refusal names the rule and the application in the way.
 */

export interface SessionShape {
  courseId: number;
  firstMeeting: string;
  lastMeeting: string;
  slots: readonly Slot[];
}

export interface ExistingApplication extends SessionShape {
  id: string;
  status: ApplicationStatus;
  title: string;
  /** SVC-2: its session was cancelled by the service. */
  sessionCancelled?: boolean;
}

/**
 * APP-3: a preselection in a session the service cancelled (SVC-2) holds no slot: it can never be
 * sent, and stays only so the learner sees why (they delete it and choose another session).
 */
const holdsSlot = (a: ExistingApplication) => !(a.status === 'preselected' && a.sessionCancelled);

export type Refusal = { ok: false; code: 'APP-2' | 'APP-3' | 'APP-5' | 'APP-6' | 'APP-7'; message: MessageKey; conflictWith?: ExistingApplication };
export type Decision = { ok: true } | Refusal;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * APP-3: two sessions conflict when they have a slot on the same weekday whose times overlap,
 * even partly, while both sessions run. Slots that only touch (one ends at 20:30, the other
 * starts at 20:30) do not conflict.
 */
export function sessionsConflict(a: SessionShape, b: SessionShape): boolean {
  if (a.lastMeeting < b.firstMeeting || b.lastMeeting < a.firstMeeting) return false;
  return a.slots.some((x) =>
    b.slots.some((y) => x.weekday === y.weekday && minutes(x.startsAt) < minutes(y.endsAt) && minutes(y.startsAt) < minutes(x.endsAt)),
  );
}

/**
 * APP-2: another live application to the same course blocks this one; an enrolment whose
 * session ended before this one starts does not (CERT-3: a learner who failed applies again).
 */
const sameCourseAs = (candidate: SessionShape) => (a: ExistingApplication) =>
  a.courseId === candidate.courseId && !(a.status === 'enrolled' && a.lastMeeting < candidate.firstMeeting);

/** APP-2 and APP-3, for saving a session in the preselection. */
export function checkPreselection(candidate: SessionShape, existing: readonly ExistingApplication[]): Decision {
  const live = existing.filter((a) => isLive(a.status));
  const sameCourse = live.find(sameCourseAs(candidate));
  if (sameCourse) return { ok: false, code: 'APP-2', message: 'app.refused.sameCourse', conflictWith: sameCourse };
  const sameSlot = live.find((a) => holdsSlot(a) && sessionsConflict(a, candidate));
  if (sameSlot) return { ok: false, code: 'APP-3', message: 'app.refused.sameSlot', conflictWith: sameSlot };
  return { ok: true };
}

/**
 * APP-3 and APP-5, for validating a preselection: no conflict with another live application,
 * and fewer than `max` applications counting toward the cap.
 */
export function checkConfirmation(
  candidate: SessionShape & { id: string },
  existing: readonly ExistingApplication[],
  options: { max: number; today: string },
): Decision {
  const others = existing.filter((a) => a.id !== candidate.id && isLive(a.status));
  const sameCourse = others.find(sameCourseAs(candidate));
  if (sameCourse) return { ok: false, code: 'APP-2', message: 'app.refused.sameCourse', conflictWith: sameCourse };
  const sameSlot = others.find((a) => a.status !== 'preselected' && sessionsConflict(a, candidate));
  if (sameSlot) return { ok: false, code: 'APP-3', message: 'app.refused.sameSlot', conflictWith: sameSlot };
  const counting = others.filter((a) => countsTowardCap(a, options.today));
  if (counting.length >= options.max) return { ok: false, code: 'APP-5', message: 'app.refused.cap' };
  return { ok: true };
}
