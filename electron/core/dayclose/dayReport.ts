// report.pdf, the 日终报表 (DOMAIN.md, "End of day"): what the supervisor signs when the day closes.
import PDFDocument from 'pdfkit';
import { acquirerReasonForStaff } from '../../../shared';
import type { CjkFonts } from '../receipts/fonts';
import { MISSING_GLYPH_WARNING, withVisibleGlyphs, type GlyphCoverage } from '../receipts/glyphCoverage';
import { documentTypeCell, statusCell, ticketCell } from './applicationsCsv';
import { ABSENT, ACQUIRER_OUTCOME_LABELS, bundleFacts, DAY_EXPORT_STATUSES, DOCUMENT_TYPE_SHORT_LABELS, labelOf, OUTCOME_SOURCE_LABELS, type DayExportMeta, type DayExportRow, type DayTotals, type ReceivedOutcome } from './exportModel';

/** An acquirer's outcome that arrived on the report's business date (whatever day its request was taken). */
export type { ReceivedOutcome };

export interface DayReportInput {
  meta: DayExportMeta;
  rows: readonly DayExportRow[];
  totals: DayTotals;
  fonts: CjkFonts;
  /** 收单机构结果: the outcomes recorded on this business date. */
  outcomes?: readonly ReceivedOutcome[];
}

export const OUTCOME_LABELS = ACQUIRER_OUTCOME_LABELS;

export const REPORT_TITLE = 'POS机绑定手机号解绑业务日终报表';

const REGULAR = 'cjk';
const BOLD = 'cjk-bold';
const MARGIN = { top: 36, bottom: 44, left: 32, right: 32 };
const TABLE_FONT_SIZE = 7;
const TABLE_ROW_HEIGHT = 11;
const TABLE_HEADER_HEIGHT = 14;

interface DetailColumn {
  title: string;
  width: number;
  align?: 'right';
  cell(row: DayExportRow, index: number): string;
}

// Masked data only, and the columns a reviewer checks against the slips; the full row is in the sheets.
// Headings are the screens' words. Widths add up to less than the A4 text width (531 pt); at 7 pt each
// holds its usual value whole (a 20-character application number is 75 pt; with its desk, 23 characters, it is set
// a little narrower), and a longer one is set
// narrower to fit (TableTextPainter): an application number is never cut.
const DETAIL_COLUMNS: readonly DetailColumn[] = [
  { title: '序号', width: 22, align: 'right', cell: (_, index) => String(index + 1) },
  { title: '申请编号', width: 80, cell: (r) => r.applicationNumber },
  { title: '票号', width: 22, align: 'right', cell: (r) => ticketCell(r.ticketNo) },
  { title: '状态', width: 30, cell: (r) => statusCell(r.status) },
  // The date is the business date in the heading; the time is what tells rows apart.
  { title: '登记时间', width: 32, cell: (r) => r.createdAt.slice(11) },
  { title: '申请人', width: 32, cell: (r) => r.applicantNameMasked ?? ABSENT },
  { title: '证件类型', width: 32, cell: (r) => labelOf(DOCUMENT_TYPE_SHORT_LABELS, r.documentType) },
  { title: '证件号码', width: 68, cell: (r) => r.documentNumberMasked ?? ABSENT },
  { title: '待解绑手机号', width: 46, cell: (r) => r.mobileMasked ?? ABSENT },
  { title: '商户编号', width: 62, cell: (r) => r.merchantNumber ?? ABSENT },
  { title: '终端编号', width: 36, cell: (r) => r.terminalId ?? ABSENT },
  { title: '经办柜员', width: 32, cell: (r) => r.tellerNo },
  { title: '授权主管', width: 32, cell: (r) => r.authorizerNo ?? ABSENT },
];
const CELL_PADDING = 2;

type Doc = PDFKit.PDFDocument;

export async function dayReportPdf(input: DayReportInput): Promise<Buffer> {
  return (await dayReport(input)).pdf;
}

