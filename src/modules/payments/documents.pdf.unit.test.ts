import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import * as fontkit from 'fontkit';
import QRCode from 'qrcode';
import '../../messages';
import { translator, type Locale } from '../../platform/i18n';
import { pdfFonts } from '../../platform/pdf';
import { money } from '../../ui/format';
import {
  costAttestationPdf,
  enrolleeCardPdf,
  paymentAttestationPdf,
  receiptPdf,
  verifySite,
  type CostAttestationInput,
  type EnrolleeCardInput,
  type PaymentAttestationInput,
  type ReceiptInput,
} from './documents.pdf';

// ---------------------------------------------------------------------------------------------
// Reading a PDF back: poppler's tools (Debian's poppler-utils), and the text exactly as the PDF
// carries it. pdftotext prints U+202F and U+00A0 as plain spaces or drops them (poppler treats
// every Unicode space as a word break), so the exact characters are read from the content
// streams through each font's ToUnicode map, and the glyphs from the embedded font itself.
// ---------------------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'cursus-pdf-'));
after(() => rmSync(work, { recursive: true, force: true }));
let files = 0;

function poppler(tool: 'pdftotext' | 'pdftoppm' | 'pdfinfo', pdf: Buffer, args: string[], out?: string): string {
  const file = join(work, `${++files}.pdf`);
  writeFileSync(file, pdf);
  const result = spawnSync(tool, [...args, file, ...(out ? [out] : tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    assert.fail(`${tool} is not installed: these tests read the PDFs back with poppler's tools. Install them (Debian/Ubuntu: "apt-get install poppler-utils"; macOS: "brew install poppler") and run the tests again.`);
  assert.equal(result.status, 0, `${tool} failed: ${result.stderr}`);
  return result.stdout;
}

const pdftotext = (pdf: Buffer) => poppler('pdftotext', pdf, ['-layout', '-enc', 'UTF-8']);
const pages = (pdf: Buffer) => Number(/^Pages:\s+(\d+)/m.exec(poppler('pdfinfo', pdf, []))?.[1]);

/** Words with their boxes in points, top-left origin (pdftotext -bbox). */
function words(pdf: Buffer): { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[] {
  const html = poppler('pdftotext', pdf, ['-bbox']);
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&');
  return [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: unescape(m[5]),
  }));
}

/** pdftotext's layout breaks lines and spaces as it sees fit: compare without any white space. */
const squash = (s: string) => s.replace(/[\s\u00a0\u202f]+/g, '');
function assertText(text: string, expected: readonly string[]): void {
  const flat = squash(text);
  for (const e of expected) assert.ok(flat.includes(squash(e)), `the PDF's text has "${e}"; it reads:\n${text}`);
}

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const src = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null;
  while ((m = header.exec(src))) {
    const start = m.index + m[0].length;
    const streamAt = src.indexOf('stream', start);
    const endAt = src.indexOf('endobj', start);
    if (streamAt === -1 || endAt < streamAt) {
      objects.set(Number(m[1]), { dict: src.slice(start, endAt) });
      header.lastIndex = endAt;
      continue;
    }
    const dict = src.slice(start, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    let data = streamAt + 'stream'.length;
    if (src[data] === '\r') data++;
    if (src[data] === '\n') data++;
    const raw = pdf.subarray(data, data + length);
    objects.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
    header.lastIndex = data + length;
  }
  return objects;
}

const ref = (dict: string, key: string) => Number(new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict)?.[1]);

/** A ToUnicode CMap: glyph id → text. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  // pdfkit writes a ligature's text as several code units in one entry: <0066 0069> for "fi".
  const hex = (h: string) => String.fromCharCode(...(h.replace(/\s+/g, '').match(/.{4}/g) ?? []).map((u) => parseInt(u, 16)));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const r of block[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*(\[[^\]]*\]|<[0-9a-f]+>)/gi)) {
      const from = parseInt(r[1], 16);
      const to = parseInt(r[2], 16);
      if (r[3].startsWith('[')) [...r[3].matchAll(/<([0-9a-f\s]+)>/gi)].forEach((d, i) => map.set(from + i, hex(d[1])));
      else for (let g = from; g <= to; g++) map.set(g, String.fromCodePoint(parseInt(r[3].slice(1, -1), 16) + g - from));
    }
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const c of block[1].matchAll(/<([0-9a-f]+)>\s*<([0-9a-f\s]+)>/gi)) map.set(parseInt(c[1], 16), hex(c[2]));
  return map;
}

interface Run {
  /** The font's name without its subset tag: DejaVuSans, DejaVuSans-Bold. */
  font: string;
  /** The font program embedded in the PDF. */
  embedded: fontkit.Font;
  /** Each glyph shown, with the text it stands for. */
  glyphs: { id: number; text: string }[];
  text: string;
}

