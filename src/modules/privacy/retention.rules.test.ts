import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DueItem } from '../../platform/personal-data';
import { defaultPolicies } from '../../platform/policies';
import {
  addPeriod,
  announcedDate,
  expiryInstant,
  inactiveAccountDueAt,
  inactiveBefore,
  lastActivity,
  mergeDuePages,
  noticeGiven,
  noticeHorizon,
  parisDay,
  periodOf,
  unitOfPolicy,
} from './retention.rules';

const d = (iso: string) => new Date(iso);
const item = (userId: string, what = 'x'): DueItem => ({ userId, what, dueAt: d('2026-01-01T00:00:00Z') });

describe('ACC-14 retention rules', () => {
  it('ACC-14 periods are counted on the calendar: months keep the day or take the month’s last', () => {
    const cases: [string, number, 'days' | 'hours' | 'months' | 'years', string][] = [
      ['2026-01-31T10:00:00Z', 1, 'months', '2026-02-28T10:00:00.000Z'],
      ['2024-01-31T10:00:00Z', 1, 'months', '2024-02-29T10:00:00.000Z'],
      ['2026-03-15T10:00:00Z', 36, 'months', '2029-03-15T10:00:00.000Z'],
      ['2026-03-31T10:00:00Z', -1, 'months', '2026-02-28T10:00:00.000Z'],
      ['2024-02-29T10:00:00Z', 10, 'years', '2034-02-28T10:00:00.000Z'],
      ['2026-03-01T10:00:00Z', 14, 'days', '2026-03-15T10:00:00.000Z'],
      ['2026-03-01T10:00:00Z', 72, 'hours', '2026-03-04T10:00:00.000Z'],
    ];
    for (const [from, amount, unit, expected] of cases) assert.equal(addPeriod(d(from), amount, unit).toISOString(), expected, `${from} + ${amount} ${unit}`);
  });

  it('ACC-14 a rule’s unit is the one its policy’s name says, its period the current value', () => {
    assert.equal(unitOfPolicy('inactiveAccountMonths'), 'months');
    assert.equal(unitOfPolicy('paymentRetentionYears'), 'years');
    assert.equal(unitOfPolicy('dataExportHours'), 'hours');
    assert.equal(unitOfPolicy('retentionNoticeDays'), 'days');
    assert.equal(unitOfPolicy('maxActiveApplications'), null);
    assert.deepEqual(periodOf({ policy: 'paymentRetentionYears', unit: 'years', from: 'f' }, { ...defaultPolicies, paymentRetentionYears: 11 }), { amount: 11, unit: 'years' });
  });

  it('ACC-14 the job’s day is the day on Paris’s clocks', () => {
    assert.equal(parisDay(d('2026-03-02T22:59:00Z')), '2026-03-02');
    assert.equal(parisDay(d('2026-03-02T23:00:00Z')), '2026-03-03');
    assert.equal(parisDay(d('2026-07-14T21:59:00Z')), '2026-07-14');
    assert.equal(parisDay(d('2026-07-14T22:00:00Z')), '2026-07-15');
  });

  it('ACC-14 what a notice announced goes only retentionNoticeDays after it was sent, and no further than it covered', () => {
    const sentAt = d('2026-03-01T08:00:00Z');
    assert.equal(noticeGiven(null, d('2027-01-01T00:00:00Z'), 14), false, 'no notice, nothing goes');
    assert.equal(noticeGiven({ sentAt }, d('2026-03-15T07:59:59Z'), 14), false);
    assert.equal(noticeGiven({ sentAt }, d('2026-03-15T08:00:00Z'), 14), true);
    assert.equal(noticeHorizon(sentAt, 14).toISOString(), '2026-03-15T08:00:00.000Z');
    const covers = noticeHorizon(sentAt, 14);
    assert.equal(expiryInstant(d('2026-04-01T00:00:00Z'), covers), covers);
    assert.equal(expiryInstant(d('2026-03-10T00:00:00Z'), covers).toISOString(), '2026-03-10T00:00:00.000Z');
    // The date told: the due date, or the end of the notice if the data was already due.
    assert.equal(announcedDate(d('2026-03-10T00:00:00Z'), sentAt, 14).toISOString(), '2026-03-15T08:00:00.000Z');
    assert.equal(announcedDate(d('2026-03-20T00:00:00Z'), sentAt, 14).toISOString(), '2026-03-20T00:00:00.000Z');
  });

  it('ACC-14 an account is inactive when neither a sign-in nor an application moved for inactiveAccountMonths', () => {
    const signIn = d('2026-01-10T09:00:00Z');
    assert.equal(lastActivity(signIn, undefined), signIn);
    assert.equal(lastActivity(signIn, d('2025-06-01T00:00:00Z')), signIn);
    assert.equal(lastActivity(signIn, d('2026-09-01T00:00:00Z')).toISOString(), '2026-09-01T00:00:00.000Z');
    assert.equal(inactiveAccountDueAt(signIn, 36).toISOString(), '2029-01-10T09:00:00.000Z');
    assert.equal(inactiveBefore(d('2029-01-10T09:00:00Z'), 36).toISOString(), signIn.toISOString());
  });

  it('ACC-14 a batch never splits a learner: it stops where the first full page stops', () => {
    const cases: { pages: string[][]; limit: number; learners: string[]; next: string | null }[] = [
      { pages: [[], []], limit: 3, learners: [], next: null },
      { pages: [['a', 'b'], ['b', 'c']], limit: 3, learners: ['a', 'b', 'c'], next: null },
      // The first set may have more after c: d of the second waits for the next batch.
      { pages: [['a', 'b', 'c'], ['b', 'd']], limit: 3, learners: ['a', 'b', 'c'], next: 'c' },
      { pages: [['a', 'c', 'e'], ['b', 'd', 'f']], limit: 3, learners: ['a', 'b', 'c'], next: 'c' },
      // Several items of one learner in a page count as one learner.
      { pages: [['a', 'a', 'b'], ['c']], limit: 3, learners: ['a', 'b', 'c'], next: null },
      // Pages not full but more learners together than the limit: the batch is cut at the limit.
      { pages: [['a', 'c'], ['b', 'd']], limit: 3, learners: ['a', 'b', 'c'], next: 'c' },
    ];
    for (const c of cases) {
      const merged = mergeDuePages(c.pages.map((p) => p.map((u) => item(u))), c.limit);
      assert.deepEqual(merged.learners.map((l) => l.userId), c.learners, JSON.stringify(c.pages));
      assert.equal(merged.next, c.next, JSON.stringify(c.pages));
    }
    const [b] = mergeDuePages([[item('b', 'proofs')], [item('b', 'logs'), item('b', 'logs')]], 3).learners;
    assert.deepEqual([...b.bySource.entries()].map(([source, items]) => [source, items.length]), [[0, 1], [1, 2]]);
  });
});
