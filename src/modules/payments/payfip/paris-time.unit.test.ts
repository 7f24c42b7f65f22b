import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parisYear, payfipDateTime, toPayfipDateTime } from './paris-time';

const at = (dattrans: string, heurtrans: string) => payfipDateTime(dattrans, heurtrans)?.toISOString();

describe('PAY-2: PayFiP dates are Paris wall time, summer time included', () => {
  it('reads dattrans DDMMYYYY and heurtrans HHMM in winter (UTC+1) and in summer (UTC+2)', () => {
    assert.equal(at('12122019', '1311'), '2019-12-12T12:11:00.000Z', 'the answer eopayment recorded from PayFiP');
    assert.equal(at('15012026', '1430'), '2026-01-15T13:30:00.000Z');
    assert.equal(at('15072026', '1430'), '2026-07-15T12:30:00.000Z');
    assert.equal(at('15072026', '143059'), '2026-07-15T12:30:59.000Z', 'seconds, when given');
    assert.equal(at('01012027', '0005'), '2026-12-31T23:05:00.000Z', 'just after midnight in Paris is still the last day of the year in UTC');
  });

  it('on the night clocks go forward (29 March 2026, 02:00 → 03:00)', () => {
    assert.equal(at('29032026', '0130'), '2026-03-29T00:30:00.000Z', 'still winter time');
    assert.equal(at('29032026', '0159'), '2026-03-29T00:59:00.000Z');
    assert.equal(at('29032026', '0300'), '2026-03-29T01:00:00.000Z', 'summer time from 03:00');
    assert.equal(at('29032026', '0330'), '2026-03-29T01:30:00.000Z');
    // 02:30 is never shown that night: read with the offset before the change, as Temporal's "compatible".
    assert.equal(at('29032026', '0230'), '2026-03-29T01:30:00.000Z');
  });

  it('on the night clocks go back (25 October 2026, 03:00 → 02:00): the hour shown twice is the first one', () => {
    assert.equal(at('25102026', '0130'), '2026-10-24T23:30:00.000Z', 'summer time');
    assert.equal(at('25102026', '0230'), '2026-10-25T00:30:00.000Z', 'first 02:30 (summer time)');
    assert.equal(at('25102026', '0300'), '2026-10-25T02:00:00.000Z', 'winter time');
    assert.equal(at('25102026', '0330'), '2026-10-25T02:30:00.000Z');
  });

  it('writes an instant the way PayFiP does, and reads back what it wrote, every quarter hour around both changes', () => {
    assert.deepEqual(toPayfipDateTime(new Date('2026-07-15T12:30:42Z')), { dattrans: '15072026', heurtrans: '1430' });
    assert.deepEqual(toPayfipDateTime(new Date('2026-03-29T01:00:00Z')), { dattrans: '29032026', heurtrans: '0300' });
    for (const start of ['2026-03-28T12:00:00Z', '2026-10-24T12:00:00Z']) {
      for (let t = Date.parse(start); t < Date.parse(start) + 24 * 3_600_000; t += 15 * 60_000) {
        const { dattrans, heurtrans } = toPayfipDateTime(new Date(t));
        const back = payfipDateTime(dattrans, heurtrans)!.getTime();
        // The second 02:xx of 25 October reads as the first: one hour earlier, the only loss.
        const repeated = t >= Date.parse('2026-10-25T01:00:00Z') && t < Date.parse('2026-10-25T02:00:00Z');
        assert.equal(back, repeated ? t - 3_600_000 : t, new Date(t).toISOString());
      }
    }
  });

  it('refuses what is not a date and a time', () => {
    for (const [d, h] of [
      ['31022026', '1200'],
      ['00012026', '1200'],
      ['01132026', '1200'],
      ['12122019', '2400'],
      ['12122019', '1260'],
      ['2019-12-12', '1311'],
      ['12122019', '13:11'],
      ['', ''],
    ])
      assert.equal(payfipDateTime(d, h), undefined, `${d} ${h}`);
  });

  it('gives the budget year on Paris’s calendar (exer)', () => {
    assert.equal(parisYear(new Date('2026-12-31T23:30:00Z')), 2027);
    assert.equal(parisYear(new Date('2026-12-31T22:30:00Z')), 2026);
  });
});
