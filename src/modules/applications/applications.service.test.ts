import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { buildLearner, emailsTo } from '../../../test/app';
import { buildCatalogue } from '../../../test/catalogue';
import { createTestDatabase } from '../../../test/db';
import { connect, type Database } from '../../db/database';
import { DAY, FixedClock } from '../../platform/clock';
import { outbox } from '../../platform/platform.table';
import * as apps from './applications.service';
import { applicationEvents, applications } from './applications.table';

const days = ['1', '2', '3', '4', '5', '6', '7'];
const times: [string, string][] = [
  ['09:00', '11:00'],
  ['14:00', '16:00'],
  ['18:30', '20:30'],
];
/** 21 sessions of 21 courses, none at the same time as another. */
const spread = (prefix: string) =>
  days.flatMap((d) => times.map(([startsAt, endsAt], i) => ({ code: `${prefix}-${d}-${i}`, weekday: Number(d), startsAt, endsAt })));

describe('applications service', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-11-23T10:00:00Z'));
  let deps: apps.ApplicationDeps;
  const answers = { situation: 'employed' as const, objective: 'personal' as const, motivations: 'Progresser.' };

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, baseUrl: 'http://localhost:3000' };
    await buildCatalogue(database.db, clock, [
      ...spread('A'),
      { code: 'SAME-1', course: 'SAME', weekday: 1, startsAt: '10:00', endsAt: '12:00' },
      { code: 'SAME-2', course: 'SAME', weekday: 3, startsAt: '10:00', endsAt: '12:00' },
      { code: 'CLOSED', weekday: 2, startsAt: '10:00', endsAt: '12:00', period: 'closed' },
      ...Array.from({ length: 20 }, (_, i) => ({ code: `ONECOURSE-${i}`, course: 'ONECOURSE', weekday: (i % 7) + 1, startsAt: `0${i % 3}:00`, endsAt: `0${(i % 3) + 1}:00` })),
      ...Array.from({ length: 20 }, (_, i) => ({ code: `ONESLOT-${i}`, weekday: 6, startsAt: '07:00', endsAt: '08:00' })),
    ]);
  });
  after(() => database.close());

  const preselectAndAnswer = async (learnerId: string, sessionCode: string) => {
    const result = await apps.preselectSession(deps, { learnerId, sessionCode });
    assert.ok(result.ok, JSON.stringify(result));
    await apps.saveAnswers(deps, { learnerId, applicationId: result.applicationId, answers });
    return result.applicationId;
  };

  it('APP-1 APP-4 APP-8 preselect, answer, validate: confirmed, recorded and emailed in one go', async () => {
    const learner = await buildLearner(database.db, clock);
    const pre = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'A-1-0' });
    assert.ok(pre.ok);
    const incomplete = await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId });
    assert.equal(!incomplete.ok && incomplete.code, 'incomplete');
    await apps.saveAnswers(deps, { learnerId: learner.id, applicationId: pre.applicationId, answers });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: pre.applicationId }), { ok: true }, 'a double click');
    const [row] = await database.db.select().from(applications).where(eq(applications.id, pre.applicationId));
    assert.equal(row.status, 'confirmed');
    const events = await database.db.select().from(applicationEvents).where(eq(applicationEvents.applicationId, pre.applicationId));
    assert.deepEqual(events.map((e) => [e.fromStatus, e.toStatus]), [[null, 'preselected'], ['preselected', 'confirmed']]);
    const mails = await emailsTo(database.db, learner.email);
    assert.equal(mails.length, 1, 'one email, even after a double click');
    assert.match(mails[0].subject, /Votre candidature est enregistrée : Cours C-A-1-0/);
    assert.match(mails[0].text, /l’ordre d’arrivée ne compte pas/);
  });

  it('APP-2 APP-3 APP-7 refusals name the rule and the application in the way', async () => {
    const learner = await buildLearner(database.db, clock);
    await preselectAndAnswer(learner.id, 'SAME-1');
    const sameCourse = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'SAME-2' });
    assert.equal(!sameCourse.ok && sameCourse.code, 'APP-2');
    if (!sameCourse.ok && sameCourse.code === 'APP-2') assert.equal(sameCourse.conflictWith?.title, 'Cours SAME');
    const sameSlot = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'A-1-0' });
    assert.equal(!sameSlot.ok && sameSlot.code, 'APP-3', 'Monday 10:00–12:00 overlaps Monday 09:00–11:00');
    const closed = await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'CLOSED' });
    assert.equal(!closed.ok && closed.code, 'closed_window');
    assert.equal((await apps.preselectSession(deps, { learnerId: learner.id, sessionCode: 'NOPE' })).ok, false);
    const noRecord = await buildLearner(database.db, clock, { record: null });
    const refused = await apps.preselectSession(deps, { learnerId: noRecord.id, sessionCode: 'A-2-0' });
    assert.equal(!refused.ok && refused.code, 'no_record');
  });

  it('APP-5 a fourth validation is refused; preselections are not counted', async () => {
    const learner = await buildLearner(database.db, clock);
    const ids = [];
    for (const code of ['A-1-1', 'A-2-1', 'A-3-1', 'A-4-1', 'A-5-1']) ids.push(await preselectAndAnswer(learner.id, code));
    for (const id of ids.slice(0, 3)) assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: id }), { ok: true });
    const fourth = await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: ids[3] });
    assert.equal(!fourth.ok && fourth.code, 'APP-5');
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: learner.id, applicationId: ids[0] }), { ok: true, status: 'cancelled' });
    assert.deepEqual(await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: ids[3] }), { ok: true }, 'a cancellation frees a place');
  });

  it('APP-6 cancel until the window closes, not after; a preselection can be deleted', async () => {
    const learner = await buildLearner(database.db, clock);
    const a = await preselectAndAnswer(learner.id, 'A-6-0');
    const b = await preselectAndAnswer(learner.id, 'A-6-1');
    const c = await preselectAndAnswer(learner.id, 'A-6-2');
    await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: a });
    await apps.confirmApplication(deps, { learnerId: learner.id, applicationId: b });
    assert.deepEqual(await apps.cancelApplication(deps, { learnerId: learner.id, applicationId: a }), { ok: true, status: 'cancelled' });
    assert.match((await emailsTo(database.db, learner.email))[0].subject, /annulée/);
    assert.deepEqual(await apps.deletePreselection(deps, { learnerId: learner.id, applicationId: c }), { ok: true });
    clock.advance(8 * DAY);
    const late = await apps.cancelApplication(deps, { learnerId: learner.id, applicationId: b });
    assert.equal(!late.ok && late.code, 'not_cancellable');
    clock.advance(-8 * DAY);
    const list = await apps.listApplications(database.db, clock, learner.id);
    assert.deepEqual(list.map((x) => x.status).sort(), ['cancelled', 'confirmed']);
    const other = await buildLearner(database.db, clock);
    assert.equal((await apps.cancelApplication(deps, { learnerId: other.id, applicationId: b })).ok, false, "another learner's application is not found");
  });

  it('APP-5 twenty validations at once for one learner, on twenty connections: exactly three succeed', async () => {
    const learner = await buildLearner(database.db, clock);
    const ids: string[] = [];
    for (const s of spread('A').slice(0, 20)) ids.push(await preselectAndAnswer(learner.id, s.code));
    const pools = ids.map(() => connect(database.url, { max: 1 }));
    try {
      const results = await Promise.all(ids.map((id, i) => apps.confirmApplication({ ...deps, db: pools[i].db }, { learnerId: learner.id, applicationId: id })));
      assert.equal(results.filter((r) => r.ok).length, 3, JSON.stringify(results.map((r) => (r.ok ? 'ok' : r.code))));
      assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'APP-5'));
    } finally {
      await Promise.all(pools.map((p) => p.close()));
    }
    const [confirmed] = await database.db
      .select({ n: count() })
      .from(applications)
      .where(and(eq(applications.learnerId, learner.id), eq(applications.status, 'confirmed')));
    assert.equal(confirmed.n, 3);
    const [mails] = await database.db.select({ n: count() }).from(outbox).where(eq(outbox.to, learner.email));
    assert.equal(mails.n, 3, 'an email for each success, none for the refusals');
  });

  it('APP-2 APP-3 twenty preselections at once: one per course, one per slot', async () => {
    const learner = await buildLearner(database.db, clock);
    const run = async (codes: string[]) => {
      const pools = codes.map(() => connect(database.url, { max: 1 }));
      try {
        return await Promise.all(codes.map((code, i) => apps.preselectSession({ ...deps, db: pools[i].db }, { learnerId: learner.id, sessionCode: code })));
      } finally {
        await Promise.all(pools.map((p) => p.close()));
      }
    };
    const sameCourse = await run(Array.from({ length: 20 }, (_, i) => `ONECOURSE-${i}`));
    assert.equal(sameCourse.filter((r) => r.ok).length, 1);
    assert.ok(sameCourse.filter((r) => !r.ok).every((r) => !r.ok && ['APP-2', 'APP-3'].includes(r.code)));
    const sameSlot = await run(Array.from({ length: 20 }, (_, i) => `ONESLOT-${i}`));
    assert.equal(sameSlot.filter((r) => r.ok).length, 1);
    assert.ok(sameSlot.filter((r) => !r.ok).every((r) => !r.ok && r.code === 'APP-3'));
  });

  it('APP-2 the database itself refuses a second live application to a course', async () => {
    const learner = await buildLearner(database.db, clock);
    const id = await preselectAndAnswer(learner.id, 'A-7-0');
    const [row] = await database.db.select().from(applications).where(eq(applications.id, id));
    await assert.rejects(
      database.db.insert(applications).values({ learnerId: learner.id, sessionId: row.sessionId, courseId: row.courseId, createdAt: clock.now() }),
      (error: Error & { cause?: Error }) => /applications_one_per_course/.test(String(error.cause?.message)),
    );
    await assert.rejects(
      database.db.update(applications).set({ status: 'confirmed' }).where(eq(applications.id, id)),
      (error: Error & { cause?: Error }) => /applications_confirmed_form/.test(String(error.cause?.message)),
      'no confirmed application without its form',
    );
  });
});
