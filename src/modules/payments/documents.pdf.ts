import QRCode from 'qrcode';
import { renderPdf } from '../../platform/pdf';
import { translator, type Locale, type Translator } from '../../platform/i18n';
import { money } from '../../ui/format';

/**
 * The payment documents as PDFs (PAY-3, PAY-4, PAY-7, PAY-8, PAY-10): pure renderers, data in and
 * a buffer out; nothing here reads the database or the clock. Each document carries the short
 * code and the signed verification URL the documents registry gave it: the URL as a QR code, the
 * code written out with where to check it, so a document can be checked by hand as well as by
 * phone. Text goes through the translator (fr, en) and amounts through `money`, in the DejaVu
 * fonts of `renderPdf`, which have the narrow no-break space (U+202F) of French amounts.
 */

/** What every issued document carries (PAY-10), from the documents registry. */
export interface DocumentProof {
  /** The short code, printed as given. */
  code: string;
  /** The public page `/verifier/CODE` with its signature: what the QR code carries. */
  verifyUrl: string;
}

/** Who and which course a document is about. */
export interface DocumentSubject {
  locale: Locale;
  holderName: string;
  sessionTitle: string;
  sessionCode: string;
  schoolName: string;
}

export interface EnrolleeCardInput extends DocumentSubject, DocumentProof {
  /** The school year, e.g. "2026-2027". */
  year: string;
  cardNumber: string;
  issuedAt: Date;
  /** PAY-4: the stamps given at the end of the course (attendance issue); printed when true. */
  stamps: { attendance: boolean; skills: boolean };
  /** Defaults to the translated `service.name`. */
  serviceName?: string;
}

export interface CostAttestationInput extends DocumentSubject, DocumentProof {
  /** Dates of the course's first and last meetings (a date, or `YYYY-MM-DD`). */
  firstMeeting: Date | string;
  lastMeeting: Date | string;
  hours: number;
  rate: 'full' | 'half';
  amountCents: number;
  issuedAt: Date;
  serviceName: string;
}

export interface PaymentAttestationInput extends CostAttestationInput {
  paidAt: Date;
  method: 'online' | 'cheque' | 'cash';
  /** PAY-7: the third party who paid (social worker, works council, association); null when the learner paid. */
  payerName: string | null;
}

export interface ReceiptInput extends DocumentSubject, DocumentProof {
  method: 'cheque' | 'cash';
  amountCents: number;
  /** Required for a cheque. */
  chequeNumber?: string;
  /** Required for a cheque. */
  bank?: string;
  /** Who handed over the cheque or the cash: the learner or a third party (PAY-7). */
  payerName: string;
  /** Cash only: what was handed over; the policy is exact change, so it must equal the amount. */
  cashTenderedCents?: number;
  /** The school head who recorded the payment. */
  recordedBy: string;
  recordedAt: Date;
  /** PAY-3: whom the cheque is payable to (the configuration's cash office). */
  cashOffice: string;
  /** Defaults to the translated `service.name`. */
  serviceName?: string;
}

const mm = 72 / 25.4;
/** ISO/IEC 7810 ID-1, the size of a bank card. */
const CARD = { width: 85.6 * mm, height: 53.98 * mm };
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 56;
const INK = '#1b365d';
const STAMP = '#9b1c31';

/** "cours.example.org/verifier": where the short code is checked, as printed beside it. */
export function verifySite(verifyUrl: string): string {
  const url = new URL(verifyUrl);
  const at = url.pathname.indexOf('/verifier');
  return `${url.host}${at > 0 ? url.pathname.slice(0, at) : ''}/verifier`;
}

/**
 * The QR code of the verification URL, drawn as vector squares in one path (sharp at any
 * print size, and faster than encoding a PNG for pdfkit to decode again), with a quiet zone of
 * one module inside `size`.
 */
function drawQr(doc: PDFKit.PDFDocument, url: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const m = size / (n + 2);
  doc.save().rect(x, y, size, size).fill('white');
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++) {
      if (!modules.get(row, col)) continue;
      let end = col;
      while (end + 1 < n && modules.get(row, end + 1)) end++;
      doc.rect(x + (col + 1) * m, y + (row + 1) * m, (end - col + 1) * m, m);
      col = end;
    }
  doc.fill('black').restore();
}

const hourFormats = new Map<Locale, Intl.NumberFormat>();
export function hoursText(t: Translator, hours: number): string {
  let format = hourFormats.get(t.locale);
  if (!format) hourFormats.set(t.locale, (format = new Intl.NumberFormat(t.locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 })));
  return t.plural('pay.pdf.hours', hours, { hours: format.format(hours) });
}

