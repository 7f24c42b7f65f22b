import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..');

/** `npm run cli -- …` in a child process with only these variables (and what a shell gives). */
function cli(args: string[], vars: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: Record<string, string> = { ...vars };
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']) if (process.env[name]) env[name] = process.env[name]!;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    }),
  );
}

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

describe('draw', () => {
  // A published draw, as /sessions/CODE/selection.json serves it (its seed revealed).
  const seed = '00112233445566778899aabbccddeeff';
  const ids = ['3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b', '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', '11111111-2222-4333-8444-555555555555'];

  it('SEL-2 `draw --seed S --commitment C REF…` checks the seed against the commitment and prints the order', async () => {
    const { commitmentOf, drawOrder, drawReference } = await import('./modules/selection/draw.rules');
    const references = ids.map(drawReference);
    const run = await cli(['draw', '--seed', seed, '--commitment', commitmentOf(seed), ...references], {});
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /The seed matches the commitment/);
    const printed = run.stdout.split('\n').filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, ''));
    assert.deepEqual(printed, drawOrder(seed, references));
  });

  it('SEL-2 with a wrong seed the command says the commitment does not match, prints no order, and exits with 1', async () => {
    const { commitmentOf, drawReference } = await import('./modules/selection/draw.rules');
    const run = await cli(['draw', '--seed', 'ffffffffffffffffffffffffffffffff', '--commitment', commitmentOf(seed), ...ids.map(drawReference)], {});
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /does not match the commitment/);
    assert.doesNotMatch(run.stdout, /^1\. /m);
  });

  it('SEL-2 `draw --file selection.json` re-runs the published draw; a file whose seed or order was changed fails', async () => {
    const { commitmentOf, drawOrder, drawReference } = await import('./modules/selection/draw.rules');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'cursus-draw-'));
    const order = drawOrder(seed, ids.map(drawReference));
    const write = (name: string, draw: object) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify({ session: { code: 'S' }, draw }));
      return path;
    };
    const good = await cli(['draw', '--file', write('good.json', { commitment: commitmentOf(seed), seed, order })], {});
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /The order published is the order this seed gives/);
    const wrongSeed = await cli(['draw', '--file', write('seed.json', { commitment: commitmentOf(seed), seed: 'another', order })], {});
    assert.equal(wrongSeed.code, 1);
    assert.match(wrongSeed.stderr, /does not match the commitment/);
    const wrongOrder = await cli(['draw', '--file', write('order.json', { commitment: commitmentOf(seed), seed, order: [...order].reverse() })], {});
    assert.equal(wrongOrder.code, 1);
    assert.match(wrongOrder.stderr, /order published differs/);
    const notYet = await cli(['draw', '--file', write('secret.json', { commitment: commitmentOf(seed), seed: null, order: [] })], {});
    assert.equal(notYet.code, 1);
    assert.match(notYet.stderr, /not revealed yet/);
    const odd = await cli(['draw', '--seed', seed, 'not-a-reference'], {});
    assert.equal(odd.code, 1);
    assert.match(odd.stderr, /Not draw references/);
  });
});
