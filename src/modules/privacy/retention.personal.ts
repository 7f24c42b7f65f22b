import { and, eq, inArray, isNotNull, lt, or } from 'drizzle-orm';
import type { PersonalColumn, PersonalDataSet } from '../../platform/personal-data';
import { addPeriod } from './retention.rules';
import { retentionNotices } from './retention.table';

const notice: PersonalColumn = {
  category: 'message',
  purpose: 'privacy.retention.purpose.notices',
  basis: 'public_task',
  retention: { policy: 'connectionLogMonths', unit: 'months', from: 'privacy.retention.from.noticeClosed' },
  end: 'delete',
};

/**
 * ACC-14: the retention job's own data, declared like every module's: the notices sent to a
 * learner (what, when), kept `connectionLogMonths` after they ended (expired or cancelled) as the
 * proof that the learner was told, deleted with the account; the daily runs hold no personal data.
 */
export const retentionDataSet: PersonalDataSet = {
  name: 'privacy.retention',
  tables: [
    { table: 'retention_notices', personal: { items: notice, due_at: notice, sent_at: notice }, other: ['id', 'user_id', 'set_name', 'covers_until', 'checked_at', 'expired_at', 'cancelled_at'] },
    { table: 'retention_runs', personal: {}, other: ['day', 'started_at', 'locked_until', 'finished_at', 'report'] },
  ],
  async exportOf(db, userId) {
    const rows = await db.select().from(retentionNotices).where(eq(retentionNotices.userId, userId)).orderBy(retentionNotices.sentAt);
    return [
      {
        key: 'retentionNotices',
        title: 'privacy.retention.export.title',
        rows: rows.map((n) => ({ set: n.setName, items: n.items, dueAt: n.dueAt, sentAt: n.sentAt, expiredAt: n.expiredAt, cancelledAt: n.cancelledAt })),
      },
    ];
  },
  async forget(tx, userId) {
    await tx.delete(retentionNotices).where(eq(retentionNotices.userId, userId));
  },
  retention: {
    notice: false,
    async sweep(db, { at, policies, limit }) {
      const before = addPeriod(at, -policies.connectionLogMonths, 'months');
      const ended = or(and(isNotNull(retentionNotices.expiredAt), lt(retentionNotices.expiredAt, before)), and(isNotNull(retentionNotices.cancelledAt), lt(retentionNotices.cancelledAt, before)));
      const ids = db.select({ id: retentionNotices.id }).from(retentionNotices).where(ended).limit(limit);
      const deleted = await db.delete(retentionNotices).where(inArray(retentionNotices.id, ids)).returning({ id: retentionNotices.id });
      return deleted.length;
    },
  },
};
