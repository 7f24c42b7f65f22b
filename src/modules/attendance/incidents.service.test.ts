import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, asc, eq } from 'drizzle-orm';
import { FixedClock, HOUR, MINUTE } from '../../platform/clock';
import { combineJobHandlers, workJobs } from '../../platform/jobs';
import { auditLog, smsOutbox } from '../../platform/platform.table';
import { setPolicy } from '../../platform/policies';
import type { Database } from '../../db/database';
import { createTestDatabase } from '../../../test/db';
import { buildCatalogue } from '../../../test/catalogue';
import { buildLearner, buildStaff, emailsTo } from '../../../test/app';
import { enrolledLearners } from '../../../test/attendance';
import { markRegister } from '../../../test/registers';
import { statusOf } from '../../../test/payments';
import { setCapacity } from '../../../test/applications';
import { learnerProfiles } from '../accounts/accounts.table';
import { applicationEvents, applications } from '../applications/applications.table';
import { courseSessions } from '../catalogue/catalogue.table';
import { refunds } from '../payments/payments.table';
import { requestRefund } from '../payments/refunds.service';
import { offers } from '../selection/selection.table';
import { waitingListJobs } from '../selection';
import { assignScope } from '../scopes';
import { setNotifyChoice } from '../accounts';
import { attendanceIncidents, incidentEvents } from './attendance.table';
import { meetingsOf, type MeetingRow } from './meetings.service';
import * as incidents from './incidents.service';

