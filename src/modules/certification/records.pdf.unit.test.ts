import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../messages';
import { pdfText, squash } from '../../../test/pdf';
import { academicRecordPdf } from './records.pdf';

const proof = { code: 'K7M3-PQ9X-W2AB', verifyUrl: 'https://cursus.example.org/verifier/K7M3PQ9XW2AB?s=eyJhbGciOiJFUzI1NiJ9.eyJjIjoiSzdNMyJ9.c2ln' };

describe('the academic record as PDFs (CRED-4, PAY-10)', () => {
  it('CRED-4 a table of units with their marks, a mark « DUPLICATA » when given, the code and where to check it', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`U${i}`, `Unité numéro ${i}`, '6', '1 juin 2026', i % 2 ? '14/20' : '—']);
    const pdf = await academicRecordPdf({
      ...proof,
      locale: 'fr',
      serviceName: 'Centre de formation',
      title: 'Relevé de notes et de crédits',
      intro: 'Intro',
      mark: 'DUPLICATA',
      table: { head: ['Code', 'Unité', 'Crédits', 'Validée le', 'Note'], rows, widths: [14, 44, 10, 18, 10] },
      lines: ['Total : 240 crédits ECTS'],
      issuedAt: new Date('2026-12-02T10:00:00Z'),
    });
    const text = pdfText(pdf);
    for (const expected of ['Relevé de notes et de crédits', 'DUPLICATA', 'U0', 'U39', 'Unité numéro 39', '14/20', 'Total : 240 crédits ECTS', 'Fait le 2 décembre 2026', 'K7M3-PQ9X-W2AB', 'cursus.example.org/verifier'])
      assert.ok(text.includes(squash(expected)), `${expected} in ${text}`);
  });

  it('CRED-4 no mark, no table: an attestation', async () => {
    const pdf = await academicRecordPdf({ ...proof, locale: 'en', serviceName: 'Centre', title: 'Attestation of success', intro: 'X passed', lines: [], issuedAt: new Date('2026-12-02T10:00:00Z') });
    const text = pdfText(pdf);
    assert.ok(text.includes(squash('Attestation of success')) && !text.includes('DUPLICATA'));
  });
});
