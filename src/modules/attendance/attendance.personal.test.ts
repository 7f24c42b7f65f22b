import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq, inArray } from 'drizzle-orm';
import { buildStaff } from '../../../test/app';
import { confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { markIn } from '../../../test/history';
import { assertEveryColumnClassified, assertSections, forgetIn, sectionRows } from '../../../test/personal-data';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { courseSessions } from '../catalogue/catalogue.table';
import { attendanceDataSets } from './attendance.personal';
import { attendanceEntries, attendanceIncidents, calendarFeeds, connectionImports, connections, incidentEvents, meetings, registerSubmissions } from './attendance.table';

const [set] = attendanceDataSets;

describe('ACC-11, ACC-14 the attendance’s personal data: download, closure', () => {
  let database: Database;
  let clock: FixedClock;
  let deps: { db: Database['db']; clock: FixedClock; baseUrl: string };
  let trainerId: string;
  let sessionId: number;
  let meetingIds: number[];

  before(async () => {
    database = await createTestDatabase();
    clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [{ code: 'ADS1', weekday: 1, startsAt: '18:30', endsAt: '20:30' }]);
    trainerId = (await buildStaff(database.db, clock, 'trainer')).userId;
    [{ id: sessionId }] = await database.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'ADS1'));
    const rows = await database.db
      .insert(meetings)
      .values([
        { sessionId, startsAt: new Date('2026-08-24T16:30:00Z'), plannedMinutes: 120 },
        { sessionId, startsAt: new Date('2026-08-31T16:30:00Z'), plannedMinutes: 120 },
      ])
      .returning();
    meetingIds = rows.map((m) => m.id);
  });
  after(() => database.close());

  /** A learner marked in both meetings (absent from the second), with an incident and its events, a calendar feed and a connection (its second one superseded by a correction). */
  async function attending() {
    const [applicant] = await confirmedApplicants(deps, 'ADS1', 1);
    const { applicationId, learnerId } = applicant;
    const db = database.db;
    await markIn(db, clock, { meetingId: meetingIds[0], applicationId, by: trainerId, mark: 'late', minutesAttended: 100, minutesMissed: 20 });
    await markIn(db, clock, { meetingId: meetingIds[1], applicationId, by: trainerId, mark: 'absent', minutesAttended: 0 });
    const [incident] = await db
      .insert(attendanceIncidents)
      .values({ applicationId, sessionId, kind: 'first_meetings', streakStartMeetingId: meetingIds[1], status: 'closed', raisedAt: clock.now(), closedAt: clock.now() })
      .returning();
    await db.insert(incidentEvents).values([
      { incidentId: incident.id, at: clock.now(), event: 'raised', data: { count: 1, meetingIds: [meetingIds[1]] } },
      { incidentId: incident.id, at: clock.now(), event: 'closed', actorId: trainerId },
    ]);
    await db.insert(calendarFeeds).values({ learnerId, tokenHash: `feed-hash-${learnerId}`, createdAt: clock.now() });
    const [first, correction] = await db
      .insert(connectionImports)
      .values([
        { importedAt: clock.now(), fileName: 'lms.csv', sha256: 'a', lines: 1, added: 1, unchanged: 0, superseded: 0 },
        { importedAt: clock.now(), fileName: 'lms-fix.csv', sha256: 'b', replace: true, lines: 1, added: 1, unchanged: 0, superseded: 1 },
      ])
      .returning();
    await db.insert(connections).values([
      { importId: first.id, applicationId, sessionId, startsAt: new Date('2026-08-24T16:30:00Z'), endsAt: new Date('2026-08-24T17:30:00Z'), minutes: 60, supersededBy: correction.id },
      { importId: correction.id, applicationId, sessionId, startsAt: new Date('2026-08-24T16:30:00Z'), endsAt: new Date('2026-08-24T18:00:00Z'), minutes: 90 },
    ]);
    return { ...applicant, incidentId: incident.id };
  }

  const rowsOf = async (learner: { applicationId: string; learnerId: string; incidentId: string }) => ({
    entries: await database.db.select().from(attendanceEntries).where(eq(attendanceEntries.applicationId, learner.applicationId)),
    incidents: await database.db.select().from(attendanceIncidents).where(eq(attendanceIncidents.applicationId, learner.applicationId)),
    events: await database.db.select().from(incidentEvents).where(eq(incidentEvents.incidentId, learner.incidentId)),
    feeds: await database.db.select().from(calendarFeeds).where(eq(calendarFeeds.learnerId, learner.learnerId)),
    connections: await database.db.select().from(connections).where(eq(connections.applicationId, learner.applicationId)),
  });

  it('ACC-14 every column of the attendance’s tables is declared, personal (with its purpose, period and end) or other', () => {
    assertEveryColumnClassified(attendanceDataSets, [meetings, registerSubmissions, attendanceEntries, attendanceIncidents, incidentEvents, calendarFeeds, connectionImports, connections]);
  });

  it('ACC-11 the download holds the learner’s marks meeting by meeting, their incidents with their history, their connections (superseded ones marked) and their calendar feed, not another learner’s, and not the feed’s secret', async () => {
    const mine = await attending();
    const theirs = await attending();
    const sections = await set.exportOf(database.db, mine.learnerId);
    assertSections(sections, [theirs.applicationId, `feed-hash-${mine.learnerId}`]);
    assert.deepEqual(
      sectionRows(sections, 'attendance').map((e) => [(e.meetingStartsAt as Date).toISOString(), e.mark, e.minutesAttended, e.minutesMissed]),
      [
        ['2026-08-24T16:30:00.000Z', 'late', 100, 20],
        ['2026-08-31T16:30:00.000Z', 'absent', 0, 0],
      ],
    );
    assert.deepEqual(
      sectionRows(sections, 'attendanceIncidents').map((i) => [i.kind, i.status, (i.events as { event: string }[]).map((e) => e.event)]),
      [['first_meetings', 'closed', ['raised', 'closed']]],
    );
    assert.equal(sectionRows(sections, 'calendarFeed').length, 1);
    assert.deepEqual(
      sectionRows(sections, 'connections').map((c) => [c.minutes, c.superseded]),
      [
        [60, true],
        [90, false],
      ],
    );
    assert.equal(set.blocksClosure, undefined, 'nothing of the attendance stops a closure (holding a place is the applications’ block)');
  });

  it('ACC-11 the closure deletes the learner’s register entries, incidents, connections and calendar feed, the registers stay submitted; twice changes nothing; another learner keeps theirs', async () => {
    const mine = await attending();
    const theirs = await attending();
    const theirsBefore = await rowsOf(theirs);
    const submissions = await database.db.select().from(registerSubmissions).where(inArray(registerSubmissions.meetingId, meetingIds));
    await forgetIn(database.db, attendanceDataSets, mine.learnerId, clock);
    const empty = { entries: [], incidents: [], events: [], feeds: [], connections: [] };
    assert.deepEqual(await rowsOf(mine), empty);
    await forgetIn(database.db, attendanceDataSets, mine.learnerId, clock);
    assert.deepEqual(await rowsOf(mine), empty);
    assert.deepEqual(await rowsOf(theirs), theirsBefore);
    assert.equal((await database.db.select().from(registerSubmissions).where(inArray(registerSubmissions.meetingId, meetingIds))).length, submissions.length, 'the meetings’ registers stay submitted');
  });
});