/** The largest size from `max` down to `min` at which `text` fits the box; at `min` it is cut with an ellipsis. */
function fitText(doc: PDFKit.PDFDocument, text: string, box: { x: number; y: number; width: number; height: number }, font: string, max: number, min: number): void {
  let size = max;
  doc.font(font);
  while (size > min && doc.fontSize(size).heightOfString(text, { width: box.width }) > box.height) size -= 0.5;
  doc.fontSize(size).text(text, box.x, box.y, { width: box.width, height: box.height, ellipsis: true });
}

/** PAY-10: the QR code of the verification URL, the short code and where to check it. */
export function proofBlock(doc: PDFKit.PDFDocument, t: Translator, proof: DocumentProof): void {
  const size = 100;
  const x = MARGIN;
  const y = Math.max(doc.y + 24, PAGE_HEIGHT - MARGIN - size - 10);
  const textX = x + size + 16;
  const width = PAGE_WIDTH - MARGIN - textX;
  drawQr(doc, proof.verifyUrl, x, y, size);
  doc.fillColor('black').font('body').fontSize(9).text(t('pay.pdf.code'), textX, y + 14, { width });
  doc.font('bold').fontSize(16).text(proof.code, { width });
  doc.font('body').fontSize(9).text(t('pay.pdf.verify', { site: verifySite(proof.verifyUrl) }), { width });
}

/** The head of an A4 document: issuer, title, and its subtitle if any. */
export function heading(doc: PDFKit.PDFDocument, service: string, title: string, subtitle?: string): void {
  doc.fillColor(INK).font('bold').fontSize(11).text(service);
  doc.moveDown(2);
  doc.fontSize(20).text(title);
  if (subtitle) doc.font('body').fontSize(13).text(subtitle);
  doc.fillColor('black').moveDown();
}

export function subjectLines(doc: PDFKit.PDFDocument, t: Translator, input: DocumentSubject): void {
  doc.font('body').fontSize(11);
  doc.text(t('pay.pdf.holder', { name: input.holderName }));
  doc.text(t('pay.pdf.session', { title: input.sessionTitle, code: input.sessionCode }));
  doc.text(t('pay.pdf.school', { school: input.schoolName }));
}

function courseLines(doc: PDFKit.PDFDocument, t: Translator, input: CostAttestationInput): void {
  doc.text(t('pay.pdf.dates', { from: t.date(input.firstMeeting), to: t.date(input.lastMeeting) }));
  doc.text(hoursText(t, input.hours));
  doc.text(t('pay.pdf.rate', { rate: t(input.rate === 'half' ? 'pay.pdf.rate.half' : 'pay.pdf.rate.full') }));
}

function assertCents(cents: number): void {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new RangeError(`An amount is a whole, non-negative number of cents (got ${cents})`);
}

/**
 * PAY-4: the enrollee card, card-sized (ID-1) front and back side by side on an A4 page, to cut
 * out and fold: name, session, school, year, card number; on the back the QR code of its
 * verification URL, its short code and where to check it (PAY-10), and the "attendance" and
 * "acquired skills" stamps when given. Under it, how to use the card.
 */
