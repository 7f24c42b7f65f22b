// A client run in its own process by bench/search.ts and bench/api.ts: for `seconds`, each request
// asks one of `paths` drawn at random (a varied mix: what a rush of people searching many
// different things looks like to the server), with `headers`.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const { url, paths, connections, seconds, headers } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// A small deterministic generator: the same run draws the same sequence.
let seed = 17;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const result = await autocannon({
  url,
  connections,
  duration: seconds,
  requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths[Math.floor(random() * paths.length)], headers: { ...request.headers, ...headers } }) }],
});
process.stdout.write(JSON.stringify({ requests: result.requests, latency: result.latency, duration: result.duration, errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts, '2xx': result['2xx'], '3xx': result['3xx'], '5xx': result['5xx'] }));
