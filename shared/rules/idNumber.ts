// Identity document numbers as the counter accepts them (DOMAIN.md, "Identity documents").
import { readBirthDateCode, sexFromSequenceDigit } from './birthDate';
import { isValidCalendarDate } from './calendarDate';
import { mod11_2CheckCharacter } from './checkCharacters';
import type { Check, ValidationWarningCode } from './codes';
import { validateForeignPermanentResidentNumber } from './foreignPermanentResident';
import { normalizeKeyed } from './normalize';
import { isHmtResidencePermitAddressCode, isKnownAddressCode, isMainlandProvinceCode } from './regions';

export const ID_DOCUMENT_TYPES = [
  'resident_id', // 居民身份证
  'hmt_residence_permit', // 港澳台居民居住证
  'foreign_permanent_resident', // 外国人永久居留身份证
  'hk_mo_travel_permit', // 港澳居民来往内地通行证 (回乡证)
  'tw_travel_permit', // 台湾居民来往大陆通行证 (台胞证)
  'passport', // 护照
] as const;

export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];

export type IdNumberCheck = Check<{ birthDate?: string; sex?: 'M' | 'F' }>;

/** Documents whose number carries the holder's date of birth. */
export function documentCarriesBirthDate(type: IdDocumentType): boolean {
  return type === 'resident_id' || type === 'hmt_residence_permit' || type === 'foreign_permanent_resident';
}

/**
 * Validates a keyed document number. `today` (the business date, 'YYYY-MM-DD') bounds the birth date;
 * the validator never reads the clock. `value` is the normalized number (NFKC, no spaces or
 * hyphens, upper-case X).
 */
export function validateIdNumber(type: IdDocumentType, raw: string, opts: { today: string }): IdNumberCheck {
  if (!isValidCalendarDate(opts.today)) throw new RangeError(`today is not a calendar date: ${opts.today}`);
  const value = normalizeKeyed(raw);
  if (value === '') return { ok: false, code: 'id.required' };
  switch (type) {
    case 'resident_id':
      return validateResidentIdNumber(value, opts.today);
    case 'hmt_residence_permit':
      return validateHmtResidencePermitNumber(value, opts.today);
    case 'foreign_permanent_resident': {
      const result = validateForeignPermanentResidentNumber(value, opts.today);
      if (!result.ok) return result;
      return { ok: true, value: result.value, warnings: result.warnings, birthDate: result.birthDate };
    }
    case 'hk_mo_travel_permit':
      // 回乡证: H (Hong Kong) or M (Macau) + 8 digits; some systems append a 2-digit issue count.
      return formatOnly(value, /^[HM]\d{8}(?:\d{2})?$/);
    case 'tw_travel_permit':
      // 台胞证: 8 digits, optionally + 2-digit issue count.
      return formatOnly(value, /^\d{8}(?:\d{2})?$/);
    case 'passport':
      return formatOnly(value, /^[0-9A-Z]{5,17}$/);
  }
}

// These documents have no public check digit; a supervisor authorizes their use instead.
function formatOnly(value: string, pattern: RegExp): IdNumberCheck {
  return pattern.test(value) ? { ok: true, value, warnings: [] } : { ok: false, code: 'id.format' };
}

// GB 11643-1999: 6-digit address code, YYYYMMDD, 3-digit sequence (odd = male), check character.
function validateResidentIdNumber(value: string, today: string): IdNumberCheck {
  if (/[^0-9X]/.test(value)) return { ok: false, code: 'id.format' };
  // First-generation 15-digit numbers ceased to be valid documents on 2013-01-01
  // (Ministry of Public Security notice on the end of first-generation cards).
  if (/^\d{15}$/.test(value)) return { ok: false, code: 'id.legacy_15' };
  if (value.length !== 18) return { ok: false, code: 'id.length' };
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, code: 'id.format' };
  const province = value.slice(0, 2);
  // 81/82/83 are residence permits, a leading 9 a foreign permanent resident card: right number,
  // wrong document type chosen.
  if (province === '81' || province === '82' || province === '83' || value.startsWith('9')) {
    return { ok: false, code: 'id.wrong_document_type' };
  }
  // The only hard address-code rule: a mainland province prefix (71 never appears on a resident ID).
  if (!isMainlandProvinceCode(province)) return { ok: false, code: 'id.province' };
  return readGb11643Body(value, today, isKnownAddressCode(value.slice(0, 6)) ? [] : ['id.unknown_region']);
}

// 港澳台居民居住证: address code fixed at 810000, 820000 or 830000, otherwise as GB 11643-1999.
function validateHmtResidencePermitNumber(value: string, today: string): IdNumberCheck {
  if (/[^0-9X]/.test(value)) return { ok: false, code: 'id.format' };
  if (value.length !== 18) return { ok: false, code: 'id.length' };
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, code: 'id.format' };
  if (!isHmtResidencePermitAddressCode(value.slice(0, 6))) return { ok: false, code: 'id.hmt_address_code' };
  return readGb11643Body(value, today, []);
}

function readGb11643Body(value: string, today: string, warnings: ValidationWarningCode[]): IdNumberCheck {
  const birth = readBirthDateCode(value.slice(6, 14), today);
  if (!birth.ok) return birth;
  // GB 11643-1999 §7: ISO 7064 MOD 11-2 over the first 17 digits.
  if (mod11_2CheckCharacter(value.slice(0, 17)) !== value[17]) return { ok: false, code: 'id.checksum' };
  return { ok: true, value, warnings, birthDate: birth.birthDate, sex: sexFromSequenceDigit(value[16] ?? '') };
}
