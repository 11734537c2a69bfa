import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { APPLICATION_COLUMNS, applicationsCsv, FULL_DATA_COLUMNS, headerOf, OUTCOME_COLUMNS } from '../../../electron/core/dayclose/applicationsCsv';
import { APPLICATIONS_SHEET, applicationsXlsx, SUMMARY_SHEET } from '../../../electron/core/dayclose/applicationsXlsx';
import { writeDayBundle } from '../../../electron/core/dayclose/bundleWriter';
import { neutralizeCell } from '../../../electron/core/dayclose/csvCells';
import { dayTotals } from '../../../electron/core/dayclose/dayTotals';
import {
  ACQUIRER_OUTCOME_LABELS,
  AUTHORIZATION_DECISION_LABELS,
  AUTHORIZATION_REASON_LABELS,
  CHANNEL_LABELS,
  DOCUMENT_TYPE_LABELS,
  ONLINE_CHECK_LABELS,
  ONLINE_CHECK_SOURCE_LABELS,
  OUTCOME_REASON_LABELS,
  OUTCOME_SOURCE_LABELS,
  REASON_LABELS,
  STATUS_LABELS,
  VERIFICATION_METHOD_LABELS,
  type DayExportRow,
} from '../../../electron/core/dayclose/exportModel';
import { AUTHORIZATION_REASONS, OUTCOME_REASON_CODES } from '../../../shared';
import zhCN from '../../../renderer/i18n/zh-CN.json';
import validationZhCN from '../../../renderer/i18n/validation.zh-CN.json';
import { useTempDirs } from '../../support/tempDir';
import { SAMPLE_META, sampleDay, sampleSigningKey } from './sampleDay';

const tempDir = useTempDirs();
/** The sheet's last column, where the filter range ends. */
/** The spreadsheet's name of the n-th column (1 → A, 26 → Z, 27 → AA). */
function columnName(n: number): string {
  return n <= 0 ? '' : columnName(Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26));
}
const LAST_COLUMN = columnName(APPLICATION_COLUMNS.length);

// The screens' words (renderer/i18n/zh-CN.json): 票号, 登记时间, 办结时间… not another name for the same thing.
const HEADINGS = [
  '申请编号', '票号', '状态', '受理渠道', '登记时间', '办结时间', '申请人', '证件类型', '证件号码', '待解绑手机号', '新绑定手机号',
  '商户编号', '终端编号', '终端序列号（SN）', '解绑原因', '原因说明', '证件核验方式', '联网核查结果', '核查结果来源', '联网核查流水号', '授权原因', '主管授权', '授权主管', '经办柜员',
  '回执打印次数', '拒绝/撤销原因', '芯片读卡机具SAM号',
];

