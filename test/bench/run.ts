/**
 * `npm run bench [-- --only queue|slip|dayclose|retention] [--rows N]`: figures, not tests. Prints a table and writes flat JSON to
 * bench-results/latest.json. Real files in a temp folder; nothing mocked.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { queueBench } from './queueBench';
import { slipBench } from './slipBench';
import { dayCloseBench } from './dayCloseBench';
import { retentionBench } from './retentionBench';
import { trackPeakRss, type Figures } from './stats';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, only: { type: 'string' } } });
const LATEST = 'bench-results/latest.json';
const dir = mkdtempSync(join(tmpdir(), 'unbinddesk-bench-'));
const figures: Figures = {};
const sections: Record<string, () => Promise<Figures>> = {
  queue: () => queueBench(dir, { rows: Number(values.rows), samples: 300, queries: 1000 }),
  slip: () => slipBench(200),
  dayclose: () => dayCloseBench(dir, 10_000),
  retention: () => retentionBench(dir, 10_000),
};
try {
  for (const [name, run] of Object.entries(sections)) {
    if (values.only && values.only !== name) continue;
    const memory = trackPeakRss();
    const started = performance.now();
    Object.assign(figures, await run());
    figures[`${name}_peak_rss_mb`] = memory.stop();
    process.stderr.write(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const rounded = Object.fromEntries(Object.entries(figures).map(([key, value]) => [key, Math.round(value * 1000) / 1000]));
for (const [key, value] of Object.entries(rounded)) process.stdout.write(`${key.padEnd(32)} ${value}\n`);
mkdirSync('bench-results', { recursive: true });
// `--only` refreshes one section and keeps the others' last figures.
const previous = values.only && existsSync(LATEST) ? (JSON.parse(readFileSync(LATEST, 'utf8')) as Record<string, unknown>) : {};
writeFileSync(LATEST, `${JSON.stringify({ ...previous, at: new Date().toISOString(), node: process.version, ...rounded }, null, 2)}\n`);
