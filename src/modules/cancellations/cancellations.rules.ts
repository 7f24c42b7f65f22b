import type { MessageKey } from '../../platform/i18n';
import { inGroup, type ApplicationStatus } from '../applications';
import type { SessionChangeKind } from './cancellations.table';

/**
 * SVC-2, pure: may the service cancel a session or move it to remote now, and who is told.
 */

export interface SessionState {
  /** When it was cancelled (null: it runs). */
  cancelledAt: Date | null;
  /** The session's mode now (its own, or its course's). */
  mode: 'in_person' | 'remote' | 'hybrid';
  /** Its first meeting (YYYY-MM-DD). */
  firstMeeting: string;
  /** Its last meeting (YYYY-MM-DD). */
  lastMeeting: string;
}

export interface ChangeRefusal {
  ok: false;
  code: 'SVC-2';
  reason: 'already_cancelled' | 'already_remote' | 'ended' | 'started';
  message: MessageKey;
}

/**
 * Null when the change may be made; else why not: a cancelled session is cancelled once and no
 * longer changes (a second cancellation tells nobody again); a session that has ended (its last
 * meeting's day is past) is neither cancelled nor changed; a session that has started (from its
 * first meeting's day, as PAY-1 reads "the first meeting has taken place") is no longer
 * cancelled — its learners came, some paid by then, and their attendance is theirs: the service
 * moves it to remote or cancels single meetings; a remote session is not moved again.
 */
export function changeRefusal(kind: SessionChangeKind, session: SessionState, today: string): ChangeRefusal | null {
  if (session.cancelledAt) return { ok: false, code: 'SVC-2', reason: 'already_cancelled', message: 'cancel.error.alreadyCancelled' };
  if (session.lastMeeting < today) return { ok: false, code: 'SVC-2', reason: 'ended', message: 'cancel.error.ended' };
  if (kind === 'cancelled' && session.firstMeeting <= today) return { ok: false, code: 'SVC-2', reason: 'started', message: 'cancel.error.started' };
  if (kind === 'remote' && session.mode === 'remote') return { ok: false, code: 'SVC-2', reason: 'already_remote', message: 'cancel.error.alreadyRemote' };
  return null;
}

/**
 * Who is told urgently (every channel known): the learners who applied — waiting for the
 * decision, called to a test, on the waiting list, accepted, awaiting payment, enrolled. A
 * preselection not sent yet closes too, and its learner is told by the channels they chose.
 */
export function toldUrgently(status: ApplicationStatus): boolean {
  return !inGroup('closed', status) && status !== 'preselected';
}

/** The whole of the fees paid, the refunds of a cancellation: what the confirm step announces. */
export function refundTotal(paidCents: readonly number[]): { count: number; cents: number } {
  return { count: paidCents.length, cents: paidCents.reduce((sum, c) => sum + c, 0) };
}
