import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../src/db/database';
import type { ApplicationStatus } from '../src/modules/applications';
import { applicationEvents, applications } from '../src/modules/applications/applications.table';
import { attendanceEntries, meetings } from '../src/modules/attendance/attendance.table';
import { courses, courseSessions, domains, schools } from '../src/modules/catalogue/catalogue.table';
import { courseOutcomes } from '../src/modules/certification/certification.table';
import { payments, refunds } from '../src/modules/payments/payments.table';
import { assignScope } from '../src/modules/scopes';
import { offers } from '../src/modules/selection/selection.table';
import type { FixedClock } from '../src/platform/clock';
import { buildLearner, buildStaff } from './app';
import { buildCatalogue } from './catalogue';

const at = (iso: string) => new Date(iso);

/**
 * Factory (SVC-6): known figures, written straight into each module's tables so that every
 * number is chosen. On the test catalogue (clock 2026-09-01): period "open" with FIG-A (École
 * test, Langue française, 10 places), FIG-B (Autre école, Langue française, 4 places), FIG-C
 * (École test, Arts plastiques, 5 places); period "closed" with FIG-D (École test, Langue
 * française). Staff: an administrator, the head of Autre école, a coordinator of Arts
 * plastiques, a trainer and a counsellor.
 *
 * FIG-A: 5 validated applications (2 enrolled, 1 accepted, 1 waiting with an open offer, 1
 *   refused) and 1 basket not validated; paid: full 150 € on 26/08, half 75 € on 31/08 at 23:30
 *   Paris; one amount due; a meeting of 120 min on 26/08 (one learner marked absent then
 *   corrected to present, one late: 90 min), a cancelled one and one to come, both marked.
 * FIG-B: 4 enrolled, each paid full on 27/08; a meeting of 180 min on 27/08 (180, 180, absent,
 *   justified); 2 attendance certificates (30/08), 1 certificate of skills (31/08).
 *   Refunds (PAY-9): b[0]'s granted on 30/08, not yet paid back (a cancelled session's are so);
 *   b[1]'s granted on 28/08 and paid back on 31/08; a request of FIG-A's first learner, still open.
 * FIG-C: 2 confirmed. FIG-D: 1 enrolled (July), paid full, refunded (granted 10/07, paid back 15/07).
 */
