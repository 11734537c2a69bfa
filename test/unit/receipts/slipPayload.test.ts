import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderSlip } from '../../../electron/core/receipts/slipLayout';
import type { SlipModel } from '../../../electron/core/receipts/slipModel';
import {
  buildSlipPayload,
  QR_BUDGET_BYTES,
  readSlipPayload,
  receiptFields,
  receiptQrText,
  slipPayloadText,
  splitReceiptQrText,
} from '../../../electron/core/receipts/slipPayload';
import { signCanonical } from '../../../electron/core/crypto/signing';
import { branchKeys, drawnSignaturePng, longestSlipModel, sampleSlipModel } from './slipFixtures';

const qrBytes = (model: SlipModel) => {
  const payload = buildSlipPayload(model);
  return Buffer.byteLength(receiptQrText(payload, signCanonical(branchKeys.privateKey, payload)), 'utf8');
};

describe('the signed payload of a slip', () => {
  it('fits the 528-byte QR budget (version 18 at level M) with the longest realistic values', () => {
    expect(qrBytes(longestSlipModel())).toBeLessThanOrEqual(QR_BUDGET_BYTES);
    expect(QR_BUDGET_BYTES).toBe(528);
  });

  it('fits the budget for any realistic mix of lengths', () => {
    const code = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9A-Z]{${min},${max}}$`));
    fc.assert(
      fc.property(
        code(3, 12),
        code(4, 10),
        code(4, 10),
        fc.option(code(4, 10)),
        fc.option(fc.stringMatching(/^[0-9A-Z-]{6,32}$/).filter((s) => /[0-9A-Z]/.test(s))),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 0, max: 9_999_999 }),
        (branch, teller, reviewer, authorizer, serial, printCount, seq) => {
          const model = sampleSlipModel({
            branchCode: branch,
            applicationNumber: `${branch}-99-20261125-9999`,
            tellerNo: teller,
            reviewerNo: reviewer,
            authorizerNo: authorizer,
            terminalSerial: serial,
            printCount,
            auditHead: { seq, hash: 'a'.repeat(64) },
          });
          expect(qrBytes(model)).toBeLessThanOrEqual(QR_BUDGET_BYTES);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses to print a QR code beyond the budget rather than one a scanner may not read', async () => {
    const extreme = longestSlipModel();
    extreme.tellerNo = 'T'.repeat(20);
    extreme.reviewerNo = 'R'.repeat(20);
    extreme.authorizerNo = 'A'.repeat(20);
    expect(qrBytes(extreme)).toBeGreaterThan(QR_BUDGET_BYTES);
    await expect(renderSlip(extreme, { layout: 'a5', parts: 'customer', signingKey: branchKeys.privateKey })).rejects.toThrow('slip.qr_over_budget');
  });

  it('names branch and desk in the number in version 2, and keeps version 1 (with its branch code) for a number issued before desks', () => {
    const payload = buildSlipPayload(sampleSlipModel({ applicationNumber: '310101-07-20261125-0007' }));
    expect(payload).toMatchObject({ v: 2, a: '310101-07-20261125-0007' });
    // The branch and the desk are signed once, in the number (the QR budget has no room to repeat them).
    expect('b' in payload || 'u' in payload).toBe(false);
    expect(receiptFields(payload)).toMatchObject({ branchCode: '310101', desk: '07' });
    const old = buildSlipPayload(sampleSlipModel({ applicationNumber: '310101-20261125-0007' }));
    expect(old).toMatchObject({ v: 1, b: '310101' });
    expect(readSlipPayload(slipPayloadText(old))).toEqual({ ok: true, payload: old });
    expect(receiptFields(old)).toMatchObject({ branchCode: '310101', desk: null });
    // A version 2 that repeats a branch code, a version 1 without one, or a version that does not fit its number, is no slip of ours.
    for (const forged of [{ ...payload, b: '320202' }, { ...payload, u: '07' }, { ...old, b: undefined }, { ...payload, v: 1 }, { ...old, v: 2 }]) {
      expect(readSlipPayload(slipPayloadText(forged as typeof payload))).toEqual({ ok: false, reason: 'receipt.payload_malformed' });
    }
    // A slip cannot claim a branch other than its number's.
    expect(() => buildSlipPayload(sampleSlipModel({ applicationNumber: '310101-07-20261125-0007', branchCode: '320202' }))).toThrow(/slip.branch_code/);
  });

  it('is the canonical JSON that is signed, and reads back to the same fields', () => {
    const model = sampleSlipModel();
    const payload = buildSlipPayload(model);
    const text = slipPayloadText(payload);
    expect(readSlipPayload(text)).toEqual({ ok: true, payload });
    expect(receiptFields(payload)).toEqual({
      applicationNumber: model.applicationNumber,
      branchCode: model.branchCode,
      desk: '01',
      businessDate: model.businessDate,
      issuedAt: model.issuedAt,
      firstPrintedAt: model.firstPrintedAt,
      printCount: 1,
      status: 'accepted',
      documentType: 'resident_id',
      documentNumberMasked: model.documentNumberMasked,
      mobileMasked: model.mobileMasked,
      newMobileMasked: model.newMobileMasked,
      merchantNumber: model.merchantNumber,
      terminalId: model.terminalId,
      terminalSerial: model.terminalSerial,
      tellerNo: model.tellerNo,
      reviewerNo: model.reviewerNo,
      authorizerNo: model.authorizerNo,
      reprintAuthorizerNo: null,
      signatureSha256Prefix: model.signatureSha256?.slice(0, 32),
      onlineCheck: null,
      chipEvidencePrefix: null,
      auditHead: { seq: model.auditHead.seq, hashPrefix: model.auditHead.hash.slice(0, 32) },
    });
  });

  it('carries the original print time only on a reprint', () => {
    expect(buildSlipPayload(sampleSlipModel()).f).toBeUndefined();
    const reprint = buildSlipPayload(sampleSlipModel({ printCount: 2, issuedAt: '2026-11-26 09:12:44' }));
    expect(reprint).toMatchObject({ p: 2, t: '20261126091244', f: '20261125140307' });
  });

  it('leaves out what the request does not have', () => {
    const payload = buildSlipPayload(
      sampleSlipModel({ newMobileMasked: null, merchantNumber: null, terminalId: null, reviewerNo: null, authorizerNo: null }),
    );
    expect(Object.keys(payload)).not.toEqual(expect.arrayContaining(['n']));
    for (const key of ['n', 'c', 'e', 'w', 'z']) expect(payload).not.toHaveProperty(key);
    expect(receiptFields(payload)).toMatchObject({ newMobileMasked: null, merchantNumber: null, terminalId: null, reviewerNo: null, authorizerNo: null });
  });

  it('vouches for the signature image printed on the slip, and refuses one that does not match the stored hash', () => {
    const png = drawnSignaturePng();
    const hash = createHash('sha256').update(png).digest();
    expect(buildSlipPayload(sampleSlipModel({ signaturePng: png, signatureSha256: null })).g).toBe(hash.subarray(0, 16).toString('base64url'));
    expect(() => buildSlipPayload(sampleSlipModel({ signaturePng: png, signatureSha256: 'ab'.repeat(32) }))).toThrow('slip.signature_sha256');
  });

  it('refuses a malformed time rather than sign something else', () => {
    expect(() => buildSlipPayload(sampleSlipModel({ issuedAt: '2026-11-25T14:03:07Z' }))).toThrow('slip.issuedAt');
  });

  it('splits a scanned QR text into payload and signature, and nothing else', () => {
    const payload = buildSlipPayload(sampleSlipModel());
    const signature = signCanonical(branchKeys.privateKey, payload);
    expect(splitReceiptQrText(receiptQrText(payload, signature))).toEqual({ payloadText: slipPayloadText(payload), signature });
    expect(splitReceiptQrText('UDR2.{}.abc')).toBeNull();
    expect(splitReceiptQrText('UDR1.')).toBeNull();
  });
});