/** Every piece of text the pages show (`Tj`, `TJ`), in its font, read through the fonts' ToUnicode maps. */
function textRuns(pdf: Buffer): Run[] {
  const objects = pdfObjects(pdf);
  const fonts = new Map<string, Omit<Run, 'glyphs' | 'text'> & { unicode: Map<number, string> }>();
  for (const { dict } of objects.values())
    for (const block of dict.matchAll(/\/Font\s*<<([\s\S]*?)>>/g))
      for (const [, name, id] of block[1].matchAll(/\/(\w+)\s+(\d+) 0 R/g)) {
        const font = objects.get(Number(id))!.dict;
        assert.match(font, /\/Subtype \/Type0/, `font ${name} is a Type0 (CID) font`);
        const descendant = objects.get(Number(/\/DescendantFonts \[(\d+) 0 R\]/.exec(font)![1]))!.dict;
        const descriptor = objects.get(ref(descendant, 'FontDescriptor'))!.dict;
        const program = objects.get(ref(descriptor, 'FontFile2'))?.stream;
        assert.ok(program, `font ${name} is embedded`);
        fonts.set(name, {
          font: /\/BaseFont \/(?:[A-Z]{6}\+)?([\w-]+)/.exec(font)![1],
          embedded: fontkit.create(program) as fontkit.Font,
          unicode: toUnicode(objects.get(ref(font, 'ToUnicode'))!.stream!.toString('latin1')),
        });
      }
  const runs: Run[] = [];
  for (const { dict } of objects.values()) {
    if (!/\/Type \/Page\b/.test(dict)) continue;
    const content = objects.get(ref(dict, 'Contents'))!.stream!.toString('latin1');
    let current: (typeof fonts extends Map<string, infer F> ? F : never) | undefined;
    for (const op of content.matchAll(/\/(\w+)\s+[-\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      if (op[1]) {
        current = fonts.get(op[1]);
        assert.ok(current, `font ${op[1]} is in the page's resources`);
        continue;
      }
      assert.ok(current, 'text is shown after a font is set');
      const hex = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('') : op[3];
      const glyphs = (hex.match(/.{4}/g) ?? []).map((g) => parseInt(g, 16)).map((id) => ({ id, text: current!.unicode.get(id) ?? '\u0000' }));
      runs.push({ font: current.font, embedded: current.embedded, glyphs, text: glyphs.map((g) => g.text).join('') });
    }
  }
  return runs;
}

const exactText = (pdf: Buffer) => textRuns(pdf).map((r) => r.text).join('\n');

const source = {
  DejaVuSans: fontkit.openSync(pdfFonts.body) as fontkit.Font,
  'DejaVuSans-Bold': fontkit.openSync(pdfFonts.bold) as fontkit.Font,
};

/**
 * Every character a PDF shows has a glyph: in the DejaVu font it was set in (fontkit on the TTF),
 * and in the font program embedded in the PDF (a real glyph, not .notdef; an outline for every
 * visible character). Returns the text, for the callers' own checks.
 */
function assertGlyphs(pdf: Buffer): string {
  const runs = textRuns(pdf);
  assert.ok(runs.length > 0, 'the PDF shows text');
  for (const run of runs) {
    assert.ok(run.font === 'DejaVuSans' || run.font === 'DejaVuSans-Bold', `only the DejaVu fonts are used (found ${run.font})`);
    const ttf = source[run.font as keyof typeof source];
    for (const glyph of run.glyphs) {
      assert.notEqual(glyph.id, 0, `no .notdef glyph in "${run.text}"`);
      for (const ch of glyph.text) assert.ok(ttf.hasGlyphForCodePoint(ch.codePointAt(0)!), `${run.font} has a glyph for U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} "${ch}" in "${run.text}"`);
      assert.ok(glyph.id < run.embedded.numGlyphs, `the embedded ${run.font} has glyph ${glyph.id}`);
      if (/\S/.test(glyph.text.replace(/[\u00a0\u202f]/g, ' ')))
        assert.ok(run.embedded.getGlyph(glyph.id).path.commands.length > 0, `the embedded ${run.font} draws "${glyph.text}" in "${run.text}"`);
    }
  }
  return runs.map((r) => r.text).join('\n');
}

/**
 * The page as a reader's camera sees it (pdftoppm, grey, 200 dpi) has a QR code of `url`: found by
 * its two top finder patterns (dark, light, dark, light, dark in the ratio 1:1:3:1:1 on one row),
 * then read module by module and compared with the QR code of `url`.
 */
function assertQrCodeOf(pdf: Buffer, url: string): void {
  const dir = mkdtempSync(join(work, 'page-'));
  poppler('pdftoppm', pdf, ['-r', '200', '-gray', '-singlefile'], join(dir, 'page'));
  const pgm = readFileSync(join(dir, 'page.pgm'));
  const head = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 32).toString('latin1'))!;
  const [width, height] = [Number(head[1]), Number(head[2])];
  const pixels = pgm.subarray(head[0].length);
  const dark = (x: number, y: number) => pixels[Math.round(y) * width + Math.round(x)] < 128;
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const n = modules.size;

  const matches = (left: number, top: number, m: number) => {
    for (let row = 0; row < n; row++)
      for (let col = 0; col < n; col++) if (dark(left + (col + 0.5) * m, top + (row + 0.5) * m) !== !!modules.get(row, col)) return false;
    return true;
  };
  const tried = new Set<string>();
  for (let y = 0; y < height; y++) {
    // Runs of the row: [start, length, dark].
    const runs: [number, number, boolean][] = [];
    for (let x = 0; x < width; x++) {
      const d = dark(x, y);
      if (runs.length && runs[runs.length - 1][2] === d) runs[runs.length - 1][1]++;
      else runs.push([x, 1, d]);
    }
    const finders: { x: number; end: number; m: number }[] = [];
    for (let i = 0; i + 4 < runs.length; i++) {
      if (!runs[i][2]) continue;
      const [a, b, c, d, e] = runs.slice(i, i + 5).map((r) => r[1]);
      const m = (a + b + c + d + e) / 7;
      if (m >= 2 && [a, b, d, e].every((r) => Math.abs(r - m) < m / 2) && Math.abs(c - 3 * m) < m) finders.push({ x: runs[i][0], end: runs[i + 4][0] + e, m });
    }
    for (const l of finders)
      for (const r of finders) {
        if (r.x <= l.end) continue;
        const m = (r.end - l.x) / n;
        if (Math.abs(m - l.m) > l.m / 4) continue;
        let top = y;
        while (top > 0 && dark(l.x + m / 2, top - 1)) top--;
        const key = `${l.x},${top},${m.toFixed(1)}`;
        if (tried.has(key)) continue;
        tried.add(key);
        if (matches(l.x, top, m)) return;
      }
  }
  assert.fail(`no QR code of ${url} on the page (${tried.size} places tried)`);
}

