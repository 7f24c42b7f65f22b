import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ApplicationStatus } from '../applications';
import { moveInOrder, orderFromPositions, responderPlan, type ListEntry } from './responder.rules';

const entry = (applicationId: string, status: ApplicationStatus, offer: ListEntry['offer'] = null): ListEntry => ({ applicationId, status, offer });
const own = (id: string, sessionId = 1) => ({ id, kind: 'waiting_list' as const, sessionId });

describe('SEL-13 the preference responder’s rules', () => {
  it('SEL-13 a place offered for the preferred application is accepted and every one ranked below is given up; those above keep waiting', () => {
    const plan = responderPlan([entry('a', 'waiting_list'), entry('b', 'waiting_list', own('o-b', 2)), entry('c', 'accepted'), entry('d', 'confirmed')]);
    assert.equal(plan.chosen, 'b');
    assert.deepEqual(plan.steps, [
      { kind: 'accept', applicationId: 'b', offerId: 'o-b', sessionId: 2 },
      { kind: 'give_up', applicationId: 'c', preferred: 'b' },
      { kind: 'give_up', applicationId: 'd', preferred: 'b' },
    ]);
    assert.deepEqual(plan.waitingAbove, ['a']);
  });

  it('SEL-13 an offer for an application ranked below a place already held is declined (given up); nothing is accepted', () => {
    const plan = responderPlan([entry('a', 'awaiting_payment'), entry('b', 'waiting_list', own('o-b'))]);
    assert.equal(plan.chosen, 'a');
    assert.deepEqual(plan.steps, [{ kind: 'give_up', applicationId: 'b', preferred: 'a' }]);
  });

  it('SEL-13 SEL-7 a place in an equivalent session is never accepted for the learner; nor is anything done without a place', () => {
    assert.deepEqual(responderPlan([entry('a', 'waiting_list', { id: 'o', kind: 'equivalent', sessionId: 3 }), entry('b', 'waiting_list')]).steps, []);
    assert.deepEqual(responderPlan([entry('a', 'confirmed'), entry('b', 'waiting_list')]), { chosen: null, steps: [], waitingAbove: ['a', 'b'] });
    assert.deepEqual(responderPlan([]).steps, []);
  });

  it('SEL-13 applications closed or enrolled are no longer in the list: left alone', () => {
    const plan = responderPlan([entry('x', 'withdrawn'), entry('e', 'enrolled'), entry('a', 'accepted'), entry('b', 'waiting_list')]);
    assert.deepEqual(plan.steps, [{ kind: 'give_up', applicationId: 'b', preferred: 'a' }]);
  });

  it('SEL-13 the order typed: ranks sort it, gaps close, two at one rank or another’s application are refused', () => {
    const mine = [
      { id: 'a', status: 'waiting_list' as const },
      { id: 'b', status: 'accepted' as const },
      { id: 'c', status: 'confirmed' as const },
      { id: 'x', status: 'withdrawn' as const },
    ];
    assert.deepEqual(orderFromPositions(new Map([['a', 5], ['b', 2], ['c', null]]), mine), { ok: true, order: ['b', 'a'] });
    assert.deepEqual(orderFromPositions(new Map([['a', 1], ['b', 1]]), mine), { ok: false, code: 'duplicate_position', applicationId: 'b' });
    assert.deepEqual(orderFromPositions(new Map([['z', 1]]), mine), { ok: false, code: 'unknown_application', applicationId: 'z' });
    assert.deepEqual(orderFromPositions(new Map([['x', 1]]), mine), { ok: false, code: 'not_listable', applicationId: 'x' });
    assert.deepEqual(orderFromPositions(new Map([['x', null], ['a', 1]]), mine), { ok: true, order: ['a'] }, 'a closed one left out of the list is no error');
  });

  it('SEL-13 up and down move one place, and nothing at the ends', () => {
    assert.deepEqual(moveInOrder(['a', 'b', 'c'], 'b', 'up'), ['b', 'a', 'c']);
    assert.deepEqual(moveInOrder(['a', 'b', 'c'], 'b', 'down'), ['a', 'c', 'b']);
    assert.deepEqual(moveInOrder(['a', 'b', 'c'], 'a', 'up'), ['a', 'b', 'c']);
    assert.deepEqual(moveInOrder(['a', 'b', 'c'], 'c', 'down'), ['a', 'b', 'c']);
    assert.deepEqual(moveInOrder(['a', 'b'], 'z', 'up'), ['a', 'b']);
  });
});

/**
 * A model of the waiting lists (SEL-8) with the responder (SEL-13): sessions of a capacity at
 * first full of outsiders; learners waiting on up to three sessions (APP-5: three at most, one
 * per course and day: each session is its own course and day); some opted in with an order of
 * some of their applications. Places are freed one by one; a refill offers each free place to the
 * next waiting without an offer; the responder answers with `responderPlan` (what the service
 * does); the others answer by hand, or not yet.
 */
type ModelStatus = 'waiting_list' | 'accepted' | 'withdrawn';
interface ModelApp {
  id: string;
  learner: number;
  session: number;
  status: ModelStatus;
  offered: boolean;
}

