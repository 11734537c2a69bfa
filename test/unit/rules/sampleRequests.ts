// A complete, valid request as a teller would submit it, for the schema and authorization tests.
import { makeResidentIdNumber, type ApplicationFormValues } from '../../../shared/rules';

export const BUSINESS_DATE = '2025-06-01';

/** Born 1985-03-04 in 北京市朝阳区 (110105), sequence 123: a man, 40 on the business date. */
export const APPLICANT_ID = makeResidentIdNumber({ regionCode: '110105', birthDate: '1985-03-04', sequence: 123 });
/** Born 1990-07-08 in 上海市浦东新区 (310115), sequence 246: a woman. */
export const AGENT_ID = makeResidentIdNumber({ regionCode: '310115', birthDate: '1990-07-08', sequence: 246 });

export function validRequest(): ApplicationFormValues {
  return {
    businessDate: BUSINESS_DATE,
    channel: 'counter',
    applicant: {
      name: '王建国',
      documentType: 'resident_id',
      documentNumber: APPLICANT_ID,
      documentExpiry: '2030-01-15',
      isAgent: false,
    },
    pos: { merchantNumber: '102100058120001', terminalId: '10086001', terminalSerial: 'PAX-8240175533' },
    mobile: { bound: '13812345678', boundConfirm: '138 1234 5678' },
    reason: { code: 'no_longer_needed' },
    verification: {
      method: 'chip',
      chipReadId: '6f1c2b1e-3d4a-4b5c-8d9e-0a1b2c3d4e5f',
      onlineCheck: 'match',
      faceComparison: 'match',
      holdsBoundPhone: true,
      riskWarningAcknowledged: true,
    },
    notification: { channel: 'sms' },
    consent: { personalInformation: true },
  };
}

/** A resident ID number for someone born on `birthDate` (Beijing 东城区, even sequence). */
export function residentIdBornOn(birthDate: string, sequence = 2): string {
  return makeResidentIdNumber({ regionCode: '110101', birthDate, sequence });
}
