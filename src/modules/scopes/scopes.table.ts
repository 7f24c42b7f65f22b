import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, serial, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/accounts.table';
import { courseSessions, domains, schools } from '../catalogue/catalogue.table';

/**
 * What a staff member may see and act on (DESIGN: roles and scopes). One row per school, domain
 * or session: a school head has their school, a coordinator schools or domains, a trainer their
 * sessions; an administrator needs none (everything).
 */
export const staffScopes = pgTable(
  'staff_scopes',
  {
    id: serial('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    schoolId: integer('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    domainId: integer('domain_id').references(() => domains.id, { onDelete: 'cascade' }),
    sessionId: integer('session_id').references(() => courseSessions.id, { onDelete: 'cascade' }),
  },
  (t) => [
    check('staff_scopes_one_target', sql`num_nonnulls(${t.schoolId}, ${t.domainId}, ${t.sessionId}) = 1`),
    uniqueIndex('staff_scopes_key').on(t.userId, sql`coalesce(${t.schoolId}, 0)`, sql`coalesce(${t.domainId}, 0)`, sql`coalesce(${t.sessionId}, 0)`),
    index('staff_scopes_user_idx').on(t.userId),
  ],
);
