import { eq, inArray, lte } from 'drizzle-orm';
import type { DbOrTx } from '../../db/database';
import type { PersonalDataSet } from '../../platform/personal-data';
import { dataExports } from './privacy.table';

/** Deletes the downloads past their expiry, at most `limit`; returns how many (the prune task and the retention sweep). */
export async function deleteExpiredExports(db: DbOrTx, input: { at: Date; limit: number }): Promise<number> {
  const due = db.select({ id: dataExports.id }).from(dataExports).where(lte(dataExports.expiresAt, input.at)).limit(input.limit);
  const deleted = await db.delete(dataExports).where(inArray(dataExports.id, due)).returning({ id: dataExports.id });
  return deleted.length;
}

/**
 * The privacy module's own personal data (ACC-11, ACC-14): the downloads of one's data (the
 * file holds everything; kept `dataExportHours`) and the closures (no personal data: the
 * tombstone's id, a date, a reason).
 */
export const privacyDataSet: PersonalDataSet = {
  name: 'privacy',
  tables: [
    {
      table: 'data_exports',
      personal: {
        content: {
          category: 'account',
          purpose: 'privacy.export.purpose',
          basis: 'legal_obligation',
          retention: { policy: 'dataExportHours', unit: 'hours', from: 'privacy.export.retentionFrom' },
          end: 'delete',
        },
      },
      other: ['id', 'user_id', 'status', 'requested_at', 'ready_at', 'expires_at', 'bytes'],
    },
    { table: 'account_closures', personal: {}, other: ['user_id', 'closed_at', 'reason'] },
  ],
  async exportOf(db, userId) {
    const rows = await db
      .select({ requestedAt: dataExports.requestedAt, status: dataExports.status, readyAt: dataExports.readyAt, expiresAt: dataExports.expiresAt, bytes: dataExports.bytes })
      .from(dataExports)
      .where(eq(dataExports.userId, userId))
      .orderBy(dataExports.requestedAt);
    return [{ key: 'dataExports', title: 'privacy.export.sectionTitle', rows }];
  },
  async forget(tx, userId) {
    await tx.delete(dataExports).where(eq(dataExports.userId, userId));
  },
  retention: {
    notice: false,
    sweep: (db, input) => deleteExpiredExports(db, { at: input.at, limit: input.limit }),
  },
};