describe('absences and their consequences (ATT-2, ATT-3, ATT-5)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: incidents.IncidentDeps & { clock: FixedClock };
  let made: Awaited<ReturnType<typeof enrolledLearners>>['ABS'];
  let meetings: MeetingRow[];
  let sessionId: number;
  let coordinator: { id: string; role: 'coordinator' };
  let coordinator2: { id: string; role: 'coordinator' };
  let head: { id: string; role: 'school_head' };
  let trainer: { id: string; role: 'trainer' };
  let waitingId: string;
  const baseUrl = 'http://localhost:3000';
  const app = (i: number) => made.learners[i].applicationId;
  const learner = (i: number) => made.learners[i];

  /** The clock two hours after the meeting's start (it is held), never backwards. */
  const heldAt = (meeting: MeetingRow) => {
    const at = new Date(meeting.startsAt.getTime() + 2 * HOUR);
    if (at > clock.now()) clock.set(at);
  };
  /** Marks meeting `n` (1-based) for these learners (by index), once it is held. */
  const mark = async (n: number, marks: Record<number, 'present' | 'absent' | 'justified' | 'late'>) => {
    heldAt(meetings[n - 1]);
    await markRegister(database.db, clock, { meetingId: meetings[n - 1].id, byUserId: made.trainer.userId, marks: Object.fromEntries(Object.entries(marks).map(([i, m]) => [app(Number(i)), m])) });
  };
  const handlers = () => combineJobHandlers([incidents.attendanceJobs(deps), waitingListJobs(deps)]);
  const runJobs = async () => {
    while ((await workJobs({ db: database.db, clock, handlers: handlers() })) > 0);
  };
  const incidentsOf = (applicationId: string) => database.db.select().from(attendanceIncidents).where(eq(attendanceIncidents.applicationId, applicationId)).orderBy(asc(attendanceIncidents.raisedAt));
  const historyOf = async (incidentId: string) => (await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, incidentId)).orderBy(asc(incidentEvents.id))).map((e) => e.event);
  const warnings = async (i: number) => (await emailsTo(database.db, learner(i).email)).filter((e) => e.subject.startsWith('Vos absences'));
  const smsTo = (to: string) => database.db.select().from(smsOutbox).where(eq(smsOutbox.to, to));
  const act = (staff: incidents.Staff, i: number, action: incidents.AbsenceAction, reason?: string) => incidents.actOnAbsences(deps, staff, { sessionCode: 'ABS', applicationId: app(i), action, reason });

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl };
    await buildCatalogue(database.db, clock, [{ code: 'ABS', weekday: 1, startsAt: '18:00', endsAt: '20:00' }]);
    const all = await enrolledLearners({ ...deps, secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { ABS: 8 });
    made = all.ABS;
    [{ id: sessionId }] = await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'ABS'));
    meetings = (await meetingsOf(database.db, [sessionId])).get(sessionId)!.filter((m) => m.startsAt.getTime() > clock.now().getTime() - 7 * 24 * HOUR);
    assert.ok(meetings.length > 6);
    const staff = async <R extends 'coordinator' | 'school_head'>(role: R) => {
      const s = await buildStaff(database.db, clock, role);
      await assignScope(database.db, { userId: s.userId, schools: ['E-11-T'] });
      return { id: s.userId, role };
    };
    coordinator = await staff('coordinator');
    coordinator2 = await staff('coordinator');
    head = await staff('school_head');
    trainer = { id: made.trainer.userId, role: 'trainer' };
    // Distinct mobiles, as people type them; learner 4 has a landline only.
    for (const i of [0, 1, 2, 3, 5, 6, 7]) await database.db.update(learnerProfiles).set({ mobilePhone: `06 12 34 56 ${String(10 + i)}` }).where(eq(learnerProfiles.userId, learner(i).learnerId));
    // SVC-7: they chose to be told by email and SMS (email alone is the default).
    for (const i of [0, 1, 2, 3, 5, 6, 7]) assert.deepEqual(await setNotifyChoice(deps, { userId: learner(i).learnerId, choice: 'both' }), { ok: true });
    await database.db.update(learnerProfiles).set({ mobilePhone: null, landlinePhone: '+33143000000' }).where(eq(learnerProfiles.userId, learner(4).learnerId));
    // SEL-8: a full session with someone on its waiting list, for the place released.
    await setCapacity(database.db, 'ABS', 8);
    await setPolicy(database.db, 'waitingListExpiryWeeks', 20);
    const waiting = await buildLearner(database.db, clock);
    const [course] = await database.db.select({ courseId: courseSessions.courseId }).from(courseSessions).where(eq(courseSessions.id, sessionId));
    [{ id: waitingId }] = await database.db
      .insert(applications)
      .values({ learnerId: waiting.id, sessionId, courseId: course.courseId, status: 'waiting_list', waitingRank: 1, createdAt: clock.now(), situation: 'employed', objective: 'personal', motivations: 'Oui.', rulesAcceptedAt: clock.now(), confirmedAt: clock.now() })
      .returning({ id: applications.id });
  });
  after(() => database.close());

  // Learners: 0 absent from the start (warned), 1 absent then corrected to present, 2 and 6 three
  // unjustified absences, 3 absences with a justified one, 4 absent from the start with no mobile
  // (released), 5 present (conduct), 7 present throughout.

  it('ATT-5 SVC-7 two absences from the first meetings raise an incident; the warning goes once per streak after the cooling-off, by email and SMS with the dates (to a learner who chose both)', async () => {
    await mark(1, { 0: 'absent', 1: 'absent', 2: 'present', 3: 'present', 4: 'absent', 5: 'present', 6: 'present', 7: 'present' });
    assert.equal((await incidentsOf(app(0))).length, 0, 'one absence: nothing yet');
    await mark(2, { 0: 'absent', 1: 'absent', 2: 'absent', 3: 'absent', 4: 'absent', 5: 'present', 6: 'absent', 7: 'present' });
    const [incident] = await incidentsOf(app(0));
    assert.equal(incident.kind, 'first_meetings');
    assert.equal(incident.status, 'open');
    assert.equal(incident.streakStartMeetingId, meetings[0].id);
    // The register saved again (the same marks, a second submission): still one incident, one job.
    await mark(2, { 0: 'absent' });
    assert.equal((await incidentsOf(app(0))).length, 1);
    await runJobs();
    assert.equal((await warnings(0)).length, 0, 'not before the cooling-off');
    clock.advance(31 * MINUTE);
    await runJobs();
    const [email] = await warnings(0);
    assert.ok(email, 'the warning email');
    assert.match(email.text, /premières séances du cours « Cours C-ABS »/);
    const day = (m: MeetingRow) => new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(m.startsAt).replace(/^1 /, '1er ');
    assert.ok(email.text.includes(`${day(meetings[0])}, ${day(meetings[1])}`), email.text);
    const sms = await smsTo('+33612345610');
    assert.equal(sms.length, 1);
    assert.equal(sms[0].purpose, 'sms.attendance.warning');
    assert.equal(sms[0].encoding, 'GSM-7');
    assert.ok(sms[0].segments <= 2);
    assert.match(sms[0].body, /Absent\(e\) le \d\d\/\d\d, \d\d\/\d\d, cours "Cours C-ABS"/);
    assert.deepEqual(await historyOf(incident.id), ['raised', 'warned']);
    // A third absence in the same streak: no second warning.
    await mark(3, { 0: 'absent' });
    clock.advance(31 * MINUTE);
    await runJobs();
    assert.equal((await warnings(0)).length, 1, 'one email per streak');
    assert.equal((await smsTo('+33612345610')).length, 1, 'one SMS per streak');
    assert.deepEqual(await historyOf(incident.id), ['raised', 'warned', 'grew']);
  });

  it('ATT-5 no mobile in the record: the warning goes by email only, noted in the history', async () => {
    const [incident] = await incidentsOf(app(4));
    assert.equal((await warnings(4)).length, 1);
    const [warned] = await database.db.select().from(incidentEvents).where(and(eq(incidentEvents.incidentId, incident.id), eq(incidentEvents.event, 'warned')));
    assert.deepEqual(warned.data, { count: 2, meetingIds: [meetings[0].id, meetings[1].id], channels: ['email'], noMobile: true });
  });

  it('ATT-2 the service’s removal is refused before the policy number of unjustified absences in a row, allowed at it; no refund', async () => {
    // Learner 2: present at 1, absent at 2 and 3.
    await mark(3, { 2: 'absent', 3: 'justified', 6: 'absent', 5: 'present', 7: 'present' });
    const early = await act(coordinator, 2, 'removeForAbsences');
    assert.deepEqual(early, { ok: false, code: 'refused', message: 'att.error.notRemovable' });
    await mark(4, { 2: 'absent', 3: 'absent', 6: 'absent', 5: 'present', 7: 'present' });
    const raised = (await incidentsOf(app(2))).map((i) => i.kind);
    assert.deepEqual(raised, ['removable']);
    assert.deepEqual(await act(trainer, 2, 'removeForAbsences'), { ok: false, code: 'forbidden', message: 'error.forbidden.message' }, 'the trainer does not remove');
    assert.deepEqual(await act(coordinator, 2, 'removeForAbsences'), { ok: true });
    assert.equal(await statusOf(database.db, app(2)), 'removed');
    const [event] = await database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app(2)), eq(applicationEvents.toStatus, 'removed')));
    assert.equal(event.reason, 'absences');
    const [email] = (await emailsTo(database.db, learner(2).email)).filter((e) => e.subject.startsWith('Vous êtes radié'));
    assert.match(email.text, /absent·e sans motif valable à 3 séances consécutives/);
    assert.match(email.text, /ne donne pas lieu à un remboursement/);
    const [incident] = await incidentsOf(app(2));
    assert.equal(incident.status, 'acted');
    assert.deepEqual(await historyOf(incident.id), ['raised', 'acted']);
    assert.equal((await database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, app(2)), eq(auditLog.action, 'attendance.removeForAbsences')))).length, 1);
    // ATT-2: not refunded: the learner's request for a refund (PAY-9, as the refunds page sends it) is refused, nothing stored.
    const asked = await requestRefund(deps, learner(2).learnerId, app(2), { reason: 'hospitalisation', eventOn: clock.now().toISOString().slice(0, 10), explanation: 'Hospitalisée.', proofPromised: true });
    assert.equal(asked.ok, false, `ATT-2: a removal for absences is not refunded: ${JSON.stringify(asked)}`);
    assert.equal((await database.db.select().from(refunds)).length, 0, 'nothing stored');
  });

  it('ATT-2 a removal of someone already removed (two staff at once) is refused with a clear message, nothing written twice', async () => {
    const results = await Promise.all([act(coordinator, 6, 'removeForAbsences'), act(coordinator2, 6, 'removeForAbsences')]);
    assert.equal(results.filter((r) => r.ok).length, 1, JSON.stringify(results));
    assert.deepEqual(
      results.find((r) => !r.ok),
      { ok: false, code: 'refused', message: 'att.incidents.error.alreadyClosed' },
    );
    assert.equal((await database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app(6)), eq(applicationEvents.toStatus, 'removed')))).length, 1);
    assert.deepEqual(await act(coordinator, 6, 'removeForAbsences'), { ok: false, code: 'refused', message: 'att.incidents.error.alreadyClosed' }, 'a third click too');
  });

  it('ATT-2 the trainer’s exclusion beyond the number, whatever the reason: refused at 3 absences in a row, allowed at 4 (one justified)', async () => {
    // Learner 3: present at 1, absent at 2, justified at 3, absent at 4: three absences in a row (two unjustified).
    assert.deepEqual(await act(trainer, 3, 'excludeForAbsences'), { ok: false, code: 'refused', message: 'att.error.notExcludable' });
    await mark(5, { 3: 'absent', 5: 'present', 7: 'present' });
    assert.deepEqual((await incidentsOf(app(3))).map((i) => i.kind).sort(), ['excludable', 'removable']);
    assert.deepEqual(await act(coordinator, 3, 'excludeForAbsences'), { ok: false, code: 'forbidden', message: 'error.forbidden.message' }, 'the service removes, the trainer excludes');
    assert.deepEqual(await act(trainer, 3, 'excludeForAbsences'), { ok: true });
    assert.equal(await statusOf(database.db, app(3)), 'excluded');
    const [email] = (await emailsTo(database.db, learner(3).email)).filter((e) => e.subject.startsWith('Vous êtes exclu'));
    assert.match(email.text, /Au-delà de 3 absences consécutives/);
    const statuses = Object.fromEntries((await incidentsOf(app(3))).map((i) => [i.kind, i.status]));
    assert.deepEqual(statuses, { excludable: 'acted', removable: 'closed' });
  });

  it('ATT-5 the place of a learner warned and still absent is released (refused before), and SEL-8 offers it at once to the next on the waiting list', async () => {
    // Learner 4 was warned after meeting 2 and not marked since: not releasable yet.
    assert.deepEqual(await act(head, 4, 'releaseAbsent'), { ok: false, code: 'refused', message: 'att.error.notReleasable' });
    await mark(6, { 4: 'absent', 5: 'present', 7: 'present' });
    assert.deepEqual(await act(head, 4, 'releaseAbsent'), { ok: true });
    assert.equal(await statusOf(database.db, app(4)), 'removed');
    await runJobs();
    const [offer] = await database.db.select().from(offers).where(and(eq(offers.applicationId, waitingId), eq(offers.status, 'open')));
    assert.ok(offer, 'the next on the waiting list is offered the place');
    const [incident] = await incidentsOf(app(4));
    assert.equal(incident.status, 'acted');
    assert.deepEqual(await historyOf(incident.id), ['raised', 'warned', 'grew', 'acted']);
  });

  it('ATT-3 the school head excludes for conduct with a reason (required), audited, the learner told with the reason', async () => {
    assert.deepEqual(await act(head, 5, 'excludeForConduct', '  '), { ok: false, code: 'refused', message: 'field.required' });
    assert.deepEqual(await act(head, 5, 'excludeForConduct', 'x'.repeat(501)), { ok: false, code: 'refused', message: 'field.tooLong' }, 'too long is not "required"');
    assert.deepEqual(await act(trainer, 5, 'excludeForConduct', 'Insultes'), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    assert.deepEqual(await act(head, 5, 'excludeForConduct', 'Menaces répétées envers le formateur.'), { ok: true });
    assert.equal(await statusOf(database.db, app(5)), 'excluded');
    const [email] = (await emailsTo(database.db, learner(5).email)).filter((e) => e.subject.startsWith('Vous êtes exclu'));
    assert.match(email.text, /Motif : Menaces répétées envers le formateur\./);
    const [entry] = await database.db.select().from(auditLog).where(and(eq(auditLog.subjectId, app(5)), eq(auditLog.action, 'attendance.excludeForConduct')));
    assert.deepEqual(entry.data, { session: 'ABS', reason: 'Menaces répétées envers le formateur.' });
    const [event] = await database.db.select().from(applicationEvents).where(and(eq(applicationEvents.applicationId, app(5)), eq(applicationEvents.toStatus, 'excluded')));
    assert.equal(event.reason, 'conduct');
  });

  it('ATT-2 ATT-5 a learner back (marked present) closes their open incidents', async () => {
    const [before] = await incidentsOf(app(0));
    assert.equal(before.status, 'open');
    await mark(7, { 0: 'present', 1: 'present', 7: 'present' });
    const after = await incidentsOf(app(0));
    assert.deepEqual(after.map((i) => [i.kind, i.status]).sort(), [['first_meetings', 'closed'], ['removable', 'closed']]);
  });

  it('the staff page: per learner holding a place, attendance so far and reachable, streaks, open incidents and the actions the lifecycle allows', async () => {
    const page = await incidents.sessionAbsences(deps, coordinator, 'ABS');
    assert.ok(page.ok);
    const ids = page.rows.map((r) => r.application.id).sort();
    assert.deepEqual(ids, [app(0), app(1), app(7)].sort(), 'the removed and excluded hold no place');
    const seven = page.rows.find((r) => r.application.id === app(7))!;
    assert.equal(seven.attendance.soFarPercent, 100);
    assert.deepEqual(seven.actions, []);
    assert.deepEqual(await incidents.sessionAbsences(deps, { id: made.trainer.userId, role: 'trainer' }, 'NOPE'), { ok: false, code: 'not_found', message: 'error.notFound.message' });
  });
});

