import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkConnectionLine, enrolmentKey, planConnections, type CheckedConnection, type SessionFacts } from './connections.rules';
import { decodeConnections, readConnections } from './connections.service';

/** The sessions and enrolments docs/examples/connections.csv names, as the import would find them. */
const sessions = new Map<string, SessionFacts>([
  ['GLG101-S1-2026', { id: 1, mode: 'remote', from: new Date('2026-10-14T22:00:00Z'), until: new Date('2027-01-15T23:00:00Z'), inScope: true }],
  ['MSE147-S2-2027', { id: 2, mode: 'hybrid', from: new Date('2027-02-14T23:00:00Z'), until: new Date('2027-05-31T22:00:00Z'), inScope: true }],
]);
const enrolments = new Map([
  [enrolmentKey(1, 'camille.martin@example.org'), 'a-camille'],
  [enrolmentKey(1, 'youssef.benali@example.org'), 'a-youssef'],
  [enrolmentKey(2, 'youssef.benali@example.org'), 'a-youssef-2'],
]);
const facts = { sessions, enrolments, knownEmails: new Set(['camille.martin@example.org', 'youssef.benali@example.org']) };

describe('docs/attendance-import.md’s example file (issue 18)', () => {
  it('docs/examples/connections.csv is read and every line passes the import’s rules, nothing refused', () => {
    const decoded = decodeConnections(readFileSync(new URL('../../../docs/examples/connections.csv', import.meta.url)));
    assert.ok(decoded.ok);
    const read = readConnections(decoded.text);
    assert.ok(read.ok, JSON.stringify(read));
    const rows: CheckedConnection[] = [];
    for (const line of read.lines) {
      const checked = checkConnectionLine(line, facts);
      assert.ok(checked.ok, `line ${line.line}: ${JSON.stringify(checked)}`);
      rows.push(checked.row);
    }
    assert.deepEqual(
      rows.map((r) => r.minutes),
      [120, 115, 73, 77, 41, 120],
    );
    const planned = planConnections(rows, [], false);
    assert.ok(planned.ok);
    assert.equal(planned.plan.add.length, 6);
    // The same file again adds nothing; as a correction it changes nothing either.
    const recorded = rows.map((r) => ({ applicationId: r.applicationId, startsAt: r.startsAt, endsAt: r.endsAt }));
    const again = planConnections(rows, recorded, false);
    assert.ok(again.ok && again.plan.add.length === 0 && again.plan.unchanged.length === 6);
    const replaced = planConnections(rows, recorded, true);
    assert.ok(replaced.ok && replaced.plan.supersede.length === 0);
  });
});
