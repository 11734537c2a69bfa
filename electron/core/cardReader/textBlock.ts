// The chip's 256-byte text block (INTEGRATIONS.md, "The 256-byte text block"): UCS-2 little-endian,
// space-padded fields at fixed byte offsets; the card type at byte 248 picks the layout. Everything in
// it comes from a device, so every field is bounds-checked and the number must pass the same
// validateIdNumber as a keyed one: a chip that disagrees with itself is an error, never a fill.
import { hiddenCharacterCode, isValidCalendarDate, validateIdNumber } from '../../../shared';
import { CardReadError } from './errors';
import { nationName } from './nations';

export const TEXT_BLOCK_LENGTH = 256;
export const PHOTO_LENGTH = 1024;
export const CARD_TYPE_OFFSET = 248;

export type ChipDocumentType = 'resident_id' | 'hmt_residence_permit' | 'foreign_permanent_resident';

/** What the chip says, in the form's own terms (dates 'YYYY-MM-DD', expiry or 'long_term'). */
export interface ChipCardFacts {
  documentType: ChipDocumentType;
  /** The Chinese name; for a foreign permanent resident without one, the English name. */
  name: string;
  /** Foreign permanent resident: the English name as on the card. */
  englishName?: string;
  sex: 'M' | 'F';
  birthDate: string;
  documentNumber: string;
  /** Resident ID: the 民族 code and its name. */
  nation?: { code: string; name: string };
  /** Foreign permanent resident: ISO 3166-1 alpha-3. */
  nationality?: string;
  /** Resident ID and HMT permit. */
  address?: string;
  /** The issuing authority's name (resident, HMT) or code (foreign permanent resident). */
  issuingAuthority: string;
  validFrom: string;
  validTo: string;
  /** HMT residence permit: the 通行证 number and the issue count. */
  passNumber?: string;
  issueCount?: string;
}

interface Field {
  offset: number;
  length: number;
}

const f = (offset: number, length: number): Field => ({ offset, length });

// Byte offsets, from the field lengths in INTEGRATIONS.md (they add up to 256).
const RESIDENT = {
  name: f(0, 30), sex: f(30, 2), nation: f(32, 4), birthDate: f(36, 16), address: f(52, 70),
  number: f(122, 36), authority: f(158, 30), validFrom: f(188, 16), validTo: f(204, 16),
  // HMT residence permit only, inside the resident layout's reserved 36 bytes.
  passNumber: f(220, 18), issueCount: f(238, 4), cardType: f(CARD_TYPE_OFFSET, 2),
} as const;

const FOREIGN_2017 = {
  englishName: f(0, 120), sex: f(120, 2), number: f(122, 30), nationality: f(152, 6), chineseName: f(158, 30),
  validFrom: f(188, 16), validTo: f(204, 16), birthDate: f(220, 16), version: f(236, 4), authority: f(240, 8),
  cardType: f(CARD_TYPE_OFFSET, 2),
} as const;

const LONG_TERM_ON_CHIP = '长期';

function decodeField(block: Buffer, field: Field): string {
  const slice = block.subarray(field.offset, field.offset + field.length);
  let out = '';
  for (let i = 0; i + 1 < slice.length; i += 2) {
    const unit = slice.readUInt16LE(i);
    // UCS-2: one code unit per character; a surrogate half is not something a card carries.
    if (unit >= 0xd800 && unit <= 0xdfff) throw new CardReadError('bad_text_block', `surrogate at ${field.offset + i}`);
    out += String.fromCharCode(unit);
  }
  // Padding is spaces; some readers hand back NULs after the text.
  let end = out.length;
  while (end > 0 && (out[end - 1] === ' ' || out[end - 1] === '\0')) end -= 1;
  const trimmed = out.slice(0, end).replace(/^ +/u, '');
  if (hiddenCharacterCode(trimmed) !== undefined) throw new CardReadError('bad_text_block', `hidden character at ${field.offset}`);
  return trimmed;
}

function required(block: Buffer, field: Field, what: string): string {
  const value = decodeField(block, field);
  if (value === '') throw new CardReadError('bad_text_block', `${what} empty`);
  return value;
}

