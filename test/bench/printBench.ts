import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { printPdf } from '../../electron/core/printing/cupsPrinter';
import { cupsServer, ippRequest, ippTag, OPERATION, type CupsServer } from '../../electron/core/printing/ipp';
import { cupsSlipPrinter } from '../../electron/core/printing/slipPrinter';
import { readStoredReceipt } from '../../electron/core/receipts/receiptService';
import { makeDemoRequest } from '../../electron/core/demo/demoRequests';
import { demoSignaturePng } from '../../electron/core/demo/demoSignature';
import { syntheticRandom } from '../../shared';
import { openHarness } from '../support/coreHarness';
import { renderTestPage } from '../../electron/core/printing/testPage';
import { startCups, type PrivateCups } from '../support/cupsServer';
import { median, percentile, type Figures } from './stats';

/**
 * Print latency through the CUPS adapter (printer check, lp on stdin, then the spooler's verdict over IPP) against
 * a bare `lp` of the same PDF file, both on one private cupsd with a cups-pdf queue, alternating, in the same run.
 * The bare run is timed twice: to the moment cups-pdf's output file appears (the earliest anyone could know), and
 * to the spooler's own job-state "completed" (what "printed" means; CUPS sets it ~0.1 s after the backend wrote
 * the file). Most of either is the spooler's filter chain (Ghostscript).
 */
export async function printBench(dir: string, samples: number): Promise<Figures> {
  if (!existsSync('/usr/sbin/cupsd') || process.getuid?.() !== 0) {
    process.stderr.write('print: skipped (needs Debian cups + printer-driver-cups-pdf, run as root as CI does)\n');
    return {};
  }
  // A folder of its own under the system temp (the bench's folder is private, and CUPS filters run as lp).
  const root = mkdtempSync(join(tmpdir(), 'unbinddesk-cups-'));
  const cups = await startCups(root);
  try {
    const queue = `UdBench_${process.pid}`;
    const out = cups.addPdfPrinter(queue);
    const page = await renderTestPage({ layout: 'a5', printer: queue, requestedBy: 'bench', at: new Date() });
    const file = join(dir, 'page.pdf');
    writeFileSync(file, page.pdf);
    const server = cupsServer({ CUPS_SERVER: cups.server });
    const adapter: number[] = [];
    const bare: number[] = [];
    const bareCompleted: number[] = [];
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      const outcome = await printPdf(page.pdf, { printer: queue, layout: 'a5', pageHeightPoints: page.pageHeightPoints, title: `bench-${i}`, server });
      if (outcome.kind !== 'printed') throw new Error(`print bench: ${outcome.kind}`);
      adapter.push(performance.now() - started);

      const timed = await bareLp(cups, server, queue, out, file);
      bare.push(timed.fileSeen);
      bareCompleted.push(timed.completed);
    }

    // From the counter's 打印 to "printed": receipts.issue through the core (draw the signed slip, print it through
    // the adapter, wait for the spooler, file it and complete the request), against a bare lp of that same slip.
    const data = mkdtempSync(join(root, 'core-'));
    const h = await openHarness(data, { ports: { slipPrinter: cupsSlipPrinter({ server }) } });
    const button: number[] = [];
    const slipBare: number[] = [];
    try {
      await h.ok('admin', 'settings.update', { slipPrinters: { a5: queue, roll80: null } });
      for (let i = 0; i < samples; i++) {
        const app = await h.ok('t1', 'applications.register', {});
        const review = await h.ok('t1', 'applications.startReview', { id: app.id, version: app.version });
        const approved = await h.ok('t1', 'applications.submit', { id: review.id, version: review.version, request: makeDemoRequest(syntheticRandom(i + 1), '2026-11-25') });
        const signed = await h.ok('t1', 'applications.setSignature', { id: approved.id, version: approved.version, pngBase64: demoSignaturePng(syntheticRandom(i + 1)).toString('base64') });
        const started = performance.now();
        const issued = await h.ok('t1', 'receipts.issue', { id: signed.id, version: signed.version });
        if (!issued.printed || !issued.receipt) throw new Error(`print bench: the slip did not print (${issued.print?.outcome ?? 'no printer'})`);
        button.push(performance.now() - started);
        const { fileName } = h.core.db.prepare('SELECT file_name AS fileName FROM receipts WHERE id = ?').get(issued.receipt.id) as { fileName: string };
        const slipFile = join(dir, 'slip.pdf');
        writeFileSync(slipFile, readStoredReceipt(h.core.context, fileName), { mode: 0o600 });
        slipBare.push((await bareLp(cups, server, queue, out, slipFile)).completed);
        rmSync(slipFile);
      }
    } finally {
      h.core.close();
    }
    return {
      print_adapter_median_ms: median(adapter),
      print_adapter_p95_ms: percentile(adapter, 95),
      print_bare_lp_median_ms: median(bare),
      print_bare_lp_p95_ms: percentile(bare, 95),
      print_bare_lp_completed_median_ms: median(bareCompleted),
      print_adapter_over_bare_lp: median(adapter) / median(bare),
      print_adapter_over_bare_lp_completed: median(adapter) / median(bareCompleted),
      print_slip_button_median_ms: median(button),
      print_slip_button_p95_ms: percentile(button, 95),
      print_slip_bare_lp_completed_median_ms: median(slipBare),
      print_slip_bare_lp_completed_p95_ms: percentile(slipBare, 95),
      print_slip_button_over_bare_lp_completed: median(button) / median(slipBare),
    };
  } finally {
    await cups.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A bare `lp` of a PDF file, timed to the moment cups-pdf's output file appears and to the spooler's own job-state
 * "completed" (asked the same way the adapter asks).
 */
async function bareLp(cups: PrivateCups, server: CupsServer, queue: string, out: string, file: string): Promise<{ fileSeen: number; completed: number }> {
  const started = performance.now();
  const submitted = spawnSync('lp', ['-d', queue, '-o', 'media=A5', file], { env: cups.env, encoding: 'utf8' });
  const jobId = /-(\d+) /.exec(submitted.stdout)?.[1];
  if (submitted.status !== 0 || !jobId) throw new Error(`bare lp: ${submitted.stderr}`);
  let fileSeen = 0;
  for (;;) {
    if (!fileSeen && readdirSync(out).some((name) => name.endsWith(`-job_${jobId}.pdf`))) fileSeen = performance.now() - started;
    const answer = await ippRequest(server, '/jobs/', OPERATION.getJobAttributes, [
      { tag: ippTag.uri, name: 'job-uri', values: [`ipp://localhost/jobs/${jobId}`] },
      { tag: ippTag.keyword, name: 'requested-attributes', values: ['job-state'] },
    ]);
    const state = Number(answer.groups.find((group) => group.tag === ippTag.job)?.attributes.get('job-state')?.[0]);
    if (state === 9) {
      const completed = performance.now() - started;
      return { fileSeen: fileSeen || completed, completed };
    }
    // 7 cancelled, 8 aborted: a figure from a job that did not print would mean nothing.
    if (state >= 7 || performance.now() - started > 60_000) throw new Error(`bare lp: job ${jobId} ended in state ${state}`);
    await sleep(5);
  }
}
