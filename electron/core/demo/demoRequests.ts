import {
  addYears,
  makeMerchantNumber,
  makeMobile,
  makeSyntheticResident,
  makeTerminalId,
  makeTerminalSerial,
  type ApplicationFormValues,
  type SyntheticRandom,
} from '../../../shared';

/**
 * A realistic request from made-up people and POS terminals (check characters computed, never copied), for
 * demo data, benchmarks and tests. `plain` passes without a supervisor; `exception` needs one
 * (manual keying and a virtual-operator number).
 */
export function makeDemoRequest(random: SyntheticRandom, businessDate: string, kind: 'plain' | 'exception' = 'plain'): ApplicationFormValues {
  const person = makeSyntheticResident(random, { today: businessDate, minAge: 20, maxAge: 65 });
  const mobile = makeMobile(random, kind === 'exception' ? 'virtual_operator' : 'ordinary');
  return {
    businessDate,
    channel: 'counter',
    applicant: {
      name: person.name,
      documentType: 'resident_id',
      documentNumber: person.documentNumber,
      documentExpiry: addYears(businessDate, 5),
      isAgent: false,
    },
    pos: { merchantNumber: makeMerchantNumber(random), terminalId: makeTerminalId(random), terminalSerial: makeTerminalSerial(random) },
    mobile: { bound: mobile, boundConfirm: mobile },
    reason: { code: 'no_longer_needed' },
    verification:
      kind === 'exception'
        ? { method: 'manual', documentNumberReentry: person.documentNumber, onlineCheck: 'match', faceComparison: 'match', holdsBoundPhone: true, riskWarningAcknowledged: true }
        : { method: 'chip', onlineCheck: 'match', faceComparison: 'match', holdsBoundPhone: true, riskWarningAcknowledged: true },
    notification: { channel: 'sms' },
    consent: { personalInformation: true },
  };
}
