import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { enrolledLearners } from '../../../test/attendance';
import { buildCatalogue } from '../../../test/catalogue';
import { courses, courseSessions } from '../catalogue/catalogue.table';
import { calendarFeeds, meetings } from './attendance.table';
import { meetingsOf, type MeetingRow } from './meetings.service';

const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';
const BASE = 'http://localhost:3000';
const TITLE = 'Français langue étrangère — écrire, lire et parler au quotidien : débutant·e·s ✓';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
/** The events of a calendar, each as its unfolded property lines. */
const eventsOf = (ics: string) => [...unfold(ics).matchAll(/BEGIN:VEVENT\r\n([\s\S]*?)\r\nEND:VEVENT/g)].map((m) => m[1].split('\r\n'));
const prop = (event: string[], name: string) => event.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`))?.replace(/^[^:]*:/, '');
const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const feedUrlIn = (html: string) => decode(/id="feed-url"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? /value="([^"]+)"[^>]*id="feed-url"/.exec(html)![1]);

describe('calendars: a session’s .ics file and the learner’s private feed (CAT-8)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let rows: MeetingRow[];
  const deps = () => ({ db: t.db, clock: t.clock, baseUrl: BASE, secret: TEST_SECRET, cashOffice: 'Régie CMA et AE' });
  const browser = () => new Client(t.app);

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'CAL-A', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'CAL-B', weekday: 3, startsAt: '09:30', endsAt: '12:00' },
      { code: 'CAL-C', weekday: 4, startsAt: '14:00', endsAt: '16:00' },
    ]);
    await t.db.update(courses).set({ title: TITLE }).where(eq(courses.code, 'C-CAL-A'));
    made = await enrolledLearners(deps(), { 'CAL-A': 2, 'CAL-B': 1 });
    const [id] = (await t.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'CAL-A'))).map((r) => r.id);
    rows = (await meetingsOf(t.db, [id])).get(id)!;
    // The service cancels the third meeting (the cancelling screen is another part's: set directly).
    await t.db.update(meetings).set({ cancelledAt: t.clock.now(), cancelReason: 'Travaux dans l’école, salle fermée' }).where(eq(meetings.id, rows[2].id));
  });
  after(() => t.close());

  it('CAT-8 a session’s .ics file: one event per meeting, its start in UTC and its planned length, the course, the school’s address, a link to the sheet', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/formations/C-CAL-A/sessions/CAL-A/calendrier.ics' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.match(String(response.headers['content-disposition']), /filename="seances-CAL-A\.ics"/);
    const ics = response.body;
    assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'));
    assert.ok(ics.trimEnd().endsWith('END:VCALENDAR'));
    const events = eventsOf(ics);
    assert.ok(rows.length > 10);
    assert.equal(events.length, rows.length, 'one VEVENT per meeting');
    for (const [i, event] of events.entries()) {
      assert.equal(prop(event, 'DTSTART'), utc(rows[i].startsAt));
      assert.match(prop(event, 'DTSTART')!, /^\d{8}T\d{6}Z$/);
      assert.equal(prop(event, 'DURATION'), 'PT2H');
      assert.equal(prop(event, 'UID'), `seance-${rows[i].id}@localhost:3000`);
      assert.equal(prop(event, 'LOCATION'), 'École test\\, 1 rue Test\\, 75011 Paris');
      assert.equal(prop(event, 'URL'), `${BASE}/formations/C-CAL-A#CAL-A`);
    }
    // 18:00 in Paris: 16:00 or 17:00 UTC (summer or winter time).
    assert.ok(events.every((e) => /T1[67]0000Z$/.test(prop(e, 'DTSTART')!)));
    assert.equal(prop(events[0], 'SUMMARY'), TITLE.replace(/,/g, '\\,'));
    assert.equal(prop(events[0], 'STATUS'), 'CONFIRMED');
    // The same meeting keeps its UID from one download to the next.
    const again = eventsOf((await t.app.inject({ method: 'GET', url: '/formations/C-CAL-A/sessions/CAL-A/calendrier.ics' })).body);
    assert.deepEqual(again.map((e) => prop(e, 'UID')), events.map((e) => prop(e, 'UID')));
  });

  it('CAT-8 a meeting the service cancelled is in the file as cancelled, with the reason', async () => {
    const events = eventsOf((await t.app.inject({ method: 'GET', url: '/formations/C-CAL-A/sessions/CAL-A/calendrier.ics' })).body);
    const cancelled = events.filter((e) => prop(e, 'STATUS') === 'CANCELLED');
    assert.equal(cancelled.length, 1);
    assert.equal(prop(cancelled[0], 'UID'), `seance-${rows[2].id}@localhost:3000`);
    assert.equal(prop(cancelled[0], 'SEQUENCE'), '1');
    assert.match(prop(cancelled[0], 'SUMMARY')!, /^Annulée — Français/);
    assert.match(prop(cancelled[0], 'DESCRIPTION')!, /Séance annulée par le service : Travaux dans l’école\\, salle fermée/);
  });

  it('SVC-2 CAT-8 a session the service cancelled: every meeting of its public file is cancelled, one version more (a meeting cancelled before, one more again)', async () => {
    const url = '/formations/C-CAL-C/sessions/CAL-C/calendrier.ics';
    const [id] = (await t.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'CAL-C'))).map((r) => r.id);
    const planned = (await meetingsOf(t.db, [id])).get(id)!;
    await t.db.update(meetings).set({ cancelledAt: t.clock.now(), cancelReason: 'Formateur absent' }).where(eq(meetings.id, planned[0].id));
    const before = eventsOf((await t.app.inject({ method: 'GET', url })).body);
    assert.deepEqual([prop(before[1], 'STATUS'), prop(before[1], 'SEQUENCE')], ['CONFIRMED', '0']);
    // The cancellation is the cancellations module's (set directly here, as the meeting above).
    await t.db.update(courseSessions).set({ cancelledAt: t.clock.now() }).where(eq(courseSessions.id, id));
    const events = eventsOf((await t.app.inject({ method: 'GET', url })).body);
    assert.equal(events.length, planned.length);
    assert.deepEqual(events.map((e) => prop(e, 'UID')), before.map((e) => prop(e, 'UID')), 'the same events');
    assert.ok(events.every((e) => prop(e, 'STATUS') === 'CANCELLED'));
    assert.deepEqual([...new Set(events.slice(1).map((e) => prop(e, 'SEQUENCE')))], ['1']);
    assert.equal(prop(events[0], 'SEQUENCE'), '2', 'the meeting cancelled before: one version more');
    assert.match(prop(events[1], 'SUMMARY')!, /^Annulée — Cours C-CAL-C/);
    assert.match(prop(events[1], 'DESCRIPTION')!, /Session annulée par le service/);
  });

  it('CAT-8 a unicode title is folded at 75 octets, never inside a character, and reads back whole', async () => {
    const ics = (await t.app.inject({ method: 'GET', url: '/formations/C-CAL-A/sessions/CAL-A/calendrier.ics' })).body;
    const lines = ics.split('\r\n');
    for (const line of lines) assert.ok(Buffer.byteLength(line) <= 75, `${Buffer.byteLength(line)} octets: ${line}`);
    assert.ok(lines.some((l) => l.startsWith(' ')), 'long lines are folded');
    assert.ok(unfold(ics).includes(`SUMMARY:${TITLE.replace(/,/g, '\\,')}\r\n`));
    // The text as the octets go on the wire decodes to the same text (no broken character).
    assert.equal(Buffer.from(ics, 'utf8').toString('utf8'), ics);
  });

  it('CAT-8 the course sheet links each session to its .ics file', async () => {
    const html = (await t.app.inject({ method: 'GET', url: '/formations/C-CAL-A' })).body;
    assert.ok(html.includes('href="/formations/C-CAL-A/sessions/CAL-A/calendrier.ics"'));
  });

  it('CAT-8 a session of another course, an unknown one or odd input is the 404 page, never a 500', async () => {
    for (const url of [
      '/formations/C-CAL-A/sessions/CAL-B/calendrier.ics',
      '/formations/C-CAL-A/sessions/NOPE/calendrier.ics',
      '/formations/NOPE/sessions/CAL-A/calendrier.ics',
      '/formations/C-CAL-A/sessions/%00/calendrier.ics',
      '/formations/C-CAL-A/sessions/%ZZ/calendrier.ics',
      `/formations/C-CAL-A/sessions/${'A'.repeat(400)}/calendrier.ics`,
      '/formations/C-CAL-A/sessions/..%2F..%2Fetc/calendrier.ics',
      '/formations/C-CAL-A/sessions/CAL-A%20/calendrier.ics',
    ]) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url}: ${response.statusCode}`);
    }
  });

  it('CAT-8 the learner makes a private feed, opens it without logging in, renews it, and the old URL stops answering', async () => {
    const learner = made['CAL-A'].learners[0];
    const b = browser();
    await b.login(learner.email);
    const first = await b.get('/compte/calendrier');
    assert.equal(first.statusCode, 200);
    assert.ok(first.body.includes('Créer mon lien de calendrier'));
    const created = await b.submit('/compte/calendrier', '/compte/calendrier', {});
    assert.equal(created.statusCode, 200);
    assert.equal(created.headers['cache-control'], 'no-store');
    const url = feedUrlIn(created.body);
    assert.match(url, /^http:\/\/localhost:3000\/calendrier\/[A-Za-z0-9_-]{43}\.ics$/);
    const [stored] = await t.db.select().from(calendarFeeds).where(eq(calendarFeeds.learnerId, learner.learnerId));
    assert.ok(!url.includes(stored.tokenHash) && stored.tokenHash.length === 64, 'only the hash is kept');
    // The page, reloaded, no longer shows it.
    assert.ok(!(await b.get('/compte/calendrier')).body.includes(url));

    const path = new URL(url).pathname;
    const feed = await t.app.inject({ method: 'GET', url: path });
    assert.equal(feed.statusCode, 200);
    assert.equal(feed.headers['content-type'], 'text/calendar; charset=utf-8');
    assert.equal(feed.headers['cache-control'], 'private, no-store');
    assert.match(String(feed.headers['content-disposition']), /filename="mes-cours\.ics"/);
    const events = eventsOf(feed.body);
    assert.deepEqual(events.map((e) => prop(e, 'UID')), rows.map((r) => `seance-${r.id}@localhost:3000`), 'every meeting of the enrolled session, no one else’s');
    assert.equal(events.filter((e) => prop(e, 'STATUS') === 'CANCELLED').length, 1, 'cancellations included');

    const renewed = await b.submit('/compte/calendrier', '/compte/calendrier', {});
    assert.ok(renewed.body.includes('l’ancien ne fonctionne plus'));
    const next = new URL(feedUrlIn(renewed.body)).pathname;
    assert.notEqual(next, path);
    assert.equal((await t.app.inject({ method: 'GET', url: path })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'GET', url: next })).statusCode, 200);
  });

  it('CAT-8 the feed holds the sessions where the learner has a place, and nobody else’s', async () => {
    const other = made['CAL-B'].learners[0];
    const b = browser();
    await b.login(other.email);
    const page = await b.submit('/compte/calendrier', '/compte/calendrier', {});
    assert.ok(page.body.includes('Cours C-CAL-B'));
    assert.ok(!page.body.includes(TITLE.slice(0, 20)));
    const events = eventsOf((await t.app.inject({ method: 'GET', url: new URL(feedUrlIn(page.body)).pathname })).body);
    assert.ok(events.length > 0);
    assert.ok(events.every((e) => prop(e, 'SUMMARY') === 'Cours C-CAL-B' && prop(e, 'DURATION') === 'PT2H30M'));
  });

  it('CAT-8 the private feed is rate-limited per feed (60 in 10 minutes), not per address: another learner’s feed still answers', async () => {
    const make = async (email: string) => {
      const b = browser();
      await b.login(email);
      return new URL(feedUrlIn((await b.submit('/compte/calendrier', '/compte/calendrier', {})).body)).pathname;
    };
    const busy = await make(made['CAL-A'].learners[1].email);
    const quiet = await make(made['CAL-B'].learners[0].email);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await t.app.inject({ method: 'GET', url: busy })).statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, 60);
    assert.equal(statuses.at(-1), 429);
    assert.equal((await t.app.inject({ method: 'GET', url: quiet })).statusCode, 200);
  });

  it('CAT-8 a wrong token, a malformed one or odd input is the 404 page, never a 500', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: `/calendrier/${'A'.repeat(43)}.ics` });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.headers['cache-control'], 'no-store');
    for (const url of ['/calendrier/' + 'A'.repeat(43) + '.ics', '/calendrier/abc.ics', '/calendrier/' + 'A'.repeat(43), '/calendrier/%00.ics', '/calendrier/%ZZ.ics', `/calendrier/${'é'.repeat(43)}.ics`, '/calendrier/']) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url}: ${response.statusCode}`);
    }
  });

  it('CAT-8 the feed’s page is the learner’s: anonymous goes to the login, staff are refused, a POST without its CSRF token changes nothing', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/compte/calendrier' });
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/connexion\?retour=/);
    const staff = await buildStaff(t.db, t.clock, 'coordinator');
    const s = browser();
    await s.loginStaff(staff.email, staff.totpSecret, t.clock);
    assert.equal((await s.get('/compte/calendrier')).statusCode, 403);
    const learner = await buildLearner(t.db, t.clock);
    const b = browser();
    await b.login(learner.email);
    const forged = await b.post('/compte/calendrier', {});
    assert.equal(forged.statusCode, 403);
    assert.equal((await t.db.select().from(calendarFeeds).where(eq(calendarFeeds.learnerId, learner.id))).length, 0);
  });
});