describe('ATT-5 the warning is never sent to someone marked present within the cooling-off', () => {
  let database: Database;
  let clock: FixedClock;
  after(() => database.close());

  it('ATT-5 a correction to present before the job runs cancels the warning (no email, no SMS), the incident closed', async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'COR', weekday: 2, startsAt: '18:00', endsAt: '20:00' }]);
    const made = (await enrolledLearners({ ...deps, secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { COR: 1 })).COR;
    const [{ id: sessionId }] = await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'COR'));
    const meetings = (await meetingsOf(database.db, [sessionId])).get(sessionId)!.filter((m) => m.startsAt > new Date(clock.now().getTime() - 7 * 24 * HOUR));
    const id = made.learners[0].applicationId;
    for (const m of meetings.slice(0, 2)) {
      clock.set(new Date(Math.max(clock.now().getTime(), m.startsAt.getTime() + 2 * HOUR)));
      await markRegister(database.db, clock, { meetingId: m.id, byUserId: made.trainer.userId, marks: { [id]: 'absent' } });
    }
    const [incident] = await database.db.select().from(attendanceIncidents).where(eq(attendanceIncidents.applicationId, id));
    assert.equal(incident.status, 'open');
    clock.advance(10 * MINUTE);
    await markRegister(database.db, clock, { meetingId: meetings[1].id, byUserId: made.trainer.userId, marks: { [id]: 'late' } });
    clock.advance(30 * MINUTE);
    while ((await workJobs({ db: database.db, clock, handlers: incidents.attendanceJobs(deps) })) > 0);
    assert.equal((await emailsTo(database.db, made.learners[0].email)).filter((e) => e.subject.startsWith('Vos absences')).length, 0);
    assert.equal((await database.db.select().from(smsOutbox)).length, 0);
    const [closed] = await database.db.select().from(attendanceIncidents).where(eq(attendanceIncidents.applicationId, id));
    assert.equal(closed.status, 'closed');
    // And the job, run again by hand, still sends nothing.
    assert.equal(await incidents.sendWarning(deps, incident.id), false);
  });
});

