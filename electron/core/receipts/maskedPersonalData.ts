import { DomainError } from '../rpc/domainError';
import type { SlipModel } from './slipModel';

// A full mainland mobile number is 11 digits and every ID number has a run of at least 11 digits (the
// 2017 permanent resident card: 12), so 11 digits in a row can only be an unmasked number.
const ELEVEN_DIGITS = /\d{11}/;
// 18-character resident ID, residence permit and 2023 permanent resident card: caught above, but
// spelled out so a change to the digit rule cannot let one through (GB 11643-1999 §4).
const ID_NUMBER_LIKE = /\d{17}[\dX]/i;

type MaskedField = 'applicantNameMasked' | 'documentNumberMasked' | 'mobileMasked' | 'newMobileMasked';

/**
 * Refuses to print a slip whose personal fields are not masked (PIPL; JR/T 0171-2020 C2 data): every
 * DOMAIN.md mask replaces at least one character with '*', and none leaves a run of 11 digits. The
 * check reads full-width digits as digits (NFKC), because an IME can key them. The error names the
 * field, never its value: the value is exactly what must not reach a log.
 */
export function assertOnlyMaskedPersonalData(model: SlipModel): void {
  const fields: [MaskedField, string | null][] = [
    ['applicantNameMasked', model.applicantNameMasked],
    ['documentNumberMasked', model.documentNumberMasked],
    ['mobileMasked', model.mobileMasked],
    ['newMobileMasked', model.newMobileMasked],
  ];
  const unmasked: Record<string, string> = {};
  for (const [field, value] of fields) {
    if (value !== null && !looksMasked(value)) unmasked[field] = 'slip.unmasked_personal_data';
  }
  if (Object.keys(unmasked).length > 0) throw new DomainError('INTERNAL', 'slip.unmasked_personal_data', unmasked);
}

function looksMasked(value: string): boolean {
  const text = value.normalize('NFKC');
  return text.includes('*') && !ELEVEN_DIGITS.test(text) && !ID_NUMBER_LIKE.test(text);
}
