/**
 * One section of `npm run bench`, in a process of its own (forked by run.ts), so its peak memory is its own:
 * no heap left behind by the sections before it. Sends its figures and the process's peak RSS (the kernel's
 * `maxRSS`) back to the parent. `bare` runs nothing: the floor of a process that has loaded the same code.
 */
import { queueBench } from './queueBench';
import { slipBench } from './slipBench';
import { dayCloseBench } from './dayCloseBench';
import { retentionBench } from './retentionBench';
import { printBench } from './printBench';
import { consolidateBench } from './consolidateBench';
import { handoffBench } from './handoffBench';
import type { Figures } from './stats';

export interface SectionResult {
  figures: Figures;
  /** process.resourceUsage().maxRSS, in MB: the peak resident memory of this process alone. */
  peakRssMb: number;
}

const [name = '', dir = '', rowsText = '1000000'] = process.argv.slice(2);
const sections: Record<string, () => Promise<Figures>> = {
  bare: () => Promise.resolve({}),
  queue: () => queueBench(dir, { rows: Number(rowsText), samples: 300, queries: 1000 }),
  slip: () => slipBench(200),
  dayclose: () => dayCloseBench(dir, 10_000),
  retention: () => retentionBench(dir, 10_000),
  print: () => printBench(dir, 20),
  consolidate: () => consolidateBench(dir, 5000),
  handoff: () => handoffBench(dir, 10_000),
};
const run = sections[name];
if (!run || !dir || !process.send) throw new Error('usage: forked by test/bench/run.ts with SECTION DIR ROWS');
const figures = await run();
const result: SectionResult = { figures, peakRssMb: process.resourceUsage().maxRSS / 1024 };
process.send(result, () => process.disconnect());