/**
 * The report, and what the supervisor should know about it: `slip.missing_glyph` when a character of a
 * name is not in the font and was printed as '?' (as the slip does), so it can be written in by hand.
 */
export async function dayReport({ meta, rows, totals, fonts, outcomes = [] }: DayReportInput): Promise<{ pdf: Buffer; warnings: string[] }> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true, // "第 n 页 / 共 N 页" needs N, known only at the end
    // A fixed creation date (the export's instant) makes the same day render to the same bytes.
    info: { Title: `${REPORT_TITLE} ${meta.branchCode} ${meta.businessDate}`, Author: meta.operatorNo, Creator: 'UnbindDesk', CreationDate: new Date(meta.generatedAt) },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, fonts.regular);
  doc.registerFont(BOLD, fonts.bold);

  drawHeading(doc, meta);
  drawCounts(doc, totals, rows);
  const { substituted } = drawDetailTable(doc, meta, rows);
  drawOutcomes(doc, outcomes);
  drawSignatureLines(doc);
  drawFooters(doc, meta);

  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), warnings: substituted ? [MISSING_GLYPH_WARNING] : [] };
}

/** 六、收到的收单机构结果: outcomes recorded on this date, for requests of any day (usually earlier, closed ones). */
function drawOutcomes(doc: Doc, outcomes: readonly ReceivedOutcome[]): void {
  const unbound = outcomes.filter((o) => o.outcome === 'unbound').length;
  let y = drawSection(doc, doc.y + 8, '六、收到的收单机构结果', [
    ['收到结果', String(outcomes.length)],
    [OUTCOME_LABELS.unbound, String(unbound)],
    [OUTCOME_LABELS.unbind_failed, String(outcomes.length - unbound)],
  ], 3);
  if (outcomes.length > 0) {
    // What each line holds, in its order (a reason, when there is one, ends the line and may wrap).
    y = ensureRoom(doc, y, 12);
    doc.font(REGULAR).fontSize(7).fillColor('#555555').text('申请编号  结果  收单机构参考号  收到时间  交接方式  原因', MARGIN.left, y, { lineBreak: false });
    y += 11;
  }
  doc.font(REGULAR).fontSize(8).fillColor('black');
  for (const outcome of outcomes) {
    const line = `${outcome.applicationNumber}  ${OUTCOME_LABELS[outcome.outcome]}  ${outcome.acquirerReference ?? ABSENT}  ${outcome.receivedAt.slice(11, 19)}  ${labelOf(OUTCOME_SOURCE_LABELS, outcome.source)}${outcome.reason ? `  ${acquirerReasonForStaff(outcome.reason, 'zh-CN')}` : ''}`;
    const height = doc.heightOfString(line, { width: textWidth(doc) });
    y = ensureRoom(doc, y, height + 2);
    doc.font(REGULAR).fontSize(8).text(line, MARGIN.left, y, { width: textWidth(doc) });
    y += height + 2;
  }
  doc.x = MARGIN.left;
  doc.y = y + 6;
}

function textWidth(doc: Doc): number {
  return doc.page.width - MARGIN.left - MARGIN.right;
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - MARGIN.bottom;
}

/** Starts a new page when `height` does not fit; returns the y to draw at. */
function ensureRoom(doc: Doc, y: number, height: number): number {
  if (y + height <= bottomLimit(doc)) return y;
  doc.addPage();
  return MARGIN.top;
}

function drawHeading(doc: Doc, meta: DayExportMeta): void {
  const width = textWidth(doc);
  doc.font(BOLD).fontSize(16).fillColor('black').text(REPORT_TITLE, MARGIN.left, MARGIN.top, { width, align: 'center' });
  doc.font(REGULAR).fontSize(10).text(meta.bankName, MARGIN.left, doc.y + 2, { width, align: 'center' });
  const pairs: [string, string][] = [
    ...bundleFacts(meta),
    ['审计链序号', String(meta.auditHead.seq)],
    ['审计链哈希', `${meta.auditHead.hash.slice(0, 16)}…`],
  ];
  drawPairs(doc, doc.y + 10, pairs, 2);
}

