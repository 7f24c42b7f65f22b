import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, buildLearner, buildStaff, startTestApp, type TestApp } from '../../../test/app';
import { DAY } from '../../platform/clock';
import { translator, type MessageKey } from '../../platform/i18n';
import { defaultPolicies } from '../../platform/policies';
import { retentionNotices } from './retention.table';
import { personalDataSets } from './owners';
import { registerLines } from './registry';
import { addPeriod } from './retention.rules';

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** The page's text without its tags (for what a person reads). */
const textOf = (html: string) => decode(html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');

describe('ACC-14 what we keep (/compte/donnees/conservation) and the processing register (/personnel/registre-traitements)', () => {
  let t: TestApp;
  let learner: Awaited<ReturnType<typeof buildLearner>>;
  const staff = async (role: 'trainer' | 'school_head' | 'coordinator' | 'admin') => {
    const s = await buildStaff(t.db, t.clock, role);
    const b = new Client(t.app);
    await b.loginStaff(s.email, s.totpSecret, t.clock);
    return b;
  };

  before(async () => {
    t = await startTestApp({ now: new Date('2026-09-01T08:00:00Z') });
    learner = await buildLearner(t.db, t.clock);
  });
  after(() => t.close());

  it('ACC-14 the learner sees what is kept, why and until when, from the registry and their own dates, in French and English', async () => {
    const b = new Client(t.app);
    await b.login(learner.email); // signs in on 2026-09-01
    const account = await b.get('/compte');
    assert.match(account.body, /href="\/compte\/donnees\/conservation"/, 'linked from the account page');
    const page = await b.get('/compte/donnees/conservation');
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /Ce que nous conservons sur vous/);
    assert.match(text, /Votre compte est conservé 36 mois après votre dernière connexion .* soit jusqu’au 1er septembre 2029 si vous ne vous connectez plus/);
    assert.match(text, /prévenu·e par email 14 jours avant/);
    const fr = translator('fr');
    const lines = registerLines(defaultPolicies, personalDataSets);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(text.includes(fr(line.purpose as MessageKey)), `the use "${line.purpose}" is on the page`);
    assert.match(text, /12 mois après la fin de l’avis/, 'a period with the current policy value and what starts it');

    b.cookies.set('cursus_lang', 'en');
    const english = textOf((await b.get('/compte/donnees/conservation')).body);
    assert.match(english, /What we keep about you/);
    assert.match(english, /Your account is kept 36 months after your last sign-in .* that is until 1 September 2029/);
  });

  it('ACC-14 the learner sees what a notice announced, with its date', async () => {
    const other = await buildLearner(t.db, t.clock);
    const now = t.clock.now();
    await t.db.insert(retentionNotices).values({
      userId: other.id,
      setName: 'privacy.inactive-account',
      items: [{ what: 'privacy.retention.what.account', dueAt: now.toISOString() }],
      dueAt: now,
      sentAt: now,
      coversUntil: addPeriod(now, 14, 'days'),
      checkedAt: now,
    });
    const b = new Client(t.app);
    await b.login(other.email);
    const text = textOf((await b.get('/compte/donnees/conservation')).body);
    assert.match(text, /Prévu prochainement votre compte et tout ce qu’il contient : fermé à partir du 15 septembre 2026/);
    t.clock.advance(DAY);
  });

  it('ACC-14 the page is the learner’s: a visitor is sent to the login, staff get 403', async () => {
    const visitor = await new Client(t.app).get('/compte/donnees/conservation');
    assert.equal(visitor.statusCode, 303);
    assert.match(String(visitor.headers.location), /^\/connexion\?retour=/);
    const admin = await staff('admin');
    assert.equal((await admin.get('/compte/donnees/conservation')).statusCode, 403);
  });

  it('ACC-14 administrators and coordinators get the processing register, page and CSV, with the current policy values', async () => {
    const admin = await staff('admin');
    assert.match((await admin.get('/personnel')).body, /href="\/personnel\/registre-traitements"/, 'linked from the staff home');
    const page = await admin.get('/personnel/registre-traitements');
    assert.equal(page.statusCode, 200);
    const text = textOf(page.body);
    assert.match(text, /Registre des traitements : extrait/);
    for (const line of registerLines(defaultPolicies, personalDataSets)) assert.ok(text.includes(line.table), `${line.table} is in the register`);
    assert.match(text, /retention_notices .* Messages et demandes .* Mission d’intérêt public .* 12 mois après la fin de l’avis .* connectionLogMonths Supprimées/);

    const csv = await admin.get('/personnel/registre-traitements.csv');
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="registre-traitements.csv"/);
    const [head, ...rows] = csv.body.trim().split(/\r?\n/);
    assert.match(head, /Ensemble.*Table.*Colonnes.*Catégorie.*Finalité.*Base légale.*Durée de conservation.*Réglage.*À l’échéance.*Destinataires/);
    assert.equal(rows.length, registerLines(defaultPolicies, personalDataSets).length);
    assert.ok(rows.some((r) => r.includes('retention_notices') && r.includes('connectionLogMonths') && r.includes('12 mois')));

    const coordinator = await staff('coordinator');
    assert.equal((await coordinator.get('/personnel/registre-traitements')).statusCode, 200);
    coordinator.cookies.set('cursus_lang', 'en');
    assert.match(textOf((await coordinator.get('/personnel/registre-traitements')).body), /Processing register: extract .* 12 months after the end of the notice/);
  });

  it('ACC-14 a trainer, a school head or a learner gets 403 from the register', async () => {
    for (const role of ['trainer', 'school_head'] as const) {
      const b = await staff(role);
      assert.equal((await b.get('/personnel/registre-traitements')).statusCode, 403, role);
      assert.equal((await b.get('/personnel/registre-traitements.csv')).statusCode, 403, role);
      assert.doesNotMatch((await b.get('/personnel')).body, /registre-traitements/, `no link for the ${role}`);
    }
    const b = new Client(t.app);
    await b.login(learner.email);
    assert.equal((await b.get('/personnel/registre-traitements')).statusCode, 403);
  });
});
