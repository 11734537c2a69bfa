import { ANTI_FRAUD_HOTLINE, parseApplicationNumber, RISK_WARNINGS } from '../../../shared';
import { DOCUMENT_TYPE_LABELS } from '../printedLabels';
import type { SlipModel, SlipPart } from './slipModel';

/**
 * What the slip says, in the bank's words (DOMAIN.md, "The slip"), independent of where it goes on the
 * page. The slip records that the branch accepted the request (已受理): the acquirer does the unbinding,
 * so nothing here may read as if it were done.
 */
export const SLIP_TITLE = 'POS机绑定手机号解绑业务受理回执';
export const STATUS_ACCEPTED = '已受理';
export const CUSTOMER_CONFIRMATION = '本人确认以上信息真实有效。';
export { ANTI_FRAUD_HOTLINE };
export const REPRINT_AUTHORIZER_LABEL = '重打授权';
export const REASON_TEXT_LABEL = '原因说明';

// The wording the teller reads out on screen, from shared/ so the two cannot drift.
export { RISK_WARNINGS };

const CHANNEL_NAMES: Record<SlipModel['channel'], string> = {
  counter: '柜面',
  online: '网上渠道',
  hotline: '客服热线',
};

const REASON_NAMES: Record<SlipModel['reasonCode'], string> = {
  no_longer_needed: '不再使用该POS机',
  switch_payment_method: '改用其他收款方式',
  security_concern: '出于安全考虑',
  phone_changed: '手机号码遗失或变更',
  other: '其他',
};

const READ_METHOD_NAMES: Record<SlipModel['verification']['method'], string> = {
  chip: '芯片读卡',
  manual: '手工录入',
};

// Wording of the public security ID check service (全国公民身份信息系统) results.
const ONLINE_CHECK_NAMES: Record<SlipModel['verification']['onlineCheck'], string> = {
  match: '姓名与号码一致',
  name_mismatch: '姓名与号码不一致',
  no_such_number: '号码不存在',
  not_checked: '未能核查',
};

/** 一致（流水号 …） when the middleware answered; （柜员录入） when the teller keyed the result. */
function onlineCheckText(v: SlipModel['verification']): string {
  const result = ONLINE_CHECK_NAMES[v.onlineCheck];
  const evidence = v.onlineCheckEvidence;
  if (!evidence) return result;
  if (evidence.source === 'keyed') return `${result}（柜员录入）`;
  // The short words beside the serial: the longest A5 slip must still fit its page.
  const short = ONLINE_CHECK_SHORT_NAMES[v.onlineCheck];
  return evidence.serial ? `${short}（流水号 ${evidence.serial}）` : short;
}

const ONLINE_CHECK_SHORT_NAMES: Record<SlipModel['verification']['onlineCheck'], string> = {
  match: '一致',
  name_mismatch: '姓名不一致',
  no_such_number: '号码不存在',
  not_checked: '未能核查',
};

const FACE_COMPARISON_NAMES: Record<SlipModel['verification']['faceComparison'], string> = {
  match: '一致',
  mismatch: '不一致',
  not_performed: '未比对',
};

const PART_LABELS: Record<SlipPart, string> = { customer: '客户联', bank: '银行留存联' };
const PART_NOTES: Record<SlipPart, string> = {
  customer: '客户联：请妥善保管本回执。',
  bank: '银行留存联：随业务档案保管。',
};

export interface SlipField {
  label: string;
  value: string;
  /** Takes a whole row where two fields would otherwise share one (long values such as the SN). */
  wide?: boolean;
  emphasis?: boolean;
}

export interface SlipSection {
  heading: string;
  fields: SlipField[];
  /** Short values only: three to a row where the page is wide enough. */
  dense?: boolean;
}

export interface SlipContent {
  title: string;
  bankName: string;
  branchLine: string;
  partLabel: string;
  /** The reprint notice, shown prominently; null on the first print. */
  reprint: string | null;
  /** Application number, status and times: shown next to the QR code. */
  summary: SlipField[];
  statusNote: string;
  sections: SlipSection[];
  riskHeading: string;
  riskWarnings: readonly string[];
  confirmation: string;
  signerLabel: string;
  qrCaption: string;
  printLine: string;
  partNote: string;
}

const ABSENT = '—';
// An ideographic space (U+3000) separates the parts of the print notices, as in set Chinese text.
const SPACE = '\u3000';

/** ` 柜台 02` after the branch code, when the number carries its desk (numbers issued before desks do not). */
function deskOf(model: SlipModel): string {
  const desk = parseApplicationNumber(model.applicationNumber)?.desk;
  return desk ? ` 柜台 ${desk}` : '';
}

