// The rush client, run in its own process by bench/rush.ts: every learner validates their
// application once, through the app's real form (session cookie + its session's CSRF token), 100 at a time.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const { url, csrfCookie, learners, connections } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
let next = 0;
// The applications whose validation was answered 303 (the learner saw it done): the deployment
// mode (BENCH_DEPLOY=1) checks that each of them is there, with its event and its email.
const seeOther = [];
// autocannon's own duration ends on its one-second tick: the time from the start to the last answer is measured here.
const started = performance.now();
let lastAnswer = started;
const result = await autocannon({
  url,
  connections,
  amount: learners.length,
  requests: [
    {
      method: 'POST',
      setupRequest: (request, context) => {
        const learner = learners[next++ % learners.length];
        context.applicationId = learner.applicationId;
        return {
          ...request,
          path: `/candidatures/${learner.applicationId}/valider`,
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cursus_sid=${learner.token}; ${csrfCookie}` },
          body: `_csrf=${encodeURIComponent(learner.csrf)}&rules=on`,
        };
      },
      onResponse: (status, _body, context) => {
        lastAnswer = performance.now();
        if (status === 303) seeOther.push(context.applicationId);
      },
    },
  ],
});
process.stdout.write(JSON.stringify({ requests: result.requests, latency: result.latency, duration: (lastAnswer - started) / 1000, tickDuration: result.duration, statusCodeStats: result.statusCodeStats, errors: result.errors, non2xx: result.non2xx, seeOther }));
