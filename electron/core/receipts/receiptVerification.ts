import { execFile } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { verifyCanonical } from '../crypto/signing';
import { pdfRevisionProblem, readDocumentInfo } from './pdfDocumentInfo';
import { checkPrintedFields } from './slipPageText';
import {
  PAYLOAD_INFO_KEY,
  readSlipPayload,
  receiptFields,
  SIGNATURE_INFO_KEY,
  splitReceiptQrText,
  type ReceiptFields,
  type SlipPayload,
} from './slipPayload';

/**
 * Offline verification of a slip (DESIGN.md, "Receipts"), for the CLI and head office. `verifySlipFile` is
 * the whole check branch IT runs: the file is in one piece (no incremental update, one information
 * dictionary), the QR code printed on every page is the signed payload and is the same on every page, the
 * metadata carries exactly that payload and signature, and every signed field the page prints says what the
 * payload says. `verifyReceipt` checks the metadata's signature alone, for slips the core reads back itself.
 */
export type ReceiptRejection =
  | 'receipt.not_a_slip'
  | 'receipt.payload_malformed'
  | 'receipt.payload_not_canonical'
  | 'receipt.signature_invalid'
  | 'receipt.qr_unreadable'
  | 'receipt.qr_mismatch'
  | 'receipt.multiple_info'
  | 'receipt.incremental_update'
  | 'receipt.printed_field_differs';

export type ReceiptVerification =
  | { ok: true; fields: ReceiptFields; payload: SlipPayload }
  /** `field` and `page` name the first printed field that differs from the payload. */
  | { ok: false; reason: ReceiptRejection; field?: string; page?: number };

/** The payload text and signature embedded in a slip's Info dictionary, or null if there are none. */
export function readReceipt(pdfBytes: Uint8Array): { payloadText: string; signature: string } | null {
  const info = readDocumentInfo(pdfBytes);
  const payloadText = info?.get(PAYLOAD_INFO_KEY);
  const signature = info?.get(SIGNATURE_INFO_KEY);
  return payloadText === undefined || signature === undefined ? null : { payloadText, signature };
}

export function verifyReceipt(pdfBytes: Uint8Array, publicKey: KeyObject, options: { qrPayload?: string } = {}): ReceiptVerification {
  const embedded = readReceipt(pdfBytes);
  if (!embedded) return { ok: false, reason: 'receipt.not_a_slip' };
  const verdict = verifySignedPayload(embedded.payloadText, embedded.signature, publicKey);
  if (!verdict.ok || options.qrPayload === undefined) return verdict;
  const scanned = splitReceiptQrText(options.qrPayload);
  if (!scanned) return { ok: false, reason: 'receipt.qr_unreadable' };
  if (scanned.payloadText !== embedded.payloadText || scanned.signature !== embedded.signature) {
    return { ok: false, reason: 'receipt.qr_mismatch' };
  }
  return verdict;
}

/** Verifies the text of a slip's QR code on its own: a paper slip scanned at another branch. */
export function verifyReceiptQr(qrText: string, publicKey: KeyObject): ReceiptVerification {
  const scanned = splitReceiptQrText(qrText);
  if (!scanned) return { ok: false, reason: 'receipt.qr_unreadable' };
  return verifySignedPayload(scanned.payloadText, scanned.signature, publicKey);
}

function verifySignedPayload(payloadText: string, signature: string, publicKey: KeyObject): ReceiptVerification {
  const reading = readSlipPayload(payloadText);
  if (!reading.ok) return reading;
  if (!verifyCanonical(publicKey, reading.payload, signature)) return { ok: false, reason: 'receipt.signature_invalid' };
  return { ok: true, fields: receiptFields(reading.payload), payload: reading.payload };
}

/**
 * The whole offline check of a slip file, the page first: what a customer holds is the paper, so the QR code
 * printed on it — on every page — is what is verified, and the metadata and the printed text must agree with it.
 */
