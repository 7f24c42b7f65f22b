import { drawQrCode, renderPdf } from '../../platform/pdf';
import { translator, type Locale, type Translator } from '../../platform/i18n';

/**
 * CRED-4: the academic record's documents as PDFs — the attestation of success of a unit, the
 * transcript of units and credits, and (for the programmes module) the diploma — on one page
 * model: the service's heading, a « DUPLICATA » mark when it is one, what is attested, a table
 * when there is one, the date of issue and the proof (PAY-10: the QR code of the signed
 * verification link, the short code and where to check it). Pure: data in, a buffer out.
 */

export interface RecordProof {
  /** The short code as printed (`K7QM-4XTR-9PZA`). */
  code: string;
  /** What the QR code carries: the public page with its signature. */
  verifyUrl: string;
}

export interface AcademicRecordInput extends RecordProof {
  locale: Locale;
  serviceName: string;
  /** Already translated. */
  title: string;
  intro: string;
  /** Printed large under the title (« DUPLICATA »), or nothing. */
  mark?: string | null;
  table?: { head: string[]; rows: string[][]; widths: number[] } | null;
  lines: string[];
  issuedAt: Date;
}

const PAGE_HEIGHT = 841.89;
const PAGE_WIDTH = 595.28;
const MARGIN = 56;
const INK = '#1b365d';
const QR_SIZE = 100;

/** The public page's host and path, as printed beside the code. */
export function verifySiteOf(verifyUrl: string): string {
  const url = new URL(verifyUrl);
  const at = url.pathname.indexOf('/verifier');
  return `${url.host}${at > 0 ? url.pathname.slice(0, at) : ''}/verifier`;
}

function proof(doc: PDFKit.PDFDocument, t: Translator, input: RecordProof): void {
  if (doc.y + 24 + QR_SIZE > PAGE_HEIGHT - MARGIN) doc.addPage();
  const y = Math.max(doc.y + 24, PAGE_HEIGHT - MARGIN - QR_SIZE - 10);
  const textX = MARGIN + QR_SIZE + 16;
  const width = PAGE_WIDTH - MARGIN - textX;
  drawQrCode(doc, input.verifyUrl, MARGIN, y, QR_SIZE);
  doc.fillColor('black').font('body').fontSize(9).text(t('pay.pdf.code'), textX, y + 14, { width });
  doc.font('bold').fontSize(16).text(input.code, { width });
  doc.font('body').fontSize(9).text(t('pay.pdf.verify', { site: verifySiteOf(input.verifyUrl) }), { width });
}

function table(doc: PDFKit.PDFDocument, spec: NonNullable<AcademicRecordInput['table']>): void {
  const total = spec.widths.reduce((a, b) => a + b, 0);
  const widths = spec.widths.map((w) => (w / total) * (PAGE_WIDTH - 2 * MARGIN));
  const row = (cells: string[], font: 'body' | 'bold') => {
    doc.font(font).fontSize(10);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: widths[i] - 6 })));
    if (doc.y + height > PAGE_HEIGHT - MARGIN) doc.addPage();
    const top = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x, top, { width: widths[i] - 6 });
      x += widths[i];
    });
    doc.x = MARGIN;
    doc.y = top + height + 4;
  };
  row(spec.head, 'bold');
  doc
    .moveTo(MARGIN, doc.y - 2)
    .lineTo(PAGE_WIDTH - MARGIN, doc.y - 2)
    .stroke();
  for (const cells of spec.rows) row(cells, 'body');
}

/** CRED-4: one document of the academic record. */
export function academicRecordPdf(input: AcademicRecordInput): Promise<Buffer> {
  const t = translator(input.locale);
  return renderPdf({ title: input.mark ? `${input.title} — ${input.mark}` : input.title, author: input.serviceName, lang: input.locale }, (doc) => {
    doc.fillColor(INK).font('bold').fontSize(11).text(input.serviceName);
    doc.moveDown(2);
    doc.fontSize(20).text(input.title);
    if (input.mark) doc.fillColor('#b00020').fontSize(24).text(input.mark);
    doc.fillColor('black').moveDown();
    doc.font('body').fontSize(11).text(input.intro);
    doc.moveDown();
    if (input.table) {
      table(doc, input.table);
      doc.moveDown();
    }
    doc.font('body').fontSize(11);
    for (const line of input.lines) doc.text(line, MARGIN);
    doc.moveDown();
    doc.text(t('pay.pdf.issued', { date: t.date(input.issuedAt) }), MARGIN);
    proof(doc, t, input);
  });
}
