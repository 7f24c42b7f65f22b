import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import type { Clock } from '../platform/clock';
import { hashPassword } from '../platform/passwords';
import { findUserByEmail } from '../modules/accounts';
import { applyDecisions, cancelApplication } from '../modules/applications';
import { assignScope } from '../modules/scopes';
import { refillSession } from '../modules/selection';
import { demoApplication, demoLearner } from './learners';


export const DEMO_CANDIDATES = 30;
export const demoCandidateEmail = (n: number) => `candidat-${String(n).padStart(2, '0')}@demo.cursus.fr`;

/**
 * The selection demo (issue 6), once the catalogue and the demo accounts exist: two sessions of
 * the closed intensive period whose courses have no admission test (so no convocation, SEL-2)
 * and no previous level (its prerequisite, SEL-1, would refuse candidates without a history),
 * in the demo coordinator's, school head's and trainer's scopes.
 * - The "selection" session: more confirmed applicants (demo candidates) than places, not yet
 *   decided: the coordinator runs its selection; a candidate then sees the outcome.
 * - The "offer" session: already decided; the demo learner was on its waiting list and a place
 *   freed up: "my applications" shows the offer with its deadline.
 * Idempotent: does nothing once the demo candidates exist.
 */
export async function seedSelectionDemo(db: Db, clock: Clock, input: { password: string; learnerEmail: string; baseUrl: string }): Promise<{ selection: string; offer: string } | null> {
  if (await findUserByEmail(db, demoCandidateEmail(1))) return null;
  const learner = await findUserByEmail(db, input.learnerEmail);
  const { baseUrl } = input;
  if (!learner) return null;
  const picked = await db.execute<{ id: number; code: string; course_id: number; capacity: number }>(sql`
    select s.id, s.code, s.course_id, s.capacity from course_sessions s
    join courses c on c.id = s.course_id
    join registration_periods p on p.id = s.period_id
    where p.applications_close_at < ${clock.now()} and c.admission_test = 'none' and c.previous_course_id is null
    order by s.code limit 2`);
  if (picked.rows.length < 2) return null;
  const [selection, offer] = picked.rows;
  const demoStaffEmails = ['coordination@demo.cursus.fr', 'direction@demo.cursus.fr', 'formatrice@demo.cursus.fr'];
  const staff = (await Promise.all(demoStaffEmails.map((email) => findUserByEmail(db, email)))).filter((s) => s !== null);
  for (const s of staff) await assignScope(db, { userId: s.id, sessions: [selection.code, offer.code] });

  const now = clock.now();
  const passwordHash = await hashPassword(input.password);
  const candidate = (n: number, email: string) => demoLearner(db, clock, { n, email, passwordHash });
  const candidates: string[] = [];
  for (let n = 1; n <= DEMO_CANDIDATES; n++) candidates.push(await candidate(n, demoCandidateEmail(n)));

  const apply = (learnerId: string, session: typeof selection, n: number) => demoApplication(db, { learnerId, session, n, now });

  // The selection session: twice as many applicants as places.
  const places = Math.floor(DEMO_CANDIDATES / 2);
  await db.execute(sql`update course_sessions set capacity = ${places} where id = ${selection.id}`);
  for (const [n, id] of candidates.entries()) await apply(id, selection, n);

  // The offer session: 3 places, the demo learner first on the waiting list, one place freed.
  await db.execute(sql`update course_sessions set capacity = 3 where id = ${offer.id}`);
  const coordinator = staff.find((s) => s.email === 'coordination@demo.cursus.fr')!;
  const taken: Awaited<ReturnType<typeof apply>>[] = [];
  for (const n of [1, 2, 3]) taken.push(await apply(await candidate(DEMO_CANDIDATES + n, `candidat-b${n}@demo.cursus.fr`), offer, n));
  const own = await apply(learner.id, offer, 4);
  const deps = { db, clock, baseUrl };
  await db.transaction((tx) =>
    applyDecisions(
      tx,
      deps,
      [...taken.map((a, i) => ({ applicationId: a.id, outcome: 'accepted' as const, rank: i + 1 })), { applicationId: own.id, outcome: 'waiting_list' as const, rank: 1 }],
      { id: coordinator.id, role: 'coordinator' },
    ),
  );
  // Someone gives up their place: it goes to the waiting list (the demo learner).
  await cancelApplication(deps, { learnerId: taken[0].learnerId, applicationId: taken[0].id });
  await refillSession(deps, offer.id);
  return { selection: selection.code, offer: offer.code };
}