export async function verifySlipFile(file: string, publicKey: KeyObject, options: { pdftoppm?: string } = {}): Promise<ReceiptVerification> {
  const pdf = await readFile(file);
  const revision = pdfRevisionProblem(pdf);
  if (revision) return { ok: false, reason: revision };
  const embedded = readReceipt(pdf);
  if (!embedded) return { ok: false, reason: 'receipt.not_a_slip' };
  // A file that carries a slip's metadata but is no readable PDF is not a slip either: a verdict, not a crash.
  const pages = await pdfPageCount(pdf).catch(() => null);
  if (pages === null) return { ok: false, reason: 'receipt.not_a_slip' };
  let qrText: string | null = null;
  for (let page = 1; page <= pages; page += 1) {
    const scanned = await readQrFromPdf(file, { ...options, page });
    if (scanned === null) return { ok: false, reason: 'receipt.qr_unreadable', page };
    if (qrText !== null && scanned !== qrText) return { ok: false, reason: 'receipt.qr_mismatch', page };
    qrText = scanned;
  }
  if (qrText === null) return { ok: false, reason: 'receipt.qr_unreadable' };
  const verdict = verifyReceiptQr(qrText, publicKey);
  if (!verdict.ok) return verdict;
  const scanned = splitReceiptQrText(qrText);
  if (!scanned || scanned.payloadText !== embedded.payloadText || scanned.signature !== embedded.signature) return { ok: false, reason: 'receipt.qr_mismatch' };
  const printed = await checkPrintedFields(pdf, verdict.payload);
  if (!printed.ok) return { ok: false, reason: 'receipt.printed_field_differs', field: printed.field, page: printed.page };
  return verdict;
}

async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  const { getDocumentProxy } = await import('unpdf');
  const doc = await getDocumentProxy(new Uint8Array(pdf), { stopAtErrors: true, verbosity: 0 });
  try {
    return doc.numPages;
  } finally {
    await doc.loadingTask.destroy();
  }
}

const runFile = promisify(execFile);

/**
 * The text of the QR code printed on a page (page 1 unless told), as a scanner would see it: the page is
 * rasterized with poppler's pdftoppm (on PATH) at 200 dpi, about 3 pixels per module, and decoded with jsQR.
 * A page that a print spooler re-rendered (cups-pdf turns a slip into a 300 dpi raster, shrunk into the printable
 * area) can defeat jsQR at one resolution and not at another, so it is tried in several ways, whole and then
 * window by window (findQr). Null when no code can be read.
 */
