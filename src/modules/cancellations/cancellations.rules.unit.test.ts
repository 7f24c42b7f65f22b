import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusGroups, type ApplicationStatus } from '../applications';
import { changeRefusal, refundTotal, toldUrgently } from './cancellations.rules';

const applicationStatuses: ApplicationStatus[] = ['preselected', ...statusGroups.validated];

describe('cancellations rules (SVC-2)', () => {
  const running = { cancelledAt: null, mode: 'in_person' as const, firstMeeting: '2026-10-12', lastMeeting: '2027-06-28' };

  it('SVC-2 a session may be cancelled until the day before its first meeting, and moved to remote until its last meeting’s day', () => {
    assert.equal(changeRefusal('cancelled', running, '2026-09-20'), null);
    assert.equal(changeRefusal('cancelled', running, '2026-10-11'), null, 'the day before its first meeting');
    assert.equal(changeRefusal('remote', running, '2026-09-20'), null);
    assert.equal(changeRefusal('remote', running, '2026-10-20'), null, 'a session that runs may move to remote');
    assert.equal(changeRefusal('remote', running, '2027-06-28'), null, 'on its last day still');
    assert.equal(changeRefusal('cancelled', running, '2027-06-29')?.reason, 'ended');
    assert.equal(changeRefusal('remote', running, '2027-06-29')?.reason, 'ended');
  });

  it('SVC-2 a session whose first meeting has taken place is no longer cancelled (from that day on), with a message saying what may still be done', () => {
    for (const today of ['2026-10-12', '2026-10-13', '2027-06-28'])
      assert.deepEqual(changeRefusal('cancelled', running, today), { ok: false, code: 'SVC-2', reason: 'started', message: 'cancel.error.started' }, today);
    assert.equal(changeRefusal('cancelled', { ...running, mode: 'remote' }, '2026-10-13')?.reason, 'started', 'remote or not');
  });

  it('SVC-2 a session is cancelled once, and a cancelled one is no longer moved; a remote one is not moved again', () => {
    const cancelled = { ...running, cancelledAt: new Date('2026-10-01T10:00:00Z') };
    const notStarted = { ...running, firstMeeting: '2026-11-02' };
    assert.deepEqual(changeRefusal('cancelled', cancelled, '2026-10-20'), { ok: false, code: 'SVC-2', reason: 'already_cancelled', message: 'cancel.error.alreadyCancelled' });
    assert.equal(changeRefusal('remote', cancelled, '2026-10-20')?.reason, 'already_cancelled');
    assert.equal(changeRefusal('cancelled', { ...cancelled, lastMeeting: '2026-01-01' }, '2026-10-20')?.reason, 'already_cancelled', 'twice says "already cancelled", whatever the date');
    const remote = { ...running, mode: 'remote' as const };
    assert.equal(changeRefusal('remote', remote, '2026-10-20')?.reason, 'already_remote');
    assert.equal(changeRefusal('cancelled', { ...notStarted, mode: 'remote' }, '2026-10-20'), null, 'a remote session may still be cancelled before it starts');
  });

  it('SVC-2 everyone who applied is told urgently; a preselection not sent yet by the learner’s own channels; closed ones not at all', () => {
    const urgent = applicationStatuses.filter(toldUrgently);
    assert.deepEqual(urgent.sort(), ['accepted', 'awaiting_payment', 'confirmed', 'convoked', 'enrolled', 'waiting_list']);
  });

  it('SVC-2 the refunds announced add up the fees paid', () => {
    assert.deepEqual(refundTotal([]), { count: 0, cents: 0 });
    assert.deepEqual(refundTotal([15_000, 7_500]), { count: 2, cents: 22_500 });
  });
});