function chipDate(raw: string, what: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  const iso = m === null ? '' : `${m[1]}-${m[2]}-${m[3]}`;
  if (!isValidCalendarDate(iso)) throw new CardReadError('bad_text_block', `${what} not a date`);
  return iso;
}

function chipValidTo(raw: string): string {
  return raw === LONG_TERM_ON_CHIP ? 'long_term' : chipDate(raw, 'valid-to');
}

function chipSex(raw: string): 'M' | 'F' {
  if (raw === '1') return 'M';
  if (raw === '2') return 'F';
  throw new CardReadError('bad_text_block', 'sex code');
}

/** The card type at byte 248: 'I' foreign permanent resident (2017), 'J' HMT permit, blank resident. */
export function cardTypeOf(block: Buffer): ChipDocumentType {
  if (block.length !== TEXT_BLOCK_LENGTH) throw new CardReadError('bad_text_block', `length ${block.length}`);
  const unit = block.readUInt16LE(CARD_TYPE_OFFSET);
  if (unit === 0x20 || unit === 0x00) return 'resident_id';
  if (unit === 0x4a) return 'hmt_residence_permit';
  if (unit === 0x49) return 'foreign_permanent_resident';
  throw new CardReadError('unknown_card_type', `type unit 0x${unit.toString(16).padStart(4, '0')}`);
}

/**
 * Reads a text block. `today` is the business date ('YYYY-MM-DD'), for the number's birth-date bound.
 * Throws CardReadError: `unknown_card_type`, `bad_text_block`, `chip_number_invalid`.
 */
export function parseTextBlock(block: Buffer, opts: { today: string }): ChipCardFacts {
  const documentType = cardTypeOf(block);
  const facts = documentType === 'foreign_permanent_resident' ? parseForeign2017(block) : parseResidentLayout(block, documentType);
  const check = validateIdNumber(facts.documentType, facts.documentNumber, { today: opts.today });
  if (!check.ok) throw new CardReadError('chip_number_invalid', check.code);
  // The number carries the birth date (and, for GB 11643 numbers, the sex): the chip must agree with itself.
  if (check.birthDate !== undefined && check.birthDate !== facts.birthDate) {
    throw new CardReadError('chip_number_invalid', 'birth date differs from the number');
  }
  if (check.sex !== undefined && check.sex !== facts.sex) throw new CardReadError('chip_number_invalid', 'sex differs from the number');
  return { ...facts, documentNumber: check.value };
}

function parseResidentLayout(block: Buffer, documentType: 'resident_id' | 'hmt_residence_permit'): ChipCardFacts {
  const L = RESIDENT;
  const facts: ChipCardFacts = {
    documentType,
    name: required(block, L.name, 'name'),
    sex: chipSex(decodeField(block, L.sex)),
    birthDate: chipDate(decodeField(block, L.birthDate), 'birth date'),
    address: required(block, L.address, 'address'),
    documentNumber: required(block, L.number, 'number'),
    issuingAuthority: required(block, L.authority, 'issuing authority'),
    validFrom: chipDate(decodeField(block, L.validFrom), 'valid-from'),
    validTo: chipValidTo(decodeField(block, L.validTo)),
  };
  const nationCode = decodeField(block, L.nation);
  if (documentType === 'resident_id') {
    const name = nationName(nationCode);
    if (name === undefined) throw new CardReadError('bad_text_block', 'nation code');
    facts.nation = { code: nationCode, name };
  } else {
    const passNumber = decodeField(block, L.passNumber);
    const issueCount = decodeField(block, L.issueCount);
    if (passNumber !== '') {
      if (!/^[0-9A-Z]{8,18}$/.test(passNumber)) throw new CardReadError('bad_text_block', 'pass number');
      facts.passNumber = passNumber;
    }
    if (issueCount !== '') {
      if (!/^\d{1,2}$/.test(issueCount)) throw new CardReadError('bad_text_block', 'issue count');
      facts.issueCount = issueCount;
    }
  }
  if (facts.validTo !== 'long_term' && facts.validTo <= facts.validFrom) throw new CardReadError('bad_text_block', 'valid-to before valid-from');
  return facts;
}

