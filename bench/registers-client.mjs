// The register client, run in its own process by bench/registers.ts. One worker per trainer,
// each on their own meeting, does what a trainer does: opens the register page (which carries,
// per learner, the entry it shows: a save from a page drawn before another save is a conflict,
// ATT-1), then saves it through the real form (session cookie + its CSRF token) with a fresh
// submission token and marks drawn at random (most present, some late or absent), so that each
// save writes the entries that changed. Only the saves are timed and counted; the pages load the
// app too, so the saves per second are a floor.
import { randomInt, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const { url, csrfCookie, trainers, learners, connections, seconds } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ids = learners.join(' ');
function marks(seen) {
  const fields = [];
  for (const id of learners) {
    fields.push(`seen_${id}=${seen.get(id) ?? 0}`);
    const draw = randomInt(10);
    if (draw < 8) fields.push(`mark_${id}=present`);
    else if (draw === 8) fields.push(`mark_${id}=late`, `missed_${id}=${randomInt(60)}`);
    else fields.push(`mark_${id}=absent`);
  }
  return fields.join('&');
}

const latencies = [];
const statusCodeStats = {};
let errors = 0;
const started = performance.now();
const until = started + seconds * 1000;

async function trainerLoop(trainer) {
  const cookie = `cursus_sid=${trainer.token}; ${csrfCookie}`;
  while (performance.now() < until) {
    try {
      const page = await fetch(url + trainer.path, { headers: { cookie } });
      const html = await page.text();
      const seen = new Map([...html.matchAll(/name="seen_([0-9a-f-]{36})" value="(\d+)"/g)].map((m) => [m[1], m[2]]));
      const t0 = performance.now();
      const saved = await fetch(url + trainer.path, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: `_csrf=${encodeURIComponent(trainer.csrf)}&token=${randomUUID()}&learners=${encodeURIComponent(ids)}&${marks(seen)}`,
      });
      await saved.arrayBuffer();
      if (performance.now() > until) break; // answered after the end: not counted (its save is written)
      latencies.push(performance.now() - t0);
      statusCodeStats[saved.status] = { count: (statusCodeStats[saved.status]?.count ?? 0) + 1 };
    } catch {
      errors++;
    }
  }
}

await Promise.all(trainers.slice(0, connections).map(trainerLoop));
const duration = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]) : 0);
const total = latencies.length;
const non2xx = Object.entries(statusCodeStats).reduce((n, [code, s]) => n + (code.startsWith('2') ? 0 : s.count), 0);
process.stdout.write(JSON.stringify({ requests: { average: total / duration, total }, latency: { p50: at(0.5), p99: at(0.99), max: at(1) }, duration, statusCodeStats, errors, non2xx }));
