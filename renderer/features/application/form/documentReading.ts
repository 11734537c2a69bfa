import { ageOn, normalizeKeyed, regionOf, validateIdNumber, type IdDocumentType } from '../../../../shared';

/** What a document number says about its holder, or what is wrong with it, as the teller types. */
export type DocumentReading =
  | { state: 'empty' }
  /** Still being typed: too short to judge, and nothing wrong so far. */
  | { state: 'typing'; length: number; expected: number }
  | { state: 'problem'; code: string }
  | {
      state: 'read';
      birthDate?: string;
      age?: number;
      sex?: 'M' | 'F';
      /** Where the number was issued (address code), or the edition of a foreign permanent resident card. */
      region?: { name: string; current: boolean };
      edition?: '2023' | '2017';
      warnings: string[];
    };

// Numbers of these documents are typed digit by digit up to 18 characters; before that, a short number
// is unfinished rather than wrong (a 15-digit prefix is not yet a first-generation number).
const GB11643_PREFIX = /^\d{0,17}$/;
const FOREIGN_2023_PREFIX = /^9\d{0,16}$/;

function unfinished(type: IdDocumentType, value: string): { expected: number } | undefined {
  switch (type) {
    case 'resident_id':
    case 'hmt_residence_permit':
      return GB11643_PREFIX.test(value) ? { expected: 18 } : undefined;
    case 'foreign_permanent_resident':
      if (FOREIGN_2023_PREFIX.test(value)) return { expected: 18 };
      // 2017 edition: 3 letters, 12 digits.
      return /^[A-Z]{0,3}$|^[A-Z]{3}\d{0,11}$/.test(value) ? { expected: 15 } : undefined;
    default:
      return undefined;
  }
}

export function readDocument(type: IdDocumentType | undefined, raw: string | undefined, businessDate: string): DocumentReading {
  const value = normalizeKeyed(raw ?? '');
  if (!type || value === '') return { state: 'empty' };
  const check = validateIdNumber(type, value, { today: businessDate });
  if (!check.ok) {
    const typing = unfinished(type, value);
    if (typing && value.length < typing.expected) return { state: 'typing', length: value.length, expected: typing.expected };
    return { state: 'problem', code: check.code };
  }
  const reading: DocumentReading = { state: 'read', warnings: [...check.warnings] };
  if (check.birthDate) {
    reading.birthDate = check.birthDate;
    reading.age = ageOn(check.birthDate, businessDate);
  }
  if (check.sex) reading.sex = check.sex;
  if (type === 'resident_id' || type === 'hmt_residence_permit') {
    const region = regionOf(check.value);
    if (region) reading.region = { name: region.name, current: region.current };
  }
  if (type === 'foreign_permanent_resident') reading.edition = check.value.length === 18 ? '2023' : '2017';
  return reading;
}
