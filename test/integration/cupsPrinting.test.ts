import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPrinters, mediaFor, printOutcomeText, printPdf, type PrintOutcome } from '../../electron/core/printing/cupsPrinter';
import { cupsServer, ippRequest, ippTag, OPERATION } from '../../electron/core/printing/ipp';
import { renderTestPage } from '../../electron/core/printing/testPage';
import { blockerPdf, startCups, type PrivateCups } from '../support/cupsServer';

/**
 * The slip printer against a real CUPS scheduler (private, on loopback) with cups-pdf virtual printers:
 * what arrives in the printer's output folder is read back with poppler.
 */
// One scheduler for the file, in a folder of its own (the per-test temp folders go after each test).
const root = mkdtempSync(join(tmpdir(), 'unbinddesk-cups-'));
let cups: PrivateCups;
const run = randomBytes(3).toString('hex');
const A5 = `UdA5_${run}`;
const ROLL = `UdRoll_${run}`;
let a5Out = '';

beforeAll(async () => {
  cups = await startCups(root);
  a5Out = cups.addPdfPrinter(A5, { isDefault: true });
  cups.addPdfPrinter(ROLL);
}, 60_000);

afterAll(async () => {
  await cups?.stop();
  rmSync(root, { recursive: true, force: true });
});

const server = () => cupsServer({ CUPS_SERVER: cups.server });

function pdfinfo(file: string): string {
  return execFileSync('pdfinfo', [file], { encoding: 'utf8' });
}

/** The share of dark pixels on the printed page, rendered by pdftoppm: a blank page is a failed print. */
function inkShare(file: string): number {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', '50', '-f', '1', '-l', '1', file], { maxBuffer: 64 * 1024 * 1024 });
  // Binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const value of pixels) if (value < 128) dark++;
  return dark / pixels.length;
}

