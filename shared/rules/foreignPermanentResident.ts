// 外国人永久居留身份证 (foreign permanent resident ID card) numbers, both editions in circulation.
import { readBirthDateCode } from './birthDate';
import { isoDateFromCompact } from './calendarDate';
import { icao9303CheckDigit, mod11_2CheckCharacter } from './checkCharacters';
import type { Check, ValidationWarningCode } from './codes';
import { NATIONALITY_ALPHA3_CODES, NATIONALITY_NUMERIC_CODES } from './nationalityCodes';
import { isMainlandProvinceCode } from './regions';

export type ForeignPermanentResidentCheck = Check<{ birthDate: string; edition: 2017 | 2023 }>;

/** `value` is already normalized (normalizeKeyed) and non-empty. */
export function validateForeignPermanentResidentNumber(value: string, today: string): ForeignPermanentResidentCheck {
  if (/[^0-9A-Z]/.test(value)) return { ok: false, code: 'id.format' };
  if (value.length === 18) return validate2023Edition(value, today);
  if (value.length === 15) return validate2017Edition(value, today);
  return { ok: false, code: 'id.length' };
}

// 2023 edition (National Immigration Administration, in use from 2023-12-01), modelled on
// GB 11643-1999: '9' | 2-digit province of the issuing place | 3-digit ISO 3166-1 numeric
// nationality | YYYYMMDD | 3-digit sequence | MOD 11-2 check character.
function validate2023Edition(value: string, today: string): ForeignPermanentResidentCheck {
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, code: 'id.format' };
  if (!value.startsWith('9')) return { ok: false, code: 'id.foreign_pr_prefix' };
  if (!isMainlandProvinceCode(value.slice(1, 3))) return { ok: false, code: 'id.province' };
  const birth = readBirthDateCode(value.slice(6, 14), today);
  if (!birth.ok) return birth;
  if (mod11_2CheckCharacter(value.slice(0, 17)) !== value[17]) return { ok: false, code: 'id.checksum' };
  const warnings: ValidationWarningCode[] = [];
  if (!NATIONALITY_NUMERIC_CODES.has(value.slice(3, 6))) warnings.push('id.unknown_nationality');
  // The sequence code's parity is not published as the holder's sex for this card, so none is derived.
  return { ok: true, value, warnings, birthDate: birth.birthDate, edition: 2023 };
}

// 2017 edition (and the 2004 card it replaced): 3-letter ISO 3166-1 alpha-3 nationality |
// 4-digit issuing area | YYMMDD | 1-digit sequence | ICAO 9303 check digit over the first 14.
function validate2017Edition(value: string, today: string): ForeignPermanentResidentCheck {
  if (!/^[A-Z]{3}\d{12}$/.test(value)) return { ok: false, code: 'id.format' };
  const birthDate = birthDateFromTwoDigitYear(value.slice(7, 13), today);
  if (birthDate === undefined) return { ok: false, code: 'id.birth_date' };
  if (icao9303CheckDigit(value.slice(0, 14)) !== value[14]) return { ok: false, code: 'id.checksum' };
  const warnings: ValidationWarningCode[] = [];
  if (!NATIONALITY_ALPHA3_CODES.has(value.slice(0, 3))) warnings.push('id.unknown_nationality');
  if (!isMainlandProvinceCode(value.slice(3, 5))) warnings.push('id.unknown_region');
  return { ok: true, value, warnings, birthDate, edition: 2017 };
}

/**
 * The card prints only YYMMDD. Take the latest century that gives a real date not after `today`
 * (the ICAO 9303 reading of a two-digit year): '050101' is 2005 while 2005 has passed, '450101'
 * read in 2025 is 1945. A holder born more than 100 years before `today` cannot be told apart;
 * the card does not carry the information.
 */
export function birthDateFromTwoDigitYear(yymmdd: string, today: string): string | undefined {
  const thisCentury = Number(today.slice(0, 2));
  for (const century of [thisCentury, thisCentury - 1]) {
    const candidate = isoDateFromCompact(`${century}${yymmdd}`);
    if (candidate !== undefined && candidate <= today) return candidate;
  }
  return undefined;
}
