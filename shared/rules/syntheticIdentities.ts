// Synthetic applicants for tests and for seeding demo data. Every number here is made up and
// computed (check characters included) from a seedable generator, never copied from anywhere:
// the same seed gives the same people, so demo screenshots and test failures reproduce.
import { ageOn } from './age';
import { addYears, daysInMonth } from './calendarDate';
import { icao9303CheckDigit, mod11_2CheckCharacter } from './checkCharacters';
import { MOBILE_SEGMENTS, type MobileSegmentKind } from './mobileSegments';
import { currentCountyCodes, type HMT_RESIDENCE_PERMIT_ADDRESS_CODES } from './regions';

/** Uniform in [0, 1), like Math.random, but reproducible. */
export type SyntheticRandom = () => number;

/** mulberry32: a small 32-bit generator, plenty for demo data (not for anything secret). */
export function syntheticRandom(seed: number): SyntheticRandom {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(random: SyntheticRandom, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

function digits(random: SyntheticRandom, count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(Math.floor(random() * 10));
  return out;
}

function compact(date: string): string {
  return date.replaceAll('-', '');
}

function sequenceCode(sequence: number, width: number): string {
  if (!Number.isInteger(sequence) || sequence < 0 || sequence >= 10 ** width) {
    throw new RangeError(`sequence must be an integer of at most ${width} digits`);
  }
  return String(sequence).padStart(width, '0');
}

/** GB 11643-1999 number: address code, YYYYMMDD, 3-digit sequence (odd = male), MOD 11-2 check. */
export function makeResidentIdNumber(args: { regionCode: string; birthDate: string; sequence: number }): string {
  if (!/^\d{6}$/.test(args.regionCode)) throw new RangeError('regionCode must be 6 digits');
  const body = `${args.regionCode}${compact(args.birthDate)}${sequenceCode(args.sequence, 3)}`;
  return body + mod11_2CheckCharacter(body);
}

/** 港澳台居民居住证 number: as a resident ID with address code 810000, 820000 or 830000. */
export function makeHmtResidencePermitNumber(args: {
  addressCode: keyof typeof HMT_RESIDENCE_PERMIT_ADDRESS_CODES;
  birthDate: string;
  sequence: number;
}): string {
  return makeResidentIdNumber({ regionCode: args.addressCode, birthDate: args.birthDate, sequence: args.sequence });
}

/** 2023-edition foreign permanent resident ID: 9, province, ISO 3166-1 numeric, YYYYMMDD, sequence, MOD 11-2. */
export function makeForeignPermanentResidentNumber2023(args: {
  provinceCode: string;
  nationalityCode: string;
  birthDate: string;
  sequence: number;
}): string {
  if (!/^\d{2}$/.test(args.provinceCode) || !/^\d{3}$/.test(args.nationalityCode)) {
    throw new RangeError('provinceCode must be 2 digits and nationalityCode 3 digits');
  }
  const body = `9${args.provinceCode}${args.nationalityCode}${compact(args.birthDate)}${sequenceCode(args.sequence, 3)}`;
  return body + mod11_2CheckCharacter(body);
}

/** 2017-edition foreign permanent resident ID: alpha-3 nationality, issuing area, YYMMDD, sequence, ICAO check. */
export function makeForeignPermanentResidentNumber2017(args: {
  nationality: string;
  issuingArea: string;
  birthDate: string;
  sequence: number;
}): string {
  if (!/^[A-Z]{3}$/.test(args.nationality) || !/^\d{4}$/.test(args.issuingArea)) {
    throw new RangeError('nationality must be 3 letters and issuingArea 4 digits');
  }
  const body = `${args.nationality}${args.issuingArea}${compact(args.birthDate).slice(2)}${sequenceCode(args.sequence, 1)}`;
  return body + icao9303CheckDigit(body);
}

// Segments of ordinary subscriber numbers (none of them in MOBILE_SEGMENTS).
const ORDINARY_MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '149',
  '150', '151', '152', '153', '155', '156', '157', '158', '159', '166',
  '173', '175', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '191', '193', '195', '196', '197', '198', '199',
] as const;

/** An 11-digit mobile number; `kind` picks a special segment (virtual operator, satellite, IoT). */
export function makeMobile(random: SyntheticRandom, kind: 'ordinary' | MobileSegmentKind = 'ordinary'): string {
  const prefix =
    kind === 'ordinary'
      ? pick(random, ORDINARY_MOBILE_PREFIXES)
      : pick(random, MOBILE_SEGMENTS.filter((segment) => segment.kind === kind)).prefix;
  return prefix + digits(random, 11 - prefix.length);
}

/** 15-digit merchant number. */
export function makeMerchantNumber(random: SyntheticRandom): string {
  return digits(random, 15);
}

/** 8-digit terminal number. */
export function makeTerminalId(random: SyntheticRandom): string {
  return digits(random, 8);
}

const SERIAL_VENDOR_PREFIXES = ['PAX', 'NEW', 'SZL', 'LDI', 'CTK'] as const;

/** A vendor-style serial number, e.g. 'PAX-8240175533'. */
export function makeTerminalSerial(random: SyntheticRandom): string {
  return `${pick(random, SERIAL_VENDOR_PREFIXES)}-${digits(random, 10)}`;
}

const FAMILY_NAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林',
  '高', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁',
  '欧阳', '司马', '诸葛', '上官',
] as const;
const GIVEN_NAME_CHARACTERS = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀',
  '霞', '平', '刚', '英', '华', '玉', '萍', '红', '建', '文', '辉', '力', '鹏', '宇', '浩', '晨', '欣', '怡',
  '涵', '雨', '轩', '思', '佳', '博', '雪', '琳', '晓', '海', '婷', '凯', '健', '俊', '斌', '宁', '颖', '倩',
] as const;

