import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import type { Clock } from '../platform/clock';
import { findUserByEmail, parisDay } from '../modules/accounts';
import { changeSession } from '../modules/cancellations';

/**
 * SVC-2's demo: one session cancelled by the service (too few learners), through the service
 * itself: its applications closed as "session cancelled", its learners told (the development
 * mailbox and SMS outbox show the messages), the session marked in the catalogue. The session
 * picked is one not used by the other demos (nor of the next level the certification demo offers)
 * and not started yet (SVC-2: a session that runs is not cancelled), with the most applications.
 * Idempotent.
 */
export async function seedCancellationDemo(db: Db, clock: Clock, input: { baseUrl: string; exceptSessions: string[]; exceptCourses: string[] }): Promise<{ session: string; told: number } | null> {
  const done = await db.execute<{ code: string }>(sql`select s.code from session_changes c join course_sessions s on s.id = c.session_id where c.kind = 'cancelled' limit 1`);
  if (done.rows.length) return null;
  const admin = await findUserByEmail(db, 'admin@demo.cursus.fr');
  if (!admin) return null;
  const picked = await db.execute<{ code: string }>(sql`
    select s.code from course_sessions s
    where s.cancelled_at is null and s.first_meeting > ${parisDay(clock.now())}
      and not (s.code = any(${sql.param(input.exceptSessions)}::text[]))
      and not exists (select 1 from courses c where c.id = s.course_id and c.code = any(${sql.param(input.exceptCourses)}::text[]))
    order by (select count(*) from applications a where a.session_id = s.id) desc, s.code
    limit 1`);
  const code = picked.rows[0]?.code;
  if (!code) return null;
  const result = await changeSession({ db, clock, baseUrl: input.baseUrl }, { id: admin.id, role: 'admin' }, {
    sessionCode: code,
    kind: 'cancelled',
    reason: 'too_few_learners',
    message: 'Il n’y a pas assez d’inscrits pour ouvrir ce cours cette année. Les frais payés vous seront remboursés. Vous pouvez choisir une autre session dans le catalogue.',
    method: 'transfer',
  });
  return result.ok ? { session: code, told: result.change.told } : null;
}
