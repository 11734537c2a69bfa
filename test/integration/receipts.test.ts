import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { join } from 'node:path';
import { syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { readReceipt, verifyReceipt } from '../../electron/core/receipts/receiptVerification';
import { readStoredReceipt } from '../../electron/core/receipts/receiptService';
import { openSignature, sealSignature } from '../../electron/core/applications/personalData';
import { findApplication } from '../../electron/core/applications/repository';
import { openHarness, PASSWORDS, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';

const tempDir = useTempDirs();
const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.core.close();
});

async function approvedAndSigned(h: Harness, seed: number) {
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(seed), '2026-11-25') });
  return h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
}

function pdfText(pdf: Buffer, dir: string): string {
  const file = join(dir, 'slip.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-']).toString();
}

describe('issuing the confirmation slip', () => {
  it('completes an approved request with a signed slip, stored sealed with its SHA-256', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    const signed = await approvedAndSigned(h, 1);
    const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    expect(issued.status).toBe('completed');
    expect(issued.receipt).toMatchObject({ printNo: 1, reprint: false, issuedBy: 'T001' });
    expect(issued.printed).toBe(false); // no printer under plain Node
    const pdf = Buffer.from(issued.pdfBase64 ?? '', 'base64');
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(issued.receipt?.sha256);
    const check = verifyReceipt(pdf, h.core.context.keys.publicKey);
    expect(check.ok && check.fields.applicationNumber).toBe(signed.number);
    const text = pdfText(pdf, tempDir());
    expect(text).toContain('已受理');
    expect(text).toContain(signed.number);
    // Stored sealed: the bytes on disk are not the PDF, and they open to exactly the PDF.
    const folder = join(h.dataDir, 'receipts', '20261125');
    const [stored] = readdirSync(folder);
    expect(stored).toMatch(new RegExp(`^${signed.number}-1-[0-9a-f]{8}\\.pdf\\.sealed$`));
    expect(readStoredReceipt(h.core.context, `20261125/${stored}`).equals(pdf)).toBe(true);
    expect((await h.ok('t1', 'applications.get', { id: signed.id })).status).toBe('completed');
  });

  it('refuses a slip for a request that is not approved, and one without the customer signature', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    const app = await h.ok('t1', 'applications.register', {});
    expect(await h.call('t1', 'receipts.issue', { id: app.id, version: app.version })).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    const pending = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(2), '2026-11-25', 'exception') });
    expect(await h.call('t1', 'receipts.issue', { id: pending.id, version: pending.version })).toMatchObject({ ok: false, error: { code: 'INVALID_TRANSITION' } });
    const approved = await h.ok('t1', 'applications.authorize', { id: pending.id, version: pending.version, decision: 'approve', supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    expect(await h.call('t1', 'receipts.issue', { id: approved.id, version: approved.version })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { signature: 'receipt.signature_required' } } });
  });

  it('marks a reprint on the slip and in the audit log, and only with a supervisor grant', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    const signed = await approvedAndSigned(h, 3);
    const first = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    const without = await h.call('t1', 'receipts.issue', { id: signed.id, version: first.version });
    expect(without).toMatchObject({ ok: false, error: { code: 'AUTHORIZATION_REQUIRED' } });
    const grant = await h.ok('t1', 'authorization.grant', { action: 'reprint', applicationId: signed.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    const again = await h.ok('t1', 'receipts.issue', { id: signed.id, version: first.version, grantId: grant.grantId });
    expect(again.receipt).toMatchObject({ printNo: 2, reprint: true });
    const text = pdfText(Buffer.from(again.pdfBase64 ?? '', 'base64'), tempDir());
    expect(text).toContain('重打');
    expect(text).toContain('第2次打印');
    // The supervisor who allowed the reprint is named on the slip and in its signed payload, and in the audit.
    expect(text.replace(/\s+/g, '')).toContain('重打授权：S001');
    const payload = readReceipt(Buffer.from(again.pdfBase64 ?? '', 'base64'));
    expect(payload && (JSON.parse(payload.payloadText) as { y?: string }).y).toBe('S001');
    const history = (await h.ok('t1', 'applications.get', { id: signed.id })).history.map((entry) => entry.action);
    expect(history.slice(-3)).toEqual(['application.complete', 'authorization.granted', 'application.reprint']);
    expect((await h.ok('t1', 'receipts.list', { id: signed.id })).receipts.map((r) => r.printNo)).toEqual([1, 2]);
  });
});

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function ihdr(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, as a canvas writes it
  return chunk('IHDR', data);
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A 169-byte PNG that declares 12000 × 12000 pixels (576 MB of RGBA once decoded). */
function hugeDeclaredPng(): Buffer {
  const head = Buffer.concat([PNG_MAGIC, ihdr(12000, 12000), chunk('IDAT', deflateSync(Buffer.alloc(12000 * 4 + 1)))]);
  const filler = 169 - head.length - 12 - 12;
  return Buffer.concat([head, chunk('tEXt', Buffer.from(`Comment\0${'x'.repeat(filler - 8)}`, 'latin1')), chunk('IEND', Buffer.alloc(0))]);
}

/** A zlib bomb: a modest 2000 × 1000 header over 250 KB of data that inflates to 250 MB. */
function zlibBombPng(): Buffer {
  return Buffer.concat([PNG_MAGIC, ihdr(2000, 1000), chunk('IDAT', deflateSync(Buffer.alloc(250_000_000), { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

describe('the customer signature image', () => {
  const messages = (lang: string) => JSON.parse(readFileSync(join('renderer', 'i18n', `messages.${lang}.json`), 'utf8')) as Record<string, string>;

  it('refuses fast, with a clear message, a tiny PNG declaring 12000 × 12000 and a zlib bomb; nothing is stored', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    const app = await h.ok('t1', 'applications.register', {});
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(5), '2026-11-25') });
    const auditRows = () => (h.core.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const before = auditRows();
    const huge = hugeDeclaredPng();
    expect(huge.length).toBe(169);
    for (const [png, code] of [[huge, 'signature.dimensions'], [zlibBombPng(), 'signature.image_too_large']] as const) {
      const started = performance.now();
      const answer = await h.call('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: png.toString('base64') });
      expect(performance.now() - started).toBeLessThan(1500);
      expect(answer).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { pngBase64: code } } });
      expect(messages('zh-CN')[code]).toMatch(/签名图片/);
      expect(messages('en')[code]).toMatch(/signature image/);
    }
    const row = findApplication(h.core.db, approved.id);
    expect(row?.signature_enc).toBeNull();
    expect(row?.version).toBe(approved.version);
    expect(auditRows()).toBe(before);
  });

  it('checks a signature stored before the check existed again before a slip draws it', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    const signed = await approvedAndSigned(h, 7);
    // As an older version stored it: sealed as it came, unchecked.
    h.core.db.prepare('UPDATE applications SET signature_enc = @signature_enc, signature_sha256 = @signature_sha256 WHERE id = @id').run({ id: signed.id, ...sealSignature(h.core.context.keys, signed.id, hugeDeclaredPng()) });
    const started = performance.now();
    expect(await h.call('t1', 'receipts.issue', { id: signed.id, version: signed.version })).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { signature: 'signature.dimensions' } } });
    expect(performance.now() - started).toBeLessThan(1500);
    expect((await h.ok('t1', 'receipts.list', { id: signed.id })).receipts).toEqual([]);
  });

  it('stores a fresh encoding of the drawn pixels, without the chunks the file brought along', async () => {
    const h = await openHarness(tempDir());
    harnesses.push(h);
    const drawn = demoSignaturePng(syntheticRandom(6));
    const iend = drawn.length - 12;
    const withExtra = Buffer.concat([drawn.subarray(0, iend), chunk('tEXt', Buffer.from('Comment\0payload for another program', 'latin1')), drawn.subarray(iend)]);
    const app = await h.ok('t1', 'applications.register', {});
    const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
    const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(6), '2026-11-25') });
    await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: withExtra.toString('base64') });
    const row = findApplication(h.core.db, approved.id);
    const stored = row ? openSignature(h.core.context.keys, row) : null;
    expect(stored).not.toBeNull();
    expect(stored?.includes(Buffer.from('payload for another program'))).toBe(false);
    expect(PNG.sync.read(stored ?? Buffer.alloc(0)).data.equals(PNG.sync.read(drawn).data)).toBe(true);
  });
});
