import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { maskIdNumber, maskMobile, maskName } from '../../../shared/rules';
import type { SlipModel } from '../../../electron/core/receipts/slipModel';

// The worked example of GB 11643-1999 and a made-up phone number: full values that must never reach a slip.
export const FULL_ID_NUMBER = '11010519491231002X';
export const FULL_MOBILE = '13812345678';
export const FULL_NEW_MOBILE = '13987654321';

export const branchKeys = generateKeyPairSync('ed25519');

/** A signature as the pad produces it: dark strokes on a transparent background. */
export function drawnSignaturePng(): Buffer {
  const png = new PNG({ width: 360, height: 120 });
  const ink = (x: number, y: number) => {
    for (let dx = -2; dx <= 2; dx++) {
      for (let dy = -2; dy <= 2; dy++) {
        const px = Math.round(x) + dx;
        const py = Math.round(y) + dy;
        if (px < 0 || py < 0 || px >= png.width || py >= png.height) continue;
        const i = (py * png.width + px) * 4;
        png.data[i] = 20;
        png.data[i + 1] = 20;
        png.data[i + 2] = 60;
        png.data[i + 3] = 255;
      }
    }
  };
  for (let t = 0; t < 1; t += 0.0005) {
    ink(20 + t * 320, 60 + 35 * Math.sin(t * 14) * (1 - t * 0.6));
    if (t < 0.3) ink(60 + t * 200, 20 + t * 280);
  }
  return PNG.sync.write(png);
}

const SIGNATURE = drawnSignaturePng();

export function sampleSlipModel(overrides: Partial<SlipModel> = {}): SlipModel {
  return {
    applicationNumber: '310101-01-20261125-0007',
    bankName: '示例商业银行',
    branchName: '上海分行黄浦支行营业部',
    branchCode: '310101',
    businessDate: '2026-11-25',
    issuedAt: '2026-11-25 14:03:07',
    firstPrintedAt: '2026-11-25 14:03:07',
    printCount: 1,
    channel: 'counter',
    applicantNameMasked: maskName('张伟'),
    documentType: 'resident_id',
    documentNumberMasked: maskIdNumber(FULL_ID_NUMBER),
    isAgent: false,
    mobileMasked: maskMobile(FULL_MOBILE),
    newMobileMasked: maskMobile(FULL_NEW_MOBILE),
    merchantNumber: '102310158120045',
    terminalId: '31012345',
    terminalSerial: 'NL-SP930-00012345',
    reasonCode: 'phone_changed',
    reasonText: null,
    verification: { method: 'chip', onlineCheck: 'match', faceComparison: 'match', holdsBoundPhone: false },
    tellerNo: '3101017',
    reviewerNo: '3101012',
    authorizerNo: '3101001',
    reprintAuthorizerNo: null,
    signaturePng: SIGNATURE,
    signatureSha256: createHash('sha256').update(SIGNATURE).digest('hex'),
    auditHead: { seq: 4817, hash: createHash('sha256').update('audit row 4817').digest('hex') },
    ...overrides,
  };
}

/**
 * The longest realistic slip: a 12-character branch code (联行号) and the application number built on
 * it, 10-character employee numbers, a 32-character SN, every optional value present, a reprint, and an
 * audit chain ten million rows long. The worst case for the QR budget and for the layout.
 */
export function longestSlipModel(): SlipModel {
  return sampleSlipModel({
    applicationNumber: '310101000001-99-20261125-9999',
    bankName: '中国工商银行股份有限公司',
    branchName: '新疆维吾尔自治区分行巴音郭楞蒙古自治州库尔勒市天山东路支行营业部',
    branchCode: '310101000001',
    issuedAt: '2026-12-31 23:59:59',
    printCount: 99,
    applicantNameMasked: maskName('阿依古丽·买买提明江'),
    documentType: 'foreign_permanent_resident',
    documentNumberMasked: maskIdNumber('931586199001011238'),
    isAgent: true,
    merchantNumber: '8981234567890AB',
    terminalId: 'ABCD1234',
    terminalSerial: 'PAX-A920PRO-0123456789ABCDEFGH-Z',
    reasonCode: 'switch_payment_method',
    // The longest 联网核查 evidence in the payload (two characters: 00–05, NC, or K + the keyed result).
    verification: {
      method: 'manual',
      onlineCheck: 'name_mismatch',
      faceComparison: 'not_performed',
      holdsBoundPhone: false,
      onlineCheckEvidence: { source: 'online', code: '02', serial: 'GAB20261125000000000000000000001' },
    },
    tellerNo: 'T310101017',
    reviewerNo: 'R310101012',
    authorizerNo: 'A310101001',
    reprintAuthorizerNo: 'S310101003',
    auditHead: { seq: 9_999_999, hash: 'f'.repeat(64) },
  });
}

/** Runs a poppler tool on the PDF in a temp folder; real parsing, as a branch's IT would do. */
export function withPdfFile<T>(pdf: Buffer, use: (file: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'unbinddesk-slip-'));
  try {
    const file = join(dir, 'slip.pdf');
    writeFileSync(file, pdf);
    return use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfText(pdf: Buffer, args: string[] = []): string {
  return withPdfFile(pdf, (file) => execFileSync('/usr/bin/pdftotext', [...args, file, '-'], { encoding: 'utf8' }));
}

export function pdfPageCount(pdf: Buffer): number {
  const info = withPdfFile(pdf, (file) => execFileSync('/usr/bin/pdfinfo', [file], { encoding: 'utf8' }));
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** Page 1 as a PNG at the given resolution. */
export function pageOnePng(pdf: Buffer, dpi: number): Buffer {
  return withPdfFile(pdf, (file, dir) => {
    execFileSync('/usr/bin/pdftoppm', ['-r', String(dpi), '-png', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
    return readFileSync(join(dir, 'page.png'));
  });
}

export function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  return jsQR(pixels, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
