import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toChipRead, samIdToString } from '../../../electron/core/cardReader/chipRead';
import { CardReadError } from '../../../electron/core/cardReader/errors';
import { SYNTHETIC_CARDS } from '../../../electron/core/cardReader/syntheticCards';
import { buildTextBlock, parseTextBlock, TEXT_BLOCK_LENGTH } from '../../../electron/core/cardReader/textBlock';

const TODAY = '2026-12-02';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CardReadError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('the chip text block', () => {
  it('reads a resident ID card: name, sex, nation by name, birth date, address, number, authority, validity', () => {
    const facts = parseTextBlock(SYNTHETIC_CARDS.resident.textBlock, { today: TODAY });
    expect(facts).toEqual({
      documentType: 'resident_id',
      name: '周建国',
      sex: 'M',
      nation: { code: '01', name: '汉' },
      birthDate: '1985-03-12',
      address: '北京市朝阳区示例路1号院2号楼301室',
      documentNumber: SYNTHETIC_CARDS.resident.facts.documentNumber,
      issuingAuthority: '北京市公安局朝阳分局',
      validFrom: '2015-06-01',
      validTo: '2035-06-01',
    });
    expect(facts.documentNumber).toMatch(/^110105198503121\d{2}[\dX]$/);
  });

  it('reads 长期 as a long-term card, and the nation code 03 as 回', () => {
    const facts = parseTextBlock(SYNTHETIC_CARDS.longTerm.textBlock, { today: TODAY });
    expect(facts.validTo).toBe('long_term');
    expect(facts.nation).toEqual({ code: '03', name: '回' });
    expect(facts.sex).toBe('F');
  });

  it('reads an HMT residence permit (type J at byte 248) with its pass number and issue count', () => {
    const block = SYNTHETIC_CARDS.hmt.textBlock;
    expect(block.readUInt16LE(248)).toBe('J'.charCodeAt(0));
    const facts = parseTextBlock(block, { today: TODAY });
    expect(facts.documentType).toBe('hmt_residence_permit');
    expect(facts.documentNumber.startsWith('810000')).toBe(true);
    expect(facts.passNumber).toBe('H12345678');
    expect(facts.issueCount).toBe('01');
    expect(facts.nation).toBeUndefined();
  });

  it('reads a 2017 foreign permanent resident card (type I): Chinese name, English name, nationality', () => {
    const facts = parseTextBlock(SYNTHETIC_CARDS.foreign.textBlock, { today: TODAY });
    expect(facts).toMatchObject({
      documentType: 'foreign_permanent_resident',
      name: '史密斯',
      englishName: 'JOHN ADAM SMITH',
      nationality: 'GBR',
      birthDate: '1980-04-15',
      sex: 'M',
      issuingAuthority: '1500',
    });
    expect(facts.documentNumber).toMatch(/^GBR1100800415\d\d$/);
  });

  it('refuses a chip whose number fails its check digit: an error, not a fill', () => {
    expect(codeOf(() => parseTextBlock(SYNTHETIC_CARDS.badNumber.textBlock, { today: TODAY }))).toBe('chip_number_invalid');
  });

  it('refuses a chip whose birth date or sex disagrees with its own number', () => {
    const f = SYNTHETIC_CARDS.resident.facts;
    expect(codeOf(() => parseTextBlock(buildTextBlock({ ...f, birthDate: '1985-03-13' }), { today: TODAY }))).toBe('chip_number_invalid');
    expect(codeOf(() => parseTextBlock(buildTextBlock({ ...f, sex: 'F' }), { today: TODAY }))).toBe('chip_number_invalid');
  });

  it('refuses an unknown card type (the 2023 foreign card, Y) rather than guessing its layout', () => {
    expect(codeOf(() => parseTextBlock(SYNTHETIC_CARDS.unknownType.textBlock, { today: TODAY }))).toBe('unknown_card_type');
  });

  it('refuses blocks of the wrong length, unknown nation codes, bad dates, bad sex codes, hidden characters', () => {
    const f = SYNTHETIC_CARDS.resident.facts;
    const block = SYNTHETIC_CARDS.resident.textBlock;
    expect(codeOf(() => parseTextBlock(block.subarray(0, 255), { today: TODAY }))).toBe('bad_text_block');
    expect(codeOf(() => parseTextBlock(Buffer.concat([block, Buffer.alloc(2)]), { today: TODAY }))).toBe('bad_text_block');
    expect(codeOf(() => parseTextBlock(buildTextBlock({ ...f, nation: { code: '77', name: '' } }), { today: TODAY }))).toBe('bad_text_block');
    expect(codeOf(() => parseTextBlock(buildTextBlock({ ...f, validTo: '2035-02-30' }), { today: TODAY }))).toBe('bad_text_block');
    expect(codeOf(() => parseTextBlock(buildTextBlock({ ...f, name: '周\u202E国' }), { today: TODAY }))).toBe('bad_text_block');
    expect(codeOf(() => parseTextBlock(buildTextBlock({ ...f, name: '' }), { today: TODAY }))).toBe('bad_text_block');
    const badSex = Buffer.from(block);
    badSex.writeUInt16LE('9'.charCodeAt(0), 30);
    expect(codeOf(() => parseTextBlock(badSex, { today: TODAY }))).toBe('bad_text_block');
    const surrogate = Buffer.from(block);
    surrogate.writeUInt16LE(0xd800, 2);
    expect(codeOf(() => parseTextBlock(surrogate, { today: TODAY }))).toBe('bad_text_block');
  });

  it('never throws anything but a CardReadError on arbitrary 256-byte blocks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: TEXT_BLOCK_LENGTH, maxLength: TEXT_BLOCK_LENGTH }), (bytes) => {
        try {
          parseTextBlock(Buffer.from(bytes), { today: TODAY });
        } catch (e) {
          expect(e).toBeInstanceOf(CardReadError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('mutating any single byte of a good block either still parses or fails as a CardReadError', () => {
    const block = SYNTHETIC_CARDS.resident.textBlock;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const copy = Buffer.from(block);
        copy[at] = value;
        try {
          const facts = parseTextBlock(copy, { today: TODAY });
          expect(facts.documentNumber).toMatch(/^\d{17}[\dX]$/);
        } catch (e) {
          expect(e).toBeInstanceOf(CardReadError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('evidence of a read', () => {
  it('keeps SHA-256 of the text block and the photo, the SAM id and the read time; not the photo', () => {
    const card = SYNTHETIC_CARDS.resident;
    const read = toChipRead(
      { textBlock: card.textBlock, photo: card.photo, samId: '05.01-20101216-0016541549-2212183410' },
      { kind: 'serial', now: new Date('2026-12-02T09:30:00Z'), today: TODAY, readId: 'r1' },
    );
    expect(read.evidence).toEqual({
      readerKind: 'serial',
      samId: '05.01-20101216-0016541549-2212183410',
      readAt: '2026-12-02T09:30:00.000Z',
      textSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      photoSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(read.evidence.textSha256).not.toBe(read.evidence.photoSha256);
    expect(JSON.stringify(read.evidence)).not.toContain(card.facts.documentNumber);
  });

  it('refuses a photo of the wrong length and a SAM id with unprintable bytes', () => {
    const card = SYNTHETIC_CARDS.resident;
    const ctx = { kind: 'serial' as const, now: new Date(), today: TODAY, readId: 'r' };
    expect(codeOf(() => toChipRead({ textBlock: card.textBlock, photo: card.photo.subarray(1), samId: '05.01' }, ctx))).toBe('bad_frame');
    expect(codeOf(() => toChipRead({ textBlock: card.textBlock, photo: card.photo, samId: '05\n01' }, ctx))).toBe('sam_error');
  });

  it('prints the SAM id the way vendors do', () => {
    const raw = Buffer.alloc(16);
    raw.writeUInt16LE(5, 0);
    raw.writeUInt16LE(1, 2);
    raw.writeUInt32LE(20101216, 4);
    raw.writeUInt32LE(16541549, 8);
    raw.writeUInt32LE(2212183410, 12);
    expect(samIdToString(raw)).toBe('05.01-20101216-0016541549-2212183410');
  });
});
