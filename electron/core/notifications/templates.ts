/**
 * The words the customer receives when the acquirer's outcome arrives, in Chinese or English (the language
 * the request records; Chinese when it records none). Built from the bank's profile (bank, branch, hotline),
 * the application number, the outcome and, when the unbinding failed, the acquirer's reason in plain words;
 * then what to do next (the guide's "解绑后的操作建议") and the anti-fraud line. A phone number appears only as
 * its last four digits (尾号 5678); no name, ID number or address ever does.
 */
import { acquirerReasonWords } from '../../../shared';

export type Outcome = 'unbound' | 'unbind_failed';
export type TemplateChannel = 'sms' | 'email' | 'phone';
export type TemplateLanguage = 'zh-CN' | 'en';

export interface TemplateFacts {
  bankName: string;
  branchName: string;
  hotline: string | null;
  applicationNumber: string;
  /** The business date the request was made (YYYY-MM-DD). */
  requestDate: string;
  /** The unbound phone number's last four digits. */
  boundTail: string;
  /** The new number's last four digits when the customer asked for one. */
  newTail: string | null;
  outcome: Outcome;
  /** The acquirer's reason (a code of ACQUIRER_REASONS, else its own text, which a customer never sees). */
  reason: string | null;
}

export interface RenderedMessage {
  template: string;
  subject: string;
  text: string;
}

const GENERIC_REASON = { 'zh-CN': '收单机构未说明具体原因', en: 'the acquirer gave no specific reason' };

/**
 * The reason in the customer's message. Only a known code gets words, ours; any other text of the acquirer's
 * (which whoever writes the outcome folder controls) never reaches a customer: it gets the generic reason and
 * stays on the staff screens only.
 */
export function plainReason(reason: string | null, language: TemplateLanguage): string {
  return acquirerReasonWords(reason, language) ?? GENERIC_REASON[language];
}

function zh(f: TemplateFacts, channel: TemplateChannel): RenderedMessage {
  const hotline = f.hotline ? `如有疑问请致电 ${f.hotline}，或到${f.branchName}咨询。` : `如有疑问请到${f.branchName}咨询。`;
  const antiFraud = '本行不会以任何理由索要验证码、密码；如遇可疑来电或短信，请拨打反诈专线 96110。';
  const subject = `【${f.bankName}】POS 机解绑申请 ${f.applicationNumber} 办理结果`;
  const date = `${f.requestDate.slice(0, 4)}年${Number(f.requestDate.slice(5, 7))}月${Number(f.requestDate.slice(8, 10))}日`;
  const newNumber = f.newTail
    ? `确认新绑定的手机号（尾号 ${f.newTail}）能正常收到交易和结算通知`
    : '如需绑定新手机号，请携带本人有效身份证件到网点办理';
  if (f.outcome === 'unbound') {
    const head = `您于${date}在${f.branchName}申请的 POS 机绑定手机号解绑（申请编号 ${f.applicationNumber}，原手机号尾号 ${f.boundTail}）已由收单机构办理完成。`;
    const next = `解绑后的操作建议：1. 登录商户服务渠道核对结算账户和近期交易是否正常；2. ${newNumber}。`;
    if (channel === 'sms') return { template: 'outcome.unbound.sms.zh-CN', subject, text: `【${f.bankName}】${head}${next}${antiFraud}${hotline}` };
    const text = ['尊敬的客户：', '', head, '', '解绑后的操作建议：', '1. 请登录商户服务渠道，核对结算账户和近期交易是否正常；', `2. 请${newNumber}。`, '', antiFraud, hotline, '', `${f.bankName} ${f.branchName}`];
    return { template: `outcome.unbound.${channel}.zh-CN`, subject, text: text.join('\n') };
  }
  const head = `您于${date}在${f.branchName}申请的 POS 机绑定手机号解绑（申请编号 ${f.applicationNumber}，原手机号尾号 ${f.boundTail}）收单机构未能办理，原因：${plainReason(f.reason, 'zh-CN')}。`;
  const next = '下一步：请核对上述原因，携带本人有效身份证件和相关材料到网点重新申请；原手机号目前仍绑定该终端。';
  if (channel === 'sms') return { template: 'outcome.unbind_failed.sms.zh-CN', subject, text: `【${f.bankName}】${head}${next}${antiFraud}${hotline}` };
  const text = ['尊敬的客户：', '', head, '', next, '', antiFraud, hotline, '', `${f.bankName} ${f.branchName}`];
  return { template: `outcome.unbind_failed.${channel}.zh-CN`, subject, text: text.join('\n') };
}

function en(f: TemplateFacts, channel: TemplateChannel): RenderedMessage {
  const hotline = f.hotline ? `Questions: call ${f.hotline} or visit ${f.branchName}.` : `Questions: visit ${f.branchName}.`;
  const antiFraud = 'We will never ask for a verification code or a password for any reason. Report suspicious calls or messages to the anti-fraud line 96110.';
  const subject = `[${f.bankName}] POS unbinding request ${f.applicationNumber}: result`;
  const newNumber = f.newTail
    ? `make sure the new number (ending ${f.newTail}) receives transaction and settlement notices`
    : 'to bind a new number, bring your valid ID to a branch';
  if (f.outcome === 'unbound') {
    const head = `Your request of ${f.requestDate} at ${f.branchName} to unbind the phone number ending ${f.boundTail} from your POS terminal (application ${f.applicationNumber}) has been completed by the acquirer.`;
    if (channel === 'sms') return { template: 'outcome.unbound.sms.en', subject, text: `[${f.bankName}] ${head} Next: check your settlement account and recent transactions; ${newNumber}. ${antiFraud} ${hotline}` };
    const text = ['Dear customer,', '', head, '', 'What to do next:', '1. Sign in to your merchant services and check your settlement account and recent transactions.', `2. ${newNumber.charAt(0).toUpperCase()}${newNumber.slice(1)}.`, '', antiFraud, hotline, '', `${f.bankName}, ${f.branchName}`];
    return { template: `outcome.unbound.${channel}.en`, subject, text: text.join('\n') };
  }
  const head = `Your request of ${f.requestDate} at ${f.branchName} to unbind the phone number ending ${f.boundTail} from your POS terminal (application ${f.applicationNumber}) could not be completed by the acquirer: ${plainReason(f.reason, 'en')}.`;
  const next = 'Next: check the reason above and bring your valid ID and any documents to a branch to apply again; the number is still bound to the terminal.';
  if (channel === 'sms') return { template: 'outcome.unbind_failed.sms.en', subject, text: `[${f.bankName}] ${head} ${next} ${antiFraud} ${hotline}` };
  const text = ['Dear customer,', '', head, '', next, '', antiFraud, hotline, '', `${f.bankName}, ${f.branchName}`];
  return { template: `outcome.unbind_failed.${channel}.en`, subject, text: text.join('\n') };
}

export function renderOutcomeMessage(facts: TemplateFacts, channel: TemplateChannel, language: TemplateLanguage): RenderedMessage {
  return language === 'en' ? en(facts, channel) : zh(facts, channel);
}

/** The last four digits of a phone number: all a message may show of it. */
export function phoneTail(phone: string): string {
  return phone.replace(/\D/g, '').slice(-4);
}
