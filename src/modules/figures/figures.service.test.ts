import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { after, before, describe, it } from 'node:test';
import { buildFigures } from '../../../test/figures';
import { createTestDatabase } from '../../../test/db';
import type { Database } from '../../db/database';
import { FixedClock } from '../../platform/clock';
import { defaultPolicies } from '../../platform/policies';
import { sessionsInScope } from '../catalogue';
import { scopeOf } from '../scopes';
import { attendanceRate, fillRate } from './figures.rules';
import type { FigureFilters } from './figures.schema';
import { figuresFor, type FiguresDeps, type FiguresReport } from './figures.service';

describe('SVC-6: the figures of a scope, counted from known data', () => {
  let database: Database;
  const clock = new FixedClock(new Date('2026-09-01T08:00:00Z'));
  let deps: FiguresDeps;
  let made: Awaited<ReturnType<typeof buildFigures>>;
  let justified = 0;

  before(async () => {
    database = await createTestDatabase();
    deps = { db: database.db, clock, policies: async () => ({ ...defaultPolicies, justifiedAbsenceCountsAsPresence: justified }) };
    made = await buildFigures(database.db, clock);
  });
  after(() => database.close());

  async function report(who: keyof typeof made.staff, filters: FigureFilters = {}): Promise<FiguresReport> {
    const result = await figuresFor(deps, made.staff[who], filters);
    assert.ok(result.ok, JSON.stringify(result));
    return result.report;
  }
  const group = (groups: FiguresReport['bySchool'], label: string) => groups.find((g) => g.label === label)!.counts;

  it('SVC-6: an administrator sees the current period by default, every figure summed from its sessions', async () => {
    const r = await report('admin');
    assert.equal(r.filters.periodCode, 'open', 'the period whose applications opened last');
    assert.deepEqual(
      r.bySession.map((s) => s.key),
      ['FIG-A', 'FIG-B', 'FIG-C'],
    );
    const t = r.total;
    assert.deepEqual(
      { sessions: t.sessions, capacity: t.capacity, applications: t.applications, accepted: t.accepted, refused: t.refused, waitlisted: t.waitlisted, waiting: t.waiting, holding: t.holding, offersMade: t.offersMade, offersOpen: t.offersOpen },
      { sessions: 3, capacity: 19, applications: 11, accepted: 7, refused: 1, waitlisted: 1, waiting: 1, holding: 7, offersMade: 1, offersOpen: 1 },
    );
    assert.equal(fillRate(t), 36, '7 places taken of 19, rounded down');
    assert.deepEqual(
      { paidCount: t.paidCount, paidCents: t.paidCents, fullCount: t.fullCount, fullCents: t.fullCents, halfCount: t.halfCount, halfCents: t.halfCents },
      { paidCount: 6, paidCents: 82_500, fullCount: 5, fullCents: 75_000, halfCount: 1, halfCents: 7_500 },
      'the amount still due is not received',
    );
    assert.deepEqual({ attended: t.attendedMinutes, planned: t.plannedMinutes }, { attended: 210 + 360, planned: 240 + 720 }, 'latest marks of held meetings only: not the cancelled one, not the one to come');
    assert.deepEqual({ attendance: t.attendanceCertificates, skills: t.skillsCertificates }, { attendance: 2, skills: 1 });
  });

  it('SVC-6: by school and by domain, the rates are computed from the sums', async () => {
    const r = await report('admin');
    assert.deepEqual(
      r.bySchool.map((g) => g.label),
      ['Autre école', 'École test'],
      'French order',
    );
    assert.equal(fillRate(group(r.bySchool, 'École test')), 20, 'FIG-A 3 of 10 and FIG-C 0 of 5');
    assert.equal(fillRate(group(r.bySchool, 'Autre école')), 100);
    assert.equal(attendanceRate(group(r.bySchool, 'École test')), 87, '210 of 240 minutes');
    assert.equal(attendanceRate(group(r.bySchool, 'Autre école')), 50, 'a justified absence counts for nothing by default');
    assert.equal(fillRate(group(r.byDomain, 'Langue française')), 50, '7 of 14');
    assert.equal(fillRate(group(r.byDomain, 'Arts plastiques')), 0);
    assert.equal(group(r.byDomain, 'Arts plastiques').applications, 2);
  });

  it('SVC-6: a justified absence counts as presence when the policy says so (ATT-4)', async () => {
    justified = 1;
    try {
      const r = await report('admin', { sessionCode: 'FIG-B' });
      assert.equal(attendanceRate(r.total), 75, '540 of 720 minutes');
    } finally {
      justified = 0;
    }
  });

  it('SVC-6: days count what happened within them, in Paris days; places and waiting lists stay today’s', async () => {
    const r = await report('admin', { from: '2026-08-27', to: '2026-08-31' });
    const t = r.total;
    assert.equal(t.applications, 1, 'only the application validated on 28/08');
    assert.equal(t.accepted, 0, 'the acceptances were on 25/08');
    assert.equal(t.refused, 1);
    assert.equal(t.offersMade, 1);
    assert.deepEqual({ count: t.paidCount, cents: t.paidCents, half: t.halfCount }, { count: 5, cents: 67_500, half: 1 }, 'paid on 31/08 at 23:30 in Paris is within the 31st; the 26th is not');
    assert.deepEqual({ attended: t.attendedMinutes, planned: t.plannedMinutes }, { attended: 360, planned: 720 }, 'only the meeting of 27/08');
    assert.deepEqual({ attendance: t.attendanceCertificates, skills: t.skillsCertificates }, { attendance: 2, skills: 1 });
    assert.deepEqual({ holding: t.holding, waiting: t.waiting, offersOpen: t.offersOpen }, { holding: 7, waiting: 1, offersOpen: 1 });
    const before = await report('admin', { to: '2026-08-26' });
    assert.deepEqual({ paid: before.total.paidCount, accepted: before.total.accepted }, { paid: 1, accepted: 7 });
  });

  it('SVC-6: every period, or another period, by its code', async () => {
    const all = await report('admin', { periodCode: '' });
    assert.equal(all.period, null);
    assert.deepEqual(
      all.bySession.map((s) => s.key),
      ['FIG-A', 'FIG-B', 'FIG-C', 'FIG-D'],
    );
    assert.equal(all.total.applications, 12);
    assert.equal(all.total.paidCount, 7);
    const closed = await report('admin', { periodCode: 'closed' });
    assert.deepEqual({ sessions: closed.total.sessions, accepted: closed.total.accepted, paid: closed.total.paidCents }, { sessions: 1, accepted: 1, paid: 15_000 });
  });

  it('SVC-6: school, domain and session narrow the figures; the choices offered are the scope’s', async () => {
    const r = await report('admin');
    const school = r.choices.schools.find((s) => s.name === 'École test')!;
    const narrowed = await report('admin', { schoolId: school.id });
    assert.deepEqual(
      narrowed.bySession.map((s) => s.key),
      ['FIG-A', 'FIG-C'],
    );
    const arts = r.choices.domains.find((d) => d.name === 'Arts plastiques')!;
    assert.deepEqual(
      (await report('admin', { domainId: arts.id })).bySession.map((s) => s.key),
      ['FIG-C'],
    );
    assert.equal((await report('admin', { sessionCode: 'FIG-B' })).total.holding, 4);
  });

  it('SVC-6: a school head and a coordinator see their scope only, the scope in the query', async () => {
    const head = await report('head');
    assert.deepEqual(
      head.bySession.map((s) => s.key),
      ['FIG-B'],
    );
    assert.deepEqual(
      head.choices.schools.map((s) => s.name),
      ['Autre école'],
    );
    assert.deepEqual({ applications: head.total.applications, paid: head.total.paidCents, capacity: head.total.capacity }, { applications: 4, paid: 60_000, capacity: 4 });
    const coordinator = await report('coordinator');
    assert.deepEqual(
      coordinator.bySession.map((s) => s.key),
      ['FIG-C'],
    );
    // The same sessions as every other staff list of the scope.
    for (const who of ['head', 'coordinator', 'admin'] as const) {
      const listed = (await sessionsInScope(deps.db, await scopeOf(deps.db, made.staff[who]), { period: 'open' })).map((s) => s.code).sort();
      assert.deepEqual(
        (await report(who)).bySession.map((s) => s.key),
        listed,
        who,
      );
    }
  });

  it('SVC-6: a choice outside the scope or unknown is refused with its field; trainers and counsellors have no figures', async () => {
    const admin = await report('admin');
    const ecoleTest = admin.choices.schools.find((s) => s.name === 'École test')!.id;
    const outside = await figuresFor(deps, made.staff.head, { schoolId: ecoleTest });
    assert.ok(!outside.ok && outside.code === 'choice' && outside.field === 'ecole');
    const session = await figuresFor(deps, made.staff.head, { sessionCode: 'FIG-A' });
    assert.ok(!session.ok && session.code === 'choice' && session.field === 'session');
    const period = await figuresFor(deps, made.staff.admin, { periodCode: 'nope' });
    assert.ok(!period.ok && period.code === 'choice' && period.field === 'periode');
    for (const who of ['trainer', 'counsellor'] as const) assert.deepEqual(await figuresFor(deps, made.staff[who], {}), { ok: false, code: 'forbidden' });
  });

  it('SVC-6 PAY-9 SVC-2: refunds count per period, in the scope: granted when decided, refunded when the cash office paid back; payments received stay as they were', async () => {
    const refundsOf = (c: FiguresReport['total']) => ({ granted: c.refundsGranted, grantedCents: c.grantedCents, paid: c.refundsPaid, refundedCents: c.refundedCents });
    const all = await report('admin');
    assert.deepEqual(refundsOf(all.total), { granted: 2, grantedCents: 30_000, paid: 1, refundedCents: 15_000 }, 'the open request counts for nothing; the one still to pay is granted, not refunded');
    assert.equal(all.total.paidCents, 82_500, 'a refund does not undo a payment received');
    assert.deepEqual(refundsOf(group(all.bySchool, 'Autre école')), refundsOf(all.total));
    assert.deepEqual(refundsOf(group(all.bySchool, 'École test')), { granted: 0, grantedCents: 0, paid: 0, refundedCents: 0 });
    // Days: the 30th holds a grant (still to pay), the 31st the refund made of the grant of the 28th.
    assert.deepEqual(refundsOf((await report('admin', { from: '2026-08-30', to: '2026-08-30' })).total), { granted: 1, grantedCents: 15_000, paid: 0, refundedCents: 0 });
    assert.deepEqual(refundsOf((await report('admin', { from: '2026-08-31', to: '2026-08-31' })).total), { granted: 0, grantedCents: 0, paid: 1, refundedCents: 15_000 });
    // Another period: FIG-D's refund, granted and made in July.
    assert.deepEqual(refundsOf((await report('admin', { periodCode: 'closed' })).total), { granted: 1, grantedCents: 15_000, paid: 1, refundedCents: 15_000 });
    // The scope: the head of Autre école sees FIG-B's; the coordinator of Arts plastiques none.
    assert.deepEqual(refundsOf((await report('head')).total), refundsOf(all.total));
    assert.deepEqual(refundsOf((await report('coordinator')).total), { granted: 0, grantedCents: 0, paid: 0, refundedCents: 0 });
  });

  it('SVC-6 SVC-2: a cancelled session offers no places: its capacity counts 0 in the fill rates, its applications still count', async () => {
    const before = (await report('admin')).total;
    await database.db.execute(sql`update course_sessions set cancelled_at = now() where code = 'FIG-C'`);
    try {
      const r = await report('admin');
      const c = r.bySession.find((s) => s.key === 'FIG-C')!;
      assert.equal(c.counts.capacity, 0);
      assert.ok(r.total.capacity < before.capacity);
      assert.equal(r.total.applications, before.applications);
    } finally {
      await database.db.execute(sql`update course_sessions set cancelled_at = null where code = 'FIG-C'`);
    }
  });
});
