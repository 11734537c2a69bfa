// fast-check arbitraries for the rules tests, built on the synthetic identity generator that demo
// seeding also uses (shared/rules/syntheticIdentities.ts).
import fc from 'fast-check';
import {
  MAINLAND_PROVINCE_CODES,
  isValidCalendarDate,
  makeForeignPermanentResidentNumber2017,
  makeForeignPermanentResidentNumber2023,
  makeHmtResidencePermitNumber,
  makeResidentIdNumber,
} from '../../../shared/rules';

export const TODAY = '2025-06-01';

/** A real calendar date between 1900-01-01 and TODAY. */
export const birthDateArb = fc
  .tuple(fc.integer({ min: 1900, max: 2025 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
  .filter((date) => isValidCalendarDate(date) && date <= TODAY);

/** A 6-digit address code under a mainland province (known to the table or not). */
export const regionCodeArb = fc
  .tuple(fc.constantFrom(...MAINLAND_PROVINCE_CODES), fc.integer({ min: 0, max: 9999 }))
  .map(([province, rest]) => province + String(rest).padStart(4, '0'));

export const residentIdArb = fc
  .record({ regionCode: regionCodeArb, birthDate: birthDateArb, sequence: fc.integer({ min: 0, max: 999 }) })
  .map((args) => makeResidentIdNumber(args));

export const hmtPermitArb = fc
  .record({
    addressCode: fc.constantFrom('810000', '820000', '830000' as const),
    birthDate: birthDateArb,
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map((args) => makeHmtResidencePermitNumber(args));

export const foreignPr2023Arb = fc
  .record({
    provinceCode: fc.constantFrom(...MAINLAND_PROVINCE_CODES),
    nationalityCode: fc.constantFrom('840', '392', '410', '276', '250', '826', '643', '704'),
    birthDate: birthDateArb,
    sequence: fc.integer({ min: 0, max: 999 }),
  })
  .map((args) => makeForeignPermanentResidentNumber2023(args));

export const foreignPr2017Arb = fc
  .record({
    nationality: fc.constantFrom('USA', 'JPN', 'KOR', 'DEU', 'FRA', 'GBR', 'RUS', 'VNM'),
    issuingArea: fc.constantFrom('1100', '3100', '4400', '3200'),
    birthDate: birthDateArb,
    sequence: fc.integer({ min: 0, max: 9 }),
  })
  .map((args) => makeForeignPermanentResidentNumber2017(args));

/** ASCII → full-width form (what a Chinese IME in full-width mode types). */
export function toFullWidth(s: string): string {
  return s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
}

/** Characters that should never survive into an accepted value. */
export const HIDDEN_CHARACTERS = [
  '\u0000', '\u0007', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b',
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u3164', '\u2028', '\u2029',
  '\u200e', '\u200f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u061c',
];

/** A string with hidden characters and ordinary text mixed in. */
export const textWithHiddenArb = fc
  .array(fc.oneof(fc.constantFrom(...HIDDEN_CHARACTERS), fc.string({ unit: 'grapheme', maxLength: 3 }), fc.constantFrom('张', '三', 'A', '·', ' ')), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));
