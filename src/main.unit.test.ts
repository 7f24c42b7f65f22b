import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../test/cli';

const cli = runCli;

describe('start', () => {
  it('a DATABASE_URL without NODE_ENV=production or DEMO: `start` refuses in one line, before touching the database (no demo seeded into it)', async () => {
    // Port 9 (discard): were the app to connect and seed, it would fail differently and later.
    const run = await cli(['start'], { DATABASE_URL: 'postgres://cursus:secret@127.0.0.1:9/cursus', PORT: '0' });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout, '', 'nothing seeded, nothing started');
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /^Configuration error: DATABASE_URL .*NODE_ENV=production.*DEMO=1/);
  });
});

describe('create-staff --desk (SVC-5)', () => {
  it('SVC-5 --desk is a counsellor’s: with another role the command refuses in one line, before touching the database', async () => {
    const run = await cli(['create-staff', '--email', 'agent@example.org', '--role', 'trainer', '--name', 'Agent', '--desk', '1'], { DATABASE_URL: 'postgres://cursus:secret@127.0.0.1:9/cursus', DEMO: '0' });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr.trim(), '--desk is for a counsellor (--role counsellor).');
    const empty = await cli(['create-staff', '--email', 'agent@example.org', '--role', 'counsellor', '--name', 'Agent', '--desk', ' '], { DATABASE_URL: 'postgres://cursus:secret@127.0.0.1:9/cursus', DEMO: '0' });
    assert.equal(empty.code, 1);
    assert.equal(empty.stderr.trim(), '--desk needs the help desk’s id or name.');
  });

  it('SVC-5 the usage says --desk', async () => {
    const run = await cli([], { DATABASE_URL: 'postgres://cursus:secret@127.0.0.1:9/cursus', DEMO: '0' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /create-staff .*\[--desk D\]/);
    assert.match(run.stdout, /--desk D \(the help desk.s id or name, SVC-5\)/);
  });
});

describe('draw', () => {
  it('SEL-2 `npm run cli -- draw` with a wrong seed says the commitment does not match, prints no order, and exits with 1 (the cases: draw-command.unit.test.ts)', async () => {
    const { commitmentOf, drawReference } = await import('./modules/selection/draw.rules');
    const run = await cli(['draw', '--seed', 'ffffffffffffffffffffffffffffffff', '--commitment', commitmentOf('00112233445566778899aabbccddeeff'), drawReference('3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b')], {});
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /does not match the commitment/);
    assert.doesNotMatch(run.stdout, /^1\. /m);
  });
});
