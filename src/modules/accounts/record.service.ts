import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { forgetIdentityPrefill } from './identity.service';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import { identityKey, normaliseEmail } from './accounts.rules';
import { learnerProfiles, nameChangeRequests, users } from './accounts.table';
import { tellLearner } from './notify.service';
import { isUuid } from '../../platform/input';
import type { AccountDeps, User } from './users.service';

/** The learner record (ACC-5, ACC-6) and what may change in it (ACC-8). */

type Role = User['role'];

export type LearnerProfile = typeof learnerProfiles.$inferSelect;
export type NameChangeRequest = typeof nameChangeRequests.$inferSelect;

export interface LearnerRecordInput {
  civility: 'M' | 'MME';
  lastName: string;
  birthName: string | null;
  firstName: string;
  birthDate: string;
  birthCountry: string;
  address: string;
  addressComplement1: string | null;
  addressComplement2: string | null;
  postalCode: string;
  city: string;
  country: string;
  mobilePhone: string | null;
  landlinePhone: string | null;
  heardFrom: LearnerProfile['heardFrom'];
}

export async function getLearnerProfile(db: DbOrTx, userId: string): Promise<LearnerProfile | null> {
  const [row] = await db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, userId));
  return row ?? null;
}

/**
 * ACC-5, ACC-6: creates the learner record once. A second record for the same person (same
 * normalised names and birth date) is refused, even when both arrive at the same moment (the
 * unique index decides). The refusal tells whether that person is registered: each one is
 * logged for staff, naming the account that asked and the person asked about.
 */
export async function createLearnerRecord(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; record: LearnerRecordInput },
  ip: string | null = null,
): Promise<'created' | 'duplicate_person' | 'already_exists'> {
  const { db, clock } = deps;
  const key = identityKey(input.record.lastName, input.record.firstName, input.record.birthDate);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(learnerProfiles)
      .values({ ...input.record, userId: input.userId, identityKey: key, createdAt: clock.now(), updatedAt: clock.now() })
      .onConflictDoNothing()
      .returning({ userId: learnerProfiles.userId });
    if (inserted.length === 0) {
      if (await getLearnerProfile(tx, input.userId)) return 'already_exists';
      const [person] = await tx.select({ userId: learnerProfiles.userId }).from(learnerProfiles).where(eq(learnerProfiles.identityKey, key));
      await audit(tx, clock, { action: 'learner.record_duplicate_refused', actorId: input.userId, subjectId: person?.userId ?? null, ip });
      return 'duplicate_person';
    }
    await audit(tx, clock, { action: 'learner.record_created', actorId: input.userId, subjectId: input.userId });
    await forgetIdentityPrefill(tx, input.userId); // ACC-13: the provider's claims served their purpose
    return 'created';
  });
}

export type ContactDetails = Pick<
  LearnerRecordInput,
  'address' | 'addressComplement1' | 'addressComplement2' | 'postalCode' | 'city' | 'country' | 'mobilePhone' | 'landlinePhone'
>;

/** ACC-8: address and phones are the learner's to change at any time. */
export async function updateContactDetails(
  deps: { db: DbOrTx; clock: AccountDeps['clock'] },
  input: { userId: string; contact: ContactDetails },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx
      .update(learnerProfiles)
      .set({ ...input.contact, updatedAt: deps.clock.now() })
      .where(eq(learnerProfiles.userId, input.userId));
    await audit(tx, deps.clock, { action: 'learner.contact_updated', actorId: input.userId, subjectId: input.userId });
  });
}

/** ACC-8: names are changed by staff; the learner files a request. */
export async function requestNameChange(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; lastName: string; firstName: string; birthName: string | null; reason: string },
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx.insert(nameChangeRequests).values({ ...input, createdAt: deps.clock.now() });
    await audit(tx, deps.clock, { action: 'learner.name_change_requested', actorId: input.userId, subjectId: input.userId });
  });
}

/** The learner's latest name change request still waiting for staff, if any. */
export async function pendingNameChange(db: DbOrTx, userId: string): Promise<NameChangeRequest | null> {
  const [row] = await db
    .select()
    .from(nameChangeRequests)
    .where(and(eq(nameChangeRequests.userId, userId), eq(nameChangeRequests.status, 'pending')))
    .orderBy(desc(nameChangeRequests.createdAt))
    .limit(1);
  return row ?? null;
}

/** Learners' names for staff lists, in one query. */
export async function learnerNames(db: DbOrTx, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .select({ userId: learnerProfiles.userId, firstName: learnerProfiles.firstName, lastName: learnerProfiles.lastName })
    .from(learnerProfiles)
    .where(inArray(learnerProfiles.userId, userIds));
  return new Map(rows.map((r) => [r.userId, `${r.lastName.toUpperCase()} ${r.firstName}`]));
}

// ---------------------------------------------------------------------------------------------
// Staff side of ACC-8: finding a learner, applying or declining a name change.

