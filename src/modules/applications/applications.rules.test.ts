import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfirmation, checkPreselection, sessionsConflict, windowOpen, type ExistingApplication, type SessionShape } from './applications.rules';
import { applicationStatuses, countsTowardCap, refusal, sectionOf, type ApplicationStatus } from './lifecycle';

type Period = { applicationsOpenAt: Date; applicationsCloseAt: Date };
/** APP-6 as the lifecycle's table says it: may the learner cancel, or withdraw, now? */
const canCancel = (status: ApplicationStatus, period: Period, now: Date) => refusal('cancel', { status, period }, { role: 'learner', now }) === null;
const canWithdraw = (status: ApplicationStatus, period: Period, now: Date) => refusal('withdraw', { status, period }, { role: 'learner', now }) === null;

const session = (courseId: number, slots: [number, string, string][], dates: [string, string] = ['2026-09-14', '2027-06-28']): SessionShape => ({
  courseId,
  firstMeeting: dates[0],
  lastMeeting: dates[1],
  slots: slots.map(([weekday, startsAt, endsAt]) => ({ weekday, startsAt, endsAt })),
});
let n = 0;
const app = (status: ApplicationStatus, shape: SessionShape, title = `Cours ${++n}`): ExistingApplication => ({ id: `a${++n}`, status, title, ...shape });

