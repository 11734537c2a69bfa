// applications.csv (and full-data.csv): the day's applications, one row each. The XLSX sheet shows the
// same columns and cells, so both files are built from APPLICATION_COLUMNS. outcomes.csv: the acquirer's
// outcomes received on the day (OUTCOME_COLUMNS, the XLSX's 收单机构结果 sheet alike).
import { toCsv } from './csvCells';
import {
  ABSENT,
  ACQUIRER_OUTCOME_LABELS,
  AUTHORIZATION_DECISION_LABELS,
  AUTHORIZATION_REASON_LABELS,
  CHANNEL_LABELS,
  DOCUMENT_TYPE_LABELS,
  labelOf,
  ONLINE_CHECK_LABELS,
  ONLINE_CHECK_SOURCE_LABELS,
  OUTCOME_REASON_LABELS,
  OUTCOME_SOURCE_LABELS,
  REASON_LABELS,
  STATUS_LABELS,
  VERIFICATION_METHOD_LABELS,
  type DayExportRow,
  type FullDataRow,
  type ReceivedOutcome,
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
export function documentTypeCell(documentType: string | null): string {
  return labelOf(DOCUMENT_TYPE_LABELS, documentType);
}
export function onlineCheckCell(onlineCheck: string | null): string {
  return labelOf(ONLINE_CHECK_LABELS, onlineCheck);
}
export function verificationMethodCell(method: string | null): string {
  return labelOf(VERIFICATION_METHOD_LABELS, method);
}
export function authorizationDecisionCell(decision: string | null): string {
  return labelOf(AUTHORIZATION_DECISION_LABELS, decision);
}
export function authorizationReasonsCell(reasons: readonly string[]): string {
  return reasons.length === 0 ? ABSENT : reasons.map((reason) => labelOf(AUTHORIZATION_REASON_LABELS, reason)).join(LIST_SEPARATOR);
}
export function ticketCell(ticketNo: number | null): string {
  return ticketNo === null ? ABSENT : String(ticketNo);
}

/** A value never given is shown as absent ("—"), in every file alike. */
const orAbsent = (value: string | null): string => (value === null || value === '' ? ABSENT : value);

// The headings are the screen's own words for each field (the request's detail view, the form, the board).
export const APPLICATION_COLUMNS: readonly ExportColumn<DayExportRow>[] = [
  { code: 'applicationNumber', title: '申请编号', width: 22, cell: (r) => r.applicationNumber },
  { code: 'ticketNo', title: '票号', width: 8, cell: (r) => ticketCell(r.ticketNo) },
  { code: 'status', title: '状态', width: 10, cell: (r) => statusCell(r.status) },
  { code: 'channel', title: '受理渠道', width: 10, cell: (r) => labelOf(CHANNEL_LABELS, r.channel) },
  { code: 'createdAt', title: '登记时间', width: 20, cell: (r) => r.createdAt },
  { code: 'completedAt', title: '办结时间', width: 20, cell: (r) => orAbsent(r.completedAt) },
  { code: 'applicantName', title: '申请人', width: 10, cell: (r) => orAbsent(r.applicantNameMasked) },
  { code: 'documentType', title: '证件类型', width: 22, cell: (r) => documentTypeCell(r.documentType) },
  { code: 'documentNumber', title: '证件号码', width: 22, cell: (r) => orAbsent(r.documentNumberMasked) },
  { code: 'mobile', title: '待解绑手机号', width: 14, cell: (r) => orAbsent(r.mobileMasked) },
  { code: 'newMobile', title: '新绑定手机号', width: 14, cell: (r) => orAbsent(r.newMobileMasked) },
  { code: 'merchantNumber', title: '商户编号', width: 18, cell: (r) => orAbsent(r.merchantNumber) },
  { code: 'terminalId', title: '终端编号', width: 10, cell: (r) => orAbsent(r.terminalId) },
  { code: 'terminalSerial', title: '终端序列号（SN）', width: 22, cell: (r) => orAbsent(r.terminalSerial) },
  { code: 'reasonCode', title: '解绑原因', width: 16, cell: (r) => labelOf(REASON_LABELS, r.reasonCode) },
  { code: 'reasonText', title: '原因说明', width: 24, cell: (r) => orAbsent(r.reasonText) },
  { code: 'verificationMethod', title: '证件核验方式', width: 14, cell: (r) => verificationMethodCell(r.verificationMethod) },
  { code: 'onlineCheck', title: '联网核查结果', width: 12, cell: (r) => onlineCheckCell(r.onlineCheck) },
  // The evidence: where the result came from, the middleware's code (00–05) and its serial.
  {
    code: 'onlineCheckSource',
    title: '核查结果来源',
    width: 16,
    cell: (r) => (r.onlineCheckSource === 'online' && r.onlineCheckCode ? `${labelOf(ONLINE_CHECK_SOURCE_LABELS, r.onlineCheckSource)} ${r.onlineCheckCode}` : labelOf(ONLINE_CHECK_SOURCE_LABELS, r.onlineCheckSource)),
  },
  { code: 'onlineCheckSerial', title: '联网核查流水号', width: 24, cell: (r) => orAbsent(r.onlineCheckSerial) },
  { code: 'authorizationReasons', title: '授权原因', width: 30, cell: (r) => authorizationReasonsCell(r.authorizationReasons) },
  { code: 'authorizationDecision', title: '主管授权', width: 12, cell: (r) => authorizationDecisionCell(r.authorizationDecision) },
  { code: 'authorizerNo', title: '授权主管', width: 10, cell: (r) => orAbsent(r.authorizerNo) },
  { code: 'tellerNo', title: '经办柜员', width: 10, cell: (r) => r.tellerNo },
  { code: 'printCount', title: '回执打印次数', width: 12, cell: (r) => String(r.printCount) },
  { code: 'rejectReason', title: '拒绝/撤销原因', width: 14, cell: (r) => labelOf(OUTCOME_REASON_LABELS, r.rejectReason) },
  // Issue 14: the chip read's evidence, by the reader's SAM id (the hashes are on the request and in the audit).
  { code: 'chipSamId', title: '芯片读卡机具SAM号', width: 38, cell: (r) => orAbsent(r.chipSamId) },
];

export const FULL_DATA_COLUMNS: readonly ExportColumn<FullDataRow>[] = [
  { code: 'applicationNumber', title: '申请编号', width: 20, cell: (r) => r.applicationNumber },
  { code: 'documentType', title: '证件类型', width: 22, cell: (r) => documentTypeCell(r.documentType) },
  { code: 'documentNumber', title: '证件号码', width: 22, cell: (r) => r.documentNumber },
  { code: 'mobile', title: '待解绑手机号', width: 14, cell: (r) => r.mobile },
  { code: 'newMobile', title: '新绑定手机号', width: 14, cell: (r) => orAbsent(r.newMobile) },
  { code: 'merchantNumber', title: '商户编号', width: 18, cell: (r) => orAbsent(r.merchantNumber) },
  { code: 'terminalId', title: '终端编号', width: 10, cell: (r) => orAbsent(r.terminalId) },
  { code: 'terminalSerial', title: '终端序列号（SN）', width: 22, cell: (r) => orAbsent(r.terminalSerial) },
];

/**
 * The acquirer's outcomes received on the day (issue 15), whatever day their requests were taken: the number whole
 * (it is not personal data), the outcome in words, the acquirer's reference and reason, when it arrived, how.
 */
export const OUTCOME_COLUMNS: readonly ExportColumn<ReceivedOutcome>[] = [
  { code: 'applicationNumber', title: '申请编号', width: 22, cell: (r) => r.applicationNumber },
  { code: 'outcome', title: '收单机构处理结果', width: 16, cell: (r) => labelOf(ACQUIRER_OUTCOME_LABELS, r.outcome) },
  { code: 'acquirerReference', title: '收单机构受理编号', width: 20, cell: (r) => orAbsent(r.acquirerReference) },
  { code: 'reason', title: '解绑失败原因（收单机构）', width: 36, cell: (r) => orAbsent(r.reason) },
  { code: 'receivedAt', title: '结果到达时间', width: 20, cell: (r) => r.receivedAt },
  { code: 'source', title: '交接方式', width: 12, cell: (r) => labelOf(OUTCOME_SOURCE_LABELS, r.source) },
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

export function outcomesCsv(outcomes: readonly ReceivedOutcome[], header: HeaderStyle = 'title'): Buffer {
  return toCsv(headerOf(OUTCOME_COLUMNS, header), rowsOf(OUTCOME_COLUMNS, outcomes));
}
