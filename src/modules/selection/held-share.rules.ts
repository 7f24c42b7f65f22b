import { DAY, parisInstant } from '../../platform/clock';

/**
 * SVC-5: the share of each session's places held for assisted applications (made at a help desk
 * with a counsellor, `applications.assisted_by`). Pure: no I/O.
 *
 * The policy `assistedPlacesPercent` (0 by default) of the capacity, rounded down (never more
 * than the percentage says), is held until the registration period's `assisted_places_until`
 * (null: until the end of its answer window, `answers_until`). While it holds, an assisted
 * application may take any free place, and one that is not may take only the free places beyond
 * what the share still waits for: the share less the assisted applications already holding a
 * place there (accepted, awaiting payment, enrolled, or offered one). After the date nothing is
 * held: the places left go to the waiting lists like any other.
 */

/** The places of a session the share holds (whole places, rounded down). */
export function heldShare(capacity: number, percent: number): number {
  if (!(capacity > 0) || !(percent > 0)) return 0;
  return Math.floor((capacity * Math.min(percent, 100)) / 100);
}

/** Until when the share is held: the period's date, or the end (Paris) of its answer window's last day. */
export function heldShareEnds(period: { answersUntil: string; assistedPlacesUntil?: Date | null }): Date {
  if (period.assistedPlacesUntil) return period.assistedPlacesUntil;
  const next = new Date(Date.parse(`${period.answersUntil}T12:00:00Z`) + DAY).toISOString().slice(0, 10);
  return parisInstant(next, '00:00');
}

export interface Share {
  /** The places the share holds (`heldShare`). */
  places: number;
  /** Held until then (`heldShareEnds`); from then on, nothing. */
  until: Date;
  /** Assisted applications already holding a place in the session (or offered one). */
  assistedHolding: number;
}

/** The places still waiting for assisted applications now: the share less those taken by them; 0 after the date. */
export function stillHeld(share: Share, now: Date): number {
  if (now >= share.until) return 0;
  return Math.max(0, share.places - share.assistedHolding);
}

/** SVC-5: the free places an application may take: all of them when assisted, else free − max(0, share − assisted holding). */
export function placesFor(input: { free: number; assisted: boolean; share: Share; now: Date }): number {
  const free = Math.max(0, input.free);
  if (input.assisted) return free;
  return Math.max(0, free - stillHeld(input.share, input.now));
}

/**
 * Gives the free places to candidates in their order (a ranking, a waiting list), the share
 * respected: an assisted one takes a place while any is free (taking it from the share first),
 * one that is not while places beyond the share remain; the others are passed over, in order.
 * `free` is what is free in the session now.
 */
export function allotPlaces<T extends { assisted: boolean }>(candidates: readonly T[], input: { free: number; share: Share; now: Date }): { placed: T[]; passed: T[] } {
  let free = Math.max(0, input.free);
  let assistedHolding = input.share.assistedHolding;
  const placed: T[] = [];
  const passed: T[] = [];
  for (const candidate of candidates) {
    const share = { ...input.share, assistedHolding };
    if (placesFor({ free, assisted: candidate.assisted, share, now: input.now }) > 0) {
      placed.push(candidate);
      free--;
      if (candidate.assisted) assistedHolding++;
    } else passed.push(candidate);
  }
  return { placed, passed };
}