export async function buildFigures(db: Db, clock: FixedClock) {
  await buildCatalogue(db, clock, [
    { code: 'FIG-A', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    { code: 'FIG-B', weekday: 3, startsAt: '18:30', endsAt: '21:30' },
    { code: 'FIG-C', weekday: 4, startsAt: '18:30', endsAt: '20:30' },
    { code: 'FIG-D', weekday: 5, startsAt: '18:30', endsAt: '20:30', period: 'closed' },
  ]);
  const [other] = await db.insert(schools).values({ code: 'E-20-O', name: 'Autre école', arrondissement: 20, address: '2 rue Autre', postalCode: '75020', city: 'Paris' }).returning();
  const [arts] = await db.insert(domains).values({ slug: 'arts-plastiques', name: 'Arts plastiques' }).returning();
  await db.update(courseSessions).set({ schoolId: other.id, capacity: 4 }).where(eq(courseSessions.code, 'FIG-B'));
  await db.update(courseSessions).set({ capacity: 10 }).where(eq(courseSessions.code, 'FIG-A'));
  await db.update(courseSessions).set({ capacity: 5 }).where(eq(courseSessions.code, 'FIG-C'));
  await db.update(courses).set({ domainId: arts.id }).where(eq(courses.code, 'C-FIG-C'));
  const sessions = new Map((await db.select({ id: courseSessions.id, code: courseSessions.code, courseId: courseSessions.courseId, schoolId: courseSessions.schoolId }).from(courseSessions)).map((s) => [s.code, s]));

  const admin = await buildStaff(db, clock, 'admin');
  const head = await buildStaff(db, clock, 'school_head');
  const coordinator = await buildStaff(db, clock, 'coordinator');
  const trainer = await buildStaff(db, clock, 'trainer');
  const counsellor = await buildStaff(db, clock, 'counsellor');
  await assignScope(db, { userId: head.userId, schools: ['E-20-O'] });
  await assignScope(db, { userId: coordinator.userId, domains: ['arts-plastiques'] });
  await assignScope(db, { userId: trainer.userId, sessions: ['FIG-A'] });

  /** An application of a new learner, with its events ([status, at]) and what the table requires past the basket. */
  async function application(code: string, status: ApplicationStatus, confirmedAt: string, events: [ApplicationStatus, string][] = []) {
    const session = sessions.get(code)!;
    const learner = await buildLearner(db, clock, { record: null });
    const validated = status !== 'preselected';
    const [row] = await db
      .insert(applications)
      .values({
        learnerId: learner.id,
        sessionId: session.id,
        courseId: session.courseId,
        status,
        createdAt: at('2026-08-15T10:00:00Z'),
        ...(validated && { situation: 'employed' as const, objective: 'personal' as const, motivations: 'Oui.', rulesAcceptedAt: at(confirmedAt), confirmedAt: at(confirmedAt) }),
      })
      .returning();
    for (const [toStatus, when] of events) await db.insert(applicationEvents).values({ applicationId: row.id, at: at(when), fromStatus: 'confirmed', toStatus });
    return { id: row.id, learnerId: learner.id, session };
  }
  async function paid(app: { id: string; learnerId: string; session: { id: number; schoolId: number } }, rate: 'full' | 'half', paidAt: string | null): Promise<string> {
    const [row] = await db.insert(payments).values({
      applicationId: app.id,
      learnerId: app.learnerId,
      sessionId: app.session.id,
      schoolId: app.session.schoolId,
      reference: `FIG${randomBytes(6).toString('hex').toUpperCase()}`,
      amountCents: rate === 'full' ? 15_000 : 7_500,
      rate,
      dueOn: '2026-09-15',
      status: paidAt ? 'paid' : 'due',
      createdAt: at('2026-08-25T10:00:00Z'),
      ...(paidAt && { paidAt: at(paidAt), method: 'online' as const }),
    }).returning();
    return row.id;
  }
  /** A refund of a payment: asked; granted at `decidedAt`; paid back on the day `refundedOn`. */
  async function refund(paymentId: string, learnerId: string, decidedAt: string | null, refundedOn: string | null = null) {
    await db.insert(refunds).values({
      paymentId,
      reason: 'session_not_opened',
      eventOn: '2026-08-20',
      explanation: 'Test.',
      requestedAt: at('2026-08-20T10:00:00Z'),
      requestedBy: learnerId,
      ...(decidedAt && { status: 'granted' as const, decidedBy: admin.userId, decidedAt: at(decidedAt), amountCents: 15_000, method: 'transfer' as const, refundedOn }),
    });
  }
  async function meeting(code: string, startsAt: string, plannedMinutes: number, cancelled = false) {
    const [row] = await db
      .insert(meetings)
      .values({ sessionId: sessions.get(code)!.id, startsAt: at(startsAt), plannedMinutes, ...(cancelled && { cancelledAt: at('2026-08-30T10:00:00Z'), cancelReason: 'Formateur absent' }) })
      .returning();
    return row.id;
  }
  let entryAt = 0;
  async function mark(meetingId: number, applicationId: string, mark: 'present' | 'late' | 'absent' | 'justified', minutesAttended: number) {
    entryAt += 1;
    await db.insert(attendanceEntries).values({ meetingId, applicationId, mark, minutesAttended, minutesMissed: 0, enteredBy: trainer.userId, enteredAt: new Date(at('2026-08-26T20:00:00Z').getTime() + entryAt * 1000) });
  }

  // FIG-A
  const accepted: [ApplicationStatus, string] = ['accepted', '2026-08-25T10:00:00Z'];
  const a1 = await application('FIG-A', 'enrolled', '2026-08-20T10:00:00Z', [accepted]);
  const a2 = await application('FIG-A', 'enrolled', '2026-08-20T10:00:00Z', [accepted]);
  const a3 = await application('FIG-A', 'accepted', '2026-08-20T10:00:00Z', [accepted]);
  const a4 = await application('FIG-A', 'waiting_list', '2026-08-20T10:00:00Z', [['waiting_list', '2026-08-25T10:00:00Z']]);
  await application('FIG-A', 'refused', '2026-08-28T10:00:00Z', [['refused', '2026-08-29T10:00:00Z']]);
  await application('FIG-A', 'preselected', '2026-08-28T10:00:00Z');
  await db.insert(offers).values({ applicationId: a4.id, sessionId: a4.session.id, kind: 'waiting_list', status: 'open', createdAt: at('2026-08-30T10:00:00Z'), expiresAt: at('2026-09-03T10:00:00Z') });
  const paidA1 = await paid(a1, 'full', '2026-08-26T10:00:00Z');
  await refund(paidA1, a1.learnerId, null);
  await paid(a2, 'half', '2026-08-31T21:30:00Z');
  await paid(a3, 'full', null);
  const heldA = await meeting('FIG-A', '2026-08-26T16:30:00Z', 120);
  await mark(heldA, a1.id, 'absent', 0);
  await mark(heldA, a2.id, 'late', 90);
  await mark(heldA, a1.id, 'present', 120);
  const cancelledA = await meeting('FIG-A', '2026-08-31T16:30:00Z', 120, true);
  await mark(cancelledA, a1.id, 'present', 120);
  const comingA = await meeting('FIG-A', '2026-09-08T16:30:00Z', 120);
  await mark(comingA, a1.id, 'present', 120);

  // FIG-B
  const b = [];
  for (let i = 0; i < 4; i++) b.push(await application('FIG-B', 'enrolled', '2026-08-20T10:00:00Z', [accepted]));
  const paidB = [];
  for (const app of b) paidB.push(await paid(app, 'full', '2026-08-27T10:00:00Z'));
  await refund(paidB[0], b[0].learnerId, '2026-08-30T10:00:00Z');
  await refund(paidB[1], b[1].learnerId, '2026-08-28T10:00:00Z', '2026-08-31');
  const heldB = await meeting('FIG-B', '2026-08-27T16:30:00Z', 180);
  await mark(heldB, b[0].id, 'present', 180);
  await mark(heldB, b[1].id, 'present', 180);
  await mark(heldB, b[2].id, 'absent', 0);
  await mark(heldB, b[3].id, 'justified', 0);
  for (const [i, app] of b.entries())
    await db.insert(courseOutcomes).values({
      applicationId: app.id,
      sessionId: app.session.id,
      courseId: app.session.courseId,
      learnerId: app.learnerId,
      attendedMinutes: 0,
      plannedMinutes: 0,
      attendanceCertified: i < 2,
      attendanceDocumentId: i < 2 ? randomUUID() : null,
      outcome: 'passed',
      computedAt: at('2026-08-30T10:00:00Z'),
      ...(i === 0 && { certificateDocumentId: randomUUID(), certificateIssuedAt: at('2026-08-31T10:00:00Z') }),
    });

  // FIG-C, FIG-D
  await application('FIG-C', 'confirmed', '2026-08-20T10:00:00Z');
  await application('FIG-C', 'confirmed', '2026-08-20T10:00:00Z');
  const d = await application('FIG-D', 'enrolled', '2026-07-01T10:00:00Z', [['accepted', '2026-07-01T12:00:00Z']]);
  await refund(await paid(d, 'full', '2026-07-02T10:00:00Z'), d.learnerId, '2026-07-10T10:00:00Z', '2026-07-15');

  const user = (s: { userId: string; email: string; totpSecret: string }, role: 'admin' | 'school_head' | 'coordinator' | 'trainer' | 'counsellor') => ({ id: s.userId, role, email: s.email, totpSecret: s.totpSecret });
  return {
    sessions,
    staff: {
      admin: user(admin, 'admin'),
      head: user(head, 'school_head'),
      coordinator: user(coordinator, 'coordinator'),
      trainer: user(trainer, 'trainer'),
      counsellor: user(counsellor, 'counsellor'),
    },
  };
}
