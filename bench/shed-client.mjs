// The shedding client, run in its own process by bench/shed.ts: an open loop at a fixed rate (a
// crowd does not wait for the server's answers before asking), each request one of `paths` in turn,
// for `seconds`. Prints, as JSON, the answers by status, how many 503 carried Retry-After, the
// latencies of the served (2xx) answers and those of the rest, and the requests that got no answer
// within `timeoutMs` (the client gives up, as a person does).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const { url, paths, rate, seconds, timeoutMs = 10_000, maxConnections = 256 } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// At most `maxConnections` at once, kept alive, as a proxy's pool to the app would be: a request
// with none free waits for one in this process, and that wait counts in its time (it is measured
// from when the schedule sends it). Without a bound, a crowd on one machine opens thousands of
// connections a second and overflows the kernel's listen queue: its SYNs dropped, resent after
// 1 s, 3 s, 7 s, it measures TCP's retries rather than the app.
const agent = new http.Agent({ keepAlive: true, maxSockets: maxConnections });
// The connections opened: a crowd reuses them (keep-alive); a new one per request would measure the listen queue, not the app.
let opened = 0;
const createConnection = agent.createConnection.bind(agent);
agent.createConnection = (...args) => {
  opened++;
  return createConnection(...args);
};
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

// The connections opened first (on /healthz, never shed) and kept alive: the crowd then starts on
// them, as it would on a proxy's pool, rather than with a burst of new connections its first
// second (which measures the kernel's handshakes).
await Promise.all(
  Array.from({ length: maxConnections }, () => new Promise((done) => http.get({ host: base.hostname, port: base.port, path: '/healthz', agent }, (response) => response.resume().on('end', done)).on('error', done))),
);
// This process's own lateness, and the requests waiting here for a connection: a client too busy
// to read its answers in time measures itself.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
let mostQueued = 0;
const started = performance.now();
const total = Math.round(rate * seconds);
// Ticks of 10 ms, each sending what the schedule owes by now: the rate holds even when a tick is late.
await new Promise((done) => {
  const tick = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    while (sent < due) one(paths[sent % paths.length]);
    mostQueued = Math.max(mostQueued, Object.values(agent.requests).reduce((n, list) => n + list.length, 0));
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
    opened,
    mostQueued,
    clientLoop: { p99: Math.round(loop.percentile(99) / 1e6), max: Math.round(loop.max / 1e6) },
    statuses,
    retryAfter,
    timeouts,
    errors,
    served: { count: served.length, p50: percentile(served, 50), p99: percentile(served, 99), max: percentile(served, 100) },
    rest: { count: shedLatencies.length, p50: percentile(shedLatencies, 50), p99: percentile(shedLatencies, 99) },
  }),
);
