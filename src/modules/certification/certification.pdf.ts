import { translator, type Locale } from '../../platform/i18n';
import { certificatePdf, type DocumentProof, type DocumentSubject } from '../payments';

/**
 * The certificates as PDFs (SPEC ATT-4, CERT-2), on the attestations' page of the payments
 * module (heading, who and which course, the proof: QR code and short code, PAY-10). Pure: data
 * in, a buffer out.
 */

export interface AttendanceCertificateInput extends DocumentSubject, DocumentProof {
  firstMeeting: string;
  lastMeeting: string;
  attendedMinutes: number;
  plannedMinutes: number;
  /** The policy's threshold, in percent. */
  thresholdPercent: number;
  issuedAt: Date;
  serviceName: string;
}

export interface SkillsCertificateInput extends DocumentSubject, DocumentProof {
  firstMeeting: string;
  lastMeeting: string;
  /** The test's mark out of `maxScore`, when the course has an evaluation. */
  score: number | null;
  maxScore: number;
  issuedAt: Date;
  serviceName: string;
}

const hoursFormats = new Map<Locale, Intl.NumberFormat>();
function hours(locale: Locale, minutes: number): string {
  let format = hoursFormats.get(locale);
  if (!format) hoursFormats.set(locale, (format = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 })));
  return format.format(minutes / 60);
}

/** ATT-4: the attendance certificate: the hours attended over the hours held, at or above the policy's threshold. */
export function attendanceCertificatePdf(input: AttendanceCertificateInput): Promise<Buffer> {
  const t = translator(input.locale);
  const percent = input.plannedMinutes > 0 ? Math.floor((input.attendedMinutes * 100) / input.plannedMinutes) : 0;
  return certificatePdf({
    ...input,
    title: t('cert.pdf.attendance.title'),
    intro: t('cert.pdf.attendance.intro', { service: input.serviceName, name: input.holderName }),
    lines: [
      t('cert.pdf.dates', { from: t.date(input.firstMeeting), to: t.date(input.lastMeeting) }),
      t('cert.pdf.attendance.hours', { attended: hours(input.locale, input.attendedMinutes), planned: hours(input.locale, input.plannedMinutes), percent }),
      t('cert.pdf.attendance.threshold', { threshold: input.thresholdPercent }),
    ],
  });
}

/** CERT-2: the certificate of skills: the course passed, with the test's mark when it has one. */
export function skillsCertificatePdf(input: SkillsCertificateInput): Promise<Buffer> {
  const t = translator(input.locale);
  return certificatePdf({
    ...input,
    title: t('cert.pdf.skills.title'),
    intro: t('cert.pdf.skills.intro', { service: input.serviceName, name: input.holderName }),
    lines: [
      t('cert.pdf.dates', { from: t.date(input.firstMeeting), to: t.date(input.lastMeeting) }),
      input.score !== null ? t('cert.pdf.skills.score', { score: input.score, max: input.maxScore }) : t('cert.pdf.skills.noTest'),
    ],
  });
}