describe('ATT-5 one warning per enrolment, even when an earlier register is filled in late', () => {
  let database: Database;
  after(() => database.close());

  it('ATT-5 a register filled in late that moves the streak’s first meeting back sends no second warning; the release counts absences after the warning', async () => {
    database = await createTestDatabase();
    const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'LAT', weekday: 3, startsAt: '18:00', endsAt: '20:00' }]);
    const made = (await enrolledLearners({ ...deps, secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { LAT: 1 })).LAT;
    const [{ id: sessionId }] = await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'LAT'));
    const meetings = (await meetingsOf(database.db, [sessionId])).get(sessionId)!.filter((m) => m.startsAt > new Date(clock.now().getTime() - 7 * 24 * HOUR));
    const s = await buildStaff(database.db, clock, 'school_head');
    await assignScope(database.db, { userId: s.userId, schools: ['E-11-T'] });
    const head = { id: s.userId, role: 'school_head' as const };
    const [{ applicationId: id, email, learnerId }] = made.learners;
    await database.db.update(learnerProfiles).set({ mobilePhone: '06 12 34 56 99' }).where(eq(learnerProfiles.userId, learnerId));
    await setNotifyChoice(deps, { userId: learnerId, choice: 'both' });
    const mark = async (n: number, m: 'absent' | 'present') => {
      clock.set(new Date(Math.max(clock.now().getTime(), meetings[n - 1].startsAt.getTime() + 2 * HOUR)));
      await markRegister(database.db, clock, { meetingId: meetings[n - 1].id, byUserId: made.trainer.userId, marks: { [id]: m } });
    };
    const runJobs = async () => {
      while ((await workJobs({ db: database.db, clock, handlers: incidents.attendanceJobs(deps) })) > 0);
    };
    const warnings = async () => (await emailsTo(database.db, email)).filter((e) => e.subject.startsWith('Vos absences')).length;
    const release = () => incidents.actOnAbsences(deps, head, { sessionCode: 'LAT', applicationId: id, action: 'releaseAbsent' });
    // Meeting 1's register is not filled in yet; absent at meetings 2 and 3: warned.
    await mark(2, 'absent');
    await mark(3, 'absent');
    clock.advance(31 * MINUTE);
    await runJobs();
    assert.equal(await warnings(), 1);
    // Meeting 1's register filled in late: absent there too. The streak now starts at meeting 1 (a new incident).
    clock.advance(HOUR);
    await mark(1, 'absent');
    const raised = await database.db.select().from(attendanceIncidents).where(and(eq(attendanceIncidents.applicationId, id), eq(attendanceIncidents.kind, 'first_meetings'))).orderBy(asc(attendanceIncidents.raisedAt));
    assert.deepEqual(raised.map((i) => [i.streakStartMeetingId, i.status]), [[meetings[1].id, 'closed'], [meetings[0].id, 'open']]);
    clock.advance(31 * MINUTE);
    await runJobs();
    assert.equal(await warnings(), 1, 'one warning email per enrolment');
    assert.equal((await database.db.select().from(smsOutbox).where(eq(smsOutbox.to, '+33612345699'))).length, 1, 'one warning SMS per enrolment');
    assert.equal(await incidents.sendWarning(deps, raised[1].id), false, 'the job run by hand sends nothing either');
    // Warned: the page does not ask for a warning; meeting 1 filled in late is not an absence since the warning.
    const page = await incidents.sessionAbsences(deps, head, 'LAT');
    assert.ok(page.ok);
    assert.equal(page.rows[0].state.warningDue, false);
    assert.deepEqual(await release(), { ok: false, code: 'refused', message: 'att.error.notReleasable' });
    await mark(4, 'absent');
    assert.deepEqual(await release(), { ok: true }, 'absent again after the warning: the place is released');
  });
});

