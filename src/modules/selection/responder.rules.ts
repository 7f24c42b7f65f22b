import { inGroup, transitions, type ApplicationStatus } from '../applications';

/**
 * SEL-13 (docs/decisions/019-preference-responder.md), the preference responder, as pure rules (Parcoursup's "répondeur automatique"
 * adapted): the learner orders some of their live applications and opts in. When one of them
 * obtains a place (a place offered from its waiting list, or accepted at the selection), the
 * responder accepts it, and gives up every application ranked below it (their places and offers
 * go at once to the next on those lists); those ranked above keep waiting. An offer for an
 * application ranked below one holding a place is declined the same way (it is given up).
 *
 * The caps hold by construction: accepting an offer from the application's own list changes
 * neither its course (APP-2) nor its days (APP-3), and an application counted toward APP-5
 * while waiting is counted the same once accepted; giving up only lowers the counts. A place
 * offered in an equivalent session (SEL-7: other days, another school, perhaps another course)
 * is never accepted by the responder: the learner chooses (it is given up only with its
 * application, when that is ranked below a place held).
 */

/** The statuses a preference list may hold: those the responder may give up (one fact: the lifecycle's row). */
export const listableStatuses: readonly ApplicationStatus[] = transitions.giveUpForPreference.from;
export const isListable = (status: ApplicationStatus) => listableStatuses.includes(status);

export interface ListEntry {
  applicationId: string;
  status: ApplicationStatus;
  /** The open offer the application holds, if any. */
  offer: { id: string; kind: 'waiting_list' | 'equivalent'; sessionId: number } | null;
}

export type ResponderStep =
  /** Accept this offer (the application's own waiting list). */
  | { kind: 'accept'; applicationId: string; offerId: string; sessionId: number }
  /** Give up this application: the learner prefers `preferred`, which has a place. */
  | { kind: 'give_up'; applicationId: string; preferred: string };

export interface ResponderPlan {
  /** The application the learner keeps a place in (null: none has one). */
  chosen: string | null;
  steps: ResponderStep[];
  /** Ranked above the chosen one: they keep waiting. */
  waitingAbove: string[];
}

/** Has a place now, or may take one by accepting an offer of its own list. */
const hasOrIsOfferedPlace = (e: ListEntry) => inGroup('holdsPlace', e.status) || (e.status === 'waiting_list' && e.offer?.kind === 'waiting_list');

/**
 * SEL-13: what the responder does for a list (in the learner's order, 1 first). Entries no
 * longer listable (closed, enrolled) are not in the list any more and are left alone.
 */
export function responderPlan(list: readonly ListEntry[]): ResponderPlan {
  const entries = list.filter((e) => isListable(e.status));
  const best = entries.findIndex(hasOrIsOfferedPlace);
  if (best < 0) return { chosen: null, steps: [], waitingAbove: entries.map((e) => e.applicationId) };
  const chosen = entries[best];
  const steps: ResponderStep[] = [];
  if (!inGroup('holdsPlace', chosen.status) && chosen.offer) steps.push({ kind: 'accept', applicationId: chosen.applicationId, offerId: chosen.offer.id, sessionId: chosen.offer.sessionId });
  for (const below of entries.slice(best + 1)) steps.push({ kind: 'give_up', applicationId: below.applicationId, preferred: chosen.applicationId });
  return { chosen: chosen.applicationId, steps, waitingAbove: entries.slice(0, best).map((e) => e.applicationId) };
}

export type OrderFailure = { ok: false; code: 'duplicate_position' | 'unknown_application' | 'not_listable' | 'too_many'; applicationId?: string };

/**
 * SEL-13: the order the learner asked for, from the positions typed per application (null: not
 * in the list), among their applications. Two applications at one position is an error the page
 * shows next to them; gaps close up. Returns the application ids, first preferred first.
 */
export function orderFromPositions(
  positions: ReadonlyMap<string, number | null>,
  applications: readonly { id: string; status: ApplicationStatus }[],
  max = 100,
): { ok: true; order: string[] } | OrderFailure {
  const byId = new Map(applications.map((a) => [a.id, a]));
  const chosen: [string, number][] = [];
  const seen = new Map<number, string>();
  for (const [id, position] of positions) {
    const application = byId.get(id);
    if (!application) return { ok: false, code: 'unknown_application', applicationId: id };
    if (position === null) continue;
    if (!isListable(application.status)) return { ok: false, code: 'not_listable', applicationId: id };
    if (seen.has(position)) return { ok: false, code: 'duplicate_position', applicationId: id };
    seen.set(position, id);
    chosen.push([id, position]);
  }
  if (chosen.length > max) return { ok: false, code: 'too_many' };
  return { ok: true, order: chosen.sort((a, b) => a[1] - b[1]).map(([id]) => id) };
}

/** SEL-13: moves one application up or down the order (no change at an end or when absent). */
export function moveInOrder(order: readonly string[], applicationId: string, direction: 'up' | 'down'): string[] {
  const i = order.indexOf(applicationId);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= order.length) return [...order];
  const moved = [...order];
  [moved[i], moved[j]] = [moved[j], moved[i]];
  return moved;
}
