import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { auditLog } from '../../platform/platform.table';
import { checkEquivalence } from './catalogue.rules';
import { importCatalogue } from './catalogue.import';
import { getCourseSheet } from './catalogue.service';
import { courseEquivalences, courses, courseSessions } from './catalogue.table';
import { declareEquivalence, equivalentCourseIds, listEquivalences, removeEquivalence } from './equivalences.service';
import '../selection'; // answers placesHeld, for the sheet

describe('equivalent courses in the catalogue (SEL-7)', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  const admin = { id: '00000000-0000-4000-8000-000000000001', scope: { all: true as const } };
  const idOf = async (code: string) => (await database.db.select().from(courses).where(eq(courses.code, code)))[0].id;

  before(async () => {
    database = await createTestDatabase();
    await buildCatalogue(database.db, clock, [
      { code: 'E1', course: 'EA', weekday: 1, startsAt: '10:00', endsAt: '12:00' },
      { code: 'E2', course: 'EB', weekday: 2, startsAt: '10:00', endsAt: '12:00' },
      { code: 'E3', course: 'EC', weekday: 3, startsAt: '10:00', endsAt: '12:00' },
      { code: 'E4', course: 'ED', weekday: 4, startsAt: '10:00', endsAt: '12:00' },
    ]);
    await database.db.update(courses).set({ level: 'A1' }).where(eq(courses.code, 'EA'));
    await database.db.update(courses).set({ level: ' a1 ' }).where(eq(courses.code, 'EB'));
    await database.db.update(courses).set({ level: 'A2' }).where(eq(courses.code, 'EC'));
  });
  after(() => database.close());

  it('SEL-7 the rule: never a course with itself; two recorded levels must be the same (case and spaces aside); no level says nothing against it', () => {
    assert.deepEqual(checkEquivalence({ id: 1, level: 'A1' }, { id: 1, level: 'A1' }), { ok: false, code: 'SEL-7', message: 'cat.err.equivalentSelf' });
    assert.deepEqual(checkEquivalence({ id: 1, level: 'A1' }, { id: 2, level: 'A2' }), { ok: false, code: 'SEL-7', message: 'cat.err.equivalentLevel' });
    assert.deepEqual(checkEquivalence({ id: 1, level: 'A1' }, { id: 2, level: ' a1' }), { ok: true });
    assert.deepEqual(checkEquivalence({ id: 1, level: null }, { id: 2, level: 'A2' }), { ok: true });
  });

  it('SEL-7 an administrator declares two courses equivalent: both directions answer, the sheet links them, the audit records it', async () => {
    assert.deepEqual(await declareEquivalence({ db: database.db, clock }, { actor: admin, course: 'EB', equivalentCourse: 'EA' }), { ok: true });
    assert.deepEqual(await equivalentCourseIds(database.db, await idOf('EA')), [await idOf('EB')]);
    assert.deepEqual(await equivalentCourseIds(database.db, await idOf('EB')), [await idOf('EA')]);
    const sheet = await getCourseSheet(database.db, clock, 'EA');
    assert.deepEqual(sheet!.equivalents, [{ code: 'EB', title: 'Cours EB' }]);
    assert.equal((await database.db.select().from(auditLog).where(eq(auditLog.action, 'catalogue.equivalenceDeclared'))).length, 1);
  });

  it('SEL-7 bad pairs are refused next to their field: the same course, a pair already declared in either order, different levels, an unknown code', async () => {
    const deps = { db: database.db, clock };
    assert.deepEqual(await declareEquivalence(deps, { actor: admin, course: 'EA', equivalentCourse: 'EA' }), { ok: false, errors: { equivalent_course: { message: 'cat.err.equivalentSelf' } } });
    assert.deepEqual(await declareEquivalence(deps, { actor: admin, course: 'EA', equivalentCourse: 'EB' }), { ok: false, errors: { equivalent_course: { message: 'cat.err.equivalentTwice' } } });
    assert.deepEqual(await declareEquivalence(deps, { actor: admin, course: 'EA', equivalentCourse: 'EC' }), { ok: false, errors: { equivalent_course: { message: 'cat.err.equivalentLevel' } } });
    assert.deepEqual(await declareEquivalence(deps, { actor: admin, course: 'EA', equivalentCourse: 'NOPE' }), { ok: false, errors: { equivalent_course: { message: 'cat.err.unknownCourse', params: { code: 'NOPE' } } } });
    assert.equal((await database.db.select().from(courseEquivalences)).length, 1, 'nothing more stored');
  });

  it('SEL-7 a coordinator declares and removes pairs of courses of their scope only', async () => {
    const [e4] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'E4'));
    const [e1] = await database.db.select().from(courseSessions).where(eq(courseSessions.code, 'E1'));
    const coordinator = { id: '00000000-0000-4000-8000-000000000002', scope: { all: false as const, schoolIds: [], domainIds: [], sessionIds: [e4.id, e1.id] } };
    const deps = { db: database.db, clock };
    assert.deepEqual(await declareEquivalence(deps, { actor: coordinator, course: 'ED', equivalentCourse: 'EC' }), { ok: false, errors: { equivalent_course: { message: 'cat.err.equivalentScope' } } });
    assert.deepEqual(await declareEquivalence(deps, { actor: coordinator, course: 'ED', equivalentCourse: 'EA' }), { ok: true });
    const mine = await listEquivalences(database.db, coordinator.scope);
    assert.deepEqual(mine.map((p) => [p.course.code, p.equivalent.code]), [['EA', 'ED']], 'EA–EB is not all theirs (EB is out of scope)');
    const [ab] = (await listEquivalences(database.db, admin.scope)).filter((p) => p.equivalent.code === 'EB');
    assert.equal(await removeEquivalence(deps, { actor: coordinator, id: ab.id }), false);
    assert.equal(await removeEquivalence(deps, { actor: coordinator, id: mine[0].id }), true);
    assert.equal(await removeEquivalence(deps, { actor: coordinator, id: mine[0].id }), false, 'removed once');
    assert.equal(await removeEquivalence(deps, { actor: admin, id: 2 ** 40 }), false, 'a huge id is unknown, not an error');
  });

  it('SEL-7 the CSV import declares pairs from equivalences.csv; a bad file is refused whole with its lines; importing it again changes nothing', async () => {
    const refused = await importCatalogue(database.db, { equivalences: 'course,equivalent_course\nEC,EC\nEA,EC\nED,NOPE\nEB,ED\nED,EB\n' });
    assert.equal(refused.ok, false);
    assert.deepEqual(
      !refused.ok && refused.errors.map((e) => [e.line, e.message]),
      [
        [2, 'equivalent_course: a course cannot be equivalent to itself'],
        [6, 'the pair EB and ED appears twice in the file'],
      ],
    );
    const references = await importCatalogue(database.db, { equivalences: 'course,equivalent_course\nEA,EC\nED,NOPE\n' });
    assert.deepEqual(!references.ok && references.errors.map((e) => [e.line, e.message]), [
      [2, 'equivalent_course: the two courses are not of the same level'],
      [3, 'equivalent_course: unknown course NOPE'],
    ]);
    const before = (await database.db.select().from(courseEquivalences)).length;
    const file = 'course;equivalent_course\nED;EB\nEA;EB\n';
    const done = await importCatalogue(database.db, { equivalences: file });
    assert.ok(done.ok && done.counts.equivalences === 2);
    assert.equal((await database.db.select().from(courseEquivalences)).length, before + 1, 'EA–EB was there already');
    assert.ok((await importCatalogue(database.db, { equivalences: file })).ok, 'again: no error');
    assert.equal((await database.db.select().from(courseEquivalences)).length, before + 1);
    assert.deepEqual(await equivalentCourseIds(database.db, await idOf('EB')), [await idOf('EA'), await idOf('ED')].sort((a, b) => a - b));
  });
});
