import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLearner, buildStaff, Client, GOOD_PASSWORD, startTestApp, uniqueEmail, type TestApp } from '../test/app';

/** A browser that keeps every Set-Cookie line the app sends it. */
class RecordingClient extends Client {
  lines: string[] = [];
  private keep(response: { headers: Record<string, unknown> }) {
    this.lines.push(...([] as string[]).concat((response.headers['set-cookie'] as string | string[] | undefined) ?? []));
    return response;
  }
  override async get(url: string) {
    return this.keep(await super.get(url)) as Awaited<ReturnType<Client['get']>>;
  }
  override async post(url: string, fields: Record<string, string>) {
    return this.keep(await super.post(url, fields)) as Awaited<ReturnType<Client['post']>>;
  }
}

/** The app as production runs it (NODE_ENV=production), over inject. */
describe('production', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/cursus', SESSION_SECRET: 'p'.repeat(32) } });
  });
  after(() => t.close());

  it('every cookie the app sets or clears carries Secure (language, CSRF, session, second factor), on every path', async () => {
    const learner = await buildLearner(t.db, t.clock);
    const browser = new RecordingClient(t.app);
    await browser.get('/langue/en?retour=/');
    await browser.login(learner.email);
    await browser.get('/langue/fr?retour=/compte');
    await browser.get('/langue/en?retour=/compte'); // the account's language is now English…
    await browser.submit('/compte', '/deconnexion', {});
    const again = new RecordingClient(t.app);
    await again.login(learner.email, GOOD_PASSWORD); // …so the login sets the language cookie
    const staff = await buildStaff(t.db, t.clock, 'coordinator');
    const colleague = new RecordingClient(t.app);
    await colleague.loginStaff(staff.email, staff.totpSecret, t.clock);
    // A session cookie that no longer matches a session is cleared.
    const stale = new RecordingClient(t.app);
    stale.cookies.set('cursus_sid', 'gone');
    await stale.get('/');

    const lines = [...browser.lines, ...again.lines, ...colleague.lines, ...stale.lines];
    // In production the CSRF secret's cookie carries the __Host- prefix (issue 11, point 11).
    for (const name of ['cursus_lang', '__Host-cursus_csrf', 'cursus_sid', 'cursus_mfa'])
      assert.ok(lines.some((line) => line.startsWith(`${name}=`)), `${name} was set: ${lines.join('\n')}`);
    assert.ok(again.lines.some((line) => line.startsWith('cursus_lang=en')), 'the login set the language of the account');
    const insecure = lines.filter((line) => !/;\s*Secure(;|$)/i.test(line));
    assert.deepEqual(insecure, [], 'cookies without Secure');
  });

  it('has no development pages, from loopback either', async () => {
    assert.equal((await t.app.inject({ url: '/dev/courriels', remoteAddress: '127.0.0.1' })).statusCode, 404);
    assert.doesNotMatch((await t.app.inject({ url: '/' })).body, /href="\/dev\/courriels"/);
  });
});
