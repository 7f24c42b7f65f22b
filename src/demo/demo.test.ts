import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generate } from 'otplib';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { demoStaff, seedDemo } from './seed';

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
