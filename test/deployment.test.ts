import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildProduction } from '../scripts/build';
import type { Database } from '../src/db/database';
import { createTestDatabase } from './db';
import { freePorts } from './ports';

/**
 * Issue 19 point 3: deploy/ as a city installs it, started on this machine by deploy/local.sh —
 * Debian's nginx with deploy/nginx/cursus.conf in front of two built app processes in production
 * mode on one PostgreSQL. What nginx and the processes do together: both serve, a process killed
 * with SIGKILL costs no request (nginx passes what never reached it to the other), it rejoins when
 * restarted, the client's address is the one nginx saw (TRUST_PROXY), and SIGTERM stops all.
 */
const root = resolve(import.meta.dirname, '..');
const script = join(root, 'deploy', 'local.sh');


describe('issue 19: the deployment of deploy/ (nginx, two app processes, one PostgreSQL)', () => {
  let database: Database;
  let state: string;
  let env: Record<string, string>;
  let site: string;
  let appPort: number;
  const run = (...args: string[]) => {
    const result = spawnSync('bash', [script, ...args], { env, encoding: 'utf8', timeout: 120_000 });
    assert.equal(result.status, 0, `deploy/local.sh ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`);
    return result.stderr + result.stdout;
  };
  /** Requests answered by each process so far, from its own /metrics (read on its port, from this machine). */
  const served = async (n: number) => {
    const text = await (await fetch(`http://127.0.0.1:${appPort + n - 1}/metrics`)).text();
    return [...text.matchAll(/^cursus_http_requests_total\{[^}]*route="\/recherche"[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  };

  before(async () => {
    if (!existsSync('/usr/sbin/nginx')) assert.fail('the deployment test needs Debian’s nginx: apt-get install -y nginx (.ci/run installs it)');
    database = await createTestDatabase();
    const dist = join(root, '.test-data', `deploy-dist-${process.pid}`);
    await buildProduction({ out: dist });
    state = mkdtempSync(join(tmpdir(), 'cursus-deploy-'));
    const http = await freePorts(1);
    appPort = await freePorts(2);
    site = `http://127.0.0.1:${http}`;
    env = { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', STATE_DIR: state, DIST: dist, HTTP_PORT: String(http), APP_PORT: String(appPort), PROCESSES: '2', DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
  });
  after(async () => {
    if (env) spawnSync('bash', [script, 'stop'], { env, timeout: 60_000 });
    if (env?.DIST) rmSync(env.DIST, { recursive: true, force: true });
    if (state) rmSync(state, { recursive: true, force: true });
    await database?.close();
  });

  it('starts two processes at once on one database, behind nginx, both serving', async () => {
    run('start');
    for (let i = 0; i < 20; i++) assert.equal((await fetch(`${site}/recherche`)).status, 200);
    assert.ok((await served(1)) > 0 && (await served(2)) > 0, `nginx shares the requests: ${await served(1)} and ${await served(2)}`);
    assert.equal((await fetch(`${site}/metrics`)).status, 404, 'the metrics are not public through nginx');
    assert.equal((await fetch(`${site}/readyz`)).status, 200);
  });

  it('TRUST_PROXY: nginx replaces the X-Forwarded-For a client sends with the address it saw (the one the app believes)', async () => {
    // The app's per-address limits key on request.ip: a header passed on as the client wrote it would give a new address per request.
    const page = await fetch(`${site}/`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    assert.equal(page.status, 200);
    const log = readFileSync(join(state, 'nginx', 'access.log'), 'utf8');
    assert.match(log, /^127\.0\.0\.1 /m);
    const config = readFileSync(join(state, 'nginx', 'cursus.conf'), 'utf8');
    assert.match(config, /proxy_set_header X-Forwarded-For \$remote_addr;/, 'nginx replaces the header with the address it saw');
  });

  it('a process killed with SIGKILL costs no request: nginx passes them to the other; restarted, it serves again', async () => {
    run('kill', '1');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await fetch(`${site}/recherche?motcle=anglais`)).status);
    assert.deepEqual([...new Set(statuses)], [200], 'every request answered while process 1 is down');
    run('restart', '1');
    // nginx tries a failed server again after fail_timeout (5 s, deploy/nginx/cursus.conf).
    const before = await served(1);
    for (const deadline = Date.now() + 15_000; Date.now() < deadline && (await served(1)) === before; await new Promise((done) => setTimeout(done, 200)))
      assert.equal((await fetch(`${site}/recherche`)).status, 200);
    assert.ok((await served(1)) > before, 'the restarted process gets requests again');
  });

  it('SIGTERM stops every process gracefully (no timeout) and nginx quits', async () => {
    run('stop');
    for (const n of [1, 2]) {
      const log = readFileSync(join(state, `app-${n}.log`), 'utf8');
      assert.match(log, /Stopping…/);
      assert.doesNotMatch(log, /did not stop within/);
    }
    await assert.rejects(fetch(`${site}/readyz`), 'nginx no longer answers');
  });
});
