import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionClass, createAdmission, OVERLOADED_MS, type AdmissionLimits } from './admission';

const limits = (read: Partial<AdmissionLimits['read']> = {}, write: Partial<AdmissionLimits['write']> = {}): AdmissionLimits => ({
  read: { inFlight: 1, waitMs: 1_000, queue: 10, ...read },
  write: { inFlight: 1, waitMs: 1_000, queue: 10, ...write },
});

const admitted = (turn: Awaited<ReturnType<ReturnType<typeof createAdmission>['enter']>>) => {
  assert.notEqual(typeof turn, 'string', `admitted, not refused (${String(turn)})`);
  return turn as { leave: () => void };
};

describe('admission: the requests a process has in progress (issue 19 point 9)', () => {
  it('GET, HEAD and OPTIONS are reads; POST and the rest are writes', () => {
    assert.deepEqual(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'].map(admissionClass), ['read', 'read', 'read', 'write', 'write', 'write', 'write']);
  });

  it('admits up to its bound at once, then queues; a full queue refuses at once (a read: the oldest waiting; a write: the newcomer), a wait past its bound refuses then', async () => {
    const admission = createAdmission(limits({ inFlight: 2, waitMs: 30, queue: 1 }, { inFlight: 1, queue: 1 }));
    const a = admitted(await admission.enter('read'));
    admitted(await admission.enter('read'));
    const oldest = admission.enter('read');
    const waiting = admission.enter('read');
    assert.equal(await oldest, 'queue_full');
    assert.deepEqual(admission.stats(), { inFlight: { read: 2, write: 0 }, waiting: { read: 1, write: 0 } });
    assert.equal(await waiting, 'waited');
    admitted(await admission.enter('write'));
    const writeWaiting = admission.enter('write');
    assert.equal(await admission.enter('write'), 'queue_full');
    assert.equal(admission.stats().waiting.write, 1);
    void writeWaiting;
    assert.equal(admission.stats().waiting.read, 0);
    // A turn given back twice counts once.
    a.leave();
    a.leave();
    assert.equal(admission.stats().inFlight.read, 1);
  });

  /** Takes the class's one turn, queues `names`, gives the turn back and each admitted's in turn: the order they were served in, and the refused. */
  async function served(admission: ReturnType<typeof createAdmission>, kind: 'read' | 'write', names: string[]): Promise<{ order: string[]; refused: string[] }> {
    const holder = admitted(await admission.enter(kind));
    const order: string[] = [];
    const refused: string[] = [];
    const turns = new Map<string, { leave: () => void }>();
    const queued = names.map((name) =>
      admission.enter(kind).then((turn) => {
        if (typeof turn === 'string') return refused.push(name);
        order.push(name);
        turns.set(name, turn);
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    holder.leave();
    for (let i = 0; i < names.length - refused.length; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(order.length, i + 1, 'one admitted for each turn given back');
      turns.get(order[i])!.leave();
    }
    await Promise.all(queued);
    assert.equal(admission.stats().inFlight[kind], 0);
    return { order, refused };
  }

  it('a turn given back goes to the oldest waiting; a read’s to the newest for OVERLOADED_MS after its queue overflowed (the queue half as long), then to the oldest again', async () => {
    let now = 0;
    const admission = createAdmission(limits({ queue: 4 }, { queue: 4 }), () => now);
    for (const kind of ['read', 'write'] as const) assert.deepEqual(await served(admission, kind, ['a', 'b', 'c', 'd']), { order: ['a', 'b', 'c', 'd'], refused: [] }, `${kind}: a process that keeps up serves in order`);
    // A fifth finds the queue full: a read refuses the oldest down to half the queue and serves the newest first from then on; a write refuses the newcomer, and stays in order.
    assert.deepEqual(await served(admission, 'read', ['a', 'b', 'c', 'd', 'e']), { order: ['e', 'd'], refused: ['a', 'b', 'c'] });
    assert.deepEqual(await served(admission, 'write', ['a', 'b', 'c', 'd', 'e']), { order: ['a', 'b', 'c', 'd'], refused: ['e'] });
    now += OVERLOADED_MS / 2;
    assert.deepEqual(await served(admission, 'read', ['a', 'b', 'c']), { order: ['c', 'b'], refused: ['a'] }, 'still overloaded halfway: two wait at most, newest first');
    // The half queue's overflow halfway did not prolong the overload.
    now = OVERLOADED_MS + 1;
    assert.deepEqual(await served(admission, 'read', ['a', 'b', 'c', 'd']), { order: ['a', 'b', 'c', 'd'], refused: [] }, 'in order, the whole queue, once OVERLOADED_MS has passed since the overflow');
  });

  it('a read served in order that waited its whole bound makes the queue newest first; one that waited its bound while newest first does not prolong it', async () => {
    let now = 0;
    const admission = createAdmission(limits({ waitMs: 20 }), () => now);
    const holder = admitted(await admission.enter('read'));
    assert.equal(await admission.enter('read'), 'waited');
    now += OVERLOADED_MS * 0.9;
    // Overloaded since 0: 'waited' again at 0.9 of it does not push its end further.
    assert.equal(await admission.enter('read'), 'waited');
    holder.leave();
    now = OVERLOADED_MS / 2;
    assert.deepEqual((await served(admission, 'read', ['a', 'b'])).order, ['b', 'a'], 'overloaded by the first wait');
    now = OVERLOADED_MS + 1;
    assert.deepEqual((await served(admission, 'read', ['a', 'b'])).order, ['a', 'b'], 'the second did not prolong it');
  });

  it('a read that waited its bound partly while the queue was newest first does not start another overload', async () => {
    let now = 0;
    const admission = createAdmission(limits({ waitMs: 40, queue: 4 }), () => now);
    const holder = admitted(await admission.enter('read'));
    // Four wait in order; a fifth finds the whole queue waiting: overloaded from 0, the three oldest refused.
    const waiting = [1, 2, 3, 4].map(() => admission.enter('read'));
    const fifth = admission.enter('read');
    assert.deepEqual(await Promise.all(waiting.slice(0, 3)), ['queue_full', 'queue_full', 'queue_full']);
    // The fourth (in order, then newest first) and the fifth (newest first) wait their bounds, which end after the overload: refused, but neither makes the queue overloaded again.
    now = OVERLOADED_MS + 1;
    assert.deepEqual([await waiting[3], await fifth], ['waited', 'waited']);
    holder.leave();
    assert.deepEqual((await served(admission, 'read', ['a', 'b', 'c'])).order, ['a', 'b', 'c'], 'served in order: no overload started again');
  });

  it('a request whose client left while it waited frees its place in the queue, and is neither served nor counted refused', async () => {
    const admission = createAdmission(limits({ queue: 1 }));
    const holder = admitted(await admission.enter('read'));
    let cancel: (() => void) | undefined;
    const left = admission.enter('read', (c) => (cancel = c));
    assert.equal(admission.stats().waiting.read, 1);
    cancel!();
    assert.equal(await left, 'gone');
    assert.equal(admission.stats().waiting.read, 0, 'its place freed');
    let cancelNext: (() => void) | undefined;
    const next = admission.enter('read', (c) => (cancelNext = c));
    holder.leave();
    admitted(await next);
    cancelNext!();
    assert.equal(admission.stats().inFlight.read, 1, 'cancelling once admitted changes nothing: the turn is still held');
    assert.equal(admission.stats().waiting.read, 0);
  });

  it('reads and writes have their own turns: writes in progress do not keep a read waiting', async () => {
    const admission = createAdmission(limits({}, { inFlight: 1, queue: 0 }));
    admitted(await admission.enter('write'));
    assert.equal(await admission.enter('write'), 'queue_full');
    admitted(await admission.enter('read'));
  });
});
