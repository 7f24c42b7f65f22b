import { asc, eq, inArray, lte } from 'drizzle-orm';
import { cutoffOf } from '../../platform/periods';
import { personalColumn, type PersonalDataSet, type RetentionRule } from '../../platform/personal-data';
import { takeoverCodes } from './accounts.table';

/** Codes expired past the connection log's period are deleted (a used or void one says only that a takeover was tried). */
const usedCodes: RetentionRule = { policy: 'connectionLogMonths', unit: 'months', from: 'privacy.from.linkExpiry' };

/** SVC-5: the takeover codes sent by SMS (their hash only) to accounts made at a help desk. */
export const takeoverDataSet: PersonalDataSet = {
  name: 'accounts.takeover',
  tables: [
    {
      table: 'takeover_codes',
      personal: {
        code_hash: personalColumn('account', 'privacy.purpose.takeoverCode', usedCodes),
        failures: personalColumn('connection', 'privacy.purpose.takeoverCode', usedCodes),
      },
      other: ['id', 'user_id', 'sent_by', 'created_at', 'expires_at', 'used_at'],
    },
  ],
  async exportOf(db, userId) {
    // Left out: the codes' hashes (credentials).
    const rows = await db
      .select({ createdAt: takeoverCodes.createdAt, expiresAt: takeoverCodes.expiresAt, usedAt: takeoverCodes.usedAt, failures: takeoverCodes.failures })
      .from(takeoverCodes)
      .where(eq(takeoverCodes.userId, userId))
      .orderBy(asc(takeoverCodes.createdAt));
    return rows.length ? [{ key: 'takeoverCodes', title: 'privacy.section.takeoverCodes', rows }] : [];
  },
  async forget(tx, userId) {
    await tx.delete(takeoverCodes).where(eq(takeoverCodes.userId, userId));
  },
  retention: {
    notice: false,
    async sweep(db, { at, policies, limit }) {
      const before = cutoffOf(usedCodes, policies, at);
      const done = await db
        .delete(takeoverCodes)
        .where(inArray(takeoverCodes.id, db.select({ id: takeoverCodes.id }).from(takeoverCodes).where(lte(takeoverCodes.expiresAt, before)).orderBy(asc(takeoverCodes.expiresAt)).limit(limit)))
        .returning({ id: takeoverCodes.id });
      return done.length;
    },
  },
};
