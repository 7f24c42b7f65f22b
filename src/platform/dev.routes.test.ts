import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/app';
import { seedDemo } from '../demo/seed';
import { queueEmail } from './outbox';
import { queueSms } from './sms';
import { deliverSms } from './sms/delivery';
import { mailboxSmsProvider } from './sms/provider';

/**
 * The development pages (issue 11): the mailbox shows every reset link and the demo staff's live
 * TOTP codes, so it answers only a browser on this machine, and only when the configuration has it.
 */
describe('development pages', () => {
  let t: TestApp;
  let mail: string;
  before(async () => {
    t = await startTestApp();
    await seedDemo(t.db, t.clock);
    await queueEmail(t.db, { to: 'someone@example.org', subject: 'Réinitialisation', text: 'http://localhost:3000/mot-de-passe/x' });
    const box = await t.app.inject({ url: '/dev/courriels' });
    mail = /href="(\/dev\/courriels\/\d+)"/.exec(box.body)![1];
  });
  after(() => t.close());

  it('answer a request from loopback (127.0.0.1, ::1), as the browser journeys and `npm start` have them', async () => {
    for (const remoteAddress of ['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1']) {
      const box = await t.app.inject({ url: '/dev/courriels', remoteAddress });
      assert.equal(box.statusCode, 200, remoteAddress);
      assert.match(box.body, /admin@demo\.cursus\.fr \(admin\) : <strong>\d{6}<\/strong>/);
      assert.equal((await t.app.inject({ url: mail, remoteAddress })).statusCode, 200, remoteAddress);
      assert.match((await t.app.inject({ url: '/', remoteAddress })).body, /href="\/dev\/courriels"/, 'the layout links to it');
    }
  });

  it('list the SMS outbox beside the mailbox: number, text as sent, encoding, segments, state (issue 13)', async () => {
    await queueSms(t.db, { to: '+33698765432', text: 'Vous n’êtes pas venue : « Anglais B1 » reprend lundi.', purpose: 'sms.test' });
    await queueSms(t.db, { to: '+33611111111', text: '😀 '.repeat(40), purpose: 'sms.test' });
    await deliverSms({ db: t.db, provider: mailboxSmsProvider });
    const body = (await t.app.inject({ url: '/dev/courriels' })).body;
    assert.match(body, /<h2 id="sms-title">SMS<\/h2>/);
    assert.match(body, /<td>\+33698765432<\/td><td class="sms-text">Vous n'etes pas venue : &quot;Anglais B1&quot; reprend lundi.<\/td><td>GSM-7<\/td><td>1<\/td><td><code>sent<\/code><\/td>/);
    assert.match(body, /<td>\+33611111111<\/td><td class="sms-text">[^<]+<\/td><td>UCS-2<\/td><td>2<\/td><td><code>sent<\/code><\/td>/);
  });

  it('SVC-7 list the files an email carries and download each as it was sent; another number is not found', async () => {
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';
    await queueEmail(t.db, { to: 'someone@example.org', subject: 'Convocation à un test', text: 'Bonjour', attachments: [{ filename: 'convocation.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH', content: ics }] });
    const box = await t.app.inject({ url: '/dev/courriels' });
    const link = /href="(\/dev\/courriels\/\d+)">Convocation à un test<\/a> \(convocation\.ics\)/.exec(box.body);
    assert.ok(link, 'the list names the file');
    const mail = await t.app.inject({ url: link[1] });
    assert.match(mail.body, /<h2 id="attachments-title">Pièces jointes<\/h2>/);
    assert.match(mail.body, new RegExp(`<a href="${link[1]}/pieces/0" download="convocation.ics">convocation.ics</a> \\(text/calendar; charset=utf-8; method=PUBLISH\\)`));
    const file = await t.app.inject({ url: `${link[1]}/pieces/0` });
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'text/calendar; charset=utf-8; method=PUBLISH');
    assert.equal(file.headers['content-disposition'], 'attachment; filename="convocation.ics"');
    assert.equal(file.body, ics);
    for (const url of [`${link[1]}/pieces/1`, `${link[1]}/pieces/x`, `${link[1]}/pieces/1000`, '/dev/courriels/999999/pieces/0']) assert.equal((await t.app.inject({ url })).statusCode, 404, url);
    assert.equal((await t.app.inject({ url: `${link[1]}/pieces/0`, remoteAddress: '203.0.113.7' })).statusCode, 404, 'loopback only');
  });

  it('are not found (404) from any other address, and the layout does not link to them', async () => {
    for (const remoteAddress of ['203.0.113.7', '10.0.0.5', '192.168.1.20', '::ffff:203.0.113.7', '2001:db8::1']) {
      for (const url of ['/dev/courriels', mail]) {
        const response = await t.app.inject({ url, remoteAddress });
        assert.equal(response.statusCode, 404, `${remoteAddress} ${url}`);
        assert.match(response.body, /Page introuvable/, 'the site’s own 404 page');
        assert.doesNotMatch(response.body, /demo\.cursus\.fr|mot-de-passe\/x/);
      }
      assert.doesNotMatch((await t.app.inject({ url: '/', remoteAddress })).body, /href="\/dev\/courriels"/, remoteAddress);
    }
  });

  it('are not found through a proxy on this machine (a forwarding header), whatever it says', async () => {
    for (const headers of [{ 'x-forwarded-for': '203.0.113.7' }, { 'x-forwarded-for': '127.0.0.1' }, { forwarded: 'for=203.0.113.7' }, { 'x-real-ip': '203.0.113.7' }]) {
      const response = await t.app.inject({ url: '/dev/courriels', remoteAddress: '127.0.0.1', headers });
      assert.equal(response.statusCode, 404, JSON.stringify(headers));
    }
  });

  it('do not exist when the configuration turns them off (DATABASE_URL with DEMO=0, or DEV_MAILBOX=0)', async () => {
    for (const config of [{ DATABASE_URL: 'postgres://db/cursus', DEMO: '0' }, { DEV_MAILBOX: '0' }] as Record<string, string>[]) {
      const off = await startTestApp({ config });
      try {
        assert.equal((await off.app.inject({ url: '/dev/courriels' })).statusCode, 404, JSON.stringify(config));
        assert.doesNotMatch((await off.app.inject({ url: '/' })).body, /href="\/dev\/courriels"/);
      } finally {
        await off.close();
      }
    }
  });
});
