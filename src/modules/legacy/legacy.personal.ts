import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { PersonalColumn, PersonalDataSet } from '../../platform/personal-data';
import { LINK_FAILURES_WINDOW_MS } from './legacy.rules';
import { legacyAccounts, legacyEnrolments, legacyLinkCodes, legacyLinkFailures, legacyLinks } from './legacy.table';

/**
 * ACC-11, ACC-14: what the legacy module holds about a learner. A former account is personal data
 * of someone who may never come: one never linked is deleted `inactiveAccountMonths` (the policy,
 * 36 months) after its import, by the retention job's sweep; a linked one lives with the account
 * and goes at its closure. The throttle's failures go after an hour, spent codes after a day.
 */

const history: Omit<PersonalColumn, 'category'> = {
  purpose: 'legacy.purpose.history',
  basis: 'public_task',
  retention: { policy: 'inactiveAccountMonths', unit: 'months', from: 'legacy.retention.fromImport' },
  end: 'delete',
};
const col = (category: PersonalColumn['category'], base = history): PersonalColumn => ({ ...base, category });
const linkUse: Omit<PersonalColumn, 'category'> = { ...history, purpose: 'legacy.purpose.link' };
const throttle: Omit<PersonalColumn, 'category'> = {
  purpose: 'legacy.purpose.throttle',
  basis: 'public_task',
  retention: { policy: 'connectionLogMonths', unit: 'months', from: 'legacy.retention.fromFailure' },
  end: 'delete',
};

const DAY = 86_400_000;

/** The old account linked to this learner, if any. */
async function linkedAccountId(db: DbOrTx, userId: string): Promise<string | null> {
  const [row] = await db.select({ id: legacyLinks.legacyAccountId }).from(legacyLinks).where(eq(legacyLinks.userId, userId));
  return row?.id ?? null;
}

