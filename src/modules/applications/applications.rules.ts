import type { MessageKey } from '../../platform/i18n';
import type { Slot } from '../../domain/vocabulary';
import type { ApplicationStatus } from './applications.table';

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
}

export type Refusal = { ok: false; code: 'APP-2' | 'APP-3' | 'APP-5' | 'APP-6' | 'APP-7'; message: MessageKey; conflictWith?: ExistingApplication };
export type Decision = { ok: true } | Refusal;

/** Statuses after which an application no longer holds a course or a time slot. */
export const closedStatuses: readonly ApplicationStatus[] = ['lack_of_places', 'withdrawn', 'cancelled', 'refused', 'removed'];

export const isLive = (status: ApplicationStatus) => !closedStatuses.includes(status);

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
 * APP-5: what counts toward the cap: applications being processed (confirmed, convoked, on a
 * waiting list), accepted ones awaiting payment, and enrolments in sessions not yet ended.
 * A preselection does not count, nor a closed application.
 */
export function countsTowardCap(app: { status: ApplicationStatus; lastMeeting: string }, today: string): boolean {
  if (app.status === 'enrolled') return app.lastMeeting >= today;
  return ['confirmed', 'convoked', 'waiting_list', 'accepted'].includes(app.status);
}

/** APP-2 and APP-3, for saving a session in the preselection. */
export function checkPreselection(candidate: SessionShape, existing: readonly ExistingApplication[]): Decision {
  const live = existing.filter((a) => isLive(a.status));
  const sameCourse = live.find((a) => a.courseId === candidate.courseId);
  if (sameCourse) return { ok: false, code: 'APP-2', message: 'app.refused.sameCourse', conflictWith: sameCourse };
  const sameSlot = live.find((a) => sessionsConflict(a, candidate));
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
  const sameCourse = others.find((a) => a.courseId === candidate.courseId);
  if (sameCourse) return { ok: false, code: 'APP-2', message: 'app.refused.sameCourse', conflictWith: sameCourse };
  const sameSlot = others.find((a) => a.status !== 'preselected' && sessionsConflict(a, candidate));
  if (sameSlot) return { ok: false, code: 'APP-3', message: 'app.refused.sameSlot', conflictWith: sameSlot };
  const counting = others.filter((a) => countsTowardCap(a, options.today));
  if (counting.length >= options.max) return { ok: false, code: 'APP-5', message: 'app.refused.cap' };
  return { ok: true };
}

/** APP-7: applications only while the session's application window is open. */
export function windowOpen(period: { applicationsOpenAt: Date; applicationsCloseAt: Date }, now: Date): boolean {
  return now >= period.applicationsOpenAt && now < period.applicationsCloseAt;
}

/** APP-6: a confirmed application can be cancelled until its window closes, not after. */
export function canCancel(status: ApplicationStatus, period: { applicationsOpenAt: Date; applicationsCloseAt: Date }, now: Date): boolean {
  return status === 'confirmed' && windowOpen(period, now);
}

/**
 * Once decided (convoked, on a waiting list, accepted), a learner may still give up: the
 * application closes as a withdrawal and a place it held goes to the next (SEL-8). Between the
 * window's end and the decision, APP-6 holds: a confirmed application cannot be cancelled.
 */
export function canWithdraw(status: ApplicationStatus, period: { applicationsOpenAt: Date; applicationsCloseAt: Date }, now: Date): boolean {
  return !canCancel(status, period, now) && ['convoked', 'waiting_list', 'accepted'].includes(status);
}

export type Section = 'awaiting_payment' | 'preselected' | 'processing' | 'closed';

/** APP-9: the four sections of "my applications and payments". */
export function sectionOf(status: ApplicationStatus): Section {
  if (status === 'accepted') return 'awaiting_payment';
  if (status === 'preselected') return 'preselected';
  if (['confirmed', 'convoked', 'waiting_list'].includes(status)) return 'processing';
  return 'closed';
}
