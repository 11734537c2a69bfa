// applications.xlsx: the CSV's rows for people who open the day in Excel or WPS, with a 汇总 sheet and the
// 收单机构结果 sheet (outcomes.csv's rows).
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { APPLICATION_COLUMNS, cellsOf, documentTypeCell, headerOf, OUTCOME_COLUMNS, statusCell, type HeaderStyle } from './applicationsCsv';
import { neutralizeCell } from './csvCells';
import { bundleFacts, type DayExportMeta, type DayExportRow, type DayTotals, type ReceivedOutcome } from './exportModel';

export const APPLICATIONS_SHEET = '受理明细';
export const SUMMARY_SHEET = '汇总';
/** The acquirer's outcomes received on the day (outcomes.csv's rows). */
export const OUTCOMES_SHEET = '收单机构结果';

type ZipAppend = (source: unknown, data: Record<string, unknown>) => unknown;
const STAMPED = Symbol('stamped');

/**
 * archiver stamps every zip entry with the current time. Stamping the export's own instant instead makes
 * the same day export to the same bytes: a re-export can be compared byte for byte, and so can the
 * crash test's files. exceljs adds its first entries inside its constructor, hence the hook there.
 */
class ReproducibleWorkbookWriter extends ExcelJS.stream.xlsx.WorkbookWriter {
  /** Workbook-level names exceljs's streaming writer does not make itself (the autofilter's, see below). */
  readonly extraDefinedNames: { name: string; ranges: string[]; localSheetId: number }[] = [];

  /**
   * A sheet's autofilter is shown by Excel from the sheet alone, but LibreOffice (what UOS and Kylin
   * desktops open .xlsx with) and WPS need the hidden `_xlnm._FilterDatabase` name in workbook.xml too,
   * as Excel itself writes it. exceljs's streaming writer leaves it out; it is added to the names it writes.
   */
  override addWorkbook(): Promise<void> {
    const names = (this as unknown as { _definedNames: { model: unknown[] } })._definedNames;
    const extra = this.extraDefinedNames;
    (this as unknown as { _definedNames: { model: unknown[] } })._definedNames = {
      get model() {
        return [...names.model, ...extra];
      },
    };
    return super.addWorkbook();
  }

  override addThemes(): Promise<void> {
    stampZipEntries(this);
    return super.addThemes();
  }
  override addOfficeRels(): Promise<void> {
    stampZipEntries(this);
    return super.addOfficeRels();
  }
}

function stampZipEntries(writer: ExcelJS.stream.xlsx.WorkbookWriter): void {
  const zip = (writer as unknown as { zip?: { append?: ZipAppend; [STAMPED]?: true } }).zip;
  if (zip?.[STAMPED]) return;
  if (typeof zip?.append !== 'function') throw new Error('exceljs no longer exposes its zip writer: XLSX would not be reproducible');
  const append = zip.append.bind(zip);
  const date = writer.created;
  zip.append = (source, data) => append(source, { ...data, date });
  zip[STAMPED] = true;
}

function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** The summary sheet's lines: what the report's first page says, for the same day. */
export function summaryLines(meta: DayExportMeta, totals: DayTotals): [string, string][] {
  const count = (n: number | undefined) => String(n ?? 0);
  return [
    ['银行', meta.bankName],
    ...bundleFacts(meta),
    ['受理笔数', count(totals.total)],
    ...Object.entries(totals.byStatus).map(([status, n]): [string, string] => [`状态：${statusCell(status)}`, count(n)]),
    ...Object.entries(totals.byDocumentType).map(([type, n]): [string, string] => [`证件类型：${documentTypeCell(type)}`, count(n)]),
    ['主管授权笔数', count(totals.authorizations)],
    ['待主管授权笔数', count(totals.pendingAuthorizations)],
    ['重打次数', count(totals.reprints)],
    ['联网核查异常笔数', count(totals.onlineCheckExceptions)],
    ['手工录入笔数', count(totals.manualEntries)],
    ...Object.entries(totals.byTeller).map(([teller, n]): [string, string] => [`柜员：${teller}`, count(n)]),
  ];
}

