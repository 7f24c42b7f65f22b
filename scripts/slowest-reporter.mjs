// A node:test reporter (`npm test -- --slowest`): after the run, the test files that took longest,
// from the durations of their top-level tests and suites (so the process start is not counted).
import { relative } from 'node:path';

export default async function* slowest(source) {
  const byFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const file = relative(process.cwd(), event.data.file);
      byFile.set(file, (byFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const rows = [...byFile].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  yield `\nSlowest test files (${rows.length} files, ${(total / 1000).toFixed(0)} s of tests in all):\n`;
  for (const [file, ms] of rows.slice(0, 25)) yield `  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`;
}
