import type { FundingSource } from '../../domain/vocabulary';
import { renderPdf } from '../../platform/pdf';
import { translator } from '../../platform/i18n';
import { money } from '../../ui/format';
import { heading, hoursText, proofBlock, subjectLines, type DocumentProof, type DocumentSubject } from './documents.pdf';

/** CRED-5: what the funder's attestation says (a pure renderer: data in, a buffer out). */
export interface FundingAttestationInput extends DocumentSubject, DocumentProof {
  unitCode: string;
  credits: number;
  hours: number;
  firstMeeting: string;
  lastMeeting: string;
  feeCents: number;
  source: Exclude<FundingSource, 'personal'> | FundingSource;
  /** Once the unit has started: the minutes attended of those held so far, on that day (null before). */
  attendance: { attendedMinutes: number; heldMinutes: number; soFarPercent: number | null; on: string } | null;
  issuedAt: Date;
  serviceName: string;
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

/**
 * CRED-5: the attestation of enrolment for the funder (the FAQ: "les justificatifs seront
 * transmis à l'organisme qui finance la formation"): who, which unit (credits, hours, dates),
 * the fee invoiced to the funder and what the learner pays (nothing), the attendance so far once
 * the unit has started, and the proof (PAY-10: the code and the QR code of its public page).
 */
export function fundingAttestationPdf(input: FundingAttestationInput): Promise<Buffer> {
  if (!Number.isSafeInteger(input.feeCents) || input.feeCents < 0) throw new RangeError(`A fee is a whole, non-negative number of cents (got ${input.feeCents})`);
  const t = translator(input.locale);
  const title = t('cred.pdf.title');
  const funder = t(`cred.funding.source.${input.source}`);
  return renderPdf({ title: `${title} — ${input.holderName} — ${input.unitCode}`, author: input.serviceName, lang: input.locale }, (doc) => {
    heading(doc, input.serviceName, title, funder);
    doc.font('body').fontSize(11).text(t('cred.pdf.intro', { service: input.serviceName }));
    doc.moveDown();
    subjectLines(doc, t, input);
    doc.text(t('cred.pdf.unit', { code: input.unitCode, credits: input.credits }));
    doc.text(hoursText(t, input.hours));
    doc.text(t('pay.pdf.dates', { from: t.date(input.firstMeeting), to: t.date(input.lastMeeting) }));
    doc.moveDown(0.5);
    doc.font('bold').fontSize(13).text(t('cred.pdf.fee', { amount: money(t, input.feeCents), funder }));
    doc.font('body').fontSize(11).text(t('cred.pdf.learnerPays', { amount: money(t, 0) }));
    doc.moveDown(0.5);
    if (input.attendance)
      doc.text(
        t('cred.pdf.attendance', {
          date: t.date(input.attendance.on),
          attended: String(hours(input.attendance.attendedMinutes)),
          held: String(hours(input.attendance.heldMinutes)),
          percent: input.attendance.soFarPercent === null ? '—' : String(input.attendance.soFarPercent),
        }),
      );
    else doc.text(t('cred.pdf.notStarted'));
    doc.text(t('cred.pdf.assiduity'));
    doc.moveDown();
    doc.text(t('pay.pdf.issued', { date: t.date(input.issuedAt) }));
    proofBlock(doc, t, input);
  });
}
