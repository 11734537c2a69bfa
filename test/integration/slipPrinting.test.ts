import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maskIdNumber, maskMobile, syntheticRandom } from '../../shared';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { readQrFromPdf, verifyReceiptQr } from '../../electron/core/receipts/receiptVerification';
import { readStoredReceipt } from '../../electron/core/receipts/receiptService';
import { cupsServer } from '../../electron/core/printing/ipp';
import { cupsSlipPrinter, type SlipPrinter } from '../../electron/core/printing/slipPrinter';
import { renderTestPage } from '../../electron/core/printing/testPage';
import { PASSWORDS, useHarnesses, type Harness } from '../support/coreHarness';
import { useTempDirs } from '../support/tempDir';
import { blockerPdf, startCups, type PrivateCups } from '../support/cupsServer';

/**
 * The counter's 打印 through the core service (receipts.issue with the CUPS adapter as the slip printer) to a
 * real CUPS scheduler (private, on loopback) and its cups-pdf virtual printers: what the printer produced is read
 * back with poppler, the QR code on the printed page is decoded and verified, and a print that fails changes nothing.
 */
const tempDir = useTempDirs();
const { harness } = useHarnesses(tempDir);
// One scheduler for the file, in a folder of its own (the per-test temp folders go after each test).
const root = mkdtempSync(join(tmpdir(), 'unbinddesk-slipcups-'));
let cups: PrivateCups;
const run = randomBytes(3).toString('hex');
const A5 = `SlipA5_${run}`;
const ROLL = `SlipRoll_${run}`;
const OTHER = `SlipOther_${run}`;

beforeAll(async () => {
  cups = await startCups(root);
  cups.addPdfPrinter(A5);
  cups.addPdfPrinter(ROLL);
  cups.addPdfPrinter(OTHER);
}, 60_000);

afterAll(async () => {
  await cups?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function counter(): Promise<Harness> {
  const h = await harness(tempDir(), { ports: { slipPrinter: cupsSlipPrinter({ server: cupsServer({ CUPS_SERVER: cups.server }), timeoutMs: 30_000 }) } });
  await h.ok('admin', 'settings.update', { slipPrinters: { a5: A5, roll80: ROLL } });
  return h;
}

async function approvedAndSigned(h: Harness, seed: number) {
  const request = makeDemoRequest(syntheticRandom(seed), '2026-11-25');
  const app = await h.ok('t1', 'applications.register', {});
  const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
  const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request });
  const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(seed)).toString('base64') });
  return { signed, request };
}

function pageCount(file: string): number {
  return Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
}

/**
 * One page as the printer put ink on it: rendered by pdftoppm (grey, 72 dpi), cut to the box around its dark
 * pixels (a spooler may shrink the page into the printable area) and averaged into a 40 × 56 grid of darkness.
 */
