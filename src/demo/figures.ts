import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import type { Clock } from '../platform/clock';
import { hashPassword } from '../platform/passwords';
import { findUserByEmail } from '../modules/accounts';
import { demoApplication, demoLearner } from './learners';

export const DEMO_FIGURES_LEARNERS = 40;
const email = (n: number) => `chiffres-${String(n).padStart(2, '0')}@demo.cursus.fr`;

/**
 * The figures demo (SVC-6): the selection, payment and attendance demos fill the closed period;
 * this fills the current one, whose applications are open, in the demo coordinator's and school
 * head's school: 40 demo learners' applications, validated, spread over six of its sessions (from
 * 2 to 12 each), so that `/personnel/chiffres` opens on figures. Idempotent.
 */
export async function seedFiguresDemo(db: Db, clock: Clock, input: { password: string }): Promise<{ applications: number; sessions: number } | null> {
  if (await findUserByEmail(db, email(1))) return null;
  const now = clock.now();
  const picked = await db.execute<{ id: number; code: string; course_id: number }>(sql`
    select s.id, s.code, s.course_id from course_sessions s
    join schools sc on sc.id = s.school_id
    join registration_periods p on p.id = s.period_id
    where sc.code = (select code from schools where arrondissement = 11 order by code limit 1)
      and p.applications_open_at <= ${now} and p.applications_close_at > ${now}
    order by s.code limit 6`);
  const sessions = picked.rows;
  if (sessions.length === 0) return null;
  const passwordHash = await hashPassword(input.password);
  let made = 0;
  for (let n = 1; n <= DEMO_FIGURES_LEARNERS; n++) {
    const learnerId = await demoLearner(db, clock, { n: 100 + n, email: email(n), passwordHash });
    // Uneven on purpose: the first sessions draw more applicants than the last.
    const first = sessions[Math.floor(((n - 1) * (n - 1)) / 267) % sessions.length];
    const chosen = [first, ...(n % 4 === 0 ? [sessions[(sessions.indexOf(first) + 1) % sessions.length]] : [])];
    for (const session of chosen.filter((s, i, all) => all.findIndex((o) => o.course_id === s.course_id) === i)) {
      await demoApplication(db, { learnerId, session, n, now, confirmedAt: new Date(now.getTime() - (1 + (n % 6)) * 86_400_000) });
      made += 1;
    }
  }
  return { applications: made, sessions: sessions.length };
}