export async function readQrFromPdf(file: string, options: { pdftoppm?: string; page?: number } = {}): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'unbinddesk-qr-'));
  const page = String(options.page ?? 1);
  const rendered = new Map<string, { pixels: Uint8ClampedArray; width: number; height: number }>();
  // A page at `dpi`, softened by a box blur of radius `blur` (0: as rendered).
  const render = async (dpi: number, blur: number) => {
    const known = rendered.get(`${dpi}/${blur}`);
    if (known) return known;
    if (!rendered.has(`${dpi}/0`)) {
      await runFile(options.pdftoppm ?? 'pdftoppm', ['-r', String(dpi), '-png', '-f', page, '-l', page, '-singlefile', file, join(dir, `page-${dpi}`)]);
      const image = PNG.sync.read(await readFile(join(dir, `page-${dpi}.png`)));
      rendered.set(`${dpi}/0`, { pixels: new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), width: image.width, height: image.height });
    }
    const sharp = rendered.get(`${dpi}/0`);
    if (!sharp) throw new Error('page not rendered');
    if (blur === 0) return sharp;
    const blurred = { ...sharp, pixels: boxBlur(sharp.pixels, sharp.width, sharp.height, blur) };
    rendered.set(`${dpi}/${blur}`, blurred);
    return blurred;
  };
  // 200 dpi first (a slip as pdfkit wrote it decodes there at once). Then 300 dpi softened by a 5 × 5 box blur: a
  // raster whose modules are 3 or 4 dots wide by turns (a 300 dpi printer's, or a scan) decodes once the dots'
  // edges are averaged out. Then other resolutions, then the same window by window; last, a lighter and a heavier
  // softening (a printed reprint's denser code on cups-pdf's 300 dpi raster did not always decode with the 5 × 5).
  const attempts: [number, number, boolean][] = [
    [200, 0, false],
    [300, 2, false],
    [150, 0, false],
    [250, 0, false],
    [200, 0, true],
    [150, 0, true],
    [300, 2, true],
    [300, 1, false],
    [600, 4, false],
    [600, 3, false],
  ];
  try {
    for (const [dpi, blur, windows] of attempts) {
      const { pixels, width, height } = await render(dpi, blur);
      const found = findQr(pixels, width, height, { windows });
      if (found) return found;
    }
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * jsQR over the whole page, or (`windows`) over parts of it: a page re-rendered by a spooler can show jsQR a false
 * finder pattern elsewhere, so it is searched in full-width bands a little taller than wide (the roll), then in
 * square tiles about half the page wide, each a quarter past the last.
 */
export function findQr(pixels: Uint8ClampedArray, width: number, height: number, options: { windows: boolean }): string | null {
  const scan = (data: Uint8ClampedArray, w: number, h: number) => jsQR(data, w, h, { inversionAttempts: 'dontInvert' })?.data ?? null;
  if (!options.windows) return scan(pixels, width, height);
  const windows = (size: number, total: number) => {
    const starts: number[] = [];
    for (let start = 0; ; start += Math.ceil(size / 4)) {
      starts.push(Math.min(start, Math.max(0, total - size)));
      if (start + size >= total) return starts;
    }
  };
  const band = Math.min(height, Math.ceil(width * 1.3));
  for (const top of windows(band, height)) {
    const found = scan(pixels.subarray(top * width * 4, (top + band) * width * 4), width, band);
    if (found) return found;
  }
  const tile = Math.ceil(Math.min(width, height) * 0.55);
  for (const top of windows(tile, height))
    for (const left of windows(tile, width)) {
      const data = new Uint8ClampedArray(tile * tile * 4);
      for (let row = 0; row < tile; row++) data.set(pixels.subarray(((top + row) * width + left) * 4, ((top + row) * width + left + tile) * 4), row * tile * 4);
      const found = scan(data, tile, tile);
      if (found) return found;
    }
  return null;
}

/** A (2r+1)² box blur of an RGBA raster's grey level, by running sums along rows then columns. */
function boxBlur(pixels: Uint8ClampedArray, width: number, height: number, r: number): Uint8ClampedArray {
  const grey = new Float32Array(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = pixels[i * 4] ?? 255;
  const pass = (source: Float32Array, along: 'row' | 'column') => {
    const out = new Float32Array(source.length);
    const [lines, length] = along === 'row' ? [height, width] : [width, height];
    const at = (line: number, k: number) => (along === 'row' ? line * width + k : k * width + line);
    for (let line = 0; line < lines; line++) {
      let sum = 0;
      let count = 0;
      for (let k = 0; k < Math.min(r, length); k++) {
        sum += source[at(line, k)] ?? 0;
        count++;
      }
      for (let k = 0; k < length; k++) {
        if (k + r < length) {
          sum += source[at(line, k + r)] ?? 0;
          count++;
        }
        if (k - r - 1 >= 0) {
          sum -= source[at(line, k - r - 1)] ?? 0;
          count--;
        }
        out[at(line, k)] = sum / count;
      }
    }
    return out;
  };
  const blurred = pass(pass(grey, 'row'), 'column');
  const rgba = new Uint8ClampedArray(pixels.length);
  for (let i = 0; i < blurred.length; i++) {
    const value = blurred[i] ?? 255;
    rgba[i * 4] = value;
    rgba[i * 4 + 1] = value;
    rgba[i * 4 + 2] = value;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}
