import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The text of a PDF as poppler's pdftotext reads it, white space squashed (pdftotext breaks
 * lines and spaces as it sees fit, and prints U+202F and U+00A0 as spaces or drops them): what a
 * test compares with `squash(expected)`.
 */
export function pdfText(pdf: Buffer | Uint8Array): string {
  assert.equal(Buffer.from(pdf.subarray(0, 5)).toString('latin1'), '%PDF-', 'a PDF');
  const dir = mkdtempSync(join(tmpdir(), 'cursus-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    const result = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
      assert.fail('pdftotext is not installed: these tests read the PDFs back with it (Debian/Ubuntu: "apt-get install poppler-utils"; macOS: "brew install poppler").');
    assert.equal(result.status, 0, `pdftotext failed: ${result.stderr}`);
    return squash(result.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const squash = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, '');
