import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  actions,
  applicationStatuses,
  availableActions,
  countsTowardCap,
  inGroup,
  isLive,
  refusal,
  roleMay,
  rolesFor,
  sectionOf,
  statusGroups,
  statusList,
  target,
  transitions,
  type Facts,
} from './lifecycle';
import { PgDialect } from 'drizzle-orm/pg-core';

const day = 86_400_000;
const opens = new Date('2026-09-01T08:00:00Z');
const closes = new Date('2026-09-15T22:00:00Z');
const during = new Date(opens.getTime() + day);
const after = new Date(closes.getTime() + day);
const facts = (over: Partial<Facts> = {}): Facts => ({ status: 'confirmed', period: { applicationsOpenAt: opens, applicationsCloseAt: closes }, ...over });

describe('application lifecycle', () => {
  test('every status is in exactly one of undecided, waiting, holding a place, closed or preselected', () => {
    for (const status of applicationStatuses) {
      const homes = [
        status === 'preselected',
        inGroup('undecided', status),
        status === 'waiting_list',
        inGroup('holdsPlace', status),
        inGroup('closed', status),
      ].filter(Boolean);
      assert.equal(homes.length, 1, status);
    }
  });

  test('groups render as SQL lists of the same statuses', () => {
    const dialect = new PgDialect();
    assert.equal(dialect.sqlToQuery(statusList('closed')).sql, "('cancelled', 'refused', 'lack_of_places', 'withdrawn', 'removed', 'excluded', 'session_cancelled')");
  });

  test('every row starts from real statuses and leads to one, and names its SPEC rules', () => {
    for (const action of actions) {
      const row = transitions[action];
      assert.ok(row.from.every((s) => applicationStatuses.includes(s)), action);
      assert.match(row.spec, /^([A-Z]{3,4}-\d+ ?)+$/, action);
      for (const from of row.from) {
        const to = target(action, facts({ status: from }));
        assert.ok(to === 'deleted' || applicationStatuses.includes(to), action);
      }
    }
  });

  test('APP-5 the cap counts applications being processed, accepted ones, and enrolments until their session ends', () => {
    const today = '2026-10-01';
    assert.equal(countsTowardCap({ status: 'preselected', lastMeeting: '2027-06-01' }, today), false);
    for (const status of ['confirmed', 'convoked', 'waiting_list', 'accepted'] as const) assert.equal(countsTowardCap({ status, lastMeeting: '2027-06-01' }, today), true);
    assert.equal(countsTowardCap({ status: 'enrolled', lastMeeting: '2027-06-01' }, today), true);
    assert.equal(countsTowardCap({ status: 'enrolled', lastMeeting: '2026-09-30' }, today), false);
    for (const status of statusGroups.closed) assert.equal(countsTowardCap({ status, lastMeeting: '2027-06-01' }, today), false);
  });

  test('APP-6 a confirmed application is cancelled in its window; after it, a decided one is withdrawn', () => {
    assert.equal(refusal('cancel', facts(), { role: 'learner', now: during }), null);
    assert.equal(refusal('cancel', facts(), { role: 'learner', now: after })?.code, 'APP-6');
    assert.equal(refusal('withdraw', facts(), { role: 'learner', now: after })?.code, 'status', 'undecided after the window: neither');
    for (const status of ['convoked', 'waiting_list', 'accepted'] as const) assert.equal(refusal('withdraw', facts({ status }), { role: 'learner', now: after }), null);
    assert.equal(target('withdraw', facts({ status: 'accepted' })), 'withdrawn');
    assert.ok(transitions.withdraw.releases, 'a withdrawal frees what it held (SEL-8)');
  });

  test('APP-7 confirming and preselecting need the window open; APP-4 confirming needs the form', () => {
    const pre = facts({ status: 'preselected', formComplete: true });
    assert.equal(refusal('confirm', pre, { role: 'learner', now: during }), null);
    assert.equal(refusal('confirm', pre, { role: 'learner', now: after })?.code, 'APP-7');
    assert.equal(refusal('confirm', { ...pre, formComplete: false }, { role: 'learner', now: during })?.code, 'APP-4');
    assert.equal(refusal('confirm', pre, { role: 'coordinator', now: during })?.code, 'role');
  });

  test('SEL-1 SEL-3 staff decide only after the window, and only coordinators and administrators', () => {
    for (const action of ['accept', 'wait', 'refuse'] as const) {
      assert.equal(refusal(action, facts(), { role: 'coordinator', now: after }), null);
      assert.equal(refusal(action, facts(), { role: 'admin', now: after }), null);
      assert.equal(refusal(action, facts(), { role: 'school_head', now: after })?.code, 'role');
      assert.equal(refusal(action, facts(), { role: 'trainer', now: after })?.code, 'role');
      assert.equal(refusal(action, facts(), { role: 'coordinator', now: during })?.code, 'SEL-1');
      assert.equal(refusal(action, facts({ status: 'accepted' }), { role: 'coordinator', now: after })?.code, 'status', 'deciding twice');
    }
  });

  test('SEL-2 marks and convocations only where the course has an admission test or interview', () => {
    assert.equal(refusal('mark', facts({ admissionTest: true }), { role: 'trainer', now: after }), null);
    assert.equal(refusal('mark', facts({ admissionTest: false }), { role: 'trainer', now: after })?.code, 'SEL-2');
    assert.equal(refusal('convoke', facts({ admissionTest: false }), { role: 'coordinator', now: after })?.code, 'SEL-2');
    assert.equal(refusal('convoke', facts({ admissionTest: true }), { role: 'trainer', now: after })?.code, 'role');
  });

  test('SEL-4 the school head records attendance once; absent is a withdrawal', () => {
    const convoked = facts({ status: 'convoked', convocation: { attendance: null } });
    assert.deepEqual([...availableActions(convoked, { role: 'school_head', now: after })].filter((a) => a.startsWith('attend')).sort(), ['attendAbsent', 'attendPresent']);
    assert.equal(target('attendAbsent', convoked), 'withdrawn');
    assert.equal(refusal('attendAbsent', { ...convoked, convocation: { attendance: 'present' } }, { role: 'school_head', now: after })?.code, 'SEL-4');
  });

  test('SEL-8 an offer is answered before its deadline; declining one from one’s own list withdraws, an equivalent one keeps the list', () => {
    const expiresAt = new Date(after.getTime() + day);
    const own = facts({ status: 'waiting_list', offer: { kind: 'waiting_list', expiresAt } });
    const equivalent = facts({ status: 'waiting_list', offer: { kind: 'equivalent', expiresAt } });
    assert.ok(availableActions(own, { role: 'learner', now: after }).has('acceptOffer'));
    assert.equal(target('declineOffer', own), 'withdrawn');
    assert.equal(target('declineOffer', equivalent), 'waiting_list');
    const late = new Date(expiresAt.getTime() + 1);
    assert.equal(refusal('acceptOffer', own, { role: 'learner', now: late })?.code, 'SEL-8');
    assert.equal(refusal('lapseOffer', own, { role: 'system', now: late }), null);
    assert.equal(refusal('lapseOffer', own, { role: 'system', now: after })?.code, 'SEL-8', 'not before the deadline');
    assert.equal(refusal('acceptOffer', facts({ status: 'waiting_list', offer: null }), { role: 'learner', now: after })?.code, 'SEL-8');
  });

  test('SEL-10 a change of day is requested by the school head once, decided by a coordinator', () => {
    const accepted = facts({ status: 'accepted', changeRequested: false });
    assert.equal(refusal('requestChange', accepted, { role: 'school_head', now: after }), null);
    assert.equal(refusal('requestChange', { ...accepted, changeRequested: true }, { role: 'school_head', now: after })?.code, 'SEL-10');
    assert.equal(refusal('declineChange', { ...accepted, changeRequested: true }, { role: 'coordinator', now: after }), null);
    assert.equal(refusal('moveDay', accepted, { role: 'school_head', now: after })?.code, 'role');
  });

  test('SVC-5 a help desk’s counsellor preselects, fills in, confirms and deletes for a learner present, in the same windows, and does nothing else', () => {
    const counsellor = { role: 'counsellor' as const, now: during };
    const pre = facts({ status: 'preselected', formComplete: true });
    const theirs = ['preselect', 'edit', 'delete', 'confirm'] as const;
    for (const action of theirs) assert.equal(refusal(action, pre, counsellor), null, action);
    assert.equal(refusal('confirm', pre, { ...counsellor, now: after })?.code, 'APP-7', 'the window is the learner’s');
    assert.equal(refusal('preselect', pre, { ...counsellor, now: after })?.code, 'APP-7');
    assert.equal(refusal('confirm', { ...pre, formComplete: false }, counsellor)?.code, 'APP-4');
    assert.equal(refusal('confirm', { ...pre, repeatsUsedUp: true }, counsellor)?.code, 'CERT-3');
    // Never decides, never gives up or answers for the learner, never touches money or registers.
    // CRED-2: the enrolment in a unit is the learner's own (no desk route for it yet): not the counsellor's.
    assert.equal(roleMay('counsellor', 'enrolUnit'), false);
    for (const action of actions.filter((a) => !(theirs as readonly string[]).includes(a))) assert.equal(roleMay('counsellor', action), false, action);
    for (const action of ['accept', 'wait', 'refuse', 'convoke'] as const) assert.equal(refusal(action, facts(), { role: 'counsellor', now: after })?.code, 'role', action);
    for (const action of theirs) assert.ok(rolesFor(action).includes('counsellor'), `a route's guard lets the counsellor in: ${action}`);
    assert.ok(!rolesFor('accept').includes('counsellor'));
  });

  test('the administrator may take every staff action, never a learner’s or the system’s', () => {
    for (const action of actions) {
      const row = transitions[action];
      const staffRow = row.roles.some((r) => r !== 'learner' && r !== 'system');
      assert.equal(roleMay('admin', action), staffRow, action);
    }
  });

  test('ATT-2 ATT-3 a learner removed or excluded is not refunded, even with a payment received', () => {
    const learner = { role: 'learner' as const, now: new Date(opens.getTime() + 1000) };
    const service = { role: 'coordinator' as const, now: learner.now };
    for (const status of ['removed', 'excluded'] as const) {
      assert.equal(refusal('requestRefund', facts({ status, paid: true }), learner)?.code, 'status', status);
      assert.equal(refusal('decideRefund', facts({ status, paid: true }), service)?.code, 'status', status);
    }
    assert.equal(refusal('requestRefund', facts({ status: 'enrolled', paid: true }), learner), null, 'an enrolled learner may ask (PAY-9)');
  });

  test('ATT-2 ATT-5 removals and exclusions wait for their thresholds; ATT-3 the school head excludes for conduct', () => {
    const at = { now: new Date(opens.getTime() + 1000) };
    const none = { removable: false, excludable: false, releasable: false };
    assert.equal(refusal('removeForAbsences', facts({ status: 'enrolled', absences: none }), { role: 'coordinator', ...at })?.code, 'ATT-2');
    assert.equal(refusal('removeForAbsences', facts({ status: 'enrolled', absences: { ...none, removable: true } }), { role: 'coordinator', ...at }), null);
    assert.equal(refusal('removeForAbsences', facts({ status: 'enrolled', absences: { ...none, removable: true } }), { role: 'trainer', ...at })?.code, 'role', 'the service removes');
    assert.equal(refusal('excludeForAbsences', facts({ status: 'enrolled', absences: { ...none, removable: true } }), { role: 'trainer', ...at })?.code, 'ATT-2', 'beyond, not at, the number');
    assert.equal(refusal('excludeForAbsences', facts({ status: 'enrolled', absences: { ...none, excludable: true } }), { role: 'trainer', ...at }), null);
    assert.equal(refusal('releaseAbsent', facts({ status: 'accepted', absences: none }), { role: 'school_head', ...at })?.code, 'ATT-5');
    assert.equal(refusal('releaseAbsent', facts({ status: 'accepted', absences: { ...none, releasable: true } }), { role: 'school_head', ...at }), null);
    assert.equal(refusal('excludeForConduct', facts({ status: 'enrolled' }), { role: 'school_head', ...at }), null);
    assert.equal(refusal('excludeForConduct', facts({ status: 'enrolled' }), { role: 'trainer', ...at })?.code, 'role');
    assert.equal(transitions.removeForAbsences.releases && transitions.excludeForConduct.releases && transitions.releaseAbsent.releases, true, 'SEL-8: the place goes on');
  });

  test('CERT-4 an exemption is declared on a diploma course and decided once', () => {
    const at = { now: new Date(opens.getTime() + 1000) };
    const diploma = (status: 'pending' | 'granted' | 'refused' | null) => facts({ status: 'enrolled', exemption: { preparesDiploma: true, status } });
    assert.equal(refusal('declareDiploma', facts({ status: 'enrolled', exemption: { preparesDiploma: false, status: null } }), { role: 'learner', ...at })?.code, 'CERT-4');
    assert.equal(refusal('declareDiploma', diploma(null), { role: 'learner', ...at }), null);
    assert.equal(refusal('decideExemption', diploma(null), { role: 'school_head', ...at })?.code, 'CERT-4');
    assert.equal(refusal('decideExemption', diploma('pending'), { role: 'school_head', ...at }), null);
    assert.equal(refusal('decideExemption', diploma('granted'), { role: 'coordinator', ...at })?.code, 'CERT-4', 'answered once');
    assert.equal(refusal('declareDiploma', diploma('refused'), { role: 'learner', ...at })?.code, 'CERT-4');
  });

  test('SVC-2 the service cancels a session: every live application the learner sent closes as session_cancelled, giving no place to anyone; a preselection is no application and stays one', () => {
    const at = { now: new Date(opens.getTime() + 1000) };
    const live = applicationStatuses.filter((status) => isLive(status) && status !== 'preselected');
    assert.deepEqual([...transitions.cancelSession.from].sort(), [...live].sort(), 'from every live status the learner sent');
    assert.equal(refusal('cancelSession', facts({ status: 'preselected' }), { role: 'coordinator', ...at })?.code, 'status', 'a basket is not turned into an application');
    for (const status of live) {
      assert.equal(refusal('cancelSession', facts({ status }), { role: 'coordinator', ...at }), null, status);
      assert.equal(refusal('cancelSession', facts({ status }), { role: 'admin', ...at }), null, status);
      assert.equal(target('cancelSession', facts({ status })), 'session_cancelled', status);
    }
    for (const role of ['school_head', 'trainer', 'learner', 'counsellor', 'system'] as const) assert.equal(refusal('cancelSession', facts({ status: 'enrolled' }), { role, ...at })?.code, 'role', role);
    for (const status of statusGroups.closed) assert.equal(refusal('cancelSession', facts({ status }), { role: 'coordinator', ...at })?.code, 'status', `twice: ${status}`);
    assert.equal(inGroup('closed', 'session_cancelled'), true);
    assert.equal(sectionOf('session_cancelled'), 'closed');
    assert.equal(transitions.cancelSession.releases, undefined, 'no refill: the session will not run');
    assert.equal(transitions.cancelSession.email, undefined, 'the cancellation tells the learners itself, by every channel');
  });

  test('SVC-2 APP-7 the preselection of a cancelled session is not sent, filled in nor given a proof; it may be deleted, even after the window', () => {
    const cancelled = facts({ status: 'preselected', sessionCancelled: true, formComplete: true });
    for (const action of ['confirm', 'edit', 'uploadProof'] as const)
      assert.deepEqual(refusal(action, cancelled, { role: 'learner', now: during }), { ok: false, code: 'APP-7', message: 'session.cancelled' }, action);
    assert.deepEqual(refusal('preselect', facts({ status: 'preselected', sessionCancelled: true }), { role: 'learner', now: during }), { ok: false, code: 'APP-7', message: 'session.cancelled' });
    assert.equal(refusal('delete', cancelled, { role: 'learner', now: during }), null);
    assert.equal(refusal('delete', cancelled, { role: 'learner', now: after }), null, 'after the window too: the learner clears it');
    assert.equal(refusal('delete', facts({ status: 'preselected' }), { role: 'learner', now: after })?.code, 'APP-7', 'a session that runs: only in the window');
    assert.deepEqual([...availableActions(cancelled, { role: 'learner', now: during })], ['delete']);
  });

  test('SVC-2 ATT-1 leftPlace: the closed statuses an application holding a place ends in are those the table leads to from holding one', () => {
    const holding = statusGroups.holdsPlace as readonly string[];
    const reached = new Set<string>();
    for (const action of actions) {
      const row = transitions[action];
      if (!row.from.some((s) => holding.includes(s))) continue;
      for (const from of row.from.filter((s) => holding.includes(s))) {
        for (const kind of ['waiting_list', 'equivalent'] as const) {
          const to = target(action, facts({ status: from, offer: { kind, expiresAt: after } }));
          if (to !== 'deleted' && inGroup('closed', to)) reached.add(to);
        }
      }
    }
    assert.deepEqual([...statusGroups.leftPlace].sort(), [...reached].sort());
    assert.ok(inGroup('leftPlace', 'session_cancelled'));
  });

  test('APP-9 sections and live statuses follow the groups', () => {
    assert.equal(sectionOf('accepted'), 'awaiting_payment');
    assert.equal(sectionOf('waiting_list'), 'processing');
    assert.equal(sectionOf('withdrawn'), 'closed');
    assert.equal(isLive('waiting_list'), true);
    assert.equal(isLive('refused'), false);
  });
});
