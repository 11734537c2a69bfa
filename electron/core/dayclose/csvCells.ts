// Cells of the day's sheets: safe to open in Excel or WPS, readable by any RFC 4180 parser.

/**
 * First characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection"), with the
 * full-width forms a Chinese IME types, which WPS and Excel also accept as formula starters.
 */
const FORMULA_STARTERS = new Set(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠']);

/** Prefixes a leading apostrophe when the cell would start a formula; otherwise the text is unchanged. */
export function neutralizeCell(text: string): string {
  return text.length > 0 && FORMULA_STARTERS.has(text.charAt(0)) ? `'${text}` : text;
}

/**
 * A count by code, keyed as the CSV's cells spell the codes (labels, neutralized), so that counts stated in a
 * manifest can be compared with the counts a verifier adds up from the CSV's rows. Zero counts are dropped.
 */
export function countsByCell(counts: Record<string, number>, cell: (code: string) => string): Record<string, number> {
  const shown: Record<string, number> = {};
  for (const [code, n] of Object.entries(counts)) {
    if (n === 0) continue;
    const key = neutralizeCell(cell(code));
    shown[key] = (shown[key] ?? 0) + n;
  }
  return shown;
}

const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 §2: a field with a quote, comma or line break is quoted, its quotes doubled. */
function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const BOM = '\uFEFF';

/**
 * A CSV file: UTF-8 with a BOM (without it Excel on a Chinese Windows reads the file as GBK and garbles
 * every name), CRLF line ends (RFC 4180), every cell neutralized, so no caller can forget to.
 */
export function toCsv(header: readonly string[], rows: Iterable<readonly string[]>): Buffer {
  const lines: string[] = [header.map((cell) => csvField(neutralizeCell(cell))).join(',')];
  for (const row of rows) lines.push(row.map((cell) => csvField(neutralizeCell(cell))).join(','));
  return Buffer.from(BOM + lines.join('\r\n') + '\r\n', 'utf8');
}

/**
 * Reads back a file written by toCsv (RFC 4180, optional BOM, CRLF or LF), for checking a bundle
 * where no CSV library ships with the app. Returns null for a malformed file rather than guessing.
 */
export function parseCsv(text: string): string[][] | null {
  const records: string[][] = [];
  let record: string[] = [];
  let i = text.startsWith(BOM) ? 1 : 0;
  const length = text.length;
  // At the start of a field: i points at its first character (or at the end of the text).
  for (;;) {
    let field: string;
    const quoted = text.charCodeAt(i) === QUOTE;
    if (quoted) {
      // Quoted field: runs to the next lone quote; "" is a quote inside it.
      field = '';
      i += 1;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) return null;
        field += text.slice(i, quote);
        if (text.charCodeAt(quote + 1) === QUOTE) {
          field += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      if (i < length) {
        const next = text.charCodeAt(i);
        if (next !== COMMA && next !== CR && next !== LF) return null;
      }
    } else {
      // Unquoted field: up to the next comma or line end, taken in one slice; a quote inside it is malformed.
      const start = i;
      while (i < length) {
        const code = text.charCodeAt(i);
        if (code === COMMA || code === CR || code === LF) break;
        if (code === QUOTE) return null;
        i += 1;
      }
      field = text.slice(start, i);
    }
    record.push(field);
    if (i >= length) {
      // The last record has no line end: kept unless the text ended right after one (nothing after it).
      if (record.length > 1 || field !== '' || quoted) records.push(record);
      return records;
    }
    const code = text.charCodeAt(i);
    if (code === COMMA) {
      i += 1;
      continue;
    }
    // A line end: CRLF or LF; a lone CR is malformed.
    if (code === CR) {
      if (text.charCodeAt(i + 1) !== LF) return null;
      i += 2;
    } else {
      i += 1;
    }
    records.push(record);
    record = [];
    if (i >= length) return records;
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;
