import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDocumentInfo } from '../../../electron/core/receipts/pdfDocumentInfo';
import { readQrFromPdf, readReceipt, verifyReceipt, verifyReceiptQr, verifySlipFile } from '../../../electron/core/receipts/receiptVerification';
import { renderSlip, type IssuedSlip } from '../../../electron/core/receipts/slipLayout';
import { slipPayloadText } from '../../../electron/core/receipts/slipPayload';
import { useTempDirs } from '../../support/tempDir';
import { branchKeys, decodeQr, pageOnePng, sampleSlipModel, withPdfFile } from './slipFixtures';

const tempDir = useTempDirs();

/** The same file with one run of bytes replaced by another of the same length. */
function altered(pdf: Buffer, from: string, to: string): Buffer {
  expect(to.length).toBe(from.length);
  const at = pdf.indexOf(Buffer.from(from, 'latin1'));
  expect(at).toBeGreaterThan(0);
  const copy = Buffer.from(pdf);
  copy.write(to, at, 'latin1');
  return copy;
}

function oneCharacterChanged(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('verifying a slip offline', () => {
  let slip: IssuedSlip;
  beforeAll(async () => {
    slip = await renderSlip(sampleSlipModel(), { layout: 'a5', parts: 'both', signingKey: branchKeys.privateKey });
  });

  it('reads the printed QR code back from page 1 as exactly the embedded payload and signature', async () => {
    const embedded = readReceipt(slip.pdf);
    expect(embedded).toEqual({ payloadText: slip.payloadText, signature: slip.signature });
    const file = join(tempDir(), 'slip.pdf');
    writeFileSync(file, slip.pdf);
    const scanned = await readQrFromPdf(file);
    expect(scanned).toBe(`UDR1.${slip.payloadText}.${slip.signature}`);
    expect(scanned).toBe(slip.qrText);
  });

  it('accepts the genuine slip with its QR code and gives its fields back', () => {
    const result = verifyReceipt(slip.pdf, branchKeys.publicKey, { qrPayload: slip.qrText });
    expect(result).toMatchObject({
      ok: true,
      fields: {
        applicationNumber: '310101-01-20261125-0007',
        branchCode: '310101',
        businessDate: '2026-11-25',
        issuedAt: '2026-11-25 14:03:07',
        firstPrintedAt: '2026-11-25 14:03:07',
        printCount: 1,
        status: 'accepted',
        documentType: 'resident_id',
        documentNumberMasked: '1101**********002X',
        mobileMasked: '138****5678',
        merchantNumber: '102310158120045',
        terminalId: '31012345',
        terminalSerial: 'NL-SP930-00012345',
        tellerNo: '3101017',
        authorizerNo: '3101001',
        auditHead: { seq: 4817 },
      },
    });
  });

  it('accepts the compressed and the uncompressed file alike', async () => {
    const plain = await renderSlip(sampleSlipModel(), { layout: 'roll80', parts: 'customer', signingKey: branchKeys.privateKey, compress: false });
    expect(verifyReceipt(plain.pdf, branchKeys.publicKey).ok).toBe(true);
  });

  it('rejects a slip whose masked phone number was changed by one digit', () => {
    const forged = altered(slip.pdf, '"m":"138****5678"', '"m":"139****5678"');
    expect(verifyReceipt(forged, branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.signature_invalid' });
  });

  it('rejects a slip whose print count was changed in the metadata', () => {
    const forged = altered(slip.pdf, '"p":1,', '"p":3,');
    expect(verifyReceipt(forged, branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.signature_invalid' });
  });

  it('rejects a payload that means the same but is not the canonical text that was signed', () => {
    // The first two members swapped: the same meaning, the same length, not the canonical text.
    const [first = '', second = ''] = slipPayloadText(slip.payload).slice(1, -1).split(',"');
    const reordered = altered(slip.pdf, `{${first},"${second}`, `{"${second},${first}`);
    expect(verifyReceipt(reordered, branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.payload_not_canonical' });
  });

  it('rejects a payload that is no longer a slip payload', () => {
    expect(verifyReceipt(altered(slip.pdf, '{"a":', '["a":'), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.payload_malformed' });
    expect(verifyReceipt(altered(slip.pdf, '"s":"accepted"', '"s":"rejected"'), branchKeys.publicKey)).toEqual({
      ok: false,
      reason: 'receipt.payload_malformed',
    });
  });

  it('rejects a slip whose signature was changed by one character', () => {
    const forged = altered(slip.pdf, slip.signature, oneCharacterChanged(slip.signature, 10));
    expect(verifyReceipt(forged, branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.signature_invalid' });
  });

  it('rejects a genuine slip checked against another branch key', () => {
    const otherBranch = generateKeyPairSync('ed25519');
    expect(verifyReceipt(slip.pdf, otherBranch.publicKey)).toEqual({ ok: false, reason: 'receipt.signature_invalid' });
  });

  it('rejects a QR code that does not match the file, even by one character', () => {
    const index = slip.qrText.indexOf('138****5678');
    const changed = oneCharacterChanged(slip.qrText, index + 1);
    expect(verifyReceipt(slip.pdf, branchKeys.publicKey, { qrPayload: changed })).toEqual({ ok: false, reason: 'receipt.qr_mismatch' });
    expect(verifyReceipt(slip.pdf, branchKeys.publicKey, { qrPayload: 'https://example.com/' })).toEqual({ ok: false, reason: 'receipt.qr_unreadable' });
  });

  it('verifies a paper slip from its QR code alone', () => {
    expect(verifyReceiptQr(slip.qrText, branchKeys.publicKey)).toMatchObject({ ok: true, fields: { applicationNumber: '310101-01-20261125-0007' } });
    const changed = slip.qrText.replace('"p":1,', '"p":2,');
    expect(verifyReceiptQr(changed, branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.signature_invalid' });
  });

  it('says a PDF that is not a slip is not a slip', async () => {
    const doc = new PDFDocument({ info: { Title: '其他文件' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => doc.on('end', resolve));
    doc.end();
    await done;
    expect(verifyReceipt(Buffer.concat(chunks), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.not_a_slip' });
    expect(verifyReceipt(Buffer.from('not a pdf'), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.not_a_slip' });
  });
});

describe('the QR code of the 80 mm roll slip', () => {
  it('scans from the bottom of the page as the embedded payload and signature', async () => {
    const reprint = await renderSlip(sampleSlipModel({ printCount: 3, issuedAt: '2026-11-27 10:00:00' }), {
      layout: 'roll80',
      parts: 'customer',
      signingKey: branchKeys.privateKey,
    });
    // 150 dpi still gives the roll's 0.55 mm modules over 3 pixels each.
    expect(decodeQr(pageOnePng(reprint.pdf, 150))).toBe(reprint.qrText);
    expect(verifyReceipt(reprint.pdf, branchKeys.publicKey, { qrPayload: reprint.qrText })).toMatchObject({
      ok: true,
      fields: { printCount: 3, firstPrintedAt: '2026-11-25 14:03:07', issuedAt: '2026-11-27 10:00:00' },
    });
  });
});

describe('reading the document information of a PDF', () => {
  it('reads what poppler reads, escapes and Chinese included', async () => {
    const doc = new PDFDocument({ info: { Title: '回执 (副本) \\ 第2页', Author: 'a)b(c', Keywords: 'ASCII only' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((resolve) => doc.on('end', resolve));
    doc.end();
    await done;
    const pdf = Buffer.concat(chunks);
    const info = readDocumentInfo(pdf);
    expect(info?.get('Title')).toBe('回执 (副本) \\ 第2页');
    expect(info?.get('Author')).toBe('a)b(c');
    const poppler = withPdfFile(pdf, (file) => execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' }));
    expect(poppler).toContain(`Title:           ${info?.get('Title')}`);
    expect(poppler).toContain(`Keywords:        ${info?.get('Keywords')}`);
  });

  it('agrees with poppler on the slip payload', async () => {
    const slip = await renderSlip(sampleSlipModel(), { layout: 'a5', parts: 'customer', signingKey: branchKeys.privateKey });
    const poppler = withPdfFile(slip.pdf, (file) => execFileSync('/usr/bin/pdfinfo', ['-custom', file], { encoding: 'utf8' }));
    expect(poppler).toContain(`UnbindDeskPayload:${readDocumentInfo(slip.pdf)?.get('UnbindDeskPayload')}`);
  });
});

/** The ToUnicode maps of every font in an uncompressed PDF: glyph code (4 hex digits) → character. */
function toUnicodeMaps(pdf: Buffer): Map<string, string>[] {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/beginbfrange\s*([\s\S]*?)endbfrange/g)].map((block) => {
    const map = new Map<string, string>();
    for (const range of (block[1] ?? '').matchAll(/<([0-9a-f]{4})>\s*<[0-9a-f]{4}>\s*\[([^\]]*)\]/gi)) {
      const start = parseInt(range[1] ?? '0', 16);
      [...(range[2] ?? '').matchAll(/<([0-9a-f]+)>/gi)].forEach((unicode, i) => {
        map.set((start + i).toString(16).padStart(4, '0'), String.fromCharCode(parseInt(unicode[1] ?? '0', 16)));
      });
    }
    return map;
  });
}

/**
 * A genuine slip with a printed value changed on every page, as a forger with a text editor would: each text
 * run that shows `from` is re-encoded, glyph by glyph, to show `to`; metadata and QR are left alone.
 */
function withPrintedValueChanged(pdf: Buffer, from: string, to: string): Buffer {
  let text = pdf.toString('latin1');
  let changed = 0;
  for (const map of toUnicodeMaps(pdf)) {
    const codeOf = new Map([...map].map(([code, ch]) => [ch, code]));
    text = text.replace(/<([0-9a-f]+)>(\s*0\]\s*TJ)/g, (whole, hex: string, tail: string) => {
      const shown = (hex.match(/.{4}/g) ?? []).map((code) => map.get(code) ?? '\uFFFD').join('');
      if (shown !== from) return whole;
      changed += 1;
      return `<${Array.from(to).map((ch) => codeOf.get(ch) ?? '????').join('')}>${tail}`;
    });
  }
  expect(changed).toBeGreaterThanOrEqual(2);
  return Buffer.from(text, 'latin1');
}

/** Appends an incremental update (ISO 32000-1 §7.5.6) with a new information dictionary or any new object. */
function withIncrementalUpdate(pdf: Buffer, newObject: string, info: 'new' | 'same'): Buffer {
  const text = pdf.toString('latin1');
  const root = /\/Root\s+(\d+\s+\d+\s+R)/.exec(text)?.[1];
  const oldInfo = [...text.matchAll(/\/Info\s+(\d+\s+\d+\s+R)/g)].at(-1)?.[1];
  const prev = Number(/startxref\s+(\d+)/.exec(text)?.[1]);
  const body = `\n900 0 obj\n${newObject}\nendobj\n`;
  const objectAt = pdf.length + 1;
  const xrefAt = pdf.length + body.length;
  const update =
    `${body}xref\n900 1\n${String(objectAt).padStart(10, '0')} 00000 n \n` +
    `trailer\n<< /Size 901 /Root ${root ?? ''} /Info ${info === 'new' ? '900 0 R' : (oldInfo ?? '')} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}

describe('verifying the slip a customer holds: its page, not only its metadata', () => {
  let genuine: IssuedSlip;
  beforeAll(async () => {
    genuine = await renderSlip(sampleSlipModel(), { layout: 'a5', parts: 'both', signingKey: branchKeys.privateKey, compress: false });
  });
  const fileOf = (pdf: Buffer) => {
    const file = join(tempDir(), 'slip.pdf');
    writeFileSync(file, pdf);
    return file;
  };

  it('accepts a genuine slip, both copies, on A5 and on the 80 mm roll, and a reprint', async () => {
    expect(await verifySlipFile(fileOf(genuine.pdf), branchKeys.publicKey)).toMatchObject({ ok: true, fields: { merchantNumber: '102310158120045' } });
    const roll = await renderSlip(sampleSlipModel({ printCount: 3, reprintAuthorizerNo: 'S002', issuedAt: '2026-11-27 10:00:00' }), { layout: 'roll80', parts: 'both', signingKey: branchKeys.privateKey });
    expect(await verifySlipFile(fileOf(roll.pdf), branchKeys.publicKey)).toMatchObject({ ok: true, fields: { reprintAuthorizerNo: 'S002', printCount: 3 } });
  });

  it('refuses a slip whose printed 商户编号 was changed on both pages, naming 商户编号', async () => {
    const forged = withPrintedValueChanged(genuine.pdf, '102310158120045', '102310158120046');
    // The page now says something else, while metadata and QR still verify on their own.
    const shown = withPdfFile(forged, (file) => execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }));
    expect(shown).toContain('102310158120046');
    expect(shown).not.toContain('102310158120045');
    expect(verifyReceipt(forged, branchKeys.publicKey, { qrPayload: genuine.qrText }).ok).toBe(true);
    expect(await verifySlipFile(fileOf(forged), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.printed_field_differs', field: '商户编号', page: 1 });
  });

  it('names the field that differs when another signed value was changed: 终端编号', async () => {
    const forged = withPrintedValueChanged(genuine.pdf, '31012345', '31012346');
    expect(await verifySlipFile(fileOf(forged), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.printed_field_differs', field: '终端编号', page: 1 });
  });

  it('checks the QR code on the page by default: A\'s page with B\'s genuine metadata is refused', async () => {
    const b = await renderSlip(sampleSlipModel({ applicationNumber: '310101-01-20261125-0008' }), { layout: 'a5', parts: 'both', signingKey: branchKeys.privateKey, compress: false });
    const swapped = altered(altered(genuine.pdf, genuine.payloadText, b.payloadText), genuine.signature, b.signature);
    expect(verifyReceipt(swapped, branchKeys.publicKey)).toMatchObject({ ok: true, fields: { applicationNumber: '310101-01-20261125-0008' } });
    expect(await verifySlipFile(fileOf(swapped), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.qr_mismatch' });
  });

  it('refuses request A\'s page carrying request B\'s genuine payload in an incremental update', async () => {
    const b = await renderSlip(sampleSlipModel({ applicationNumber: '310101-01-20261125-0008', merchantNumber: '102310158120099' }), { layout: 'a5', parts: 'both', signingKey: branchKeys.privateKey });
    const swapped = withIncrementalUpdate(genuine.pdf, `<< /UnbindDeskPayload (${b.payloadText}) /UnbindDeskSignature (${b.signature}) >>`, 'new');
    // The metadata alone says B, signed: what the old check trusted.
    expect(verifyReceipt(swapped, branchKeys.publicKey)).toMatchObject({ ok: true, fields: { applicationNumber: '310101-01-20261125-0008' } });
    expect(await verifySlipFile(fileOf(swapped), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.multiple_info' });
    const updated = withIncrementalUpdate(genuine.pdf, '<< /Note (added later) >>', 'same');
    expect(await verifySlipFile(fileOf(updated), branchKeys.publicKey)).toEqual({ ok: false, reason: 'receipt.incremental_update' });
  });
});