function count(n: number | undefined): string {
  return String(n ?? 0);
}

function drawCounts(doc: Doc, totals: DayTotals, rows: readonly DayExportRow[]): void {
  // 已通过 at close (a day closed before approved requests had to be settled) means a slip was never issued;
  // it is shown only when it happens, so that it stands out.
  const statuses = [
    ...DAY_EXPORT_STATUSES.filter((status) => status !== 'approved' || (totals.byStatus[status] ?? 0) > 0),
    ...Object.keys(totals.byStatus).filter((status) => !(DAY_EXPORT_STATUSES as readonly string[]).includes(status)),
  ];
  let y = drawSection(doc, doc.y + 12, '一、业务量', [
    ['受理', count(totals.total)],
    ...statuses.map((status): [string, string] => [statusCell(status), count(totals.byStatus[status])]),
  ]);
  const documentTypes = Object.entries(totals.byDocumentType).map(([type, n]): [string, string] => [documentTypeCell(type), count(n)]);
  y = drawSection(doc, y, '二、按证件类型', documentTypes.length > 0 ? documentTypes : [['（无）', '0']], 2);
  // 主管授权: decided by a supervisor (通过 or 拒绝); those still waiting when the day ended are shown apart.
  y = drawSection(doc, y, '三、授权与例外', [
    ['主管授权', count(totals.authorizations)],
    ['待主管授权', count(totals.pendingAuthorizations)],
    ['重打回执', count(totals.reprints)],
    ['联网核查异常', count(totals.onlineCheckExceptions)],
    ['手工录入', count(totals.manualEntries)],
    // 联网核查 evidence: answers received from the middleware, and results the teller keyed instead.
    ['联网核查系统返回', count(rows.filter((row) => row.onlineCheckSource === 'online').length)],
    ['核查结果柜员录入', count(rows.filter((row) => row.onlineCheckSource === 'keyed').length)],
    // Issue 14: documents read from the chip by a reader the program talked to (evidence on each request).
    ['芯片读取', count(rows.filter((row) => row.verificationMethod === 'chip').length)],
  ]);
  const tellers = Object.entries(totals.byTeller).map(([teller, n]): [string, string] => [`柜员 ${teller}`, count(n)]);
  drawSection(doc, y, '四、按柜员', tellers.length > 0 ? tellers : [['（无）', '0']]);
}

const SECTION_TITLE_HEIGHT = 18;
const PAIR_HEIGHT = 18;

function drawSection(doc: Doc, y: number, title: string, pairs: [string, string][], columns = 4): number {
  y = ensureRoom(doc, y, SECTION_TITLE_HEIGHT + PAIR_HEIGHT);
  doc.font(BOLD).fontSize(10).fillColor('black').text(title, MARGIN.left, y, { lineBreak: false });
  return drawPairs(doc, y + SECTION_TITLE_HEIGHT, pairs, columns) + 10;
}

/** Label and value side by side in boxed cells, `columns` per line; returns the y below the grid. */
function drawPairs(doc: Doc, y: number, pairs: [string, string][], columns = 4): number {
  const cellWidth = textWidth(doc) / columns;
  for (let start = 0; start < pairs.length; start += columns) {
    y = ensureRoom(doc, y, PAIR_HEIGHT);
    pairs.slice(start, start + columns).forEach(([label, value], i) => {
      const x = MARGIN.left + i * cellWidth;
      doc.lineWidth(0.5).strokeColor('#999999').rect(x, y, cellWidth, PAIR_HEIGHT).stroke();
      doc.font(REGULAR).fontSize(9).fillColor('#333333').text(label, x + 4, y + 4, { lineBreak: false });
      const labelWidth = doc.widthOfString(label);
      doc.font(BOLD).fontSize(9).fillColor('black');
      const valueWidth = doc.widthOfString(value);
      // A long value (a branch name) starts after its label; a count sits at the right of its box.
      const valueX = Math.max(x + 4 + labelWidth + 8, x + cellWidth - 4 - valueWidth);
      doc.text(value, valueX, y + 4, { lineBreak: false });
    });
    y += PAIR_HEIGHT;
  }
  doc.fillColor('black').strokeColor('black');
  doc.x = MARGIN.left;
  doc.y = y;
  return y;
}

