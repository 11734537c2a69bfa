// What the end-of-day export is made of (DOMAIN.md, "End of day"). The day-close service fills these
// from the database; the writers only lay them out, so every file of a bundle shows the same rows.

/** One application of the business day, as the masked exports show it. */
export interface DayExportRow {
  // Personal data arrives already MASKED (DOMAIN.md, "Personal information"): the writers never see the
  // full values, except full-data.csv, which a supervisor authorizes separately (FullDataRow).
  applicationNumber: string;
  ticketNo: number;
  status: DayExportStatus;
  channel: string;
  /** Beijing wall clock, 'YYYY-MM-DD HH:mm:ss'. */
  createdAt: string;
  completedAt: string | null;
  applicantNameMasked: string;
  documentType: string;
  documentNumberMasked: string;
  mobileMasked: string;
  newMobileMasked: string | null;
  merchantNumber: string | null;
  terminalId: string | null;
  terminalSerial: string | null;
  reasonCode: string;
  /** Keyed by the teller from what the customer said: may start with '=' and is neutralized in every sheet. */
  reasonText: string | null;
  verificationMethod: 'chip' | 'manual';
  onlineCheck: string;
  authorizationReasons: string[];
  authorizerNo: string | null;
  tellerNo: string;
  printCount: number;
  rejectReason: string | null;
}

export interface DayExportMeta {
  bankName: string;
  branchCode: string;
  branchName: string;
  /** 'YYYY-MM-DD', the business date being closed. */
  businessDate: string;
  /** ISO-8601 UTC instant of the export. */
  generatedAt: string;
  /** The same instant on the Beijing wall clock, as printed on the report. */
  generatedAtLocal: string;
  operatorNo: string;
  batch: number;
  /** The last audit-log row at export time: pins the bundle to the hash chain. */
  auditHead: { seq: number; hash: string; signature: string };
}

/** Who, where and when a bundle speaks for: the summary sheet and the report's heading list the same lines. */
export function bundleFacts(meta: DayExportMeta): [string, string][] {
  return [
    ['机构名称', meta.branchName],
    ['机构号', meta.branchCode],
    ['营业日期', meta.businessDate],
    ['批次', String(meta.batch)],
    ['生成时间（北京时间）', meta.generatedAtLocal],
    ['操作员', meta.operatorNo],
  ];
}

export interface DayTotals {
  total: number;
  byStatus: Record<string, number>;
  byDocumentType: Record<string, number>;
  byTeller: Record<string, number>;
  authorizations: number;
  reprints: number;
  onlineCheckExceptions: number;
  manualEntries: number;
}

/** UNMASKED values of the day's applications, exported only when a supervisor authorizes it. */
export interface FullDataRow {
  applicationNumber: string;
  documentType: string;
  documentNumber: string;
  mobile: string;
  newMobile: string | null;
  merchantNumber: string | null;
  terminalId: string | null;
  terminalSerial: string | null;
}

/** The states an application can be in when its day closes (DESIGN.md, "The application's life"). */
export const DAY_EXPORT_STATUSES = ['completed', 'rejected', 'cancelled', 'carried_over', 'approved'] as const;
export type DayExportStatus = (typeof DAY_EXPORT_STATUSES)[number];

// Labels as the branch reads them. A code missing from a table is shown as the code itself, so a
// status or document type added later still appears (and is counted) instead of vanishing.

export const STATUS_LABELS: Readonly<Record<DayExportStatus, string>> = {
  completed: '已完成',
  rejected: '已拒绝',
  cancelled: '已撤销',
  carried_over: '结转次日',
  approved: '已批准',
};

export { DOCUMENT_TYPE_LABELS } from '../printedLabels';

/** The short names tellers use, for the report's narrow table columns. */
export const DOCUMENT_TYPE_SHORT_LABELS: Readonly<Record<string, string>> = {
  resident_id: '身份证',
  hmt_residence_permit: '居住证',
  foreign_permanent_resident: '永居证',
  hk_mo_travel_permit: '回乡证',
  tw_travel_permit: '台胞证',
  passport: '护照',
};

export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  counter: '柜面',
  online: '线上',
  hotline: '热线',
};

export const REASON_LABELS: Readonly<Record<string, string>> = {
  no_longer_needed: '不再使用',
  switch_payment_method: '改用其他收款方式',
  security_concern: '安全顾虑',
  phone_changed: '手机号遗失或变更',
  other: '其他',
};

export const VERIFICATION_METHOD_LABELS: Readonly<Record<string, string>> = {
  chip: '芯片读取',
  manual: '手工录入',
};

export const ONLINE_CHECK_LABELS: Readonly<Record<string, string>> = {
  match: '一致',
  name_mismatch: '姓名不符',
  no_such_number: '号码不存在',
};

export const AUTHORIZATION_REASON_LABELS: Readonly<Record<string, string>> = {
  online_check_exception: '联网核查异常',
  manual_entry: '手工录入',
  face_mismatch: '人脸比对不符',
  non_resident_id_document: '非居民身份证件',
  document_expired: '证件已过期',
  document_expires_today: '证件当日到期',
  agent: '代办',
  phone_not_held: '未持有原绑定手机',
  virtual_or_satellite_number: '虚拟或卫星号段',
  repeat_request: '30日内重复申请',
  elderly_applicant: '70岁以上申请人',
  edit_after_submit: '提交后修改',
  cancel_after_submit: '提交后撤销',
  reprint: '重打回执',
  unmasked_view: '查看完整信息',
  reopen_day: '重开营业日',
  full_data_export: '完整数据导出',
  exact_lookup: '完整号码查询',
};

export function labelOf(labels: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(labels, code) ? (labels[code] ?? code) : code;
}
