import { describe, expect, it } from 'vitest';
import { MISSING_GLYPH_SUBSTITUTE, withVisibleGlyphs } from '../../../electron/core/receipts/glyphCoverage';
import { breakLines } from '../../../electron/core/receipts/lineBreaking';
import { parsedCjkFonts } from '../../../electron/core/receipts/parsedFonts';
import { RISK_WARNINGS, SLIP_TITLE, slipContent } from '../../../electron/core/receipts/slipSections';
import { sampleSlipModel } from './slipFixtures';

// Every character one unit wide (Latin letters half a unit), so widths can be counted by eye.
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\x20-\x7e]/.test(ch) ? 0.5 : 1), 0);

describe('breaking slip text into lines', () => {
  it('breaks Chinese between characters', () => {
    expect(breakLines('本回执仅证明已受理', 4, width)).toEqual(['本回执仅', '证明已受', '理']);
  });

  it('never starts a line with closing punctuation nor ends one with opening punctuation', () => {
    const lines = breakLines('请勿出租，出借（或出售）机具。', 5, width);
    for (const line of lines) {
      expect(line).not.toMatch(/^[，。）]/);
      expect(line).not.toMatch(/（$/);
    }
    expect(lines.join('')).toBe('请勿出租，出借（或出售）机具。');
  });

  it('keeps numbers and codes whole when they fit on a line', () => {
    expect(breakLines('商户 102310158120045 终端', 8, width)).toEqual(['商户', '102310158120045', '终端']);
  });

  it('splits a code longer than a line rather than overflow', () => {
    const lines = breakLines('PAX-A920PRO-0123456789ABCDEFGH-Z', 8, width);
    expect(lines.join('')).toBe('PAX-A920PRO-0123456789ABCDEFGH-Z');
    for (const line of lines) expect(width(line)).toBeLessThanOrEqual(8);
  });
});

describe('characters the slip font lacks', () => {
  const fonts = parsedCjkFonts();
  const covers = (cp: number) => fonts.regular.hasGlyphForCodePoint(cp) && fonts.bold.hasGlyphForCodePoint(cp);

  it('replaces a rare name character such as 𪚥 or 𠀋 with a visible substitute', () => {
    expect(withVisibleGlyphs('𪚥*', covers)).toEqual({ text: `${MISSING_GLYPH_SUBSTITUTE}*`, substituted: true });
    expect(withVisibleGlyphs('𠀋**', covers)).toEqual({ text: '?**', substituted: true });
  });

  it('leaves common and compound-surname names alone', () => {
    expect(withVisibleGlyphs('欧阳**', covers)).toEqual({ text: '欧阳**', substituted: false });
    expect(withVisibleGlyphs('阿依古丽·*****', covers)).toEqual({ text: '阿依古丽·*****', substituted: false });
  });

  it('can draw every fixed word of the slip in both weights', () => {
    const fixed = slipContent(sampleSlipModel(), 'customer');
    const wording = [SLIP_TITLE, ...RISK_WARNINGS, fixed.statusNote, fixed.confirmation, fixed.qrCaption, fixed.partNote, fixed.printLine];
    for (const section of fixed.sections) wording.push(section.heading, ...section.fields.map((f) => `${f.label}：${f.value}`));
    for (const text of wording) expect(withVisibleGlyphs(text, covers).substituted, text).toBe(false);
  });
});
