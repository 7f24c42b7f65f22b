import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import { audit } from '../../platform/audit';
import { identityKey } from './accounts.rules';
import { learnerProfiles, nameChangeRequests } from './accounts.table';
import type { AccountDeps } from './users.service';

/** The learner record (ACC-5, ACC-6) and what may change in it (ACC-8). */

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
 * unique index decides).
 */
export async function createLearnerRecord(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
  input: { userId: string; record: LearnerRecordInput },
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
      const existing = await getLearnerProfile(tx, input.userId);
      return existing ? 'already_exists' : 'duplicate_person';
    }
    await audit(tx, clock, { action: 'learner.record_created', actorId: input.userId, subjectId: input.userId });
    return 'created';
  });
}

export type ContactDetails = Pick<
  LearnerRecordInput,
  'address' | 'addressComplement1' | 'addressComplement2' | 'postalCode' | 'city' | 'country' | 'mobilePhone' | 'landlinePhone'
>;

/** ACC-8: address and phones are the learner's to change at any time. */
export async function updateContactDetails(
  deps: Pick<AccountDeps, 'db' | 'clock'>,
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