// ---------------------------------------------------------------------------------------------

const verifyUrl = 'https://cours.paris.fr/verifier/K7M3PQ9XW2?s=eyJhbGciOiJFUzI1NiIsImtpZCI6IjIwMjYtMDEifQ.eyJjIjoiSzdNM1BROVhXMiJ9.c2lnbmF0dXJl';
const subject = (locale: Locale) => ({
  locale,
  holderName: 'Élodie L’Hôte-Ngọc',
  sessionTitle: 'Anglais – niveau B1 (conversation)',
  sessionCode: 'ANG-B1-11-SOIR',
  schoolName: 'École élémentaire Parmentier, 11ᵉ',
  code: 'K7M3PQ9XW2',
  verifyUrl,
});

const card = (locale: Locale, overrides: Partial<EnrolleeCardInput> = {}): EnrolleeCardInput => ({
  ...subject(locale),
  year: '2026-2027',
  cardNumber: 'C-2026-000123',
  issuedAt: new Date('2026-10-01T09:15:00Z'),
  stamps: { attendance: false, skills: false },
  ...overrides,
});

const cost = (locale: Locale, overrides: Partial<CostAttestationInput> = {}): CostAttestationInput => ({
  ...subject(locale),
  firstMeeting: '2026-09-28',
  lastMeeting: '2027-06-14',
  hours: 67.5,
  rate: 'full',
  amountCents: 123_450,
  issuedAt: new Date('2026-09-20T10:00:00Z'),
  serviceName: 'Cours municipaux d’adultes de Paris',
  ...overrides,
});

