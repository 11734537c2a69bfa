import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderSlip } from '../../../electron/core/receipts/slipLayout';
import type { SlipModel } from '../../../electron/core/receipts/slipModel';
import { buildSlipPayload, chipEvidenceDigest, receiptFields, receiptQrText, QR_BUDGET_BYTES } from '../../../electron/core/receipts/slipPayload';
import { verifyReceipt } from '../../../electron/core/receipts/receiptVerification';
import { signCanonical } from '../../../electron/core/crypto/signing';
import { branchKeys, longestSlipModel, pdfText, sampleSlipModel, withPdfFile } from './slipFixtures';

const CHIP = {
  samId: '05.01-20101216-0016541549-2212183410',
  textSha256: 'a1'.repeat(32),
  photoSha256: 'b2'.repeat(32),
};

const chipModel = (base: SlipModel = sampleSlipModel()): SlipModel => ({ ...base, verification: { ...base.verification, method: 'chip', chip: CHIP } });

describe('the slip of a request read from the chip', () => {
  it('prints 芯片读取 under 身份核验 and the reader\'s SAM id in the summary, and signs the read\'s evidence', async () => {
    const issued = await renderSlip(chipModel(), { layout: 'a5', parts: 'customer', signingKey: branchKeys.privateKey, compress: false });
    const text = pdfText(issued.pdf).replace(/\s+/g, '');
    expect(text).toContain('证件读取：芯片读卡');
    expect(text).toContain(`读卡机具：SAM${CHIP.samId}`);
    const verified = verifyReceipt(issued.pdf, branchKeys.publicKey);
    expect(verified.ok).toBe(true);
    const payload = buildSlipPayload(chipModel());
    expect(receiptFields(payload).chipEvidencePrefix).toBe(chipEvidenceDigest(CHIP).toString('hex'));
    // Rendered to an image, as a reader at the counter would see it (checked by eye during development).
    withPdfFile(issued.pdf, (file, dir) => execFileSync('/usr/bin/pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', file, `${dir}/p`]));
  });

  it('on the 80 mm roll breaks the SAM id only after a hyphen: no group of digits is cut', async () => {
    const issued = await renderSlip(chipModel(), { layout: 'roll80', parts: 'customer', signingKey: branchKeys.privateKey, compress: false });
    const lines = pdfText(issued.pdf, ['-layout']).split('\n');
    for (const group of ['20101216', '0016541549', '2212183410']) expect(lines.some((line) => line.includes(group))).toBe(true);
    expect(lines.join('').replace(/\s+/g, '')).toContain(CHIP.samId);
  });

  it('leaves the SAM id row out only where a full A5 slip (a long reprint) has no room for it, and still signs the read', async () => {
    const model = chipModel(longestSlipModel());
    const issued = await renderSlip(model, { layout: 'a5', parts: 'customer', signingKey: branchKeys.privateKey, compress: false });
    const text = pdfText(issued.pdf).replace(/\s+/g, '');
    expect(text).toContain('证件读取：芯片读卡');
    expect(verifyReceipt(issued.pdf, branchKeys.publicKey).ok).toBe(true);
    expect(buildSlipPayload(model).x).toBe(chipEvidenceDigest(CHIP).toString('base64url'));
  });

  it('prints 手工录入 and carries no chip evidence for a keyed request', async () => {
    const issued = await renderSlip(sampleSlipModel(), { layout: 'a5', parts: 'customer', signingKey: branchKeys.privateKey, compress: false });
    expect(pdfText(issued.pdf).replace(/\s+/g, '')).not.toContain('芯片读取');
    expect(buildSlipPayload(sampleSlipModel()).x).toBeUndefined();
  });

  it('binds the slip to this read: another SAM id or hash gives another digest', () => {
    const other = buildSlipPayload({ ...chipModel(), verification: { ...chipModel().verification, chip: { ...CHIP, photoSha256: 'c3'.repeat(32) } } });
    expect(other.x).not.toBe(buildSlipPayload(chipModel()).x);
  });

  it('still fits the QR budget with the longest realistic values and a chip read', () => {
    const payload = buildSlipPayload(chipModel(longestSlipModel()));
    const bytes = Buffer.byteLength(receiptQrText(payload, signCanonical(branchKeys.privateKey, payload)), 'utf8');
    expect(bytes).toBeLessThanOrEqual(QR_BUDGET_BYTES);
  });
});
