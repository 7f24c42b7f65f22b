import { eq } from 'drizzle-orm';
import type { PersonalDataSet } from '../../platform/personal-data';
import { staffScopes } from './scopes.table';

/**
 * The scopes module's data (ACC-11, ACC-14): a staff member's scope is ids only (a person's
 * account and the schools, domains or sessions given), nothing personal in itself; it is shown in
 * the staff member's download and goes with the account's closure.
 */
export const scopesDataSet: PersonalDataSet = {
  name: 'scopes',
  tables: [{ table: 'staff_scopes', personal: {}, other: ['id', 'user_id', 'school_id', 'domain_id', 'session_id'] }],
  async exportOf(db, userId) {
    const rows = await db
      .select({ schoolId: staffScopes.schoolId, domainId: staffScopes.domainId, sessionId: staffScopes.sessionId })
      .from(staffScopes)
      .where(eq(staffScopes.userId, userId));
    return rows.length ? [{ key: 'staffScopes', title: 'privacy.section.staffScopes', rows }] : [];
  },
  async forget(tx, userId) {
    await tx.delete(staffScopes).where(eq(staffScopes.userId, userId));
  },
};
