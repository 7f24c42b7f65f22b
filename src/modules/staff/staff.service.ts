import type { Db } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { statusCountsBySession } from '../applications';
import { listPeriods, sessionsInScope, type ScopedSession } from '../catalogue';
import { roleMay } from '../applications';
import { openChangeRequests } from '../selection';
import { scopeOf } from '../scopes';
import { freePlacesOf, openOffersBySession } from '../selection';
import { sortRows, type StaffListOptions } from './staff.rules';

export interface StaffSessionRow extends ScopedSession {
  processing: number;
  waitingList: number;
  accepted: number;
  enrolled: number;
  offered: number;
  freePlaces: number;
}

/**
 * The staff home's list: the sessions in scope with their applications counted and their free
 * places (SEL-6, `selection/places`), filtered and
 * sorted as the list's URL says.
 */
export async function staffSessions(db: Db, user: { id: string; role: Role }, options: StaffListOptions = { q: '' }): Promise<StaffSessionRow[]> {
  const sessions = await sessionsInScope(db, await scopeOf(db, user), { q: options.q || undefined, period: options.period });
  const ids = sessions.map((s) => s.id);
  const [counts, offered, free] = await Promise.all([statusCountsBySession(db, ids), openOffersBySession(db, ids), freePlacesOf(db, sessions)]);
  const rows = sessions.map((s) => {
    const c = counts.get(s.id) ?? { processing: 0, waitingList: 0, accepted: 0, enrolled: 0 };
    return { ...s, ...c, offered: offered.get(s.id) ?? 0, freePlaces: free.get(s.id)! };
  });
  const shown = rows.filter((r) => (options.show === 'free' ? r.freePlaces > 0 : options.show === 'waiting' ? r.waitingList > 0 : options.show === 'processing' ? r.processing > 0 : true));
  return options.sort ? sortRows(shown, options.sort, options.dir ?? 'asc') : shown;
}

/** The staff home: the list, whether the scope is everything, the periods to filter by, and SEL-10's open requests. */
export async function staffHome(db: Db, user: { id: string; role: Role }, options: StaffListOptions) {
  const [rows, scope, periods, requests] = await Promise.all([
    staffSessions(db, user, options),
    scopeOf(db, user),
    listPeriods(db),
    roleMay(user.role, 'moveDay') || roleMay(user.role, 'requestChange') ? openChangeRequests(db, user) : [],
  ]);
  return { rows, all: scope.all, periods, requests, maySelect: roleMay(user.role, 'accept') };
}
