import { and, eq, getTableName, inArray, sql } from 'drizzle-orm';
import { readTogether } from '../../db/statements';
import type { DbOrTx } from '../../db/database';
import { getPolicies } from '../../platform/policies';
import { freePlaces, type SessionForApplication } from '../catalogue';
import { placesHeld as cataloguePlacesHeld, placesHeldSql as cataloguePlacesHeldSql } from '../catalogue';
import { assistedAmong, assistedHoldingPlaces, placesHeldByApplications, placesHeldByApplicationsSql } from '../applications';
import { heldShare, heldShareEnds, type Share } from './held-share.rules';
import { offers } from './selection.table';

/**
 * SEL-6, SEL-8: the places held in each session: accepted and enrolled learners (the
 * applications' lifecycle group "holdsPlace") and places offered from a waiting list and not
 * yet answered. Free = `freePlaces(capacity, held)`. The catalogue, the staff list and its
 * exports, the selection screen, the applicant page, the decision and the refill all read this.
 */
export async function placesHeld(db: DbOrTx, sessionIds: number[]): Promise<Map<number, number>> {
  if (sessionIds.length === 0) return new Map();
  // One round trip (decision 032): the same expression as the catalogue's search reads.
  const rows = await db.execute<{ id: number; held: number }>(sql`select s.id, ${sql.raw(placesHeldSql('s.id'))} as held from unnest(${sql.param(sessionIds)}::int[]) s(id)`);
  return new Map(rows.rows.map((r) => [Number(r.id), Number(r.held)]));
}

/**
 * SEL-6, decision 032: the places held in the session whose id is the SQL expression
 * `sessionId`, as one scalar expression (the applications' count, given by their module, plus
 * this module's open offers). The catalogue's search reads it in its own statement, so a page's
 * rows and their free places are one round trip and one snapshot. `placesOf` counts the same.
 */
export function placesHeldSql(sessionId: string): string {
  return `(${placesHeldByApplicationsSql(sessionId)} + (select count(*)::int from ${getTableName(offers)} o where o.session_id = ${sessionId} and o.status = 'open'))`;
}

/** For lists: of each session, the places held, those held by open offers, and the free ones. */
export async function placesOf(db: DbOrTx, sessions: readonly { id: number; capacity: number }[]): Promise<Map<number, { held: number; offered: number; free: number }>> {
  const ids = sessions.map((s) => s.id);
  const [byApplications, offered] = await readTogether(db, [async () => placesHeldByApplications(db, ids), async () => openOffersBySession(db, ids)]);
  return new Map(
    sessions.map((s) => {
      const held = (byApplications.get(s.id) ?? 0) + (offered.get(s.id) ?? 0);
      return [s.id, { held, offered: offered.get(s.id) ?? 0, free: freePlaces(s.capacity, held) }];
    }),
  );
}

/** Free places of these sessions, by id. */
export async function freePlacesOf(db: DbOrTx, sessions: readonly { id: number; capacity: number }[]): Promise<Map<number, number>> {
  return new Map([...(await placesOf(db, sessions))].map(([id, p]) => [id, p.free]));
}

/** Free places of one session. */
export async function freePlacesIn(db: DbOrTx, session: { id: number; capacity: number }): Promise<number> {
  return (await freePlacesOf(db, [session])).get(session.id)!;
}

/** Open offers held in these sessions (for the staff list's "offered" column). */
export async function openOffersBySession(db: DbOrTx, sessionIds: number[]): Promise<Map<number, number>> {
  if (sessionIds.length === 0) return new Map();
  const rows = await db
    .select({ sessionId: offers.sessionId, n: sql<number>`count(*)::int` })
    .from(offers)
    .where(and(inArray(offers.sessionId, sessionIds), eq(offers.status, 'open')))
    .groupBy(offers.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.n]));
}

/**
 * SVC-5: the share of each session's places held for assisted applications (the policy
 * `assistedPlacesPercent`, until the period's date), with the assisted applications already
 * holding a place there: accepted, awaiting payment, enrolled, or offered one (an offer holds its
 * place). The rule is `held-share.rules.ts`; the decision, the refill and the moves read this.
 */
export async function sharesOf(db: DbOrTx, sessions: readonly Pick<SessionForApplication, 'id' | 'capacity' | 'period'>[], knownPercent?: number): Promise<Map<number, Share>> {
  const percent = knownPercent ?? (await getPolicies(db)).assistedPlacesPercent;
  const shares = new Map(sessions.map((s) => [s.id, { places: heldShare(s.capacity, percent), until: heldShareEnds(s.period), assistedHolding: 0 }]));
  const ids = sessions.filter((s) => shares.get(s.id)!.places > 0).map((s) => s.id);
  if (ids.length === 0) return shares;
  const [holding, open] = await readTogether(db, [
    async () => assistedHoldingPlaces(db, ids),
    async () => db.select({ sessionId: offers.sessionId, applicationId: offers.applicationId }).from(offers).where(and(inArray(offers.sessionId, ids), eq(offers.status, 'open'))),
  ]);
  const assistedOffers = await assistedAmong(db, open.map((o) => o.applicationId));
  for (const id of ids) shares.get(id)!.assistedHolding = holding.get(id) ?? 0;
  for (const o of open) if (assistedOffers.has(o.applicationId)) shares.get(o.sessionId)!.assistedHolding++;
  return shares;
}

/** SVC-5: the held share of one session. */
export async function shareIn(db: DbOrTx, session: Pick<SessionForApplication, 'id' | 'capacity' | 'period'>, knownPercent?: number): Promise<Share> {
  return (await sharesOf(db, [session], knownPercent)).get(session.id)!;
}

cataloguePlacesHeld.provide(placesHeld);
cataloguePlacesHeldSql.provide(placesHeldSql);