const paid = (locale: Locale, overrides: Partial<PaymentAttestationInput> = {}): PaymentAttestationInput => ({
  ...cost(locale),
  paidAt: new Date('2026-10-01T16:42:00Z'),
  method: 'online',
  payerName: null,
  ...overrides,
});

const receipt = (locale: Locale, overrides: Partial<ReceiptInput> = {}): ReceiptInput => ({
  cashOffice: 'Régie CMA et AE',
  ...subject(locale),
  method: 'cheque',
  amountCents: 28_000,
  chequeNumber: '0012345',
  bank: 'La Banque Postale',
  payerName: 'Comité d’entreprise de la RATP',
  recordedBy: 'Jeanne Directrice',
  recordedAt: new Date('2026-10-02T17:05:00Z'),
  ...overrides,
});

const locales = ['fr', 'en'] as const;

describe('the enrollee card (PAY-4)', () => {
  for (const locale of locales)
    it(`PAY-4 PAY-10 shows the name, session, school, year, card number, QR code and short code with where to check it (${locale})`, async () => {
      const t = translator(locale);
      const pdf = await enrolleeCardPdf(card(locale));
      assert.equal(pages(pdf), 1);
      const text = pdftotext(pdf);
      assertText(text, [
        'Élodie L’Hôte-Ngọc',
        'Anglais – niveau B1 (conversation)',
        'ANG-B1-11-SOIR',
        'École élémentaire Parmentier, 11ᵉ',
        '2026-2027',
        'C-2026-000123',
        'K7M3PQ9XW2',
        'cours.paris.fr/verifier',
        t('pay.pdf.card.title'),
        t.date(new Date('2026-10-01T09:15:00Z')),
      ]);
      assert.doesNotMatch(text, locale === 'fr' ? /ASSIDUITÉ|COMPÉTENCES/ : /ATTENDANCE|ACQUIRED/, 'no stamp before the end of the course');
      assertGlyphs(pdf);
      assertQrCodeOf(pdf, verifyUrl);
    });

  it('PAY-4 fits the card on the page at bank-card size (85.6 × 54 mm, front and back side by side)', async () => {
    const box = { left: (595.28 - 2 * 242.65) / 2, top: 56, width: 2 * 242.65, height: 153.01 };
    const all = words(await enrolleeCardPdf(card('fr', { stamps: { attendance: true, skills: true } })));
    const onCard = all.filter((w) => w.yMin < box.top + box.height);
    for (const word of ['Élodie', 'ANG-B1-11-SOIR', 'C-2026-000123', 'K7M3PQ9XW2', 'ASSIDUITÉ', 'ACQUISES'])
      assert.ok(onCard.some((w) => w.text === word), `"${word}" is on the card`);
    for (const w of onCard)
      assert.ok(w.xMin >= box.left && w.xMax <= box.left + box.width && w.yMin >= box.top, `"${w.text}" stays inside the card (${JSON.stringify(w)})`);
  });

  for (const [stamps, shown, hidden] of [
    [{ attendance: true, skills: false }, ['ASSIDUITÉ'], ['COMPÉTENCES ACQUISES']],
    [{ attendance: false, skills: true }, ['COMPÉTENCES ACQUISES'], ['ASSIDUITÉ']],
    [{ attendance: true, skills: true }, ['ASSIDUITÉ', 'COMPÉTENCES ACQUISES'], []],
  ] as const)
    it(`PAY-4 prints the stamps given, and only those: ${JSON.stringify(stamps)}`, async () => {
      const text = pdftotext(await enrolleeCardPdf(card('fr', { stamps })));
      assertText(text, shown);
      for (const h of hidden) assert.ok(!squash(text).includes(squash(h)), `no "${h}" stamp`);
    });

  it('PAY-4 prints the stamps in English', async () => {
    assertText(pdftotext(await enrolleeCardPdf(card('en', { stamps: { attendance: true, skills: true } }))), ['ATTENDANCE', 'ACQUIRED SKILLS']);
  });
});

