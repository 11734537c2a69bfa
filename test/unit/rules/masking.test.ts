import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskMobile, maskName } from '../../../shared/rules';

/** Positions of `masked` that show a character of the original (anything but '*'). */
function revealedPositions(masked: string, ignore: ReadonlySet<string> = new Set()): number[] {
  return Array.from(masked).flatMap((ch, i) => (ch !== '*' && !ignore.has(ch) ? [i] : []));
}

const anyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789X张欧阳 ·'), maxLength: 25 }),
);

describe('ID number mask', () => {
  it('shows the first 4 and last 4 of an 18-character number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('1101**********002X');
  });

  it('shows at most a quarter of a shorter number at each end, and nothing of a very short one', () => {
    expect(maskIdNumber('USA110085030413')).toBe('USA*********413');
    expect(maskIdNumber('M1234567801')).toBe('M1*******01');
    expect(maskIdNumber('H12345678')).toBe('H1*****78');
    expect(maskIdNumber('12345678')).toBe('1******8');
    expect(maskIdNumber('E1234')).toBe('E***4');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('');
  });

  it('never reveals more than 4 characters at each end, nor more than half, for any input', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const chars = Array.from(value);
        const masked = maskIdNumber(value);
        const n = chars.length;
        expect(Array.from(masked)).toHaveLength(n);
        const shown = revealedPositions(masked);
        expect(shown.length).toBeLessThanOrEqual(Math.min(8, Math.floor(n / 2)));
        for (const i of shown) {
          expect(i < 4 || i >= n - 4).toBe(true);
          expect(Array.from(masked)[i]).toBe(chars[i]);
        }
        if (n <= 8) expect(shown.length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('mobile number mask', () => {
  it('shows the first 3 and last 4 of 11 digits', () => {
    expect(maskMobile('13812345678')).toBe('138****5678');
  });

  it('shows less of anything shorter', () => {
    expect(maskMobile('1381234')).toBe('1*****4');
    expect(maskMobile('138123456')).toBe('13*****56');
    expect(maskMobile('138')).toBe('***');
  });

  it('never reveals more than the first 3 and last 4, nor half of a short value, for any input', () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const n = Array.from(value).length;
        const masked = maskMobile(value);
        expect(Array.from(masked)).toHaveLength(n);
        const shown = revealedPositions(masked);
        expect(shown.length).toBeLessThanOrEqual(7);
        for (const i of shown) expect(i < 3 || i >= n - 4).toBe(true);
        if (n < 11) expect(shown.length).toBeLessThanOrEqual(Math.floor(n / 2));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('name mask', () => {
  it('keeps the family name and masks each other character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('王建国')).toBe('王**');
  });

  it('keeps both characters of a compound family name', () => {
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('司马光')).toBe('司马*');
    expect(maskName('诸葛孔明')).toBe('诸葛**');
    expect(maskName('歐陽娜')).toBe('歐陽*');
  });

  it('never shows a whole name', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('欧阳')).toBe('欧*');
    expect(maskName('')).toBe('');
  });

  it('keeps the first letter of a non-Han name and the word separators', () => {
    expect(maskName('JOHN SMITH')).toBe('J*** *****');
    expect(maskName('阿依古丽·买买提')).toBe('阿***·***');
  });

  it('never reveals more than the family name, nor a whole name, for any input', () => {
    const separators = new Set([' ', '\u3000', '·']);
    fc.assert(
      fc.property(anyString, (value) => {
        const chars = Array.from(value);
        const masked = Array.from(maskName(value));
        expect(masked).toHaveLength(chars.length);
        const letters = chars.filter((ch) => !separators.has(ch)).length;
        const shown = revealedPositions(masked.join(''), separators);
        expect(shown.length).toBeLessThanOrEqual(2);
        if (letters > 0) expect(shown.length).toBeLessThan(letters);
        // Only the leading letters are shown, never one from later in the name.
        const leading = chars.flatMap((ch, i) => (separators.has(ch) ? [] : [i])).slice(0, shown.length);
        expect(shown).toEqual(leading.filter((i) => masked[i] !== '*'));
      }),
      { numRuns: 1000 },
    );
  });
});