export async function enrolleeCardPdf(input: EnrolleeCardInput): Promise<Buffer> {
  const t = translator(input.locale);
  const service = input.serviceName ?? t('service.name');
  const title = t('pay.pdf.card.title');
  return renderPdf({ title: `${title} — ${input.holderName} — ${input.sessionTitle}`, author: service, lang: input.locale }, (doc) => {
    const left = (PAGE_WIDTH - 2 * CARD.width) / 2;
    const top = MARGIN;
    const pad = 8;
    const inner = CARD.width - 2 * pad;

    // Cut line around both faces, fold line between them.
    doc.save().lineWidth(0.5).dash(3, { space: 2 }).strokeColor('#777777');
    doc.rect(left, top, 2 * CARD.width, CARD.height).stroke();
    doc.moveTo(left + CARD.width, top).lineTo(left + CARD.width, top + CARD.height).stroke();
    doc.undash().restore();

    // Front: the band, the holder, the course.
    const band = 22;
    doc.rect(left, top, CARD.width, band).fill(INK);
    doc.fillColor('white').font('bold').fontSize(7).text(service, left + pad, top + 4, { width: inner * 0.62, height: 9, ellipsis: true });
    doc.font('body').fontSize(6.5).text(title, left + pad, top + 12.5, { width: inner * 0.62, height: 8, ellipsis: true });
    doc.font('bold').fontSize(8).text(t('pay.pdf.card.year', { year: input.year }), left + pad, top + 7, { width: inner, align: 'right' });
    doc.fillColor('black');
    fitText(doc, input.holderName, { x: left + pad, y: top + band + 6, width: inner, height: 30 }, 'bold', 12, 5.5);
    let y = top + band + 40;
    doc.font('body').fontSize(7.5).text(input.sessionTitle, left + pad, y, { width: inner, height: 19, ellipsis: true });
    y += 20;
    doc.fontSize(7).text(t('pay.pdf.card.group', { code: input.sessionCode }), left + pad, y, { width: inner, height: 9, ellipsis: true });
    y += 10;
    doc.text(input.schoolName, left + pad, y, { width: inner, height: 18, ellipsis: true });
    const bottom = top + CARD.height - pad;
    doc.font('bold').fontSize(8).text(t('pay.pdf.card.number', { number: input.cardNumber }), left + pad, bottom - 18, { width: inner, height: 10, ellipsis: true });
    doc.font('body').fontSize(6).text(t('pay.pdf.card.issued', { date: t.date(input.issuedAt) }), left + pad, bottom - 7, { width: inner, height: 8, ellipsis: true });

    // Back: QR code, short code, where to check it, the stamps.
    const back = left + CARD.width;
    const qrSize = 78;
    drawQr(doc, input.verifyUrl, back + pad, top + pad, qrSize);
    const textX = back + pad + qrSize + 6;
    const textWidth = CARD.width - pad - (textX - back);
    doc.font('body').fontSize(6).text(t('pay.pdf.code'), textX, top + pad + 8, { width: textWidth });
    doc.font('bold').fontSize(10).text(input.code, textX, doc.y + 1, { width: textWidth });
    doc.font('body').fontSize(6).text(t('pay.pdf.verifyShort', { site: verifySite(input.verifyUrl) }), textX, doc.y + 2, { width: textWidth });
    doc.font('bold').fontSize(6.5).text(t('pay.pdf.card.access'), back + pad, top + pad + qrSize + 6, { width: inner });
    const stamps = [input.stamps.attendance && t('pay.pdf.card.stampAttendance'), input.stamps.skills && t('pay.pdf.card.stampSkills')].filter((s): s is string => !!s);
    const stampWidth = (inner - 8) / 2;
    stamps.forEach((text, i) => {
      const sx = back + pad + i * (stampWidth + 8);
      const sy = top + CARD.height - pad - 24;
      doc.save();
      doc.lineWidth(1.2).strokeColor(STAMP).roundedRect(sx, sy, stampWidth, 22, 3).stroke();
      doc.fillColor(STAMP).font('bold').fontSize(7).text(text.toLocaleUpperCase(input.locale), sx + 2, sy + 7.5, { width: stampWidth - 4, align: 'center', height: 9, ellipsis: true });
      doc.restore();
    });

    // Under the card: how to use it.
    doc.fillColor('black').font('body').fontSize(10);
    doc.text(t('pay.pdf.card.cut'), MARGIN, top + CARD.height + 24, { width: PAGE_WIDTH - 2 * MARGIN });
    doc.moveDown(0.5).text(t('pay.pdf.card.help'));
    doc.moveDown(0.5).text(t('pay.pdf.verify', { site: verifySite(input.verifyUrl) }));
  });
}

/**
 * PAY-8: the two attestations share their page: the service's heading, who and which course,
 * the amount, what the attestation says of it, "neither a quote nor an invoice", the date and
 * the proof (PAY-10).
 */
async function attestationPdf(
  input: CostAttestationInput,
  keys: { title: 'pay.pdf.cost.title' | 'pay.pdf.paid.title'; intro: 'pay.pdf.cost.intro' | 'pay.pdf.paid.intro'; amount: 'pay.pdf.cost.amount' | 'pay.pdf.paid.amount' },
  lines: (t: Translator) => string[],
): Promise<Buffer> {
  assertCents(input.amountCents);
  const t = translator(input.locale);
  const title = t(keys.title);
  return renderPdf({ title: `${title} — ${input.holderName} — ${input.sessionTitle}`, author: input.serviceName, lang: input.locale }, (doc) => {
    heading(doc, input.serviceName, title);
    doc.font('body').fontSize(11).text(t(keys.intro, { service: input.serviceName }));
    doc.moveDown();
    subjectLines(doc, t, input);
    courseLines(doc, t, input);
    doc.moveDown(0.5);
    doc.font('bold').fontSize(13).text(t(keys.amount, { amount: money(t, input.amountCents) }));
    doc.font('body').fontSize(11);
    for (const line of lines(t)) doc.text(line);
    doc.moveDown();
    doc.text(t('pay.pdf.notInvoice'));
    doc.moveDown();
    doc.text(t('pay.pdf.issued', { date: t.date(input.issuedAt) }));
    proofBlock(doc, t, input);
  });
}

export interface CertificatePdfInput extends DocumentSubject, DocumentProof {
  /** The document's title ("Attestation d'assiduité"), already translated. */
  title: string;
  /** What the issuer attests, already translated: the first paragraph. */
  intro: string;
  /** The lines about the course and the result (dates, hours, attendance, mark), already translated. */
  lines: string[];
  issuedAt: Date;
  serviceName: string;
}

