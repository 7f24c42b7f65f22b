// The shedding client, run in its own process by bench/shed.ts: an open loop at a fixed rate (a
// crowd does not wait for the server's answers before asking), each request one of `paths` in turn,
// for `seconds`. Prints, as JSON, the answers by status, how many 503 carried Retry-After, the
// latencies of the served (2xx) answers and those of the rest, and the requests that got no answer
// within `timeoutMs` (the client gives up, as a person does).
import http from 'node:http';
import { readFileSync } from 'node:fs';

const { url, paths, rate, seconds, timeoutMs = 10_000 } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const base = new URL(url);
const statuses = {};
const served = [];
const shedLatencies = [];
let retryAfter = 0;
let timeouts = 0;
let errors = 0;
let sent = 0;
let pending = 0;

function one(path) {
  const began = performance.now();
  sent++;
  pending++;
  const request = http.get({ host: base.hostname, port: base.port, path, agent, timeout: timeoutMs }, (response) => {
    response.resume();
    response.on('end', () => {
      pending--;
      const ms = performance.now() - began;
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
      if (response.statusCode >= 200 && response.statusCode < 300) served.push(ms);
      else shedLatencies.push(ms);
      if (response.statusCode === 503 && response.headers['retry-after']) retryAfter++;
    });
  });
  request.on('timeout', () => {
    timeouts++;
    request.destroy(new Error('timeout'));
  });
  request.on('error', (error) => {
    pending--;
    if (error.message !== 'timeout') errors++;
  });
}

const started = performance.now();
const total = Math.round(rate * seconds);
// Ticks of 10 ms, each sending what the schedule owes by now: the rate holds even when a tick is late.
await new Promise((done) => {
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    while (sent < due) one(paths[sent % paths.length]);
    if (sent >= total) {
      clearInterval(tick);
      done();
    }
  }, 10);
});
const sendingSeconds = (performance.now() - started) / 1000;
while (pending > 0 && performance.now() - started < (seconds * 1000 + timeoutMs + 2_000)) await new Promise((next) => setTimeout(next, 20));
agent.destroy();
const percentile = (list, p) => {
  if (!list.length) return null;
  const sorted = [...list].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
};
process.stdout.write(
  JSON.stringify({
    sent,
    sendingSeconds,
    statuses,
    retryAfter,
    timeouts,
    errors,
    served: { count: served.length, p50: percentile(served, 50), p99: percentile(served, 99), max: percentile(served, 100) },
    rest: { count: shedLatencies.length, p50: percentile(shedLatencies, 50), p99: percentile(shedLatencies, 99) },
  }),
);