// Two applications written out by hand, as a reviewer would expect to read them in the sheet.
const WALK_IN: DayExportRow = {
  applicationNumber: 'UD20261125000001',
  ticketNo: 7,
  status: 'completed',
  channel: 'counter',
  createdAt: '2026-11-25 09:12:33',
  completedAt: '2026-11-25 09:20:01',
  applicantNameMasked: '欧阳**',
  documentType: 'resident_id',
  documentNumberMasked: '1101**********002X',
  mobileMasked: '138****5678',
  newMobileMasked: '150****0001',
  merchantNumber: '102100058120001',
  terminalId: '10001234',
  terminalSerial: '000123456789012345',
  reasonCode: 'other',
  reasonText: '=HYPERLINK("http://evil.example","点此")',
  verificationMethod: 'manual',
  chipSamId: null,
  onlineCheck: 'name_mismatch',
  onlineCheckSource: 'online',
  onlineCheckCode: '02',
  onlineCheckSerial: 'GAB202611250017',
  authorizationReasons: ['manual_entry', 'online_check_exception'],
  authorizationDecision: 'approved',
  authorizerNo: 'S0002',
  tellerNo: 'T0011',
  printCount: 2,
  rejectReason: null,
};
const REFUSED: DayExportRow = {
  ...WALK_IN,
  applicationNumber: 'UD20261125000002',
  ticketNo: 8,
  status: 'rejected',
  completedAt: null,
  applicantNameMasked: '张*',
  documentType: 'passport',
  documentNumberMasked: 'E1******78',
  newMobileMasked: null,
  merchantNumber: null,
  terminalId: null,
  reasonCode: 'security_concern',
  reasonText: '＋客户称, "不再使用"\r\n另见备注',
  verificationMethod: 'chip',
  chipSamId: '05.01-20101216-0016541549-2212183410',
  onlineCheck: 'match',
  onlineCheckSource: 'keyed',
  onlineCheckCode: null,
  onlineCheckSerial: null,
  authorizationReasons: [],
  authorizationDecision: null,
  authorizerNo: null,
  printCount: 0,
  rejectReason: 'customer_left',
};
// Cancelled while still waiting: nothing was ever keyed, and nothing may be made up for it.
const NEVER_KEYED: DayExportRow = {
  ...REFUSED,
  applicationNumber: 'UD20261125000003',
  ticketNo: 9,
  status: 'cancelled',
  applicantNameMasked: null,
  documentType: null,
  documentNumberMasked: null,
  mobileMasked: null,
  newMobileMasked: null,
  merchantNumber: null,
  terminalId: null,
  terminalSerial: null,
  reasonCode: null,
  reasonText: null,
  verificationMethod: null,
  chipSamId: null,
  onlineCheck: null,
  onlineCheckSource: null,
  onlineCheckCode: null,
  onlineCheckSerial: null,
  rejectReason: 'customer_left',
};
const EXPECTED_CELLS = [
  [
    'UD20261125000001', '7', '已完成', '柜面', '2026-11-25 09:12:33', '2026-11-25 09:20:01', '欧阳**', '居民身份证',
    '1101**********002X', '138****5678', '150****0001', '102100058120001', '10001234', '000123456789012345', '其他',
    `'=HYPERLINK("http://evil.example","点此")`, '手工录入（双次输入）', '姓名不一致', '联网核查系统返回 02', 'GAB202611250017', '手工录入证件信息（未读取芯片）、联网核查结果异常', '主管授权通过', 'S0002', 'T0011', '2', '—', '—',
  ],
  [
    'UD20261125000002', '8', '已拒绝', '柜面', '2026-11-25 09:12:33', '—', '张*', '护照', 'E1******78', '138****5678', '—', '—', '—',
    '000123456789012345', '安全顾虑', `'＋客户称, "不再使用"\r\n另见备注`, '读取证件芯片', '一致', '柜员录入结果', '—', '—', '—', '—', 'T0011', '0', '客户已离开',
    '05.01-20101216-0016541549-2212183410',
  ],
];
const NEVER_KEYED_CELLS = [
  'UD20261125000003', '9', '已撤销', '柜面', '2026-11-25 09:12:33', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', 'T0011', '0', '客户已离开', '—',
];

const META = { ...SAMPLE_META, batch: 1 };

/** Excel breaks a line inside a cell with LF alone; the CSV keeps the CRLF it was given. */
function withExcelLineBreaks(cells: string[]): string[] {
  return cells.map((cell) => cell.replace(/\r\n?/g, '\n'));
}

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}

function sheetCells(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    rows.push(Array.from({ length: sheet.columnCount }, (_, i) => {
      const value = row.getCell(i + 1).value;
      return value === null || value === undefined ? '' : String(value);
    }));
  });
  return rows;
}

