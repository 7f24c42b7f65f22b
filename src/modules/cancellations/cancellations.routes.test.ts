import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { Client, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { closeOpenPeriod, confirmedApplicants } from '../../../test/applications';
import { buildCatalogue } from '../../../test/catalogue';
import { outbox } from '../../platform/platform.table';
import { applications } from '../applications/applications.table';
import { assignScope } from '../scopes';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const errorOf = (html: string, name: string) => {
  const found = new RegExp(`<p class="error-message" id="${name}-error">([^<]*)</p>`).exec(html)?.[1];
  return found === undefined ? undefined : decode(found);
};
const textareaOf = (html: string, name: string) => decode(new RegExp(`<textarea[^>]*name="${name}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? '');

describe('the cancellation page (SVC-2)', () => {
  let t: TestApp;
  const browsers: Record<'coordinator' | 'otherCoordinator' | 'head', Client> = {} as never;
  let learners: Awaited<ReturnType<typeof confirmedApplicants>>;
  const url = '/personnel/sessions/RT-A/annulation';
  const fields = { kind: 'cancelled', reason: 'too_few_learners', message: 'La session n’ouvre pas.\nNous vous appelons.', method: 'transfer' };
  const statuses = async () => (await t.db.select().from(applications)).filter((a) => learners.some((l) => l.applicationId === a.id)).map((a) => a.status);

  before(async () => {
    t = await startTestApp();
    await buildCatalogue(t.db, t.clock, [
      { code: 'RT-A', weekday: 1, startsAt: '18:30', endsAt: '20:30' },
      { code: 'RT-B', weekday: 2, startsAt: '18:30', endsAt: '20:30' },
    ]);
    learners = await confirmedApplicants({ db: t.db, clock: t.clock, baseUrl: 'http://localhost:3000' }, 'RT-A', 2);
    await closeOpenPeriod(t.db, t.clock);
    const login = async (role: 'coordinator' | 'school_head', sessions: string[]) => {
      const staff = await buildStaff(t.db, t.clock, role);
      await assignScope(t.db, { userId: staff.userId, sessions });
      const browser = new Client(t.app);
      await browser.loginStaff(staff.email, staff.totpSecret, t.clock);
      return browser;
    };
    browsers.coordinator = await login('coordinator', ['RT-A']);
    browsers.otherCoordinator = await login('coordinator', ['RT-B']);
    browsers.head = await login('school_head', ['RT-A']);
  });
  after(() => t.close());

  it('SVC-2 the staff home links the central service’s sessions to the page; a school head has no link and is refused (403)', async () => {
    assert.ok((await browsers.coordinator.get('/personnel')).body.includes(`href="${url}"`));
    assert.ok(!(await browsers.head.get('/personnel')).body.includes(`href="${url}"`));
    assert.equal((await browsers.head.get(url)).statusCode, 403);
    const page = await browsers.coordinator.get(url);
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes('Personnes concernées aujourd’hui : 2'));
  });

  it('SVC-2 out of scope is 403 (page and form), an unknown session or an odd code 404', async () => {
    assert.equal((await browsers.otherCoordinator.get(url)).statusCode, 403);
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec((await browsers.otherCoordinator.get('/personnel')).body)![1]);
    assert.equal((await browsers.otherCoordinator.post(url, { _csrf: csrf, ...fields, confirm: 'yes' })).statusCode, 403);
    for (const code of ['NOPE', 'RT%00A', 'a'.repeat(61)]) assert.equal((await browsers.coordinator.get(`/personnel/sessions/${code}/annulation`)).statusCode, 404, code);
    assert.deepEqual(await statuses(), ['confirmed', 'confirmed']);
  });

  it('SVC-2 bad input is refused next to its field, what was typed kept, never a 500', async () => {
    const empty = await browsers.coordinator.submit(url, url, { ...fields, message: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.equal(errorOf(empty.body, 'message'), 'Écrivez le message aux personnes concernées (2 000 caractères au plus).');
    const huge = 'Trop long. '.repeat(10_000);
    const long = await browsers.coordinator.submit(url, url, { ...fields, message: huge });
    assert.equal(long.statusCode, 400);
    assert.ok(errorOf(long.body, 'message'));
    assert.equal(textareaOf(long.body, 'message'), huge, 'the text kept');
    const nul = await browsers.coordinator.submit(url, url, { ...fields, message: 'Bonjour\u0000' });
    assert.equal(nul.statusCode, 400);
    assert.ok(errorOf(nul.body, 'message'));
    const odd = await browsers.coordinator.submit(url, url, { ...fields, kind: 'gone', reason: 'x', method: 'bitcoin' });
    assert.equal(odd.statusCode, 400);
    for (const name of ['kind', 'reason', 'method']) assert.ok(errorOf(odd.body, name), name);
    assert.deepEqual(await statuses(), ['confirmed', 'confirmed'], 'nothing done');
  });

  it('SVC-2 the check step says who will be told before anything is sent; confirming cancels; twice says "already cancelled" (409)', async () => {
    const sentBefore = (await t.db.select().from(outbox)).length;
    const check = await browsers.coordinator.submit(url, url, fields);
    assert.equal(check.statusCode, 200);
    assert.ok(check.body.includes('2 personne(s) recevront un courriel et un SMS, 2 candidature(s) seront clôturées, 0 remboursement(s)'));
    assert.ok(check.body.includes('name="confirm" value="yes"'));
    assert.deepEqual(await statuses(), ['confirmed', 'confirmed'], 'the check changes nothing');
    assert.equal((await t.db.select().from(outbox)).length, sentBefore);
    const done = await browsers.coordinator.submit(url, url, { ...fields, confirm: 'yes' });
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `${url}?fait=cancelled`);
    const page = await browsers.coordinator.get(done.headers.location as string);
    assert.ok(page.body.includes('La session est annulée : 2 personne(s) prévenue(s), 2 candidature(s) clôturée(s), 0 remboursement(s) enregistré(s).'));
    assert.ok(page.body.includes('Cette session est déjà annulée'), 'no form any more');
    assert.deepEqual(await statuses(), ['session_cancelled', 'session_cancelled']);
    const mail = (await t.db.select().from(outbox).where(eq(outbox.to, learners[0].email))).find((m) => m.subject.includes('est annulé'));
    assert.ok(mail?.text.includes('La session n’ouvre pas.\nNous vous appelons.'), 'the message as written, line breaks kept');
    const csrf = decode(/name="_csrf" value="([^"]+)"/.exec((await browsers.coordinator.get('/personnel')).body)![1]);
    const twice = await browsers.coordinator.post(url, { _csrf: csrf, ...fields, confirm: 'yes' });
    assert.equal(twice.statusCode, 409);
    assert.ok(twice.body.includes('Cette session est déjà annulée : personne n’a été prévenu une deuxième fois.'));
    // The public catalogue says so.
    const search = await new Client(t.app).get('/recherche?q=RT-A');
    assert.equal(search.statusCode, 200);
  });
});
