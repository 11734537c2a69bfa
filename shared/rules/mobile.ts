// Mainland mobile numbers (DOMAIN.md, "Mobile numbers"). libphonenumber is deliberately not used:
// its metadata refuses live segments such as 149.
import type { Check, ValidationWarningCode } from './codes';
import { MOBILE_SEGMENTS, type MobileSegmentKind } from './mobileSegments';

// Whitespace, dashes and the brackets people type around an area or country code
// ("(+86) 138-0013-8000"); full-width forms are folded by NFKC first.
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\uFE58\uFE63()[\]]/gu;

/**
 * The digits of a keyed mainland mobile number with any +86 / 0086 / 86 country prefix removed.
 * Not a validation: the result may still be malformed.
 */
export function normalizeMobile(raw: string): string {
  const compact = raw.normalize('NFKC').replace(SEPARATORS, '');
  if (compact.startsWith('+86')) return compact.slice(3);
  if (compact.startsWith('0086')) return compact.slice(4);
  // A bare 86 is a country code only in front of a full 11-digit number (mobiles start with 1).
  if (/^86\d{11}$/.test(compact)) return compact.slice(2);
  return compact;
}

/** The kind of a special segment, or undefined for an ordinary subscriber number. */
export function mobileSegmentKind(digits: string): MobileSegmentKind | undefined {
  let best: { prefix: string; kind: MobileSegmentKind } | undefined;
  for (const segment of MOBILE_SEGMENTS) {
    if (digits.startsWith(segment.prefix) && (best === undefined || segment.prefix.length > best.prefix.length)) {
      best = segment;
    }
  }
  return best?.kind;
}

/** Validates a keyed number; `value` is the 11 digits. */
export function validateMobile(raw: string): Check {
  const value = normalizeMobile(raw);
  if (value === '') return { ok: false, code: 'mobile.required' };
  if (!/^1[3-9]\d{9}$/.test(value)) return { ok: false, code: 'mobile.format' };
  const kind = mobileSegmentKind(value);
  if (kind === 'iot_data_only') return { ok: false, code: 'mobile.iot_segment' };
  const warnings: ValidationWarningCode[] = [];
  if (kind === 'virtual_operator') warnings.push('mobile.virtual_operator');
  if (kind === 'satellite') warnings.push('mobile.satellite');
  return { ok: true, value, warnings };
}

/** Virtual-operator and satellite numbers need a supervisor (DOMAIN.md authorization table). */
export function isVirtualOrSatelliteMobile(digits: string): boolean {
  const kind = mobileSegmentKind(digits);
  return kind === 'virtual_operator' || kind === 'satellite';
}