describe('ATT-5 the warning goes by email and SMS whatever the learner chose (SVC-7: urgent)', () => {
  let database: Database;
  after(() => database.close());

  it('ATT-5 SVC-7 a learner with a mobile who kept email (the default) and one who chose SMS are both warned by email and SMS, the SMS with the warning’s own text', async () => {
    database = await createTestDatabase();
    const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'CHO', weekday: 3, startsAt: '18:00', endsAt: '20:00' }]);
    const made = (await enrolledLearners({ ...deps, secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { CHO: 2 })).CHO;
    const [{ id: sessionId }] = await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'CHO'));
    const meetings = (await meetingsOf(database.db, [sessionId])).get(sessionId)!.filter((m) => m.startsAt > new Date(clock.now().getTime() - 7 * 24 * HOUR));
    const [byEmail, bySms] = made.learners;
    await database.db.update(learnerProfiles).set({ mobilePhone: '06 12 34 56 71' }).where(eq(learnerProfiles.userId, byEmail.learnerId));
    await database.db.update(learnerProfiles).set({ mobilePhone: '06 12 34 56 72' }).where(eq(learnerProfiles.userId, bySms.learnerId));
    assert.deepEqual(await setNotifyChoice(deps, { userId: bySms.learnerId, choice: 'sms' }), { ok: true });
    for (const m of meetings.slice(0, 2)) {
      clock.set(new Date(Math.max(clock.now().getTime(), m.startsAt.getTime() + 2 * HOUR)));
      await markRegister(database.db, clock, { meetingId: m.id, byUserId: made.trainer.userId, marks: { [byEmail.applicationId]: 'absent', [bySms.applicationId]: 'absent' } });
    }
    clock.advance(31 * MINUTE);
    while ((await workJobs({ db: database.db, clock, handlers: incidents.attendanceJobs(deps) })) > 0);
    const warningsTo = async (email: string) => (await emailsTo(database.db, email)).filter((e) => e.subject.startsWith('Vos absences')).length;
    const smsTo = (to: string) => database.db.select().from(smsOutbox).where(eq(smsOutbox.to, to));
    const warned = async (applicationId: string) => {
      const [incident] = await database.db.select().from(attendanceIncidents).where(and(eq(attendanceIncidents.applicationId, applicationId), eq(attendanceIncidents.kind, 'first_meetings')));
      const [event] = await database.db.select().from(incidentEvents).where(and(eq(incidentEvents.incidentId, incident.id), eq(incidentEvents.event, 'warned')));
      return event.data;
    };
    assert.equal(await warningsTo(byEmail.email), 1);
    assert.equal((await smsTo('+33612345671')).length, 1, 'ATT-5: by SMS too, although the learner kept email');
    assert.deepEqual(await warned(byEmail.applicationId), { count: 2, meetingIds: [meetings[0].id, meetings[1].id], channels: ['email', 'sms'] });
    assert.equal(await warningsTo(bySms.email), 1, 'ATT-5: by email too, although the learner chose SMS');
    const [sms] = await smsTo('+33612345672');
    assert.equal(sms.purpose, 'sms.attendance.warning');
    assert.match(sms.body, /^Absent\(e\) le \d\d\/\d\d, \d\d\/\d\d, cours "Cours C-CHO"/);
    assert.deepEqual(await warned(bySms.applicationId), { count: 2, meetingIds: [meetings[0].id, meetings[1].id], channels: ['email', 'sms'] });
  });
});