/** Who may apply or decline a learner's name change (ACC-8). */
export const nameChangeDeciders = ['coordinator', 'admin'] as const satisfies readonly Role[];
export const mayDecideNameChanges = (role: Role) => (nameChangeDeciders as readonly Role[]).includes(role);

/** Which learners a search may return: all of them, or those whose ids are given. */
export type LearnerSet = 'all' | string[];

export interface LearnerSearch {
  /** Words of the last, first or birth name, or (with an @) part of the email address. */
  text?: string;
  /** An ISO date. */
  birthDate?: string;
}

export interface LearnerRow {
  userId: string;
  email: string;
  lastName: string;
  firstName: string;
  birthName: string | null;
  birthDate: string;
  pendingNameChange: boolean;
}

/** Lower case, without accents, letters and digits only: how names are compared (as ACC-5 does). */
const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
/** The same folding in SQL for a column stored as typed (the birth name); common accents only. */
const foldedSql = (column: SQL | typeof learnerProfiles.birthName) =>
  sql`regexp_replace(translate(lower(coalesce(${column}, '')), 'àáâãäåçèéêëìíîïñòóôõöùúûüýÿœæ', 'aaaaaaceeeeiiiinooooouuuuyyoa'), '[^a-z0-9]', '', 'g')`;

const pendingExists = sql<boolean>`exists (select 1 from name_change_requests r where r.user_id = ${learnerProfiles.userId} and r.status = 'pending')`;

function amongCondition(among: LearnerSet): SQL | undefined {
  if (among === 'all') return undefined;
  // One array parameter, however many learners the scope holds.
  return sql`${learnerProfiles.userId} = any(${sql.param(among)}::uuid[])`;
}

/**
 * ACC-8: learners matching a search, among `among` (the caller's scope: the condition is part
 * of the query, before any limit). Every word must match a name; a text with an @ matches the
 * email address. Without any criterion, nothing is returned.
 */
export async function searchLearners(db: DbOrTx, input: { among: LearnerSet; search: LearnerSearch; limit?: number }): Promise<LearnerRow[]> {
  const conditions: SQL[] = [];
  const text = (input.search.text ?? '').trim().slice(0, 200);
  if (text.includes('@')) conditions.push(sql`${users.email} like ${`%${likeEscape(normaliseEmail(text))}%`}`);
  else
    for (const word of text.split(/\s+/).map(fold).filter(Boolean).slice(0, 6)) {
      const pattern = `%${likeEscape(word)}%`;
      conditions.push(sql`(split_part(${learnerProfiles.identityKey}, '|', 1) like ${pattern} or split_part(${learnerProfiles.identityKey}, '|', 2) like ${pattern} or ${foldedSql(learnerProfiles.birthName)} like ${pattern})`);
    }
  if (input.search.birthDate) conditions.push(eq(learnerProfiles.birthDate, input.search.birthDate));
  if (conditions.length === 0) return [];
  if (Array.isArray(input.among) && input.among.length === 0) return [];
  const among = amongCondition(input.among);
  return db
    .select({
      userId: learnerProfiles.userId,
      email: users.email,
      lastName: learnerProfiles.lastName,
      firstName: learnerProfiles.firstName,
      birthName: learnerProfiles.birthName,
      birthDate: learnerProfiles.birthDate,
      pendingNameChange: pendingExists,
    })
    .from(learnerProfiles)
    .innerJoin(users, eq(users.id, learnerProfiles.userId))
    .where(and(eq(users.role, 'learner'), ...conditions, ...(among ? [among] : [])))
    .orderBy(asc(learnerProfiles.lastName), asc(learnerProfiles.firstName), asc(learnerProfiles.userId))
    .limit(input.limit ?? 50);
}

/** ACC-8: the name change requests waiting for staff, oldest first, among `among`. */
export async function pendingNameChanges(db: DbOrTx, input: { among: LearnerSet; limit?: number }) {
  if (Array.isArray(input.among) && input.among.length === 0) return [];
  const among = amongCondition(input.among);
  return db
    .select({
      userId: learnerProfiles.userId,
      lastName: learnerProfiles.lastName,
      firstName: learnerProfiles.firstName,
      birthDate: learnerProfiles.birthDate,
      requestedAt: nameChangeRequests.createdAt,
    })
    .from(nameChangeRequests)
    .innerJoin(learnerProfiles, eq(learnerProfiles.userId, nameChangeRequests.userId))
    .where(and(eq(nameChangeRequests.status, 'pending'), among))
    .orderBy(asc(nameChangeRequests.createdAt))
    .limit(input.limit ?? 100);
}

