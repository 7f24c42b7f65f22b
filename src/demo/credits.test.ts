import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { Client, startTestApp, TEST_SECRET, type TestApp } from '../../test/app';
import { DEMO_GRADUATE } from './credits-documents';
import { DEMO_LEARNER, DEMO_PASSWORD, demoStaff, seedEverything } from './seed';

describe('the credits demo (issue 18, CURSUS_PROFILE=credits)', () => {
  let t: TestApp;
  let said: string;
  before(async () => {
    t = await startTestApp({ now: new Date('2026-12-02T10:00:00Z'), config: { CURSUS_PROFILE: 'credits' } });
    said = (await seedEverything(t.db, t.clock, { baseUrl: 'http://localhost', secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' })).join('\n');
  });
  after(() => t.close());

  it('CRED-1 CRED-2 seeds a continuing-education centre: about 30 units over the two semesters, mostly remote, 3 programmes, no city course', async () => {
    assert.match(said, /Credits demo \(CURSUS_PROFILE=credits\): 30 teaching units in \d+ sessions over two semesters, 3 programmes\./);
    const units = await t.db.execute<{ semester: number; mode: string; n: number }>(sql`select semester, mode, count(*)::int as n from courses where ects_credits is not null group by semester, mode`);
    const count = (f: (r: { semester: number; mode: string }) => boolean) => units.rows.filter(f).reduce((s, r) => s + r.n, 0);
    assert.equal(count(() => true), 30);
    assert.ok(count((r) => r.semester === 1) >= 10 && count((r) => r.semester === 2) >= 10, 'both semesters');
    assert.ok(count((r) => r.mode === 'remote') > count((r) => r.mode !== 'remote') * 2, 'mostly remote');
    assert.ok(count((r) => r.mode === 'in_person') >= 3, 'a few evening classes in person');
    const plain = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from courses where ects_credits is null`);
    assert.equal(plain.rows[0].n, 0, 'none of the city’s courses');
    const programmes = await t.db.execute<{ kind: string }>(sql`select kind from programmes order by kind`);
    assert.deepEqual(programmes.rows.map((r) => r.kind), ['certificate', 'diploma', 'professional_title']);
    // The staff accounts as in the municipal demo.
    const staff = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from users where email in (${sql.join(demoStaff.map((s) => sql`${s.email}`), sql`, `)})`);
    assert.equal(staff.rows[0].n, demoStaff.length);
  });

  it('CRED-1 CRED-4 the demo learner sees their progress toward the certificate they follow, the graduate a licence complete and a diploma request pending; seeding again changes nothing', async () => {
    const learner = new Client(t.app);
    await learner.login(DEMO_LEARNER, DEMO_PASSWORD);
    const page = await learner.get('/compte/cursus');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /18 crédits ECTS sur 30/);
    assert.match(page.body, /Unités obligatoires à valider[\s\S]*NFA032/);
    assert.match(page.body, /Au prochain semestre \(à partir du 15 février 2027\)[\s\S]*NFA032[\s\S]*NFA032-S2-2027/);
    // CRED-4: the graduate has the licence complete and a diploma request waiting for the administrator.
    assert.match(said, /laureat@demo\.cursus\.fr completed the licence LP-INFO/);
    const graduate = new Client(t.app);
    await graduate.login(DEMO_GRADUATE, DEMO_PASSWORD);
    const theirs = await graduate.get('/compte/cursus');
    assert.match(theirs.body, /64 crédits ECTS sur 60/);
    assert.match(theirs.body, /30 crédits ECTS sur 30/);
    const pending = await t.db.execute<{ code: string; status: string }>(sql`select p.code, r.status from diploma_requests r join programmes p on p.id = r.programme_id`);
    assert.deepEqual(pending.rows.map((r) => ({ ...r })), [{ code: 'CC13', status: 'pending' }]);
    const again = await seedEverything(t.db, t.clock, { baseUrl: 'http://localhost', secret: TEST_SECRET, cashOffice: 'Régie', profile: 'credits' });
    assert.deepEqual(again, []);
  });

  it('the demo learner follows a remote unit whose connection hours are imported: "Mes heures de connexion" shows them with the rate so far', async () => {
    const learner = new Client(t.app);
    await learner.login(DEMO_LEARNER, DEMO_PASSWORD);
    const page = await learner.get('/compte/heures-de-connexion');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /GLG101/);
    assert.match(page.body, /Assiduité jusqu’ici : 81\s?% des heures prévues \(14 h 00\)/);
    const imports = await t.db.execute<{ n: number; lines: number }>(sql`select count(*)::int as n, sum(lines)::int as lines from connection_imports`);
    assert.deepEqual(imports.rows[0], { n: 1, lines: 6 + 7 + 5 + 3 });
  });

  it('the links: the learner’s account page leads to « Mes heures de connexion »; the staff home to the import for those who take registers, not the coordinator', async () => {
    const learner = new Client(t.app);
    await learner.login(DEMO_LEARNER, DEMO_PASSWORD);
    assert.match((await learner.get('/compte')).body, /<a href="\/compte\/heures-de-connexion">Mes heures de connexion \(unités à distance\)<\/a>/);
    for (const staff of demoStaff.filter((s) => s.role !== 'counsellor')) {
      const browser = new Client(t.app);
      await browser.loginStaff(staff.email, staff.totpSecret, t.clock, DEMO_PASSWORD);
      const home = await browser.get('/personnel');
      assert.equal(home.statusCode, 200);
      const linked = home.body.includes('<a href="/personnel/connexions">');
      assert.equal(linked, staff.role !== 'coordinator', `${staff.role}: the import link ${linked ? 'shown' : 'absent'}`);
      const form = await browser.get('/personnel/connexions');
      assert.equal(form.statusCode, staff.role === 'coordinator' ? 403 : 200, staff.role);
    }
  });
});
