// Bundles written before the manifest's format 2 (`unbinddesk.day-bundle/1`): their applications.csv has the
// columns and words of that time. Head office keeps verifying them: their counts are checked against their
// rows with the rules they were made with.
import { canonicalJson } from '../crypto/signing';
import { documentTypeCell } from './applicationsCsv';
import { countsByCell } from './csvCells';
import { labelOf, type DayTotals } from './exportModel';

export const MANIFEST_FORMAT_V1 = 'unbinddesk.day-bundle/1';

const V1_COLUMNS: readonly (readonly [code: string, title: string])[] = [
  ['applicationNumber', '申请编号'], ['ticketNo', '排队号'], ['status', '状态'], ['channel', '渠道'], ['createdAt', '受理时间'],
  ['completedAt', '完成时间'], ['applicantName', '申请人'], ['documentType', '证件类型'], ['documentNumber', '证件号码'],
  ['mobile', '原绑定手机号'], ['newMobile', '新绑定手机号'], ['merchantNumber', '商户编号'], ['terminalId', '终端编号'],
  ['terminalSerial', '终端序列号'], ['reasonCode', '解绑原因'], ['reasonText', '原因说明'], ['verificationMethod', '核验方式'],
  ['onlineCheck', '联网核查'], ['authorizationReasons', '授权事由'], ['authorizerNo', '授权主管'], ['tellerNo', '经办柜员'],
  ['printCount', '打印次数'], ['rejectReason', '拒绝原因'],
];

const V1_STATUS_LABELS: Readonly<Record<string, string>> = {
  completed: '已完成',
  rejected: '已拒绝',
  cancelled: '已撤销',
  carried_over: '结转次日',
  approved: '已批准',
};

const column = (code: string) => V1_COLUMNS.findIndex(([name]) => name === code);

/** Whether a format-1 bundle's counts are what its applications.csv adds up to; null when the CSV is not one. */
export function countsMatchV1(records: string[][], counts: Omit<DayTotals, 'pendingAuthorizations'>): boolean | null {
  const [header, ...rows] = records;
  const headings = canonicalJson(header ?? []);
  if (headings !== canonicalJson(V1_COLUMNS.map(([, title]) => title)) && headings !== canonicalJson(V1_COLUMNS.map(([code]) => code))) return null;
  const shown = { total: rows.length, byStatus: {} as Record<string, number>, byDocumentType: {} as Record<string, number>, byTeller: {} as Record<string, number>, authorizations: 0, reprints: 0, onlineCheckExceptions: 0, manualEntries: 0 };
  const add = (tally: Record<string, number>, key: string) => {
    tally[key] = (tally[key] ?? 0) + 1;
  };
  for (const row of rows) {
    if (row.length !== V1_COLUMNS.length) return null;
    const cell = (code: string) => row[column(code)] ?? '';
    add(shown.byStatus, cell('status'));
    add(shown.byDocumentType, cell('documentType'));
    add(shown.byTeller, cell('tellerNo'));
    // Format 1's rules: any authorization reason counted, any check but 一致 an exception.
    if (cell('authorizationReasons') !== '') shown.authorizations += 1;
    if (!/^\d{1,6}$/.test(cell('printCount'))) return null;
    shown.reprints += Math.max(0, Number(cell('printCount')) - 1);
    if (cell('onlineCheck') !== '一致') shown.onlineCheckExceptions += 1;
    if (cell('verificationMethod') === '手工录入') shown.manualEntries += 1;
  }
  const stated = {
    total: counts.total,
    byStatus: countsByCell(counts.byStatus, (code) => labelOf(V1_STATUS_LABELS, code)),
    byDocumentType: countsByCell(counts.byDocumentType, documentTypeCell),
    byTeller: countsByCell(counts.byTeller, (teller) => teller),
    authorizations: counts.authorizations,
    reprints: counts.reprints,
    onlineCheckExceptions: counts.onlineCheckExceptions,
    manualEntries: counts.manualEntries,
  };
  return canonicalJson(shown) === canonicalJson(stated);
}