describe('application rules', () => {
  it('APP-3 slot conflicts: a table of cases, edges included', () => {
    const monday = session(1, [[1, '18:30', '20:30']]);
    const cases: [string, SessionShape, boolean][] = [
      ['same slot', session(2, [[1, '18:30', '20:30']]), true],
      ['partly overlapping, starts inside', session(2, [[1, '19:00', '21:00']]), true],
      ['partly overlapping, ends inside', session(2, [[1, '17:00', '18:31']]), true],
      ['contained', session(2, [[1, '19:00', '20:00']]), true],
      ['containing', session(2, [[1, '09:00', '22:00']]), true],
      ['ends exactly when the other starts', session(2, [[1, '16:30', '18:30']]), false],
      ['starts exactly when the other ends', session(2, [[1, '20:30', '22:00']]), false],
      ['same times, another day', session(2, [[2, '18:30', '20:30']]), false],
      ['one of two slots overlaps', session(2, [[3, '10:00', '12:00'], [1, '20:00', '21:00']]), true],
      ['same slot, but the sessions do not run at the same time of year', session(2, [[1, '18:30', '20:30']], ['2027-07-01', '2027-08-01']), false],
      ['same slot, date ranges touch on one day', session(2, [[1, '18:30', '20:30']], ['2027-06-28', '2027-09-01']), true],
    ];
    for (const [name, other, expected] of cases) {
      assert.equal(sessionsConflict(monday, other), expected, name);
      assert.equal(sessionsConflict(other, monday), expected, `${name} (reversed)`);
    }
  });

  it('APP-5 what counts toward the cap', () => {
    const today = '2026-11-23';
    const expected: Record<ApplicationStatus, boolean> = {
      preselected: false,
      confirmed: true,
      convoked: true,
      waiting_list: true,
      accepted: true,
      awaiting_payment: true,
      enrolled: true,
      lack_of_places: false,
      withdrawn: false,
      cancelled: false,
      refused: false,
      removed: false,
      excluded: false,
      session_cancelled: false,
    };
    for (const status of applicationStatuses) assert.equal(countsTowardCap({ status, lastMeeting: '2027-06-28' }, today), expected[status], status);
    assert.equal(countsTowardCap({ status: 'enrolled', lastMeeting: '2026-11-22' }, today), false, 'an enrolment in a session that has ended');
    assert.equal(countsTowardCap({ status: 'enrolled', lastMeeting: today }, today), true, 'the last day still counts');
  });

  it('APP-2 APP-3 preselection: one per course whatever the school, one per slot; closed ones do not block', () => {
    const existing = [app('confirmed', session(1, [[1, '18:30', '20:30']]), 'Anglais – niveau 1'), app('cancelled', session(5, [[4, '18:30', '20:30']]))];
    const sameCourse = checkPreselection(session(1, [[3, '09:00', '12:00']]), existing);
    assert.equal(sameCourse.ok, false);
    if (!sameCourse.ok) {
      assert.equal(sameCourse.code, 'APP-2');
      assert.equal(sameCourse.conflictWith?.title, 'Anglais – niveau 1');
    }
    const sameSlot = checkPreselection(session(2, [[1, '19:00', '21:00']]), existing);
    assert.equal(!sameSlot.ok && sameSlot.code, 'APP-3');
    assert.deepEqual(checkPreselection(session(5, [[4, '18:30', '20:30']]), existing), { ok: true }, 'a cancelled application frees its course and slot');
    const preselected = [app('preselected', session(7, [[2, '18:30', '20:30']]))];
    assert.equal(checkPreselection(session(8, [[2, '18:00', '19:00']]), preselected).ok, false, 'preselections hold their slot too');
  });

  it('APP-3 SVC-2 a preselection in a session the service cancelled holds no slot: another session at that time can be chosen', () => {
    const basket = { ...app('preselected', session(7, [[2, '18:30', '20:30']]), 'Cours annulé'), sessionCancelled: true };
    assert.deepEqual(checkPreselection(session(8, [[2, '18:00', '19:00']]), [basket]), { ok: true }, 'preselecting (or being moved or offered) there');
    const sent = { ...app('confirmed', session(9, [[3, '18:30', '20:30']])), sessionCancelled: true };
    assert.equal(checkPreselection(session(10, [[3, '18:30', '20:30']]), [sent]).ok, false, 'only the basket: a live application there still holds its slot until the cancellation closes it');
  });

  it('APP-2 CERT-3 an enrolment in a session that ended before this one starts does not block applying to the course again', () => {
    const lastYear = app('enrolled', session(1, [[1, '18:30', '20:30']], ['2025-09-15', '2026-06-29']));
    const thisYear = session(1, [[1, '18:30', '20:30']]);
    assert.deepEqual(checkPreselection(thisYear, [lastYear]), { ok: true });
    assert.deepEqual(checkConfirmation({ ...thisYear, id: 'new' }, [lastYear], { max: 3, today: '2026-09-01' }), { ok: true });
    const running = app('enrolled', session(1, [[3, '09:00', '11:00']], ['2026-01-05', '2026-10-30']));
    const blocked = checkPreselection(thisYear, [running]);
    assert.equal(!blocked.ok && blocked.code, 'APP-2', 'an enrolment still running blocks');
  });

  it('APP-5 confirmation: at most `max` counting applications, the number being the policy', () => {
    const counting = [
      app('confirmed', session(1, [[1, '09:00', '10:00']])),
      app('accepted', session(2, [[2, '09:00', '10:00']])),
      app('enrolled', session(3, [[3, '09:00', '10:00']])),
      app('preselected', session(4, [[4, '09:00', '10:00']])),
      app('refused', session(6, [[6, '09:00', '10:00']])),
    ];
    const candidate = { id: counting[3].id, ...session(4, [[4, '09:00', '10:00']]) };
    const refused = checkConfirmation(candidate, counting, { max: 3, today: '2026-11-23' });
    assert.equal(!refused.ok && refused.code, 'APP-5');
    assert.deepEqual(checkConfirmation(candidate, counting, { max: 4, today: '2026-11-23' }), { ok: true });
    const ended = counting.map((a) => (a.status === 'enrolled' ? { ...a, lastMeeting: '2026-06-30' } : a));
    assert.deepEqual(checkConfirmation(candidate, ended, { max: 3, today: '2026-11-23' }), { ok: true }, 'an ended enrolment frees a place in the cap');
  });

  it('APP-6 APP-7 windows: applying and cancelling only while the application window is open', () => {
    const period = { applicationsOpenAt: new Date('2026-11-16T08:00:00Z'), applicationsCloseAt: new Date('2026-12-01T22:00:00Z') };
    assert.equal(windowOpen(period, new Date('2026-11-16T07:59:59Z')), false);
    assert.equal(windowOpen(period, new Date('2026-11-16T08:00:00Z')), true);
    assert.equal(windowOpen(period, new Date('2026-12-01T22:00:00Z')), false);
    assert.equal(canCancel('confirmed', period, new Date('2026-12-01T21:59:59Z')), true);
    assert.equal(canCancel('confirmed', period, new Date('2026-12-01T22:00:00Z')), false);
    assert.equal(canCancel('accepted', period, new Date('2026-11-20T10:00:00Z')), false);
    assert.equal(canCancel('preselected', period, new Date('2026-11-20T10:00:00Z')), false);
  });

  it('APP-6 SEL-8 once decided, a learner may give up (withdrawal); a confirmed application waits for the decision', () => {
    const period = { applicationsOpenAt: new Date('2026-11-16T08:00:00Z'), applicationsCloseAt: new Date('2026-12-01T22:00:00Z') };
    const after = new Date('2026-12-05T10:00:00Z');
    for (const status of ['convoked', 'waiting_list', 'accepted'] as const) assert.equal(canWithdraw(status, period, after), true, status);
    for (const status of ['confirmed', 'preselected', 'enrolled', 'withdrawn', 'cancelled', 'refused'] as const) assert.equal(canWithdraw(status, period, after), false, status);
    assert.equal(canWithdraw('confirmed', period, new Date('2026-11-20T10:00:00Z')), false, 'within the window it is a cancellation');
  });

  it('APP-9 the four sections', () => {
    const expected: Record<ApplicationStatus, string> = {
      preselected: 'preselected',
      confirmed: 'processing',
      convoked: 'processing',
      waiting_list: 'processing',
      accepted: 'awaiting_payment',
      awaiting_payment: 'awaiting_payment',
      enrolled: 'closed',
      lack_of_places: 'closed',
      withdrawn: 'closed',
      cancelled: 'closed',
      refused: 'closed',
      removed: 'closed',
      excluded: 'closed',
      session_cancelled: 'closed',
    };
    for (const status of applicationStatuses) assert.equal(sectionOf(status), expected[status], status);
  });
});
