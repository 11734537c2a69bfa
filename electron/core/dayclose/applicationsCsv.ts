// applications.csv (and full-data.csv): the day's applications, one row each. The XLSX sheet shows the
// same columns and cells, so both files are built from APPLICATION_COLUMNS.
import { toCsv } from './csvCells';
import {
  AUTHORIZATION_REASON_LABELS,
  CHANNEL_LABELS,
  DOCUMENT_TYPE_LABELS,
  labelOf,
  ONLINE_CHECK_LABELS,
  REASON_LABELS,
  STATUS_LABELS,
  VERIFICATION_METHOD_LABELS,
  type DayExportRow,
  type FullDataRow,
} from './exportModel';

export interface ExportColumn<Row> {
  /** Stable English name, for head office's import scripts. */
  code: string;
  /** The heading the branch reads. */
  title: string;
  /** Display width in the sheet, in characters. */
  width: number;
  cell(row: Row): string;
}

/** Several authorization reasons share one cell, separated as Chinese text separates list items. */
export const LIST_SEPARATOR = '、';

export function statusCell(status: string): string {
  return labelOf(STATUS_LABELS, status);
}
export function documentTypeCell(documentType: string): string {
  return labelOf(DOCUMENT_TYPE_LABELS, documentType);
}
export function onlineCheckCell(onlineCheck: string): string {
  return labelOf(ONLINE_CHECK_LABELS, onlineCheck);
}
export function verificationMethodCell(method: string): string {
  return labelOf(VERIFICATION_METHOD_LABELS, method);
}
export function authorizationReasonsCell(reasons: readonly string[]): string {
  return reasons.map((reason) => labelOf(AUTHORIZATION_REASON_LABELS, reason)).join(LIST_SEPARATOR);
}

const orEmpty = (value: string | null): string => value ?? '';

export const APPLICATION_COLUMNS: readonly ExportColumn<DayExportRow>[] = [
  { code: 'applicationNumber', title: '申请编号', width: 20, cell: (r) => r.applicationNumber },
  { code: 'ticketNo', title: '排队号', width: 8, cell: (r) => String(r.ticketNo) },
  { code: 'status', title: '状态', width: 10, cell: (r) => statusCell(r.status) },
  { code: 'channel', title: '渠道', width: 8, cell: (r) => labelOf(CHANNEL_LABELS, r.channel) },
  { code: 'createdAt', title: '受理时间', width: 20, cell: (r) => r.createdAt },
  { code: 'completedAt', title: '完成时间', width: 20, cell: (r) => orEmpty(r.completedAt) },
  { code: 'applicantName', title: '申请人', width: 10, cell: (r) => r.applicantNameMasked },
  { code: 'documentType', title: '证件类型', width: 22, cell: (r) => documentTypeCell(r.documentType) },
  { code: 'documentNumber', title: '证件号码', width: 22, cell: (r) => r.documentNumberMasked },
  { code: 'mobile', title: '原绑定手机号', width: 14, cell: (r) => r.mobileMasked },
  { code: 'newMobile', title: '新绑定手机号', width: 14, cell: (r) => orEmpty(r.newMobileMasked) },
  { code: 'merchantNumber', title: '商户编号', width: 18, cell: (r) => orEmpty(r.merchantNumber) },
  { code: 'terminalId', title: '终端编号', width: 10, cell: (r) => orEmpty(r.terminalId) },
  { code: 'terminalSerial', title: '终端序列号', width: 22, cell: (r) => orEmpty(r.terminalSerial) },
  { code: 'reasonCode', title: '解绑原因', width: 16, cell: (r) => labelOf(REASON_LABELS, r.reasonCode) },
  { code: 'reasonText', title: '原因说明', width: 24, cell: (r) => orEmpty(r.reasonText) },
  { code: 'verificationMethod', title: '核验方式', width: 10, cell: (r) => verificationMethodCell(r.verificationMethod) },
  { code: 'onlineCheck', title: '联网核查', width: 10, cell: (r) => onlineCheckCell(r.onlineCheck) },
  { code: 'authorizationReasons', title: '授权事由', width: 24, cell: (r) => authorizationReasonsCell(r.authorizationReasons) },
  { code: 'authorizerNo', title: '授权主管', width: 10, cell: (r) => orEmpty(r.authorizerNo) },
  { code: 'tellerNo', title: '经办柜员', width: 10, cell: (r) => r.tellerNo },
  { code: 'printCount', title: '打印次数', width: 8, cell: (r) => String(r.printCount) },
  { code: 'rejectReason', title: '拒绝原因', width: 24, cell: (r) => orEmpty(r.rejectReason) },
];

export const FULL_DATA_COLUMNS: readonly ExportColumn<FullDataRow>[] = [
  { code: 'applicationNumber', title: '申请编号', width: 20, cell: (r) => r.applicationNumber },
  { code: 'documentType', title: '证件类型', width: 22, cell: (r) => documentTypeCell(r.documentType) },
  { code: 'documentNumber', title: '证件号码', width: 22, cell: (r) => r.documentNumber },
  { code: 'mobile', title: '原绑定手机号', width: 14, cell: (r) => r.mobile },
  { code: 'newMobile', title: '新绑定手机号', width: 14, cell: (r) => orEmpty(r.newMobile) },
  { code: 'merchantNumber', title: '商户编号', width: 18, cell: (r) => orEmpty(r.merchantNumber) },
  { code: 'terminalId', title: '终端编号', width: 10, cell: (r) => orEmpty(r.terminalId) },
  { code: 'terminalSerial', title: '终端序列号', width: 22, cell: (r) => orEmpty(r.terminalSerial) },
];

/** Chinese headings for the branch, or the English codes for a machine that reads the file. */
export type HeaderStyle = 'title' | 'code';

export function headerOf<Row>(columns: readonly ExportColumn<Row>[], style: HeaderStyle = 'title'): string[] {
  return columns.map((column) => (style === 'code' ? column.code : column.title));
}

/** The cells of one row, before neutralization (toCsv and the XLSX writer neutralize). */
export function cellsOf<Row>(columns: readonly ExportColumn<Row>[], row: Row): string[] {
  return columns.map((column) => column.cell(row));
}

function* rowsOf<Row>(columns: readonly ExportColumn<Row>[], rows: readonly Row[]): Generator<string[]> {
  for (const row of rows) yield cellsOf(columns, row);
}

export function applicationsCsv(rows: readonly DayExportRow[], header: HeaderStyle = 'title'): Buffer {
  return toCsv(headerOf(APPLICATION_COLUMNS, header), rowsOf(APPLICATION_COLUMNS, rows));
}

export function fullDataCsv(rows: readonly FullDataRow[], header: HeaderStyle = 'title'): Buffer {
  return toCsv(headerOf(FULL_DATA_COLUMNS, header), rowsOf(FULL_DATA_COLUMNS, rows));
}