function drawDetailTable(doc: Doc, meta: DayExportMeta, rows: readonly DayExportRow[]): { substituted: boolean } {
  let y = ensureRoom(doc, doc.y + 4, SECTION_TITLE_HEIGHT + TABLE_HEADER_HEIGHT + TABLE_ROW_HEIGHT * 3);
  doc.font(BOLD).fontSize(10).fillColor('black').text('五、业务明细（个人信息已脱敏）', MARGIN.left, y, { lineBreak: false });
  y = drawTableHeader(doc, y + SECTION_TITLE_HEIGHT);
  if (rows.length === 0) {
    doc.font(REGULAR).fontSize(9).text('（本营业日无业务）', MARGIN.left, y + 4, { lineBreak: false });
    doc.y = y + TABLE_ROW_HEIGHT + 8;
    return { substituted: false };
  }
  doc.font(REGULAR).fontSize(TABLE_FONT_SIZE);
  const painter = TableTextPainter.forCurrentFont(doc, TABLE_FONT_SIZE);
  rows.forEach((row, index) => {
    if (y + TABLE_ROW_HEIGHT > bottomLimit(doc)) {
      painter.flush();
      doc.addPage();
      doc.font(REGULAR).fontSize(8).fillColor('#333333');
      doc.text(`${meta.branchName}（${meta.branchCode}）  营业日期 ${meta.businessDate}  业务明细（续）`, MARGIN.left, MARGIN.top, { lineBreak: false });
      y = drawTableHeader(doc, MARGIN.top + 14);
    }
    if (index % 2 === 1) painter.shade(MARGIN.left, y, textWidth(doc), TABLE_ROW_HEIGHT);
    let x = MARGIN.left;
    for (const column of DETAIL_COLUMNS) {
      painter.cell(column.cell(row, index), x + CELL_PADDING, y + 1, column.width - 2 * CELL_PADDING, column.align);
      x += column.width;
    }
    y += TABLE_ROW_HEIGHT;
  });
  painter.flush();
  doc.moveTo(MARGIN.left, y).lineTo(MARGIN.left + textWidth(doc), y).lineWidth(0.5).stroke();
  doc.x = MARGIN.left;
  doc.y = y + 8;
  return { substituted: painter.substituted };
}

/** The column headings, on every page the table reaches; returns the y of the first row. */
function drawTableHeader(doc: Doc, y: number): number {
  doc.rect(MARGIN.left, y, textWidth(doc), TABLE_HEADER_HEIGHT).fill('#e6e6e6');
  doc.font(BOLD).fontSize(TABLE_FONT_SIZE).fillColor('black');
  let x = MARGIN.left;
  for (const column of DETAIL_COLUMNS) {
    doc.text(column.title, x + CELL_PADDING, y + 3, { lineBreak: false });
    x += column.width;
  }
  doc.font(REGULAR).fontSize(TABLE_FONT_SIZE);
  return y + TABLE_HEADER_HEIGHT;
}

function drawSignatureLines(doc: Doc): void {
  const y = ensureRoom(doc, doc.y + 24, 40);
  const slot = textWidth(doc) / 3;
  doc.font(REGULAR).fontSize(11).fillColor('black');
  ['制表', '复核', '主管'].forEach((role, i) => {
    const x = MARGIN.left + i * slot;
    doc.text(`${role}：`, x, y, { lineBreak: false });
    const lineStart = x + doc.widthOfString(`${role}：`) + 2;
    doc.moveTo(lineStart, y + 15).lineTo(x + slot - 16, y + 15).lineWidth(0.75).stroke();
  });
  doc.fontSize(9).fillColor('#333333').text('签章 / 日期', MARGIN.left, y + 22, { lineBreak: false });
  doc.fillColor('black');
}