describe('applications.csv', () => {
  it('has the Chinese headings and the rows as the branch reads them, formulas neutralized', () => {
    const text = applicationsCsv([WALK_IN, REFUSED]).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/); // every line break is CRLF
    expect(parse(text, { bom: true })).toEqual([HEADINGS, ...EXPECTED_CELLS]);
  });

  it('shows a value never keyed as absent ("—"), never a default: no 读取证件芯片 for a request cancelled while waiting', () => {
    const [, cells] = parse(applicationsCsv([NEVER_KEYED]).toString('utf8'), { bom: true }) as string[][];
    expect(cells).toEqual(NEVER_KEYED_CELLS);
    expect(dayTotals([NEVER_KEYED])).toMatchObject({ onlineCheckExceptions: 0, manualEntries: 0, authorizations: 0 });
  });

  it('uses the screens’ words for every heading and every code (renderer/i18n), so one thing has one name', () => {
    const screen = (key: string): string => {
      const found = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], zhCN);
      if (typeof found !== 'string') throw new Error(`no screen text ${key}`);
      return found;
    };
    const headings: Record<string, string> = {
      applicationNumber: 'detail.number', ticketNo: 'detail.ticket', status: 'detail.status', channel: 'detail.channel',
      createdAt: 'detail.registered', completedAt: 'detail.completed', applicantName: 'board.column.applicant',
      documentType: 'form.documentType', documentNumber: 'form.documentNumber', mobile: 'form.boundMobile',
      merchantNumber: 'form.merchantNumber', terminalId: 'form.terminalId', terminalSerial: 'form.terminalSerial',
      reasonCode: 'form.reason', reasonText: 'form.reasonText', verificationMethod: 'form.method', onlineCheck: 'form.onlineCheck',
      authorizationReasons: 'authorize.reasons', authorizationDecision: 'authorize.title', authorizerNo: 'detail.authorizer',
      printCount: 'detail.printCount', rejectReason: 'detail.outcomeReason',
    };
    for (const column of APPLICATION_COLUMNS) {
      const key = headings[column.code];
      if (key) expect([column.code, column.title]).toEqual([column.code, screen(key)]);
    }
    expect(APPLICATION_COLUMNS.find((column) => column.code === 'newMobile')?.title).toBe(screen('form.newMobile').replace('（可选）', ''));
    const tables: [Readonly<Record<string, string>>, (code: string) => string][] = [
      [STATUS_LABELS, (code) => (code === 'carried_over' ? screen('dayClose.carriedOver') : screen(`status.${code}`))],
      [CHANNEL_LABELS, (code) => screen(`channel.${code}`)],
      [REASON_LABELS, (code) => screen(`reason.${code}`)],
      [VERIFICATION_METHOD_LABELS, (code) => screen(`method.${code}`)],
      [ONLINE_CHECK_LABELS, (code) => screen(`onlineCheck.${code}`)],
      [ONLINE_CHECK_SOURCE_LABELS, (code) => screen(`identityCheck.source.${code}`)],
      [OUTCOME_REASON_LABELS, (code) => screen(`outcomeReason.${code}`)],
      [DOCUMENT_TYPE_LABELS, (code) => screen(`documentType.${code}`)],
      [AUTHORIZATION_REASON_LABELS, (code) => (validationZhCN as Record<string, string>)[`authorization.reason.${code}`] ?? `missing ${code}`],
      [AUTHORIZATION_DECISION_LABELS, (code) => ({ approved: screen('history.action_application_authorize_approve'), declined: screen('history.action_application_authorize_decline'), pending: screen('status.pending_authorization') })[code] ?? code],
    ];
    for (const [labels, onScreen] of tables) for (const [code, label] of Object.entries(labels)) expect([code, label]).toEqual([code, onScreen(code)]);
    // outcomes.csv (issue 15): the detail view's and the settings' words for the acquirer's outcome.
    const outcomeHeadings: Record<string, string> = {
      applicationNumber: 'detail.number', outcome: 'history.action_application_acquirer_outcome', acquirerReference: 'detail.acquirerReference',
      reason: 'detail.acquirerReason', source: 'settings.acquirer.channel',
    };
    for (const column of OUTCOME_COLUMNS) {
      const key = outcomeHeadings[column.code];
      if (key) expect([column.code, column.title]).toEqual([column.code, screen(key)]);
    }
    for (const [code, label] of Object.entries(ACQUIRER_OUTCOME_LABELS)) expect([code, label]).toEqual([code, screen(`status.${code}`)]);
    for (const [code, label] of Object.entries(OUTCOME_SOURCE_LABELS)) expect([code, label]).toEqual([code, screen(`settings.acquirer.${code}`)]);
    // Every code a request can carry has its label: none reaches a file as the bare code.
    for (const code of OUTCOME_REASON_CODES) expect(Object.keys(OUTCOME_REASON_LABELS)).toContain(code);
    for (const code of AUTHORIZATION_REASONS) expect(Object.keys(AUTHORIZATION_REASON_LABELS)).toContain(code);
  });

  it('can carry the English column codes instead, for head office import scripts', () => {
    const [header] = parse(applicationsCsv([WALK_IN], 'code').toString('utf8'), { bom: true }) as string[][];
    expect(header).toEqual(APPLICATION_COLUMNS.map((column) => column.code));
    expect(header).toContain('documentNumber');
  });

  it('holds exactly the rows of a full day, in order, read back by csv-parse', () => {
    const { rows } = sampleDay(2000);
    const parsed = parse(applicationsCsv(rows).toString('utf8'), { bom: true }) as string[][];
    expect(parsed).toHaveLength(2001);
    rows.forEach((row, i) => {
      const cells = parsed[i + 1] ?? [];
      expect(cells[0]).toBe(row.applicationNumber);
      expect(cells[8]).toBe(row.documentNumberMasked);
      expect(cells[13]).toBe(row.terminalSerial);
      expect(cells[15]).toBe(row.reasonText === null ? '—' : neutralizeCell(row.reasonText));
    });
  });
});

