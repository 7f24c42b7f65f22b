import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { enrolledLearners } from '../../../test/attendance';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import type { AttendanceMark } from '../../domain/vocabulary';
import { FixedClock } from '../../platform/clock';
import { auditLog, outbox, smsOutbox } from '../../platform/platform.table';
import { applications } from '../applications/applications.table';
import { courseSessions, holidays } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { attendanceOf } from './attendance.service';
import { attendanceEntries, meetings, registerSubmissions } from './attendance.table';
import { registerSaved } from './hooks';
import { meetingsOf, type MeetingRow } from './meetings.service';
import type { MarkInput } from './registers.schema';
import * as registers from './registers.service';

describe('meetings and registers (ATT-1)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string; cashOffice: string };
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  const staff: Record<'trainer' | 'secondTrainer' | 'otherTrainer' | 'head' | 'coordinator', registers.Staff> = {} as never;
  let meetingList: MeetingRow[];
  let held: MeetingRow;
  let coming: MeetingRow;
  const events: { meetingId: number; applicationIds: string[] }[] = [];
  const ids = () => made['ATT-R'].learners.map((l) => l.applicationId);
  const marks = (mark: AttendanceMark, more: Record<number, Partial<MarkInput>> = {}): MarkInput[] => ids().map((applicationId, i) => ({ applicationId, mark, minutesMissed: 0, ...more[i] }));
  const save = (who: registers.Staff, list: MarkInput[], token = randomUUID(), meeting = held) => registers.saveRegister(deps, who, { sessionCode: 'ATT-R', meetingId: meeting.id, token, marks: list });
  const entriesOf = (meetingId: number) => database.db.select().from(attendanceEntries).where(eq(attendanceEntries.meetingId, meetingId)).orderBy(asc(attendanceEntries.id));
  /** The held meeting's register as a page drawn now shows it: each learner's current mark and the id of that entry. */
  const shown = async (): Promise<MarkInput[]> => {
    const latest = new Map((await entriesOf(held.id)).map((e) => [e.applicationId, e]));
    return ids().map((applicationId) => {
      const e = latest.get(applicationId);
      return { applicationId, mark: e?.mark ?? 'present', minutesMissed: e?.minutesMissed ?? 0, seenEntryId: e?.id ?? 0 };
    });
  };
  const withSeen = (list: MarkInput[], seen: MarkInput[]) => list.map((m) => ({ ...m, seenEntryId: seen.find((s) => s.applicationId === m.applicationId)?.seenEntryId ?? 0 }));

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' };
    // Mondays, 18:30 to 20:30: the session started yesterday (Monday 31 August), its first meeting is held.
    await buildCatalogue(database.db, clock, [
      { code: 'ATT-R', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'ATT-O', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
    ]);
    made = await enrolledLearners(deps, { 'ATT-R': 4, 'ATT-O': 1 });
    staff.trainer = { id: made['ATT-R'].trainer.userId, role: 'trainer' };
    staff.otherTrainer = { id: made['ATT-O'].trainer.userId, role: 'trainer' };
    const second = await buildStaff(database.db, clock, 'trainer');
    await assignScope(database.db, { userId: second.userId, sessions: ['ATT-R'] });
    staff.secondTrainer = { id: second.userId, role: 'trainer' };
    staff.head = { id: made['ATT-R'].head.userId, role: 'school_head' };
    const coordinator = await buildStaff(database.db, clock, 'coordinator');
    await assignScope(database.db, { userId: coordinator.userId, schools: ['E-11-T'] });
    staff.coordinator = { id: coordinator.userId, role: 'coordinator' };
    const [session] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'ATT-R'));
    meetingList = (await meetingsOf(database.db, [session.id])).get(session.id)!;
    [held, coming] = meetingList;
    registerSaved.subscribe(async (_tx, event) => void events.push({ meetingId: event.meetingId, applicationIds: event.applicationIds }));
  });
  after(() => database.close());

  it('ATT-1 the session’s meetings come from CAT-7’s dates, each with its state; the register missing once held', async () => {
    const page = await registers.meetingsPage(deps, staff.trainer, 'ATT-R');
    assert.ok(!('ok' in page));
    assert.equal(page.meetings[0].meeting.startsAt.toISOString(), '2026-08-31T16:30:00.000Z');
    assert.equal(page.meetings[0].meeting.plannedMinutes, 120);
    assert.deepEqual(page.meetings.slice(0, 2).map((l) => l.state), ['missing', 'to_come']);
    assert.equal(page.missing, 1);
    assert.equal(page.mayMark, true);
    assert.equal(page.mayCancel, false, 'trainers do not cancel meetings');
  });

  it('ATT-1 another trainer’s session is forbidden, an unknown one not found, in the service as in the routes', async () => {
    assert.deepEqual(await registers.meetingsPage(deps, staff.otherTrainer, 'ATT-R'), { ok: false, code: 'forbidden', message: 'error.forbidden.message' });
    assert.equal(((await registers.registerPage(deps, staff.otherTrainer, 'ATT-R', held.id)) as registers.RegisterFailure).code, 'forbidden');
    assert.equal(((await registers.registerPage(deps, staff.trainer, 'NOPE', held.id)) as registers.RegisterFailure).code, 'not_found');
    assert.equal(((await registers.registerPage(deps, staff.trainer, 'ATT-R', 2_000_000_000)) as registers.RegisterFailure).code, 'not_found');
    const other = (await registers.meetingsPage(deps, staff.otherTrainer, 'ATT-O')) as registers.MeetingsPage;
    assert.equal(((await registers.registerPage(deps, staff.trainer, 'ATT-R', other.meetings[0].meeting.id)) as registers.RegisterFailure).code, 'not_found', 'another session’s meeting');
    assert.equal(((await save(staff.otherTrainer, marks('present'))) as registers.RegisterFailure).code, 'forbidden');
    assert.equal(((await registers.registerPage(deps, staff.coordinator, 'ATT-R', held.id)) as registers.RegisterFailure).code, 'forbidden', 'coordinators do not take registers');
  });

  it('ATT-1 the register lists every learner holding a place, by name, none marked yet', async () => {
    const page = (await registers.registerPage(deps, staff.trainer, 'ATT-R', held.id)) as registers.RegisterPage;
    assert.equal(page.refusal, null);
    assert.deepEqual(new Set(page.learners.map((l) => l.applicationId)), new Set(ids()));
    assert.ok(page.learners.every((l) => l.name.length > 0 && l.current === null && l.soFarPercent === 0));
    assert.equal(page.lastSubmission, null);
    assert.equal(page.graceMinutes, 10);
  });

  it('ATT-1 a save writes one entry per learner, minutes by the mark and the grace, emits registerSaved and audits', async () => {
    const result = await save(staff.trainer, marks('present', { 1: { mark: 'late', minutesMissed: 25 }, 2: { mark: 'absent' }, 3: { mark: 'late', minutesMissed: 5 } }));
    assert.deepEqual(result, { ok: true, saved: true, changed: ids() });
    const entries = await entriesOf(held.id);
    assert.deepEqual(
      entries.map((e) => [e.applicationId, e.mark, e.minutesMissed, e.minutesAttended, e.enteredBy]),
      [
        [ids()[0], 'present', 0, 120, staff.trainer.id],
        [ids()[1], 'late', 25, 105, staff.trainer.id],
        [ids()[2], 'absent', 0, 0, staff.trainer.id],
        [ids()[3], 'late', 5, 120, staff.trainer.id],
      ],
    );
    assert.deepEqual(events.at(-1), { meetingId: held.id, applicationIds: ids() });
    const [audited] = await database.db.select().from(auditLog).where(eq(auditLog.action, 'attendance.register_saved'));
    assert.equal(audited.actorId, staff.trainer.id);
    assert.equal((audited.data as { meetingId: number }).meetingId, held.id);
    const page = (await registers.registerPage(deps, staff.trainer, 'ATT-R', held.id)) as registers.RegisterPage;
    const first = page.learners.find((l) => l.applicationId === ids()[1])!;
    assert.equal(first.current?.mark, 'late');
    assert.equal(first.current?.enteredByName, 'Test trainer');
    assert.equal(page.lastSubmission?.name, 'Test trainer');
    const missing = (await registers.meetingsPage(deps, staff.trainer, 'ATT-R')) as registers.MeetingsPage;
    assert.equal(missing.meetings[0].state, 'taken');
    assert.equal(missing.missing, 0);
  });

  it('ATT-1 saved again unchanged writes nothing; a correction is a new entry, the old one kept', async () => {
    const before = (await entriesOf(held.id)).length;
    const same = await save(staff.trainer, marks('present', { 1: { mark: 'late', minutesMissed: 25 }, 2: { mark: 'absent' }, 3: { mark: 'late', minutesMissed: 5 } }));
    assert.deepEqual(same, { ok: true, saved: true, changed: [] });
    assert.equal((await entriesOf(held.id)).length, before);
    const corrected = await save(staff.secondTrainer, withSeen(marks('present', { 1: { mark: 'late', minutesMissed: 25 }, 2: { mark: 'justified' }, 3: { mark: 'late', minutesMissed: 5 } }), await shown()));
    assert.deepEqual(corrected, { ok: true, saved: true, changed: [ids()[2]] });
    const history = (await entriesOf(held.id)).filter((e) => e.applicationId === ids()[2]);
    assert.deepEqual(history.map((e) => [e.mark, e.enteredBy]), [['absent', staff.trainer.id], ['justified', staff.secondTrainer.id]]);
  });

  it('ATT-1 the same form sent twice (one token) is saved once, even at the same instant', async () => {
    const token = randomUUID();
    const list = withSeen(marks('present'), await shown());
    const [a, b] = await Promise.all([save(staff.trainer, list, token), save(staff.trainer, list, token)]);
    assert.ok(a.ok && b.ok);
    assert.equal([a, b].filter((r) => r.ok && r.saved).length, 1, 'one of them saved, the other answered "saved"');
    const again = await save(staff.trainer, marks('absent'), token);
    assert.deepEqual(again, { ok: true, saved: false, changed: [] }, 'a token already used saves nothing, whatever it carries');
    const rows = await database.db.select().from(registerSubmissions).where(eq(registerSubmissions.id, token));
    assert.equal(rows.length, 1);
    const page = (await registers.registerPage(deps, staff.trainer, 'ATT-R', held.id)) as registers.RegisterPage;
    assert.ok(page.learners.every((l) => l.current?.mark === 'present'));
  });

  it('ATT-1 two trainers marking one meeting at once are serialised by the lock: the second is told of the first one’s marks, none overwritten, none twice', async () => {
    // Both drew the register as it stands; both say "absent" for the first learner; they differ on the second.
    const seen = await shown();
    const one = withSeen(marks('present', { 0: { mark: 'absent' }, 1: { mark: 'late', minutesMissed: 30 } }), seen);
    const two = withSeen(marks('present', { 0: { mark: 'absent' }, 1: { mark: 'left_early', minutesMissed: 40 } }), seen);
    const before = await entriesOf(held.id);
    const results = await Promise.all([save(staff.trainer, one), save(staff.secondTrainer, two)]);
    assert.equal(results.filter((r) => r.ok && r.saved).length, 1, 'the first one saved');
    const lost = results.find((r) => !r.ok) as registers.RegisterFailure;
    assert.equal(lost?.code, 'conflict', 'the second one is a conflict');
    const added = (await entriesOf(held.id)).slice(before.length);
    assert.equal(added.filter((e) => e.applicationId === ids()[0]).length, 1, 'the same absence written once, by whoever came first');
    const second = added.filter((e) => e.applicationId === ids()[1]);
    assert.equal(second.length, 1, 'the second trainer’s mark does not overwrite the first one’s');
    assert.deepEqual(lost.conflicts?.map((c) => [c.applicationId, c.mark, c.minutesMissed, c.entryId]), [[ids()[1], second[0].mark, second[0].minutesMissed, second[0].id]]);
    const page = (await registers.registerPage(deps, staff.trainer, 'ATT-R', held.id)) as registers.RegisterPage;
    assert.equal(page.learners.find((l) => l.applicationId === ids()[1])!.current!.mark, second[0].mark, 'the mark is the latest entry');
    assert.equal(added.filter((e) => e.applicationId === ids()[2] || e.applicationId === ids()[3]).length, 0, 'unchanged marks: no entry');
  });

  it('ATT-1 a form drawn before another trainer saved does not overwrite their marks: those learners are listed with the mark now recorded, the other changes saved', async () => {
    const tab = await shown(); // the first trainer's tab, drawn now
    const meanwhile = await save(staff.secondTrainer, tab.map((m, i) => (i === 2 ? { ...m, mark: 'absent' as const, minutesMissed: 0 } : m)));
    assert.deepEqual(meanwhile, { ok: true, saved: true, changed: [ids()[2]] });
    const [theirs] = (await entriesOf(held.id)).slice(-1);
    clock.advance(60_000);
    // The first tab is sent: the fourth learner marked late; the third left as the tab showed it.
    const sent = tab.map((m, i) => (i === 3 ? { ...m, mark: 'late' as const, minutesMissed: 20 } : m));
    const before = (await entriesOf(held.id)).length;
    const result = (await save(staff.trainer, sent)) as registers.RegisterFailure;
    assert.equal(result.ok, false);
    assert.equal(result.code, 'conflict');
    assert.deepEqual(
      result.conflicts?.map((c) => [c.applicationId, c.mark, c.entryId, c.enteredAt.toISOString()]),
      [[ids()[2], 'absent', theirs.id, theirs.enteredAt.toISOString()]],
    );
    assert.ok(result.conflicts![0].enteredByName.length > 0 && result.conflicts![0].name.length > 0);
    const added = (await entriesOf(held.id)).slice(before);
    assert.deepEqual(added.map((e) => [e.applicationId, e.mark, e.minutesMissed, e.enteredBy]), [[ids()[3], 'late', 20, staff.trainer.id]], 'the other change is saved; the third learner’s absence kept');
    assert.deepEqual(events.at(-1), { meetingId: held.id, applicationIds: [ids()[3]] });
    // Checked and saved again, from the conflict page (a fresh token, the marks now seen): written.
    const again = await save(staff.trainer, withSeen(sent, await shown()));
    assert.deepEqual(again, { ok: true, saved: true, changed: [ids()[2]] });
    const page = (await registers.registerPage(deps, staff.trainer, 'ATT-R', held.id)) as registers.RegisterPage;
    assert.equal(page.learners.find((l) => l.applicationId === ids()[2])!.current!.mark, tab[2].mark);
  });

  it('ATT-1 refused: a meeting not yet started, a learner without a place, minutes missed out of range; nothing written', async () => {
    const before = (await entriesOf(held.id)).length;
    assert.deepEqual(await save(staff.trainer, marks('present'), randomUUID(), coming), { ok: false, code: 'refused', message: 'att.register.error.notStarted' });
    const stranger = made['ATT-O'].learners[0].applicationId;
    const withStranger = [...marks('present'), { applicationId: stranger, mark: 'present' as const, minutesMissed: 0 }];
    assert.deepEqual(await save(staff.trainer, withStranger), { ok: false, code: 'refused', message: 'att.register.error.notEnrolled' });
    assert.deepEqual(await save(staff.trainer, [{ applicationId: randomUUID(), mark: 'present', minutesMissed: 0 }]), { ok: false, code: 'refused', message: 'att.register.error.notEnrolled' });
    const tooMany = await save(staff.trainer, marks('present', { 1: { mark: 'late', minutesMissed: 121 } }));
    assert.equal(tooMany.ok, false);
    assert.deepEqual((tooMany as registers.RegisterFailure).errors, { [`missed_${ids()[1]}`]: { message: 'att.register.error.missed', params: { max: 120 } } });
    assert.equal((await entriesOf(held.id)).length, before);
    assert.equal((await entriesOf(coming.id)).length, 0);
  });

  it('ATT-1 a learner who no longer holds a place is not on the register and cannot be marked (the lifecycle’s markAttendance)', async () => {
    const gone = ids()[3];
    await database.db.update(applications).set({ status: 'withdrawn' }).where(eq(applications.id, gone));
    try {
      const page = (await registers.registerPage(deps, staff.trainer, 'ATT-R', held.id)) as registers.RegisterPage;
      assert.ok(!page.learners.some((l) => l.applicationId === gone));
      assert.deepEqual(await save(staff.trainer, [{ applicationId: gone, mark: 'absent', minutesMissed: 0 }]), { ok: false, code: 'refused', message: 'att.register.error.notEnrolled' });
    } finally {
      await database.db.update(applications).set({ status: 'enrolled' }).where(eq(applications.id, gone));
    }
  });

  it('ATT-1 ATT-4 the service cancels a meeting with a reason: not counted, its register refused; trainers may not', async () => {
    assert.equal(((await registers.cancelMeeting(deps, staff.trainer, { sessionCode: 'ATT-R', meetingId: held.id, reason: 'Salle fermée' })) as registers.RegisterFailure).code, 'forbidden');
    const beforeCancel = await attendanceOf(database.db, clock.now(), { justifiedAbsenceCountsAsPresence: 0 }, [{ id: ids()[0], sessionId: held.sessionId }]);
    assert.equal(beforeCancel.get(ids()[0])!.heldMinutes, 120);
    const heard = events.length;
    const done = await registers.cancelMeeting(deps, staff.head, { sessionCode: 'ATT-R', meetingId: held.id, reason: '  Salle fermée  ' });
    assert.ok(done.ok);
    assert.equal(events.length, heard + 1, 'ATT-1 the cancellation is heard as a register saved (the streaks are read again)');
    assert.equal(events.at(-1)!.meetingId, held.id);
    assert.deepEqual(new Set(events.at(-1)!.applicationIds), new Set(ids()), 'the learners who had a mark in it');
    assert.equal(done.meeting.cancelReason, 'Salle fermée');
    assert.equal(done.meeting.cancelledBy, staff.head.id);
    const after = await attendanceOf(database.db, clock.now(), { justifiedAbsenceCountsAsPresence: 0 }, [{ id: ids()[0], sessionId: held.sessionId }]);
    assert.equal(after.get(ids()[0])!.heldMinutes, 0, 'a cancelled meeting counts for nobody');
    assert.deepEqual(await save(staff.trainer, marks('present')), { ok: false, code: 'refused', message: 'att.register.error.cancelled' });
    assert.equal(((await registers.registerPage(deps, staff.trainer, 'ATT-R', held.id)) as registers.RegisterPage).refusal, 'cancelled');
    assert.equal(((await registers.meetingsPage(deps, staff.trainer, 'ATT-R')) as registers.MeetingsPage).meetings[0].state, 'cancelled');
    assert.deepEqual(await registers.cancelMeeting(deps, staff.coordinator, { sessionCode: 'ATT-R', meetingId: held.id, reason: 'Encore' }), { ok: false, code: 'refused', message: 'att.meetings.error.alreadyCancelled' });
    const invalid = await registers.cancelMeeting(deps, staff.coordinator, { sessionCode: 'ATT-R', meetingId: coming.id, reason: '   ' });
    assert.equal((invalid as registers.RegisterFailure).code, 'invalid');
    const [audited] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'attendance.meeting_cancelled'), eq(auditLog.actorId, staff.head.id)));
    assert.equal((audited.data as { reason: string }).reason, 'Salle fermée');
  });

  it('SVC-2 a meeting cancelled is told at once to every learner holding a place, by email and SMS whatever their choice, with no refund', async () => {
    const learners = made['ATT-R'].learners;
    const sms = await database.db.select().from(smsOutbox).where(eq(smsOutbox.purpose, 'sms.attendance.meetingCancelled'));
    assert.equal(sms.length, learners.length, 'one SMS each (the learner record’s mobile)');
    assert.match(sms[0].body, /^Cours municipaux : la séance du .+ à 18:30, cours "Cours C-ATT-R", est annulée\./);
    const mails = await database.db.select().from(outbox).where(and(inArray(outbox.to, learners.map((l) => l.email)), like(outbox.subject, 'Séance annulée%')));
    assert.equal(mails.length, learners.length, 'and one email each');
    assert.match(mails[0].text, /Raison : Salle fermée/);
    assert.match(mails[0].text, /ne donne pas de remboursement/);
    const [audited] = await database.db.select().from(auditLog).where(and(eq(auditLog.action, 'attendance.meeting_cancelled'), eq(auditLog.actorId, staff.head.id)));
    assert.equal((audited.data as { told: number }).told, learners.length);
  });

  it('ATT-1 a cancellation is heard in its transaction: a listener that fails undoes it', async () => {
    let failing = true;
    registerSaved.subscribe(async () => {
      if (failing) throw new Error('listener failed');
    });
    // A meeting with a mark in it (the held one is cancelled already): the first one to come, marked once started.
    clock.set(new Date(coming.startsAt.getTime() + 60_000));
    try {
      failing = false;
      assert.ok((await save(staff.trainer, marks('present'), randomUUID(), coming)).ok);
      failing = true;
      await assert.rejects(registers.cancelMeeting(deps, staff.head, { sessionCode: 'ATT-R', meetingId: coming.id, reason: 'Salle fermée' }), /listener failed/);
    } finally {
      failing = false;
    }
    const [still] = await database.db.select().from(meetings).where(eq(meetings.id, coming.id));
    assert.equal(still.cancelledAt, null, 'not cancelled');
  });

  it('ATT-1 CAT-7 meetings follow the catalogue: one it gained since is written; one it no longer computes stays, shown as no longer planned', async () => {
    const target = meetingList[4];
    const day = target.startsAt.toISOString().slice(0, 10);
    const [other] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'ATT-O'));
    await meetingsOf(database.db, [other.id]);
    const [holiday] = await database.db.insert(holidays).values({ kind: 'public', zone: null, name: 'Jour férié de test', startsOn: day, endsOn: day }).returning();
    try {
      const page = (await registers.meetingsPage(deps, staff.trainer, 'ATT-R')) as registers.MeetingsPage;
      assert.deepEqual(page.meetings.filter((l) => l.unscheduled).map((l) => l.meeting.id), [target.id], 'kept, and shown as no longer planned (the service cancels it)');
      // The other session's meeting of that day as if written while the holiday stood; then the holiday is removed.
      await database.db.delete(meetings).where(and(eq(meetings.sessionId, other.id), eq(meetings.startsAt, target.startsAt)));
    } finally {
      await database.db.delete(holidays).where(eq(holidays.id, holiday.id));
    }
    const gained = (await meetingsOf(database.db, [other.id])).get(other.id)!;
    assert.ok(gained.some((m) => m.startsAt.getTime() === target.startsAt.getTime()), 'the meeting the catalogue gained is written');
    const page = (await registers.meetingsPage(deps, staff.trainer, 'ATT-R')) as registers.MeetingsPage;
    assert.equal(page.meetings.filter((l) => l.unscheduled).length, 0);
  });
});
