// The register client, run in its own process by bench/registers.ts: each request saves one
// meeting's register through the app's real form (session cookie + its CSRF token), with a fresh
// submission token and marks drawn at random (most present, some late or absent), so that each
// save writes the entries that changed, as a trainer's corrections do.
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const { url, csrfCookie, trainers, learners, connections, seconds } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let next = 0;
const ids = learners.join(' ');
function marks() {
  const fields = [];
  for (const id of learners) {
    const draw = randomInt(10);
    if (draw < 8) fields.push(`mark_${id}=present`);
    else if (draw === 8) fields.push(`mark_${id}=late`, `missed_${id}=${randomInt(60)}`);
    else fields.push(`mark_${id}=absent`);
  }
  return fields.join('&');
}
const result = await autocannon({
  url,
  connections,
  duration: seconds,
  requests: [
    {
      method: 'POST',
      setupRequest: (request) => {
        const trainer = trainers[next++ % trainers.length];
        return {
          ...request,
          path: trainer.path,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cursus_sid=${trainer.token}; ${csrfCookie}` },
          body: `_csrf=${encodeURIComponent(trainer.csrf)}&token=${randomUUID()}&learners=${encodeURIComponent(ids)}&${marks()}`,
        };
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ requests: result.requests, latency: result.latency, duration: result.duration, statusCodeStats: result.statusCodeStats, errors: result.errors, non2xx: result.non2xx }));
