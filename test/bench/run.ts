/**
 * `npm run bench [-- --only queue|slip|dayclose|retention|print|consolidate|handoff] [--rows N]`: figures, not tests. Prints a table and writes flat JSON to
 * bench-results/latest.json. Real files in a temp folder; nothing mocked.
 *
 * Each section runs in a process of its own (section.ts), so `<section>_peak_rss_mb` is that section's own peak,
 * not one that includes the heap earlier sections left. Every section still times itself against its bare
 * baseline (raw insert, minimal page, raw SELECT) inside its own process, in the same run. `bare_peak_rss_mb` is
 * a process that loads the same code and runs nothing; `<section>_peak_rss_over_bare_mb` is what the section adds.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SectionResult } from './section';
import type { Figures } from './stats';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, only: { type: 'string' } } });
const LATEST = 'bench-results/latest.json';
const SECTIONS = ['queue', 'slip', 'dayclose', 'retention', 'print', 'consolidate', 'handoff'];
if (values.only && !SECTIONS.includes(values.only)) {
  process.stderr.write(`error: --only takes one of ${SECTIONS.join(', ')}\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'unbinddesk-bench-'));

function runSection(name: string): Promise<SectionResult> {
  return new Promise((resolvePromise, reject) => {
    const sectionDir = join(dir, name);
    mkdirSync(sectionDir);
    const child = fork(join(import.meta.dirname, 'section.ts'), [name, sectionDir, values.rows], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    let result: SectionResult | undefined;
    child.on('message', (message) => (result = message as SectionResult));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result ? resolvePromise(result) : reject(new Error(`bench section ${name} failed (exit ${code})`))));
  });
}

const figures: Figures = {};
try {
  const bare = await runSection('bare');
  figures.bare_peak_rss_mb = bare.peakRssMb;
  for (const name of SECTIONS) {
    if (values.only && values.only !== name) continue;
    const started = performance.now();
    const result = await runSection(name);
    Object.assign(figures, result.figures);
    figures[`${name}_peak_rss_mb`] = result.peakRssMb;
    figures[`${name}_peak_rss_over_bare_mb`] = result.peakRssMb - bare.peakRssMb;
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
