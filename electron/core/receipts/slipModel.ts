import type { KeyObject } from 'node:crypto';

/**
 * Everything the confirmation slip (业务受理回执) shows, as the application service reads it from the
 * database. Personal data arrives already masked (DOMAIN.md, "Personal information"): the slip module
 * never sees a full ID or phone number, and refuses one that slipped through.
 */
export interface SlipModel {
  applicationNumber: string; // e.g. "310101-20261125-0007"
  bankName: string;
  branchName: string;
  branchCode: string;
  businessDate: string; // YYYY-MM-DD
  issuedAt: string; // Beijing wall-clock "YYYY-MM-DD HH:mm:ss" of THIS print
  firstPrintedAt: string; // of the first print (same as issuedAt on the first print)
  printCount: number; // 1 on first print; reprint → 2, 3… ("重打 / 第N次打印" + original print time)
  channel: 'counter' | 'online' | 'hotline';
  applicantNameMasked: string; // already masked: 张*
  documentType:
    | 'resident_id'
    | 'hmt_residence_permit'
    | 'foreign_permanent_resident'
    | 'hk_mo_travel_permit'
    | 'tw_travel_permit'
    | 'passport';
  documentNumberMasked: string; // 1101**********002X
  isAgent: boolean;
  mobileMasked: string; // 138****5678
  newMobileMasked: string | null;
  merchantNumber: string | null;
  terminalId: string | null;
  terminalSerial: string | null;
  reasonCode: 'no_longer_needed' | 'switch_payment_method' | 'security_concern' | 'phone_changed' | 'other';
  reasonText: string | null; // the customer's own words (原因说明), required with 'other'; printed on every copy
  verification: {
    method: 'chip' | 'manual';
    onlineCheck: 'match' | 'name_mismatch' | 'no_such_number' | 'not_checked';
    faceComparison: 'match' | 'mismatch' | 'not_performed';
    holdsBoundPhone: boolean;
    /**
     * 联网核查 evidence: 'online' with the middleware's result code and serial, or 'keyed' by the teller.
     * Absent for requests keyed before the evidence existed.
     */
    onlineCheckEvidence?: { source: 'online' | 'keyed'; code: string | null; serial: string | null } | null;
    /** The chip read's evidence (issue 14), for `chip` requests: SAM id and hashes, no personal data. */
    chip?: { samId: string; textSha256: string; photoSha256: string } | null;
  };
  tellerNo: string;
  reviewerNo: string | null;
  authorizerNo: string | null;
  reprintAuthorizerNo: string | null; // the supervisor who authorized THIS reprint (reprints only)
  signaturePng: Buffer | null; // the customer's drawn signature (PNG), drawn on the slip
  signatureSha256: string | null; // hex SHA-256 of that PNG
  auditHead: { seq: number; hash: string /* hex sha-256 */ }; // audit-chain head at issue time
}

export interface SlipOptions {
  layout: 'a5' | 'roll80';
  parts: 'customer' | 'bank' | 'both';
  resourcesDir?: string;
  signingKey: KeyObject;
  compress?: boolean /* default true; tests pass false */;
}

/** One copy of the slip: the customer keeps 客户联, the branch files 银行留存联. */
export type SlipPart = 'customer' | 'bank';
