import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);

/**
 * DejaVu Sans from the `dejavu-fonts-ttf` package: it has every character French text needs,
 * U+202F (the narrow no-break space of French numbers and dates) included, which the standard
 * PDF fonts lack (DESIGN.md).
 */
export const pdfFonts = {
  body: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

/** Renders a one-document PDF (A4, DejaVu fonts registered as "body" and "bold") to a buffer. */
export function renderPdf(info: { title: string; author: string; lang: string }, draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, lang: info.lang, info: { Title: info.title, Author: info.author }, displayTitle: true });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('body', pdfFonts.body);
    doc.registerFont('bold', pdfFonts.bold);
    doc.font('body');
    try {
      draw(doc);
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}