function drawFooters(doc: Doc, meta: DayExportMeta): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - MARGIN.bottom + 16;
    const right = doc.page.width - MARGIN.right;
    doc.font(REGULAR).fontSize(8).fillColor('#333333');
    doc.text(`${meta.branchCode}  ${meta.businessDate}  日终报表  批次 ${meta.batch}`, MARGIN.left, y, { lineBreak: false });
    const pageLabel = `第 ${i - range.start + 1} 页 / 共 ${range.count} 页`;
    doc.text(pageLabel, (doc.page.width - doc.widthOfString(pageLabel)) / 2, y, { lineBreak: false });
    const generated = `生成 ${meta.generatedAtLocal}`;
    doc.text(generated, right - doc.widthOfString(generated), y, { lineBreak: false });
  }
  doc.fillColor('black');
}

/** What the table painter needs from pdfkit's embedded font (not in its public typings). */
interface EmbeddedFont {
  id: string;
  ascender: number;
  /** fontkit's parsed font: which characters the font can draw. */
  font: { hasGlyphForCodePoint(codePoint: number): boolean };
  encode(text: string): [string[], { xAdvance: number }[]];
  ref(): unknown;
}

function isEmbeddedFont(font: unknown): font is EmbeddedFont {
  const candidate = font as Partial<EmbeddedFont> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.id === 'string' &&
    typeof candidate.ascender === 'number' &&
    typeof candidate.font?.hasGlyphForCodePoint === 'function' &&
    typeof candidate.encode === 'function' &&
    typeof candidate.ref === 'function'
  );
}

interface Glyph {
  hex: string;
  /** Advance in points at the table's font size. */
  width: number;
}

/** The narrowest a table cell's text is set to fit its column, before it is cut. */
const MIN_SCALE = 0.6;

/** PDF numbers as short as they can be: the table's content stream is most of the file. */
function pdfNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * The detail table's cells, written as raw PDF text operators. pdfkit's text() shapes every string with
 * fontkit, about 20 µs a call: 13 cells × 10,000 rows took 3 s. Cells are codes, masked numbers and
 * short labels that need no kerning or ligatures, so each character is encoded once through pdfkit's own
 * font (which also records the glyph for the subset and for ToUnicode, so the text stays searchable
 * and copyable) and a page's cells go out in a single content block.
 */
class TableTextPainter {
  private readonly glyphs = new Map<string, Glyph>();
  private readonly ellipsis: Glyph;
  private readonly space: Glyph;
  private readonly ascent: number;
  private operators: string[] = [];
  private shading: string[] = [];
  /** Whether a character the font lacks was printed as '?'. */
  substituted = false;
  private readonly covers: GlyphCoverage;
  /** Where the last cell started, in PDF coordinates: cells of one row move from it with a short Td. */
  private lineX = 0;
  private lineY = Number.NaN;

  private constructor(
    private readonly doc: Doc,
    private readonly font: EmbeddedFont,
    private readonly size: number,
  ) {
    // Asked for every character of every cell: fontkit's answer is remembered per code point.
    const known = new Map<number, boolean>();
    this.covers = (codePoint) => {
      let has = known.get(codePoint);
      if (has === undefined) {
        has = font.font.hasGlyphForCodePoint(codePoint);
        known.set(codePoint, has);
      }
      return has;
    };
    this.ellipsis = this.glyph('…');
    this.space = this.glyph(' ');
    this.ascent = (font.ascender * size) / 1000;
  }

