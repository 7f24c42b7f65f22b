import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../messages';
import { pdfText, squash } from '../../../test/pdf';
import { attendanceCertificatePdf, skillsCertificatePdf } from './certification.pdf';

const verifyUrl = 'https://cours.paris.fr/verifier/K7M3PQ9XW2AB?s=eyJhbGciOiJFUzI1NiJ9.eyJjIjoiSzdNMyJ9.c2ln';
const base = {
  holderName: 'Léa Durand',
  sessionTitle: 'Anglais — niveau 2',
  sessionCode: 'ANG2-11-A',
  schoolName: 'École élémentaire Keller',
  code: 'K7M3-PQ9X-W2AB',
  verifyUrl,
  firstMeeting: '2026-09-07',
  lastMeeting: '2027-06-14',
  issuedAt: new Date('2027-06-15T08:00:00Z'),
  serviceName: 'Cours d’adultes de Paris',
};

const has = (text: string, ...expected: string[]) => {
  for (const e of expected) assert.ok(text.includes(squash(e)), `the PDF reads "${e}"; it reads: ${text}`);
};

describe('the certificates as PDFs (ATT-4, CERT-2, PAY-10)', () => {
  it('ATT-4 the attendance certificate says who, which course, the hours attended over the hours held and the threshold, with its short code', async () => {
    const pdf = await attendanceCertificatePdf({ ...base, locale: 'fr', attendedMinutes: 90 * 60, plannedMinutes: 120 * 60, thresholdPercent: 75 });
    const text = pdfText(pdf);
    has(text, 'Attestation d’assiduité', 'Léa Durand', 'Anglais — niveau 2', 'ANG2-11-A', 'École élémentaire Keller', '90 h sur 120 h', '(75 %)', 'à partir de 75 %', 'K7M3-PQ9X-W2AB', 'cours.paris.fr/verifier');
    has(text, '7 septembre 2026', '14 juin 2027');
  });

  it('ATT-4 hours that are not whole are written with their decimals, in English too', async () => {
    const pdf = await attendanceCertificatePdf({ ...base, locale: 'en', attendedMinutes: 4530, plannedMinutes: 6000, thresholdPercent: 75 });
    has(pdfText(pdf), 'Attendance certificate', '75.5 h out of 100 h', '(75 %)', 'K7M3-PQ9X-W2AB');
  });

  it('CERT-2 the certificate of skills says the course passed and its mark, with its short code', async () => {
    const pdf = await skillsCertificatePdf({ ...base, locale: 'fr', score: 14, maxScore: 20 });
    has(pdfText(pdf), 'Certificat de compétences', 'Léa Durand', 'a acquis les compétences', 'note : 14 sur 20', 'K7M3-PQ9X-W2AB', 'cours.paris.fr/verifier');
  });

  it('CERT-2 a course without a test: the certificate says so instead of a mark', async () => {
    const pdf = await skillsCertificatePdf({ ...base, locale: 'en', score: null, maxScore: 20 });
    has(pdfText(pdf), 'Certificate of skills', 'it has no evaluation test');
  });
});
