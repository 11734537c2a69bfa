/**
 * A character the embedded font has no glyph for prints as an empty box or as nothing at all: on a
 * slip that would silently change a name. Such characters are replaced by a visible '?' and the
 * slip reports `slip.missing_glyph`, so the teller can write the character by hand.
 */
export const MISSING_GLYPH_SUBSTITUTE = '?';
export const MISSING_GLYPH_WARNING = 'slip.missing_glyph';

export type GlyphCoverage = (codePoint: number) => boolean;

export function withVisibleGlyphs(text: string, covers: GlyphCoverage): { text: string; substituted: boolean } {
  let substituted = false;
  let out = '';
  for (const ch of text) {
    const codePoint = ch.codePointAt(0) ?? 0;
    if (covers(codePoint)) {
      out += ch;
    } else {
      out += MISSING_GLYPH_SUBSTITUTE;
      substituted = true;
    }
  }
  return { text: out, substituted };
}
