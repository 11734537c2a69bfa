/**
 * The reason codes of the acquirer contract (README, "The HTTPS contract" and "The outcome file"): an acquirer
 * that sends one of these as its `reason` has it put in the bank's own words, for the customer's message and for
 * the staff's screens alike. Any other reason is the acquirer's own text: staff see it as it came, a customer
 * never does.
 */
export const ACQUIRER_REASONS: Readonly<Record<string, { 'zh-CN': string; en: string }>> = {
  unsettled_transactions: { 'zh-CN': '该终端尚有未结清的交易或结算款项', en: 'the terminal still has transactions or settlements that are not finished' },
  merchant_not_found: { 'zh-CN': '收单机构未查到与申请一致的商户或终端', en: 'the acquirer found no merchant or terminal matching the request' },
  identity_mismatch: { 'zh-CN': '申请人信息与收单机构登记的商户信息不一致', en: "the applicant's details do not match the merchant's records at the acquirer" },
  not_bound: { 'zh-CN': '该手机号目前未绑定此终端', en: 'this phone number is not bound to the terminal' },
  terminal_frozen: { 'zh-CN': '该终端已被冻结，须先解除冻结', en: 'the terminal is frozen and must be released first' },
  documents_required: { 'zh-CN': '收单机构需要补充证明材料', en: 'the acquirer needs further documents' },
};

export type AcquirerReasonLanguage = 'zh-CN' | 'en';

/** The bank's words for a reason code of the contract (spaces around it ignored); null for any other text. */
export function acquirerReasonWords(reason: string | null | undefined, language: AcquirerReasonLanguage): string | null {
  const code = reason?.trim() ?? '';
  return Object.hasOwn(ACQUIRER_REASONS, code) ? (ACQUIRER_REASONS[code]?.[language] ?? null) : null;
}

/**
 * A reason as staff see it (the detail, the day report): a code in the words the customer was sent, with the code
 * after them, so a teller who calls can say the same and a supervisor can still quote the acquirer; the
 * acquirer's own text as it came.
 */
export function acquirerReasonForStaff(reason: string, language: AcquirerReasonLanguage): string {
  const words = acquirerReasonWords(reason, language);
  if (words === null) return reason;
  return language === 'en' ? `${words} (${reason.trim()})` : `${words}（${reason.trim()}）`;
}
