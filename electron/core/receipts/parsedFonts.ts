import PDFDocument from 'pdfkit';
import { loadCjkFonts } from './fonts';

/**
 * The CJK fonts as fontkit parsed them, once per process. pdfkit would otherwise re-parse 10 MB of
 * font tables for every slip (≈ 70 % of its time); it accepts an already parsed font in place of the
 * file, and the parsed font also says which characters it can draw (glyphCoverage.ts).
 */
export interface ParsedFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
  layout(text: string): unknown;
}

export interface ParsedCjkFonts {
  regular: ParsedFont;
  bold: ParsedFont;
}

interface PdfkitInternals {
  _font?: { font?: Partial<ParsedFont> };
}

const parsed = new WeakMap<Buffer, ParsedFont>();

export function parsedCjkFonts(resourcesDir?: string): ParsedCjkFonts {
  const files = loadCjkFonts(resourcesDir);
  return { regular: parse(files.regular), bold: parse(files.bold) };
}

/** What pdfkit's registerFont accepts for an already parsed font (its types only name files). */
export function asFontSource(font: ParsedFont): PDFKit.Mixins.PDFFontSource {
  return font as unknown as PDFKit.Mixins.PDFFontSource;
}

function parse(file: Buffer): ParsedFont {
  const cached = parsed.get(file);
  if (cached) return cached;
  // pdfkit parses with its own copy of fontkit; a scratch document hands the parsed font over. It is
  // not a public API, so fail loudly if an upgrade moves it.
  const scratch = new PDFDocument({ autoFirstPage: false });
  scratch.font(file);
  const font = (scratch as unknown as PdfkitInternals)._font?.font;
  if (typeof font?.hasGlyphForCodePoint !== 'function' || typeof font.layout !== 'function') {
    throw new Error('pdfkit no longer exposes the parsed font: fonts cannot be shared or checked for glyphs');
  }
  const complete = font as ParsedFont;
  parsed.set(file, complete);
  return complete;
}