async function jobOnQueue(queue: string, title: string): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const listed = cups.run('lpstat', ['-o', queue, '-l']);
    // lpstat -l does not show titles; the newest job on the queue after the blocker is ours.
    const ids = [...listed.matchAll(new RegExp(`${queue}-(\\d+)`, 'g'))].map((match) => Number(match[1]));
    if (ids.length >= 2) return Math.max(...ids);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no job "${title}" on ${queue}`);
}

describe('printing through a real CUPS', { timeout: 90_000 }, () => {
  it('lists the printers with their state and the default', async () => {
    cups.run('cupsdisable', [ROLL]);
    try {
      const printers = await listPrinters(server());
      const a5 = printers.find((printer) => printer.name === A5);
      const roll = printers.find((printer) => printer.name === ROLL);
      expect(a5).toMatchObject({ state: 'idle', accepting: true, isDefault: true, reasons: [] });
      expect(roll).toMatchObject({ state: 'stopped', accepting: true, isDefault: false, reasons: ['paused'] });
    } finally {
      cups.run('cupsenable', [ROLL]);
    }
  });

  it('prints an A5 page on A5 paper and reports printed only once the spooler says so', async () => {
    const page = await renderTestPage({ layout: 'a5', printer: A5, requestedBy: 'test', at: new Date('2026-12-02T03:04:05Z') });
    const outcome = await printPdf(page.pdf, { printer: A5, layout: 'a5', pageHeightPoints: page.pageHeightPoints, title: 'test-a5', server: server() });
    expect(outcome.kind).toBe('printed');
    const file = await cups.printedFile(A5, (outcome as { jobId: number }).jobId);
    expect(pdfinfo(file)).toMatch(/Page size:\s+42\d(\.\d+)? x 595(\.\d+)? pts \(A5\)/);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    // What survives the spooler's PostScript round trip as text: the Latin lines (cups-pdf's Ghostscript drops
    // the CJK font's Unicode map, so the Chinese lines are checked on the page image instead).
    expect(text).toContain('TEST');
    expect(text).toContain('This page is not a confirmation slip');
    expect(text).toContain(`${A5}`);
    expect(inkShare(file)).toBeGreaterThan(0.01);
  });

  it('prints the roll slip on 80 mm paper of the slip’s own length', async () => {
    const page = await renderTestPage({ layout: 'roll80', printer: ROLL, requestedBy: 'test', at: new Date() });
    expect(mediaFor('roll80', page.pageHeightPoints)).toBe('Custom.80x110mm');
    const outcome = await printPdf(page.pdf, { printer: ROLL, layout: 'roll80', pageHeightPoints: page.pageHeightPoints, title: 'test-roll', server: server() });
    expect(outcome.kind).toBe('printed');
    const file = await cups.printedFile(ROLL, (outcome as { jobId: number }).jobId);
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(pdfinfo(file));
    // 80 × 110 mm is 226.8 × 311.8 pt.
    // The spooler rounds a custom size to whole points.
    expect(Math.abs(Number(size?.[1]) - 226.8)).toBeLessThan(1.5);
    expect(Math.abs(Number(size?.[2]) - 311.8)).toBeLessThan(1.5);
    expect(inkShare(file)).toBeGreaterThan(0.01);
  });

  it('refuses a missing, a stopped and a rejecting printer before queueing anything, each in its own words', async () => {
    const pdf = (await renderTestPage({ layout: 'a5', printer: A5, requestedBy: 'test', at: new Date() })).pdf;
    const job = { layout: 'a5' as const, pageHeightPoints: 595, title: 'refused', server: server() };
    const jobsBefore = cups.run('lpstat', ['-W', 'all', '-o']).split('\n').filter(Boolean).length;

    const missing = await printPdf(pdf, { ...job, printer: `NoSuch_${run}` });
    expect(missing).toEqual({ kind: 'printer_missing', printer: `NoSuch_${run}` });
    expect(printOutcomeText(missing)).toBe(`打印机「NoSuch_${run}」不存在（已删除或改名），请在系统设置中重新选择打印机。`);

    cups.run('cupsdisable', ['-r', 'paper out', A5]);
    try {
      const stopped = await printPdf(pdf, { ...job, printer: A5 });
      expect(stopped).toEqual({ kind: 'stopped', printer: A5, reasons: ['paused'] });
      expect(printOutcomeText(stopped)).toBe(`打印机「${A5}」已停止（已暂停），请检查打印机后重新打印。`);
    } finally {
      cups.run('cupsenable', [A5]);
    }

    cups.run('cupsreject', [A5]);
    try {
      const rejecting = await printPdf(pdf, { ...job, printer: A5 });
      expect(rejecting.kind).toBe('not_accepting');
      expect(printOutcomeText(rejecting, 'en')).toMatch(new RegExp(`^The printer "${A5}" is not accepting jobs`));
    } finally {
      cups.run('cupsaccept', [A5]);
    }
    expect(cups.run('lpstat', ['-W', 'all', '-o']).split('\n').filter(Boolean).length).toBe(jobsBefore);
  });

  it('says cancelled when the job is cancelled while it waits in the queue', async () => {
    const blocker = await blockerPdf(150);
    const blockerJob = spawnSync('lp', ['-d', A5, '-t', 'blocker', '-'], { env: cups.env, input: blocker, encoding: 'utf8' });
    expect(blockerJob.status, blockerJob.stderr).toBe(0);
    const pdf = (await renderTestPage({ layout: 'a5', printer: A5, requestedBy: 'test', at: new Date() })).pdf;
    const printing = printPdf(pdf, { printer: A5, layout: 'a5', pageHeightPoints: 595, title: 'to-cancel', server: server() });
    const ours = await jobOnQueue(A5, 'to-cancel');
    cups.run('cancel', [`${A5}-${ours}`]);
    const outcome: PrintOutcome = await printing;
    expect(outcome).toEqual({ kind: 'cancelled', printer: A5, jobId: ours });
    expect(printOutcomeText(outcome)).toBe(`打印任务在「${A5}」上被取消。`);
    cups.run('cancel', ['-a', A5]);
  });

  it('withdraws a job the printer does not finish in time, so a retry cannot print the slip twice', async () => {
    const blocker = await blockerPdf(150);
    const blockerJob = spawnSync('lp', ['-d', A5, '-t', 'blocker', '-'], { env: cups.env, input: blocker, encoding: 'utf8' });
    expect(blockerJob.status, blockerJob.stderr).toBe(0);
    const pdf = (await renderTestPage({ layout: 'a5', printer: A5, requestedBy: 'test', at: new Date() })).pdf;
    const outcome = await printPdf(pdf, { printer: A5, layout: 'a5', pageHeightPoints: 595, title: 'too-slow', timeoutMs: 300, server: server() });
    expect(outcome.kind).toBe('timed_out');
    const jobId = (outcome as { jobId: number }).jobId;
    // Withdrawn: the spooler itself says cancelled (job-state 7), and it is no longer waiting.
    const state = await ippRequest(server(), '/jobs/', OPERATION.getJobAttributes, [
      { tag: ippTag.uri, name: 'job-uri', values: [`ipp://localhost/jobs/${jobId}`] },
      { tag: ippTag.keyword, name: 'requested-attributes', values: ['job-state'] },
    ]);
    expect(state.groups.find((group) => group.tag === ippTag.job)?.attributes.get('job-state')).toEqual([7]);
    expect(cups.run('lpstat', ['-o', A5])).not.toContain(`${A5}-${jobId} `);
    // Only the blocker is cancelled; a job printed after it shows the queue has moved past where the slip stood,
    // and nothing for the withdrawn job reached the output folder.
    cups.run('cancel', [`${A5}-${/-(\d+) /.exec(blockerJob.stdout)?.[1]}`]);
    const after = await printPdf(pdf, { printer: A5, layout: 'a5', pageHeightPoints: 595, title: 'after', server: server() });
    expect(after.kind).toBe('printed');
    await cups.printedFile(A5, (after as { jobId: number }).jobId);
    expect(readdirSync(a5Out).some((name) => name.endsWith(`-job_${jobId}.pdf`))).toBe(false);
    expect(printOutcomeText(outcome)).toBe(`打印机「${A5}」在 0 秒内未完成打印，任务已撤销，请检查打印机后重新打印。`);
  });

  it('says the spooler cannot be reached when nothing listens', async () => {
    const outcome = await printPdf(Buffer.from('%PDF-1.4'), { printer: A5, layout: 'a5', pageHeightPoints: 595, title: 'x', server: { host: '127.0.0.1', port: 1 } });
    expect(outcome.kind).toBe('spooler_unavailable');
    expect(printOutcomeText(outcome)).toMatch(/^无法连接打印服务（CUPS）：ECONNREFUSED/);
  });

  it('gives branch IT the same from the CLI: printers, and print-test that exits 0 only when the job printed', async () => {
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args], { env: { ...process.env, CUPS_SERVER: cups.server }, encoding: 'utf8' });
    cups.run('cupsdisable', [ROLL]);
    try {
      const listed = cli(['printers']);
      expect(listed.status, listed.stderr).toBe(0);
      expect(listed.stdout).toMatch(new RegExp(`^\\* ${A5} +idle$`, 'm'));
      expect(listed.stdout).toMatch(new RegExp(`^  ${ROLL} +stopped \\(paused\\)$`, 'm'));

      const refused = cli(['print-test', '--printer', ROLL, '--layout', 'roll80']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toBe(`error: The printer "${ROLL}" is stopped (paused); check it and print again.\n`);
    } finally {
      cups.run('cupsenable', [ROLL]);
    }
    const printed = cli(['print-test', '--printer', ROLL, '--layout', 'roll80']);
    expect(printed.status, printed.stderr).toBe(0);
    const jobId = Number(/Printed \(job (\d+)\)/.exec(printed.stdout)?.[1]);
    const file = await cups.printedFile(ROLL, jobId);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('This page is not a confirmation slip');

    const usage = cli(['print-test']);
    expect(usage.status).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
  });
});
