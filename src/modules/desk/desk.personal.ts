import { eq } from 'drizzle-orm';
import { personalColumn, type PersonalDataSet } from '../../platform/personal-data';
import { untilInactive } from '../accounts';
import { assistedLearners, deskCounsellors } from './desk.table';

const column = (category: Parameters<typeof personalColumn>[0]) => personalColumn(category, 'privacy.purpose.assistedRegistration', untilInactive);

/**
 * SVC-5: the help desks' data. A desk is no one's (its name, address, hours, what it serves); a counsellor's
 * assignment to a desk is ids only; a learner registered at a desk keeps the desk, the counsellor
 * who made the account and when, and when they took it over, as long as the account. Exported
 * with the learner's data, forgotten at the closure (the audit keeps who did what, anonymised).
 */
export const deskDataSet: PersonalDataSet = {
  name: 'desk',
  tables: [
    { table: 'help_desks', personal: {}, other: ['id', 'code', 'name', 'address', 'hours', 'created_at', 'closed_at'] },
    { table: 'help_desk_scopes', personal: {}, other: ['id', 'desk_id', 'school_id', 'arrondissement'] },
    { table: 'desk_counsellors', personal: {}, other: ['desk_id', 'user_id'] },
    {
      table: 'assisted_learners',
      personal: {
        desk_id: column('application'),
        counsellor_id: column('staff_trace'),
        registered_at: column('application'),
        taken_over_at: column('account'),
      },
      other: ['user_id'],
    },
  ],
  async exportOf(db, userId) {
    const rows = await db
      .select({ deskId: assistedLearners.deskId, counsellorId: assistedLearners.counsellorId, registeredAt: assistedLearners.registeredAt, takenOverAt: assistedLearners.takenOverAt })
      .from(assistedLearners)
      .where(eq(assistedLearners.userId, userId));
    const desks = await db.select({ deskId: deskCounsellors.deskId }).from(deskCounsellors).where(eq(deskCounsellors.userId, userId));
    return [
      ...(rows.length ? [{ key: 'assistedRegistration', title: 'privacy.section.assistedRegistration', rows }] : []),
      ...(desks.length ? [{ key: 'helpDesks', title: 'privacy.section.helpDesks', rows: desks }] : []),
    ];
  },
  async forget(tx, userId) {
    await tx.delete(assistedLearners).where(eq(assistedLearners.userId, userId));
    await tx.delete(deskCounsellors).where(eq(deskCounsellors.userId, userId));
  },
};
