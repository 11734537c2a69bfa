// Address codes (地址码) of ID numbers. The table is GB/T 2260 as published 1980–2019, generated
// into regions.json by scripts/build-regions.mjs. It names the region a number was issued in and
// warns about codes it does not know; it never refuses a number, because the number is for life
// and police-verified numbers carry codes missing from every published list (DOMAIN.md).
import regionTable from './regions.json';
import { normalizeKeyed } from './normalize';

interface RegionTable {
  latestRevision: number;
  /** code → [latest name, last revision (YYYYMM) that listed it] */
  codes: Record<string, readonly [string, number] | undefined>;
}

const table = regionTable as unknown as RegionTable;

// GB 11643-1999 address codes start with the province (GB/T 2260 first two digits). These are the
// mainland provinces; 71 (Taiwan) is listed in GB/T 2260 but never appears on a resident ID.
export const MAINLAND_PROVINCE_CODES = [
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
] as const;

export function isMainlandProvinceCode(code: string): boolean {
  return (MAINLAND_PROVINCE_CODES as readonly string[]).includes(code);
}

// 港澳台居民居住证: the address code is fixed per place of origin (State Council, 2018).
export const HMT_RESIDENCE_PERMIT_ADDRESS_CODES = {
  '810000': '香港特别行政区',
  '820000': '澳门特别行政区',
  '830000': '台湾地区',
} as const;

export function isHmtResidencePermitAddressCode(code: string): code is keyof typeof HMT_RESIDENCE_PERMIT_ADDRESS_CODES {
  return Object.hasOwn(HMT_RESIDENCE_PERMIT_ADDRESS_CODES, code);
}

/** True when the 6-digit code appears in any published revision, current or historical. */
export function isKnownAddressCode(code: string): boolean {
  return /^\d{6}$/.test(code) && (table.codes[code] !== undefined || isHmtResidencePermitAddressCode(code));
}

export interface Region {
  /** The 6-digit address code. */
  code: string;
  /** Province, prefecture where it has a name of its own, and county: '北京市宣武区'. */
  name: string;
  /** False for codes abolished or renamed before the last revision (still valid on an ID). */
  current: boolean;
}

// Placeholders GB/T 2260 uses for the prefecture level of municipalities and of counties directly
// under a province; they are not part of a place name.
const PREFECTURE_PLACEHOLDERS = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function nameOf(code: string): string | undefined {
  return table.codes[code]?.[0];
}

/** The region an ID number (or a bare 6-digit address code) was issued in, where the table knows it. */
export function regionOf(idNumber: string): Region | undefined {
  const code = normalizeKeyed(idNumber).slice(0, 6);
  if (!/^\d{6}$/.test(code)) return undefined;
  if (isHmtResidencePermitAddressCode(code)) {
    return { code, name: HMT_RESIDENCE_PERMIT_ADDRESS_CODES[code], current: true };
  }
  const entry = table.codes[code];
  if (entry === undefined) return undefined;
  const [ownName, lastSeen] = entry;
  const parts: string[] = [];
  const provinceCode = `${code.slice(0, 2)}0000`;
  const prefectureCode = `${code.slice(0, 4)}00`;
  if (code !== provinceCode) {
    const province = nameOf(provinceCode);
    if (province !== undefined) parts.push(province);
    if (code !== prefectureCode) {
      const prefecture = nameOf(prefectureCode);
      if (prefecture !== undefined && !PREFECTURE_PLACEHOLDERS.has(prefecture)) parts.push(prefecture);
    }
  }
  parts.push(ownName);
  return { code, name: parts.join(''), current: lastSeen === table.latestRevision };
}

/** County-level codes still current in the last revision; demo data draws from these. */
export function currentCountyCodes(): string[] {
  return Object.keys(table.codes).filter((code) => {
    const entry = table.codes[code];
    return entry !== undefined && entry[1] === table.latestRevision && !code.endsWith('00')
      && isMainlandProvinceCode(code.slice(0, 2));
  });
}