describe('the attestation of training cost (PAY-8)', () => {
  for (const locale of locales)
    it(`PAY-8 PAY-10 states the course, dates, hours, rate and cost, says it is neither a quote nor an invoice, and carries its code (${locale})`, async () => {
      const t = translator(locale);
      const input = cost(locale);
      const pdf = await costAttestationPdf(input);
      assert.equal(pages(pdf), 1);
      const text = pdftotext(pdf);
      assertText(text, [
        t('pay.pdf.cost.title'),
        input.serviceName,
        input.holderName,
        input.sessionTitle,
        input.sessionCode,
        input.schoolName,
        t.date(input.firstMeeting),
        t.date(input.lastMeeting),
        locale === 'fr' ? '67,5 heures' : '67.5 hours',
        t('pay.pdf.rate.full'),
        money(t, input.amountCents),
        t('pay.pdf.notInvoice'),
        t.date(input.issuedAt),
        input.code,
        'cours.paris.fr/verifier',
      ]);
      assert.match(squash(text), locale === 'fr' ? /niundevisniunefacture/ : /neitheraquotenoraninvoice/);
      assertGlyphs(pdf);
      assertQrCodeOf(pdf, verifyUrl);
    });

  it('PAY-8 states the half rate when the proof was accepted', async () => {
    assertText(pdftotext(await costAttestationPdf(cost('fr', { rate: 'half', amountCents: 61_725 }))), ['Tarif : demi-tarif', 'Coût de la formation : 617,25 €']);
  });

  it('refuses an amount that is not whole cents', async () => {
    await assert.rejects(costAttestationPdf(cost('fr', { amountCents: 12.5 })), RangeError);
  });
});

describe('the attestation of payment (PAY-8, PAY-7)', () => {
  for (const locale of locales)
    it(`PAY-8 PAY-10 states what was paid, when and how, and carries its code (${locale})`, async () => {
      const t = translator(locale);
      const input = paid(locale, { method: 'online' });
      const pdf = await paymentAttestationPdf(input);
      assert.equal(pages(pdf), 1);
      const text = pdftotext(pdf);
      assertText(text, [
        t('pay.pdf.paid.title'),
        input.holderName,
        input.sessionTitle,
        input.sessionCode,
        input.schoolName,
        money(t, input.amountCents),
        t.date(input.paidAt, 'datetime'),
        t('pay.pdf.method.online'),
        t('pay.pdf.paid.byHolder'),
        t('pay.pdf.notInvoice'),
        input.code,
        'cours.paris.fr/verifier',
      ]);
      assertGlyphs(pdf);
      assertQrCodeOf(pdf, verifyUrl);
    });

  for (const locale of locales)
    it(`PAY-7 names the third party who paid (${locale})`, async () => {
      const t = translator(locale);
      const input = paid(locale, { payerName: 'Association Lire & Écrire du 11ᵉ', method: 'cheque' });
      const text = pdftotext(await paymentAttestationPdf(input));
      assertText(text, [t('pay.pdf.paid.byThirdParty', { payer: 'Association Lire & Écrire du 11ᵉ', name: input.holderName }), t('pay.pdf.method.cheque')]);
      assert.ok(!squash(text).includes(squash(t('pay.pdf.paid.byHolder'))));
    });

  it('PAY-8 says how it was paid: online, by cheque or in cash', async () => {
    for (const [method, words] of [
      ['online', 'en ligne par carte bancaire'],
      ['cheque', 'par chèque'],
      ['cash', 'en espèces'],
    ] as const)
      assertText(pdftotext(await paymentAttestationPdf(paid('fr', { method }))), [words]);
  });
});

