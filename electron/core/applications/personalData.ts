import { createHash } from 'node:crypto';
import { ageOn, chipEvidenceSchema, maskIdNumber, maskMobile, maskName, type ApplicationInput, type ChipEvidenceView } from '../../../shared';
import type { InstallationKeys } from '../crypto/installationKeys';
import { blindIndex, decryptField, encryptField, fieldContext } from '../crypto/fieldCipher';
import type { ApplicationChanges, ApplicationRow } from './repository';

/**
 * Personal data of a request at rest: the whole request sealed (AES-256-GCM, bound to its row), masked
 * copies for lists, blind indexes for exact search. The database never holds a plaintext ID or phone number.
 */
export function sealRequest(keys: InstallationKeys, id: number, request: ApplicationInput): ApplicationChanges {
  const { applicant, mobile, pos, reason, verification } = request;
  return {
    request_enc: encryptField(keys.dataKey, JSON.stringify(request), fieldContext('applications', 'request', id)),
    applicant_name_masked: maskName(applicant.name),
    document_type: applicant.documentType,
    document_number_masked: maskIdNumber(applicant.documentNumber),
    document_number_bidx: blindIndex(keys.indexKey, 'document', applicant.documentNumber),
    mobile_masked: maskMobile(mobile.bound),
    mobile_bidx: blindIndex(keys.indexKey, 'mobile', mobile.bound),
    new_mobile_masked: mobile.newMobile ? maskMobile(mobile.newMobile) : null,
    new_mobile_bidx: mobile.newMobile ? blindIndex(keys.indexKey, 'mobile', mobile.newMobile) : null,
    merchant_number: pos.merchantNumber ?? null,
    terminal_id: pos.terminalId ?? null,
    terminal_serial: pos.terminalSerial ?? null,
    reason_code: reason.code,
    verification_method: verification.method,
    online_check: verification.onlineCheck,
  };
}

export function openRequest(keys: InstallationKeys, row: Pick<ApplicationRow, 'id' | 'request_enc'>): ApplicationInput | null {
  if (!row.request_enc) return null;
  return JSON.parse(decryptField(keys.dataKey, row.request_enc, fieldContext('applications', 'request', row.id)).toString('utf8')) as ApplicationInput;
}

export function sealSignature(keys: InstallationKeys, id: number, png: Buffer): ApplicationChanges {
  return {
    signature_enc: encryptField(keys.dataKey, png, fieldContext('applications', 'signature', id)),
    signature_sha256: createHash('sha256').update(png).digest('hex'),
  };
}

export function openSignature(keys: InstallationKeys, row: Pick<ApplicationRow, 'id' | 'signature_enc'>): Buffer | null {
  return row.signature_enc ? decryptField(keys.dataKey, row.signature_enc, fieldContext('applications', 'signature', row.id)) : null;
}

/** z***@example.com: enough to recognise, not enough to use. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** The request as the detail screen shows it; `chipEvidence` is the row's (migration 008), no personal data. */
export function maskedRequest(request: ApplicationInput, chipEvidence: string | null = null) {
  const { applicant, mobile, pos, reason, verification, notification } = request;
  return {
    applicantNameMasked: maskName(applicant.name),
    documentType: applicant.documentType,
    documentNumberMasked: maskIdNumber(applicant.documentNumber),
    documentExpiry: applicant.documentExpiry,
    age: applicant.birthDate ? ageOn(applicant.birthDate, request.businessDate) : null,
    sex: applicant.sex ?? null,
    isAgent: applicant.isAgent,
    agentNameMasked: applicant.agent ? maskName(applicant.agent.name) : null,
    agentDocumentNumberMasked: applicant.agent ? maskIdNumber(applicant.agent.documentNumber) : null,
    mobileMasked: maskMobile(mobile.bound),
    newMobileMasked: mobile.newMobile ? maskMobile(mobile.newMobile) : null,
    merchantNumber: pos.merchantNumber ?? null,
    terminalId: pos.terminalId ?? null,
    terminalSerial: pos.terminalSerial ?? null,
    reasonCode: reason.code,
    reasonText: reason.text ?? null,
    verification: {
      method: verification.method,
      onlineCheck: verification.onlineCheck,
      faceComparison: verification.faceComparison,
      holdsBoundPhone: verification.holdsBoundPhone,
      chip: chipEvidence === null ? null : chipEvidenceOrNull(chipEvidence),
    },
    notificationChannel: notification.channel,
    emailMasked: notification.email ? maskEmail(notification.email) : null,
  };
}

function chipEvidenceOrNull(json: string): ChipEvidenceView | null {
  const parsed = chipEvidenceSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : null;
}
