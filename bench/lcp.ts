/**
 * Largest contentful paint on a poor phone (issue 19 point 8): the home, search results, a course
 * sheet and « mes candidatures » (logged in as the demo learner with three sessions saved), on the
 * app in production mode with a realistic catalogue (BENCH_SESSIONS, 20 000 by default, as
 * bench/search.ts), loaded in Debian's chromium through playwright-core with DevTools protocol
 * emulation:
 *
 *   - Network.emulateNetworkConditions at Chrome DevTools' "Slow 4G" preset
 *     (front_end/core/sdk/NetworkManager.ts, Slow4GConditions, the former "Fast 3G", renamed in May
 *     2024 to match Lighthouse): 150 ms RTT × 3.75 = 562.5 ms of latency per request,
 *     1.6 Mbps × 0.9 down (180 000 B/s), 750 kbps × 0.9 up (84 375 B/s). Lighthouse's
 *     mobileSlow4G (core/config/constants.js) is the same with requestLatencyMs 562.5 and
 *     1.6 × 1024 × 0.9 kbps down;
 *   - Emulation.setCPUThrottlingRate, rate 4 (Lighthouse's cpuSlowdownMultiplier);
 *   - a phone's screen (Lighthouse's: 412 × 823 CSS pixels, device scale 1.75, mobile).
 *
 * LCP is read from a buffered PerformanceObserver('largest-contentful-paint') once the page has
 * loaded. Each page BENCH_RUNS times (5 by default) with a cold cache (Network.clearBrowserCache
 * before the load) and as many with a warm one (the same page loaded just before); the medians are
 * printed as Markdown for bench/README.md. Target: ≤ 1 000 ms.
 *
 *   flock /tmp/cursus-bench.lock npm run bench:lcp
 */
import { chromium, type CDPSession, type Page } from 'playwright-core';
import { seedCatalogue } from '../src/modules/catalogue/catalogue.seed';
import { DEMO_LEARNER, DEMO_PASSWORD, seedDemo } from '../src/demo/seed';
import { systemClock } from '../src/platform/clock';
import { loadAverage, startBenchApp } from './lib';

const sessions = Number(process.env.BENCH_SESSIONS ?? 20_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const TARGET_MS = 1_000;

/** Chrome DevTools' "Slow 4G" (see above). */
export const SLOW_4G = { offline: false, latency: 150 * 3.75, downloadThroughput: (1.6 * 1000 * 1000) / 8 * 0.9, uploadThroughput: (750 * 1000) / 8 * 0.9 };
export const CPU_SLOWDOWN = 4;

interface Measure {
  lcp: number;
  fcp: number;
  /** Bytes over the wire: the page and what it loaded (0 for what came from the cache). */
  bytes: number;
  requests: number;
}

/** After the load: LCP (buffered), FCP and what was transferred. */
async function measure(page: Page): Promise<Measure> {
  return page.evaluate(
    () =>
      new Promise<Measure>((resolve) => {
        let lcp = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) lcp = entry.startTime;
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => {
          const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
          const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
          resolve({ lcp, fcp, bytes: entries.reduce((sum, e) => sum + e.transferSize, 0), requests: entries.length });
        }, 200);
      }),
  );
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function main() {
  const loadBefore = loadAverage();
  const began = Date.now();
  const started = await startBenchApp(async (database) => {
    await seedCatalogue(database.db, systemClock, { sessions });
    await seedDemo(database.db, systemClock);
    await database.pool.query('analyze');
  });
  const { close } = started;
  // localhost: a secure context for chromium, as the https address of a deployment is (the production cookies are Secure).
  const base = started.base.replace('127.0.0.1', 'localhost');
  const seeded = Date.now() - began;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    const page = await context.newPage();
    // A stylesheet or script the CSP refused would make a fast page that looks broken: counted, and the bench fails.
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    // Unthrottled: log in as the demo learner and save three sessions of a course found by a search.
    const search = '/recherche?q=anglais';
    await page.goto(`${base}${search}`);
    const sheet = await page.locator('a[href^="/formations/"]').first().getAttribute('href');
    if (!sheet) throw new Error('no course in the search results');
    await page.goto(`${base}/connexion`);
    await page.getByLabel('Adresse électronique').fill(DEMO_LEARNER);
    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/connexion'));
    for (let i = 0; i < 3; i++) {
      await page.goto(`${base}${sheet.split('#')[0]}`);
      const save = page.locator('form[action="/candidatures"] button[type="submit"]');
      if ((await save.count()) <= i) break;
      await save.nth(i).click();
      await page.waitForURL(/\/candidatures/);
    }

    await page.goto(`${base}/candidatures`);
    const saved = await page.locator('ul.applications > li').count();
    if (new URL(page.url()).pathname !== '/candidatures' || saved === 0) throw new Error(`the demo learner is not logged in with saved sessions (${page.url()}, ${saved})`);

    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });

    const pages: [string, string][] = [
      ['home', '/'],
      ['search results', search],
      ['course sheet', sheet.split('#')[0]],
      ['mes candidatures', '/candidatures'],
    ];
    const rows: string[] = [];
    let missed = 0;
    for (const [label, path] of pages) {
      const cold: Measure[] = [];
      const warm: Measure[] = [];
      for (let i = 0; i < runs; i++) {
        await cdp.send('Network.clearBrowserCache');
        await page.goto(`${base}${path}`, { waitUntil: 'load' });
        cold.push(await measure(page));
        // The same page again: its static files are in the cache now.
        await page.goto(`${base}${path}`, { waitUntil: 'load' });
        warm.push(await measure(page));
      }
      const row = (kind: string, m: Measure[]) => {
        const lcp = median(m.map((x) => x.lcp));
        if (lcp > TARGET_MS) missed++;
        return `| ${label} | ${kind} | ${lcp.toFixed(0)} ms | ${median(m.map((x) => x.fcp)).toFixed(0)} ms | ${Math.min(...m.map((x) => x.lcp)).toFixed(0)}–${Math.max(...m.map((x) => x.lcp)).toFixed(0)} ms | ${(median(m.map((x) => x.bytes)) / 1000).toFixed(1)} kB in ${median(m.map((x) => x.requests))} | ${lcp <= TARGET_MS ? 'met' : 'NOT met'} |`;
      };
      rows.push(row('cold', cold), row('warm', warm));
    }
    console.log(
      `\nNode ${process.version}, chromium ${browser.version()}, ${sessions} sessions (seeded in ${(seeded / 1000).toFixed(0)} s), ${runs} runs per line; ` +
        `Slow 4G (562.5 ms latency, 1.44 Mbps down, 675 kbps up), CPU ×${CPU_SLOWDOWN}, 412×823 @1.75; load average (1/5/15 min) ${loadBefore} at the start, ${loadAverage()} at the end\n`,
    );
    console.log('| page | cache | LCP (median) | FCP (median) | LCP range | transferred (median), requests | ≤ 1 s |');
    console.log('|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(`\nTarget (LCP ≤ ${TARGET_MS} ms): ${missed ? `NOT met on ${missed} lines` : 'met on every line'}; resources refused by the CSP: ${refused.length}`);
    for (const line of new Set(refused)) console.log(`  ${line}`);
    if (missed || refused.length) process.exitCode = 1;
  } finally {
    await browser.close();
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
