/**
 * Enrollee cards (issue 12, PAY-4): how many card PDFs `enrolleeCardPdf` renders per second, each
 * with its own name, card number, short code and signed verification URL (so its own QR code):
 * 1. sequentially, in this process's event loop (as a request handler renders one today);
 * 2. in a piscina pool of worker threads (the project's pool for CPU work, as for password
 *    hashing), of one thread fewer than the cores (the hashing pool's size) and of every core.
 * With the process's memory (RSS, heap, peak RSS) and the size of a card. No database.
 * Prints Markdown for bench/README.md.
 *
 *   npm run bench:cards            BENCH_CARDS sets the number of cards per run (default 1000)
 */
import { availableParallelism, cpus, loadavg } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { Piscina } from 'piscina';
import QRCode from 'qrcode';
import '../src/messages';
import { enrolleeCardPdf, type EnrolleeCardInput } from '../src/modules/payments/documents.pdf';

const CARDS = Number(process.env.BENCH_CARDS ?? 1000);

/** The card of learner `i`: a realistic name, session and a verification URL signed as the registry signs it (ES256 JWS, ~250 characters). */
function cardInput(i: number): EnrolleeCardInput {
  const code = (i * 2_654_435_761).toString(36).toUpperCase().padStart(10, 'K').slice(0, 10);
  return {
    locale: i % 5 === 0 ? 'en' : 'fr',
    holderName: `${['Élodie', 'Jean-Baptiste', 'Nguyễn Thị', 'Zoé', 'Maëlys'][i % 5]} ${['L’Hôte', 'Durand-Lefèvre', 'O’Connor', 'Çelik', 'Ngọc'][(i >> 2) % 5]} ${i}`,
    sessionTitle: 'Anglais – niveau B1 (conversation), soirée',
    sessionCode: `ANG-B1-${String(i % 20).padStart(2, '0')}`,
    schoolName: 'École élémentaire Parmentier, 11ᵉ arrondissement',
    year: '2026-2027',
    cardNumber: `C-2026-${String(i).padStart(6, '0')}`,
    code,
    verifyUrl: `https://cours.paris.fr/verifier/${code}?s=eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMDEifQ.${Buffer.from(`{"c":"${code}","k":"card","i":${i}}`).toString('base64url')}.${'S'.repeat(86)}`,
    issuedAt: new Date(Date.UTC(2026, 9, 1, 9, i % 60)),
    stamps: { attendance: i % 3 === 0, skills: i % 6 === 0 },
  };
}

/** The pool's task: one card, its bytes back to the caller. */
export default async function renderCard(i: number): Promise<Uint8Array> {
  return enrolleeCardPdf(cardInput(i));
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

interface Row {
  name: string;
  seconds: number;
  /** CPU time of the whole process, worker threads included: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  bytes: number;
  rss: number;
  heap: number;
}

async function sequential(): Promise<Row> {
  for (let i = 0; i < 20; i++) await renderCard(i); // warm up: fonts parsed, code compiled
  let bytes = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < CARDS; i++) bytes += (await renderCard(i)).length;
  const seconds = (performance.now() - started) / 1000;
  const m = process.memoryUsage();
  return { name: 'sequential, in the event loop', seconds, cpuSeconds: cpuSeconds(cpu), bytes, rss: m.rss, heap: m.heapUsed };
}

async function pooled(threads: number): Promise<Row> {
  const pool = new Piscina({ filename: import.meta.url, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  await Promise.all(Array.from({ length: 20 * threads }, (_, i) => pool.run(i)));
  let bytes = 0;
  let rss = 0;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 50);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CARDS }, (_, i) => pool.run(i).then((pdf: Uint8Array) => (bytes += pdf.length))));
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = cpuSeconds(cpu);
  clearInterval(sampler);
  const m = process.memoryUsage();
  await pool.destroy();
  return { name: `piscina pool, ${threads} thread${threads > 1 ? 's' : ''}`, seconds, cpuSeconds: cpuUsed, bytes, rss: Math.max(rss, m.rss), heap: m.heapUsed };
}

/** The QR code's matrix alone (the card draws it as vector squares), to see its share of a card. */
function qrOnly(): number {
  const started = performance.now();
  for (let i = 0; i < CARDS; i++) QRCode.create(cardInput(i).verifyUrl, { errorCorrectionLevel: 'M' });
  return CARDS / ((performance.now() - started) / 1000);
}

async function main() {
  const cores = availableParallelism();
  const load = loadavg();
  const rows: Row[] = [await sequential()];
  const qrPerSecond = qrOnly();
  for (const threads of [...new Set([Math.max(1, cores - 1), cores])]) rows.push(await pooled(threads));
  const peak = process.resourceUsage().maxRSS * 1024;

  console.log(`\nNode ${process.version}, ${cores} cores (${cpus()[0]?.model.trim()}), ${CARDS} cards per run\n`);
  console.log(`Load average before the run: ${load.map((l) => l.toFixed(2)).join(', ')}; after: ${loadavg().map((l) => l.toFixed(2)).join(', ')}\n`);
  console.log('| run | cards/s | wall ms per card | CPU ms per card | average size | RSS after | heap used after |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.name} | ${(CARDS / r.seconds).toFixed(1)} | ${((r.seconds * 1000) / CARDS).toFixed(1)} | ${((r.cpuSeconds * 1000) / CARDS).toFixed(1)} | ${(r.bytes / CARDS / 1024).toFixed(1)} KiB | ${mib(r.rss)} | ${mib(r.heap)} |`,
    );
  console.log(`\nQR code matrices alone (qrcode): ${qrPerSecond.toFixed(0)}/s. Peak RSS of the whole run: ${mib(peak)}.`);
}

if (isMainThread)
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
