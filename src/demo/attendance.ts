import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database';
import type { Clock } from '../platform/clock';
import { hashPassword } from '../platform/passwords';
import { findUserByEmail, parisDay } from '../modules/accounts';
import { applyDecisions } from '../modules/applications';
import { applyCatalogue } from '../modules/catalogue';
import { isHeld, meetingFact, meetingsOf, saveRegister, type MeetingRow } from '../modules/attendance';
import { computeOutcomes, enterResults, issueCertificate, resultFields } from '../modules/certification';
import { recordSchoolPayment, validateEnrolment } from '../modules/payments';
import { assignScope } from '../modules/scopes';
import { demoApplication, demoLearner } from './learners';

export const DEMO_ENROLLED = 8;
export const demoEnrolledEmail = (n: number) => `inscrit-${String(n).padStart(2, '0')}@demo.cursus.fr`;
const DAY = 86_400_000;

interface Deps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  secret: string;
  cashOffice: string;
}
type Staff = { id: string; role: 'school_head' | 'coordinator' | 'trainer' };

/**
 * The attendance and certification demo (issue 13), through the modules' own services:
 * - a session of the closed period in progress, in the demo trainer's scope, with eight enrolled
 *   learners (accepted, validated, paid by cheque) and every register filled but the latest
 *   meeting's, left for the demo trainer; one of them absent three meetings in a row (ATT-2: the
 *   service may remove them, the incident is on the session's attendance page);
 * - the demo learner passed last year's first level of a course (every meeting attended, the test
 *   passed, both certificates issued): "Mon niveau suivant" offers the next level (CERT-6).
 * Idempotent: does nothing once the demo's enrolled learners exist.
 */