function parseForeign2017(block: Buffer): ChipCardFacts {
  const L = FOREIGN_2017;
  const englishName = required(block, L.englishName, 'English name');
  const chineseName = decodeField(block, L.chineseName);
  const nationality = required(block, L.nationality, 'nationality');
  if (!/^[A-Z]{3}$/.test(nationality)) throw new CardReadError('bad_text_block', 'nationality');
  const authority = required(block, L.authority, 'issuing authority');
  if (!/^[0-9A-Z]{1,4}$/.test(authority)) throw new CardReadError('bad_text_block', 'issuing authority code');
  const facts: ChipCardFacts = {
    documentType: 'foreign_permanent_resident',
    name: chineseName === '' ? englishName : chineseName,
    englishName,
    sex: chipSex(decodeField(block, L.sex)),
    birthDate: chipDate(decodeField(block, L.birthDate), 'birth date'),
    documentNumber: required(block, L.number, 'number'),
    nationality,
    issuingAuthority: authority,
    validFrom: chipDate(decodeField(block, L.validFrom), 'valid-from'),
    validTo: chipValidTo(decodeField(block, L.validTo)),
  };
  if (facts.validTo !== 'long_term' && facts.validTo <= facts.validFrom) throw new CardReadError('bad_text_block', 'valid-to before valid-from');
  return facts;
}

// --- Writing a block: for simulators (tests, the preview's demo reader), never for a real card. ---

function put(block: Buffer, field: Field, value: string): void {
  if (value.length * 2 > field.length) throw new RangeError(`value too long for a ${field.length}-byte field`);
  for (let i = 0; i < field.length / 2; i += 1) {
    block.writeUInt16LE(i < value.length ? value.charCodeAt(i) : 0x20, field.offset + i * 2);
  }
}

const compactDate = (d: string): string => (d === 'long_term' ? LONG_TERM_ON_CHIP : d.replaceAll('-', ''));

/** The text block a card with these facts carries (no checks: simulators also write broken cards). */
export function buildTextBlock(facts: ChipCardFacts & { cardTypeChar?: string }): Buffer {
  const block = Buffer.alloc(TEXT_BLOCK_LENGTH);
  put(block, f(0, TEXT_BLOCK_LENGTH), '');
  const sex = facts.sex === 'M' ? '1' : '2';
  if (facts.documentType === 'foreign_permanent_resident') {
    const L = FOREIGN_2017;
    put(block, L.englishName, facts.englishName ?? facts.name);
    put(block, L.sex, sex);
    put(block, L.number, facts.documentNumber);
    put(block, L.nationality, facts.nationality ?? '');
    put(block, L.chineseName, facts.englishName === undefined ? '' : facts.name);
    put(block, L.validFrom, compactDate(facts.validFrom));
    put(block, L.validTo, compactDate(facts.validTo));
    put(block, L.birthDate, compactDate(facts.birthDate));
    put(block, L.version, '01');
    put(block, L.authority, facts.issuingAuthority);
    put(block, L.cardType, facts.cardTypeChar ?? 'I');
  } else {
    const L = RESIDENT;
    put(block, L.name, facts.name);
    put(block, L.sex, sex);
    put(block, L.nation, facts.nation?.code ?? '');
    put(block, L.birthDate, compactDate(facts.birthDate));
    put(block, L.address, facts.address ?? '');
    put(block, L.number, facts.documentNumber);
    put(block, L.authority, facts.issuingAuthority);
    put(block, L.validFrom, compactDate(facts.validFrom));
    put(block, L.validTo, compactDate(facts.validTo));
    put(block, L.passNumber, facts.passNumber ?? '');
    put(block, L.issueCount, facts.issueCount ?? '');
    put(block, L.cardType, facts.cardTypeChar ?? (facts.documentType === 'hmt_residence_permit' ? 'J' : ' '));
  }
  return block;
}
