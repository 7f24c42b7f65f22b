import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import type { Clock } from '../../platform/clock';
import type { MessageKey } from '../../platform/i18n';
import type { FieldError } from '../../ui/context';
import { getStaffAccount, listStaffAccounts } from '../accounts';
import { catalogueCodes, catalogueIds, listSchools, type Scope } from '../catalogue';
import { scopeOf } from '../scopes';
import type { Staff } from './desk.rules';
import { deskCounsellors, helpDeskScopes, helpDesks } from './desk.table';

/**
 * SVC-5: the central service runs the help desks (the administrator's page, the CLI): a desk's
 * name, address, hours and what it serves (schools, arrondissements), closing it, and which
 * counsellors work there. Only an administrator does (checked here whatever the route did);
 * every change writes its audit row in its transaction.
 */
export interface HelpDeskDeps {
  db: Db;
  clock: Clock;
}

export type HelpDeskRow = typeof helpDesks.$inferSelect;

/** What a desk serves, in words: school codes and arrondissements. */
export interface DeskServes {
  schools: string[];
  arrondissements: number[];
}

export interface HelpDeskInput extends DeskServes {
  name: string;
  address: string;
  hours: string;
}

export interface HelpDeskSummary extends HelpDeskRow, DeskServes {
  counsellors: { id: string; email: string; displayName: string | null }[];
}

export type HelpDeskRefusal = { ok: false; code: 'forbidden' } | { ok: false; code: 'not_found' } | { ok: false; code: 'invalid'; field: string; error: FieldError };

const forbidden = { ok: false as const, code: 'forbidden' as const };
const notFound = { ok: false as const, code: 'not_found' as const };
const invalid = (field: string, message: MessageKey, params?: FieldError['params']) => ({ ok: false as const, code: 'invalid' as const, field, error: { message, ...(params ? { params } : {}) } });

/** The largest desk id a form or the CLI may name (a serial): anything else is no desk. */
const MAX_DESK_ID = 2_147_483_647;

/** What each of these desks serves, in words. */
async function servesOf(db: DbOrTx, deskIds: number[]): Promise<Map<number, DeskServes>> {
  const result = new Map<number, DeskServes>(deskIds.map((id) => [id, { schools: [], arrondissements: [] }]));
  if (deskIds.length === 0) return result;
  const rows = await db.select().from(helpDeskScopes).where(inArray(helpDeskScopes.deskId, deskIds));
  const codes = await catalogueCodes(db, { schools: [...new Set(rows.map((r) => r.schoolId).filter((v): v is number => v !== null))], domains: [], sessions: [] });
  for (const row of rows) {
    const entry = result.get(row.deskId)!;
    if (row.schoolId !== null && codes.schools.has(row.schoolId)) entry.schools.push(codes.schools.get(row.schoolId)!);
    if (row.arrondissement !== null) entry.arrondissements.push(row.arrondissement);
  }
  for (const entry of result.values()) {
    entry.schools.sort();
    entry.arrondissements.sort((a, b) => a - b);
  }
  return result;
}

/** Every help desk (open ones first, by name) with what it serves and its counsellors. */
export async function listHelpDesks(db: DbOrTx): Promise<HelpDeskSummary[]> {
  const desks = await db.select().from(helpDesks).orderBy(sql`${helpDesks.closedAt} is not null`, asc(helpDesks.name));
  return withDetails(db, desks);
}