describe('ATT-2 a register saved while an action on the same learner is taken', () => {
  let database: Database;
  after(() => database.close());

  it('ATT-2 a correction to present saved at the moment of the removal never undoes it: acted and removed, or refused and closed', async () => {
    database = await createTestDatabase();
    const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    const deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'RAC', weekday: 4, startsAt: '18:00', endsAt: '20:00' }]);
    const made = (await enrolledLearners({ ...deps, secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { RAC: 4 })).RAC;
    const [{ id: sessionId }] = await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'RAC'));
    const meetings = (await meetingsOf(database.db, [sessionId])).get(sessionId)!.filter((m) => m.startsAt > new Date(clock.now().getTime() - 7 * 24 * HOUR));
    const c = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: c.userId, schools: ['E-11-T'] });
    const coordinator = { id: c.userId, role: 'coordinator' as const };
    const ids = made.learners.map((l) => l.applicationId);
    for (const m of meetings.slice(0, 4)) {
      clock.set(new Date(Math.max(clock.now().getTime(), m.startsAt.getTime() + 2 * HOUR)));
      // Learner 0 present at the first (no first-meetings incident), then absent three times.
      const first = m.id === meetings[0].id;
      await markRegister(database.db, clock, { meetingId: m.id, byUserId: made.trainer.userId, marks: Object.fromEntries(ids.map((id) => [id, first ? 'present' : 'absent'])) });
    }
    for (const id of ids) {
      const [incident] = await database.db.select().from(attendanceIncidents).where(and(eq(attendanceIncidents.applicationId, id), eq(attendanceIncidents.kind, 'removable')));
      assert.equal(incident.status, 'open');
    }
    // The latest meeting corrected to present for everyone, while the coordinator removes each.
    const [, results] = await Promise.all([
      markRegister(database.db, clock, { meetingId: meetings[3].id, byUserId: made.trainer.userId, marks: Object.fromEntries(ids.map((id) => [id, 'present'])) }),
      Promise.all(ids.map((id) => incidents.actOnAbsences(deps, coordinator, { sessionCode: 'RAC', applicationId: id, action: 'removeForAbsences' }))),
    ]);
    for (const [i, id] of ids.entries()) {
      const [incident] = await database.db.select().from(attendanceIncidents).where(and(eq(attendanceIncidents.applicationId, id), eq(attendanceIncidents.kind, 'removable')));
      const status = await statusOf(database.db, id);
      if (results[i].ok) assert.deepEqual([status, incident.status], ['removed', 'acted'], `learner ${i}: removed, the incident stays acted`);
      else assert.deepEqual([status, incident.status, results[i]], ['enrolled', 'closed', { ok: false, code: 'refused', message: 'att.error.notRemovable' }], `learner ${i}`);
    }
  });
});
