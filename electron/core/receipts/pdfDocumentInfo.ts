/**
 * Reads the text entries of a PDF's document information dictionary (ISO 32000-1 §14.3.3), enough of
 * PDF to get a slip's payload back without a PDF library: the trailer's /Info reference, that object's
 * dictionary, and string values written directly or as indirect objects, which is how pdfkit writes
 * them. When a key or object is defined more than once (incremental updates), the last one counts, as
 * in a viewer.
 */
export function readDocumentInfo(pdf: Uint8Array): Map<string, string> | null {
  // latin1 maps each byte to one UTF-16 unit, so offsets in the text are offsets in the file.
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const infoRef = lastMatch(text, /\/Info\s+(\d+)\s+(\d+)\s+R/g);
  if (!infoRef) return null;
  const info = objectValue(text, Number(infoRef[1]), Number(infoRef[2]));
  if (!(info instanceof Map)) return null;
  const entries = new Map<string, string>();
  for (const [key, value] of info) {
    const resolved = value instanceof IndirectRef ? objectValue(text, value.num, value.gen) : value;
    if (resolved instanceof PdfString) entries.set(key, resolved.decode());
  }
  return entries;
}

class IndirectRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

class PdfString {
  constructor(readonly bytes: Uint8Array) {}

  /** Text strings are UTF-16BE with a byte-order mark, or PDFDocEncoding (ASCII for everything we write). */
  decode(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      const units = Buffer.from(b.subarray(2));
      if (units.length % 2 === 1) return '\uFFFD';
      return units.swap16().toString('utf16le');
    }
    return Buffer.from(b).toString('latin1');
  }
}

type PdfValue = Map<string, PdfValue> | PdfValue[] | PdfString | IndirectRef | string | number | boolean | null;

function lastMatch(text: string, pattern: RegExp): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) last = m;
  return last;
}

function objectValue(text: string, num: number, gen: number): PdfValue | undefined {
  const header = lastMatch(text, new RegExp(`(?<![0-9])${num}\\s+${gen}\\s+obj\\b`, 'g'));
  if (!header) return undefined;
  try {
    return new Parser(text, header.index + header[0].length).value();
  } catch {
    return undefined;
  }
}

const WHITESPACE = new Set(['\0', '\t', '\n', '\f', '\r', ' ']);
const DELIMITERS = new Set(['(', ')', '<', '>', '[', ']', '{', '}', '/', '%']);
const ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c, '(': 0x28, ')': 0x29, '\\': 0x5c };

class Parser {
  constructor(
    private readonly text: string,
    private pos: number,
  ) {}

  value(): PdfValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) throw new SyntaxError('end of file');
    if (this.text.startsWith('<<', this.pos)) return this.dictionary();
    if (c === '<') return this.hexString();
    if (c === '(') return this.literalString();
    if (c === '[') return this.array();
    if (c === '/') return this.name();
    const token = this.token();
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    const n = Number(token);
    if (token === '' || Number.isNaN(n)) throw new SyntaxError(`unexpected token at ${this.pos}`);
    // "12 0 R" is a reference; look ahead without consuming anything else.
    const mark = this.pos;
    const ref = /^\s+(\d+)\s+R(?![^\0\t\n\f\r ()<>[\]{}/%])/.exec(this.text.slice(this.pos, this.pos + 32));
    if (ref && Number.isInteger(n)) {
      this.pos = mark + ref[0].length;
      return new IndirectRef(n, Number(ref[1]));
    }
    return n;
  }

  private dictionary(): Map<string, PdfValue> {
    this.pos += 2;
    const out = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('>>', this.pos)) {
        this.pos += 2;
        return out;
      }
      const key = this.value();
      if (typeof key !== 'string') throw new SyntaxError('dictionary key is not a name');
      out.set(key, this.value());
    }
  }

  private array(): PdfValue[] {
    this.pos += 1;
    const out: PdfValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']') {
        this.pos += 1;
        return out;
      }
      out.push(this.value());
    }
  }

  private name(): string {
    this.pos += 1;
    return this.token().replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }

  private hexString(): PdfString {
    const end = this.text.indexOf('>', this.pos);
    if (end < 0) throw new SyntaxError('unterminated hex string');
    let hex = this.text.slice(this.pos + 1, end).replace(/[\0\t\n\f\r ]/g, '');
    if (!/^[0-9A-Fa-f]*$/.test(hex)) throw new SyntaxError('bad hex string');
    if (hex.length % 2 === 1) hex += '0';
    this.pos = end + 1;
    return new PdfString(Buffer.from(hex, 'hex'));
  }

  private literalString(): PdfString {
    const bytes: number[] = [];
    let depth = 0;
    this.pos += 1;
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) throw new SyntaxError('unterminated string');
      if (c === '(') depth += 1;
      if (c === ')' && depth-- === 0) return new PdfString(Uint8Array.from(bytes));
      if (c !== '\\') {
        bytes.push(c.charCodeAt(0));
        continue;
      }
      const e = this.text[this.pos++];
      if (e === undefined) throw new SyntaxError('unterminated string');
      const escaped = ESCAPES[e];
      if (escaped !== undefined) {
        bytes.push(escaped);
      } else if (e >= '0' && e <= '7') {
        let octal = e;
        while (octal.length < 3 && /[0-7]/.test(this.text[this.pos] ?? '')) octal += this.text[this.pos++];
        bytes.push(parseInt(octal, 8) & 0xff);
      } else if (e === '\r') {
        if (this.text[this.pos] === '\n') this.pos += 1; // line continuation
      } else if (e !== '\n') {
        bytes.push(e.charCodeAt(0)); // an unknown escape stands for the character itself
      }
    }
  }

  private token(): string {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos] ?? '';
      if (WHITESPACE.has(c) || DELIMITERS.has(c)) break;
      this.pos += 1;
    }
    return this.text.slice(start, this.pos);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) return;
      if (WHITESPACE.has(c)) {
        this.pos += 1;
      } else if (c === '%') {
        while (this.pos < this.text.length && this.text[this.pos] !== '\n' && this.text[this.pos] !== '\r') this.pos += 1;
      } else {
        return;
      }
    }
  }
}

/**
 * Why a PDF is not a slip as the counter writes it, or null. pdfkit writes a slip in one piece: one
 * cross-reference section, one trailer, one document information dictionary. A second of any of them means
 * the file was added to afterwards (ISO 32000-1 §7.5.6, incremental updates) — for instance another request's
 * genuine payload appended under a page that shows the first — and a viewer and a verifier could then each
 * believe a different revision. Such a file is refused, not resolved.
 */
export function pdfRevisionProblem(pdf: Uint8Array): 'receipt.multiple_info' | 'receipt.incremental_update' | null {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const count = (pattern: RegExp) => [...text.matchAll(pattern)].length;
  const infoRefs = new Set([...text.matchAll(/\/Info\s+(\d+)\s+(\d+)\s+R/g)].map((m) => `${m[1]} ${m[2]}`));
  if (infoRefs.size > 1 || count(/\/UnbindDeskPayload\b/g) > 1) return 'receipt.multiple_info';
  if (count(/startxref/g) > 1 || count(/%%EOF/g) > 1 || /\/Prev\s+\d/.test(text)) return 'receipt.incremental_update';
  const objects = [...text.matchAll(/(?<![0-9])(\d+)\s+(\d+)\s+obj\b/g)].map((m) => `${m[1]} ${m[2]}`);
  if (new Set(objects).size !== objects.length) return 'receipt.incremental_update';
  return null;
}