/**
 * Every cell is a string with the text number format '@': an 18-character document number or a
 * 15-digit merchant number typed as a number would lose its last digits (Excel keeps 15 significant
 * digits) and its leading zeros. Built with the streaming writer: 10,000 rows in well under a second.
 */
export async function applicationsXlsx(
  rows: readonly DayExportRow[],
  meta: DayExportMeta,
  totals: DayTotals,
  header: HeaderStyle = 'title',
  outcomes: readonly ReceivedOutcome[] = [],
): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
  });
  const instant = new Date(meta.generatedAt);
  // exceljs reads `created` in its constructor (docProps/core.xml and the zip dates), though its typings omit it.
  const options = { stream: sink, useStyles: true, useSharedStrings: false, created: instant, modified: instant };
  const workbook = new ReproducibleWorkbookWriter(options);
  workbook.creator = 'UnbindDesk';
  workbook.lastModifiedBy = meta.operatorNo;

  // One style object per kind: exceljs recognizes a style it has seen by identity and skips
  // re-serializing it, which is most of its cost per cell.
  const text: Partial<ExcelJS.Style> = { numFmt: '@' };
  const heading: Partial<ExcelJS.Style> = { numFmt: '@', font: { bold: true } };

  const sheet = workbook.addWorksheet(APPLICATIONS_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = APPLICATION_COLUMNS.map((column) => ({ key: column.code, width: column.width }));
  // The filter covers the heading and every row, as Excel records it, with the sheet-local name beside it.
  const lastColumn = columnLetter(APPLICATION_COLUMNS.length - 1);
  const lastRow = rows.length + 1;
  sheet.autoFilter = `A1:${lastColumn}${lastRow}`;
  workbook.extraDefinedNames.push({ name: '_xlnm._FilterDatabase', ranges: [`'${APPLICATIONS_SHEET}'!$A$1:$${lastColumn}$${lastRow}`], localSheetId: 0 });
  addTextRow(sheet, headerOf(APPLICATION_COLUMNS, header), heading);
  for (const row of rows) addTextRow(sheet, cellsOf(APPLICATION_COLUMNS, row), text);
  sheet.commit();

  const summary = workbook.addWorksheet(SUMMARY_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  summary.columns = [
    { key: 'item', width: 28 },
    { key: 'value', width: 24 },
  ];
  addTextRow(summary, ['项目', '数量'], heading);
  for (const line of summaryLines(meta, totals)) addTextRow(summary, line, text);
  summary.commit();

  // Always there, with its heading even on a day nothing arrived: a reader finds the same sheets every day.
  const received = workbook.addWorksheet(OUTCOMES_SHEET, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  received.columns = OUTCOME_COLUMNS.map((column) => ({ key: column.code, width: column.width }));
  addTextRow(received, headerOf(OUTCOME_COLUMNS, header), heading);
  for (const outcome of outcomes) addTextRow(received, cellsOf(OUTCOME_COLUMNS, outcome), text);
  received.commit();

  await workbook.commit();
  await finished;
  return Buffer.concat(chunks);
}

/**
 * Neutralized as in the CSV. A line break inside a cell becomes LF, Excel's own in-cell break (Alt+Enter):
 * a CR would not survive the XML (parsers turn CRLF into LF) and shows as a box in some viewers.
 */
export function workbookCell(text: string): string {
  return neutralizeCell(text).replace(/\r\n?/g, '\n');
}

function addTextRow(sheet: ExcelJS.Worksheet, cells: readonly string[], style: Partial<ExcelJS.Style>): void {
  const row = sheet.addRow(cells.map(workbookCell));
  for (let column = 1; column <= cells.length; column++) row.getCell(column).style = style;
  row.commit();
}
