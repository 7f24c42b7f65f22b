import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, startTestApp, type TestApp } from '../../test/app';
import { seedCatalogue } from '../modules/catalogue';
import { DEMO_LEGACY_EMAIL, DEMO_LEGACY_PASSWORD, seedLegacyDemo } from './legacy';
import { DEMO_LEARNER, DEMO_PASSWORD, seedDemo } from './seed';

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ');

describe('demo of ACC-9 (the former system’s accounts)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await seedDemo(t.db, t.clock);
    await seedCatalogue(t.db, t.clock, { sessions: 60 });
  });
  after(() => t.close());

  it('ACC-9 the demo imports the documented example files once; the demo learner links the old account with its published password and finds the old courses', async () => {
    assert.deepEqual(await seedLegacyDemo(t.db, t.clock), { accounts: 3 });
    assert.equal(await seedLegacyDemo(t.db, t.clock), null, 'seeding again changes nothing');
    const learner = new Client(t.app);
    await learner.login(DEMO_LEARNER, DEMO_PASSWORD);
    const done = await learner.submit('/compte/ancien-compte', '/compte/ancien-compte', { email: DEMO_LEGACY_EMAIL, password: DEMO_LEGACY_PASSWORD });
    assert.equal(done.statusCode, 303, done.body.slice(0, 500));
    const history = textOf((await learner.get('/compte/historique')).body);
    assert.match(history, /Espagnol – niveau 1 \(ancien système\)/);
    assert.match(history, /Premiers pas en informatique \(ancien système\)/);
    assert.match(textOf((await learner.get('/compte/niveau-suivant')).body), /Espagnol – niveau 1/);
  });
});
