import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attendance, connectedMinutes, meetsAttendance, type MeetingFact } from './attendance.rules';
import { checkConnectionLine, enrolmentKey, parseTimestamp, planConnections, type CheckedConnection, type LineFacts, type SessionFacts } from './connections.rules';

const policies = { justifiedAbsenceCountsAsPresence: 0, attendanceCertificatePercent: 75 } as const;
const at = (iso: string) => new Date(iso);
const period = (from: string, to: string) => ({ startsAt: at(from), endsAt: at(to) });
/** Four weekly meetings of 2 h in October (held before the 30th). */
const meetings: MeetingFact[] = [1, 8, 15, 22].map((d, i) => ({ id: i + 1, startsAt: at(`2026-10-${String(d).padStart(2, '0')}T16:30:00Z`), plannedMinutes: 120, cancelled: false }));
const now = at('2026-10-30T12:00:00Z');

describe('remote attendance rules (issue 18)', () => {
  it('ATT-4 a remote unit counts the connection minutes toward the scheduled minutes, capped at 100 %, without registers owed', () => {
    const connections = [period('2026-10-02T08:00:00Z', '2026-10-02T11:00:00Z'), period('2026-10-10T08:00:00Z', '2026-10-10T11:00:00Z')];
    const a = attendance(meetings, [], now, policies, { connections, registersOwed: false });
    assert.equal(a.heldMinutes, 480);
    assert.equal(a.connectedMinutes, 360);
    assert.equal(a.attendedMinutes, 360);
    assert.equal(a.soFarPercent, 75);
    assert.equal(meetsAttendance(a.attendedMinutes, a.heldMinutes, policies), true, '6 h of 8: exactly 75 %');
    assert.deepEqual(a.unmarkedMeetingIds, [], 'a remote session owes no register');
    const much = attendance(meetings, [], now, policies, { connections: [period('2026-10-02T00:00:00Z', '2026-10-02T23:00:00Z')], registersOwed: false });
    assert.equal(much.attendedMinutes, 480, 'capped at the minutes held');
    assert.equal(much.soFarPercent, 100);
    assert.equal(much.connectedMinutes, 1380);
  });

  it('ATT-4 one minute short of 75 % does not meet the condition; without connections nothing changes for registers', () => {
    const a = attendance(meetings, [], now, policies, { connections: [period('2026-10-02T08:00:00Z', '2026-10-02T13:59:00Z')], registersOwed: false });
    assert.equal(a.attendedMinutes, 359);
    assert.equal(meetsAttendance(a.attendedMinutes, a.heldMinutes, policies), false);
    const inPerson = attendance(meetings, [], now, policies);
    assert.equal(inPerson.connectedMinutes, 0);
    assert.deepEqual(inPerson.unmarkedMeetingIds, [1, 2, 3, 4], 'an in-person session still owes its registers');
  });

  it('ATT-4 hybrid: registers and connections add up, the time of a meeting the register credits is not counted twice', () => {
    const marks = [{ meetingId: 1, mark: 'present' as const, minutesAttended: 120 }];
    // Connected during the first meeting (16:30-18:30) and one hour after it.
    const a = attendance(meetings, marks, now, policies, { connections: [period('2026-10-01T16:30:00Z', '2026-10-01T19:30:00Z')], registersOwed: true });
    assert.equal(a.connectedMinutes, 60);
    assert.equal(a.attendedMinutes, 180);
    // Absent from the meeting: the connection during it counts.
    const absent = attendance(meetings, [{ meetingId: 1, mark: 'absent', minutesAttended: 0 }], now, policies, { connections: [period('2026-10-01T16:30:00Z', '2026-10-01T19:30:00Z')], registersOwed: true });
    assert.equal(absent.connectedMinutes, 180);
    assert.deepEqual(absent.unmarkedMeetingIds, [2, 3, 4]);
  });

  it('connections count up to now only, and overlapping ones count their time once', () => {
    assert.equal(connectedMinutes([period('2026-10-30T11:00:00Z', '2026-10-30T13:00:00Z')], [], now), 60);
    assert.equal(connectedMinutes([period('2026-10-01T10:00:00Z', '2026-10-01T11:00:00Z'), period('2026-10-01T10:30:00Z', '2026-10-01T11:30:00Z')], [], now), 90);
    assert.equal(connectedMinutes([period('2026-10-01T10:00:00Z', '2026-10-01T10:00:59Z')], [], now), 0, 'whole minutes');
  });

  it('timestamps are ISO 8601 with their offset, real days and hours only', () => {
    assert.equal(parseTimestamp('2026-10-20T18:30:00+02:00')?.toISOString(), '2026-10-20T16:30:00.000Z');
    assert.equal(parseTimestamp('2026-10-20T16:30Z')?.toISOString(), '2026-10-20T16:30:00.000Z');
    for (const bad of ['2026-10-20T18:30:00', '2026-10-20', '2026-02-30T10:00:00Z', '2026-13-01T10:00:00Z', '2026-10-20T24:00:00Z', '20/10/2026 18:30', '2026-10-20T18:30:00+25:00', ''])
      assert.equal(parseTimestamp(bad), null, bad);
  });

  const session = (over: Partial<SessionFacts> = {}): SessionFacts => ({ id: 7, mode: 'remote', from: at('2026-09-30T22:00:00Z'), until: at('2027-01-15T23:00:00Z'), inScope: true, ...over });
  const facts = (over: Partial<LineFacts> = {}): LineFacts => ({
    sessions: new Map([['NFA031-S1', session()], ['MTP-1', session({ id: 8, mode: 'in_person' })], ['OTHER', session({ id: 9, inScope: false })]]),
    enrolments: new Map([[enrolmentKey(7, 'lea@example.org'), 'app-1']]),
    knownEmails: new Set(['paul@example.org']),
    ...over,
  });
  const line = (over: Partial<{ email: string; session: string; start: string; end: string }> = {}) => ({ line: 2, email: 'Lea@Example.org', session: 'NFA031-S1', start: '2026-10-20T18:30:00+02:00', end: '2026-10-20T20:00:00+02:00', ...over });
  const problem = (l: ReturnType<typeof line>) => {
    const r = checkConnectionLine(l, facts());
    return r.ok ? null : r.problems.map((p) => `${p.column}:${p.message}`);
  };

  it('a line names an enrolled learner (by email, any case) of a remote session in scope, a period within its dates', () => {
    const ok = checkConnectionLine(line(), facts());
    assert.ok(ok.ok);
    assert.deepEqual([ok.row.applicationId, ok.row.sessionId, ok.row.minutes], ['app-1', 7, 90]);
    assert.deepEqual(problem(line({ email: 'nobody@example.org' })), ['email:att.conn.err.unknownLearner']);
    assert.deepEqual(problem(line({ email: 'paul@example.org' })), ['email:att.conn.err.notEnrolled']);
    assert.deepEqual(problem(line({ session: 'NOPE' })), ['session:att.conn.err.unknownSession']);
    assert.deepEqual(problem(line({ session: 'MTP-1' })), ['session:att.conn.err.notRemote']);
    assert.deepEqual(problem(line({ session: 'OTHER' })), ['session:att.conn.err.outOfScope']);
    assert.deepEqual(problem(line({ end: '2026-10-20T18:00:00+02:00' })), ['end:att.conn.err.endBeforeStart']);
    assert.deepEqual(problem(line({ end: '2026-10-20T18:30:00+02:00' })), ['end:att.conn.err.endBeforeStart'], 'an empty period');
    assert.deepEqual(problem(line({ end: '2026-10-22T18:30:00+02:00' })), ['end:att.conn.err.tooLong']);
    assert.deepEqual(problem(line({ start: '2026-09-30T18:30:00+02:00', end: '2026-09-30T19:30:00+02:00' })), ['start:att.conn.err.outsideSession']);
    assert.deepEqual(problem(line({ start: 'hier', end: '' })), ['start:att.conn.err.timestamp', 'end:att.conn.err.required']);
  });

  const row = (lineNo: number, applicationId: string, from: string, to: string): CheckedConnection => ({ line: lineNo, applicationId, sessionId: 7, ...period(from, to), minutes: 0 });

  it('overlapping periods of one learner are refused, within the file and with the connections already imported; the same line again is unchanged', () => {
    const a = row(2, 'app-1', '2026-10-20T10:00:00Z', '2026-10-20T11:00:00Z');
    const b = row(3, 'app-1', '2026-10-20T10:30:00Z', '2026-10-20T12:00:00Z');
    const c = row(4, 'app-2', '2026-10-20T10:30:00Z', '2026-10-20T12:00:00Z');
    const inFile = planConnections([a, b, c], [], false);
    assert.ok(!inFile.ok);
    assert.deepEqual(inFile.problems.map((p) => [p.line, p.message, p.params?.line]), [[3, 'att.conn.err.overlapInFile', 2]]);
    const touching = planConnections([a, row(3, 'app-1', '2026-10-20T11:00:00Z', '2026-10-20T12:00:00Z')], [], false);
    assert.ok(touching.ok, 'one ending when the next starts is no overlap');
    const recorded = [{ applicationId: 'app-1', ...period('2026-10-20T10:00:00Z', '2026-10-20T11:00:00Z') }];
    const again = planConnections([a], recorded, false);
    assert.ok(again.ok);
    assert.deepEqual([again.plan.add.length, again.plan.unchanged.length], [0, 1]);
    const clash = planConnections([row(2, 'app-1', '2026-10-20T10:30:00Z', '2026-10-20T11:30:00Z')], recorded, false);
    assert.ok(!clash.ok);
    assert.equal(clash.problems[0].message, 'att.conn.err.overlapRecorded');
  });

  it('a correction replaces the recorded connections of the enrolments it names, and changes nothing when they are the same', () => {
    const recorded = [{ applicationId: 'app-1', ...period('2026-10-20T10:00:00Z', '2026-10-20T11:00:00Z') }];
    const fixed = planConnections([row(2, 'app-1', '2026-10-20T10:30:00Z', '2026-10-20T11:30:00Z')], recorded, true);
    assert.ok(fixed.ok);
    assert.deepEqual([fixed.plan.supersede, fixed.plan.add.length], [['app-1'], 1]);
    const same = planConnections([row(2, 'app-1', '2026-10-20T10:00:00Z', '2026-10-20T11:00:00Z')], recorded, true);
    assert.ok(same.ok);
    assert.deepEqual([same.plan.supersede, same.plan.add.length, same.plan.unchanged.length], [[], 0, 1]);
  });
});
