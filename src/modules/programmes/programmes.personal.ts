import { asc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/database';
import type { PersonalDataSet } from '../../platform/personal-data';
import { untilInactive } from '../accounts';
import { programmeFollowers, programmes } from './programmes.table';

/**
 * ACC-11, ACC-14: the programmes module holds one thing about a learner: the programmes they
 * chose to follow, kept as long as the account. The programmes themselves are the offer
 * (`updated_by` is a staff account's id, the service's work record).
 */
export const programmesDataSet: PersonalDataSet = {
  name: 'programmes',
  tables: [
    { table: 'programmes', personal: {}, other: ['id', 'code', 'title', 'kind', 'required_credits', 'updated_by', 'updated_at'] },
    { table: 'programme_lists', personal: {}, other: ['id', 'programme_id', 'position', 'choose'] },
    { table: 'programme_list_units', personal: {}, other: ['list_id', 'course_id'] },
    {
      table: 'programme_followers',
      personal: { learner_id: { category: 'result', purpose: 'privacy.purpose.programmes.follow', basis: 'public_task', retention: untilInactive, end: 'delete' } },
      other: ['programme_id', 'followed_at'],
    },
  ],
  exportOf: async (db: DbOrTx, userId: string) => {
    const rows = await db
      .select({ code: programmes.code, title: programmes.title, followedAt: programmeFollowers.followedAt })
      .from(programmeFollowers)
      .innerJoin(programmes, eq(programmes.id, programmeFollowers.programmeId))
      .where(eq(programmeFollowers.learnerId, userId))
      .orderBy(asc(programmeFollowers.followedAt));
    return [{ key: 'programmesFollowed', title: 'privacy.section.programmes.followed', rows }];
  },
  forget: async (tx: Tx, userId: string) => {
    await tx.delete(programmeFollowers).where(eq(programmeFollowers.learnerId, userId));
  },
};
