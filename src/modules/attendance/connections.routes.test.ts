import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { enrolledLearners } from '../../../test/attendance';
import { buildCatalogue } from '../../../test/catalogue';
import { courseEnding } from '../../../test/certification';
import { users } from '../accounts/accounts.table';
import { courses, courseSessions } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { connections } from './attendance.table';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const page = '/personnel/connexions';
const file = (text: string | Buffer) => ({ name: 'file', filename: 'connexions.csv', type: 'text/csv', data: Buffer.isBuffer(text) ? text : Buffer.from(text) });

describe('the connection-hours pages (issue 18)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  let email: string;
  const browsers: Record<'trainer' | 'otherTrainer' | 'learner', Client> = {} as never;

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'WEB-R', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'WEB-O', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
    ]);
    made = await enrolledLearners({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie' }, { 'WEB-R': 1, 'WEB-O': 1 });
    for (const code of ['WEB-R', 'WEB-O']) {
      const s = await courseEnding(t.db, code, { lastMeeting: '2026-09-21' });
      await t.db.update(courses).set({ mode: 'remote' }).where(eq(courses.id, s.courseId));
    }
    email = (await t.db.select({ email: users.email }).from(users).where(eq(users.id, made['WEB-R'].learners[0].learnerId)))[0].email;
    const login = async (sessions: string[]) => {
      const staff = await buildStaff(t.db, t.clock, 'trainer');
      await assignScope(t.db, { userId: staff.userId, sessions });
      const browser = new Client(t.app);
      await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
      return browser;
    };
    browsers.trainer = await login(['WEB-R']);
    browsers.otherTrainer = await login(['WEB-O']);
    browsers.learner = new Client(t.app);
    await browsers.learner.login(email);
  });
  after(() => t.close());

  it('a trainer uploads the learning platform’s file for their session: imported, then the same file again adds nothing', async () => {
    const form = await browsers.trainer.get(page);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /enctype="multipart\/form-data"/);
    const csv = `email;session;start;end\n${email};WEB-R;2026-09-01T10:00:00+02:00;2026-09-01T13:00:00+02:00\n`;
    const sent = await browsers.trainer.submitMultipart(page, page, [file(csv)]);
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 500));
    const shown = await browsers.trainer.get(sent.headers.location as string);
    assert.match(decode(shown.body), /1 ajoutées, 0 déjà connues, 0 remplacées/);
    const again = await browsers.trainer.submitMultipart(page, page, [file(csv)]);
    assert.match(again.headers.location as string, /added=0&unchanged=1/);
    assert.equal((await t.db.select().from(connections)).length, 1);
  });

  it('a refused file is the page again with its line report (line, column, message), what was ticked kept, nothing written, never a 500', async () => {
    const csv = `email,session,start,end\n${email},WEB-O,2026-09-02T10:00:00+02:00,2026-09-02T11:00:00+02:00\n${email},WEB-R,2026-09-02T12:00:00+02:00,2026-09-02T11:00:00+02:00\n`;
    const refused = await browsers.trainer.submitMultipart(page, page, [file(csv), { name: 'replace', value: 'on' }]);
    assert.equal(refused.statusCode, 400);
    const body = decode(refused.body);
    assert.match(body, /La session WEB-O ne fait pas partie de vos sessions/);
    assert.match(body, /La fin de la connexion doit être après son début/);
    assert.match(body, /<th scope="row">3<\/th><td>end<\/td>/);
    assert.match(refused.body, /id="replace"[^>]*value="on" checked/);
    for (const bad of [Buffer.from([0x65, 0x00, 0x0a]), Buffer.from([0xff, 0xfe, 0x41]), Buffer.alloc(0)]) {
      const r = await browsers.trainer.submitMultipart(page, page, [file(bad)]);
      assert.equal(r.statusCode, 400);
    }
    const noFile = await browsers.trainer.submitMultipart(page, page, []);
    assert.equal(noFile.statusCode, 400);
    assert.match(decode(noFile.body), /Choisissez le fichier CSV des connexions/);
    assert.equal((await t.db.select().from(connections)).length, 1);
  });

  it('a learner may not open the import page; they see their own connection hours and attendance rate', async () => {
    assert.equal((await browsers.learner.get(page)).statusCode, 403);
    t.clock.set(new Date('2026-09-08T08:00:00Z'));
    // A week later: a new sign-in (the session of the first has expired).
    await browsers.learner.login(email);
    const mine = await browsers.learner.get('/compte/heures-de-connexion');
    assert.equal(mine.statusCode, 200, String(mine.headers.location));
    const body = decode(mine.body);
    assert.match(body, /Mes heures de connexion/);
    assert.match(body, /3 h 00 de connexion/);
    assert.match(body, /Assiduité jusqu’ici : 75 % des heures prévues \(4 h 00\)/);
    const [s] = await t.db.select().from(courseSessions).where(eq(courseSessions.code, 'WEB-O'));
    assert.ok(s, 'the other session exists, and is not shown');
    assert.doesNotMatch(body, /WEB-O/);
  });
});
