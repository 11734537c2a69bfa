import {
  applicationInputSchema,
  isValidCalendarDate,
  LONG_TERM,
  normalizeMobile,
  validateIdNumber,
  type ApplicationInput,
} from '../../../../shared';
import type { ApplicationDraft } from '../drafts/DraftStore';

/**
 * The request as far as it is known, shaped so the bank's own rule (`authorizationReasons`) can judge it
 * while the form is still being filled in. A finished form is simply parsed. Otherwise what is missing
 * is read as the case that needs no supervisor — no answer yet is not a reason — so the banner lists
 * exactly the reasons the teller's entries so far already give.
 */
export function provisionalRequest(values: ApplicationDraft, businessDate: string): { request: ApplicationInput; complete: boolean } {
  const parsed = applicationInputSchema.safeParse(values);
  if (parsed.success) return { request: parsed.data, complete: true };

  const applicant = values.applicant ?? {};
  const verification = values.verification ?? {};
  const mobile = values.mobile ?? {};
  const documentType = applicant.documentType ?? 'resident_id';
  const reading = applicant.documentNumber ? validateIdNumber(documentType, applicant.documentNumber, { today: businessDate }) : undefined;
  const keyedBirthDate = applicant.birthDate && isValidCalendarDate(applicant.birthDate) ? applicant.birthDate : undefined;
  const birthDate = (reading?.ok ? reading.birthDate : undefined) ?? keyedBirthDate ?? businessDate;
  const expiry = applicant.documentExpiry;
  const documentExpiry = expiry === LONG_TERM || (expiry !== undefined && isValidCalendarDate(expiry)) ? expiry : LONG_TERM;
  const newMobile = mobile.newMobile ? normalizeMobile(mobile.newMobile) : '';

  return {
    complete: false,
    request: {
      businessDate,
      channel: 'counter',
      applicant: {
        name: '',
        documentType,
        documentNumber: '',
        documentExpiry,
        expiredDocumentOverride: applicant.expiredDocumentOverride === true,
        birthDate,
        isAgent: applicant.isAgent === true,
        ...(applicant.isAgent === true ? { agent: { name: '', documentType: applicant.agent?.documentType ?? 'resident_id', documentNumber: '' } } : {}),
      },
      pos: {},
      mobile: {
        bound: normalizeMobile(mobile.bound ?? ''),
        boundConfirm: '',
        ...(newMobile !== '' ? { newMobile, newMobileConfirm: newMobile } : {}),
      },
      reason: { code: 'no_longer_needed' },
      verification: {
        method: verification.method ?? 'chip',
        onlineCheck: verification.onlineCheck ?? 'match',
        faceComparison: verification.faceComparison ?? 'match',
        holdsBoundPhone: verification.holdsBoundPhone ?? true,
        riskWarningAcknowledged: true,
      },
      notification: { channel: 'sms' },
      consent: { personalInformation: true },
    },
  };
}
