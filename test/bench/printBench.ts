import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { printPdf } from '../../electron/core/printing/cupsPrinter';
import { cupsServer, ippRequest, ippTag, OPERATION } from '../../electron/core/printing/ipp';
import { renderTestPage } from '../../electron/core/printing/testPage';
import { startCups } from '../support/cupsServer';
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
      let started = performance.now();
      const outcome = await printPdf(page.pdf, { printer: queue, layout: 'a5', pageHeightPoints: page.pageHeightPoints, title: `bench-${i}`, server });
      if (outcome.kind !== 'printed') throw new Error(`print bench: ${outcome.kind}`);
      adapter.push(performance.now() - started);

      started = performance.now();
      const submitted = spawnSync('lp', ['-d', queue, '-o', 'media=A5', file], { env: cups.env, encoding: 'utf8' });
      const jobId = /-(\d+) /.exec(submitted.stdout)?.[1];
      if (submitted.status !== 0 || !jobId) throw new Error(`bare lp: ${submitted.stderr}`);
      let fileSeen = 0;
      for (;;) {
        if (!fileSeen && readdirSync(out).some((name) => name.endsWith(`-job_${jobId}.pdf`))) fileSeen = performance.now() - started;
        // The spooler's own word that the job completed (job-state 9), asked the same way the adapter asks.
        const answer = await ippRequest(server, '/jobs/', OPERATION.getJobAttributes, [
          { tag: ippTag.uri, name: 'job-uri', values: [`ipp://localhost/jobs/${jobId}`] },
          { tag: ippTag.keyword, name: 'requested-attributes', values: ['job-state'] },
        ]);
        const state = Number(answer.groups.find((group) => group.tag === ippTag.job)?.attributes.get('job-state')?.[0]);
        if (state === 9) break;
        // 7 cancelled, 8 aborted: a figure from a job that did not print would mean nothing.
        if (state >= 7 || performance.now() - started > 60_000) throw new Error(`bare lp: job ${jobId} ended in state ${state}`);
        await sleep(5);
      }
      bareCompleted.push(performance.now() - started);
      bare.push(fileSeen || performance.now() - started);
    }
    return {
      print_adapter_median_ms: median(adapter),
      print_adapter_p95_ms: percentile(adapter, 95),
      print_bare_lp_median_ms: median(bare),
      print_bare_lp_p95_ms: percentile(bare, 95),
      print_bare_lp_completed_median_ms: median(bareCompleted),
      print_adapter_over_bare_lp: median(adapter) / median(bare),
      print_adapter_over_bare_lp_completed: median(adapter) / median(bareCompleted),
    };
  } finally {
    await cups.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