/**
 * ATT-4, CERT-2: a certificate on the attestations' page: the service's heading, what it
 * attests, who and which course, the lines given, the date of issue and the proof (PAY-10).
 */
export function certificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const t = translator(input.locale);
  return renderPdf({ title: `${input.title} — ${input.holderName} — ${input.sessionTitle}`, author: input.serviceName, lang: input.locale }, (doc) => {
    heading(doc, input.serviceName, input.title);
    doc.font('body').fontSize(11).text(input.intro);
    doc.moveDown();
    subjectLines(doc, t, input);
    doc.moveDown(0.5);
    for (const line of input.lines) doc.text(line);
    doc.moveDown();
    doc.text(t('pay.pdf.issued', { date: t.date(input.issuedAt) }));
    proofBlock(doc, t, input);
  });
}

/** PAY-8: the attestation of training cost, for a learner accepted and not yet paid; neither a quote nor an invoice. */
export function costAttestationPdf(input: CostAttestationInput): Promise<Buffer> {
  return attestationPdf(input, { title: 'pay.pdf.cost.title', intro: 'pay.pdf.cost.intro', amount: 'pay.pdf.cost.amount' }, (t) => [t('pay.pdf.cost.unpaid')]);
}

/**
 * PAY-8: the attestation of payment, once paid: what was paid, when and how; PAY-7: it names the
 * third party who paid, when one did.
 */
export function paymentAttestationPdf(input: PaymentAttestationInput): Promise<Buffer> {
  const thirdParty = input.payerName !== null && input.payerName.trim() !== '' && input.payerName !== input.holderName;
  return attestationPdf(input, { title: 'pay.pdf.paid.title', intro: 'pay.pdf.paid.intro', amount: 'pay.pdf.paid.amount' }, (t) => [
    t('pay.pdf.paid.when', { date: t.date(input.paidAt, 'datetime'), method: t(`pay.pdf.method.${input.method}`) }),
    thirdParty ? t('pay.pdf.paid.byThirdParty', { payer: input.payerName!, name: input.holderName }) : t('pay.pdf.paid.byHolder'),
  ]);
}

/**
 * PAY-3: the receipt the school head hands over for a payment at the school: a cheque (number,
 * bank, payable to the service's cash office) or cash, exact change only. A cheque without its
 * number or bank, or cash that is not the exact amount, is refused (the service checks these
 * before recording; a receipt saying otherwise would be false).
 */
export async function receiptPdf(input: ReceiptInput): Promise<Buffer> {
  assertCents(input.amountCents);
  if (input.method === 'cheque' && (!input.chequeNumber?.trim() || !input.bank?.trim())) throw new Error('A cheque receipt needs the cheque number and the bank');
  if (input.method === 'cash' && input.cashTenderedCents !== undefined && input.cashTenderedCents !== input.amountCents)
    throw new RangeError(`Cash is taken with exact change only (PAY-3): ${input.cashTenderedCents} handed over for ${input.amountCents} due`);
  const t = translator(input.locale);
  const service = input.serviceName ?? t('service.name');
  const title = t('pay.pdf.receipt.title');
  const amount = money(t, input.amountCents);
  return renderPdf({ title: `${title} — ${input.holderName} — ${input.sessionTitle}`, author: service, lang: input.locale }, (doc) => {
    heading(doc, service, title, t(input.method === 'cheque' ? 'pay.pdf.receipt.cheque' : 'pay.pdf.receipt.cash'));
    doc.font('body').fontSize(11);
    doc.text(t('pay.pdf.receipt.payer', { payer: input.payerName }));
    doc.text(t('pay.pdf.receipt.for', { name: input.holderName }));
    doc.text(t('pay.pdf.session', { title: input.sessionTitle, code: input.sessionCode }));
    doc.text(t('pay.pdf.school', { school: input.schoolName }));
    doc.moveDown(0.5);
    doc.font('bold').fontSize(13).text(t('pay.pdf.receipt.amount', { amount }));
    doc.font('body').fontSize(11);
    if (input.method === 'cheque')
      doc.text(t('pay.pdf.receipt.chequeLine', { number: input.chequeNumber!, bank: input.bank!, payee: input.cashOffice }));
    else doc.text(t('pay.pdf.receipt.cashLine', { amount }));
    doc.moveDown();
    doc.text(t('pay.pdf.receipt.recorded', { name: input.recordedBy, date: t.date(input.recordedAt, 'datetime') }));
    doc.moveDown(0.5);
    doc.text(t('pay.pdf.receipt.keep'));
    proofBlock(doc, t, input);
  });
}
