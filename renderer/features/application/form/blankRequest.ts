import type { ApplicationDraft } from '../drafts/DraftStore';

/**
 * A request before anything is typed. Facts the teller must establish (verification results, whether the
 * customer still holds the phone, the reason) start unanswered, so nothing is assumed; only the
 * notification preference starts at SMS in Chinese, the usual answer.
 */
export function blankRequest(businessDate: string): ApplicationDraft {
  return {
    businessDate,
    channel: 'counter',
    applicant: {
      name: '',
      documentType: 'resident_id',
      documentNumber: '',
      documentExpiry: '',
      expiredDocumentOverride: false,
      isAgent: false,
    },
    pos: { merchantNumber: '', terminalId: '', terminalSerial: '' },
    mobile: { bound: '', boundConfirm: '', newMobile: '', newMobileConfirm: '' },
    reason: { text: '' },
    verification: { documentNumberReentry: '' },
    notification: { channel: 'sms', language: 'zh-CN', email: '' },
    consent: {},
  };
}
