import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { auditRowsOf } from '../../platform/audit';
import { defaultPolicies } from '../../platform/policies';
import { createTestDatabase } from '../../../test/db';
import { buildCatalogue } from '../../../test/catalogue';
import { enrolledLearners } from '../../../test/attendance';
import { courseEnding, meetingRows, submitRegister } from '../../../test/certification';
import { buildLearner, buildStaff } from '../../../test/app';
import { computeOutcomes } from '../certification';
import { courseOutcomes } from '../certification/certification.table';
import { courses, courseSessions } from '../catalogue/catalogue.table';
import { users } from '../accounts/accounts.table';
import { attendanceOf, missingRegisters } from './attendance.service';
import { connections } from './attendance.table';
import { importConnectionsCommand } from './connections.cli';
import { importConnections, type Importer } from './connections.service';
import { learnerConnections } from './connections.learner';
import { meetingsOf } from './meetings.service';

describe('remote attendance: connection hours imported (issue 18)', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string; secret: string; cashOffice: string };
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let emails: Record<string, string>;
  let admin: Importer;
  const sid: Record<string, number> = {};
  const csv = (lines: string[]) => Buffer.from(['email,session,start,end', ...lines].join('\n'));
  const run = (content: Buffer, options: { importer?: Importer; replace?: boolean } = {}) =>
    importConnections(deps, { importer: options.importer === undefined ? admin : options.importer, fileName: 'connexions.csv', content, replace: options.replace ?? false });
  const problems = async (content: Buffer, importer?: Importer) => {
    const r = await run(content, { importer });
    assert.ok(!r.ok && r.code === 'invalid', JSON.stringify(r));
    return r.problems.map((p) => `${p.line}:${p.column ?? ''}:${p.message}`);
  };
  const rowCount = async () => (await database.db.select().from(connections)).length;

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie' };
    await buildCatalogue(database.db, clock, [
      { code: 'S-REM', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-HYB', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'S-INP', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
    ]);
    made = await enrolledLearners(deps, { 'S-REM': 2, 'S-HYB': 1, 'S-INP': 1 });
    // Four Monday meetings of 2 h (31 August, 7, 14 and 21 September, 18:00 in Paris): 480 minutes.
    for (const code of ['S-REM', 'S-HYB', 'S-INP']) await courseEnding(database.db, code, { lastMeeting: '2026-09-21' });
    const modeOf = { 'S-REM': 'remote', 'S-HYB': 'hybrid' } as const;
    for (const s of await database.db.select().from(courseSessions)) sid[s.code] = s.id;
    for (const [code, mode] of Object.entries(modeOf)) {
      const [s] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, code));
      await database.db.update(courses).set({ mode }).where(eq(courses.id, s.courseId));
    }
    const all = Object.values(made).flatMap((m) => m.learners);
    emails = Object.fromEntries(
      await Promise.all(all.map(async (l) => [l.applicationId, (await database.db.select({ email: users.email }).from(users).where(eq(users.id, l.learnerId)))[0].email] as const)),
    );
    const a = await buildStaff(database.db, clock, 'admin');
    admin = { id: a.userId, role: 'admin' };
  });
  after(() => database.close());

  const email = (code: string, i = 0) => emails[made[code].learners[i].applicationId];

  it('a file with bad lines is refused whole with a line report: unknown learner, not enrolled, unknown session, in person, end before start, overlap, outside the session, bad dates', async () => {
    const other = await buildLearner(database.db, clock);
    const report = await problems(
      csv([
        `${email('S-REM')},S-REM,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`,
        `inconnu@example.org,S-REM,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`,
        `${other.email},S-REM,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`,
        `${email('S-REM')},S-NOPE,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`,
        `${email('S-INP')},S-INP,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`,
        `${email('S-REM')},S-REM,2026-09-02T10:00:00+02:00,2026-09-02T09:00:00+02:00`,
        `${email('S-REM')},S-REM,2026-09-01T10:30:00+02:00,2026-09-01T11:30:00+02:00`,
        `${email('S-REM')},S-REM,2026-09-25T10:00:00+02:00,2026-09-25T11:00:00+02:00`,
        `${email('S-REM')},S-REM,2026-09-03 10:00,2026-09-03T11:00:00+02:00`,
      ]),
    );
    assert.deepEqual(report, [
      '3:email:att.conn.err.unknownLearner',
      '4:email:att.conn.err.notEnrolled',
      '5:session:att.conn.err.unknownSession',
      '6:session:att.conn.err.notRemote',
      '7:end:att.conn.err.endBeforeStart',
      '9:start:att.conn.err.outsideSession',
      '10:start:att.conn.err.timestamp',
    ]);
    assert.equal(await rowCount(), 0, 'nothing written');
    // The lines' own checks passed: the overlap within the file is then reported.
    const overlap = await problems(
      csv([`${email('S-REM')},S-REM,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`, `${email('S-REM')},S-REM,2026-09-01T10:30:00+02:00,2026-09-01T11:30:00+02:00`]),
    );
    assert.deepEqual(overlap, ['3:start:att.conn.err.overlapInFile']);
  });

  it('a file that is not a UTF-8 CSV, holds NUL bytes, misses columns, is empty or too long is refused, never an error', async () => {
    assert.deepEqual(await problems(Buffer.from('email,session,start,end\nlea@example.org,S-REM,\u0000,x\n')), ['2::att.conn.err.nul']);
    assert.deepEqual(await problems(Buffer.from([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x0a, 0xe9, 0xe8, 0x0a])), ['0::att.conn.err.encoding']);
    assert.deepEqual(await problems(Buffer.from('email,session,debut\nx,y,z\n')), ['1::att.conn.err.missingColumns', '1::att.conn.err.unknownColumns']);
    assert.deepEqual(await problems(Buffer.from('email,session,start,end\n"a,b,c,d\n')), ['2::att.conn.err.csv']);
    assert.deepEqual(await problems(Buffer.alloc(0)), ['0::att.conn.err.empty']);
    assert.deepEqual(await problems(Buffer.from('email,session,start,end\n')), ['0::att.conn.err.noLines']);
    assert.deepEqual(await problems(Buffer.from(`email,session,start,end\n${'a,b,c,d\n'.repeat(20_001)}`)), ['0::att.conn.err.tooMany']);
    assert.deepEqual(await problems(Buffer.from('%PDF-1.4\n1 0 obj\n')), ['1::att.conn.err.missingColumns', '1::att.conn.err.unknownColumns']);
  });

  it('a trainer imports the connections of their own session only; a learner may not import', async () => {
    const trainer: Importer = { id: made['S-REM'].trainer.userId, role: 'trainer' };
    assert.deepEqual(await problems(csv([`${email('S-HYB')},S-HYB,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`]), trainer), ['2:session:att.conn.err.outOfScope']);
    const learner = made['S-REM'].learners[0];
    assert.deepEqual(await run(csv([]), { importer: { id: learner.learnerId, role: 'learner' } }), { ok: false, code: 'forbidden' });
  });

  it('ATT-4 imported, connections count toward the remote unit’s attendance; the same file again adds nothing; an overlap with what is recorded is refused; a correction supersedes, with its audit trail', async () => {
    const [lea] = made['S-REM'].learners;
    const file = csv([
      `${email('S-REM')},S-REM,2026-09-01T10:00:00+02:00,2026-09-01T12:00:00+02:00`,
      `${email('S-REM')},S-REM,2026-09-03T18:00:00+02:00,2026-09-03T19:30:00+02:00`,
    ]);
    const first = await run(file, { importer: { id: made['S-REM'].trainer.userId, role: 'trainer' } });
    assert.ok(first.ok, JSON.stringify(first));
    assert.deepEqual([first.lines, first.added, first.unchanged, first.superseded], [2, 2, 0, 0]);
    const again = await run(file);
    assert.ok(again.ok);
    assert.deepEqual([again.added, again.unchanged], [0, 2], 'idempotent: no double count');
    assert.equal(await rowCount(), 2);

    clock.set(new Date('2026-09-08T08:00:00Z'));
    const a = (await attendanceOf(database.db, clock.now(), defaultPolicies, [{ id: lea.applicationId, sessionId: sid['S-REM'] }])).get(lea.applicationId)!;
    assert.deepEqual([a.heldMinutes, a.connectedMinutes, a.attendedMinutes, a.soFarPercent], [240, 210, 210, 87]);
    assert.deepEqual(a.unmarkedMeetingIds, [], 'a remote session owes no register');

    assert.deepEqual(await problems(csv([`${email('S-REM')},S-REM,2026-09-01T11:00:00+02:00,2026-09-01T12:30:00+02:00`])), ['2:start:att.conn.err.overlapRecorded']);
    const fixed = await run(csv([`${email('S-REM')},S-REM,2026-09-01T11:00:00+02:00,2026-09-01T12:30:00+02:00`]), { replace: true });
    assert.ok(fixed.ok, JSON.stringify(fixed));
    assert.deepEqual([fixed.added, fixed.superseded], [1, 2]);
    const rows = await database.db.select().from(connections).where(eq(connections.applicationId, lea.applicationId));
    assert.equal(rows.length, 3, 'append-only: the superseded connections stay');
    assert.equal(rows.filter((r) => r.supersededBy === fixed.importId).length, 2);
    assert.equal((await auditRowsOf(database.db, { subjectId: fixed.importId, action: 'attendance.connectionsImported' })).length, 1);
    const after = (await attendanceOf(database.db, clock.now(), defaultPolicies, [{ id: lea.applicationId, sessionId: sid['S-REM'] }])).get(lea.applicationId)!;
    assert.equal(after.connectedMinutes, 90);
  });

  it('ATT-4 CERT-2 a remote learner with enough connection hours meets the attendance condition of the end of the course; one without does not; no register is owed', async () => {
    const [lea, paul] = made['S-REM'].learners;
    // Léa: 6 h of the 8 h scheduled (75 %) in all, with the correction's 1 h 30.
    const more = await run(csv([`${email('S-REM')},S-REM,2026-09-08T09:00:00+02:00,2026-09-08T12:00:00+02:00`, `${email('S-REM')},S-REM,2026-09-10T09:00:00+02:00,2026-09-10T10:30:00+02:00`]));
    assert.ok(more.ok, JSON.stringify(more));
    clock.set(new Date('2026-09-22T08:00:00Z'));
    const sessionId = sid['S-REM'];
    assert.deepEqual((await missingRegisters(database.db, clock.now(), [sessionId])).get(sessionId), []);
    const computed = await computeOutcomes(deps, sessionId);
    assert.equal(computed.ok, true, JSON.stringify(computed));
    const outcomes = new Map((await database.db.select().from(courseOutcomes).where(eq(courseOutcomes.sessionId, sessionId))).map((o) => [o.applicationId, o]));
    assert.deepEqual([outcomes.get(lea.applicationId)!.attendedMinutes, outcomes.get(lea.applicationId)!.plannedMinutes, outcomes.get(lea.applicationId)!.attendanceCertified], [360, 480, true]);
    assert.equal(outcomes.get(paul.applicationId)!.attendanceCertified, false);
  });

  it('hybrid: a register and connections add up, the meeting’s time not counted twice; in person, registers are still owed', async () => {
    const [hugo] = made['S-HYB'].learners;
    await meetingsOf(database.db, [sid['S-HYB']]);
    const [meeting] = await meetingRows(database.db, sid['S-HYB']);
    const after = (minutes: number) => new Date(meeting.startsAt.getTime() + minutes * 60_000).toISOString();
    await submitRegister(database.db, clock, meeting, made['S-HYB'].trainer.userId, [{ applicationId: hugo.applicationId, mark: 'present' }]);
    // Connected during the first meeting (18:00-20:00) and one hour after it.
    const imported = await run(csv([`${email('S-HYB')},S-HYB,${after(0)},${after(180)}`]));
    assert.ok(imported.ok, JSON.stringify(imported));
    const a = (await attendanceOf(database.db, clock.now(), defaultPolicies, [{ id: hugo.applicationId, sessionId: sid['S-HYB'] }])).get(hugo.applicationId)!;
    assert.deepEqual([a.attendedMinutes, a.connectedMinutes], [180, 60]);
    assert.equal(a.unmarkedMeetingIds.length, 3, 'the hybrid unit still owes its registers');
    const inPerson = made['S-INP'].learners[0];
    assert.equal((await missingRegisters(database.db, clock.now(), [sid['S-INP']])).get(sid['S-INP'])!.length, 4);
  });

  it('the learner sees their connection hours and rate, only their own', async () => {
    const [lea] = made['S-REM'].learners;
    const lines = await learnerConnections({ db: database.db, clock, policies: defaultPolicies }, lea.learnerId);
    assert.deepEqual(
      lines.map((l) => [l.sessionCode, l.connectedMinutes, l.soFarPercent, l.connections.length]),
      [['S-REM', 360, 75, 3]],
    );
    const inPerson = made['S-INP'].learners[0];
    assert.deepEqual(await learnerConnections({ db: database.db, clock, policies: defaultPolicies }, inPerson.learnerId), [], 'an in-person unit has no connection hours');
  });

  it('the command line imports as the service, with the report file:line: column: message in English', async () => {
    const bad = await importConnectionsCommand(deps, { fileName: 'platform.csv', content: csv([`nobody@example.org,S-REM,2026-09-01T10:00:00+02:00,2026-09-01T11:00:00+02:00`]), replace: false });
    assert.equal(bad.code, 1);
    assert.deepEqual(bad.stderr, ['The file was refused; nothing was imported:', '  platform.csv:2: email: No learner has this email address.']);
    const good = await importConnectionsCommand(deps, { fileName: 'platform.csv', content: csv([`${email('S-REM', 1)},S-REM,2026-09-02T10:00:00+02:00,2026-09-02T11:00:00+02:00`]), replace: false });
    assert.equal(good.code, 0, JSON.stringify(good));
    assert.match(good.stdout[0], /1 lines, 1 added, 0 already known, 0 replaced/);
  });
});
