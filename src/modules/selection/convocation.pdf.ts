import QRCode from 'qrcode';
import { renderPdf } from '../../platform/pdf';
import { translator, type Locale } from '../../platform/i18n';
import { slotText } from '../../ui/format';
import type { SessionForApplication } from '../catalogue';
import type { IssuedDocument } from '../documents';
import { FALC_LARGE_PT, FALC_MIN_PT, type FalcDocument } from './falc.rules';
import type { convocations } from './selection.table';

/** The QR code's drawing (the tests draw the expected one the same way). */
export const CONVOCATION_QR = { errorCorrectionLevel: 'M', margin: 1, width: 300 } as const;

/**
 * SEL-3: the printable convocation: nominative, with the session, place, date and time, what to
 * bring, and (PAY-10) its short code and a QR code carrying the public page that says whether
 * it is genuine and still valid, signed (`document.verifyUrl`).
 */
export async function convocationPdf(input: {
  locale: Locale;
  name: string;
  session: SessionForApplication;
  convocation: Pick<typeof convocations.$inferSelect, 'kind' | 'at' | 'place'>;
  document: Pick<IssuedDocument, 'displayCode' | 'verifyUrl'>;
  /** Where to type the code: `${baseUrl}/verifier`. */
  verifyPage: string;
  /** SVC-7: the easy-read page, `${baseUrl}/convocation/<token>/facile`. */
  easyReadUrl: string;
}): Promise<Buffer> {
  const t = translator(input.locale);
  const { session, convocation } = input;
  const qr = await QRCode.toBuffer(input.document.verifyUrl, CONVOCATION_QR);
  const kind = t(convocation.kind === 'test' ? 'sel.kind.test' : 'sel.kind.interview');
  return renderPdf({ title: `${t('sel.pdf.title')} — ${input.name} — ${session.title}`, author: t('service.name'), lang: input.locale }, (doc) => {
    doc.font('bold').fontSize(11).text(t('service.name'));
    doc.moveDown(2);
    doc.font('bold').fontSize(22).text(t('sel.pdf.title'));
    doc.moveDown();
    doc.font('body').fontSize(12).text(t('sel.pdf.intro', { name: input.name, kind }));
    doc.moveDown(0.5);
    doc.font('bold').text(session.title);
    doc.font('body').text(`${session.schoolName} — ${session.slots.map((s) => slotText(t, s)).join(' ; ')}`);
    doc.moveDown();
    doc.font('bold').text(t('sel.pdf.when', { date: t.date(convocation.at, 'datetime') }));
    doc.text(t('sel.pdf.where', { place: convocation.place }));
    doc.moveDown();
    doc.font('body').text(t('sel.pdf.bring'));
    doc.moveDown(0.5);
    doc.text(t('sel.pdf.rules'));
    doc.moveDown(0.5);
    doc.font('bold').text(t('sel.pdf.easyRead', { url: input.easyReadUrl }));
    doc.font('body');
    doc.moveDown(2);
    doc.fontSize(10).text(t('sel.pdf.qr', { url: input.verifyPage }));
    doc.image(qr, { width: 140 });
    doc.font('bold').fontSize(12).text(t('sel.pdf.code', { code: input.document.displayCode }));
  });
}

/**
 * SVC-7: the easy-read convocation to print: left-aligned, the text at 14 points at least, the
 * date, the place and what to bring each on a line of its own at `FALC_LARGE_PT` points.
 */
export function easyReadPdf(input: { locale: Locale; doc: FalcDocument }): Promise<Buffer> {
  const t = translator(input.locale);
  const colon = input.locale === 'fr' ? ' :' : ':';
  return renderPdf({ title: input.doc.title, author: t('service.name'), lang: input.locale }, (doc) => {
    doc.font('bold').fontSize(FALC_MIN_PT).text(t('service.name'));
    doc.moveDown();
    doc.font('bold').fontSize(26).text(input.doc.title);
    doc.moveDown();
    for (const block of input.doc.blocks) {
      if ('text' in block) {
        doc.font('body').fontSize(FALC_MIN_PT).text(block.text);
        doc.moveDown(0.4);
        continue;
      }
      const size = block.large ? FALC_LARGE_PT : FALC_MIN_PT;
      doc.moveDown(block.large ? 0.4 : 0);
      doc.font('bold').fontSize(size).text(`${block.label}${colon}`);
      for (const value of [block.value].flat()) doc.font(block.large ? 'bold' : 'body').fontSize(size).text(Array.isArray(block.value) ? `• ${value}` : value);
      doc.moveDown(block.large ? 0.8 : 0.4);
    }
  });
}
