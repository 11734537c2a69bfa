import { createHash, generateKeyPairSync } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { renderSlip } from '../../electron/core/receipts/slipLayout';
import { loadCjkFonts } from '../../electron/core/receipts/fonts';
import type { SlipModel } from '../../electron/core/receipts/slipModel';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { syntheticRandom } from '../../shared';
import { median, percentile, type Figures } from './stats';

function model(i: number, signaturePng: Buffer): SlipModel {
  return {
    applicationNumber: `310101-01-20261125-${String(i + 1).padStart(4, '0')}`,
    bankName: '示例银行',
    branchName: '上海分行营业部',
    branchCode: '310101',
    businessDate: '2026-11-25',
    issuedAt: '2026-11-25 10:15:00',
    firstPrintedAt: '2026-11-25 10:15:00',
    printCount: 1,
    channel: 'counter',
    applicantNameMasked: '欧阳**',
    documentType: 'resident_id',
    documentNumberMasked: '1101**********002X',
    isAgent: false,
    mobileMasked: '138****5678',
    newMobileMasked: null,
    merchantNumber: '898310148160123',
    terminalId: '10234567',
    terminalSerial: 'PAX-A920-00012345',
    reasonCode: 'no_longer_needed',
    reasonText: null,
    verification: { method: 'chip', onlineCheck: 'match', faceComparison: 'match', holdsBoundPhone: true },
    tellerNo: 'T001',
    reviewerNo: null,
    authorizerNo: 'S001',
    reprintAuthorizerNo: null,
    signaturePng,
    signatureSha256: createHash('sha256').update(signaturePng).digest('hex'),
    auditHead: { seq: 1000 + i, hash: 'cd'.repeat(32) },
  };
}

/** A minimal page with the same font: what any pdfkit document with CJK text costs, for the ratio. */
function baselinePage(font: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A5', margin: 24 });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.font(font).fontSize(12).text('POS机绑定手机号解绑业务受理回执 310101-01-20261125-0001 已受理');
    doc.end();
  });
}

export async function slipBench(samples: number): Promise<Figures> {
  const signingKey = generateKeyPairSync('ed25519').privateKey;
  const signature = demoSignaturePng(syntheticRandom(1));
  const fonts = loadCjkFonts();
  // Warm-up: the first slip of a process parses the font (once per process by design).
  await renderSlip(model(0, signature), { layout: 'a5', parts: 'both', signingKey });
  await baselinePage(fonts.regular);
  const slipMs: number[] = [];
  const baselineMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < samples; i += 1) {
    let started = performance.now();
    const slip = await renderSlip(model(i, signature), { layout: 'a5', parts: 'both', signingKey });
    slipMs.push(performance.now() - started);
    bytes = slip.pdf.length;
    started = performance.now();
    await baselinePage(fonts.regular);
    baselineMs.push(performance.now() - started);
  }
  const slipMedian = median(slipMs);
  const baselineMedian = median(baselineMs);
  return {
    slip_median_ms: slipMedian,
    slip_p95_ms: percentile(slipMs, 95),
    slip_bytes: bytes,
    slip_baseline_median_ms: baselineMedian,
    slip_ratio: slipMedian / baselineMedian,
    slip_samples: samples,
  };
}
