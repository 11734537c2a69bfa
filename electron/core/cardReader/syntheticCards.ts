// Made-up cards for the simulators (tests, the preview's demo reader). Every identity here is synthetic:
// numbers are computed with their check characters from made-up regions, dates and sequences.
import { makeForeignPermanentResidentNumber2017, makeHmtResidencePermitNumber, makeResidentIdNumber } from '../../../shared/rules/syntheticIdentities';
import type { IdDocumentType } from '../../../shared';
import { PHOTO_LENGTH, buildTextBlock, type ChipCardFacts } from './textBlock';

export interface SyntheticCard {
  id: string;
  label: string;
  facts: ChipCardFacts;
  textBlock: Buffer;
  photo: Buffer;
}

/** A stand-in for WLT bytes: deterministic, different per card (so the photo hash tells cards apart). */
export function syntheticPhoto(seed: string): Buffer {
  const photo = Buffer.alloc(PHOTO_LENGTH);
  let state = 0x811c9dc5;
  for (const ch of seed) state = Math.imul(state ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  for (let i = 0; i < PHOTO_LENGTH; i += 1) {
    state = Math.imul(state ^ (state >>> 13), 0x5bd1e995) >>> 0;
    photo[i] = state & 0xff;
  }
  return photo;
}

function card(id: string, label: string, facts: ChipCardFacts, extra: { cardTypeChar?: string } = {}): SyntheticCard {
  return { id, label, facts, textBlock: buildTextBlock({ ...facts, ...extra }), photo: syntheticPhoto(id) };
}

const resident: ChipCardFacts = {
  documentType: 'resident_id',
  name: '周建国',
  sex: 'M',
  nation: { code: '01', name: '汉' },
  birthDate: '1985-03-12',
  address: '北京市朝阳区示例路1号院2号楼301室',
  documentNumber: makeResidentIdNumber({ regionCode: '110105', birthDate: '1985-03-12', sequence: 123 }),
  issuingAuthority: '北京市公安局朝阳分局',
  validFrom: '2015-06-01',
  validTo: '2035-06-01',
};

const longTerm: ChipCardFacts = {
  documentType: 'resident_id',
  name: '林秀英',
  sex: 'F',
  nation: { code: '03', name: '回' },
  birthDate: '1958-11-02',
  address: '宁夏回族自治区银川市兴庆区示例街18号',
  documentNumber: makeResidentIdNumber({ regionCode: '640104', birthDate: '1958-11-02', sequence: 246 }),
  issuingAuthority: '银川市公安局兴庆区分局',
  validFrom: '2010-01-05',
  validTo: 'long_term',
};

const hmt: ChipCardFacts = {
  documentType: 'hmt_residence_permit',
  name: '陈嘉欣',
  sex: 'F',
  birthDate: '1992-07-21',
  address: '广东省深圳市福田区示例大道88号',
  documentNumber: makeHmtResidencePermitNumber({ addressCode: '810000', birthDate: '1992-07-21', sequence: 58 }),
  issuingAuthority: '深圳市公安局',
  validFrom: '2019-09-01',
  validTo: '2029-09-01',
  passNumber: 'H12345678',
  issueCount: '01',
};

const foreign: ChipCardFacts = {
  documentType: 'foreign_permanent_resident',
  name: '史密斯',
  englishName: 'JOHN ADAM SMITH',
  sex: 'M',
  birthDate: '1980-04-15',
  documentNumber: makeForeignPermanentResidentNumber2017({ nationality: 'GBR', issuingArea: '1100', birthDate: '1980-04-15', sequence: 7 }),
  nationality: 'GBR',
  issuingAuthority: '1500',
  validFrom: '2018-05-20',
  validTo: '2028-05-20',
};

/** The chip number with its check character changed: a chip that disagrees with itself. */
function withBadCheck(number: string): string {
  const last = number.at(-1) === '0' ? '1' : '0';
  return number.slice(0, -1) + last;
}

export const SYNTHETIC_CARDS = {
  resident: card('resident', '居民身份证 周建国', resident),
  longTerm: card('longTerm', '居民身份证 长期 林秀英', longTerm),
  hmt: card('hmt', '港澳台居民居住证 陈嘉欣', hmt),
  foreign: card('foreign', '外国人永久居留身份证 史密斯', foreign),
  badNumber: card('badNumber', '芯片号码校验失败', { ...resident, name: '吴测试', documentNumber: withBadCheck(resident.documentNumber) }),
  unknownType: card('unknownType', '未知证件类型', foreign, { cardTypeChar: 'Y' }),
} as const;

export type SyntheticCardId = keyof typeof SYNTHETIC_CARDS;

export interface ApplicantFacts {
  name: string;
  documentType: IdDocumentType;
  documentNumber: string;
  documentExpiry: string;
  birthDate?: string | undefined;
  sex?: 'M' | 'F' | undefined;
}

/** The chip a real card of this (synthetic) applicant would carry (resident ID and HMT permit layouts, 2017 foreign card). */
export function chipFactsFor(applicant: ApplicantFacts, businessDate: string): ChipCardFacts {
  const number = applicant.documentNumber;
  const gb11643 = /^\d{17}[\dX]$/.test(number);
  const birthDate = applicant.birthDate ?? (gb11643 ? `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}` : '1980-01-01');
  const sex = applicant.sex ?? (gb11643 ? (Number(number[16]) % 2 === 1 ? 'M' : 'F') : 'M');
  const validFrom = `${String(Number(businessDate.slice(0, 4)) - 1)}${businessDate.slice(4)}`;
  const documentType = applicant.documentType as ChipCardFacts['documentType'];
  return {
    documentType,
    name: applicant.name,
    sex,
    birthDate,
    documentNumber: number,
    ...(documentType === 'resident_id' ? { nation: { code: '01', name: '汉' }, address: '上海市黄浦区示例路1号' } : {}),
    ...(documentType === 'hmt_residence_permit' ? { address: '上海市黄浦区示例路1号' } : {}),
    ...(documentType === 'foreign_permanent_resident' ? { englishName: 'TEST HOLDER', nationality: number.slice(0, 3) } : {}),
    issuingAuthority: documentType === 'foreign_permanent_resident' ? '1500' : '上海市公安局黄浦分局',
    validFrom,
    validTo: applicant.documentExpiry,
  };
}