/** What staff see of one learner: the address they log in with, the record, the pending request. */
export async function learnerFile(db: DbOrTx, userId: string) {
  if (!isUuid(userId)) return null;
  const [row] = await db
    .select({ email: users.email, status: users.status, profile: learnerProfiles })
    .from(users)
    .innerJoin(learnerProfiles, eq(learnerProfiles.userId, users.id))
    .where(and(eq(users.id, userId), eq(users.role, 'learner')));
  if (!row) return null;
  return { userId, email: row.email, status: row.status, profile: row.profile, pendingNameChange: await pendingNameChange(db, userId) };
}
export type LearnerFile = NonNullable<Awaited<ReturnType<typeof learnerFile>>>;

export type NameChangeOutcome = { ok: true } | { ok: false; code: 'forbidden' | 'not_found' | 'not_pending' | 'duplicate_person' };

/**
 * ACC-8: a coordinator or an administrator applies or declines a learner's name change request.
 * Applying changes the record's names (and its ACC-5 identity key: refused if another record
 * then has the same person's names and birth date). Either way the request is closed with who
 * decided, an audit row is written and the learner is emailed in their language, all in one
 * transaction. Older requests still pending are closed with it (the latest one stands for them).
 * The caller checks the learner is in the staff member's scope.
 */
export async function decideNameChange(
  deps: AccountDeps,
  input: { staff: { id: string; role: Role }; learnerId: string; requestId: string; decision: 'apply' | 'decline'; note?: string | null; among: LearnerSet },
): Promise<NameChangeOutcome> {
  const { db, clock, baseUrl } = deps;
  if (!mayDecideNameChanges(input.staff.role)) return { ok: false, code: 'forbidden' };
  if (!isUuid(input.requestId) || !isUuid(input.learnerId)) return { ok: false, code: 'not_found' };
  // The caller's scope, as the learners it may act on: a learner outside it is refused here too.
  if (input.among !== 'all' && !input.among.includes(input.learnerId)) return { ok: false, code: 'forbidden' };
  return db.transaction(async (tx) => {
    const [request] = await tx
      .select()
      .from(nameChangeRequests)
      .where(and(eq(nameChangeRequests.id, input.requestId), eq(nameChangeRequests.userId, input.learnerId)))
      .for('update');
    if (!request) return { ok: false as const, code: 'not_found' as const };
    if (request.status !== 'pending') return { ok: false as const, code: 'not_pending' as const };
    const [profile] = await tx.select().from(learnerProfiles).where(eq(learnerProfiles.userId, input.learnerId)).for('update');
    const [learner] = await tx.select().from(users).where(eq(users.id, input.learnerId));
    if (!profile || !learner) return { ok: false as const, code: 'not_found' as const };
    const from = { lastName: profile.lastName, firstName: profile.firstName, birthName: profile.birthName };
    const to = { lastName: request.lastName, firstName: request.firstName, birthName: request.birthName };
    if (input.decision === 'apply') {
      const key = identityKey(to.lastName, to.firstName, profile.birthDate);
      const [taken] = await tx
        .select({ userId: learnerProfiles.userId })
        .from(learnerProfiles)
        .where(and(eq(learnerProfiles.identityKey, key), ne(learnerProfiles.userId, input.learnerId)));
      if (taken) return { ok: false as const, code: 'duplicate_person' as const };
      await tx
        .update(learnerProfiles)
        .set({ ...to, identityKey: key, updatedAt: clock.now() })
        .where(eq(learnerProfiles.userId, input.learnerId));
    }
    await tx
      .update(nameChangeRequests)
      .set({ status: input.decision === 'apply' ? 'applied' : 'declined', decidedAt: clock.now(), decidedBy: input.staff.id })
      .where(eq(nameChangeRequests.id, request.id));
    await tx
      .update(nameChangeRequests)
      .set({ status: 'declined', decidedAt: clock.now(), decidedBy: input.staff.id })
      .where(and(eq(nameChangeRequests.userId, input.learnerId), eq(nameChangeRequests.status, 'pending')));
    await audit(tx, clock, {
      action: input.decision === 'apply' ? 'learner.name_change_applied' : 'learner.name_change_declined',
      actorId: input.staff.id,
      subjectId: input.learnerId,
      data: { requestId: request.id, from, to, note: input.note ?? null },
    });
    const name = `${to.firstName} ${to.lastName}`;
    const note = input.note?.trim() ? input.note.trim() : '—';
    const account = `${baseUrl}/compte`;
    const [subject, body] = input.decision === 'apply' ? (['email.nameChangeApplied.subject', 'email.nameChangeApplied.body'] as const) : (['email.nameChangeDeclined.subject', 'email.nameChangeDeclined.body'] as const);
    // SVC-7: a decision on the record, told by the channels the learner chose (not an account email proper).
    await tellLearner(tx, input.learnerId, {
      purpose: `accounts.${body.replace(/\.body$/, '')}`,
      compose: (t) => ({ subject: t(subject), text: t(body, { name, note, account }), link: account }),
    });
    return { ok: true as const };
  });
}
