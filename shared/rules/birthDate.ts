import { isoDateFromCompact } from './calendarDate';
import type { ValidationErrorCode } from './codes';

// GB 11643-1999 §6: the birth date code is YYYYMMDD. The bank accepts no year before 1900.
export const EARLIEST_BIRTH_YEAR = 1900;

export type BirthDateReading = { ok: true; birthDate: string } | { ok: false; code: ValidationErrorCode };

/** Reads a YYYYMMDD birth date code: a real date, year ≥ 1900, not after `today`. */
export function readBirthDateCode(compact: string, today: string): BirthDateReading {
  const birthDate = isoDateFromCompact(compact);
  if (birthDate === undefined || Number(birthDate.slice(0, 4)) < EARLIEST_BIRTH_YEAR) {
    return { ok: false, code: 'id.birth_date' };
  }
  if (birthDate > today) return { ok: false, code: 'id.birth_date_future' };
  return { ok: true, birthDate };
}

/** Sex from a sequence code: odd for men, even for women (GB 11643-1999 §6.3). */
export function sexFromSequenceDigit(digit: string): 'M' | 'F' {
  return Number(digit) % 2 === 1 ? 'M' : 'F';
}