  static forCurrentFont(doc: Doc, size: number): TableTextPainter {
    const font = (doc as unknown as { _font?: unknown })._font;
    if (!isEmbeddedFont(font)) throw new Error('pdfkit font internals changed: the day report table cannot be drawn');
    return new TableTextPainter(doc, font, size);
  }

  private glyph(character: string): Glyph {
    let glyph = this.glyphs.get(character);
    if (!glyph) {
      const [hexes, positions] = this.font.encode(character);
      const advance = positions.reduce((sum, position) => sum + position.xAdvance, 0);
      glyph = { hex: hexes.join(''), width: (advance * this.size) / 1000 };
      this.glyphs.set(character, glyph);
    }
    return glyph;
  }

  /**
   * The glyphs of a text, by code point; control characters are drawn as spaces, and a character the
   * font lacks as a visible '?' (the slip's rule, glyphCoverage.ts) instead of an empty box.
   */
  private glyphsOf(text: string): Glyph[] {
    const glyphs: Glyph[] = [];
    const visible = withVisibleGlyphs(text, (codePoint) => codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0) || this.covers(codePoint));
    if (visible.substituted) this.substituted = true;
    for (const character of visible.text) {
      const code = character.codePointAt(0) ?? 0;
      glyphs.push(code < 0x20 || (code >= 0x7f && code < 0xa0) ? this.space : this.glyph(character));
    }
    return glyphs;
  }

  /**
   * Text at the top-left (x, y) in pdfkit's coordinates, within `width`: a text too wide is set narrower
   * (horizontal scaling, down to MIN_SCALE) so it prints whole — an application number is never cut;
   * only beyond that is it cut with an ellipsis.
   */
  cell(text: string, x: number, y: number, width: number, align?: 'right'): void {
    if (text === '') return;
    let glyphs = this.glyphsOf(text);
    let used = 0;
    for (const glyph of glyphs) used += glyph.width;
    let scale = 1;
    if (used > width) {
      scale = Math.max(MIN_SCALE, width / used);
      const room = width / scale;
      if (used > room) {
        let kept = 0;
        used = this.ellipsis.width;
        while (kept < glyphs.length && used + (glyphs[kept]?.width ?? 0) <= room) used += glyphs[kept++]?.width ?? 0;
        glyphs = [...glyphs.slice(0, kept), this.ellipsis];
      }
    }
    let hex = '';
    for (const glyph of glyphs) hex += glyph.hex;
    const left = align === 'right' ? x + width - used * scale : x;
    const baseline = this.doc.page.height - y - this.ascent;
    const move =
      baseline === this.lineY ? `${pdfNumber(left - this.lineX)} 0 Td` : `1 0 0 1 ${pdfNumber(left)} ${pdfNumber(baseline)} Tm`;
    this.operators.push(scale < 1 ? `${move} ${pdfNumber(scale * 100)} Tz <${hex}> Tj 100 Tz` : `${move} <${hex}> Tj`);
    this.lineX = left;
    this.lineY = baseline;
  }

  shade(x: number, y: number, width: number, height: number): void {
    this.shading.push(`${pdfNumber(x)} ${pdfNumber(y)} ${pdfNumber(width)} ${pdfNumber(height)} re`);
  }

  /** Writes the collected cells onto the current page. */
  flush(): void {
    const page = this.doc.page as PDFKit.PDFPage & { fonts: Record<string, unknown> };
    if (this.shading.length > 0) this.doc.addContent(`q 0.95 g\n${this.shading.join('\n')}\nf Q`);
    if (this.operators.length > 0) {
      page.fonts[this.font.id] ??= this.font.ref();
      // pdfkit draws in a flipped space (y down); text operators want the PDF's own, as pdfkit does it.
      this.doc.addContent(
        `q 1 0 0 -1 0 ${pdfNumber(this.doc.page.height)} cm BT /${this.font.id} ${this.size} Tf 0 g\n${this.operators.join('\n')}\nET Q`,
      );
    }
    this.operators = [];
    this.shading = [];
    this.lineY = Number.NaN;
  }
}