/** A plausible Han name: family name and one or two given-name characters. */
export function makePersonName(random: SyntheticRandom): string {
  const given = random() < 0.3 ? 1 : 2;
  let name = pick(random, FAMILY_NAMES);
  for (let i = 0; i < given; i += 1) name += pick(random, GIVEN_NAME_CHARACTERS);
  return name;
}

/** A birth date making the person between minAge and maxAge (inclusive) on `today`. */
export function makeBirthDate(random: SyntheticRandom, args: { today: string; minAge: number; maxAge: number }): string {
  if (args.minAge < 0 || args.maxAge < args.minAge) throw new RangeError('need 0 <= minAge <= maxAge');
  for (;;) {
    const age = args.minAge + Math.floor(random() * (args.maxAge - args.minAge + 1));
    const anchor = addYears(args.today, -age - 1);
    const year = Number(anchor.slice(0, 4)) + Math.floor(random() * 2);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * daysInMonth(year, month));
    const birthDate = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    if (year < 1900 || birthDate > args.today) continue;
    const actual = ageOn(birthDate, args.today);
    if (actual >= args.minAge && actual <= args.maxAge) return birthDate;
  }
}

export interface SyntheticResident {
  name: string;
  documentType: 'resident_id';
  documentNumber: string;
  birthDate: string;
  sex: 'M' | 'F';
  regionCode: string;
}

let countyCodes: string[] | undefined;

/** A made-up adult resident with a valid resident ID number from a current county. */
export function makeSyntheticResident(
  random: SyntheticRandom,
  args: { today: string; minAge?: number; maxAge?: number; sex?: 'M' | 'F' },
): SyntheticResident {
  countyCodes ??= currentCountyCodes();
  const regionCode = pick(random, countyCodes);
  const birthDate = makeBirthDate(random, { today: args.today, minAge: args.minAge ?? 18, maxAge: args.maxAge ?? 80 });
  const sex = args.sex ?? (random() < 0.5 ? 'M' : 'F');
  // GB 11643-1999: the sequence code is odd for men, even for women.
  const even = 2 * Math.floor(random() * 500);
  const sequence = sex === 'M' ? even + 1 : even;
  return {
    name: makePersonName(random),
    documentType: 'resident_id',
    documentNumber: makeResidentIdNumber({ regionCode, birthDate, sequence }),
    birthDate,
    sex,
    regionCode,
  };
}
