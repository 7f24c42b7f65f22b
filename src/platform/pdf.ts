import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

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

/**
 * A QR code of `text` drawn as vector squares at (x, y), `size` points wide, with a quiet zone of
 * one module inside `size` (the documents' proof, PAY-10).
 */
export function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
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
