import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { buildLearner, buildStaff } from '../../../test/app';
import { createTestDatabase } from '../../../test/db';
import { buildUnits } from '../../../test/units';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { catalogueIds, importCatalogue, saveCatalogueRecord } from '../catalogue';
import { earnedUnitsOf, recordEarnedUnit } from '../certification';
import { followProgramme, learnerProgrammes, saveProgramme } from './programmes.service';

const certificate = { code: 'CC-TEST', title: 'Certificat de test', kind: 'certificate', required_credits: '24', mandatory: 'UA01, UA02', choose_1: '2', units_1: 'UB01, UB02, UB03' };

describe('programmes on the database (CRED-1)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
  let admin: { id: string; role: 'admin' };
  before(async () => {
    database = await createTestDatabase();
    await buildUnits(database.db, [
      { code: 'UA01', credits: 6 },
      { code: 'UA02', credits: 6, semester: 2 },
      { code: 'UB01', credits: 6 },
      { code: 'UB02', credits: 6, semester: 2 },
      { code: 'UB03', credits: 12, semester: 2 },
      { code: 'COURS1', credits: null },
    ]);
    const staff = await buildStaff(database.db, clock, 'admin');
    admin = { id: staff.userId, role: 'admin' };
  });
  after(() => database.close());

  it('CRED-1 an administrator saves a programme the catalogue can meet; saved again, its lists are replaced', async () => {
    const saved = await saveProgramme({ db: database.db, clock }, { actor: admin, values: certificate, creating: true });
    assert.deepEqual(saved, { ok: true, code: 'CC-TEST' });
    const again = await saveProgramme({ db: database.db, clock }, { actor: admin, values: { ...certificate, units_1: 'UB01, UB02, UB03' }, creating: false });
    assert.equal(again.ok, true);
    const lists = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from programme_lists l join programmes p on p.id = l.programme_id where p.code = 'CC-TEST'`);
    assert.equal(lists.rows[0].n, 2);
    const audit = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from audit_log where action in ('programmes.created', 'programmes.updated')`);
    assert.equal(audit.rows[0].n, 2);
  });

  it('CRED-1 a rule the catalogue cannot meet is refused field by field, and nothing is written', async () => {
    const refused = await saveProgramme(
      { db: database.db, clock },
      { actor: admin, values: { code: 'BAD', title: 'Impossible', kind: 'diploma', required_credits: '200', mandatory: 'UA01, NOPE99', choose_1: '4', units_1: 'UB01, UB02, UB03', choose_2: '1', units_2: 'COURS1' }, creating: true },
    );
    assert.equal(refused.ok, false);
    assert.ok(!refused.ok && refused.code === 'invalid');
    const errors = !refused.ok && refused.code === 'invalid' ? refused.errors : {};
    assert.deepEqual(errors.mandatory, { message: 'prog.err.unknownUnits', params: { codes: 'NOPE99' } });
    assert.deepEqual(errors.choose_1, { message: 'prog.err.fewerThanChosen', params: { count: 3, choose: 4 } });
    assert.deepEqual(errors.units_2, { message: 'prog.err.notAUnit', params: { codes: 'COURS1' } });
    assert.equal(errors.required_credits?.message, 'prog.err.creditsUnreachable');
    const rows = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from programmes where code = 'BAD'`);
    assert.equal(rows.rows[0].n, 0);
  });

  it('CRED-1 the form’s own checks, a code taken, and a staff member who is not an administrator', async () => {
    const bad = await saveProgramme({ db: database.db, clock }, { actor: admin, values: { ...certificate, code: 'X Y', required_credits: 'douze', units_1: 'UB01' , choose_1: '' }, creating: true });
    assert.ok(!bad.ok && bad.code === 'invalid');
    assert.deepEqual(Object.keys(!bad.ok && bad.code === 'invalid' ? bad.errors : {}).sort(), ['choose_1', 'code', 'required_credits']);
    const taken = await saveProgramme({ db: database.db, clock }, { actor: admin, values: certificate, creating: true });
    assert.deepEqual(taken, { ok: false, code: 'invalid', errors: { code: { message: 'prog.err.codeTaken' } } });
    const coordinator = await buildStaff(database.db, clock, 'coordinator');
    assert.deepEqual(await saveProgramme({ db: database.db, clock }, { actor: { id: coordinator.userId, role: 'coordinator' }, values: certificate, creating: false }), { ok: false, code: 'forbidden' });
  });

  it('CRED-1 two creations of one code at once: one is created, the other is told the code is taken', async () => {
    const values = { ...certificate, code: 'CC-RACE' };
    const results = await Promise.all([saveProgramme({ db: database.db, clock }, { actor: admin, values, creating: true }), saveProgramme({ db: database.db, clock }, { actor: admin, values: { ...values, title: 'Autre titre' }, creating: true })]);
    assert.deepEqual(results.filter((r) => r.ok), [{ ok: true, code: 'CC-RACE' }]);
    assert.deepEqual(results.filter((r) => !r.ok), [{ ok: false, code: 'invalid', errors: { code: { message: 'prog.err.codeTaken' } } }]);
    const rows = await database.db.execute<{ n: number; lists: number }>(sql`select count(*)::int as n, (select count(*)::int from programme_lists l join programmes p on p.id = l.programme_id where p.code = 'CC-RACE') as lists from programmes where code = 'CC-RACE'`);
    assert.deepEqual({ ...rows.rows[0] }, { n: 1, lists: 2 });
  });

  it('CRED-1 an edit of a code no programme has is refused with a message, and creates nothing', async () => {
    const refused = await saveProgramme({ db: database.db, clock }, { actor: admin, values: { ...certificate, code: 'CC-NONE' }, creating: false });
    assert.deepEqual(refused, { ok: false, code: 'invalid', errors: { code: { message: 'prog.err.unknownCode' } } });
    const rows = await database.db.execute<{ n: number }>(sql`select count(*)::int as n from programmes where code = 'CC-NONE'`);
    assert.equal(rows.rows[0].n, 0);
  });

  it('CRED-1 a unit that stops being one while an edit waits for the programme: the edit reads it after the wait and says so next to the field, never a 500', async () => {
    await buildUnits(database.db, [{ code: 'UC01', credits: 6 }]);
    const values = { ...certificate, code: 'CC-WAIT', required_credits: '6', mandatory: 'UC01', choose_1: '', units_1: '' };
    assert.equal((await saveProgramme({ db: database.db, clock }, { actor: admin, values, creating: true })).ok, true);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = database.db.transaction(async (tx) => {
      await tx.execute(sql`select id from programmes where code = 'CC-WAIT' for update`);
      // The catalogue changes under the lock: UC01 is a plain course when the edit goes on.
      await tx.execute(sql`update courses set ects_credits = null, semester = null where code = 'UC01'`);
      locked();
      await held;
    });
    await isLocked;
    const edit = saveProgramme({ db: database.db, clock }, { actor: admin, values: { ...values, title: 'Nouveau titre' }, creating: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await holder;
    const result = await edit;
    assert.ok(!result.ok && result.code === 'invalid');
    assert.deepEqual(result.errors.mandatory, { message: 'prog.err.notAUnit', params: { codes: 'UC01' } });
    const rows = await database.db.execute<{ title: string }>(sql`select title from programmes where code = 'CC-WAIT'`);
    assert.equal(rows.rows[0].title, 'Certificat de test');
  });

  it('CRED-1 a unit earned is recorded once and kept: a second pass changes nothing, a course without credits is no unit', async () => {
    const learner = await buildLearner(database.db, clock);
    const ids = (await catalogueIds(database.db, { courses: ['UA01', 'COURS1'] })).courses;
    await database.db.transaction(async (tx) => {
      assert.deepEqual(await recordEarnedUnit(tx, clock, { learnerId: learner.id, courseId: ids.get('UA01')!, earnedOn: '2025-01-20' }), { ok: true, recorded: true });
      assert.deepEqual(await recordEarnedUnit(tx, clock, { learnerId: learner.id, courseId: ids.get('UA01')!, earnedOn: '2026-01-20' }), { ok: true, recorded: false });
      assert.deepEqual(await recordEarnedUnit(tx, clock, { learnerId: learner.id, courseId: ids.get('COURS1')!, earnedOn: '2026-01-20' }), { ok: false, code: 'not_a_unit' });
    });
    const earned = (await earnedUnitsOf(database.db, [learner.id])).get(learner.id)!;
    assert.deepEqual(earned.map((e) => [e.credits, e.earnedOn]), [[6, '2025-01-20']]);
  });

  it('CRED-1 the learner follows a programme and sees their progress from the units earned; the next semester offers what they still need', async () => {
    const learner = await buildLearner(database.db, clock);
    const ids = (await catalogueIds(database.db, { courses: ['UA01', 'UB01', 'UB03'] })).courses;
    await database.db.transaction(async (tx) => {
      for (const code of ['UA01', 'UB01', 'UB03']) await recordEarnedUnit(tx, clock, { learnerId: learner.id, courseId: ids.get(code)!, earnedOn: '2025-06-01' });
    });
    assert.equal((await learnerProgrammes(database.db, clock, learner.id)).followed.length, 0);
    assert.deepEqual(await followProgramme({ db: database.db, clock }, { learnerId: learner.id, code: 'cc-test' }), { ok: true, title: 'Certificat de test' });
    assert.equal((await followProgramme({ db: database.db, clock }, { learnerId: learner.id, code: 'NOPE' })).ok, false);
    const page = await learnerProgrammes(database.db, clock, learner.id);
    assert.equal(page.followed.length, 1);
    const { progress, next } = page.followed[0];
    assert.equal(progress.creditsEarned, 24);
    assert.deepEqual(progress.mandatoryLeft, ['UA02']);
    assert.deepEqual(progress.choicesLeft, []);
    assert.equal(progress.complete, false);
    // 2 December: the next semester is the second, from 15 February; UA02 runs then.
    assert.equal(next.semester, 2);
    assert.deepEqual(next.offers.map((o) => o.unit.code), ['UA02']);
    // Once UA02 is earned the certificate is complete.
    const ua02 = (await catalogueIds(database.db, { courses: ['UA02'] })).courses.get('UA02')!;
    await database.db.transaction((tx) => recordEarnedUnit(tx, clock, { learnerId: learner.id, courseId: ua02, earnedOn: '2026-06-01' }));
    assert.equal((await learnerProgrammes(database.db, clock, learner.id)).followed[0].progress.complete, true);
  });
});

describe('units in the catalogue import and the administrator’s form (CRED-1)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-12-02T10:00:00Z'));
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.close());

  const header = 'code,title,domain,objectives,audience,prerequisites,programme,rhythm,mode,hourly_volume,full_rate,half_rate,ects_credits,semester';
  const line = (code: string, hours: number, credits: string, semester: string) => `${code},Unité ${code},Informatique,O,A,P,Prog,semester1,remote,${hours},300,150,${credits},${semester}`;

  it('CRED-1 the import takes units with their credits and semester, and refuses credits that are not 4, 6, 8 or 12 or do not fit the hours, line by line', async () => {
    const good = await importCatalogue(database.db, { courses: [header, line('NFA031', 60, '6', '1'), line('PLAIN1', 60, '', '')].join('\n') });
    assert.deepEqual(good, { ok: true, counts: { periods: 0, schools: 0, courses: 2, sessions: 0 } });
    const rows = await database.db.execute<{ code: string; ects_credits: number | null; semester: number | null }>(sql`select code, ects_credits, semester from courses order by code`);
    assert.deepEqual(rows.rows.map((r) => [r.code, r.ects_credits, r.semester]), [['NFA031', 6, 1], ['PLAIN1', null, null]]);
    const bad = await importCatalogue(database.db, { courses: [header, line('U1', 60, '5', '1'), line('U2', 30, '8', '2'), line('U3', 60, '6', ''), line('U4', 60, '', '2')].join('\n') });
    assert.equal(bad.ok, false);
    const errors = bad.ok ? [] : bad.errors.map((e) => `${e.line}: ${e.message}`);
    assert.deepEqual(errors, [
      '2: ects_credits: 4, 6, 8 or 12 ECTS credits, or empty for a course that is not a teaching unit',
      '3: hourly_volume: 30 hours for 8 credits: a unit has about 10 hours a credit, 64 to 96 hours for 8 credits',
      '4: semester: the unit’s semester: 1 (mid-October to mid-January) or 2 (mid-February to the end of May)',
      '5: semester: only a teaching unit has a semester: give its ECTS credits too, or leave the semester empty',
    ]);
  });

  it('CRED-1 the administrator’s course form says the same next to the field', async () => {
    const admin = await buildStaff(database.db, clock, 'admin');
    const record = { code: 'NFA099', title: 'Unité', domain: 'Informatique', objectives: 'O', audience: 'A', prerequisites: 'P', programme: 'Prog', rhythm: 'semester1', mode: 'remote', hourly_volume: '200', full_rate: '300', half_rate: '150', ects_credits: '12', semester: '1' };
    const refused = await saveCatalogueRecord({ db: database.db, clock }, { adminId: admin.userId, file: 'courses', record, creating: true });
    assert.deepEqual(refused, { ok: false, errors: { hourly_volume: { message: 'cred.err.hoursForCredits', params: { credits: 12, hours: 200, min: 96, max: 144 } } } });
    assert.deepEqual(await saveCatalogueRecord({ db: database.db, clock }, { adminId: admin.userId, file: 'courses', record: { ...record, hourly_volume: '100' }, creating: true }), { ok: true, code: 'NFA099' });
  });
});
