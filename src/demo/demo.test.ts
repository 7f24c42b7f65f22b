import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from 'otplib';
import { sql } from 'drizzle-orm';
import { Client, startTestApp, TEST_SECRET, type TestApp } from '../../test/app';
import { DEMO_LEARNER, DEMO_PASSWORD, demoStaff, seedDemo, seedEverything } from './seed';

describe('demo', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('the development mailbox shows the current TOTP code of each demo staff account, once the demo exists', async () => {
    const browser = new Client(t.app);
    assert.doesNotMatch((await browser.get('/dev/courriels')).body, /demo\.cursus\.fr/, 'no demo yet: no codes');
    await seedDemo(t.db, t.clock);
    const page = (await browser.get('/dev/courriels')).body;
    const epoch = Math.floor(t.clock.now().getTime() / 1000);
    for (const staff of demoStaff) {
      const code = await generate({ secret: staff.totpSecret, epoch });
      assert.ok(page.includes(`${staff.email} (${staff.role}) : <strong>${code}</strong>`), staff.email);
    }
  });
});

describe('demo of issue 13 (a day of term: school holidays do not hide the meetings held)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-12-01T10:00:00Z') });
    await seedDemo(t.db, t.clock);
  });
  after(() => t.close());

  it('ATT-1 ATT-2 CERT-6 the demo has a session under way whose latest register awaits the trainer, a learner three meetings absent, and the demo learner eligible for the next level', async () => {
    const said = (await seedEverything(t.db, t.clock, { baseUrl: 'http://localhost', secret: TEST_SECRET, cashOffice: 'Régie CMA et AE', catalogueSize: 400 })).join('\n');
    const session = /Attendance demo: session (\S+) is under way/.exec(said)?.[1];
    assert.ok(session, said);
    assert.match(said, /Certification demo: the demo learner passed \S+ last year; "Mon niveau suivant" offers \S+\./);
    const trainer = new Client(t.app);
    const staff = demoStaff.find((s) => s.role === 'trainer')!;
    await trainer.loginStaff(staff.email, staff.totpSecret, t.clock, DEMO_PASSWORD);
    const meetings = await trainer.get(`/personnel/sessions/${session}/registres`);
    assert.match(meetings.body, /registres\/\d+/, `the meetings link to their registers: ${meetings.statusCode} ${meetings.body.slice(meetings.body.indexOf("<main"), meetings.body.indexOf("<main") + 2500)}`);
    const incidents = await t.db.execute<{ kind: string }>(sql`
      select i.kind from attendance_incidents i join applications a on a.id = i.application_id join users u on u.id = a.learner_id
      where u.email = 'inscrit-01@demo.cursus.fr' and i.status = 'open'`);
    assert.ok(incidents.rows.some((r) => r.kind === 'removable'), 'ATT-2: the service may remove the learner three meetings absent');
    const learner = new Client(t.app);
    await learner.login(DEMO_LEARNER, DEMO_PASSWORD);
    const next = await learner.get('/compte/niveau-suivant');
    assert.equal(next.statusCode, 200);
    assert.match(next.body, /S\d{6}/, 'CERT-6: the next level lists its sessions');
    const history = (await learner.get('/compte/historique')).body;
    assert.match(history, /certificat\.pdf/, 'ACC-10: the certificate of skills is in the history');
    assert.match(history, /attestation-assiduite\.pdf/, 'ACC-10: the attendance certificate too');
    // SVC-1: the demo learner's messages, one answered by the central service.
    const answered = /Contact demo: the demo learner's message (C-\d{4}-\d{5}) is answered/.exec(said)?.[1];
    assert.ok(answered, said);
    assert.match((await learner.get('/compte/messages')).body, new RegExp(`${answered}[\\s\\S]*Répondu`));
  });

  it('SVC-2 the demo has one session cancelled by the service: its applications closed (a preselection stays one), the catalogue says so, seeding again cancels nothing more', async () => {
    const said = (await seedEverything(t.db, t.clock, { baseUrl: 'http://localhost', secret: TEST_SECRET, cashOffice: 'Régie CMA et AE', catalogueSize: 400 })).join('\n');
    assert.doesNotMatch(said, /Cancellation demo/, 'idempotent');
    const rows = await t.db.execute<{ code: string; course: string; live: number }>(sql`
      select s.code, c.code as course, (select count(*)::int from applications a where a.session_id = s.id and a.status not in ('session_cancelled', 'preselected', 'withdrawn', 'refused', 'cancelled', 'lack_of_places', 'removed', 'excluded')) as live
      from course_sessions s join courses c on c.id = s.course_id where s.cancelled_at is not null`);
    assert.equal(rows.rows.length, 1);
    assert.equal(rows.rows[0].live, 0);
    const sheet = await new Client(t.app).get(`/formations/${rows.rows[0].course}`);
    assert.ok(sheet.body.includes('Session annulée par le service'));
  });
});
