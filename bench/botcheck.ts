/**
 * How long the sign-up's proof-of-work (ACC-2) takes to solve: `npm run bench:botcheck`.
 *
 * The same challenges the app makes (`altcha-lib` v2, SHA-256, cost 1, a counter chosen by the
 * server) solved three ways: with altcha-lib's Node solver (node:crypto, what a bot would use),
 * with its browser solver (crypto.subtle, one digest per await) in this Node, and with the
 * browser solver in Debian's chromium, loaded from `/vendor/altcha/` exactly as `public/app.js`
 * does. The figure that sets the cost is chromium's: a person's browser.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createChallenge, solveChallenge, type Challenge } from 'altcha-lib';
import { deriveKey as nodeDeriveKey } from 'altcha-lib/algorithms/sha';
import { chromium } from 'playwright-core';
import { POW_COUNTER_MAX, POW_COUNTER_MIN } from '../src/platform/botcheck';

const counters = (process.env.BENCH_COUNTERS ?? '50000,100000,200000,400000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const vendor = resolve(import.meta.dirname, '../node_modules/altcha-lib/dist/esm/v2');

const challengeAt = (counter: number) =>
  createChallenge({ algorithm: 'SHA-256', cost: 1, counter, deriveKey: nodeDeriveKey, hmacSignatureSecret: 'bench-signature', hmacKeySignatureSecret: 'bench-key' });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timeIt(solve: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await solve();
  return performance.now() - start;
}

async function main() {
  const webSha = await import(join(vendor, 'algorithms/web/sha.js'));
  // A page on a loopback address is a secure context: crypto.subtle is there, as on https.
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') return response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>pow</title>');
    const file = join(vendor, path.replace(/^\/vendor\/altcha\//, ''));
    if (!file.startsWith(vendor) || !file.endsWith('.js')) return response.writeHead(404).end();
    return response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  await page.goto(base);
  const inChromium = (challenge: Challenge) =>
    page.evaluate(async (c) => {
      // The page's own imports (public/app.js), from the same paths.
      const modules = ['/vendor/altcha/pow.js', '/vendor/altcha/algorithms/web/sha.js'];
      const [pow, sha] = await Promise.all(modules.map((m) => import(m)));
      const start = performance.now();
      await pow.solveChallenge({ challenge: c, deriveKey: sha.deriveKey });
      return performance.now() - start;
    }, challenge);

  console.log(`Node ${process.version}, chromium ${browser.version()}, median of ${rounds} solves each\n`);
  console.log('| counter | Node solver (node:crypto) | browser solver in Node (crypto.subtle) | browser solver in chromium |');
  console.log('|---|---|---|---|');
  for (const counter of counters) {
    const node: number[] = [];
    const subtle: number[] = [];
    const browserMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const challenge = await challengeAt(counter);
      node.push(await timeIt(() => solveChallenge({ challenge, deriveKey: nodeDeriveKey })));
      subtle.push(await timeIt(() => solveChallenge({ challenge, deriveKey: webSha.deriveKey })));
      browserMs.push(await inChromium(challenge));
    }
    const cell = (ms: number) => `${Math.round(ms)} ms (${Math.round((counter / ms) * 1000).toLocaleString('en')} hashes/s)`;
    console.log(`| ${counter.toLocaleString('en')} | ${cell(median(node))} | ${cell(median(subtle))} | ${cell(median(browserMs))} |`);
  }
  console.log(`\nThe app draws the counter from ${POW_COUNTER_MIN.toLocaleString('en')} to ${POW_COUNTER_MAX.toLocaleString('en')} (the solver tries every value from 0 up to it).`);
  await browser.close();
  server.close();
}

await main();
