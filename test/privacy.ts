import { and, eq, inArray } from 'drizzle-orm';
import { learnerProfiles, users } from '../src/modules/accounts/accounts.table';
import { applications } from '../src/modules/applications/applications.table';
import { statusGroups } from '../src/modules/applications';
import { payments } from '../src/modules/payments/payments.table';
import { personalDataSets } from '../src/modules/privacy/owners';
import type { PersonalDataSet } from '../src/platform/personal-data';

/**
 * Stand-ins for the modules' data sets (issue 14: the accounts, applications and payments sets
 * are written in other branches), so the download and the closure are tested on real rows:
 * the account and its record, the applications (blocking while one is being processed), the
 * amounts due (blocking while one is unpaid). `forget` does what the tombstone of the design
 * says, in small: the record deleted, the address replaced.
 */
export const BLOCK_APPLICATION = 'test.closure.applicationInProgress';
export const BLOCK_UNPAID = 'test.closure.feesUnpaid';

const accountSet: PersonalDataSet = {
  name: 'test.accounts',
  tables: [],
  async exportOf(db, userId) {
    const account = await db.select({ email: users.email, locale: users.locale, createdAt: users.createdAt, status: users.status }).from(users).where(eq(users.id, userId));
    const record = await db.select().from(learnerProfiles).where(eq(learnerProfiles.userId, userId));
    return [
      { key: 'account', title: 'privacy.test.account', rows: account },
      { key: 'learnerRecord', title: 'Fiche', rows: record.map(({ identityKey: _key, ...row }) => row) },
    ];
  },
  async forget(tx, userId) {
    await tx.delete(learnerProfiles).where(eq(learnerProfiles.userId, userId));
    await tx.update(users).set({ email: `closed-${userId}@closed.invalid`, mobilePhone: null }).where(eq(users.id, userId));
  },
};

const applicationSet: PersonalDataSet = {
  name: 'test.applications',
  tables: [],
  async exportOf(db, userId) {
    const rows = await db.select({ id: applications.id, status: applications.status, situation: applications.situation }).from(applications).where(eq(applications.learnerId, userId));
    return [{ key: 'applications', title: 'Candidatures', rows }];
  },
  async blocksClosure(db, userId) {
    const live = await db
      .select({ id: applications.id })
      .from(applications)
      .where(and(eq(applications.learnerId, userId), inArray(applications.status, [...statusGroups.processing])));
    return live.length ? [BLOCK_APPLICATION] : [];
  },
  async forget() {},
};

const paymentSet: PersonalDataSet = {
  name: 'test.payments',
  tables: [],
  async exportOf(db, userId) {
    const rows = await db
      .select({ applicationId: payments.applicationId, status: payments.status, amountCents: payments.amountCents })
      .from(payments)
      .innerJoin(applications, eq(applications.id, payments.applicationId))
      .where(eq(applications.learnerId, userId));
    return [{ key: 'payments', title: 'Paiements', rows }];
  },
  async blocksClosure(db, userId) {
    const due = await db
      .select({ id: payments.id })
      .from(payments)
      .innerJoin(applications, eq(applications.id, payments.applicationId))
      .where(and(eq(applications.learnerId, userId), eq(payments.status, 'due')));
    return due.length ? [BLOCK_UNPAID] : [];
  },
  async forget() {},
};

/** The sets present in this branch (`personalDataSets`), then the stand-ins. */
export const testSets: readonly PersonalDataSet[] = [...personalDataSets, paymentSet, applicationSet, accountSet];
