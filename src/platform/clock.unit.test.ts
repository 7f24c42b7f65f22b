import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parisDateTime, parisInstant } from './clock';

describe('Paris clocks', () => {
  it('SEL-3 a day and a time are read on Paris clocks, winter and summer, and written back the same', () => {
    assert.equal(parisInstant('2027-01-12', '09:30').toISOString(), '2027-01-12T08:30:00.000Z');
    assert.equal(parisInstant('2027-06-15', '18:00').toISOString(), '2027-06-15T16:00:00.000Z');
    assert.equal(parisInstant('2026-12-31', '23:30').toISOString(), '2026-12-31T22:30:00.000Z');
    assert.equal(parisInstant('2026-10-25', '00:00').toISOString(), '2026-10-24T22:00:00.000Z', 'the night summer time ends');
    for (const [day, time] of [['2027-01-12', '09:30'], ['2026-08-25', '00:00'], ['2027-03-29', '23:59']])
      assert.equal(parisDateTime(parisInstant(day, time)), `${day.slice(8)}/${day.slice(5, 7)}/${day.slice(0, 4)} ${time}`);
  });

  it('SEL-3 PAY-1 the hours around the changes of time: before the spring change, the skipped hour, the autumn hour shown twice', () => {
    assert.equal(parisInstant('2026-03-29', '01:30').toISOString(), '2026-03-29T00:30:00.000Z', 'before the change: winter time');
    assert.equal(parisInstant('2026-03-29', '02:30').toISOString(), '2026-03-29T01:30:00.000Z', 'the skipped hour: read with the offset before the change');
    assert.equal(parisInstant('2026-03-29', '03:30').toISOString(), '2026-03-29T01:30:00.000Z', 'after the change: summer time');
    assert.equal(parisInstant('2026-10-25', '02:30').toISOString(), '2026-10-25T00:30:00.000Z', 'the hour shown twice: its first, summer-time instant');
    assert.equal(parisInstant('2026-10-25', '03:30').toISOString(), '2026-10-25T02:30:00.000Z');
  });
});