function inkGrid(file: string, page: number): number[] {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '72', '-f', String(page), '-l', String(page), file], { maxBuffer: 16 * 1024 * 1024 });
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if ((pixels[y * width + x] ?? 255) < 128) [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
  if (right < 0) return Array<number>(40 * 56).fill(0);
  const grid = Array<number>(40 * 56).fill(0);
  const counts = Array<number>(40 * 56).fill(0);
  for (let y = top; y <= bottom; y++)
    for (let x = left; x <= right; x++) {
      const cell = Math.min(55, Math.floor(((y - top) * 56) / (bottom - top + 1))) * 40 + Math.min(39, Math.floor(((x - left) * 40) / (right - left + 1)));
      grid[cell] = (grid[cell] ?? 0) + (255 - (pixels[y * width + x] ?? 255));
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
  return grid.map((sum, cell) => sum / Math.max(1, counts[cell] ?? 1));
}

/** Mean difference of two pages' ink grids (0 same … 255 opposite). */
function pageDifference(a: string, b: string, pageA: number, pageB: number = pageA): number {
  const left = inkGrid(a, pageA);
  const right = inkGrid(b, pageB);
  return left.reduce((sum, value, cell) => sum + Math.abs(value - (right[cell] ?? 0)), 0) / left.length;
}

function pageSize(file: string): { width: number; height: number; name: string } {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const match = /Page size:\s+([\d.]+) x ([\d.]+) pts(?: \((\w+)\))?/.exec(info);
  return { width: Number(match?.[1]), height: Number(match?.[2]), name: match?.[3] ?? '' };
}

/** Submits with a bare lp (async: the scheduler in this process must keep answering); resolves with the job id. */
function lpSubmit(queue: string, pdf: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('lp', ['-d', queue, '-t', 'blocker', '-'], { env: cups.env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('close', (code) => (code === 0 ? resolve(Number(/-(\d+) /.exec(out)?.[1])) : reject(new Error(`lp exited ${code}`))));
    child.stdin.end(pdf);
  });
}

async function newestJobOn(queue: string, after: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const ids = [...cups.run('lpstat', ['-o', queue]).matchAll(new RegExp(`${queue}-(\\d+)`, 'g'))].map((match) => Number(match[1]));
    const ours = ids.filter((id) => id > after);
    if (ours.length > 0) return Math.max(...ours);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no new job on ${queue}`);
}

function auditActions(h: Harness): string[] {
  return (h.core.db.prepare("SELECT action FROM audit_log WHERE action IN ('application.complete','application.reprint','receipt.print_failed','printing.test_page') ORDER BY seq").all() as { action: string }[]).map(
    (row) => row.action,
  );
}

describe('printing the slip through the spooler', { timeout: 120_000 }, () => {
  it('prints an A5 slip, completes the request only then, and the printed page carries masked data and a QR code that verifies', async () => {
    const h = await counter();
    const status = await h.ok('t1', 'printing.status', {});
    expect(status).toMatchObject({ path: 'spooler', layout: 'a5', printer: A5, ready: true, stateText: { 'zh-CN': '就绪', en: 'ready' } });
    const { signed, request } = await approvedAndSigned(h, 11);
    const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    expect(issued).toMatchObject({ printed: true, status: 'completed', pdfBase64: null, print: { outcome: 'printed', printer: A5 } });
    expect(issued.receipt).toMatchObject({ printNo: 1, reprint: false });
    expect((await h.ok('t1', 'applications.get', { id: signed.id })).status).toBe('completed');

    const file = await cups.printedFile(A5, issued.print?.jobId ?? -1);
    expect(pageSize(file)).toMatchObject({ name: 'A5' });
    expect(Math.abs(pageSize(file).width - 419.5)).toBeLessThan(2); // the spooler rounds to whole points
    // What arrived is the slip that was recorded: the same pages (customer's and bank's part), pixel for pixel
    // within the spooler's re-rendering, compared with the sealed copy in the data folder.
    const { fileName } = h.core.db.prepare('SELECT file_name AS fileName FROM receipts WHERE id = ?').get(issued.receipt?.id) as { fileName: string };
    const stored = readStoredReceipt(h.core.context, fileName);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(issued.receipt?.sha256);
    const storedFile = join(tempDir(), 'stored.pdf');
    writeFileSync(storedFile, stored);
    expect(pageCount(file)).toBe(2);
    const differences = [1, 2].map((page) => pageDifference(file, storedFile, page));
    // The measure tells another page apart: the printer test page against the slip's first page.
    const other = join(tempDir(), 'other.pdf');
    writeFileSync(other, (await renderTestPage({ layout: 'a5', printer: A5, requestedBy: 'test', at: new Date() })).pdf);
    const unrelated = pageDifference(file, other, 1, 1);
    for (const difference of differences) expect(difference).toBeLessThan(unrelated / 4);
    // Personal data on the slip is masked: the slip's text (the printed copy's Chinese font lost its Unicode map in
    // cups-pdf's Ghostscript, so the text is read from the recorded slip that went to the spooler) and the QR code.
    const text = execFileSync('pdftotext', ['-layout', storedFile, '-'], { encoding: 'utf8' });
    expect(text).toContain(maskIdNumber(request.applicant.documentNumber));
    expect(text).toContain(maskMobile(request.mobile.bound));
    expect(text).not.toContain(request.applicant.documentNumber);
    expect(text).not.toContain(request.mobile.bound);
    // The QR code as a scanner reads it off the printed page.
    const qr = await readQrFromPdf(file);
    expect(qr).not.toBeNull();
    const verdict = verifyReceiptQr(qr ?? '', h.core.context.keys.publicKey);
    expect(verdict.ok && verdict.fields.applicationNumber).toBe(signed.number);
    expect(verdict.ok && verdict.fields.documentNumberMasked).toBe(maskIdNumber(request.applicant.documentNumber));
    expect(qr).not.toContain(request.applicant.documentNumber);
    expect(qr).not.toContain(request.mobile.bound);
    expect(auditActions(h)).toEqual(['application.complete']);
  });

  it('prints the roll slip on 80 mm paper of the slip’s own length', async () => {
    const h = await counter();
    await h.ok('admin', 'settings.update', { slip: { layout: 'roll80', parts: 'customer' } });
    expect(await h.ok('t1', 'printing.status', {})).toMatchObject({ layout: 'roll80', printer: ROLL, ready: true });
    const { signed } = await approvedAndSigned(h, 12);
    const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    expect(issued).toMatchObject({ printed: true, status: 'completed', print: { outcome: 'printed', printer: ROLL } });
    const file = await cups.printedFile(ROLL, issued.print?.jobId ?? -1);
    const size = pageSize(file);
    // 80 mm is 226.8 pt; the spooler rounds a custom size to whole points. The length is the slip's own.
    expect(Math.abs(size.width - 226.8)).toBeLessThan(1.5);
    expect(size.height).toBeGreaterThan(400);
    const qr = await readQrFromPdf(file);
    const verdict = verifyReceiptQr(qr ?? '', h.core.context.keys.publicKey);
    expect(verdict.ok && verdict.fields.applicationNumber).toBe(signed.number);
  });

  it('a stopped, a missing, a rejecting printer and a job cancelled in the queue each say why and leave the request approved', async () => {
    const h = await counter();
    const { signed } = await approvedAndSigned(h, 13);
    const attempt = (printer?: string) => h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version, ...(printer ? { printer } : {}) });
    const stillApproved = async () => {
      const app = await h.ok('t1', 'applications.get', { id: signed.id });
      expect(app).toMatchObject({ status: 'approved', version: signed.version });
      expect((await h.ok('t1', 'receipts.list', { id: signed.id })).receipts).toEqual([]);
    };

    cups.run('cupsdisable', [A5]);
    try {
      // The teller sees it before pressing 打印.
      expect(await h.ok('t1', 'printing.status', {})).toMatchObject({ ready: false, stateText: { 'zh-CN': '已停止（已暂停）' } });
      const stopped = await attempt();
      expect(stopped).toMatchObject({ printed: false, receipt: null, pdfBase64: null, status: 'approved', print: { outcome: 'stopped', printer: A5 } });
      expect(stopped.print?.text['zh-CN']).toBe(`打印机「${A5}」已停止（已暂停），请检查打印机后重新打印。`);
      await stillApproved();
    } finally {
      cups.run('cupsenable', [A5]);
    }

    const missing = await attempt(`Gone_${run}`);
    expect(missing.print).toMatchObject({ outcome: 'printer_missing', text: { 'zh-CN': `打印机「Gone_${run}」不存在（已删除或改名），请在系统设置中重新选择打印机。` } });
    await stillApproved();

    cups.run('cupsreject', [A5]);
    try {
      const rejecting = await attempt();
      expect(rejecting.print).toMatchObject({ outcome: 'not_accepting', text: { 'zh-CN': `打印机「${A5}」不接受新的打印任务。` } });
      await stillApproved();
    } finally {
      cups.run('cupsaccept', [A5]);
    }

    const blockerJob = await lpSubmit(A5, await blockerPdf(150));
    const printing = attempt();
    const ours = await newestJobOn(A5, blockerJob);
    cups.run('cancel', [`${A5}-${ours}`]);
    const cancelled = await printing;
    expect(cancelled.print).toMatchObject({ outcome: 'cancelled', jobId: ours, text: { 'zh-CN': `打印任务在「${A5}」上被取消。` } });
    await stillApproved();
    cups.run('cancel', [`${A5}-${blockerJob}`]);

    // A malformed printer name never reaches lp.
    expect(await h.call('t1', 'receipts.issue', { id: signed.id, version: signed.version, printer: 'a b/../c' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    // The teller chooses another printer: the slip prints there and the request is completed, once.
    const other = await attempt(OTHER);
    expect(other).toMatchObject({ printed: true, status: 'completed', print: { outcome: 'printed', printer: OTHER } });
    await cups.printedFile(OTHER, other.print?.jobId ?? -1);
    expect((await h.ok('t1', 'receipts.list', { id: signed.id })).receipts.map((r) => r.printNo)).toEqual([1]);
    expect(auditActions(h)).toEqual([...Array<string>(4).fill('receipt.print_failed'), 'application.complete']);
  });

  it('counts a reprint once across a failed and a successful retry with the same supervisor grant', async () => {
    const h = await counter();
    const { signed } = await approvedAndSigned(h, 14);
    const first = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    const grant = await h.ok('t1', 'authorization.grant', { action: 'reprint', applicationId: signed.id, supervisor: { employeeNo: 'S001', password: PASSWORDS.supervisor } });
    cups.run('cupsdisable', [A5]);
    let failed;
    try {
      failed = await h.ok('t1', 'receipts.issue', { id: signed.id, version: first.version, grantId: grant.grantId });
    } finally {
      cups.run('cupsenable', [A5]);
    }
    expect(failed).toMatchObject({ printed: false, receipt: null, status: 'completed', version: first.version, print: { outcome: 'stopped' } });
    const again = await h.ok('t1', 'receipts.issue', { id: signed.id, version: first.version, grantId: grant.grantId });
    expect(again).toMatchObject({ printed: true, receipt: { printNo: 2, reprint: true } });
    const file = await cups.printedFile(A5, again.print?.jobId ?? -1);
    const verdict = verifyReceiptQr((await readQrFromPdf(file)) ?? '', h.core.context.keys.publicKey);
    expect(verdict).toMatchObject({ ok: true, fields: { printCount: 2 } });
    expect((await h.ok('t1', 'receipts.list', { id: signed.id })).receipts.map((r) => r.printNo)).toEqual([1, 2]);
    expect(auditActions(h)).toEqual(['application.complete', 'receipt.print_failed', 'application.reprint']);
    // The grant was used once, by the print that succeeded.
    expect(await h.call('t1', 'receipts.issue', { id: signed.id, version: again.version, grantId: grant.grantId })).toMatchObject({ ok: false, error: { message: 'authorization.used' } });
  });

  it('lets the admin choose printers the spooler has and print a test page that is audited and not counted', async () => {
    const h = await counter();
    const status = await h.ok('admin', 'printing.status', {});
    expect(status.printers.map((printer) => printer.name)).toEqual(expect.arrayContaining([A5, ROLL, OTHER]));
    expect(status.configured).toEqual({ a5: A5, roll80: ROLL });
    expect(await h.call('admin', 'settings.update', { slipPrinters: { a5: `Gone_${run}`, roll80: ROLL } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { 'slipPrinters.a5': 'printer.unknown' } },
    });
    expect((await h.ok('admin', 'settings.get', {})).slipPrinters).toEqual({ a5: A5, roll80: ROLL });
    expect(await h.call('t1', 'printing.testPage', { layout: 'a5', printer: A5 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const test = await h.ok('admin', 'printing.testPage', { layout: 'roll80', printer: ROLL });
    expect(test).toMatchObject({ printed: true, result: { outcome: 'printed', printer: ROLL } });
    const file = await cups.printedFile(ROLL, test.result.jobId ?? -1);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('This page is not a confirmation slip');
    expect(h.core.db.prepare('SELECT COUNT(*) AS n FROM receipts').get()).toEqual({ n: 0 });
    expect(auditActions(h)).toEqual(['printing.test_page']);
    expect(readdirSync(join(h.dataDir)).includes('receipts')).toBe(false);
  });
  it('says when no printer is set or the spooler does not answer, and refuses a second 打印 while the first is with the spooler', async () => {
    const h = await harness(tempDir(), { ports: { slipPrinter: cupsSlipPrinter({ server: cupsServer({ CUPS_SERVER: cups.server }) }) } });
    const { signed } = await approvedAndSigned(h, 15);
    expect(await h.ok('t1', 'printing.status', {})).toMatchObject({ printer: null, ready: false, stateText: { 'zh-CN': expect.stringContaining('尚未设置 A5 打印机') } });
    const unset = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    expect(unset).toMatchObject({ printed: false, status: 'approved', print: { outcome: 'not_configured', printer: null } });

    // The spooler gone (nothing listens where it was): the teller and the admin are told, nothing changes.
    const down = await harness(tempDir(), { ports: { slipPrinter: cupsSlipPrinter({ server: { host: '127.0.0.1', port: 1 } }) } });
    const status = await down.ok('admin', 'printing.status', {});
    expect(status.spoolerError?.['zh-CN']).toMatch(/^无法连接打印服务（CUPS）/);
    expect(status).toMatchObject({ path: 'spooler', ready: false, printers: [] });
    expect(await down.call('admin', 'settings.update', { slipPrinters: { a5: A5, roll80: null } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { 'slipPrinters.a5': 'printer.spooler_unavailable' } },
    });

    // A double press: the second is refused while the first waits behind a long job; one slip, one record.
    await h.ok('admin', 'settings.update', { slipPrinters: { a5: A5, roll80: null } });
    const blockerJob = await lpSubmit(A5, await blockerPdf(60));
    const first = h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
    await newestJobOn(A5, blockerJob);
    expect(await h.call('t1', 'receipts.issue', { id: signed.id, version: signed.version })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'receipt.print_in_progress' } });
    cups.run('cancel', [`${A5}-${blockerJob}`]);
    expect(await first).toMatchObject({ printed: true, status: 'completed' });
    expect((await h.ok('t1', 'receipts.list', { id: signed.id })).receipts).toHaveLength(1);
  });
  it('says so, and audits it, when the request changed while its slip was at the printer', async () => {
    const inner = cupsSlipPrinter({ server: cupsServer({ CUPS_SERVER: cups.server }) });
    const other: { window?: Harness } = {};
    const racing: SlipPrinter = {
      kind: 'spooler',
      listPrinters: () => inner.listPrinters(),
      async print(pdf, job) {
        const outcome = await inner.print(pdf, job);
        // Another window changes the request while this one waits on the spooler.
        other.window?.core.db.prepare('UPDATE applications SET version = version + 1').run();
        return outcome;
      },
    };
    const h = await harness(tempDir(), { ports: { slipPrinter: racing } });
    other.window = h;
    await h.ok('admin', 'settings.update', { slipPrinters: { a5: A5, roll80: null } });
    const { signed } = await approvedAndSigned(h, 16);
    expect(await h.call('t1', 'receipts.issue', { id: signed.id, version: signed.version })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: 'receipt.printed_not_recorded' },
    });
    expect((await h.ok('t1', 'applications.get', { id: signed.id })).status).toBe('approved');
    expect((await h.ok('t1', 'receipts.list', { id: signed.id })).receipts).toEqual([]);
    const row = h.core.db.prepare("SELECT details FROM audit_log WHERE action = 'receipt.printed_not_recorded'").get() as { details: string };
    expect(JSON.parse(row.details)).toMatchObject({ printNo: 1, printer: A5, jobId: expect.any(Number) });
  });
});
