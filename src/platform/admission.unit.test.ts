import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionClass, createAdmission, type AdmissionLimits } from './admission';

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

  it('a turn given back goes to a waiting request: the newest read first, the oldest write first', async () => {
    const admission = createAdmission(limits());
    for (const kind of ['read', 'write'] as const) {
      const holder = admitted(await admission.enter(kind));
      const order: string[] = [];
      const turns = new Map<string, { leave: () => void }>();
      const queued = ['first', 'second', 'third'].map((name) =>
        admission.enter(kind).then((turn) => {
          order.push(name);
          turns.set(name, admitted(turn));
        }),
      );
      holder.leave();
      for (let i = 0; i < 3; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(order.length, i + 1, 'one admitted for each turn given back');
        turns.get(order[i])!.leave();
      }
      await Promise.all(queued);
      assert.deepEqual(order, kind === 'read' ? ['third', 'second', 'first'] : ['first', 'second', 'third'], kind);
      assert.equal(admission.stats().inFlight[kind], 0);
    }
  });

  it('reads and writes have their own turns: writes in progress do not keep a read waiting', async () => {
    const admission = createAdmission(limits({}, { inFlight: 1, queue: 0 }));
    admitted(await admission.enter('write'));
    assert.equal(await admission.enter('write'), 'queue_full');
    admitted(await admission.enter('read'));
  });
});