describe('the receipt of a payment at the school (PAY-3)', () => {
  for (const locale of locales)
    it(`PAY-3 PAY-7 PAY-10 a cheque: amount, number, bank, payer, payable to the service's cash office, who recorded it (${locale})`, async () => {
      const t = translator(locale);
      const input = receipt(locale);
      const pdf = await receiptPdf(input);
      assert.equal(pages(pdf), 1);
      const text = pdftotext(pdf);
      assertText(text, [
        t('pay.pdf.receipt.title'),
        t('pay.pdf.receipt.cheque'),
        money(t, 28_000),
        '0012345',
        'La Banque Postale',
        'Comité d’entreprise de la RATP',
        'Régie CMA et AE',
        input.holderName,
        input.sessionTitle,
        input.schoolName,
        'Jeanne Directrice',
        t.date(input.recordedAt, 'datetime'),
        input.code,
        'cours.paris.fr/verifier',
      ]);
      assertGlyphs(pdf);
      assertQrCodeOf(pdf, verifyUrl);
    });

  it('PAY-3 a cheque is payable to the cash office given', async () => {
    assertText(pdftotext(await receiptPdf(receipt('fr', { cashOffice: 'Régie CMA et AE' }))), ['à l’ordre de : Régie CMA et AE']);
  });

  it('PAY-3 cash: the amount handed over, exact change', async () => {
    const t = translator('fr');
    const text = pdftotext(await receiptPdf(receipt('fr', { method: 'cash', amountCents: 14_000, cashTenderedCents: 14_000, chequeNumber: undefined, bank: undefined, payerName: 'Élodie L’Hôte-Ngọc' })));
    assertText(text, [t('pay.pdf.receipt.cash'), t('pay.pdf.receipt.cashLine', { amount: '140,00 €' }), 'Reçu de : Élodie L’Hôte-Ngọc']);
    assert.ok(!squash(text).includes('Chèque'));
  });

  it('PAY-3 refuses cash that is not exact change, and a cheque without its number or bank', async () => {
    await assert.rejects(receiptPdf(receipt('fr', { method: 'cash', amountCents: 14_000, cashTenderedCents: 15_000 })), /exact change/);
    await assert.rejects(receiptPdf(receipt('fr', { chequeNumber: ' ' })), /cheque number and the bank/);
    await assert.rejects(receiptPdf(receipt('fr', { bank: undefined })), /cheque number and the bank/);
  });
});

describe('French formatting in the PDFs: the glyphs are there', () => {
  it('the DejaVu fonts have the narrow no-break space (U+202F) and the no-break space (U+00A0)', () => {
    for (const font of Object.values(source)) {
      assert.ok(font.hasGlyphForCodePoint(0x202f), `${font.postscriptName} has U+202F`);
      assert.ok(font.hasGlyphForCodePoint(0x00a0), `${font.postscriptName} has U+00A0`);
    }
  });

  it('a French amount of 1 000 € or more is written "1 234,50 €" with U+202F between the thousands and U+00A0 before €, in every document', async () => {
    const t = translator('fr');
    assert.equal(money(t, 123_450), '1\u202f234,50\u00a0€');
    for (const pdf of [await costAttestationPdf(cost('fr')), await paymentAttestationPdf(paid('fr')), await receiptPdf(receipt('fr', { amountCents: 123_450 }))]) {
      const text = assertGlyphs(pdf);
      assert.ok(text.includes('1\u202f234,50\u00a0€'), `the PDF carries U+202F and U+00A0 in the amount:\n${text}`);
      // pdftotext prints them as spaces (or nothing): the amount is still read as one.
      assert.match(pdftotext(pdf), /1 ?234,50 ?€/);
    }
  });

  it('French dates and times are exactly what Intl writes (its U+202F and U+00A0 included wherever it puts them), and have their glyphs', async () => {
    const t = translator('fr');
    const paidAt = new Date('2026-10-01T16:42:00Z');
    const text = assertGlyphs(await paymentAttestationPdf(paid('fr', { paidAt })));
    for (const date of [t.date(paidAt, 'datetime'), t.date('2026-09-28'), t.date('2027-06-14'), t.date(new Date('2026-09-20T10:00:00Z'))])
      assert.ok(text.includes(date), `"${date}" (${[...date].map((c) => c.codePointAt(0)!.toString(16)).join(' ')}) is in the PDF`);
    assert.ok(text.includes('1er octobre 2026 à 18:42'));
    const receiptText = assertGlyphs(await receiptPdf(receipt('fr')));
    assert.ok(receiptText.includes(t.date(new Date('2026-10-02T17:05:00Z'), 'datetime')));
  });

  it('English amounts and dates: "€1,234.50", "1 October 2026 at 18:42"', async () => {
    const text = assertGlyphs(await paymentAttestationPdf(paid('en')));
    assert.ok(text.includes('€1,234.50'));
    assert.ok(text.includes('1 October 2026 at 18:42'));
    assertGlyphs(await enrolleeCardPdf(card('en', { stamps: { attendance: true, skills: true } })));
    assertGlyphs(await receiptPdf(receipt('en')));
  });

  it('every text of the PDFs is in the DejaVu fonts and has a glyph in them, in both languages', async () => {
    for (const locale of locales)
      for (const pdf of [
        await enrolleeCardPdf(card(locale, { stamps: { attendance: true, skills: true } })),
        await costAttestationPdf(cost(locale, { rate: 'half' })),
        await paymentAttestationPdf(paid(locale, { payerName: 'Service social du 20ᵉ' })),
        await receiptPdf(receipt(locale)),
        await receiptPdf(receipt(locale, { method: 'cash', cashTenderedCents: 28_000 })),
      ]) {
        const text = assertGlyphs(pdf);
        assert.ok(text.includes('Élodie L’Hôte-Ngọc'));
      }
  });
});