async function withDetails(db: DbOrTx, desks: HelpDeskRow[]): Promise<HelpDeskSummary[]> {
  const ids = desks.map((d) => d.id);
  const serves = await servesOf(db, ids);
  const assigned = ids.length ? await db.select().from(deskCounsellors).where(inArray(deskCounsellors.deskId, ids)) : [];
  const staff = new Map((await listStaffAccounts(db)).map((s) => [s.id, s]));
  return desks.map((d) => ({
    ...d,
    ...serves.get(d.id)!,
    counsellors: assigned
      .filter((a) => a.deskId === d.id && staff.has(a.userId))
      .map((a) => staff.get(a.userId)!)
      .map((s) => ({ id: s.id, email: s.email, displayName: s.displayName }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  }));
}

/** One desk with what it serves and its counsellors, or null (no such id). */
export async function getHelpDesk(db: DbOrTx, deskId: number): Promise<HelpDeskSummary | null> {
  if (!Number.isSafeInteger(deskId) || deskId < 1 || deskId > MAX_DESK_ID) return null;
  const desks = await db.select().from(helpDesks).where(eq(helpDesks.id, deskId));
  return desks.length ? (await withDetails(db, desks))[0] : null;
}

/** The active counsellor accounts, for the "assign a counsellor" choice. */
export async function counsellorAccounts(db: DbOrTx): Promise<{ id: string; email: string; displayName: string | null }[]> {
  return (await listStaffAccounts(db)).filter((s) => s.role === 'counsellor' && s.status === 'active').map((s) => ({ id: s.id, email: s.email, displayName: s.displayName }));
}

/**
 * A desk by its id or its name (the CLI's `--desk`): a number is an id; else the name, or the
 * code, whatever the case. `ambiguous` when two desks have that name.
 */
export async function findHelpDesk(db: DbOrTx, idOrName: string): Promise<{ ok: true; desk: HelpDeskRow } | { ok: false; reason: 'unknown' | 'ambiguous' | 'closed' }> {
  const text = idOrName.trim();
  const rows = /^\d{1,10}$/.test(text)
    ? Number(text) <= MAX_DESK_ID
      ? await db.select().from(helpDesks).where(eq(helpDesks.id, Number(text)))
      : []
    : await db
        .select()
        .from(helpDesks)
        .where(sql`lower(${helpDesks.name}) = lower(${text}) or lower(${helpDesks.code}) = lower(${text})`);
  if (rows.length === 0) return { ok: false, reason: 'unknown' };
  if (rows.length > 1) return { ok: false, reason: 'ambiguous' };
  if (rows[0].closedAt) return { ok: false, reason: 'closed' };
  return { ok: true, desk: rows[0] };
}

/** The school ids of these codes, or the field error naming the unknown ones. */
async function schoolIdsOf(db: DbOrTx, codes: string[]): Promise<{ ok: true; ids: number[] } | ReturnType<typeof invalid>> {
  const ids = await catalogueIds(db, { schools: codes });
  const unknown = codes.filter((c) => !ids.schools.has(c));
  if (unknown.length) return invalid('schools', 'hdesk.err.unknownSchools', { codes: unknown.join(', ') });
  return { ok: true, ids: [...ids.schools.values()] };
}

async function writeServes(tx: DbOrTx, deskId: number, schoolIds: number[], arrondissements: number[]): Promise<void> {
  await tx.delete(helpDeskScopes).where(eq(helpDeskScopes.deskId, deskId));
  const rows = [...schoolIds.map((schoolId) => ({ deskId, schoolId })), ...arrondissements.map((arrondissement) => ({ deskId, arrondissement }))];
  if (rows.length) await tx.insert(helpDeskScopes).values(rows).onConflictDoNothing();
}

/** What a desk serves, set by codes (the demo): false when a school code is unknown (nothing changed). */
export async function setDeskServes(db: DbOrTx, deskId: number, serves: DeskServes): Promise<boolean> {
  const schoolIds = await schoolIdsOf(db, serves.schools);
  if (!schoolIds.ok) return false;
  await writeServes(db, deskId, schoolIds.ids, serves.arrondissements.filter((a) => Number.isInteger(a) && a >= 1 && a <= 20));
  return true;
}

/** A desk's code (its audit name, the demo's key) from its name: `accueil-paris-11e`, `-2` when taken. */
export function deskCodeOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
  return slug || 'accueil';
}

/** SVC-5: the administrator adds a help desk: its name, address, hours and what it serves (at least one school or arrondissement). */
export async function createHelpDesk(deps: HelpDeskDeps, admin: Staff, input: HelpDeskInput): Promise<{ ok: true; deskId: number } | HelpDeskRefusal> {
  if (admin.role !== 'admin') return forbidden;
  if (input.schools.length === 0 && input.arrondissements.length === 0) return invalid('schools', 'hdesk.err.noScope');
  const schoolIds = await schoolIdsOf(deps.db, input.schools);
  if (!schoolIds.ok) return schoolIds;
  return deps.db.transaction(async (tx) => {
    const base = deskCodeOf(input.name);
    const taken = new Set((await tx.select({ code: helpDesks.code }).from(helpDesks).where(sql`${helpDesks.code} = ${base} or ${helpDesks.code} like ${`${base}-%`}`)).map((r) => r.code));
    let code = base;
    for (let n = 2; taken.has(code); n++) code = `${base}-${n}`;
    const [desk] = await tx
      .insert(helpDesks)
      .values({ code, name: input.name, address: input.address, hours: input.hours, createdAt: deps.clock.now() })
      .returning();
    await writeServes(tx, desk.id, schoolIds.ids, input.arrondissements);
    await audit(tx, deps.clock, { action: 'desk.created', actorId: admin.id, data: { desk: code, name: input.name, schools: input.schools, arrondissements: input.arrondissements } });
    return { ok: true as const, deskId: desk.id };
  });
}

/** SVC-5: the administrator renames a desk, changes its address, hours or what it serves (replaced as a whole). */
export async function updateHelpDesk(deps: HelpDeskDeps, admin: Staff, deskId: number, input: HelpDeskInput): Promise<{ ok: true } | HelpDeskRefusal> {
  if (admin.role !== 'admin') return forbidden;
  const desk = await getHelpDesk(deps.db, deskId);
  if (!desk) return notFound;
  if (input.schools.length === 0 && input.arrondissements.length === 0) return invalid('schools', 'hdesk.err.noScope');
  const schoolIds = await schoolIdsOf(deps.db, input.schools);
  if (!schoolIds.ok) return schoolIds;
  await deps.db.transaction(async (tx) => {
    await tx.update(helpDesks).set({ name: input.name, address: input.address, hours: input.hours }).where(eq(helpDesks.id, desk.id));
    await writeServes(tx, desk.id, schoolIds.ids, input.arrondissements);
    await audit(tx, deps.clock, { action: 'desk.updated', actorId: admin.id, data: { desk: desk.code, from: desk.name, name: input.name, schools: input.schools, arrondissements: input.arrondissements } });
  });
  return { ok: true };
}

/**
 * SVC-5: the administrator closes a desk (or opens it again). A closed desk is nobody's: its
 * counsellors no longer register learners there nor act for its learners (their accounts stay
 * theirs); nothing is deleted. Closing a closed desk changes nothing.
 */
export async function setHelpDeskClosed(deps: HelpDeskDeps, admin: Staff, deskId: number, closed: boolean): Promise<{ ok: true; changed: boolean } | HelpDeskRefusal> {
  if (admin.role !== 'admin') return forbidden;
  const desk = await getHelpDesk(deps.db, deskId);
  if (!desk) return notFound;
  return deps.db.transaction(async (tx) => {
    const [changed] = await tx
      .update(helpDesks)
      .set({ closedAt: closed ? deps.clock.now() : null })
      .where(and(eq(helpDesks.id, desk.id), closed ? isNull(helpDesks.closedAt) : sql`${helpDesks.closedAt} is not null`))
      .returning({ id: helpDesks.id });
    if (changed) await audit(tx, deps.clock, { action: closed ? 'desk.closed' : 'desk.reopened', actorId: admin.id, data: { desk: desk.code } });
    return { ok: true as const, changed: Boolean(changed) };
  });
}

/** A counsellor works at this desk (idempotent; the demo, the tests, the CLI). */
export async function assignCounsellor(db: DbOrTx, input: { deskId: number; userId: string }): Promise<void> {
  await db.insert(deskCounsellors).values(input).onConflictDoNothing();
}

/** Why a staff account cannot be a desk's counsellor, or null. */
async function notACounsellor(db: DbOrTx, userId: string): Promise<MessageKey | null> {
  const user = await getStaffAccount(db, userId);
  if (!user) return 'hdesk.err.unknownCounsellor';
  if (user.role !== 'counsellor') return 'hdesk.err.notCounsellor';
  if (user.status !== 'active') return 'hdesk.err.inactiveCounsellor';
  return null;
}

/** SVC-5: the administrator (or the CLI, `actorId` null) assigns a counsellor — an active staff account with the role counsellor — to an open desk. */
export async function addCounsellorToDesk(deps: HelpDeskDeps, admin: Staff | null, input: { deskId: number; userId: string }): Promise<{ ok: true } | HelpDeskRefusal> {
  if (admin && admin.role !== 'admin') return forbidden;
  const desk = await getHelpDesk(deps.db, input.deskId);
  if (!desk) return notFound;
  if (desk.closedAt) return invalid('counsellor', 'hdesk.err.closed');
  const refusal = await notACounsellor(deps.db, input.userId);
  if (refusal) return invalid('counsellor', refusal);
  await deps.db.transaction(async (tx) => {
    const added = await tx.insert(deskCounsellors).values({ deskId: desk.id, userId: input.userId }).onConflictDoNothing().returning();
    if (added.length) await audit(tx, deps.clock, { action: 'desk.counsellor_assigned', actorId: admin?.id ?? null, subjectId: input.userId, data: { desk: desk.code } });
  });
  return { ok: true };
}

/** SVC-5: the administrator removes a counsellor from a desk (the learners they registered stay the desk's). */
export async function removeCounsellorFromDesk(deps: HelpDeskDeps, admin: Staff, input: { deskId: number; userId: string }): Promise<{ ok: true } | HelpDeskRefusal> {
  if (admin.role !== 'admin') return forbidden;
  const desk = await getHelpDesk(deps.db, input.deskId);
  if (!desk) return notFound;
  if (!desk.counsellors.some((c) => c.id === input.userId)) return invalid('counsellor', 'hdesk.err.notAssigned');
  await deps.db.transaction(async (tx) => {
    await tx.delete(deskCounsellors).where(and(eq(deskCounsellors.deskId, desk.id), eq(deskCounsellors.userId, input.userId)));
    await audit(tx, deps.clock, { action: 'desk.counsellor_removed', actorId: admin.id, subjectId: input.userId, data: { desk: desk.code } });
  });
  return { ok: true };
}

/**
 * SVC-5: a counsellor's scope at the desk: their own (`staff_scopes`, `scopeOf`) and the schools
 * their open desks serve (those named, and every school of the arrondissements named).
 */
export async function counsellorScope(db: DbOrTx, staff: Staff, deskIds: number[]): Promise<Scope> {
  const own = await scopeOf(db, staff);
  if (own.all || deskIds.length === 0) return own;
  const rows = await db.select().from(helpDeskScopes).where(inArray(helpDeskScopes.deskId, deskIds));
  const arrondissements = new Set(rows.map((r) => r.arrondissement).filter((v): v is number => v !== null));
  const fromArrondissements = arrondissements.size ? (await listSchools(db)).filter((s) => s.arrondissement !== null && arrondissements.has(s.arrondissement)).map((s) => s.id) : [];
  const schoolIds = [...new Set([...own.schoolIds, ...rows.map((r) => r.schoolId).filter((v): v is number => v !== null), ...fromArrondissements])];
  return { ...own, schoolIds };
}
