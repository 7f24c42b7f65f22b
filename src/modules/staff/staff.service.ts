import type { Db } from '../../db/database';
import type { Role } from '../../domain/vocabulary';
import { roleMay, statusCountsBySession } from '../applications';
import { listPeriods, sessionsInScope, type Scope, type ScopedSession } from '../catalogue';
import { scopeOf } from '../scopes';
import { openChangeRequests, placesOf } from '../selection';
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
export async function staffSessions(db: Db, user: { id: string; role: Role }, options: StaffListOptions = { q: '' }, knownScope?: Scope): Promise<StaffSessionRow[]> {
  const sessions = await sessionsInScope(db, knownScope ?? (await scopeOf(db, user)), { q: options.q || undefined, period: options.period });
  const [counts, places] = await Promise.all([statusCountsBySession(db, sessions.map((s) => s.id)), placesOf(db, sessions)]);
  const rows = sessions.map((s) => {
    const c = counts.get(s.id) ?? { processing: 0, waitingList: 0, accepted: 0, enrolled: 0 };
    const p = places.get(s.id)!;
    return { ...s, ...c, offered: p.offered, freePlaces: p.free };
  });
  const shown = rows.filter((r) => (options.show === 'free' ? r.freePlaces > 0 : options.show === 'waiting' ? r.waitingList > 0 : options.show === 'processing' ? r.processing > 0 : true));
  return options.sort ? sortRows(shown, options.sort, options.dir ?? 'asc') : shown;
}

/** The staff home: the list, whether the scope is everything, the periods to filter by, and SEL-10's open requests. */
export async function staffHome(db: Db, user: { id: string; role: Role }, options: StaffListOptions) {
  const scope = await scopeOf(db, user);
  const [rows, periods, requests] = await Promise.all([
    staffSessions(db, user, options, scope),
    listPeriods(db),
    roleMay(user.role, 'moveDay') || roleMay(user.role, 'requestChange') ? openChangeRequests(db, user, scope) : [],
  ]);
  return { rows, all: scope.all, periods, requests, maySelect: roleMay(user.role, 'accept') };
}
