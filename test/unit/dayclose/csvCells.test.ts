import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralizeCell, parseCsv, toCsv } from '../../../electron/core/dayclose/csvCells';

const FORMULA_STARTERS = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'];

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...FORMULA_STARTERS, '"', ',', "'", 'a', '张', ' ', '1'), maxLength: 12 }),
);

describe('neutralizing spreadsheet cells (OWASP CSV injection)', () => {
  it('puts an apostrophe before a cell a spreadsheet would run as a formula', () => {
    expect(neutralizeCell('=HYPERLINK("http://evil.example")')).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(neutralizeCell('+1+1')).toBe("'+1+1");
    expect(neutralizeCell('-2')).toBe("'-2");
    expect(neutralizeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeCell('\tcmd')).toBe("'\tcmd");
    expect(neutralizeCell('\r1')).toBe("'\r1");
    expect(neutralizeCell('\n1')).toBe("'\n1");
  });

  it('also catches the full-width forms a Chinese input method types', () => {
    expect(neutralizeCell('＝１＋１')).toBe("'＝１＋１");
    expect(neutralizeCell('＋86')).toBe("'＋86");
    expect(neutralizeCell('－1')).toBe("'－1");
    expect(neutralizeCell('＠A')).toBe("'＠A");
  });

  it('leaves ordinary cells alone, including a formula character later in the text', () => {
    for (const text of ['', '张*', '1101**********002X', '店铺转让=不再经营', "'=already", ' =x', '2026-11-25 09:00:00']) {
      expect(neutralizeCell(text)).toBe(text);
    }
  });

  it('for any text: unchanged when the first character is safe, prefixed when it is not, never a formula', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = neutralizeCell(text);
        const dangerous = FORMULA_STARTERS.includes(text.charAt(0));
        expect(result).toBe(dangerous ? `'${text}` : text);
        expect(FORMULA_STARTERS.includes(result.charAt(0))).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CSV files', () => {
  it('start with a UTF-8 BOM, end lines with CRLF, and quote per RFC 4180', () => {
    const bytes = toCsv(['申请编号', '说明'], [
      ['UD1', '他说"不用了"'],
      ['UD2', '店铺已转让, 不再经营'],
      ['UD3', '第一行\r\n第二行'],
      ['UD4', '=1+1'],
    ]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(
      '\uFEFF申请编号,说明\r\nUD1,"他说""不用了"""\r\nUD2,"店铺已转让, 不再经营"\r\nUD3,"第一行\r\n第二行"\r\nUD4,\'=1+1\r\n',
    );
  });

  it('read back by csv-parse give the cells, neutralized', () => {
    fc.assert(
      fc.property(fc.array(fc.array(anyText, { minLength: 3, maxLength: 3 }), { maxLength: 8 }), (rows) => {
        const text = toCsv(['a', 'b', 'c'], rows).toString('utf8');
        const parsed: string[][] = parse(text, { bom: true, relax_column_count: false });
        expect(parsed).toEqual([['a', 'b', 'c'], ...rows.map((row) => row.map(neutralizeCell))]);
      }),
      { numRuns: 500 },
    );
  });

  it('read back by the bundle checker the same way csv-parse reads them', () => {
    fc.assert(
      fc.property(fc.array(fc.array(anyText, { minLength: 2, maxLength: 2 }), { maxLength: 8 }), (rows) => {
        const text = toCsv(['a', 'b'], rows).toString('utf8');
        expect(parseCsv(text)).toEqual(parse(text, { bom: true }));
      }),
      { numRuns: 500 },
    );
  });

  it('the bundle checker refuses a malformed file rather than guess', () => {
    expect(parseCsv('a,"b\r\n')).toBeNull();
    expect(parseCsv('a,b"c\r\n')).toBeNull();
    expect(parseCsv('a,"b"c\r\n')).toBeNull();
    expect(parseCsv('a,b\rc\r\n')).toBeNull();
  });
});
