import { execFile } from 'node:child_process';
import type { KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { verifyCanonical } from '../crypto/signing';
import { readDocumentInfo } from './pdfDocumentInfo';
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
 * Offline verification of a slip (DESIGN.md, "Receipts"), for the CLI and head office: the payload in
 * the PDF's metadata must be the canonical text the branch key signed, and, when the printed QR code
 * was read too, the QR must carry exactly that payload and signature.
 *
 * What this proves is that the branch issued a slip with these fields. The signature covers the
 * payload, not the drawing of the page: compare the fields shown by the verifier with the paper.
 */
export type ReceiptRejection =
  | 'receipt.not_a_slip'
  | 'receipt.payload_malformed'
  | 'receipt.payload_not_canonical'
  | 'receipt.signature_invalid'
  | 'receipt.qr_unreadable'
  | 'receipt.qr_mismatch';

export type ReceiptVerification = { ok: true; fields: ReceiptFields; payload: SlipPayload } | { ok: false; reason: ReceiptRejection };

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

const runFile = promisify(execFile);

/**
 * The text of the QR code printed on page 1, as a scanner would see it: the page is rasterized with
 * poppler's pdftoppm (on PATH) at 200 dpi, about 3 pixels per module, and decoded with jsQR.
 * Null when no code can be read.
 */
export async function readQrFromPdf(file: string, options: { pdftoppm?: string } = {}): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'unbinddesk-qr-'));
  try {
    await runFile(options.pdftoppm ?? 'pdftoppm', ['-r', '200', '-png', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
    const image = PNG.sync.read(await readFile(join(dir, 'page.png')));
    const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
    return jsQR(pixels, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