function simulate(world: { capacities: number[]; learners: { sessions: number[]; opted: boolean; list: number[] }[]; events: { kind: 'free' | 'answer'; at: number; accept: boolean }[] }) {
  const { capacities } = world;
  const outsiders = [...capacities];
  const apps: ModelApp[] = [];
  world.learners.forEach((l, learner) => l.sessions.forEach((session) => apps.push({ id: `${learner}-${session}`, learner, session, status: 'waiting_list', offered: false })));
  const lists = world.learners.map((l, learner) => (l.opted ? l.list.map((session) => `${learner}-${session}`).filter((id) => apps.some((a) => a.id === id)) : []));
  const byId = new Map(apps.map((a) => [a.id, a]));
  const held = (s: number) => outsiders[s] + apps.filter((a) => a.session === s && (a.status === 'accepted' || a.offered)).length;
  const live = (learner: number) => apps.filter((a) => a.learner === learner && a.status !== 'withdrawn').length;
  const everOffered = new Set<number>();
  const pending: number[] = [];
  const release = (a: ModelApp) => {
    const had = a.status === 'accepted' || a.offered;
    a.status = 'withdrawn';
    a.offered = false;
    if (had) pending.push(a.session);
  };
  const respond = (learner: number) => {
    const plan = responderPlan(lists[learner].map((id) => byId.get(id)!).map((a) => entry(a.id, a.status, a.offered ? own(`o-${a.id}`, a.session) : null)));
    for (const step of plan.steps) {
      const a = byId.get(step.applicationId)!;
      if (step.kind === 'accept') {
        a.status = 'accepted';
        a.offered = false;
      } else release(a);
    }
  };
  const refill = (s: number) => {
    for (const a of apps.filter((x) => x.session === s && x.status === 'waiting_list' && !x.offered)) {
      if (held(s) >= capacities[s]) break;
      if (a.status !== 'waiting_list' || a.offered) continue; // the responder changed it during this refill
      a.offered = true;
      if (lists[a.learner].includes(a.id)) everOffered.add(a.learner);
      if (world.learners[a.learner].opted) respond(a.learner);
    }
  };
  const check = () => {
    for (let s = 0; s < capacities.length; s++) assert.ok(held(s) <= capacities[s], `SEL-6: session ${s} holds ${held(s)} of ${capacities[s]}`);
    world.learners.forEach((l, learner) => assert.ok(live(learner) <= Math.min(3, l.sessions.length), 'APP-5: never more live applications than at the start'));
  };
  const stabilise = () => {
    while (pending.length) {
      refill(pending.shift()!);
      check();
    }
  };
  for (const event of world.events) {
    if (event.kind === 'free') {
      const s = event.at % capacities.length;
      if (outsiders[s] > 0) {
        outsiders[s]--;
        pending.push(s);
      }
    } else {
      // Someone not opted in answers their first offer by hand.
      const a = apps.find((x) => x.offered && !world.learners[x.learner].opted && (event.at % apps.length) <= apps.indexOf(x)) ?? apps.find((x) => x.offered && !world.learners[x.learner].opted);
      if (a) {
        if (event.accept) {
          a.status = 'accepted';
          a.offered = false;
        } else release(a);
      }
    }
    stabilise();
    // Stable: no freed place is left unoffered while someone waits for it without an offer.
    for (let s = 0; s < capacities.length; s++)
      if (held(s) < capacities[s]) assert.equal(apps.filter((a) => a.session === s && a.status === 'waiting_list' && !a.offered).length, 0, `SEL-8: a free place of session ${s} is unoffered`);
    world.learners.forEach((l, learner) => {
      if (!l.opted) return;
      const listed = lists[learner].map((id) => byId.get(id)!);
      // SEL-13: a fixed point (nothing left to answer), and never two places or none in the list.
      const plan = responderPlan(listed.map((a) => entry(a.id, a.status, a.offered ? own(`o-${a.id}`, a.session) : null)));
      assert.deepEqual(plan.steps, [], 'the responder has answered everything');
      const places = listed.filter((a) => a.status === 'accepted').length;
      assert.ok(places <= 1, 'never two places among the list');
      if (everOffered.has(learner)) assert.equal(places, 1, 'a place offered in the list is never lost without another');
    });
  }
}

describe('SEL-13 SEL-6 SEL-8 APP-5 the responder under any sequence of freed places (model)', () => {
  it('SEL-13 with the responder on, no sequence of offers breaks a cap or leaves a freed place unoffered', () => {
    const sessions = 4;
    const learner = fc.record({
      sessions: fc.uniqueArray(fc.integer({ min: 0, max: sessions - 1 }), { minLength: 1, maxLength: 3 }),
      opted: fc.boolean(),
      list: fc.uniqueArray(fc.integer({ min: 0, max: sessions - 1 }), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: sessions, maxLength: sessions }),
        fc.array(learner, { minLength: 1, maxLength: 10 }),
        fc.array(fc.record({ kind: fc.constantFrom('free' as const, 'free' as const, 'answer' as const), at: fc.nat(40), accept: fc.boolean() }), { maxLength: 30 }),
        (capacities, learners, events) => simulate({ capacities, learners, events }),
      ),
      { numRuns: 400 },
    );
  });
});
