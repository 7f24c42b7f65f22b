import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import type { Clock } from '../platform/clock';
import { findUserByEmail, parisDay } from '../modules/accounts';
import { applyDecisions, applicationsByIds } from '../modules/applications';
import { applications, applicationEvents } from '../modules/applications/applications.table';
import { livePayment, validateEnrolment } from '../modules/payments';
import { assignScope } from '../modules/scopes';

/**
 * The payment demo (issue 12): the demo learner's application to a session of the closed period
 * that has started, accepted by the coordinator and validated by the school head (PAY-1), so that
 * it awaits payment: the learner pays it through the simulated PayFiP (README). Idempotent.
 */
export async function seedPaymentDemo(db: Db, clock: Clock, input: { learnerEmail: string; baseUrl: string; exceptSessions: string[] }): Promise<{ session: string } | null> {
  const learner = await findUserByEmail(db, input.learnerEmail);
  const head = await findUserByEmail(db, 'direction@demo.cursus.fr');
  const coordinator = await findUserByEmail(db, 'coordination@demo.cursus.fr');
  if (!learner || !head || !coordinator) return null;
  const today = clock.now();
  const picked = await db.execute<{ id: number; code: string; course_id: number }>(sql`
    select s.id, s.code, s.course_id from course_sessions s
    join courses c on c.id = s.course_id
    join registration_periods p on p.id = s.period_id
    where p.applications_close_at < ${today} and c.admission_test = 'none' and s.first_meeting <= ${parisDay(today)}
      and not (s.code = any(${sql.param(input.exceptSessions)}::text[]))
      and not exists (select 1 from applications a where a.learner_id = ${learner.id} and a.course_id = s.course_id)
    order by s.code limit 1`);
  const session = picked.rows[0];
  if (!session) return null;
  for (const staff of [head, coordinator]) await assignScope(db, { userId: staff.id, sessions: [session.code] });
  const confirmedAt = new Date(today.getTime() - 30 * 86_400_000);
  const [row] = await db
    .insert(applications)
    .values({
      learnerId: learner.id,
      sessionId: session.id,
      courseId: session.course_id,
      status: 'confirmed',
      situation: 'employed',
      objective: 'professional',
      motivations: 'Je veux progresser pour mon travail.',
      rulesAcceptedAt: confirmedAt,
      createdAt: confirmedAt,
      confirmedAt,
    })
    .returning();
  await db.insert(applicationEvents).values([
    { applicationId: row.id, at: confirmedAt, actorId: learner.id, fromStatus: null, toStatus: 'preselected' },
    { applicationId: row.id, at: confirmedAt, actorId: learner.id, fromStatus: 'preselected', toStatus: 'confirmed' },
  ]);
  const deps = { db, clock, baseUrl: input.baseUrl };
  await db.transaction((tx) => applyDecisions(tx, deps, [{ applicationId: row.id, outcome: 'accepted', rank: 1 }], { id: coordinator.id, role: 'coordinator' }));
  const validated = await validateEnrolment(deps, { id: head.id, role: 'school_head' }, row.id);
  if (!validated.ok) throw new Error(`The payment demo could not validate its enrolment: ${validated.message}`);
  const [app] = await applicationsByIds(db, [row.id]);
  return app && (await livePayment(db, row.id)) ? { session: session.code } : null;
}