export async function seedAttendanceDemo(deps: Deps, input: { password: string; learnerEmail: string; exceptSessions: string[] }): Promise<{ register: string; streak: string; passed: string; next: string } | null> {
  const { db, clock } = deps;
  if (await findUserByEmail(db, demoEnrolledEmail(1))) return null;
  const [head, coordinator, trainer, learner] = await Promise.all(
    ['direction@demo.cursus.fr', 'coordination@demo.cursus.fr', 'formatrice@demo.cursus.fr', input.learnerEmail].map((email) => findUserByEmail(db, email)),
  );
  if (!head || !coordinator || !trainer || !learner) return null;
  const staff = { head: { id: head.id, role: 'school_head' } as Staff, coordinator: { id: coordinator.id, role: 'coordinator' } as Staff, trainer: { id: trainer.id, role: 'trainer' } as Staff };
  const now = clock.now();
  const today = parisDay(now);

  // 1. A session in progress, its learners enrolled, its registers filled but the latest.
  const picked = await db.execute<{ id: number; code: string; course_id: number }>(sql`
    select s.id, s.code, s.course_id from course_sessions s
    join courses c on c.id = s.course_id
    join registration_periods p on p.id = s.period_id
    where p.applications_close_at < ${now} and c.admission_test = 'none' and c.previous_course_id is null
      and s.first_meeting <= ${today} and s.last_meeting > ${today}
      and not (s.code = any(${sql.param(input.exceptSessions)}::text[]))
    order by s.code limit 20`);
  // The first whose meetings held so far (school holidays skipped) are enough for a streak.
  let session: (typeof picked.rows)[number] | undefined;
  let held: MeetingRow[] = [];
  for (const candidate of picked.rows) {
    held = ((await meetingsOf(db, [candidate.id])).get(candidate.id) ?? []).filter((m) => isHeld(meetingFact(m), now));
    if (held.length >= 4) {
      session = candidate;
      break;
    }
  }
  if (!session) return null;
  for (const s of [head, coordinator, trainer]) await assignScope(db, { userId: s.id, sessions: [session.code] });
  const passwordHash = await hashPassword(input.password);
  const enrolled: { learnerId: string; applicationId: string }[] = [];
  for (let n = 1; n <= DEMO_ENROLLED; n++) {
    const learnerId = await demoLearner(db, clock, { n: 100 + n, email: demoEnrolledEmail(n), passwordHash });
    const application = await demoApplication(db, { learnerId, session, n, now });
    enrolled.push({ learnerId, applicationId: application.id });
  }
  await enrol(deps, staff, enrolled.map((e) => e.applicationId));
  const toFill = held.slice(0, -1);
  const absentFrom = Math.max(0, toFill.length - 3);
  for (const [i, meeting] of toFill.entries()) {
    const saved = await saveRegister(deps, staff.trainer, {
      sessionCode: session.code,
      meetingId: meeting.id,
      token: randomUUID(),
      marks: enrolled.map((e, k) => ({ applicationId: e.applicationId, mark: k === 0 && i >= absentFrom ? ('absent' as const) : ('present' as const), minutesMissed: 0 })),
    });
    if (!saved.ok) throw new Error(`The attendance demo could not save a register: ${saved.message}`);
  }

  // 2. The demo learner passed last year's first level of a course whose next level is open now.
  const level = await db.execute<{ course: string; course_id: number; next: string; school: string }>(sql`
    select c.code as course, c.id as course_id, n.code as next, sc.code as school from courses c
    join courses n on n.previous_course_id = c.id
    join course_sessions ns on ns.course_id = n.id
    join registration_periods p on p.id = ns.period_id
    join schools sc on sc.arrondissement = 11
    where c.has_evaluation and c.admission_test = 'none' and p.applications_open_at <= ${now} and p.applications_close_at > ${now}
      and not exists (select 1 from applications a where a.learner_id = ${learner.id} and a.course_id in (c.id, n.id))
    order by c.code, sc.code limit 1`);
  const course = level.rows[0];
  if (!course) return { register: session.code, streak: demoEnrolledEmail(1), passed: '', next: '' };
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const monday = (date: Date) => new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * DAY);
  const first = monday(at(-400));
  const code = 'DEMO-ANNEE-PASSEE';
  await db.transaction((tx) =>
    applyCatalogue(tx, {
      periods: [
        {
          code: 'demo-annee-passee',
          name: 'Cours annuels de l’an dernier',
          applications_open_at: at(-460).toISOString(),
          applications_close_at: at(-440).toISOString(),
          answers_from: parisDay(at(-439)),
          answers_until: parisDay(at(-420)),
        },
      ],
      schools: [],
      courses: [],
      sessions: [
        {
          code,
          course: course.course,
          school: course.school,
          period: 'demo-annee-passee',
          trainer: 'Inès Formatrice',
          capacity: 20,
          first_meeting: parisDay(first),
          last_meeting: parisDay(new Date(first.getTime() + 29 * 7 * DAY)),
          slots: [{ weekday: 1, startsAt: '18:30', endsAt: '20:30' }],
          runs_in_school_holidays: true,
        },
      ],
    }),
  );
  const [past] = (await db.execute<{ id: number; course_id: number }>(sql`select id, course_id from course_sessions where code = ${code}`)).rows;
  for (const s of [head, coordinator, trainer]) await assignScope(db, { userId: s.id, sessions: [code] });
  const own = await demoApplication(db, { learnerId: learner.id, session: past, n: 1, now, confirmedAt: at(-450) });
  await enrol(deps, staff, [own.id]);
  for (const meeting of (await meetingsOf(db, [past.id])).get(past.id) ?? []) {
    const saved = await saveRegister(deps, staff.trainer, { sessionCode: code, meetingId: meeting.id, token: randomUUID(), marks: [{ applicationId: own.id, mark: 'present', minutesMissed: 0 }] });
    if (!saved.ok) throw new Error(`The attendance demo could not save last year's register: ${saved.message}`);
  }
  const fields = resultFields(own.id);
  const results = await enterResults(deps, staff.trainer, code, { [fields.outcome]: 'passed', [fields.score]: '16' });
  if (!results.ok) throw new Error(`The attendance demo could not enter last year's result: ${JSON.stringify(results)}`);
  const outcomes = await computeOutcomes(deps, past.id);
  if (!outcomes.ok) throw new Error(`The attendance demo could not compute last year's outcomes: ${JSON.stringify(outcomes)}`);
  const certified = await issueCertificate(deps, { id: coordinator.id, role: 'coordinator' }, own.id);
  if (!certified.ok) throw new Error(`The attendance demo could not issue last year's certificate: ${JSON.stringify(certified)}`);
  return { register: session.code, streak: demoEnrolledEmail(1), passed: course.course, next: course.next };
}

/** Accepted by the coordinator, validated by the school head (they came to the first meeting), paid by cheque at the school. */
async function enrol(deps: Deps, staff: { head: Staff; coordinator: Staff }, applicationIds: string[]) {
  await deps.db.transaction((tx) =>
    applyDecisions(
      tx,
      deps,
      applicationIds.map((applicationId, i) => ({ applicationId, outcome: 'accepted' as const, rank: i + 1 })),
      staff.coordinator,
    ),
  );
  for (const id of applicationIds) {
    const validated = await validateEnrolment(deps, staff.head, id);
    if (!validated.ok) throw new Error(`The attendance demo could not validate an enrolment: ${validated.message}`);
    const paid = await recordSchoolPayment(deps, staff.head, id, { method: 'cheque', chequeNumber: '0012345', bank: 'Banque de démonstration', payerName: 'Apprenant de démonstration' });
    if (!paid.ok) throw new Error(`The attendance demo could not record a payment: ${paid.message}`);
  }
}
