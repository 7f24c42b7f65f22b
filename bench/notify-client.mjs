// The notification client, run in its own process by bench/payments.ts: PayFiP's server-to-server
// notifications (`POST urlnotif` with the form field `idOp`, nothing else, not signed), in the
// order given, `inFlight` at a time on keep-alive connections. Prints the timings as JSON.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const { url, idOps, inFlight } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: inFlight });

function notify(idOp) {
  const body = new URLSearchParams({ idOp }).toString();
  const started = performance.now();
  return new Promise((done) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => done({ status: res.statusCode, ms: performance.now() - started }));
      },
    );
    req.on('error', (error) => done({ error: error.message, ms: performance.now() - started }));
    req.end(body);
  });
}

const results = [];
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: inFlight }, async () => {
    while (next < idOps.length) results.push(await notify(idOps[next++]));
  }),
);
const seconds = (performance.now() - started) / 1000;
agent.destroy();

const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)];
const statuses = {};
for (const r of results) statuses[r.status ?? 'error'] = (statuses[r.status ?? 'error'] ?? 0) + 1;
process.stdout.write(JSON.stringify({ sent: results.length, seconds, p50: at(0.5), p99: at(0.99), max: latencies.at(-1), statuses, errors: results.filter((r) => r.error).length }));
