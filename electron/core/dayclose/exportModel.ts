// What the end-of-day export is made of (DOMAIN.md, "End of day"). The day-close service fills these
// from the database; the writers only lay them out, so every file of a bundle shows the same rows.

/** One application of the business day, as the masked exports show it. */
export interface DayExportRow {
  // Personal data arrives already MASKED (DOMAIN.md, "Personal information"): the writers never see the
  // full values, except full-data.csv, which a supervisor authorizes separately (FullDataRow).
  // null is a value that was never keyed (a request cancelled while waiting): every file shows it as
  // ABSENT ("—"), never as a default.
  applicationNumber: string;
  /** The ticket the request had on THIS business day (a carried-over request gets another the next day); null: not kept. */
  ticketNo: number | null;
  status: DayExportStatus;
  channel: string;
  /** Beijing wall clock, 'YYYY-MM-DD HH:mm:ss'. */
  createdAt: string;
  completedAt: string | null;
  applicantNameMasked: string | null;
  documentType: string | null;
  documentNumberMasked: string | null;
  mobileMasked: string | null;
  newMobileMasked: string | null;
  merchantNumber: string | null;
  terminalId: string | null;
  terminalSerial: string | null;
  reasonCode: string | null;
  /** Keyed by the teller from what the customer said: may start with '=' and is neutralized in every sheet. */
  reasonText: string | null;
  verificationMethod: 'chip' | 'manual' | null;
  /** The SAM id of the reader that read the chip (issue 14); null when keyed. Not personal data. */
  chipSamId: string | null;
  onlineCheck: string | null;
  /** 联网核查 evidence: 'online' (the middleware's answer, with its code and serial) or 'keyed' by the teller; null: not recorded. */
  onlineCheckSource: 'online' | 'keyed' | null;
  onlineCheckCode: string | null;
  onlineCheckSerial: string | null;
  authorizationReasons: string[];
  /**
   * The supervisor's decision on the authorization the request needed, as it stood at the end of the day:
   * 'pending' when it was still waiting (carried over undecided); null when none was needed or it was withdrawn.
   */
  authorizationDecision: AuthorizationDecision | null;
  authorizerNo: string | null;
  tellerNo: string;
  printCount: number;
  /** The outcome reason's code (OutcomeReasonCode) of a rejected or cancelled request. */
  rejectReason: string | null;
}

export const AUTHORIZATION_DECISIONS = ['approved', 'declined', 'pending'] as const;
export type AuthorizationDecision = (typeof AUTHORIZATION_DECISIONS)[number];