export const legacyDataSet: PersonalDataSet = {
  name: 'legacy',
  tables: [
    { table: 'legacy_imports', personal: {}, other: ['id', 'files', 'digest', 'accounts', 'enrolments', 'imported_at'] },
    {
      table: 'legacy_accounts',
      personal: {
        email: col('contact'),
        password_scheme: col('account'),
        password_hash: col('account'),
        civility: col('identity'),
        last_name: col('identity'),
        birth_name: col('identity'),
        first_name: col('identity'),
        birth_date: col('identity'),
        birth_country: col('identity'),
        address: col('contact'),
        address_complement_1: col('contact'),
        address_complement_2: col('contact'),
        postal_code: col('contact'),
        city: col('contact'),
        mobile_phone: col('contact'),
        landline_phone: col('contact'),
        heard_from: col('account'),
        created_on: col('account'),
      },
      other: ['id', 'import_id', 'imported_at'],
    },
    {
      table: 'legacy_enrolments',
      personal: {
        legacy_account_id: col('application'),
        school: col('application'),
        period: col('application'),
        started_on: col('application'),
        ended_on: col('application'),
        attendance_percent: col('attendance'),
        attendance_certified: col('attendance'),
        outcome: col('result'),
        certificate_on: col('result'),
        certificate_number: col('result'),
      },
      other: ['id', 'course_id'],
    },
    { table: 'legacy_links', personal: { legacy_account_id: col('account', linkUse), user_id: col('account', linkUse), method: col('account', linkUse), linked_at: col('account', linkUse) }, other: [] },
    {
      table: 'legacy_link_codes',
      personal: { user_id: col('account', linkUse), legacy_account_id: col('account', linkUse), code_hash: col('account', linkUse) },
      other: ['id', 'attempts', 'created_at', 'expires_at', 'used_at'],
    },
    { table: 'legacy_link_failures', personal: { user_id: col('connection', throttle), email: col('connection', throttle), failed_at: col('connection', throttle) }, other: ['id'] },
  ],

  async exportOf(db, userId) {
    const accountId = await linkedAccountId(db, userId);
    const [account] = accountId
      ? await db
          .select({
            email: legacyAccounts.email,
            civility: legacyAccounts.civility,
            lastName: legacyAccounts.lastName,
            birthName: legacyAccounts.birthName,
            firstName: legacyAccounts.firstName,
            birthDate: legacyAccounts.birthDate,
            birthCountry: legacyAccounts.birthCountry,
            address: legacyAccounts.address,
            addressComplement1: legacyAccounts.addressComplement1,
            addressComplement2: legacyAccounts.addressComplement2,
            postalCode: legacyAccounts.postalCode,
            city: legacyAccounts.city,
            mobilePhone: legacyAccounts.mobilePhone,
            landlinePhone: legacyAccounts.landlinePhone,
            heardFrom: legacyAccounts.heardFrom,
            createdOn: legacyAccounts.createdOn,
            importedAt: legacyAccounts.importedAt,
          })
          .from(legacyAccounts)
          .where(eq(legacyAccounts.id, accountId))
      : [];
    const enrolments = accountId
      ? await db
          .select({
            courseId: legacyEnrolments.courseId,
            school: legacyEnrolments.school,
            period: legacyEnrolments.period,
            startedOn: legacyEnrolments.startedOn,
            endedOn: legacyEnrolments.endedOn,
            attendancePercent: legacyEnrolments.attendancePercent,
            attendanceCertified: legacyEnrolments.attendanceCertified,
            outcome: legacyEnrolments.outcome,
            certificateOn: legacyEnrolments.certificateOn,
            certificateNumber: legacyEnrolments.certificateNumber,
          })
          .from(legacyEnrolments)
          .where(eq(legacyEnrolments.legacyAccountId, accountId))
      : [];
    const links = await db.select({ method: legacyLinks.method, linkedAt: legacyLinks.linkedAt }).from(legacyLinks).where(eq(legacyLinks.userId, userId));
    const codes = await db
      .select({ createdAt: legacyLinkCodes.createdAt, expiresAt: legacyLinkCodes.expiresAt, usedAt: legacyLinkCodes.usedAt, attempts: legacyLinkCodes.attempts })
      .from(legacyLinkCodes)
      .where(eq(legacyLinkCodes.userId, userId));
    const failures = await db.select({ email: legacyLinkFailures.email, failedAt: legacyLinkFailures.failedAt }).from(legacyLinkFailures).where(eq(legacyLinkFailures.userId, userId));
    return [
      { key: 'legacyAccount', title: 'legacy.data.accounts', rows: account ? [account] : [] },
      { key: 'legacyEnrolments', title: 'legacy.data.enrolments', rows: enrolments },
      { key: 'legacyLink', title: 'legacy.data.link', rows: links },
      { key: 'legacyLinkCodes', title: 'legacy.data.codes', rows: codes },
      { key: 'legacyLinkFailures', title: 'legacy.data.failures', rows: failures },
    ];
  },

  /** The linked old account goes whole (its enrolments, link and codes by cascade); then this account's codes and failures. */
  async forget(tx: Tx, userId: string) {
    const accountId = await linkedAccountId(tx, userId);
    if (accountId) await tx.delete(legacyAccounts).where(eq(legacyAccounts.id, accountId));
    await tx.delete(legacyLinkCodes).where(eq(legacyLinkCodes.userId, userId));
    await tx.delete(legacyLinkFailures).where(eq(legacyLinkFailures.userId, userId));
    await tx.delete(legacyLinks).where(eq(legacyLinks.userId, userId));
  },

  retention: {
    notice: false,
    /**
     * Not kept per learner: old accounts never linked, `inactiveAccountMonths` after their
     * import (no one to tell: the old address may be anyone's by now); the throttle's failures
     * after their hour; codes a day after they expired or were used. At most `limit` rows a call.
     */
    async sweep(db, { at, policies, limit }) {
      const importedBefore = new Date(at);
      importedBefore.setUTCMonth(importedBefore.getUTCMonth() - policies.inactiveAccountMonths);
      const unlinked = await db
        .select({ id: legacyAccounts.id })
        .from(legacyAccounts)
        .leftJoin(legacyLinks, eq(legacyLinks.legacyAccountId, legacyAccounts.id))
        .where(and(isNull(legacyLinks.legacyAccountId), lt(legacyAccounts.importedAt, importedBefore)))
        .limit(limit);
      let done = 0;
      if (unlinked.length) done += (await db.delete(legacyAccounts).where(inArray(legacyAccounts.id, unlinked.map((r) => r.id))).returning({ id: legacyAccounts.id })).length;
      if (done >= limit) return done;
      const failures = await db.execute<{ id: number }>(
        sql`delete from legacy_link_failures where id in (select id from legacy_link_failures where failed_at < ${new Date(at.getTime() - LINK_FAILURES_WINDOW_MS)} limit ${limit - done}) returning id`,
      );
      done += failures.rows.length;
      if (done >= limit) return done;
      const dayBefore = new Date(at.getTime() - DAY);
      const spent = await db
        .select({ id: legacyLinkCodes.id })
        .from(legacyLinkCodes)
        .where(or(lt(legacyLinkCodes.expiresAt, dayBefore), lt(legacyLinkCodes.usedAt, dayBefore)))
        .limit(limit - done);
      if (spent.length) done += (await db.delete(legacyLinkCodes).where(inArray(legacyLinkCodes.id, spent.map((r) => r.id))).returning({ id: legacyLinkCodes.id })).length;
      return done;
    },
  },
};