export function slipContent(model: SlipModel, part: SlipPart): SlipContent {
  const v = model.verification;
  const summary: SlipField[] = [
    { label: '受理编号', value: model.applicationNumber, emphasis: true },
    { label: '业务状态', value: STATUS_ACCEPTED, emphasis: true },
    { label: '业务日期', value: model.businessDate },
    { label: model.printCount > 1 ? '受理时间' : '打印时间', value: `${model.firstPrintedAt}（北京时间）` },
    ...(model.printCount > 1 ? [{ label: '本次打印', value: `${model.issuedAt}（北京时间）` }] : []),
    // A reprint is authorized by a supervisor of its own: named beside it, not left to the request's 授权.
    ...(model.printCount > 1 ? [{ label: REPRINT_AUTHORIZER_LABEL, value: model.reprintAuthorizerNo ?? ABSENT, emphasis: true }] : []),
    { label: '受理渠道', value: CHANNEL_NAMES[model.channel] },
    // A chip read names the reader that read it (issue 14): beside the QR code on A5, where the summary has
    // room to spare. A reprint of a full A5 slip has no room for it; arrangeFitting then leaves it out (the
    // signed payload's `x` still binds the slip to the read).
    ...(v.method === 'chip' && v.chip ? [{ label: '读卡机具', value: `SAM ${v.chip.samId}` }] : []),
  ];
  return {
    title: SLIP_TITLE,
    bankName: model.bankName,
    branchLine: `${model.branchName}（网点号 ${model.branchCode}${deskOf(model)}）`,
    partLabel: PART_LABELS[part],
    reprint:
      model.printCount > 1 ? `重打${SPACE}第${model.printCount}次打印${SPACE}原打印时间 ${model.firstPrintedAt}（北京时间）` : null,
    summary,
    statusNote: '本回执仅证明本行已受理您的解绑申请，并非解绑完成凭证；解绑将由收单机构处理，结果以收单机构通知为准。',
    sections: [
      {
        heading: '申请人信息',
        fields: [
          { label: '申请人', value: model.applicantNameMasked },
          { label: '办理方式', value: model.isAgent ? '代办' : '本人办理' },
          { label: '证件类型', value: DOCUMENT_TYPE_LABELS[model.documentType] },
          { label: '证件号码', value: model.documentNumberMasked },
        ],
      },
      {
        heading: '解绑信息',
        fields: [
          { label: '解绑手机号', value: model.mobileMasked },
          { label: '新绑定手机号', value: model.newMobileMasked ?? '无' },
          { label: '商户编号', value: model.merchantNumber ?? ABSENT },
          { label: '终端编号', value: model.terminalId ?? ABSENT },
          { label: '终端序列号', value: model.terminalSerial ?? ABSENT, wide: true },
          // The customer's own words follow the reason on every copy, in the same row so the A5 page keeps room.
          {
            label: '解绑原因',
            value: model.reasonText ? `${REASON_NAMES[model.reasonCode]}${SPACE}${REASON_TEXT_LABEL}：${model.reasonText}` : REASON_NAMES[model.reasonCode],
            wide: true,
          },
        ],
      },
      {
        heading: '身份核验',
        // Three short answers on one row, and the online check's evidence (result and serial) on its own:
        // still two rows, so the longest slip keeps to its page.
        dense: true,
        fields: [
          { label: '证件读取', value: READ_METHOD_NAMES[v.method] },
          { label: '人脸比对', value: FACE_COMPARISON_NAMES[v.faceComparison] },
          { label: '持有原绑定手机', value: v.holdsBoundPhone ? '是' : '否' },
          { label: '联网核查', value: onlineCheckText(v), wide: true },
        ],
      },
      {
        heading: '经办信息',
        dense: true,
        fields: [
          { label: '经办柜员', value: model.tellerNo },
          { label: '复核', value: model.reviewerNo ?? ABSENT },
          { label: '授权', value: model.authorizerNo ?? ABSENT },
        ],
      },
    ],
    riskHeading: '风险提示',
    riskWarnings: RISK_WARNINGS,
    confirmation: `客户确认：${CUSTOMER_CONFIRMATION}`,
    signerLabel: model.isAgent ? '代办人签名' : '客户签名',
    qrCaption: '扫码核验回执真伪',
    printLine:
      model.printCount > 1
        ? `重打${SPACE}第${model.printCount}次打印${SPACE}本次打印 ${model.issuedAt}`
        : `第1次打印${SPACE}打印时间 ${model.issuedAt}（北京时间）`,
    partNote: PART_NOTES[part],
  };
}
