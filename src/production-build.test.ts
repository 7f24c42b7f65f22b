import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect as tcp, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase } from '../test/db';
import type { Database } from './db/database';
import { buildProduction } from '../scripts/build';
import { freePort } from '../test/ports';

/** Decision 026: `npm run build`, then the built app as production runs it (node, no TypeScript loader), stopped by SIGTERM. */
const root = resolve(import.meta.dirname, '..');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));


interface Built {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function startBuilt(database: Database, vars: Record<string, string> = {}): Promise<Built> {
  const port = await freePort();
  const env: Record<string, string> = { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: database.url, SESSION_SECRET: 's'.repeat(40), LOG_LEVEL: 'warn', ...vars };
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TZ']) if (process.env[name]) env[name] = process.env[name]!;
  // No --import tsx: plain node on the built JavaScript.
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.js', 'start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(100)) {
    if (child.exitCode !== null) break;
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return { child, port, output: () => output, exited };
  }
  child.kill('SIGKILL');
  assert.fail(`the built app did not answer /healthz:\n${output}`);
}

/** A POST whose body is sent in two parts: in flight (headers read, body awaited) until `finish` is called. */
async function slowRequest(port: number) {
  const socket: Socket = tcp(port, '127.0.0.1');
  await new Promise((done) => socket.once('connect', done));
  let answer = '';
  socket.on('data', (c) => (answer += c));
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  const body = 'a=1&b=2';
  socket.write(`POST /langue/en HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 3)}`);
  return {
    finish: async () => {
      socket.write(body.slice(3));
      await closed;
      return answer;
    },
    close: () => socket.destroy(),
  };
}

const refused = (port: number) =>
  new Promise<string>((done) => {
    const s = tcp(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), done('connected')));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? 'error'));
  });

describe('the production build', () => {
  let database: Database;
  const children: ChildProcess[] = [];
  before(async () => {
    const { ms } = await buildProduction();
    console.log(`# built in ${ms} ms`);
    database = await createTestDatabase();
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await database.close();
  });

  it('runs with node alone, answers pages, and on SIGTERM finishes the request in flight, refuses new connections, exits 0', async () => {
    const app = await startBuilt(database);
    children.push(app.child);
    const page = await fetch(`http://127.0.0.1:${app.port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<\/html>/);
    assert.equal((await fetch(`http://127.0.0.1:${app.port}/aide`)).status, 200, 'the help content is read from dist/');
    assert.equal((await fetch(`http://127.0.0.1:${app.port}/static/app.css`)).status, 200, 'the static files are served from dist/');

    const inFlight = await slowRequest(app.port);
    await sleep(300);
    app.child.kill('SIGTERM');
    await sleep(500);
    assert.equal(await refused(app.port), 'ECONNREFUSED', 'a new connection is refused');
    const answer = await inFlight.finish();
    // The whole answer: its status line, and a body as long as it says.
    const [head, body] = answer.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 \d{3} /);
    const length = /content-length: (\d+)/i.exec(head);
    assert.ok(length, head);
    assert.equal(Buffer.byteLength(body), Number(length[1]), 'the body is complete');
    assert.equal(await app.exited, 0, app.output());
    assert.match(app.output(), /Stopping…/);
  });

  it('past SHUTDOWN_TIMEOUT_MS, exits with 1 and says so in one line', async () => {
    const app = await startBuilt(database, { SHUTDOWN_TIMEOUT_MS: '500' });
    children.push(app.child);
    const stuck = await slowRequest(app.port);
    await sleep(300);
    app.child.kill('SIGTERM');
    assert.equal(await app.exited, 1, app.output());
    assert.match(app.output(), /Cursus did not stop within 500 ms \(SHUTDOWN_TIMEOUT_MS\)/);
    stuck.close();
  });
});