describe('applications.xlsx', () => {
  it('holds the same cells as the CSV, every one a text cell, 18 digits kept as typed', async () => {
    const bytes = await applicationsXlsx([WALK_IN, REFUSED], META, dayTotals([WALK_IN, REFUSED]));
    const workbook = await readWorkbook(bytes);
    const sheet = workbook.getWorksheet(APPLICATIONS_SHEET);
    if (!sheet) throw new Error('no applications sheet');
    expect(sheetCells(sheet)).toEqual([HEADINGS, ...EXPECTED_CELLS].map(withExcelLineBreaks));
    sheet.eachRow((row) => {
      row.eachCell((cell) => {
        expect(cell.type).toBe(ExcelJS.ValueType.String);
        expect(cell.numFmt).toBe('@');
      });
    });
    const serial = sheet.getRow(2).getCell(14);
    expect(serial.value).toBe('000123456789012345');
    expect(typeof serial.value).toBe('string');
  });

  it('freezes the heading row and puts a filter on the rows', async () => {
    const workbook = await readWorkbook(await applicationsXlsx([WALK_IN, REFUSED], META, dayTotals([WALK_IN, REFUSED])));
    const sheet = workbook.getWorksheet(APPLICATIONS_SHEET);
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet?.autoFilter).toBe(`A1:${LAST_COLUMN}3`);
  });

  it('names the filter range _xlnm._FilterDatabase in workbook.xml, so LibreOffice and WPS show the filter', async () => {
    const dir = tempDir();
    const file = join(dir, 'applications.xlsx');
    writeFileSync(file, await applicationsXlsx([WALK_IN, REFUSED], META, dayTotals([WALK_IN, REFUSED])));
    const workbookXml = execFileSync('unzip', ['-p', file, 'xl/workbook.xml']).toString('utf8');
    const names = [...workbookXml.matchAll(/<definedName\b([^>]*)>([^<]*)<\/definedName>/g)].map(([, attributes = '', range = '']) => ({ attributes, range: range.replaceAll('&apos;', "'") }));
    const filter = names.find((name) => name.attributes.includes('name="_xlnm._FilterDatabase"'));
    expect(filter, workbookXml).toBeDefined();
    expect(filter?.attributes).toContain('localSheetId="0"');
    expect(filter?.range).toBe(`'${APPLICATIONS_SHEET}'!$A$1:$${LAST_COLUMN}$3`);
    const sheetXml = execFileSync('unzip', ['-p', file, 'xl/worksheets/sheet1.xml']).toString('utf8');
    expect(sheetXml).toContain(`<autoFilter ref="A1:${LAST_COLUMN}3"`);
  });

  it('has a 汇总 sheet with the day, the branch and the counts', async () => {
    const { rows } = sampleDay(300);
    const totals = dayTotals(rows);
    const workbook = await readWorkbook(await applicationsXlsx(rows, META, totals));
    const summary = workbook.getWorksheet(SUMMARY_SHEET);
    if (!summary) throw new Error('no summary sheet');
    const lines = new Map(sheetCells(summary).map(([item, value]) => [item, value]));
    expect(lines.get('机构号')).toBe('110105001');
    expect(lines.get('营业日期')).toBe('2026-11-25');
    expect(lines.get('受理笔数')).toBe('300');
    expect(lines.get('状态：已完成')).toBe(String(totals.byStatus.completed));
    expect(lines.get('证件类型：居民身份证')).toBe(String(totals.byDocumentType.resident_id));
    expect(lines.get('主管授权笔数')).toBe(String(totals.authorizations));
    expect(lines.get('待主管授权笔数')).toBe(String(totals.pendingAuthorizations));
    expect(lines.get('状态：已顺延')).toBe(String(totals.byStatus.carried_over));
    expect(lines.get('手工录入笔数')).toBe(String(totals.manualEntries));
  });

  it('holds the same rows as the CSV for a full day', async () => {
    const { rows } = sampleDay(1000);
    const csv = parse(applicationsCsv(rows).toString('utf8'), { bom: true }) as string[][];
    const workbook = await readWorkbook(await applicationsXlsx(rows, META, dayTotals(rows)));
    const sheet = workbook.getWorksheet(APPLICATIONS_SHEET);
    if (!sheet) throw new Error('no applications sheet');
    expect(sheetCells(sheet)).toEqual(csv.map(withExcelLineBreaks));
  });

  it('is the same bytes when the same day is exported again (reproducible)', async () => {
    const { rows } = sampleDay(50);
    const [first, second] = await Promise.all([applicationsXlsx(rows, META, dayTotals(rows)), applicationsXlsx(rows, META, dayTotals(rows))]);
    expect(first.equals(second)).toBe(true);
  });
});

describe('full-data.csv', () => {
  it('is written only when a full-data export was authorized, with unmasked values, and marked as such', async () => {
    const { rows, fullData } = sampleDay(30);
    const signingKey = sampleSigningKey();
    const masked = await writeDayBundle({ destinationRoot: tempDir(), meta: SAMPLE_META, rows, totals: dayTotals(rows), signingKey });
    expect(masked.files.map((file) => file.name)).not.toContain('full-data.csv');
    expect(masked.files.every((file) => file.personalData === 'masked')).toBe(true);

    const full = await writeDayBundle({ destinationRoot: tempDir(), meta: SAMPLE_META, rows, totals: dayTotals(rows), signingKey, fullData });
    expect(full.manifest.files.find((file) => file.name === 'full-data.csv')?.personalData).toBe('full');
    const parsed = parse(readFileSync(join(full.dir, 'full-data.csv'), 'utf8'), { bom: true }) as string[][];
    expect(parsed[0]).toEqual(headerOf(FULL_DATA_COLUMNS));
    expect(parsed.slice(1).map((cells) => [cells[0], cells[2], cells[3]])).toEqual(
      fullData.map((row) => [row.applicationNumber, row.documentNumber, row.mobile]),
    );
  });
});