export interface DayExportMeta {
  bankName: string;
  branchCode: string;
  /** The desk (counter) number within the branch, 01–99; null on an installation set up before desks that has none yet. */
  desk: string | null;
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
    ...(meta.desk ? [['柜台号', meta.desk] as [string, string]] : []),
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
  /** Authorizations shown apart: still waiting for a supervisor when the day ended (carried over undecided). */
  pendingAuthorizations: number;
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

/**
 * An acquirer's outcome recorded on a business date (issue 15): it arrives on a later day than its request, and is
 * that day's business. Not personal data: the number, the acquirer's words and reference, when and how it came.
 */
export interface ReceivedOutcome {
  applicationNumber: string;
  outcome: 'unbound' | 'unbind_failed';
  acquirerReference: string | null;
  /** The acquirer's reason of an unbind_failed, as it gave it (free text: neutralized in every sheet). */
  reason: string | null;
  /** Beijing wall clock, 'YYYY-MM-DD HH:mm:ss'. */
  receivedAt: string;
  /** The channel that brought it: the HTTPS API's answer, or an outcome file (batch). */
  source: 'https' | 'batch';
}

/** The outcome in the screens' words (status.unbound / status.unbind_failed). */
export const ACQUIRER_OUTCOME_LABELS: Readonly<Record<ReceivedOutcome['outcome'], string>> = { unbound: '已解绑', unbind_failed: '解绑失败' };

/** The channel that brought an outcome, in the settings screen's words (交接方式). */
export const OUTCOME_SOURCE_LABELS: Readonly<Record<ReceivedOutcome['source'], string>> = { https: 'HTTPS 接口', batch: '批量文件' };

/** The states an application can be in when its day closes (DESIGN.md, "The application's life"). */
export const DAY_EXPORT_STATUSES = ['completed', 'rejected', 'cancelled', 'carried_over', 'approved'] as const;
export type DayExportStatus = (typeof DAY_EXPORT_STATUSES)[number];

// Labels as the branch reads them: the words the screens use (renderer/i18n/zh-CN.json and
// validation.zh-CN.json; a unit test holds the two together), so one thing has one name on the screen,
// in the sheets and in the report. A code missing from a table is shown as the code itself, so a status
// or document type added later still appears (and is counted) instead of vanishing.

/** What every file shows for a value that was never given: absent, never a default. */
export const ABSENT = '—';

export const STATUS_LABELS: Readonly<Record<DayExportStatus, string>> = {
  completed: '已完成',
  rejected: '已拒绝',
  cancelled: '已撤销',
  carried_over: '已顺延',
  approved: '已通过',
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
  hotline: '客服热线',
};

export const REASON_LABELS: Readonly<Record<string, string>> = {
  no_longer_needed: '不再使用',
  switch_payment_method: '改用其他收款方式',
  security_concern: '安全顾虑',
  phone_changed: '手机号码遗失或变更',
  other: '其他',
};

export const VERIFICATION_METHOD_LABELS: Readonly<Record<string, string>> = {
  chip: '读取证件芯片',
  manual: '手工录入（双次输入）',
};

export const ONLINE_CHECK_LABELS: Readonly<Record<string, string>> = {
  match: '一致',
  name_mismatch: '姓名不一致',
  no_such_number: '号码不存在',
  not_checked: '未能核查',
};

/** Where the online-check result came from. */
export const ONLINE_CHECK_SOURCE_LABELS: Readonly<Record<string, string>> = {
  online: '联网核查系统返回',
  keyed: '柜员录入结果',
};

/** Why a request was rejected or cancelled (OUTCOME_REASON_CODES). */
export const OUTCOME_REASON_LABELS: Readonly<Record<string, string>> = {
  document_invalid: '证件无效',
  identity_mismatch: '身份核验不符',
  information_inconsistent: '信息不一致',
  suspected_fraud: '疑似欺诈',
  customer_left: '客户已离开',
  customer_withdrew: '客户撤回申请',
  duplicate_request: '重复申请',
  entered_in_error: '录入错误',
  other: '其他',
};

/** The supervisor's decision, in the words of the request's history (and 待主管授权, its status, while undecided). */
export const AUTHORIZATION_DECISION_LABELS: Readonly<Record<AuthorizationDecision, string>> = {
  approved: '主管授权通过',
  declined: '主管拒绝授权',
  pending: '待主管授权',
};

export const AUTHORIZATION_REASON_LABELS: Readonly<Record<string, string>> = {
  online_check_exception: '联网核查结果异常',
  online_check_not_checked: '联网核查未能核查（04/05、超时或无应答）',
  online_check_keyed: '联网核查结果由柜员录入（未经联网核查系统返回）',
  manual_entry: '手工录入证件信息（未读取芯片）',
  face_mismatch: '人脸比对结果不一致',
  non_resident_id_document: '使用居民身份证以外的证件',
  document_expired: '证件已过有效期',
  document_expires_today: '证件有效期于当日届满',
  agent: '代办业务',
  phone_not_held: '申请人已不持有原绑定手机',
  virtual_or_satellite_number: '虚拟运营商或卫星通信手机号码',
  repeat_request: '短期内重复申请（同一终端序列号、商户编号或手机号码）',
  elderly_applicant: '高龄申请人',
  edit_after_submit: '提交后修改申请',
  cancel_after_submit: '提交后撤销申请',
  reprint: '重打回执',
  unmasked_view: '查看未脱敏的个人信息',
  reopen_day: '重新开启已日终的营业日',
  full_data_export: '导出完整个人信息',
  exact_lookup: '超出额度的完整手机号或证件号查询',
};

/** The label of a code; an absent value (null, or the empty string) is shown as ABSENT. */
export function labelOf(labels: Readonly<Record<string, string>>, code: string | null): string {
  if (code === null || code === '') return ABSENT;
  return Object.hasOwn(labels, code) ? (labels[code] ?? code) : code;
}
