import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { drawCommand } from './draw-command';
import { commitmentOf, drawOrder, drawReference } from './modules/selection/draw.rules';

// A published draw, as /sessions/CODE/selection.json serves it once its seed is revealed.
const seed = '00112233445566778899aabbccddeeff';
const ids = ['3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', '11111111-2222-4333-8444-555555555555'];
const references = ids.map(drawReference);
const order = drawOrder(seed, references);
const printed = (stdout: string[]) => stdout.filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, ''));
const dir = mkdtempSync(join(tmpdir(), 'cursus-draw-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

describe('draw command', () => {
  it('SEL-2 `draw --seed S --commitment C REF…` checks the seed against the commitment and prints the order', () => {
    const run = drawCommand(['--seed', seed, '--commitment', commitmentOf(seed), ...[...references].reverse()], 'usage');
    assert.equal(run.code, 0, run.stderr.join('\n'));
    assert.match(run.stdout[0], /The seed matches the commitment/);
    assert.deepEqual(printed(run.stdout), order);
    // References typed in lower case, a commitment pasted in capitals: the same.
    const loose = drawCommand(['--seed', seed, '--commitment', commitmentOf(seed).toUpperCase(), ...references.map((r) => r.toLowerCase())], 'usage');
    assert.deepEqual(printed(loose.stdout), order);
  });

  it('SEL-2 with a wrong seed the command says the commitment does not match, gives no order, exit code 1', () => {
    const run = drawCommand(['--seed', 'ffffffffffffffffffffffffffffffff', '--commitment', commitmentOf(seed), ...references], 'usage');
    assert.equal(run.code, 1);
    assert.match(run.stderr.join('\n'), /does not match the commitment/);
    assert.deepEqual(printed(run.stdout), []);
  });

  it('SEL-2 `draw --file selection.json` re-runs the published draw; a file whose seed or order was changed fails', () => {
    const good = drawCommand(['--file', file('good.json', { session: { code: 'S' }, draw: { commitment: commitmentOf(seed), seed, order } })], 'usage');
    assert.equal(good.code, 0, good.stderr.join('\n'));
    assert.deepEqual(printed(good.stdout), order);
    assert.match(good.stdout.at(-1)!, /The order published is the order this seed gives/);
    const wrongSeed = drawCommand(['--file', file('seed.json', { draw: { commitment: commitmentOf(seed), seed: 'another', order } })], 'usage');
    assert.equal(wrongSeed.code, 1);
    assert.match(wrongSeed.stderr.join('\n'), /does not match the commitment/);
    const wrongOrder = drawCommand(['--file', file('order.json', { draw: { commitment: commitmentOf(seed), seed, order: [...order].reverse() } })], 'usage');
    assert.equal(wrongOrder.code, 1);
    assert.match(wrongOrder.stderr.join('\n'), /order published differs/);
  });

  it('bad input: a seed not revealed yet, no draw, not JSON, no such file, odd references, a malformed commitment, an unknown option: a message and exit code 1', () => {
    const cases: [string[], RegExp][] = [
      [['--file', file('secret.json', { draw: { commitment: commitmentOf(seed), seed: null, order: [] } })], /not revealed yet/],
      [['--file', file('none.json', { draw: null })], /no committed draw yet/],
      [['--file', file('bad.json', 'not json\u0000')], /is not the JSON/],
      [['--file', join(dir, 'missing.json')], /No such file/],
      [['--seed', seed, 'not-a-reference'], /Not draw references/],
      [['--seed', seed, '--commitment', 'abc', ...references], /64 hexadecimal/],
      [['--seed', seed, '--nope'], /Unknown option/],
      [[], /draw needs --seed/],
    ];
    for (const [args, message] of cases) {
      const run = drawCommand(args, 'usage');
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr.join('\n'), message, args.join(' '));
    }
  });
});
