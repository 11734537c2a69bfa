import PDFDocument from 'pdfkit';
import { asFontSource, parsedCjkFonts } from '../receipts/parsedFonts';

/** A5 and the 80 mm roll, in points. */
const MM = 72 / 25.4;
const PAGES = { a5: { width: 148 * MM, height: 210 * MM, margin: 12 * MM }, roll80: { width: 80 * MM, height: 110 * MM, margin: 4 * MM } } as const;

export interface TestPageInput {
  layout: 'a5' | 'roll80';
  printer: string;
  /** Who asked for it and where, as printed on the page (branch IT: the machine's user). */
  requestedBy: string;
  at: Date;
}

/**
 * 打印测试页: a page that shows the printer, paper and CJK font work, and says in large type that it is a
 * test — not a slip, carrying no signature and no customer data, so it can never pass for one.
 */
export function renderTestPage(input: TestPageInput): Promise<{ pdf: Buffer; pageHeightPoints: number }> {
  const page = PAGES[input.layout];
  const fonts = parsedCjkFonts();
  const doc = new PDFDocument({ size: [page.width, page.height], margin: page.margin, info: { Title: 'UnbindDesk 打印测试页 / printer test page' } });
  doc.registerFont('cjk', asFontSource(fonts.regular));
  doc.registerFont('cjk-bold', asFontSource(fonts.bold));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const wide = input.layout === 'a5';
  const width = page.width - 2 * page.margin;
  // The Latin lines in a standard PDF font: they stay searchable after any spooler's PostScript round trip,
  // so branch IT (and the tests) can read the printed page back.
  doc.font('cjk-bold').fontSize(wide ? 40 : 26).text('测试', { align: 'center', width });
  doc.font('Helvetica-Bold').fontSize(wide ? 28 : 18).text('TEST', { align: 'center', width });
  doc.moveDown(0.3);
  doc.font('cjk-bold').fontSize(wide ? 16 : 11).text('柜面解绑台 打印测试页', { align: 'center', width });
  doc.font('Helvetica').fontSize(wide ? 10 : 8).text('UnbindDesk printer test page', { align: 'center', width });
  doc.moveDown(0.8);
  doc.fontSize(wide ? 11 : 8);
  const lines: [string, string][] = [
    ['打印机 Printer', input.printer],
    ['纸张 Paper', input.layout === 'a5' ? 'A5 (148 x 210 mm)' : '80 mm roll'],
    ['时间 Time', input.at.toISOString().replace('T', ' ').slice(0, 19) + ' UTC'],
    ['发起 Requested by', input.requestedBy],
  ];
  for (const [label, value] of lines) {
    doc.font('cjk').text(`${label}：`, { width, continued: true });
    doc.font('Helvetica').text(value);
  }
  doc.moveDown(0.8);
  doc.font('cjk-bold').text('本页不是业务回执，不含客户信息和数字签名，不计入任何业务。', { width });
  doc.font('Helvetica').text('This page is not a confirmation slip: no customer data, no signature, not counted.', { width });
  doc.end();
  return done.then((pdf) => ({ pdf, pageHeightPoints: page.height }));
}
