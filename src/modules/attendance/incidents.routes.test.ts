import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildStaff, emailsTo, startTestApp, type TestApp } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { enrolledLearners } from '../../../test/attendance';
import { markRegister } from '../../../test/registers';
import { statusOf } from '../../../test/payments';
import { HOUR, MINUTE } from '../../platform/clock';
import { workJobs } from '../../platform/jobs';
import { courseSessions } from '../catalogue/catalogue.table';
import { assignScope } from '../scopes';
import { meetingsOf } from './meetings.service';
import { attendanceJobs } from './incidents.service';

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1].replace(/&amp;/g, '&');
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const errorOf = (html: string, name: string) => {
  const found = new RegExp(`<p class="error-message" id="${name}-error">([^<]*)</p>`).exec(html)?.[1];
  return found === undefined ? undefined : decode(found);
};
const textareaOf = (html: string, name: string) => {
  const found = new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1];
  return found === undefined ? undefined : decode(found);
};

describe('a session’s attendance page for staff (ATT-2, ATT-3, ATT-5)', () => {
  let t: TestApp;
  let made: Awaited<ReturnType<typeof enrolledLearners>>;
  const browsers: Record<string, Client> = {};
  const page = '/personnel/sessions/ATT-A/assiduite';
  const id = (i: number) => made['ATT-A'].learners[i].applicationId;
  const postFrom = async (browser: Client, from: string, url: string, fields: Record<string, string> = {}) => browser.post(url, { _csrf: csrfOf((await browser.get(from)).body), ...fields });

  const staffBrowser = async (role: 'trainer' | 'school_head' | 'coordinator' | 'admin', scope: { schools?: string[]; sessions?: string[] } | null) => {
    const staff = await buildStaff(t.db, t.clock, role);
    if (scope) await assignScope(t.db, { userId: staff.userId, ...scope });
    const browser = new Client(t.app);
    await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
    return browser;
  };

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'ATT-A', weekday: 1, startsAt: '18:00', endsAt: '20:00' },
      { code: 'ATT-B', weekday: 3, startsAt: '18:00', endsAt: '20:00' },
    ]);
    made = await enrolledLearners({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000', secret: 'test-secret-that-is-at-least-32-characters-long', cashOffice: 'Régie CMA et AE' }, { 'ATT-A': 4, 'ATT-B': 1 });
    // Learner 0 absent from four meetings in a row; learner 1 present at the first, absent at two; learner 2 present;
    // learner 3 absent from the first two (warned after the cooling-off), then again.
    const [{ id: sessionId }] = await t.db.select({ id: courseSessions.id }).from(courseSessions).where(eq(courseSessions.code, 'ATT-A'));
    const meetings = (await meetingsOf(t.db, [sessionId])).get(sessionId)!;
    const marks: ('present' | 'absent')[][] = [
      ['absent', 'present', 'present', 'absent'],
      ['absent', 'absent', 'present', 'absent'],
      ['absent', 'absent', 'present', 'absent'],
      ['absent', 'present', 'present', 'absent'],
    ];
    for (const [n, row] of marks.entries()) {
      const at = new Date(meetings[n].startsAt.getTime() + 2 * HOUR);
      if (at > t.clock.now()) t.clock.set(at);
      await markRegister(t.db, t.clock, { meetingId: meetings[n].id, byUserId: made['ATT-A'].trainer.userId, marks: Object.fromEntries(row.map((m, i) => [id(i), m])) });
      if (n === 1) {
        t.clock.advance(31 * MINUTE);
        while ((await workJobs({ db: t.db, clock: t.clock, handlers: attendanceJobs({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' }) })) > 0);
      }
    }
    // Logged in after the clock moved (a staff session ends when idle).
    browsers.coordinator = await staffBrowser('coordinator', { schools: ['E-11-T'] });
    browsers.head = await staffBrowser('school_head', { schools: ['E-11-T'] });
    browsers.trainer = await staffBrowser('trainer', { sessions: ['ATT-A'] });
    browsers.otherTrainer = await staffBrowser('trainer', { sessions: ['ATT-B'] });
    browsers.admin = await staffBrowser('admin', null);
  });
  after(() => t.close());

  it('shows each learner’s attendance, streaks, open incidents and only the forms the lifecycle allows this role (ATT-2)', async () => {
    const shown = await browsers.coordinator.get(page);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Assiduité – ATT-A/);
    assert.match(shown.body, /0 % à ce jour/);
    assert.match(shown.body, /Sans motif : 4/);
    assert.match(shown.body, /Radiation possible par le service/);
    assert.match(shown.body, /Exclusion possible par le formateur/);
    assert.match(shown.body, /Absences dès les premières séances \(avertissement\)/);
    assert.ok(shown.body.includes(`action="${page}/${id(0)}/radier"`), 'the service may remove learner 0');
    assert.ok(!shown.body.includes(`action="${page}/${id(1)}/radier"`), 'not learner 1 (two in a row)');
    assert.ok(!shown.body.includes('/exclure"'), 'the coordinator does not exclude');
    const trainer = (await browsers.trainer.get(page)).body;
    assert.ok(trainer.includes(`action="${page}/${id(0)}/exclure"`) && !trainer.includes('/radier"'), 'the trainer excludes, does not remove');
    const head = (await browsers.head.get(page)).body;
    assert.ok(head.includes(`href="${page}/${id(2)}/conduite"`) && !head.includes('/radier"'), 'the school head: conduct, no removal');
    assert.ok(head.includes(`action="${page}/${id(3)}/liberer"`) && !head.includes(`action="${page}/${id(1)}/liberer"`), 'the release: learners warned and absent again only (not one who came)');
    assert.match(head, /averti·e par courriel \+ SMS/);
  });

  it('403 for a session out of scope, 404 for one that does not exist or a malformed id; bad query: 400 (never a 500)', async () => {
    assert.equal((await browsers.otherTrainer.get(page)).statusCode, 403);
    assert.equal((await browsers.coordinator.get('/personnel/sessions/NOPE/assiduite')).statusCode, 404);
    assert.equal((await browsers.coordinator.get('/personnel/sessions/bad%20code/assiduite')).statusCode, 404);
    assert.equal((await browsers.coordinator.get(`${page}?fait=nimporte`)).statusCode, 400);
    assert.equal((await browsers.head.get(`${page}/not-a-uuid/conduite`)).statusCode, 404);
    assert.equal((await browsers.trainer.get('/personnel/sessions/ATT-B/assiduite')).statusCode, 403, 'a trainer sees their own sessions only');
    assert.equal((await browsers.head.get(`${page}/${made['ATT-B'].learners[0].applicationId}/conduite`)).statusCode, 404, 'a learner of another session');
    assert.equal((await postFrom(browsers.otherTrainer, '/personnel', `${page}/${id(0)}/exclure`)).statusCode, 403, 'another trainer’s session');
    assert.equal((await postFrom(browsers.trainer, page, `${page}/${id(0)}/radier`)).statusCode, 403, 'the role may not');
    assert.equal(await statusOf(t.db, id(0)), 'enrolled');
  });

  it('ATT-2 a removal refused before the threshold says why (409); allowed at it; a second removal is refused with a clear message, never a 500', async () => {
    const early = await postFrom(browsers.coordinator, page, `${page}/${id(1)}/radier`);
    assert.equal(early.statusCode, 409);
    assert.match(early.body, /notice-warning[^>]*>La radiation par le service vient après des absences consécutives/);
    const done = await postFrom(browsers.coordinator, page, `${page}/${id(0)}/radier`);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${page}?fait=removeForAbsences`);
    assert.match((await browsers.coordinator.get(done.headers.location!)).body, /La personne est radiée/);
    assert.equal(await statusOf(t.db, id(0)), 'removed');
    const again = await postFrom(browsers.admin, page, `${page}/${id(0)}/radier`);
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /Cette personne n’a plus de place dans la session/);
    const trainerToo = await postFrom(browsers.trainer, page, `${page}/${id(0)}/exclure`);
    assert.equal(trainerToo.statusCode, 409);
  });

  it('ATT-5 the school head releases the place of a learner warned and still absent (the place goes to the waiting list)', async () => {
    const done = await postFrom(browsers.head, page, `${page}/${id(3)}/liberer`);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${page}?fait=releaseAbsent`);
    assert.match((await browsers.head.get(done.headers.location!)).body, /La place est libérée/);
    assert.equal(await statusOf(t.db, id(3)), 'removed');
    const [email] = (await emailsTo(t.db, made['ATT-A'].learners[3].email)).filter((e) => e.subject.includes('a été libérée'));
    assert.ok(email, 'the learner is told');
  });

  it('ATT-3 the exclusion for conduct needs a reason (1 to 500 characters), next to the field, what was typed kept; then the learner is told', async () => {
    const form = `${page}/${id(2)}/conduite`;
    const shown = await browsers.head.get(form);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Exclure pour conduite – /);
    const empty = await postFrom(browsers.head, form, form, { reason: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.ok(errorOf(empty.body, 'reason'), 'a message next to the field');
    const long = 'Trop long. '.repeat(50) + 'x';
    const tooLong = await postFrom(browsers.head, form, form, { reason: long });
    assert.equal(tooLong.statusCode, 400);
    assert.match(errorOf(tooLong.body, 'reason')!, /500/);
    assert.equal(textareaOf(tooLong.body, 'reason'), long, 'what was typed is kept');
    const nul = await postFrom(browsers.head, form, form, { reason: 'a\u0000b' });
    assert.equal(nul.statusCode, 400);
    assert.equal((await postFrom(browsers.coordinator, page, form, { reason: 'Menaces' })).statusCode, 403, 'a coordinator does not exclude for conduct');
    const done = await postFrom(browsers.head, form, form, { reason: 'Menaces envers le formateur.' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${page}?fait=excludeForConduct`);
    assert.equal(await statusOf(t.db, id(2)), 'excluded');
    const [email] = (await emailsTo(t.db, made['ATT-A'].learners[2].email)).filter((e) => e.subject.startsWith('Vous êtes exclu'));
    assert.match(email.text, /Motif : Menaces envers le formateur\./);
    const twice = await postFrom(browsers.head, page, form, { reason: 'Encore' });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.body, /Cette personne n’a plus de place dans la session/);
  });
});