describe('names that are long or unusual', () => {
  const odd = [
    'Marie-Éloïse d’Arcy-O’Connell de La Tour-Saint-Ygest épouse Nguyễn Thị Bích Ngọc, dite « Zoé »',
    'Ødegård-Łukasiewicz Çelik-Şahin Ferreira-Gonçalves von Hohenzollern-Sigmaringen O\'Brien-Müller-Lefèvre',
  ].join(' ');
  const longWord = 'Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegt';

  it('renders a name of 200 characters with accents and apostrophes in every document, wrapped on one page', async () => {
    assert.ok(odd.length >= 190, `${odd.length} characters`);
    const t = translator('fr');
    for (const [name, pdf] of [
      ['card', await enrolleeCardPdf(card('fr', { holderName: odd }))],
      ['cost', await costAttestationPdf(cost('fr', { holderName: odd }))],
      ['payment', await paymentAttestationPdf(paid('fr', { holderName: odd, payerName: odd.toUpperCase() }))],
      ['receipt', await receiptPdf(receipt('fr', { holderName: odd, payerName: odd }))],
    ] as const) {
      assert.equal(pages(pdf), 1, `${name}: one page`);
      // The card puts its back beside its front: pdftotext's layout mixes their lines, so the
      // whole name is read from the PDF's own text, and its words from pdftotext.
      assertText(exactText(pdf), [odd]);
      assertText(pdftotext(pdf), odd.split(/[\s-]+/));
      const nameWords = odd.split(' ');
      const placed = words(pdf).filter((w) => nameWords.includes(w.text));
      const lines = new Set(placed.map((w) => Math.round(w.yMin)));
      assert.ok(lines.size >= 2, `${name}: the name wraps (${lines.size} lines)`);
      for (const w of placed) assert.ok(w.xMax <= 595.28 - 50, `${name}: "${w.text}" stays within the page`);
      const exact = assertGlyphs(pdf);
      for (const w of odd.split(/[\s-]+/)) assert.ok(exact.includes(w), `${name}: "${w}" is written exactly`);
      assert.ok(!exact.includes(t('pay.pdf.card.title') + '…'));
    }
  });

  it('renders a name made of one very long word, and a name that is all apostrophes and hyphens', async () => {
    for (const holderName of [longWord, `${longWord} ${longWord}`, '’\'-’ ‘ - \'\''])
      for (const pdf of [
        await enrolleeCardPdf(card('en', { holderName })),
        await costAttestationPdf(cost('en', { holderName })),
        await paymentAttestationPdf(paid('en', { holderName })),
        await receiptPdf(receipt('en', { holderName })),
      ]) {
        assert.equal(pages(pdf), 1);
        assertGlyphs(pdf);
      }
  });

  it('the card shrinks a long name to fit its box, inside the card', async () => {
    const pdf = await enrolleeCardPdf(card('fr', { holderName: odd }));
    const front = { left: (595.28 - 2 * 242.65) / 2, top: 56, width: 242.65, height: 153.01 };
    const onFront = words(pdf).filter((w) => w.xMin >= front.left && w.xMax <= front.left + front.width && w.yMin >= front.top && w.yMax <= front.top + front.height);
    assert.ok(squash(onFront.map((w) => w.text).join(' ')).includes(squash(odd)), `the whole name is on the card's front: ${onFront.map((w) => w.text).join(' ')}`);
  });
});

describe('where to check a document (PAY-10)', () => {
  it('is the host and path of the public verification page, without the code or the signature', () => {
    assert.equal(verifySite('https://cours.paris.fr/verifier/K7M3PQ9X?s=abc'), 'cours.paris.fr/verifier');
    assert.equal(verifySite('http://localhost:3000/verifier/K7M3PQ9X'), 'localhost:3000/verifier');
    assert.equal(verifySite('https://ville.example/cma/verifier/K7M3PQ9X'), 'ville.example/cma/verifier');
  });
});
