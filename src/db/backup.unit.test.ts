import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { backupLines } from './backup';

const dir = mkdtempSync(join(tmpdir(), 'cursus-backup-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('issue 19 a backup file read back', () => {
  it('gives back every character of several bytes, also one that a chunk of the decompressed stream cuts in two', async () => {
    // The decompressed stream comes in chunks of 16 kB: an odd offset puts the bytes of some "é" (2
    // bytes), "–" (3) and "🎓" (4) on both sides of a chunk's end, as the demo's "Langues étrangères" was.
    const lines = ['{"format":"cursus-backup"}', 'a' + 'é'.repeat(40_000), 'b' + '–'.repeat(30_000), 'cc' + '🎓'.repeat(20_000), 'Langues étrangères'];
    const file = join(dir, 'lines.backup');
    writeFileSync(file, gzipSync(lines.join('\n') + '\n'));
    const read: string[] = [];
    for await (const line of backupLines(file)) read.push(line);
    assert.equal(read.length, lines.length);
    read.forEach((line, i) => assert.ok(line === lines[i], `line ${i + 1} is read back as written (${line.includes('\uFFFD') ? 'it has U+FFFD' : 'it differs'})`));
  });
});
